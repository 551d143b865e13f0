"""The plain-app floor: the least a server can do for a room of phones, on Tandem's server stack.

    .venv/bin/python bench/floor.py --port PORT --database PATH

A plain Starlette app served by uvicorn (as `streamlit run` serves Tandem), with the same shape
of pages as Tandem's phone pages so that bench/room.py drives both with the same phones:

    GET  /f/<CODE>        join (a random cookie, a participant row) and see the question, or,
                          once answered, the room's counts (one GROUP BY)
    POST /f/<CODE>        store the answer (SQLite, WAL, synchronous=FULL as Tandem's), 303
    GET  /f/<CODE>/wait   long poll: returns when the room's version moves, or after 25 s;
                          with ?a=<activity> of another than the room's, the new page with it
    POST /f/<CODE>/next   the facilitator's action in this process: wakes the waiters at once

An action written to the database by another process is seen by a watcher that reads the
room's version every tenth of a second (one query), as Tandem's does. Nothing is logged (no access
log), and nothing about a phone is kept but a random token.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import os
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

WAIT_SECONDS = 25.0
WATCH_SECONDS = 0.1  # Tandem's WATCH_INTERVAL (workshop/web/participant/waiting.py)
QUESTIONS = {  # activity: options
    "first": ["Yes", "Not yet"],
    "second": ["1", "2", "3", "4", "5"],
    "third": ["True", "False", "Unsure"],
}
ORDER = list(QUESTIONS)
SCHEMA = """
CREATE TABLE IF NOT EXISTS room (code TEXT PRIMARY KEY, version INTEGER, position INTEGER);
CREATE TABLE IF NOT EXISTS participants (id INTEGER PRIMARY KEY, code TEXT, token TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS answers (
    participant INTEGER, activity TEXT, value INTEGER, PRIMARY KEY (participant, activity));
"""


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def create_room(path: Path, code: str) -> None:
    """The room, on its first question, before the app starts (or from another process)."""
    with contextlib.closing(connect(path)) as connection:
        connection.executescript(SCHEMA)
        connection.execute("INSERT OR REPLACE INTO room VALUES (?, 1, 0)", (code,))


def advance(path: Path, code: str) -> None:
    """The facilitator's next question, written from another process."""
    with contextlib.closing(connect(path)) as connection:
        connection.execute(
            "UPDATE room SET version = version + 1, position = position + 1 WHERE code = ?",
            (code,),
        )


class Floor:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.events: dict[str, asyncio.Event] = {}
        self.versions: dict[str, int] = {}

    @property
    def db(self) -> sqlite3.Connection:
        """One connection per worker thread."""
        if not hasattr(self.local, "connection"):
            self.local.connection = connect(self.path)
        return self.local.connection

    def room(self, code: str) -> tuple[int, str] | None:
        row = self.db.execute("SELECT version, position FROM room WHERE code = ?", (code,))
        found = row.fetchone()
        return (found[0], ORDER[min(found[1], len(ORDER) - 1)]) if found else None

    def participant(self, token: str | None) -> int | None:
        if not token:
            return None
        row = self.db.execute("SELECT id FROM participants WHERE token = ?", (token,)).fetchone()
        return row[0] if row else None

    def page(self, code: str, token: str | None) -> Response:
        room = self.room(code)
        if room is None:
            return HTMLResponse("<p>No such room.</p>", status_code=404)
        version, activity = room
        new_token = None
        participant = self.participant(token)
        if participant is None:
            new_token = secrets.token_urlsafe(24)
            cursor = self.db.execute(
                "INSERT INTO participants (code, token) VALUES (?, ?)", (code, new_token)
            )
            participant = cursor.lastrowid
        answered = self.db.execute(
            "SELECT 1 FROM answers WHERE participant = ? AND activity = ?",
            (participant, activity),
        ).fetchone()
        if answered:
            counts = dict(
                self.db.execute(
                    "SELECT value, count(*) FROM answers WHERE activity = ? GROUP BY value",
                    (activity,),
                ).fetchall()
            )
            lines = "".join(
                f"<li>{html.escape(option)}: {counts.get(index, 0)}</li>"
                for index, option in enumerate(QUESTIONS[activity])
            )
            body = f"<p>Thank you, your answer is in.</p><ul>{lines}</ul>"
        else:
            options = "".join(
                f'<label><input type="radio" name="choice" value="{index}"> '
                f"{html.escape(option)}</label>"
                for index, option in enumerate(QUESTIONS[activity])
            )
            body = (
                f'<form method="post" action="/f/{code}" class="answer">'
                f'<input type="hidden" name="activity" value="{activity}">{options}'
                '<button type="submit" name="send" value="1">Send</button></form>'
            )
        page = (
            f'<!doctype html><html><body data-code="{code}" data-version="{version}" '
            f'data-activity="{activity}" data-status="open"><main><h1>{activity}</h1>'
            f"{body}</main></body></html>"
        )
        response = HTMLResponse(page)
        if new_token:
            response.set_cookie("floor", new_token, path=f"/f/{code}", httponly=True)
        return response

    def store(self, code: str, token: str | None, form: dict[str, str]) -> Response:
        participant = self.participant(token)
        if participant is None:
            return RedirectResponse(f"/f/{code}", status_code=303)
        self.db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
            (participant, form.get("activity", ""), int(form.get("choice", "0"))),
        )
        return RedirectResponse(f"/f/{code}", status_code=303)

    def next(self, code: str) -> None:
        self.db.execute(
            "UPDATE room SET version = version + 1, position = position + 1 WHERE code = ?",
            (code,),
        )

    def wake(self, code: str, version: int) -> None:
        self.versions[code] = version
        event = self.events.pop(code, None)
        if event:
            event.set()

    async def watch(self) -> None:
        """Every tenth of a second, one query: actions written by other processes wake the room."""
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            for code in list(self.events):
                room = await run_in_threadpool(self.room, code)
                if room and room[0] != self.versions.get(code):
                    self.wake(code, room[0])

    # Routes ----------------------------------------------------------------------------------

    async def show(self, request: Request) -> Response:
        code = request.path_params["code"]
        return await run_in_threadpool(self.page, code, request.cookies.get("floor"))

    async def answer(self, request: Request) -> Response:
        code = request.path_params["code"]
        # Read as a plain urlencoded body: no form library needed.
        body = (await request.body()).decode("utf-8", "replace")
        form = {key: values[0] for key, values in parse_qs(body).items()}
        return await run_in_threadpool(self.store, code, request.cookies.get("floor"), form)

    async def wait(self, request: Request) -> Response:
        code = request.path_params["code"]
        room = await run_in_threadpool(self.room, code)
        if room is None:
            return JSONResponse({"gone": True}, status_code=404)
        self.versions.setdefault(code, room[0])
        if request.query_params.get("v") == str(room[0]):
            event = self.events.setdefault(code, asyncio.Event())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), WAIT_SECONDS)
            room = await run_in_threadpool(self.room, code)
        version, activity = room
        state = {"version": version, "activity": activity, "status": "open"}
        showing = request.query_params.get("a")
        if showing is not None and showing != activity:
            # As Tandem's long poll: a move comes with the phone's new page.
            page = await run_in_threadpool(self.page, code, request.cookies.get("floor"))
            state["page"] = bytes(page.body).decode()
        return JSONResponse(state)

    async def facilitator_next(self, request: Request) -> Response:
        code = request.path_params["code"]
        await run_in_threadpool(self.next, code)
        room = await run_in_threadpool(self.room, code)
        self.wake(code, room[0])
        return Response(status_code=204)


def make_app(path: Path) -> Starlette:
    floor = Floor(path)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        task = asyncio.get_running_loop().create_task(floor.watch())
        yield
        task.cancel()

    return Starlette(
        routes=[
            Route("/f/{code}", floor.show, methods=["GET"]),
            Route("/f/{code}", floor.answer, methods=["POST"]),
            Route("/f/{code}/wait", floor.wait, methods=["GET"]),
            Route("/f/{code}/next", floor.facilitator_next, methods=["POST"]),
            Route("/health", lambda request: Response("ok"), methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", type=Path, required=True)
    arguments = parser.parse_args()
    parent = os.getppid()

    def leave_with_parent() -> None:
        """A benchmark killed without its clean-up must not leave this server behind."""
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=leave_with_parent, daemon=True).start()
    uvicorn.run(
        make_app(arguments.database),
        host="127.0.0.1",
        port=arguments.port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,  # parked long polls need not hold a benchmark up
    )


if __name__ == "__main__":
    main()
