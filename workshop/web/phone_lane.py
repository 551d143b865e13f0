"""The phones' requests take a short way through the server: straight to an app of their own.

Streamlit's server passes every request through its own middleware before any route: a check of
the path for its static files, its session cookie for st.login and a gzip that leaves its
websocket alone, and through ours (the security headers, the database-fault page, the
dashboard's gate). A phone page needs only ours and gzip. Each layer is a coroutine, a closure
or two and sometimes a request object for as long as the request lasts: for a phone's long poll,
up to a minute parked, and a thousand of them at once are objects the garbage collector walks
again and again, beside the time each layer takes on every request.

`PhoneLane`, the first of the app's middleware (`st.App(middleware=...)`, Streamlit's public
way to add middleware), sends HTTP requests for /j and the addresses below it to `phone_app`:
the phone routes behind the security headers, the database-fault page, gzip and Starlette's
error handling, nothing else. Every other request (the dashboard, its websocket, the
facilitator's login) goes on through Streamlit's stack as before.

An address under /j that no route knows answers with the code form and a 404 in the phone's
language: through Streamlit's stack it reached Streamlit's catch-all, which served the
dashboard's shell to a phone.

The long poll (GET /j/CODE/wait) goes shorter still, past the router and Starlette's error
handling: it is the request every phone has parked nearly all the time, so whatever its way
holds, a room holds a thousand times over. At 1,000 phones parked (`bench/room.py --phones
1000 --no-projector --facilitator other`), in turns: 49 KB of server memory per phone through
the router, 40 and 41 KB this way. (An experiment handing the long poll to its route with no
layer at all gave 34 to 36 KB: the router and its exception handling had held 6 to 8 KB,
gzip 2 KB, our headers and fault layers nothing measurable.) It keeps those three layers: the
headers, the fault answer and gzip (the answer after a move carries the phone's new page).
Only a GET of exactly that form takes it; anything else under /j goes through the router as
before, so a POST to a long poll's address still has its 405. Without the router's exception
handling, the long poll's handler must not raise Starlette's HTTPException (it raises none:
its answers are JSON it makes itself).

What the lane gives up, on purpose: Streamlit's check of the path for its static files (a
Windows share's name, "..", a null byte) guards file reads, and no phone route reads a file
named by its address (the assets are a fixed table, codes are normalised); a phone route that
ever did would need that check of its own. Streamlit's session cookie is for st.login, which
the phones never use. The lane has its own fault reporter, so a database outage logs at most
one line every ten seconds for the phones and one for the dashboard.
"""

from __future__ import annotations

from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.routing import Router
from starlette.types import ASGIApp, Receive, Scope, Send

from workshop.web.faults import DatabaseFaults
from workshop.web.headers import SecurityHeaders, app_path, under
from workshop.web.participant.routes import ParticipantPages

# Streamlit's own gzip settings (its starlette_server_config), so a phone page is compressed
# as it was before it took this lane: from 1,000 bytes, at level 5.
GZIP_MINIMUM_SIZE = 1000
GZIP_LEVEL = 5


def is_phone_address(path: str) -> bool:
    return under(path, "/j")


class PhoneLane:
    """ASGI middleware: HTTP requests for the phone pages go to `phones`; the rest to `app`."""

    def __init__(self, app: ASGIApp, phones: ASGIApp) -> None:
        self.app = app
        self.phones = phones

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Under a prefix (uvicorn's --root-path, or the app mounted elsewhere) the path holds
        # it: the phone pages are /j within the app, whatever the prefix.
        if scope["type"] == "http" and is_phone_address(app_path(scope)):
            await self.phones(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def long_poll_code(scope: Scope) -> str | None:
    """The join code a phone's long poll names (GET /j/CODE/wait), else None."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    parts = app_path(scope).split("/")
    if len(parts) != 4 or parts[:2] != ["", "j"] or parts[3] != "wait":
        return None
    # /j/assets/NAME is an asset's address before it is a code's (the router's order).
    return parts[2] if parts[2] not in {"", "assets"} else None


class PhoneApp:
    """The phone pages as an app of their own, with only the layers they need: the security
    headers (first, so the fault page carries them too, as in streamlit_app.py), the
    database's fault page, gzip and, for all but the long poll, Starlette's HTTP errors (a
    405) and the router; an unknown address shows the code form. No `Starlette()` around it:
    the server's own error middleware is outside the lane."""

    def __init__(self, pages: ParticipantPages) -> None:
        self.pages = pages

        async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
            response = await pages.not_found(Request(scope, receive))
            await response(scope, receive, send)

        # The router's own default only says "Not Found" (or raises it, in Streamlit's app).
        self.router_app = ExceptionMiddleware(Router(pages.routes(), default=not_found))
        compressed = GZipMiddleware(
            self._long_poll_or_routed, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=GZIP_LEVEL
        )
        # One of each layer: one fault reporter, so an outage logs one line in ten seconds.
        self.layered = SecurityHeaders(DatabaseFaults(compressed))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.layered(scope, receive, send)

    async def _long_poll_or_routed(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = long_poll_code(scope)
        if code is None:
            await self.router_app(scope, receive, send)
            return
        # As the router gives them to its route.
        scope["path_params"] = {**scope.get("path_params", {}), "code": code}
        response = await self.pages.wait(Request(scope, receive))
        await response(scope, receive, send)


def phone_app(pages: ParticipantPages) -> PhoneApp:
    """The phone pages' app: see PhoneApp."""
    return PhoneApp(pages)
