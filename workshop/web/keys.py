"""Keys, hashes and the facilitator's passcode. Nothing here stores anything readable.

- Two random keys, made once and kept in the database so that every app process sharing one
  database agrees: the participant key turns a phone's cookie token into the hash that names
  the participant; the cookie key signs the tokens the server issues. A leak of one is not a
  leak of the other.
- A participant is HMAC(participant key, session id + cookie token): the token is never stored.
  Only tokens this server issued (signed for that session's code) make a participant.
- The facilitator's passcode is kept only as a salted scrypt hash at OWASP's parameters; there
  is no default passcode, and an older, weaker hash is replaced at the next login.
- A facilitator's login is a random id in the cookie and its SHA-256 in the database, so logging
  out, or a new passcode, ends it at once everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass

from workshop.i18n import gettext as _
from workshop.i18n import ngettext
from workshop.store import Store

PASSCODE_SETTING = "facilitator_passcode"
SETUP_SETTING = "setup_token"
MINIMUM_PASSCODE_LENGTH = 8
LOGIN_LIFETIME_SECONDS = 12 * 3600


# Keys --------------------------------------------------------------------------------------------


def participant_key(store: Store) -> bytes:
    """The key of participant hashes (named "server_key" in the database since version 1, so
    that phones keep their place across an upgrade)."""
    return store.setting_or_create("server_key", lambda: secrets.token_urlsafe(32)).encode()


def cookie_key(store: Store) -> bytes:
    """The key that signs the participant tokens the server issues."""
    return store.setting_or_create("cookie_key", lambda: secrets.token_urlsafe(32)).encode()


# Participants ------------------------------------------------------------------------------------


def _token_signature(key: bytes, join_code: str, random_part: str) -> str:
    digest = hmac.new(key, f"participant:{join_code}:{random_part}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip("=")


def new_token(key: bytes, join_code: str) -> str:
    """A participant's cookie token for one session: random, and signed with the cookie key for
    the session's join code, so that a value the server never issued never makes a participant,
    and a phone's cookie shows it belongs to this code before any lookup."""
    random_part = secrets.token_urlsafe(24)
    return f"{random_part}.{_token_signature(key, join_code, random_part)}"


def token_issued(key: bytes, join_code: str, token: str | None) -> bool:
    """Whether `token` is one this server issued for this join code."""
    if not token or len(token) > 64 or token.count(".") != 1:
        return False
    random_part, signature = token.split(".")
    expected = _token_signature(key, join_code, random_part)
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def join_proof(key: bytes, join_code: str) -> str:
    """What the QR code adds to the join link (`?k=`): it shows a phone came from the room's
    screen, so it joins even while guesses at codes are being throttled."""
    digest = hmac.new(key, f"join:{join_code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def join_proof_matches(key: bytes, join_code: str, offered: str | None) -> bool:
    if not offered or len(offered) > 32:
        return False
    expected = join_proof(key, join_code)
    return hmac.compare_digest(expected.encode(), offered.encode("utf-8", "replace"))


def token_hash(key: bytes, session_id: int, token: str) -> str:
    return hmac.new(key, f"{session_id}:{token}".encode(), hashlib.sha256).hexdigest()


# The passcode ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's parameters: N = 2**log_n, r, p. Memory is 128 * r * N bytes (128 MiB here)."""

    log_n: int
    r: int
    p: int

    def derive(self, passcode: str, salt: bytes) -> bytes:
        memory = 128 * self.r * (2**self.log_n)
        with _SCRYPT_SLOTS:
            return hashlib.scrypt(
                passcode.encode(),
                salt=salt,
                n=2**self.log_n,
                r=self.r,
                p=self.p,
                maxmem=memory + 2**20,
                dklen=32,
            )

    def text(self) -> str:
        return f"ln={self.log_n},r={self.r},p={self.p}"


# OWASP's Password Storage Cheat Sheet: N=2^17, r=8, p=1 (about 0.7 s on a 2-core laptop).
OWASP_COST = ScryptCost(log_n=17, r=8, p=1)
CURRENT_COST = OWASP_COST
# What Tandem wrote before: a hash with no parameters in it was made with these.
FIRST_COST = ScryptCost(log_n=14, r=8, p=1)
# Each derivation holds 128 MiB for a fraction of a second: at most two at once, so a burst of
# login attempts cannot take the laptop's memory (the door's throttle refuses most before this).
_SCRYPT_SLOTS = threading.BoundedSemaphore(2)


def hash_passcode(passcode: str, cost: ScryptCost | None = None) -> str:
    cost = cost or CURRENT_COST
    salt = os.urandom(16)
    encode = base64.b64encode
    digest = cost.derive(passcode, salt)
    return f"scrypt${cost.text()}${encode(salt).decode()}${encode(digest).decode()}"


class UnreadablePasscode(RuntimeError):
    """The stored passcode hash is damaged: nobody can log in until a new one is chosen."""

    def __init__(self) -> None:
        # In the language spoken where it is raised: the login page's, or English at the
        # terminal (the command line speaks English).
        super().__init__(
            _(
                "The stored facilitator passcode cannot be read (the database may have been "
                "edited by hand). Choose a new one at the laptop with `workshop passcode`."
            )
        )


def _read_hash(stored: str) -> tuple[ScryptCost, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) == 3:  # scrypt$salt$digest, as written before the cost was recorded
        method, salt, digest = parts
        cost = FIRST_COST
    elif len(parts) == 4:
        method, parameters, salt, digest = parts
        named = dict(item.split("=", 1) for item in parameters.split(","))
        cost = ScryptCost(log_n=int(named["ln"]), r=int(named["r"]), p=int(named["p"]))
        if not (10 <= cost.log_n <= 20 and 1 <= cost.r <= 32 and 1 <= cost.p <= 16):
            raise ValueError(parameters)
    else:
        raise ValueError(stored)
    if method != "scrypt":
        raise ValueError(method)
    return cost, base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)


