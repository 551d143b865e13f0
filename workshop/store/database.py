"""Every SQL statement Tandem runs: SQLAlchemy Core over SQLite (default) or PostgreSQL.

The rest of the package talks to the database only through the intent-named methods of `Store`;
the tables themselves are in schema.py.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select as io_select  # `select` here is SQLAlchemy's
import shlex
import sqlite3
import sys
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    URL,
    Engine,
    Integer,
    String,
    and_,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    make_url,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.exc import DisconnectionError, IntegrityError

from workshop import PROJECT_FOLDER
from workshop.store import sqlite_file
from workshop.store.driver_reads import DriverRead
from workshop.store.group_commit import GroupCommit
from workshop.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    activity_states,
    answers,
    events,
    logins,
    metadata,
    observations,
    participants,
    purges,
    session_decks,
    session_links,
    sessions,
    settings,
    snapshots,
)

DEFAULT_DATABASE = PROJECT_FOLDER / "sessions" / "tandem.db"
SQLITE_POOL_SIZE = 40
# PostgreSQL's advisory lock that migrations take (any number, the same in every process).
MIGRATION_LOCK = 7_263_360


# The statements every phone's request runs, built once with their parameters left open.
# Building a statement costs SQLAlchemy more than SQLite takes to run it (measured: 324 µs a
# participant lookup built per call, 124 µs prebuilt), and a busy room runs thousands a second.
SESSION_BY_ID = select(sessions).where(sessions.c.id == bindparam("session"))
SESSION_BY_CODE = select(sessions).where(sessions.c.join_code == bindparam("code"))
# A session's deck (28 KB for the 90-minute deck) is in session_decks: it never changes once
# the session starts, so each process reads it once (`_session_row`), not on every page a
# phone loads.
DECK_SNAPSHOT = select(session_decks.c.deck_json).where(
    session_decks.c.session_id == bindparam("session")
)
PARTICIPANT = (
    select(participants.c.id)
    .where(participants.c.session_id == bindparam("session"))
    .where(participants.c.token_hash == bindparam("token"))
)
ANSWER_OF = (
    select(answers.c.passed, answers.c.value_json, answers.c.moderation)
    .where(answers.c.session_id == bindparam("session"))
    .where(answers.c.activity_id == bindparam("activity"))
    .where(answers.c.participant_id == bindparam("participant"))
)
VERSIONS = select(sessions.c.id, sessions.c.version).where(
    sessions.c.id.in_(bindparam("session_list", expanding=True))
)
ANSWERS_TAKEN = (
    select(activity_states.c.session_id, func.sum(activity_states.c.answers_taken))
    .where(activity_states.c.session_id.in_(bindparam("session_list", expanding=True)))
    .group_by(activity_states.c.session_id)
)
STATES_AT_VERSION = (
    select(activity_states, sessions.c.version)
    .join(sessions, sessions.c.id == activity_states.c.session_id)
    .where(activity_states.c.session_id == bindparam("session"))
)
# A phone's participant and its answer to the activity on screen, in one read: every page a
# phone loads needs both (two round trips to PostgreSQL before; `passed` is NULL where the
# participant has not answered).
PARTICIPANT_AND_ANSWER = (
    select(participants.c.id, answers.c.passed, answers.c.value_json, answers.c.moderation)
    .select_from(
        participants.outerjoin(
            answers,
            and_(
                answers.c.session_id == participants.c.session_id,
                answers.c.activity_id == bindparam("activity"),
                answers.c.participant_id == participants.c.id,
            ),
        )
    )
    .where(participants.c.session_id == bindparam("session"))
    .where(participants.c.token_hash == bindparam("token"))
)
# answers_taken for one session: what a phone's page showing a result reads.
ANSWERS_TAKEN_OF_ONE = select(func.sum(activity_states.c.answers_taken).label("total")).where(
    activity_states.c.session_id == bindparam("session")
)
# The reads of every phone request, run through the driver (driver_reads.py).
# (ANSWER_OF is not one since the participant and its answer are read together.)
PHONE_READS = (
    SESSION_BY_ID,
    SESSION_BY_CODE,
    PARTICIPANT,
    PARTICIPANT_AND_ANSWER,
    ANSWERS_TAKEN_OF_ONE,
)
# One activity's count of answers taken beside each of its answers newer than `newest_id`.
ANSWERS_SINCE = (
    select(
        activity_states.c.answers_taken,
        answers.c.id,
        answers.c.passed,
        answers.c.value_json,
        answers.c.moderation,
    )
    .select_from(
        activity_states.outerjoin(
            answers,
            and_(
                answers.c.session_id == activity_states.c.session_id,
                answers.c.activity_id == activity_states.c.activity_id,
                answers.c.id > bindparam("newest"),
            ),
        )
    )
    .where(activity_states.c.session_id == bindparam("session"))
    .where(activity_states.c.activity_id == bindparam("activity"))
)
ACTIVITY_ROW = (
    select(activity_states.c.status)
    .where(activity_states.c.session_id == bindparam("session"))
    .where(activity_states.c.activity_id == bindparam("activity"))
)
STILL_OPEN = ACTIVITY_ROW.where(activity_states.c.status == "open").exists()
ANSWER_CHANGED = (
    update(answers)
    .where(answers.c.session_id == bindparam("session"))
    .where(answers.c.activity_id == bindparam("activity"))
    .where(answers.c.participant_id == bindparam("participant"))
    .where(STILL_OPEN)
    .values(
        passed=bindparam("passed_it"),
        value_json=bindparam("value"),
        moderation=bindparam("decision"),
    )
)
# A new answer's columns, and its values after the session's (the same parameters as above).
_ANSWER_COLUMNS = [
    "session_id",
    "activity_id",
    "participant_id",
    "passed",
    "value_json",
    "moderation",
]
_ANSWER_VALUES = (
    bindparam("activity", type_=String),
    bindparam("participant", type_=Integer),
    bindparam("passed_it", type_=answers.c.passed.type),
    bindparam("value", type_=String),
    bindparam("decision", type_=String),
)
ANSWER_ADDED = (
    answers.insert()
    .from_select(
        _ANSWER_COLUMNS,
        select(bindparam("session", type_=Integer), *_ANSWER_VALUES).where(STILL_OPEN),
    )
    .returning(answers.c.id)
)
ANSWERS_COUNTED = (
    update(activity_states)
    .where(activity_states.c.session_id == bindparam("session"))
    .where(activity_states.c.activity_id == bindparam("activity"))
    .values(answers_taken=activity_states.c.answers_taken + bindparam("count"))
)
# The same on PostgreSQL as one statement, run in autocommit: its own transaction, one round
# trip. There the activity's row is locked (a close waits for the answer, or the answer for
# the close), and every answer to the activity then waits for that lock. Written as several
# statements, the holder kept it through five round trips to Python, each a wait for the
# interpreter lock among a busy server's threads: at 1,000 phones the answers queued behind it
# for seconds (pg_stat_activity: two waiting on the lock at any moment, the holder idle in its
# transaction). As one statement the lock is held only while the server runs it and commits.
# After waiting for the lock, PostgreSQL checks the row's status again as the last writer
# left it (READ COMMITTED's re-check of a locked row), so an answer behind a close is refused;
# the answer itself is an upsert on the one-answer-each constraint.
_OPEN_LOCKED = (
    select(activity_states.c.session_id)
    .where(activity_states.c.session_id == bindparam("session"))
    .where(activity_states.c.activity_id == bindparam("activity"))
    .where(activity_states.c.status == "open")
    .with_for_update()
    .cte("open_locked")
)
_ANSWER_UPSERT = postgresql_insert(answers).from_select(
    _ANSWER_COLUMNS, select(_OPEN_LOCKED.c.session_id, *_ANSWER_VALUES)
)
_ANSWER_STORED = (
    _ANSWER_UPSERT.on_conflict_do_update(
        index_elements=[answers.c.session_id, answers.c.activity_id, answers.c.participant_id],
        set_={
            "passed": _ANSWER_UPSERT.excluded.passed,
            "value_json": _ANSWER_UPSERT.excluded.value_json,
            "moderation": _ANSWER_UPSERT.excluded.moderation,
        },
    )
    .returning(answers.c.id)
    .cte("stored")
)
ANSWER_RECORDED_POSTGRESQL = (
    update(activity_states)
    .where(activity_states.c.session_id == bindparam("session"))
    .where(activity_states.c.activity_id == bindparam("activity"))
    .where(select(_ANSWER_STORED.c.id).exists())
    .values(answers_taken=activity_states.c.answers_taken + 1)
    .returning(activity_states.c.answers_taken)
)
# The door: the room's headcount and lock, and how many have joined, decided by the write.
DOOR = select(sessions.c.headcount, sessions.c.joins_locked).where(
    sessions.c.id == bindparam("session")
)
DOOR_LOCKED = DOOR.with_for_update()
JOINED = (
    select(func.count())
    .select_from(participants)
    .where(participants.c.session_id == bindparam("session"))
)
JOIN = (
    participants.insert()
    .from_select(
        ["session_id", "token_hash"],
        select(bindparam("session", type_=Integer), bindparam("token", type_=String)).where(
            DOOR.with_only_columns(sessions.c.joins_locked).scalar_subquery().is_(False),
            or_(
                DOOR.with_only_columns(sessions.c.headcount).scalar_subquery().is_(None),
                JOINED.scalar_subquery()
                < DOOR.with_only_columns(sessions.c.headcount).scalar_subquery(),
            ),
        ),
    )
    .returning(participants.c.id)
)
TURNED_AWAY = (
    update(sessions)
    .where(sessions.c.id == bindparam("session"))
    .values(turned_away=sessions.c.turned_away + 1)
)


class JoinCodeTaken(Exception):
    """Another session already has this join code: draw another."""


class SessionNotLive(Exception):
    """The session has ended (or does not exist): it takes no more actions."""


class JoinRefused(Exception):
    """A new phone may not join: the facilitator locked the room ("locked"), or as many phones
    as the headcount have joined ("full")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SessionRow:
    id: int
    join_code: str
    deck_id: str
    title: str
    deck_json: str
    status: str
    current_index: int
    version: int
    threshold: int
    created_at: float
    ended_at: float | None
    timer_started_at: float | None
    timer_seconds: int | None
    rehearsal: bool = False
    headcount: int | None = None
    purged_at: float | None = None
    joins_locked: bool = False
    turned_away: int = 0
    lock_when_begun: bool = False
    blanked: bool = False
    note_shown: int = 0
    # The threshold of its private activities (room/results.py); 0 in a row made by hand
    # without one, which results read as "the same as `threshold`".
    private_threshold: int = 0


