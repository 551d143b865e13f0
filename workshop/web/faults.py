"""When the database does not answer: a plain "try again" page instead of a crash.

PostgreSQL restarting, a network blip or a full disk makes the store raise SQLAlchemy's
OperationalError. On the phone pages (/j/...) and the facilitator's login pages
(/facilitator/...) `DatabaseFaults` turns that into a 503 page in plain words that reloads itself
every few seconds (JSON for the phones' long poll), so the room carries on by itself once the
database is back; the store replaces the connections the server closed
(workshop/store/database.py). Nothing is lost meanwhile: an answer is acknowledged only once it
is stored. The dashboard shows `database_trouble_message` with st.error.

The page never shows a stack trace or the database's address, and the one line logged names
the problem, never a participant's address or browser.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from typing import TextIO

from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop.store import sqlite_database_file
from workshop.store.sqlite_file import sqlite_storage_error

RETRY_SECONDS = 5
# The paths whose errors are ours to explain: the phone pages and the facilitator's login.
GUARDED_PREFIXES = ("/j/", "/facilitator/")
# Problems of the database, not of Tandem: worth a "try again". IntegrityError, ProgrammingError
# and the like are bugs and keep their usual 500 and traceback.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
)

# Like the other phone pages (templates/base.html and message.html), but standalone: nothing of
# it needs the database, and nothing inline, so the pages' strict Content-Security-Policy holds.
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="{seconds}">
<title>One moment</title>
<link rel="stylesheet" href="/j/assets/tandem.css">
</head>
<body>
<main>
<p class="eyebrow">Tandem</p>
<h1>One moment</h1>
<p>The workshop's database is not answering right now. Your answers so far are safe; this page
will try again in a few seconds.</p>
{more}</main>
</body>
</html>
"""
NOT_SENT = (
    "<p>The answer you just sent has not been saved yet: please send it again when the question "
    "is back.</p>\n"
)


def is_database_trouble(error: BaseException) -> bool:
    """Whether `error` means the database is unreachable, down, locked or full (not a bug)."""
    if isinstance(error, DATABASE_ERRORS):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _driver_error(error: BaseException) -> BaseException:
    """The database driver's own exception inside SQLAlchemy's wrapper, if there is one."""
    original = getattr(error, "orig", None)
    return original if isinstance(original, BaseException) else error


def describe(error: BaseException) -> str:
    """A few words naming the problem, for the log and the dashboard: no address, no query."""
    original = _driver_error(error)
    if isinstance(error, PoolTimeoutError):
        return "every connection to it is busy"
    text = str(original).lower()
    if isinstance(original, sqlite3.Error):
        name = getattr(original, "sqlite_errorname", "")
        if name == "SQLITE_FULL" or "disk is full" in text:
            return "the disk holding it is full"
        if name.startswith("SQLITE_READONLY") or "readonly database" in text:
            return "its file cannot be written"
        if name.startswith("SQLITE_BUSY") or "locked" in text:
            return "another program keeps it locked"
        if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
            return "its file cannot be opened"
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            return "the disk reported an error"
    if isinstance(original, OSError) and original.errno == errno.ENOSPC:
        return "the disk holding it is full"
    if "refused" in text:
        return "it refused the connection"
    if "terminat" in text or "closed" in text or "lost" in text or "broken" in text:
        return "it closed the connection"
    if "timeout" in text or "timed out" in text:
        return "it did not answer in time"
    if "no such host" in text or "name or service not known" in text or "resolve" in text:
        return "its host name is not known"
    if "starting up" in text or "shutting down" in text or "recovery" in text:
        return "it is starting up or shutting down"
    return f"{type(original).__name__}"


def database_trouble_message(error: BaseException) -> str:
    """What the facilitator's dashboard says (with st.error) when the database fails."""
    problem = describe(error)
    if problem == "the disk holding it is full":
        advice = (
            "Free some space on that disk; nothing the room sent before is lost, and answers "
            "sent meanwhile were refused, not half-saved."
        )
    elif problem in {"its file cannot be written", "its file cannot be opened"}:
        advice = (
            "Check that the user running Tandem may write to the database's folder and file; "
            "nothing the room sent before is lost."
        )
    else:
        advice = (
            "The room's answers so far are safe. If this lasts, check that the database server "
            "is running; Tandem reconnects by itself once it answers."
        )
    return (
        f"The workshop's database is not answering right now ({problem}). {advice} "
        "Reload this page in a few seconds: it works again as soon as the database does."
    )


