"""Links the facilitator hands out for one session, each a revocable secret:

- a read-only *screen* link for the projector's browser (the Screen page only), and
- a *remote* link for the facilitator's own phone (the Control page only).

Only a SHA-256 of each secret is stored; making a new one (or revoking) ends the old at once.
A participant's cookie or join code opens neither.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from workshop.store import Store
from workshop.web import keys

# What each link opens: its purpose and the dashboard path.
PAGES = {"screen": "/screen", "remote": "/control"}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def new_link_secret(store: Store, session_id: int, purpose: str) -> str:
    """A fresh secret for the session's `purpose` link; the previous one stops working."""
    if purpose not in PAGES:
        raise ValueError(purpose)
    secret = secrets.token_urlsafe(24)
    store.set_link(session_id, purpose, _hash(secret))
    return secret


def revoke(store: Store, session_id: int, purpose: str) -> None:
    store.set_link(session_id, purpose, None)


def link_path(session_id: int, purpose: str, secret: str) -> str:
    return f"{PAGES[purpose]}?session={session_id}&key={secret}"


def session_number(text: str | None) -> int | None:
    """A session id from a URL: plain digits of a sane length (a database integer), else None."""
    if not text or len(text) > 9 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def opens(store: Store, path: str, session: str | None, secret: str | None) -> int | None:
    """The session id a link opens at `path`, or None: the right page, session and secret."""
    purposes = [purpose for purpose, page in PAGES.items() if page == path]
    session_id = session_number(session)
    if not purposes or session_id is None or not secret or len(secret) > 64:
        return None
    expected = store.link_hash(session_id, purposes[0])
    if expected is None or not hmac.compare_digest(expected, _hash(secret)):
        return None
    return session_id


@dataclass(frozen=True)
class Access:
    """Who is looking: the facilitator (every page), or a link's holder (one page of one
    session: `purpose` "screen" or "remote")."""

    purpose: str | None = None
    session_id: int | None = None

    @property
    def facilitator(self) -> bool:
        return self.purpose is None


def access_for(
    store: Store, login_id: str | None, query: dict[str, str], path: str | None = None
) -> Access | None:
    """The one access check, for the gate middleware and the dashboard script alike: a valid
    login, else a link for `path` (any link's page when `path` is None), else None."""
    if keys.login_valid(store, login_id):
        return Access()
    for purpose, page in PAGES.items():
        if path is not None and page != path:
            continue
        session_id = opens(store, page, query.get("session"), query.get("key"))
        if session_id is not None:
            return Access(purpose, session_id)
    return None
