"""Keys, hashes and the facilitator's passcode. Nothing here stores anything readable.

- The server key is random, made once and kept in the database, so that every app process
  sharing one database signs and hashes alike.
- A participant is HMAC(server key, session id + cookie token): the token itself is never stored.
- The facilitator's passcode is kept only as a salted scrypt hash; there is no default passcode.
- The facilitator's login cookie is signed with the server key and expires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time

from workshop.store import Store

PASSCODE_SETTING = "facilitator_passcode"
MINIMUM_PASSCODE_LENGTH = 8
LOGIN_LIFETIME_SECONDS = 12 * 3600


def server_key(store: Store) -> bytes:
    text = store.setting_or_create("server_key", lambda: secrets.token_urlsafe(32))
    return text.encode()


def new_token() -> str:
    """A participant's random cookie token: unguessable, and meaningless outside one session."""
    return secrets.token_urlsafe(24)


def token_hash(key: bytes, session_id: int, token: str) -> str:
    return hmac.new(key, f"{session_id}:{token}".encode(), hashlib.sha256).hexdigest()


def _scrypt(passcode: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passcode.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)


def hash_passcode(passcode: str) -> str:
    salt = os.urandom(16)
    encode = base64.b64encode
    return f"scrypt${encode(salt).decode()}${encode(_scrypt(passcode, salt)).decode()}"


class UnreadablePasscode(RuntimeError):
    """The stored passcode hash is damaged: nobody can log in until a new one is chosen."""

    def __init__(self) -> None:
        super().__init__(
            "The stored facilitator passcode cannot be read (the database may have been "
            "edited by hand). Choose a new one at the laptop with `workshop passcode`."
        )


def passcode_matches(stored: str, passcode: str) -> bool:
    """Whether `passcode` is the one `stored` was made from; UnreadablePasscode if `stored`
    is not a hash this module wrote."""
    try:
        method, salt, digest = stored.split("$")
        if method != "scrypt":
            raise ValueError(method)
        expected = base64.b64decode(digest, validate=True)
        salt_bytes = base64.b64decode(salt, validate=True)
    except ValueError:  # binascii.Error is one
        raise UnreadablePasscode() from None
    return hmac.compare_digest(_scrypt(passcode, salt_bytes), expected)


def passcode_problem(passcode: str) -> str | None:
    """Why a new passcode is not acceptable, or None."""
    if len(passcode) < MINIMUM_PASSCODE_LENGTH:
        return f"Please use at least {MINIMUM_PASSCODE_LENGTH} characters."
    return None


def set_passcode(store: Store, passcode: str) -> None:
    problem = passcode_problem(passcode)
    if problem:
        raise ValueError(problem)
    store.put_setting(PASSCODE_SETTING, hash_passcode(passcode))


def passcode_is_set(store: Store) -> bool:
    return store.setting(PASSCODE_SETTING) is not None


def check_passcode(store: Store, passcode: str) -> bool:
    stored = store.setting(PASSCODE_SETTING)
    return stored is not None and passcode_matches(stored, passcode)


def adopt_environment_passcode(store: Store) -> None:
    """WORKSHOP_PASSCODE, if set, becomes the passcode (stored hashed) unless it already is."""
    passcode = os.environ.get("WORKSHOP_PASSCODE")
    if not passcode:
        return
    try:
        already = check_passcode(store, passcode)
    except UnreadablePasscode:
        already = False  # a damaged hash is replaced by the passcode configured
    if not already:
        set_passcode(store, passcode)


def login_cookie(key: bytes, now: float | None = None) -> str:
    expires = int((now or time.time()) + LOGIN_LIFETIME_SECONDS)
    signature = hmac.new(key, f"facilitator:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{signature}"


def login_cookie_valid(key: bytes, cookie: str | None, now: float | None = None) -> bool:
    if not cookie or "." not in cookie:
        return False
    expires, signature = cookie.split(".", 1)
    if not (expires.isascii() and expires.isdigit()) or int(expires) < (now or time.time()):
        return False
    expected = hmac.new(key, f"facilitator:{expires}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
