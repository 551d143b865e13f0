"""Issue 7 measured again: a room of phones answering while other processes open the database,
then a crash. Do confirmed answers survive, and does any phone see an error?

    .venv/bin/python bench/outsiders.py [--phones 400] [--runs 3] [--seconds 6] [--threads 8]
        [--session-first]

It measures the Tandem checkout in the current working directory (its `workshop` package and
its `streamlit_app.py`); docs/decisions.md keeps the figures of the code before the fix.

Each run:
1. starts a real server on 127.0.0.1 with its own SQLite file in a temporary folder, and starts a
   session on a one-question deck from a short-lived store that is closed again (activity
   "colour" open); with --session-first the session is started before the server instead, so
   the first other process to open and close the database is `workshop init`;
2. `--phones` phones arrive spread over `--seconds` seconds, served by `--threads` client
   threads; each phone has its own cookie jar, joins (GET /j/CODE), answers (POST /j/CODE: a
   303 reply means the answer was stored) and follows the redirect to its thank-you page;
3. meanwhile, beside the server, `workshop init` and `workshop passcode` (the passcode piped in)
   run in processes of their own, and a plain sqlite3 connection opens, reads and closes the
   database, one after another;
4. the server is killed with SIGKILL, and the database is read back: a fresh Store finds each
   phone's participant by its cookie, and SQLite checks the file (PRAGMA integrity_check).

Prints one line per run (answers confirmed and thanked, HTTP 5xx replies and connection errors
among all requests, answers stored afterwards, confirmed answers lost and when they had been
confirmed, the integrity check), under it when each outside process ran and how it ended and the
SQLite errors the server logged, then a summary. Times are seconds after the first phone.
Prints figures; asserts nothing. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import re
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

PROJECT = Path.cwd()
if not (PROJECT / "workshop" / "store").is_dir():
    sys.exit(f"Run this from a Tandem checkout: {PROJECT} has no workshop/store/.")
sys.path.insert(0, str(PROJECT))

import harness  # noqa: E402

import workshop  # noqa: E402
from workshop.curriculum.decks import parse_deck  # noqa: E402
from workshop.room import live  # noqa: E402
from workshop.store import Store  # noqa: E402
from workshop.testing.server import Server, run_workshop  # noqa: E402
from workshop.web import keys  # noqa: E402

ACTIVITY = "colour"  # the deck's one single choice, and the form field it reads
FIELD = "choice"
DECK = {
    "id": "one-question",
    "title": "One question",
    "activities": [
        {"id": "hello", "kind": "info", "title": "Hello", "minutes": 1},
        {
            "id": ACTIVITY,
            "kind": "single_choice",
            "title": "Pick a colour",
            "minutes": 2,
            "options": ["Red", "Green", "Blue"],
        },
    ],
}
PASSCODE_LINES = "another-passcode\nanother-passcode\n"
# The other processes, one after another, and when each starts as a share of the phones'
# arrival time, so that phones answer before, between and after them.
OUTSIDERS = ("workshop init", "workshop passcode", "sqlite3 read")
OUTSIDER_STARTS = (0.15, 0.40, 0.65)
SQLITE_ERROR = re.compile(r"(sqlite3\.\w+Error: .+)$")


@dataclass
class Phone:
    """One participant's phone: its own cookie jar, and what it saw."""

    number: int
    client: httpx2.Client
    token: str | None = None
    confirmed: bool = False  # the answer's POST was answered with 303
    confirmed_at: float = 0.0  # when, by time.monotonic()
    thanked: bool = False  # and the page it led to said "your answer is in"
    kept: bool = False  # found in the database after the kill, with this phone's choice
    replies: list[int] = field(default_factory=list)  # the status of every request
    unexpected: int = 0  # replies other than 200 for a page and 303 for the answer
    connection_errors: int = 0

    @property
    def choice(self) -> int:
        return self.number % 3

    def request(self, method: str, path: str, expected: int, **options) -> httpx2.Response | None:
        try:
            reply = self.client.request(method, path, **options)
        except httpx2.HTTPError:  # a broken or refused connection is as bad as a 500
            self.connection_errors += 1
            return None
        self.replies.append(reply.status_code)
        if reply.status_code != expected:
            self.unexpected += 1
        return reply

    def join_and_answer(self, code: str) -> None:
        joined = self.request("GET", f"/j/{code}", 200)
        self.token = self.client.cookies.get("tandem")
        if joined is None or joined.status_code != 200 or self.token is None:
            return  # not joined: an answer now would only be sent back to join first
        form = {"activity": ACTIVITY, FIELD: str(self.choice)}
        answered = self.request("POST", f"/j/{code}", 303, data=form)
        if answered is None or answered.status_code != 303:
            return
        self.confirmed = True
        self.confirmed_at = time.monotonic()
        thanks = self.request("GET", answered.headers["location"], 200)
        self.thanked = thanks is not None and "your answer is in" in thanks.text


@dataclass
class Outsider:
    """Another process that opened the database while the phones answered."""

    name: str
    started: float = 0.0  # seconds after the first phone
    seconds: float = 0.0
    outcome: str = "not run"


