"""Where a request comes from, as far as the browser tells: same site or not, https or not.

Read from headers only, never stored or logged.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from starlette.requests import Request


def cross_site(request: Request) -> bool:
    """Whether a form was sent from another site's page (or another port on this host), which
    must never answer for a phone or log the facilitator out.

    Browsers say so in Sec-Fetch-Site (Chrome 76+, Firefox 90+, Safari 16.4+); older ones send
    Origin with every cross-origin POST. A request with neither comes from a program, not from
    a page, and cannot carry a victim's cookies by accident.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        # "none": typed or bookmarked by the user; "same-origin": our own page.
        return fetch_site not in {"same-origin", "none"}
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return _host_of(origin) not in _our_hosts(request)


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc or "").lower()


def _our_hosts(request: Request) -> set[str]:
    """The host[:port] values this server answers as: the Host header, a reverse proxy's
    X-Forwarded-Host, and WORKSHOP_PUBLIC_URL."""
    hosts = {request.headers.get("host", "").lower()}
    forwarded = request.headers.get("x-forwarded-host")
    if forwarded:
        hosts.add(forwarded.split(",")[0].strip().lower())
    public = os.environ.get("WORKSHOP_PUBLIC_URL", "").strip()
    if public:
        hosts.add(_host_of(public))
    hosts.discard("")
    return hosts


def over_https(request: Request) -> bool:
    """Whether the browser reached us over https (directly or through a reverse proxy), so
    cookies get the Secure flag. Trusting a proxy's header here can only make a cookie stricter.
    """
    if request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    forwarded = request.headers.get("forwarded", "").lower().replace(" ", "")
    public = os.environ.get("WORKSHOP_PUBLIC_URL", "").strip().lower()
    return proto == "https" or "proto=https" in forwarded or public.startswith("https://")
