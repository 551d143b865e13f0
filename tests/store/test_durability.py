"""A confirmed answer is never lost, whatever else opens the database.

A real server serves a room while other processes touch the same database one after another
(`workshop init`, `workshop passcode`, a plain sqlite3 reader, the facilitator's actions from
this test process); then the server is killed with SIGKILL, as a crash would. Every answer a
phone saw confirmed must be in the database, and the database must be sound.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2

from tests.conftest import postgres_schema, small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.server import Server, run_workshop
from workshop.web import keys

PHONES = 8
# The two activities of the small deck the phones answer, and the form field each one reads.
FIELDS = {"colour": "choice", "weather": "point"}


class Room:
    """Phones answering the current activity over and over, from a thread of their own."""

    def __init__(self, server: Server, session: live.Live) -> None:
        self.session = session
        self.code = session.row.join_code
        # The activity on screen, set by the test as the facilitator moves the room along.
        self.activity_id = "colour"
        self.phones = [httpx2.Client(base_url=server.url, timeout=60) for _ in range(PHONES)]
        # (phone, activity) -> the last choice the phone saw confirmed with a thank-you page.
        self.confirmed: dict[tuple[int, str], int] = {}
        self.problems: list[str] = []
        self.thanked = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._answer_until_stopped, daemon=True)

    def join(self) -> None:
        for phone in self.phones:
            reply = phone.get(f"/j/{self.code}")
            assert reply.status_code == 200, reply.text

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        for phone in self.phones:
            phone.close()

    def answer_once(self, activity_id: str, choice: int) -> None:
        for number, phone in enumerate(self.phones):
            value = (choice + number) % 3
            field = FIELDS[activity_id]
            form = {"activity": activity_id, field: str(value)}
            try:
                # Here a 303 means stored: the phone has joined, the activity exists and the
                # form is valid, so no other redirect applies (one would only make this stricter).
                reply = phone.post(f"/j/{self.code}", data=form)
                if reply.status_code == 303:
                    self.confirmed[(number, activity_id)] = value
                    self.thanked += 1
                    reply = phone.get(reply.headers["location"])
            except httpx2.HTTPError as error:  # a broken connection is as bad as a 500
                self.problems.append(f"{activity_id}: {error!r}")
                continue
            if reply.status_code != 200:
                # The activity is open: a refusal here is as much a failure as a 5xx.
                self.problems.append(f"{activity_id}: HTTP {reply.status_code}")

    def _answer_until_stopped(self) -> None:
        round_number = 0
        while not self._stop.is_set():
            self.answer_once(self.activity_id, round_number)
            round_number += 1

    def wait_for_answers(self, at_least: int) -> None:
        """Let the phones confirm `at_least` more answers before the next outsider arrives."""
        target = self.thanked + at_least
        deadline = time.monotonic() + 60
        while self.thanked < target and time.monotonic() < deadline and not self.problems:
            time.sleep(0.05)
        assert not self.problems, f"phones failed: {self.problems[:3]}"
        assert self.thanked >= target, "phones stalled"

    def stored_choices(self, url: str) -> dict[tuple[int, str], int]:
        """What the database holds for each phone, read through a fresh store."""
        store = Store(url)
        try:
            key = keys.participant_key(store)
            found = {}
            for number, phone in enumerate(self.phones):
                token = phone.cookies.get("tandem")
                participant_id = store.participant(
                    self.session.id, keys.token_hash(key, self.session.id, token)
                )
                for activity_id in FIELDS:
                    answer = store.answer_of(self.session.id, activity_id, participant_id)
                    if answer is not None:
                        found[(number, activity_id)] = answer.value
            return found
        finally:
            store.close()


def workshop_command(url: str, *arguments: str, stdin: str = "") -> None:
    """Run the `workshop` command in a process of its own, against `url`; it must succeed."""
    finished = run_workshop(url, *arguments, stdin=stdin)
    assert finished.returncode == 0, finished.stderr


def plain_sqlite_read(database: Path) -> None:
    """What a backup script or the sqlite3 shell does: open, read, close."""
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT count(*) FROM answers").fetchone()[0] >= 0
    finally:
        connection.close()


@contextlib.contextmanager
def short_lived_store(url: str) -> Iterator[Store]:
    """The facilitator's actions as a second process takes them: open, act, close.

    The test keeps no connection open while the room runs: one that stayed open would hold
    SQLite's locks for the server and hide the very failure this module is about.
    """
    store = Store(url)
    try:
        yield store
    finally:
        store.close()


def run_room_with_outsiders(server: Server, url: str, sqlite_file: Path | None) -> None:
    with short_lived_store(url) as store:
        session = live.start_session(store, parse_deck(small_deck_data()), threshold=1)
        live.go_to(store, session.id, 1)  # "colour": single choice, opened now
    room = Room(server, session)
    room.join()
    room.start()
    try:
        room.wait_for_answers(PHONES * 2)
        workshop_command(url, "init")
        room.wait_for_answers(PHONES * 2)
        workshop_command(url, "passcode", stdin="another-passcode\nanother-passcode\n")
        room.wait_for_answers(PHONES * 2)
        if sqlite_file is not None:
            plain_sqlite_read(sqlite_file)
            room.wait_for_answers(PHONES * 2)
        with short_lived_store(url) as store:
            # "weather": a scale, opened by this process; "colour" is kept open on purpose,
            # since phones may still be sending it (moving on would otherwise close it).
            live.go_to(store, session.id, 4, keep_open=True)
        room.activity_id = "weather"
        room.wait_for_answers(PHONES * 2)
        workshop_command(url, "init")
        room.wait_for_answers(PHONES * 2)
    finally:
        room.stop()
    server.kill()

    assert room.problems == []
    assert room.confirmed, "no answer was confirmed at all"
    assert room.stored_choices(url) == room.confirmed
    if sqlite_file is not None:
        with contextlib.closing(sqlite3.connect(sqlite_file)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_keeps_every_confirmed_answer_through_other_processes_and_a_kill(tmp_path):
    server = Server(tmp_path)
    server.start()
    try:
        run_room_with_outsiders(server, server.database_url, server.database)
    finally:
        server.stop()


def test_postgresql_keeps_every_confirmed_answer_through_other_processes_and_a_kill(tmp_path):
    with postgres_schema() as url:
        server = Server(tmp_path, database_url=url)
        server.start()
        try:
            run_room_with_outsiders(server, url, None)
        finally:
            server.stop()


class Arrivals:
    """New phones arriving one after another, each joining and answering once: a burst in
    which every confirmed answer belongs to a participant of its own."""

    def __init__(self, server: Server, code: str) -> None:
        self.server = server
        self.code = code
        self.confirmed: list[tuple[float, str]] = []  # (when it was confirmed, the token)
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._arrive, daemon=True) for _ in range(3)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _arrive(self) -> None:
        with httpx2.Client(base_url=self.server.url, timeout=60) as phone:
            while not self._stop.is_set():
                phone.cookies.clear()  # a new phone
                joined = phone.get(f"/j/{self.code}")
                token = phone.cookies.get("tandem")
                reply = phone.post(f"/j/{self.code}", data={"activity": "colour", "choice": "1"})
                if joined.status_code != 200 or reply.status_code != 303:
                    self.problems.append(f"HTTP {joined.status_code} / {reply.status_code}")
                    continue
                self.confirmed.append((time.monotonic(), token))

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while len(self.confirmed) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.confirmed) >= count, f"phones stalled: {self.problems[:3]}"


def test_a_backup_taken_during_a_burst_holds_every_answer_confirmed_before_it(tmp_path):
    server = Server(tmp_path)
    server.start()
    copy = tmp_path / "backups" / "during-the-workshop.db"
    copy.parent.mkdir()
    try:
        with short_lived_store(server.database_url) as store:
            session = live.start_session(store, parse_deck(small_deck_data()), threshold=1)
            live.go_to(store, session.id, 1)
            # A big room, expected: its phones may all arrive at once (the join throttle's
            # burst is the headcount), and it is never full, however many arrive during the
            # backup (about 500 did in 3 s once joins got faster).
            live.set_headcount(store, session.id, live.MOST_PEOPLE)
        arrivals = Arrivals(server, session.row.join_code)
        arrivals.start()
        try:
            arrivals.wait_for(30)
            began = time.monotonic()
            workshop_command(server.database_url, "backup", str(copy))
            finished = time.monotonic()
            arrivals.wait_for(len(arrivals.confirmed) + 30)  # the burst went on beside it
        finally:
            arrivals.stop()
    finally:
        server.stop()

    assert arrivals.problems == []
    before = [token for confirmed_at, token in arrivals.confirmed if confirmed_at < began]
    assert len(before) >= 30
    during = [
        token for confirmed_at, token in arrivals.confirmed if began <= confirmed_at <= finished
    ]
    assert during, "the phones should have kept answering while the copy was made"
    with contextlib.closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{copy}-wal").exists()
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    backup = Store(f"sqlite:///{copy}")
    try:
        key = keys.participant_key(backup)
        for token in before:
            participant_id = backup.participant(session.id, keys.token_hash(key, session.id, token))
            assert participant_id is not None, "a confirmed participant is missing"
            answer = backup.answer_of(session.id, "colour", participant_id)
            assert answer is not None and answer.value == 1, "a confirmed answer is missing"
        stored = backup.answer_counts(session.id)["colour"]
        assert len(before) <= stored <= len(arrivals.confirmed)
    finally:
        backup.close()