@dataclass
class RunFigures:
    phones: int
    seconds: float  # from the first phone's arrival to the last phone's last reply
    joined: int
    confirmed: int
    thanked: int
    requests: int
    server_errors: int  # HTTP 5xx
    connection_errors: int
    unexpected: int  # any other reply than the one expected (5xx included)
    stored: int  # confirmed answers found in the database after the kill, with their choice
    lost: int  # confirmed, yet not found afterwards
    lost_between: tuple[float, float] | None  # when the lost answers were confirmed (seconds)
    unreadable: str  # why the database could not be read back, if it could not
    integrity: str
    outsiders: list[Outsider]
    logged_errors: collections.Counter


def workshop_command(database_url: str, *arguments: str, stdin: str = "") -> str:
    """Run the checkout's `workshop` command beside the server; 'ok' or what went wrong."""
    finished = run_workshop(database_url, *arguments, stdin=stdin)
    if finished.returncode == 0:
        return "ok"
    last_line = (finished.stderr.strip().splitlines() or ["(no message)"])[-1]
    return f"exit {finished.returncode}: {last_line[:120]}"


def plain_sqlite_read(database: Path) -> str:
    """What a backup script or the sqlite3 shell does: open, read, close."""
    try:
        with contextlib.closing(sqlite3.connect(database)) as connection:
            connection.execute("SELECT count(*) FROM answers").fetchone()
    except sqlite3.Error as error:
        return f"{type(error).__name__}: {error}"
    return "ok"


def run_outsiders(server: Server, outsiders: list[Outsider], began: float, spread: float) -> None:
    actions = [
        lambda: workshop_command(server.database_url, "init"),
        lambda: workshop_command(server.database_url, "passcode", stdin=PASSCODE_LINES),
        lambda: plain_sqlite_read(server.database),
    ]
    for outsider, action, share in zip(outsiders, actions, OUTSIDER_STARTS, strict=True):
        time.sleep(max(0.0, began + share * spread - time.monotonic()))
        outsider.started = time.monotonic() - began
        try:
            outsider.outcome = action()
        except Exception as error:  # a benchmark reports, never stops
            outsider.outcome = f"{type(error).__name__}: {error}"
        outsider.seconds = time.monotonic() - began - outsider.started


def start_session(database_url: str, *, migrate: bool = False) -> live.Live:
    """The facilitator starts the session from a store of its own, closed again at once.

    `migrate` creates the tables first, for a database no server has opened yet.
    """
    store = Store(database_url)
    try:
        if migrate:
            store.migrate()
        # "colour", a single choice, opened now; a large room expected, so that its phones
        # may all join at once.
        return harness.start_session(
            store, parse_deck(DECK), index=1, headcount=live.MOST_PEOPLE, threshold=1
        )
    finally:
        store.close()


def find_kept_answers(database_url: str, session_id: int, phones: list[Phone]) -> str:
    """Mark the phones whose confirmed answer a fresh store finds; why none can be, if so."""
    store = Store(database_url)
    try:
        key = keys.participant_key(store)
        for phone in phones:
            if not phone.confirmed:
                continue
            hashed = keys.token_hash(key, session_id, phone.token)
            participant_id = store.participant(session_id, hashed)
            if participant_id is None:
                continue
            answer = store.answer_of(session_id, ACTIVITY, participant_id)
            phone.kept = answer is not None and answer.value == phone.choice
        return ""
    except Exception as error:  # a broken database is a figure too
        return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        store.close()


def integrity_of(database: Path) -> str:
    try:
        with contextlib.closing(sqlite3.connect(database)) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as error:
        return f"{type(error).__name__}: {error}"
    if rows == [("ok",)]:
        return "ok"
    return f"{len(rows)} problems, first: {rows[0][0][:100]}"


def logged_sqlite_errors(log: Path) -> collections.Counter:
    errors: collections.Counter = collections.Counter()
    for line in log.read_text(errors="replace").splitlines():
        found = SQLITE_ERROR.search(line)
        if found:
            errors[found.group(1)] += 1
    return errors


