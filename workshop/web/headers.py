"""Security headers on every HTTP response the server sends: our pages and Streamlit's alike.

    Referrer-Policy: no-referrer       a join code in a URL never leaks to another site
    X-Content-Type-Options: nosniff    a file is only ever read as the type it is served as
    X-Frame-Options: DENY              no other site frames the dashboard or a phone page
    Content-Security-Policy            strict on our own pages; on Streamlit's, framing only

Our server-rendered pages (/j/..., /facilitator/...) need nothing inline, so they get a strict
policy. Streamlit's shell runs inline scripts and styles and its own blob: and data: URLs, so its
responses get only `frame-ancestors 'none'`, which breaks none of that. The one exception is the
files of custom components (/component/...): the dashboard itself shows them in frames, so only
pages of this same server may frame those.

A header a route has already set is kept as it is: the middleware only adds what is missing.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

OUR_PAGES_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
STREAMLIT_POLICY = "frame-ancestors 'none'"
COMPONENT_POLICY = "frame-ancestors 'self'"

_EVERY_RESPONSE = (
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
)
OUR_PAGES = _EVERY_RESPONSE + (
    ("x-frame-options", "DENY"),
    ("content-security-policy", OUR_PAGES_POLICY),
)
# The facilitator's pages hold a login form and set the login cookie: never cached anywhere.
FACILITATOR_PAGES = OUR_PAGES + (("cache-control", "no-store"),)
STREAMLIT = _EVERY_RESPONSE + (
    ("x-frame-options", "DENY"),
    ("content-security-policy", STREAMLIT_POLICY),
)
STREAMLIT_COMPONENTS = _EVERY_RESPONSE + (
    ("x-frame-options", "SAMEORIGIN"),
    ("content-security-policy", COMPONENT_POLICY),
)


def under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or an address below it."""
    return path == prefix or path.startswith(prefix + "/")


def headers_for(path: str) -> tuple[tuple[str, str], ...]:
    """The headers a response to `path` carries unless its route set them itself."""
    if under(path, "/j"):
        return OUR_PAGES
    if under(path, "/facilitator"):
        return FACILITATOR_PAGES
    if path.startswith("/component/"):
        return STREAMLIT_COMPONENTS
    return STREAMLIT


def app_path(scope: Scope) -> str:
    """The path within the app, without a prefix the server is mounted under."""
    path = scope.get("path", "") or "/"
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    return path


class SecurityHeaders:
    """ASGI middleware: adds the missing security headers to every HTTP response.

    It edits only the `http.response.start` message, so streamed, long-polled and file
    responses get the headers too. Websocket and lifespan messages pass through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(app_path(scope))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_headers(message, wanted)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_headers(message: Message, wanted: tuple[tuple[str, str], ...]) -> Message:
    headers = list(message.get("headers", []))
    present = {bytes(name).lower() for name, _ in headers}
    for name, value in wanted:
        encoded = name.encode("latin-1")
        if encoded not in present:
            headers.append((encoded, value.encode("latin-1")))
    return {**message, "headers": headers}