def passcode_matches(stored: str, passcode: str) -> bool:
    """Whether `passcode` is the one `stored` was made from; UnreadablePasscode if `stored`
    is not a hash this module wrote."""
    try:
        cost, salt, expected = _read_hash(stored)
    except (ValueError, KeyError):  # binascii.Error is a ValueError
        raise UnreadablePasscode() from None
    return hmac.compare_digest(cost.derive(passcode, salt), expected)


def needs_new_hash(stored: str) -> bool:
    """Whether a stored hash was made at a lower cost than today's (rehashed at next login)."""
    try:
        return _read_hash(stored)[0] != CURRENT_COST
    except (ValueError, KeyError):
        return True


def passcode_problem(passcode: str) -> str | None:
    """Why a new passcode is not acceptable, or None: in the language spoken (the setup page's,
    or English at the terminal)."""
    if len(passcode) < MINIMUM_PASSCODE_LENGTH:
        return ngettext(
            "Please use at least %(count)d character.",
            "Please use at least %(count)d characters.",
            MINIMUM_PASSCODE_LENGTH,
        ) % {"count": MINIMUM_PASSCODE_LENGTH}
    return None


def set_passcode(store: Store, passcode: str) -> None:
    """Choose a new passcode: every browser logged in with the old one is logged out, and
    every screen or remote-control link handed out with it ends."""
    problem = passcode_problem(passcode)
    if problem:
        raise ValueError(problem)
    store.put_setting(PASSCODE_SETTING, hash_passcode(passcode))
    store.end_all_logins()


def passcode_is_set(store: Store) -> bool:
    return store.setting(PASSCODE_SETTING) is not None


def check_passcode(store: Store, passcode: str) -> bool:
    """Whether `passcode` is the facilitator's; a right one kept at an older cost is rehashed
    at today's (the stored hash, not the logins, changes)."""
    stored = store.setting(PASSCODE_SETTING)
    if stored is None or not passcode_matches(stored, passcode):
        return False
    if needs_new_hash(stored):
        store.swap_setting(PASSCODE_SETTING, stored, hash_passcode(passcode))
    return True


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


# First run ---------------------------------------------------------------------------------------


def setup_token(store: Store) -> str | None:
    """The secret of the one-time setup link printed at start, while no passcode is set."""
    if passcode_is_set(store):
        return None
    # Every process sharing the database prints the same link.
    return store.setting_or_create(SETUP_SETTING, lambda: secrets.token_urlsafe(24))


def setup_token_matches(store: Store, offered: str) -> bool:
    expected = store.setting(SETUP_SETTING)
    return bool(expected) and hmac.compare_digest(expected.encode(), offered.encode())


def finish_setup(store: Store, passcode: str) -> None:
    """The first passcode, chosen through the setup link; the link then opens nothing."""
    set_passcode(store, passcode)
    store.delete_setting(SETUP_SETTING)


# Logins ------------------------------------------------------------------------------------------


def _login_hash(login_id: str) -> str:
    return hashlib.sha256(login_id.encode("utf-8", "replace")).hexdigest()


def new_login(store: Store) -> str:
    """A new facilitator login: the random id for the cookie (only its hash is stored)."""
    login_id = secrets.token_urlsafe(32)
    store.add_login(_login_hash(login_id), store.clock() + LOGIN_LIFETIME_SECONDS)
    return login_id


def login_valid(store: Store, login_id: str | None) -> bool:
    """Whether a cookie's login id is one that is logged in now (not ended, not expired)."""
    if not isinstance(login_id, str) or not login_id or len(login_id) > 64:
        return False
    return store.login_alive(_login_hash(login_id))


def end_login(store: Store, login_id: str | None) -> None:
    if login_id and len(login_id) <= 64:
        store.end_login(_login_hash(login_id))