@dataclass(frozen=True)
class ActivityState:
    status: str  # waiting, open or closed
    revealed: bool


@dataclass(frozen=True)
class Answer:
    """One stored answer as results see it: no participant, no time."""

    passed: bool
    value: Any
    moderation: str | None


@dataclass(frozen=True)
class SeededAnswer:
    """A simulated participant's answer, for a rehearsal."""

    activity_id: str
    participant_id: int
    passed: bool
    value: Any = None
    moderation: str | None = None


@dataclass(frozen=True)
class QueuedText:
    """An open-text answer awaiting (or past) moderation; `answer_id` is only for the buttons."""

    answer_id: int
    activity_id: str
    text: str
    moderation: str


@dataclass(frozen=True)
class Observation:
    """Something the facilitator noticed, about one activity or (activity_id None) the session."""

    id: int
    activity_id: str | None
    text: str
    written_at: float


@dataclass(frozen=True)
class Event:
    """One logged facilitator action: start, advance, open, close, reveal, hide, timer,
    moderate or end."""

    action: str
    activity_id: str | None
    at: float


def database_url() -> str:
    """WORKSHOP_DATABASE_URL if set, else the embedded SQLite file under sessions/."""
    return os.environ.get("WORKSHOP_DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE}"


def database_pool_size() -> int:
    """WORKSHOP_DATABASE_POOL: the PostgreSQL connections a process keeps open (default 10)."""
    text = os.environ.get("WORKSHOP_DATABASE_POOL", "").strip()
    if not text:
        return 10
    if not text.isdigit() or not 1 <= int(text) <= 200:
        raise ValueError(f"WORKSHOP_DATABASE_POOL must be a number from 1 to 200, not {text!r}.")
    return int(text)


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # As many pooled connections as the web server has worker threads (anyio's 40), so a
        # busy room never opens a connection per request: an overflow connection is closed on
        # return, and opening one runs the pragmas below (profiled: 2% of a room's CPU).
        engine = create_engine(
            url,
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=10,
            # The connection handed back last is the next one out: a few stay busy, each with
            # the room's pages in its own cache, instead of all forty taking turns and each
            # keeping a copy (SQLite's page cache is per connection, up to 2 MB).
            pool_use_lifo=True,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            # WAL lets phones write while the projector reads; the busy timeout queues writers.
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: every commit reaches the disk before a phone is thanked, so a power cut
            # loses no confirmed answer (NORMAL survives a crash of the process, not of the
            # machine). It costs about 1 ms a commit: see docs/decisions.md.
            cursor.execute("PRAGMA synchronous=FULL")
            if sys.platform == "darwin":
                # macOS's fsync leaves the data in the drive's cache; F_FULLFSYNC does not.
                cursor.execute("PRAGMA fullfsync=ON")
                cursor.execute("PRAGMA checkpoint_fullfsync=ON")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # A schema of its own goes in the URL: ...?options=-csearch_path%3Dname
    parsed = make_url(url)
    connect_args = {}
    if (
        parsed.get_driver_name() in {"psycopg", "psycopg2"}
        and "connect_timeout" not in parsed.query
    ):
        # A database host that has gone (not merely a stopped server, which refuses at once)
        # would otherwise hold each request for about two minutes of TCP retries before the
        # phone learns anything; this way it sees the "try again" page within seconds.
        connect_args["connect_timeout"] = 5
    # Each process holds up to three times this many connections at its busiest; several
    # processes on one server must stay under its max_connections (100 by default).
    pool = database_pool_size()
    # Never fewer than 24 at its busiest: as many phone requests at once as the pool keeps
    # (web/participant/routes.py, worker_threads) each hold a connection for their reads while
    # taking another to write, and the watcher and the dashboards take theirs.
    overflow = max(2 * pool, 24 - pool)
    engine = create_engine(url, pool_size=pool, max_overflow=overflow, connect_args=connect_args)

    @event.listens_for(engine, "checkout")
    def _replace_if_hung_up(connection: Any, _record: Any, _proxy: Any) -> None:
        """A pooled connection the server has closed (PostgreSQL restarted, or ended it) is
        replaced as it leaves the pool, so the first request after a restart succeeds.

        An idle connection has nothing to read unless the server has hung up: then its "terminating
        connection" message or end of file is waiting. Looking costs one poll of the socket, a few
        microseconds; `pool_pre_ping` would cost a round trip to the server on every checkout
        (0.13 to 0.18 ms measured on a loopback, more across a network), and a phone's page
        request checks out one connection for its reads and one for each write. Raising
        DisconnectionError makes the pool reconnect and carry on; if the server is still down,
        that connecting fails with OperationalError, which the web layer turns into a "try
        again" page (workshop/web/faults.py).
        """
        if getattr(connection, "closed", False) or getattr(connection, "broken", False):
            raise DisconnectionError("the database server closed this connection")
        try:
            descriptor = connection.fileno()
        except AttributeError:
            return  # a driver without a socket to look at: SQLAlchemy finds out on first use
        except Exception as error:  # psycopg: the connection is lost
            raise DisconnectionError("the database connection is lost") from error
        if hasattr(io_select, "poll"):
            poller = io_select.poll()
            poller.register(descriptor, io_select.POLLIN)
            hung_up = bool(poller.poll(0))
        else:  # Windows: no poll(), and its select() has no descriptor limit
            hung_up = bool(io_select.select([descriptor], [], [], 0)[0])
        if hung_up:
            raise DisconnectionError("the database server closed this connection")

    return engine


class Store:
    """The database: one per process, shared by the dashboard and the participant routes."""

    def __init__(self, url: str | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.url = url or database_url()
        # When things happen (sessions, actions, timers): injected by tests that need a clock.
        self.clock = clock
        # The SQLite file, if this store is one: private to its owner, never on a network share.
        self.database_file = sqlite_database_file(self.url)
        if self.database_file is not None:
            sqlite_file.refuse_network_filesystem(self.database_file)
            sqlite_file.create_private(
                self.database_file, tighten_folder=self.database_file == DEFAULT_DATABASE
            )
        self.engine = _make_engine(self.url)
        # SQLite has one writer at a time. Queueing this process's writers on a lock is fair;
        # left to SQLite's busy handler they would sleep and retry. A precaution (see
        # docs/decisions.md): PostgreSQL needs no such help.
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else None
        # Phones' joins and answers, committed together when they come together on SQLite
        # (see group_commit.py), behind the same write lock as every other writer.
        self._group_commit = (
            GroupCommit(self.engine, self._write_lock) if self._write_lock is not None else None
        )
        # Activity states only change together with the session's version (every action bumps
        # it: see `_acted`), so they can be remembered per version: every phone's page view
        # needs them.
        self._states_by_version: dict[tuple[int, int], dict[str, ActivityState]] = {}
        self._deck_snapshots: OrderedDict[tuple[int, str], str] = OrderedDict()
        # Each activity's answers as last read for the room, read again only where they moved
        # (see `answers_for`); the lock makes phones that miss together share one read.
        self._room_answers: OrderedDict[tuple[int, str], _RoomAnswers] = OrderedDict()
        self._room_answers_lock = threading.Lock()  # also guards _deck_snapshots
        # The connection this thread's reads share while `one_connection` is open.
        self._per_thread = threading.local()
        # The phones' reads through the database's own driver: see driver_reads.py and `_rows`.
        self._driver_reads = {
            id(read): DriverRead.compile(read, self.engine.dialect) for read in PHONE_READS
        }
        # Where reads (and PostgreSQL's one-statement answers) take their connections. On
        # PostgreSQL, in autocommit: a read in a transaction cost a BEGIN before it and a
        # ROLLBACK as its connection went back to the pool, two of a page's seven round trips
        # to the server, and saw nothing more consistent for it (READ COMMITTED takes a
        # snapshot per statement either way). SQLAlchemy sets the connection back to
        # transactions as it returns to the pool, so writes (`writing`) are as before.
        # SQLite's driver begins no transaction for a read.
        self._autocommit = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.dialect == "postgresql"
            else self.engine
        )

    @contextlib.contextmanager
    def one_connection(self) -> Iterator[None]:
        """Every read on this thread within the block goes through one pooled connection.

        A phone's request reads five or six times; taking a connection from the pool and
        handing it back for each read cost more than most of the reads. Writes still take
        their own connection (`writing`).
        """
        if getattr(self._per_thread, "connection", None) is not None:
            yield  # already inside one
            return
        with self._autocommit.connect() as connection:
            self._per_thread.connection = connection
            try:
                yield
            finally:
                self._per_thread.connection = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        """A connection to read through: this thread's shared one, if open, else its own."""
        shared = getattr(self._per_thread, "connection", None)
        if shared is not None:
            yield shared
            return
        with self._autocommit.connect() as connection:
            yield connection

    def _rows(self, connection: Any, statement: Any, values: dict[str, Any]) -> list[Any]:
        """`statement`'s rows (each read as SQLAlchemy's are: `row.id`, `row._asdict()`):
        through the driver where it is one of the phones' reads, else through SQLAlchemy."""
        read = self._driver_reads.get(id(statement))
        if read is not None:
            return read.rows(connection, values)
        return connection.execute(statement, values).all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[Any]:
        """A write transaction (committed on exit), queued behind this process's other writers."""
        with self._write_lock or contextlib.nullcontext(), self.engine.begin() as connection:
            yield connection

    def _phone_write(self, work: Callable[[Any], Any]) -> Any:
        """A phone's join or answer: committed together with the others waiting on SQLite, in
        a transaction of its own on PostgreSQL (see group_commit.py)."""
        if self._group_commit is not None:
            return self._group_commit.write(work)
        with self.writing() as connection:
            return work(connection)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Create a new database, or bring an older one up to date in place."""
        with self.writing() as connection:
            if self.dialect == "postgresql":
                # Several app processes starting together on a new database would each create
                # the tables and collide: one at a time, the rest find them made.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            existing = inspect(connection).has_table("sessions")
            metadata.create_all(connection)
            current = connection.scalar(
                select(settings.c.value).where(settings.c.key == "schema_version")
            )
            version = int(current) if current else (1 if existing else SCHEMA_VERSION)
            if self.dialect == "sqlite" and version < 9 and sqlite3.sqlite_version_info < (3, 35):
                # Version 9 drops a column, which SQLite learned in 3.35 (2021).
                raise RuntimeError(
                    f"This database needs SQLite 3.35 or newer to be brought up to date; this "
                    f"Python has SQLite {sqlite3.sqlite_version}. Use a newer Python (3.11 from "
                    "python.org or your system's packages has it). Nothing was changed."
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[step]:
                    connection.exec_driver_sql(statement(self.dialect))
            self._put_setting(connection, "schema_version", str(SCHEMA_VERSION))

    def close(self) -> None:
        self.engine.dispose()

    def storage_warnings(self) -> list[str]:
        """What to tell the person starting Tandem about how the database file is kept."""
        if self.database_file is None:
            return []
        default_folder = self.database_file.parent == DEFAULT_DATABASE.parent
        return sqlite_file.loose_modes(self.database_file, folder_too=default_folder)

    def backup(self, target: Path) -> None:
        """A consistent copy of a live SQLite database, through SQLite's online backup API.

        The copy is one self-contained file (no write-ahead log beside it), private to its
        owner, written under a temporary name and renamed, so a half-made copy never looks
        whole. Writers carry on meanwhile: the copy is the database as it was when it began.
        """
        if self.database_file is None:
            raise ValueError("Only an SQLite database can be copied by Tandem itself.")
        partial = target.with_name(f".{target.name}.partial")
        partial.unlink(missing_ok=True)
        sqlite_file.create_private(partial)
        try:
            copy = sqlite3.connect(partial)
            try:
                source = self.engine.raw_connection()
                try:
                    # One step (pages=-1): one read transaction, so one moment's copy.
                    source.driver_connection.backup(copy, pages=-1)
                finally:
                    source.close()
                copy.execute("PRAGMA journal_mode=DELETE")
                if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise RuntimeError("The copy failed SQLite's integrity check.")
            finally:
                copy.close()
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)  # only left if something failed
        sqlite_file.sync_folder(target.parent)

    # Settings ---------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.scalar(select(settings.c.value).where(settings.c.key == key))

    def put_setting(self, key: str, value: str) -> None:
        with self.writing() as connection:
            self._put_setting(connection, key, value)

    def delete_setting(self, key: str) -> None:
        with self.writing() as connection:
            connection.execute(settings.delete().where(settings.c.key == key))

    def swap_setting(self, key: str, expected: str | None, value: str) -> bool:
        """Set `key` to `value` only if it still holds `expected` (None: absent). False when
        another request changed it first: a compare-and-swap, atomic across processes."""
        try:
            with self.writing() as connection:
                if expected is None:
                    connection.execute(settings.insert().values(key=key, value=value))
                    return True
                return bool(
                    connection.execute(
                        update(settings)
                        .where(settings.c.key == key)
                        .where(settings.c.value == expected)
                        .values(value=value)
                    ).rowcount
                )
        except IntegrityError:
            return False  # another request created it first

    def setting_or_create(self, key: str, make: Any) -> str:
        """A setting, created once with `make()` if missing; safe when processes race."""
        existing = self.setting(key)
        if existing is not None:
            return existing
        try:
            with self.writing() as connection:
                connection.execute(settings.insert().values(key=key, value=make()))
        except IntegrityError:
            pass
        value = self.setting(key)
        assert value is not None
        return value

    @staticmethod
    def _put_setting(connection: Any, key: str, value: str) -> None:
        changed = connection.execute(
            update(settings).where(settings.c.key == key).values(value=value)
        ).rowcount
        if not changed:
            connection.execute(settings.insert().values(key=key, value=value))

    # Sessions ---------------------------------------------------------------------------------

    def create_session(
        self,
        *,
        join_code: str,
        deck_id: str,
        title: str,
        deck_json: str,
        threshold: int,
        activity_ids: Iterable[str],
        rehearsal: bool = False,
        headcount: int | None = None,
        lock_when_begun: bool = False,
        private_threshold: int | None = None,
    ) -> int:
        """Insert a live session and its activities; JoinCodeTaken if the code is in use.
        Without a `private_threshold`, private activities keep `threshold` (never below it)."""
        now = self.clock()
        try:
            with self.writing() as connection:
                session_id = connection.execute(
                    sessions.insert().values(
                        join_code=join_code,
                        deck_id=deck_id,
                        title=title,
                        status="live",
                        current_index=-1,
                        version=1,
                        threshold=threshold,
                        private_threshold=max(threshold, private_threshold or threshold),
                        created_at=now,
                        rehearsal=rehearsal,
                        headcount=headcount,
                        lock_when_begun=lock_when_begun,
                    )
                ).inserted_primary_key[0]
                connection.execute(
                    session_decks.insert().values(session_id=session_id, deck_json=deck_json)
                )
                connection.execute(
                    activity_states.insert(),
                    [
                        {"session_id": session_id, "activity_id": activity_id, "status": "waiting"}
                        for activity_id in activity_ids
                    ],
                )
                connection.execute(
                    events.insert().values(session_id=session_id, action="start", at=now)
                )
        except IntegrityError:
            raise JoinCodeTaken(join_code) from None
        return session_id

    def purge_answers(self, session_id: int, kept: dict[str, str], what: str) -> None:
        """Retention: delete a session's answers and participants, keeping `kept` (name to
        JSON payload: its results as they were), and record that the purge happened."""
        now = self.clock()
        with self.writing() as connection:
            connection.execute(snapshots.delete().where(snapshots.c.session_id == session_id))
            if kept:
                connection.execute(
                    snapshots.insert(),
                    [
                        {"session_id": session_id, "name": name, "payload": payload}
                        for name, payload in kept.items()
                    ],
                )
            connection.execute(answers.delete().where(answers.c.session_id == session_id))
            connection.execute(participants.delete().where(participants.c.session_id == session_id))
            connection.execute(
                update(sessions)
                .where(sessions.c.id == session_id)
                .values(
                    purged_at=now,
                    status="ended",
                    ended_at=func.coalesce(sessions.c.ended_at, now),
                    # A new version: every process forgets the answers it read for the room.
                    version=sessions.c.version + 1,
                )
            )
            connection.execute(purges.insert().values(what=what, at=now))

    def snapshots(self, session_id: int) -> dict[str, str]:
        """What a purged session kept: name to JSON payload."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(snapshots.c.name, snapshots.c.payload).where(
                    snapshots.c.session_id == session_id
                )
            )
            return {row.name: row.payload for row in rows}

    def purges(self) -> list[tuple[str, float]]:
        """Every purge recorded: (what, when), the oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(purges.c.what, purges.c.at).order_by(purges.c.id))
            return [(row.what, row.at) for row in rows]

    def delete_session(self, session_id: int) -> bool:
        """Delete a session and everything of it (answers, participants, actions, notes)."""
        with self._room_answers_lock:
            for key in [key for key in self._room_answers if key[0] == session_id]:
                del self._room_answers[key]
        with self.writing() as connection:
            return bool(
                connection.execute(sessions.delete().where(sessions.c.id == session_id)).rowcount
            )

    def session(self, session_id: int) -> SessionRow | None:
        with self._reading() as connection:
            rows = self._rows(connection, SESSION_BY_ID, {"session": session_id})
            return self._session_row(connection, rows[0]) if rows else None

    def session_by_code(self, join_code: str) -> SessionRow | None:
        with self._reading() as connection:
            rows = self._rows(connection, SESSION_BY_CODE, {"code": join_code})
            return self._session_row(connection, rows[0]) if rows else None

    def sessions(
        self, *, live_only: bool = False, include_rehearsals: bool = True
    ) -> list[SessionRow]:
        query = select(sessions).order_by(sessions.c.created_at.desc())
        if live_only:
            query = query.where(sessions.c.status == "live")
        if not include_rehearsals:
            query = query.where(sessions.c.rehearsal.is_(False))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
            found = [self._session_row(connection, row) for row in rows]
            return [row for row in found if row is not None]

    def _session_row(self, connection: Any, row: Any) -> SessionRow | None:
        """A session row read without its deck, with the deck snapshot (read once) put back."""
        # Kept under the id and the join code: SQLite may give a deleted session's id to the
        # next one, which never has the same code.
        key = (row.id, row.join_code)
        deck_json = self._deck_snapshots.get(key)
        if deck_json is None:
            deck_json = connection.scalar(DECK_SNAPSHOT, {"session": row.id})
            if deck_json is None:
                return None  # deleted between the two reads
            with self._room_answers_lock:
                _remember(self._deck_snapshots, key, deck_json)
        return SessionRow(**row._asdict(), deck_json=deck_json)

    def deck_ids_by_recency(self) -> list[str]:
        """Each deck used for a session, the most recently used first (one GROUP BY)."""
        latest = func.max(sessions.c.created_at)
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(sessions.c.deck_id).group_by(sessions.c.deck_id).order_by(latest.desc())
            )
            return [row.deck_id for row in rows]

    def joined_counts(self, session_ids: Iterable[int]) -> dict[int, int]:
        """How many phones joined each session, in one GROUP BY (sessions nobody joined: 0)."""
        ids = list(session_ids)
        if not ids:
            return {}
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(participants.c.session_id, func.count())
                .where(participants.c.session_id.in_(ids))
                .group_by(participants.c.session_id)
            )
            counted = {session_id: count for session_id, count in rows}
        return {session_id: counted.get(session_id, 0) for session_id in ids}

    def set_headcount(self, session_id: int, headcount: int | None) -> None:
        """The facilitator's own count of the room (None: not given); while the session is
        live, also the most phones that may join."""
        with self.writing() as connection:
            connection.execute(
                update(sessions).where(sessions.c.id == session_id).values(headcount=headcount)
            )

    def lock_joins(self, session_id: int, locked: bool) -> None:
        """Close (or open again) the room to phones that have not joined yet."""
        with self.writing() as connection:
            connection.execute(
                update(sessions).where(sessions.c.id == session_id).values(joins_locked=locked)
            )

    def show_note(self, session_id: int, note: int) -> None:
        """Show explanation number `note` (0: the first) of the answer key on screen."""
        with self.writing() as connection:
            connection.execute(
                update(sessions).where(sessions.c.id == session_id).values(note_shown=note)
            )

    def set_blanked(self, session_id: int, blanked: bool) -> None:
        """Blank the projector (or show the room again)."""
        with self.writing() as connection:
            connection.execute(
                update(sessions).where(sessions.c.id == session_id).values(blanked=blanked)
            )

    # Links handed out for one session (screen, remote control) -------------------------------

    def set_link(self, session_id: int, purpose: str, secret_hash: str | None) -> None:
        """Keep the hash of a session's link for `purpose`, replacing (None: removing) the old."""
        with self.writing() as connection:
            connection.execute(
                session_links.delete()
                .where(session_links.c.session_id == session_id)
                .where(session_links.c.purpose == purpose)
            )
            if secret_hash is not None:
                connection.execute(
                    session_links.insert().values(
                        session_id=session_id, purpose=purpose, secret_hash=secret_hash
                    )
                )

    def link_hash(self, session_id: int, purpose: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.scalar(
                select(session_links.c.secret_hash)
                .where(session_links.c.session_id == session_id)
                .where(session_links.c.purpose == purpose)
            )

    # The facilitator's logins -----------------------------------------------------------------

    def add_login(self, id_hash: str, expires_at: float) -> None:
        """Remember a new login (and forget the expired ones)."""
        with self.writing() as connection:
            connection.execute(logins.delete().where(logins.c.expires_at < self.clock()))
            connection.execute(logins.insert().values(id_hash=id_hash, expires_at=expires_at))

    def login_alive(self, id_hash: str) -> bool:
        with self.engine.connect() as connection:
            expires_at = connection.scalar(
                select(logins.c.expires_at).where(logins.c.id_hash == id_hash)
            )
        return expires_at is not None and expires_at > self.clock()

    def end_login(self, id_hash: str) -> None:
        with self.writing() as connection:
            connection.execute(logins.delete().where(logins.c.id_hash == id_hash))

    def end_all_logins(self) -> int:
        """Log every browser out and end every handed-out link (a new passcode): how many
        logins there were."""
        with self.writing() as connection:
            connection.execute(session_links.delete())
            return connection.execute(logins.delete()).rowcount

    def add_observation(self, session_id: int, activity_id: str | None, text: str) -> int:
        with self.writing() as connection:
            return connection.execute(
                observations.insert().values(
                    session_id=session_id,
                    activity_id=activity_id,
                    text=text,
                    written_at=self.clock(),
                )
            ).inserted_primary_key[0]

    def observations(self, session_id: int) -> list[Observation]:
        """The facilitator's observations of a session, in the order written."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(observations)
                .where(observations.c.session_id == session_id)
                .order_by(observations.c.id)
            )
            return [Observation(row.id, row.activity_id, row.text, row.written_at) for row in rows]

    def delete_observation(self, session_id: int, observation_id: int) -> None:
        with self.writing() as connection:
            connection.execute(
                observations.delete()
                .where(observations.c.session_id == session_id)
                .where(observations.c.id == observation_id)
            )

    def versions(self, session_ids: Iterable[int]) -> dict[int, int]:
        """The state version of each session: what waiting phones compare against."""
        ids = list(session_ids)
        if not ids:
            return {}
        with self._reading() as connection:
            rows = connection.execute(VERSIONS, {"session_list": ids})
            return {row.id: row.version for row in rows}

    def answers_taken(self, session_ids: Iterable[int]) -> dict[int, int]:
        """How many answers each session has stored, changes included: a number that moves
        whenever a result may have, read in one small query (activity rows, not answers)."""
        ids = list(session_ids)
        if not ids:
            return {}
        with self._reading() as connection:
            if len(ids) == 1:  # a phone's page (or the watcher, for one room): through the driver
                [row] = self._rows(connection, ANSWERS_TAKEN_OF_ONE, {"session": ids[0]})
                return {} if row.total is None else {ids[0]: int(row.total)}
            rows = connection.execute(ANSWERS_TAKEN, {"session_list": ids})
            return {session_id: int(total or 0) for session_id, total in rows}

    def activity_states(self, session_id: int) -> dict[str, ActivityState]:
        """Each activity's state as stored now."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(activity_states).where(activity_states.c.session_id == session_id)
            )
            return {row.activity_id: ActivityState(row.status, row.revealed) for row in rows}

    def activity_states_at(self, session_id: int, version: int) -> dict[str, ActivityState] | None:
        """Each activity's state at the session's `version`, or None if the session has moved
        past it. Remembered by version: one SELECT reads the states with the version they
        belong to, so an action landing between reading the session and reading its states is
        never remembered under the version before it (a phone was once shown the activity on
        screen as closed, because the next one's states were filed under its version)."""
        key = (session_id, version)
        states = self._states_by_version.get(key)
        if states is None:
            with self._reading() as connection:
                rows = connection.execute(STATES_AT_VERSION, {"session": session_id}).all()
            if not rows or any(row.version != version for row in rows):
                return None
            states = {row.activity_id: ActivityState(row.status, row.revealed) for row in rows}
            if len(self._states_by_version) > 1000:
                self._states_by_version.clear()
            self._states_by_version[key] = states
        return dict(states)

    # Facilitator actions: each is one transaction that makes its changes, logs its events and
    # moves the session to a new version (what waiting phones compare against). Each returns
    # the new version.

    def _acted(
        self,
        connection: Any,
        session_id: int,
        actions: list[tuple[str, str | None]],
        now: float | None = None,
        **changes: Any,
    ) -> int:
        """Log `actions` (action, activity id) at `now` (default: the clock), apply `changes` to
        the session, bump its version."""
        now = self.clock() if now is None else now
        # Only a live session takes actions: checked in the same transaction, so two tabs
        # pressing End at once end it once (the second raises, and its changes roll back).
        moved = connection.execute(
            update(sessions)
            .where(sessions.c.id == session_id)
            .where(sessions.c.status == "live")
            .values(version=sessions.c.version + 1, **changes)
        ).rowcount
        if not moved:
            raise SessionNotLive(session_id)
        connection.execute(
            events.insert(),
            [
                {"session_id": session_id, "action": action, "activity_id": activity_id, "at": now}
                for action, activity_id in actions
            ],
        )
        return connection.scalar(select(sessions.c.version).where(sessions.c.id == session_id))

    def _set_activity(self, connection: Any, session_id: int, activity_id: str, **values) -> None:
        connection.execute(
            update(activity_states)
            .where(activity_states.c.session_id == session_id)
            .where(activity_states.c.activity_id == activity_id)
            .values(**values)
        )

    def show_activity(
        self,
        session_id: int,
        index: int,
        activity_id: str | None,
        *,
        open_it: bool = False,
        close_id: str | None = None,
        lock_joins: bool = False,
    ) -> int:
        """Put activity `index` on screen (-1: the join slide), stopping any timer; `open_it`
        opens it, `close_id` closes the one left behind and `lock_joins` closes the room to new
        phones, in the same step."""
        with self.writing() as connection:
            actions: list[tuple[str, str | None]] = []
            if close_id is not None:
                self._set_activity(connection, session_id, close_id, status="closed")
                actions.append(("close", close_id))
            actions.append(("advance", activity_id))
            if open_it and activity_id is not None:
                self._set_activity(connection, session_id, activity_id, status="open")
                actions.append(("open", activity_id))
            return self._acted(
                connection,
                session_id,
                actions,
                current_index=index,
                timer_started_at=None,
                timer_seconds=None,
                note_shown=0,
                **({"joins_locked": True} if lock_joins else {}),
            )

    def set_activity_status(
        self, session_id: int, activity_id: str, status: str, *, lock_joins: bool = False
    ) -> int:
        """Open (status "open") or close ("closed") one activity; `lock_joins` closes the room
        to new phones in the same step."""
        action = {"open": "open", "closed": "close"}[status]
        with self.writing() as connection:
            self._set_activity(connection, session_id, activity_id, status=status)
            changes = {"joins_locked": True} if lock_joins else {}
            return self._acted(connection, session_id, [(action, activity_id)], **changes)

    def set_revealed(self, session_id: int, activity_id: str, revealed: bool) -> int:
        with self.writing() as connection:
            self._set_activity(connection, session_id, activity_id, revealed=revealed)
            action = "reveal" if revealed else "hide"
            return self._acted(connection, session_id, [(action, activity_id)], note_shown=0)

    def start_timer(self, session_id: int, seconds: int) -> int:
        with self.writing() as connection:
            now = self.clock()
            return self._acted(
                connection,
                session_id,
                [("timer", None)],
                now,
                timer_started_at=now,
                timer_seconds=seconds,
            )

    def stop_timer(self, session_id: int) -> int:
        with self.writing() as connection:
            return self._acted(
                connection, session_id, [("timer", None)], timer_started_at=None, timer_seconds=None
            )

    def end_session(self, session_id: int) -> int:
        """End the workshop: every open activity closes with it, in the same step."""
        with self.writing() as connection:
            still_open = list(
                connection.scalars(
                    select(activity_states.c.activity_id)
                    .where(activity_states.c.session_id == session_id)
                    .where(activity_states.c.status == "open")
                )
            )
            connection.execute(
                update(activity_states)
                .where(activity_states.c.session_id == session_id)
                .where(activity_states.c.status == "open")
                .values(status="closed")
            )
            actions = [("close", activity_id) for activity_id in sorted(still_open)]
            actions.append(("end", None))
            now = self.clock()
            return self._acted(connection, session_id, actions, now, status="ended", ended_at=now)

    def moderate(self, session_id: int, answer_id: int, decision: str) -> int:
        """Approve, reject or flag one open-text answer; the room hears of it like any action."""
        with self.writing() as connection:
            activity_id = connection.scalar(
                select(answers.c.activity_id)
                .where(answers.c.session_id == session_id)
                .where(answers.c.id == answer_id)
            )
            if activity_id is None:
                raise LookupError("That answer is not part of this session.")
            connection.execute(
                update(answers)
                .where(answers.c.session_id == session_id)
                .where(answers.c.id == answer_id)
                .values(moderation=decision)
            )
            return self._acted(connection, session_id, [("moderate", activity_id)])

    def events(self, session_id: int) -> list[Event]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(events.c.action, events.c.activity_id, events.c.at)
                .where(events.c.session_id == session_id)
                .order_by(events.c.id)
            )
            return [Event(row.action, row.activity_id, row.at) for row in rows]

    # Participants -----------------------------------------------------------------------------

    def participant(self, session_id: int, token_hash: str) -> int | None:
        with self._reading() as connection:
            rows = self._rows(connection, PARTICIPANT, {"session": session_id, "token": token_hash})
            return rows[0].id if rows else None

    def participant_and_answer(
        self, session_id: int, token_hash: str, activity_id: str | None
    ) -> tuple[int | None, Answer | None]:
        """The participant a token hash names and its answer to `activity_id` (None for either
        that is not there), in one read."""
        values = {"session": session_id, "token": token_hash, "activity": activity_id or ""}
        with self._reading() as connection:
            rows = self._rows(connection, PARTICIPANT_AND_ANSWER, values)
        if not rows:
            return None, None
        row = rows[0]
        return row.id, (None if row.passed is None else _answer(row))

    def join(self, session_id: int, token_hash: str) -> int:
        """The participant for this token hash, created on first join; JoinRefused (and the
        session's turned-away count raised) if the room is locked or as full as its headcount.
        """
        existing = self.participant(session_id, token_hash)
        if existing is not None:
            return existing
        parameters = {"session": session_id, "token": token_hash}

        def join(connection: Any) -> int | Any:
            if self.dialect == "postgresql":
                # READ COMMITTED would let two such statements count the same rows: lock the
                # session's row first (SQLite has one writer at a time).
                connection.execute(DOOR_LOCKED, parameters)
            # One statement decides and inserts (JOIN): the door is checked by the write itself,
            # so phones joining at once through several processes cannot pass the last place
            # between them.
            joined_id = connection.scalar(JOIN, parameters)
            if joined_id is not None:
                return joined_id
            state = connection.execute(DOOR, parameters).one()
            connection.execute(TURNED_AWAY, parameters)
            return JoinRefused("locked" if state.joins_locked else "full")

        try:
            joined = self._phone_write(join)
        except IntegrityError:
            # The same phone joined twice at once; the other request created the row.
            found = self.participant(session_id, token_hash)
            assert found is not None
            return found
        if isinstance(joined, JoinRefused):
            raise joined
        return joined

    def participant_count(self, session_id: int) -> int:
        with self._reading() as connection:
            return connection.scalar(JOINED, {"session": session_id})

    # Answers ----------------------------------------------------------------------------------

    def record_answer(
        self,
        session_id: int,
        activity_id: str,
        participant_id: int,
        *,
        passed: bool,
        value: Any = None,
        moderation: str | None = None,
    ) -> bool:
        """Store or replace one participant's answer, only while the activity is open.

        Returns False (and stores nothing) when the activity is not open any more.
        """
        stored = _stored_answer(passed, value, moderation)
        parameters = {
            "session": session_id,
            "activity": activity_id,
            "participant": participant_id,
            "passed_it": stored["passed"],
            "value": stored["value_json"],
            "decision": stored["moderation"],
        }

        if self.dialect == "postgresql":
            with self._autocommit.connect() as connection:
                return (
                    connection.execute(ANSWER_RECORDED_POSTGRESQL, parameters).first() is not None
                )

        def record(connection: Any) -> bool:
            # Each statement checks that the activity is open as it writes (STILL_OPEN), so a
            # close made by another process a moment before is never answered after (SQLite
            # reads outside the write transaction until the first write).
            changed = connection.execute(ANSWER_CHANGED, parameters).rowcount
            if not changed:
                changed = connection.scalar(ANSWER_ADDED, parameters)
            if changed:
                self._count_answers(connection, session_id, activity_id, 1)
            return bool(changed)

        return self._phone_write(record)

    def _count_answers(self, connection: Any, session_id: int, activity_id: str, count: int):
        connection.execute(
            ANSWERS_COUNTED, {"session": session_id, "activity": activity_id, "count": count}
        )

    def seed_answers(self, session_id: int, seeds: Iterable[SeededAnswer]) -> int:
        """Rehearsals only: store simulated answers whatever the activities' state."""
        prepared = [
            {
                "session_id": session_id,
                "activity_id": seed.activity_id,
                "participant_id": seed.participant_id,
                **_stored_answer(seed.passed, seed.value, seed.moderation),
            }
            for seed in seeds
        ]
        if prepared:
            with self.writing() as connection:
                connection.execute(answers.insert(), prepared)
                for activity_id, count in Counter(row["activity_id"] for row in prepared).items():
                    self._count_answers(connection, session_id, activity_id, count)
        return len(prepared)

    def answer_of(self, session_id: int, activity_id: str, participant_id: int) -> Answer | None:
        with self._reading() as connection:
            rows = self._rows(
                connection,
                ANSWER_OF,
                {"session": session_id, "activity": activity_id, "participant": participant_id},
            )
        return _answer(rows[0]) if rows else None

    def answers_for(
        self, session_id: int, activity_id: str, *, version: int | None = None
    ) -> list[Answer]:
        """Every answer to one activity, without who gave it, in the order of their values (so
        the order says nothing about who answered first).

        With the session's `version` (the room's results, read on every phone's page): the
        answers this process last read at that version, with only those stored since read
        from the database. A result follows every answer, so reading them all each time made
        a room's burst of answers quadratic: at 500 phones, 22% of the server's time.
        """
        if version is None:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(answers.c.passed, answers.c.value_json, answers.c.moderation)
                    .where(answers.c.session_id == session_id)
                    .where(answers.c.activity_id == activity_id)
                    .order_by(answers.c.value_json)
                )
                return [_answer(row) for row in rows]
        # The connection first, then the lock: a thread holding the lock never waits for the
        # pool while others, holding connections, wait for the lock.
        with self._reading() as connection, self._room_answers_lock:
            key = (session_id, activity_id)
            known = self._room_answers.get(key)
            if known is None or known.version != version:
                known = _RoomAnswers(version)
            read = self._answers_since(connection, session_id, activity_id, known)
            if read is None:  # an answer changed: only a full read finds which
                known = _RoomAnswers(version)
                read = self._answers_since(connection, session_id, activity_id, known)
                assert read is not None
            _remember(self._room_answers, key, read)
            return read.in_order()

    @staticmethod
    def _answers_since(
        connection: Any, session_id: int, activity_id: str, known: _RoomAnswers
    ) -> _RoomAnswers | None:
        """`known` with the answers stored since, or None where an answer was changed since.

        One statement, so one snapshot: the activity's count of answers taken (every insert and
        every change adds one) beside each answer newer than the newest known. If the count
        moved by more than the new answers, one was changed, and reading on from the newest id
        cannot tell which. (A moderation decision changes no count: it moves the session's
        version, which starts the reading over.)
        """
        rows = connection.execute(
            ANSWERS_SINCE,
            {"session": session_id, "activity": activity_id, "newest": known.newest_id},
        ).all()
        if not rows:
            return known  # no such activity: nothing to read
        taken = rows[0].answers_taken or 0
        added = [row for row in rows if row.id is not None]
        if taken < known.taken:
            return None  # not the activity it was: a deleted session's id given to a new one
        if taken - known.taken != len(added):
            if known.newest_id == 0 and not known.answers:
                # A full read: the count may lag an import that wrote answers uncounted.
                return known.with_added(added, taken)
            return None
        return known.with_added(added, taken)

    def answer_pairs(
        self, session_id: int, before_id: str, after_id: str
    ) -> list[tuple[Answer | None, Answer | None]]:
        """Each participant's answers to two activities (None where they gave none), for a
        before/after comparison within one session.

        The only place one person's answers are read together: the pairs carry no participant
        and come in the order of their values, and only statistics computed from them ever
        leave workshop.review.before_after.
        """
        pairs: dict[int, list[Answer | None]] = {}
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    answers.c.participant_id,
                    answers.c.activity_id,
                    answers.c.passed,
                    answers.c.value_json,
                    answers.c.moderation,
                )
                .where(answers.c.session_id == session_id)
                .where(answers.c.activity_id.in_([before_id, after_id]))
            )
            for row in rows:
                pair = pairs.setdefault(row.participant_id, [None, None])
                pair[0 if row.activity_id == before_id else 1] = _answer(row)
        return sorted(
            ((before, after) for before, after in pairs.values()),
            key=lambda pair: repr(pair),
        )

    def answer_count(self, session_id: int, activity_id: str) -> int:
        """How many people answered one activity (passes included): one indexed count."""
        with self.engine.connect() as connection:
            return connection.scalar(
                select(func.count())
                .select_from(answers)
                .where(answers.c.session_id == session_id)
                .where(answers.c.activity_id == activity_id)
            )

    def answer_counts(self, session_id: int) -> dict[str, int]:
        """How many people answered each activity (passes included), in one GROUP BY."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(answers.c.activity_id, func.count())
                .where(answers.c.session_id == session_id)
                .group_by(answers.c.activity_id)
            )
            return {activity_id: count for activity_id, count in rows}

    def moderation_queue(self, session_id: int, activity_id: str) -> list[QueuedText]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(answers.c.id, answers.c.value_json, answers.c.moderation)
                .where(answers.c.session_id == session_id)
                .where(answers.c.activity_id == activity_id)
                .where(answers.c.passed.is_(False))
                .order_by(answers.c.id)
            )
            return [
                QueuedText(row.id, activity_id, json.loads(row.value_json), row.moderation)
                for row in rows
            ]


def sqlite_database_file(url: str) -> Path | None:
    """The database file of an SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).absolute()


