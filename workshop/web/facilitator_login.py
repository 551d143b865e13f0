"""The facilitator's door: first-run passcode choice, login, logout, and the dashboard's gate.

Login happens in plain routes that set an HttpOnly, SameSite=Strict cookie holding a random
login id (its hash is in the database, so logout and a new passcode end it); every dashboard tab
(control, projector) then reads it through st.context.cookies. A browser without a valid login
that asks for a dashboard page is sent to the login form before Streamlit loads; a screen or
remote-control link opens its one page of one session (see links.py).

First run: the passcode is chosen through a one-time link printed in the terminal at start, as
notebook servers do, never by trusting the peer's address (a reverse proxy on the same machine
makes every visitor look local).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from workshop import i18n
from workshop.i18n import N_
from workshop.i18n import gettext as _
from workshop.store import Store
from workshop.web import door, keys, links
from workshop.web.forms import bounded_body, parse_form
from workshop.web.origin import cross_site, over_https
from workshop.web.participant.render import page

COOKIE = "tandem_facilitator"
# A passcode, its repetition and where to go next: far less than this.
LOGIN_FORM_BYTES = 4096
TOO_LONG = N_("That was far longer than a passcode. Please type it again.")
CROSS_SITE = N_("This form was sent from another site, so it was ignored.")
NOT_RIGHT = N_("That passcode is not right.")
DIFFERENT = N_("The two passcodes differ. Please type the same one twice.")
# The dashboard's language, as the facilitator chose it there (workshop/dashboard/language.py
# keeps it under this name; this module reads it without loading Streamlit).
LANGUAGE_SETTING = "interface_language"
DASHBOARD_PATHS = {"/", "/library", "/editor", "/control", "/screen", "/review"}
# Streamlit's file uploads (deck files in the library and the editor): the facilitator's only.
# Without this, anyone who opens a websocket could park files of 1 MB each in the server's
# memory; the dashboard sends the SameSite=Strict cookie with its own uploads.
UPLOAD_PREFIX = "/_stcore/upload_file"


Handler = Callable[["FacilitatorLogin", Request], Awaitable[Response]]


def _in_chosen_language(handler: Handler) -> Handler:
    """Draw the facilitator's pages in the dashboard's language (English until chosen)."""

    @functools.wraps(handler)
    async def speaking(self: FacilitatorLogin, request: Request) -> Response:
        chosen = await run_in_threadpool(self.store.setting, LANGUAGE_SETTING)
        with i18n.speaking(chosen):
            return await handler(self, request)

    return speaking


def _safe_next(target: str) -> str:
    # Only our own dashboard pages: never an open redirect.
    path = target.split("?", 1)[0]
    return target if path in DASHBOARD_PATHS else "/"


class FacilitatorLogin:
    def __init__(self, store: Store) -> None:
        self.store = store

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/facilitator/login", self.login, methods=["GET", "POST"]),
            Route("/facilitator/setup", self.setup, methods=["GET", "POST"]),
            Route("/facilitator/logout", self.logout, methods=["GET", "POST"]),
        ]

    async def _form(self, request: Request) -> dict[str, str] | None:
        """The posted fields (first value of each), or None for a body too large to be a form."""
        body = await bounded_body(request, LOGIN_FORM_BYTES)
        if body is None:
            return None
        return {name: values[0] for name, values in parse_form(body).items()}

    @_in_chosen_language
    async def login(self, request: Request) -> Response:
        if not await run_in_threadpool(keys.passcode_is_set, self.store):
            return RedirectResponse("/facilitator/setup", status_code=303)
        target = _safe_next(request.query_params.get("next", "/"))
        if request.method == "GET":
            locked = await run_in_threadpool(door.is_locked, self.store)
            error = _(door.Refusal(locked=True, wait_seconds=0).message) if locked else None
            return page("login.html", error=error, next=target, locked=locked)
        if cross_site(request):
            return page("login.html", status_code=403, error=_(CROSS_SITE), next=target)
        form = await self._form(request)
        if form is None:
            return page("login.html", status_code=413, error=_(TOO_LONG), next=target)
        target = _safe_next(form.get("next", "/"))
        return await run_in_threadpool(self._try, request, form.get("passcode", ""), target)

    def _try(self, request: Request, passcode: str, target: str) -> Response:
        """One login attempt, counted by the door before the passcode is checked."""
        refusal = door.reserve_attempt(self.store)
        if refusal is not None:
            headers = {} if refusal.locked else {"Retry-After": str(refusal.wait_seconds)}
            response = page(
                "login.html",
                status_code=429,
                error=_(refusal.message),
                next=target,
                locked=refusal.locked,
            )
            response.headers.update(headers)
            return response
        try:
            matches = keys.check_passcode(self.store, passcode)
        except keys.UnreadablePasscode as problem:
            return page("login.html", status_code=500, error=_(str(problem)), next=target)
        if not matches:
            if door.is_locked(self.store):
                # Said once, where the facilitator will see it: in the terminal.
                print(f"Facilitator login locked: {door.UNLOCK_ADVICE}", file=sys.stderr)
                refusal = door.Refusal(locked=True, wait_seconds=0)
                return page(
                    "login.html",
                    status_code=401,
                    error=_(refusal.message),
                    next=target,
                    locked=True,
                )
            return page("login.html", status_code=401, error=_(NOT_RIGHT), next=target)
        door.clear(self.store)
        return self._logged_in(request, target)

    @_in_chosen_language
    async def setup(self, request: Request) -> Response:
        if await run_in_threadpool(keys.passcode_is_set, self.store):
            return RedirectResponse("/facilitator/login", status_code=303)
        if request.method == "GET":
            token = request.query_params.get("token", "")
            if not await run_in_threadpool(keys.setup_token_matches, self.store, token):
                return page("setup.html", status_code=403, error=None, token=None)
            return page("setup.html", error=None, token=token)
        if cross_site(request):
            return page("setup.html", status_code=403, error=None, token=None)
        form = await self._form(request)
        if form is None:
            return page("setup.html", status_code=413, error=_(TOO_LONG), token=None)
        token = form.get("token", "")
        if not await run_in_threadpool(keys.setup_token_matches, self.store, token):
            return page("setup.html", status_code=403, error=None, token=None)
        passcode = form.get("passcode", "")
        problem = keys.passcode_problem(passcode)
        if not problem and passcode != form.get("again", ""):
            problem = DIFFERENT
        if problem:
            return page("setup.html", status_code=422, error=_(problem), token=token)
        await run_in_threadpool(keys.finish_setup, self.store, passcode)
        return await run_in_threadpool(self._logged_in, request, "/")

    @_in_chosen_language
    async def logout(self, request: Request) -> Response:
        if request.method == "GET":
            # A link or an image on another site must not log anyone out: ask first.
            return page("logout.html")
        if cross_site(request):
            return page(
                "message.html",
                status_code=403,
                heading=_("Not logged out"),
                message=_(CROSS_SITE),
            )
        await run_in_threadpool(keys.end_login, self.store, request.cookies.get(COOKIE))
        response = RedirectResponse("/facilitator/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    def _logged_in(self, request: Request, target: str) -> Response:
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE,
            keys.new_login(self.store),
            max_age=keys.LOGIN_LIFETIME_SECONDS,
            path="/",
            httponly=True,
            samesite="strict",
            secure=over_https(request),
        )
        return response


class DashboardGate:
    """ASGI middleware: a dashboard page without a valid login (or a link that opens it)
    redirects to the login form."""

    def __init__(self, app: ASGIApp, store: Store, base_path: str = "") -> None:
        self.app = app
        self.store = store
        # Streamlit's server.baseUrlPath ("tandem" serves the dashboard under /tandem/...).
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""

    def _page(self, path: str) -> str:
        """The dashboard path a request asks for, without the base path."""
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            return path[len(self.base_path) :] or "/"
        return path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page_path = self._page(scope.get("path", ""))
        if scope["type"] == "http" and page_path.startswith(UPLOAD_PREFIX):
            login = Request(scope).cookies.get(COOKIE)
            if not await run_in_threadpool(keys.login_valid, self.store, login):
                await Response("Log in to upload.", status_code=403)(scope, receive, send)
                return
        if scope["type"] == "http" and page_path in DASHBOARD_PATHS:
            request = Request(scope)
            if not await run_in_threadpool(self._allowed, request, page_path):
                target = scope["path"]
                if scope.get("query_string"):
                    target += "?" + scope["query_string"].decode("latin-1")
                location = f"/facilitator/login?next={quote(target, safe='')}"
                await RedirectResponse(location, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _allowed(self, request: Request, page_path: str) -> bool:
        query = dict(request.query_params)
        login = request.cookies.get(COOKIE)
        return links.access_for(self.store, login, query, page_path) is not None