def one_run(
    phone_count: int, spread: float, thread_count: int, *, session_first: bool
) -> RunFigures:
    with harness.temporary_folder("tandem-outsiders-") as folder:
        server = Server(folder)
        if session_first:  # no other process closes the database before the phones arrive
            session = start_session(server.database_url, migrate=True)
        server.start()
        phones: list[Phone] = []
        try:
            if not session_first:
                session = start_session(server.database_url)
            code = session.row.join_code
            phones = [
                Phone(number, harness.phone(server.url, timeout=60))
                for number in range(phone_count)
            ]
            outsiders = [Outsider(name) for name in OUTSIDERS]
            began = time.monotonic()

            def serve(share: list[Phone]) -> None:
                for phone in share:  # phones arrive evenly over the spread
                    time.sleep(
                        max(0.0, began + phone.number * spread / phone_count - time.monotonic())
                    )
                    phone.join_and_answer(code)

            workers = [
                threading.Thread(target=serve, args=(phones[start::thread_count],))
                for start in range(thread_count)
            ]
            workers.append(
                threading.Thread(target=run_outsiders, args=(server, outsiders, began, spread))
            )
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.monotonic() - began
        finally:
            server.kill()  # as a crash or a power cut would
            for phone in phones:
                phone.client.close()
        integrity = integrity_of(server.database)
        unreadable = find_kept_answers(server.database_url, session.id, phones)
        confirmed = sum(phone.confirmed for phone in phones)
        stored = sum(phone.kept for phone in phones)
        lost_at = [
            phone.confirmed_at - began for phone in phones if phone.confirmed and not phone.kept
        ]
        replies = [status for phone in phones for status in phone.replies]
        return RunFigures(
            phones=phone_count,
            seconds=elapsed,
            joined=sum(phone.token is not None for phone in phones),
            confirmed=confirmed,
            thanked=sum(phone.thanked for phone in phones),
            requests=len(replies) + sum(phone.connection_errors for phone in phones),
            server_errors=sum(status >= 500 for status in replies),
            connection_errors=sum(phone.connection_errors for phone in phones),
            unexpected=sum(phone.unexpected for phone in phones),
            stored=stored,
            lost=confirmed - stored,
            lost_between=(min(lost_at), max(lost_at)) if lost_at else None,
            unreadable=unreadable,
            integrity=integrity,
            outsiders=outsiders,
            logged_errors=logged_sqlite_errors(server.log),
        )


def describe(number: int, figures: RunFigures) -> str:
    stored = f"stored {figures.stored}" if not figures.unreadable else figures.unreadable
    lost = f"lost {figures.lost}"
    if figures.lost_between:
        first, last = figures.lost_between
        lost += f" (confirmed {first:.1f}-{last:.1f} s)"
    return (
        f"run {number}: {figures.phones} phones in {figures.seconds:.1f} s: "
        f"joined {figures.joined}, confirmed {figures.confirmed} (thanked {figures.thanked}); "
        f"of {figures.requests} requests HTTP 5xx {figures.server_errors}, "
        f"connection errors {figures.connection_errors}, "
        f"other unexpected {figures.unexpected - figures.server_errors}; "
        f"after the kill: {stored}, {lost}, integrity {figures.integrity}"
    )


def describe_outsiders(figures: RunFigures) -> str:
    return "    beside it: " + ", ".join(
        f"{outsider.name} {outsider.started:.1f}-{outsider.started + outsider.seconds:.1f} s "
        f"{outsider.outcome}"
        for outsider in figures.outsiders
    )


def spread_of(values: list[int]) -> str:
    return f"{min(values)}" if min(values) == max(values) else f"{min(values)}-{max(values)}"


def checkout_name() -> str:
    described = subprocess.run(
        ["git", "-C", str(PROJECT), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "-C", str(PROJECT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if len(described) > 70:
        described = described[:67] + "..."
    return f"{described}{' (with uncommitted changes)' if changed else ''}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0, help="how long phones arrive for")
    parser.add_argument("--threads", type=int, default=8, help="client threads for the phones")
    parser.add_argument(
        "--session-first",
        action="store_true",
        help="start the session before the server, so workshop init is the first other process",
    )
    arguments = parser.parse_args()

    print(f"Checkout: {PROJECT} ({Path(workshop.__file__).parent})")
    print(f"  at {checkout_name()}")
    print(
        f"{arguments.phones} phones over {arguments.seconds:g} s from {arguments.threads} "
        f"threads, while workshop init, workshop passcode and a sqlite3 reader open the "
        f"database; then SIGKILL."
    )
    if arguments.session_first:
        print("The session is started before the server (--session-first).")
    runs: list[RunFigures] = []
    for number in range(1, arguments.runs + 1):
        figures = one_run(
            arguments.phones,
            arguments.seconds,
            arguments.threads,
            session_first=arguments.session_first,
        )
        runs.append(figures)
        print(describe(number, figures))
        print(describe_outsiders(figures), flush=True)
        for message, count in figures.logged_errors.most_common(4):
            print(f"    server log: {count} x {message[:110]}")

    print(f"Summary of {len(runs)} runs:")
    print(f"  phones joined                  {spread_of([run.joined for run in runs])}")
    print(f"  answers confirmed (303)        {spread_of([run.confirmed for run in runs])}")
    print(f"  requests with HTTP 5xx         {spread_of([run.server_errors for run in runs])}")
    print(f"  connection errors              {spread_of([run.connection_errors for run in runs])}")
    print(f"  confirmed answers stored       {spread_of([run.stored for run in runs])}")
    print(f"  confirmed answers lost         {spread_of([run.lost for run in runs])}")
    sound = sum(run.integrity == "ok" for run in runs)
    print(f"  integrity_check ok             {sound} of {len(runs)}")
    failed = sum(outsider.outcome != "ok" for run in runs for outsider in run.outsiders)
    print(f"  outside processes that failed  {failed} of {len(OUTSIDERS) * len(runs)}")


if __name__ == "__main__":
    main()