def _stored_answer(passed: bool, value: Any, moderation: str | None) -> dict[str, Any]:
    """An answer's columns as stored: a pass keeps no value."""
    return {
        "passed": passed,
        "value_json": None if passed else json.dumps(value, ensure_ascii=False),
        "moderation": moderation,
    }


REMEMBERED = 1024  # entries each per-process cache keeps, the least recently used dropped first


def _remember(cache: OrderedDict, key: Any, value: Any) -> None:
    """Keep `value` under `key`, dropping the least recently used entry past REMEMBERED."""
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > REMEMBERED:
        cache.popitem(last=False)


@dataclass(frozen=True)
class _RoomAnswers:
    """One activity's answers as a process last read them, at one session version."""

    version: int
    taken: int = 0  # the activity's count of answers taken when read
    newest_id: int = 0
    answers: tuple[tuple[str, Answer], ...] = ()  # (value_json, answer), in no useful order

    def with_added(self, rows: list[Any], taken: int) -> _RoomAnswers:
        added = tuple((row.value_json or "", _answer(row)) for row in rows)
        newest = max((row.id for row in rows), default=self.newest_id)
        return _RoomAnswers(self.version, taken, newest, self.answers + added)

    def in_order(self) -> list[Answer]:
        """By value (a pass, which has none, first), so the order says nothing about who
        answered first. (A full read orders them in SQL: the same on SQLite; PostgreSQL puts
        passes last and may collate text differently, which says nothing about anyone either.)"""
        return list(self._ordered)

    @functools.cached_property
    def _ordered(self) -> tuple[Answer, ...]:
        return tuple(answer for _value, answer in sorted(self.answers, key=_by_value))


def _by_value(pair: tuple[str, Answer]) -> str:
    return pair[0]


def _answer(row: Any) -> Answer:
    value = None if row.value_json is None else json.loads(row.value_json)
    return Answer(bool(row.passed), value, row.moderation)


def pg_dump_advice(url: str, target: Path) -> str:
    """PostgreSQL backs itself up: the pg_dump command for this database, never its password."""
    parsed = make_url(url)
    query = {key: value for key, value in parsed.query.items() if key != "options"}
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=query,
    )
    options = str(parsed.query.get("options", ""))
    command = ["pg_dump", "--format=custom", f"--file={shlex.quote(str(target))}"]
    if "search_path=" in options:
        # Tandem's own schema comes first in the search path; the rest are shared ones.
        schema = options.split("search_path=", 1)[1].split()[0].split(",")[0]
        command.append(f"--schema={shlex.quote(schema)}")
    command.append(shlex.quote(plain.render_as_string(hide_password=False)))
    return (
        "Tandem keeps this workshop data in PostgreSQL, which backs itself up consistently "
        "while Tandem runs. Use (with PGPASSWORD set if the database asks for one):\n  "
        + " ".join(command)
    )
