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

from workshop.store import Store

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


def opens(store: Store, path: str, session: str | None, secret: str | None) -> int | None:
    """The session id a link opens at `path`, or None: the right page, session and secret."""
    purposes = [purpose for purpose, page in PAGES.items() if page == path]
    if not purposes or not session or not secret or len(secret) > 64:
        return None
    if not (session.isascii() and session.isdigit()):
        return None
    session_id = int(session)
    expected = store.link_hash(session_id, purposes[0])
    if expected is None or not hmac.compare_digest(expected, _hash(secret)):
        return None
    return session_id