def startup_problem(url: str, error: BaseException) -> str:
    """One sentence for the person starting Tandem when the database fails at once."""
    database = sqlite_database_file(url)
    if database is not None:
        storage = sqlite_storage_error(database, error)
        if storage is not None:
            return str(storage)
        return (
            f"Tandem cannot use its database {database} ({describe(error)}): check that file "
            "and its folder, or keep the database elsewhere with "
            "WORKSHOP_DATABASE_URL=sqlite:////a/writable/folder/tandem.db."
        )
    shown = make_url(url).render_as_string(hide_password=True)
    return (
        f"Tandem cannot reach its database at {shown} ({describe(error)}): start that "
        "database server, or set WORKSHOP_DATABASE_URL to one that runs, and try again."
    )


class _Reporter:
    """Writes one line when the database fails; repeated failures within `quiet_seconds` are
    counted into the next line instead of flooding the log (a room of phones retries together).

    No "answering again" line: a guarded page that succeeds may not have needed the database
    (the stylesheet, the code form), so it would be a guess.
    """

    def __init__(
        self, stream: Callable[[], TextIO], quiet_seconds: float, clock: Callable[[], float]
    ) -> None:
        self.stream = stream
        self.quiet_seconds = quiet_seconds
        self.clock = clock
        self.last_line_at: float | None = None
        self.unreported = 0

    def _write(self, line: str) -> None:
        print(line, file=self.stream(), flush=True)

    def failed(self, error: BaseException, where: str) -> None:
        now = self.clock()
        if self.last_line_at is not None and now - self.last_line_at < self.quiet_seconds:
            self.unreported += 1
            return
        more = f" ({self.unreported} more since the last line)" if self.unreported else ""
        # Fixed words and the driver's class name only: its message may hold the server's
        # address, and nothing here knows the phone's.
        original = type(_driver_error(error))
        self._write(
            f"Database not answering ({describe(error)}; {original.__module__}."
            f"{original.__qualname__}): {where} got the 'try again' page{more}."
        )
        self.last_line_at = now
        self.unreported = 0


class DatabaseFaults:
    """ASGI middleware: a database failure on a guarded path becomes a 503 that retries.

    Guarded are the phone pages (/j...), the facilitator's login (/facilitator/...) and any exact
    `pages` given (the dashboard's own page paths, whose login check reads the database). Any
    other exception, any other path and every non-http scope (websocket, lifespan) pass through
    untouched; an error after the response has started is raised again, as it cannot be
    answered any more.
    """

    def __init__(
        self,
        app: ASGIApp,
        pages: Iterable[str] = (),
        *,
        quiet_seconds: float = 10.0,
        stream: Callable[[], TextIO] = lambda: sys.stderr,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.pages = frozenset(pages)
        self.reporter = _Reporter(stream, quiet_seconds, clock)

    def _guarded(self, path: str) -> bool:
        return path in self.pages or path == "/j" or path.startswith(GUARDED_PREFIXES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        if not self._guarded(path):
            await self.app(scope, receive, send)
            return

        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as error:
            if started or not is_database_trouble(error):
                raise
            self.reporter.failed(error, _where(path))
            await _retry_response(path, scope["method"])(scope, receive, send)


def _where(path: str) -> str:
    if path.startswith("/j"):
        return "a phone"
    if path.startswith("/facilitator/"):
        return "the facilitator's login"
    return "a dashboard page"


def _retry_response(path: str, method: str) -> Response:
    headers = {"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"}
    if path.startswith("/j/") and path.endswith("/wait"):
        # The phone's long poll: its script waits and asks again.
        return JSONResponse({"retry": True}, status_code=503, headers=headers)
    more = NOT_SENT if method == "POST" and path.startswith("/j/") else ""
    return HTMLResponse(
        PAGE.format(seconds=RETRY_SECONDS, more=more), status_code=503, headers=headers
    )
