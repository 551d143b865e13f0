"""The facilitator's door: first-run passcode choice, login, logout, and the dashboard's gate.

Login happens in plain routes that set a signed, HttpOnly, SameSite=Strict cookie; every
dashboard tab (control, projector) then reads it through st.context.cookies. A browser without
the cookie that asks for a dashboard page is sent to the login form before Streamlit loads.
"""

from __future__ import annotations

import asyncio
import ipaddress
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from workshop.store import Store
from workshop.web import keys
from workshop.web.forms import bounded_body, parse_form
from workshop.web.participant.render import page

COOKIE = "tandem_facilitator"
# A passcode, its repetition and where to go next: far less than this.
LOGIN_FORM_BYTES = 4096
TOO_LONG = "That was far longer than a passcode. Please type it again."
DASHBOARD_PATHS = {"/", "/library", "/editor", "/control", "/screen", "/review"}


def _from_this_laptop(request: Request) -> bool:
    """Whether the request comes from the machine itself (read, never stored or logged)."""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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

    async def login(self, request: Request) -> Response:
        if not await run_in_threadpool(keys.passcode_is_set, self.store):
            return RedirectResponse("/facilitator/setup", status_code=303)
        target = _safe_next(request.query_params.get("next", "/"))
        if request.method == "GET":
            return page("login.html", error=None, next=target)
        form = await self._form(request)
        if form is None:
            return page("login.html", status_code=413, error=TOO_LONG, next=target)
        target = _safe_next(form.get("next", "/"))
        passcode = form.get("passcode", "")
        try:
            matches = await run_in_threadpool(keys.check_passcode, self.store, passcode)
        except keys.UnreadablePasscode as problem:
            return page("login.html", status_code=500, error=str(problem), next=target)
        if not matches:
            await asyncio.sleep(0.5)  # slows guessing without locking anyone out
            return page(
                "login.html", status_code=401, error="That passcode is not right.", next=target
            )
        return self._logged_in(target)

    async def setup(self, request: Request) -> Response:
        if await run_in_threadpool(keys.passcode_is_set, self.store):
            return RedirectResponse("/facilitator/login", status_code=303)
        if not _from_this_laptop(request):
            return page("setup.html", status_code=403, error=None, remote=True)
        if request.method == "GET":
            return page("setup.html", error=None, remote=False)
        form = await self._form(request)
        if form is None:
            return page("setup.html", status_code=413, error=TOO_LONG, remote=False)
        passcode = form.get("passcode", "")
        problem = keys.passcode_problem(passcode)
        if not problem and passcode != form.get("again", ""):
            problem = "The two passcodes differ. Please type the same one twice."
        if problem:
            return page("setup.html", status_code=422, error=problem, remote=False)
        await run_in_threadpool(keys.set_passcode, self.store, passcode)
        return self._logged_in("/")

    async def logout(self, request: Request) -> Response:
        response = RedirectResponse("/facilitator/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    def _logged_in(self, target: str) -> Response:
        response = RedirectResponse(target, status_code=303)
        cookie = keys.login_cookie(keys.server_key(self.store))
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=keys.LOGIN_LIFETIME_SECONDS,
            path="/",
            httponly=True,
            samesite="strict",
        )
        return response


class DashboardGate:
    """ASGI middleware: a dashboard page without a valid login cookie redirects to the login."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store
        self._key: bytes | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in DASHBOARD_PATHS:
            request = Request(scope)
            if self._key is None:
                self._key = await run_in_threadpool(keys.server_key, self.store)
            if not keys.login_cookie_valid(self._key, request.cookies.get(COOKIE)):
                target = scope["path"]
                if scope.get("query_string"):
                    target += "?" + scope["query_string"].decode("latin-1")
                location = f"/facilitator/login?next={quote(target, safe='')}"
                await RedirectResponse(location, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)
