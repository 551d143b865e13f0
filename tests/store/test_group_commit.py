"""Phones' joins and answers that arrive together on SQLite are committed together
(group_commit.py), and each still gets exactly what it would have got alone: its own
participant, its own refusal, its own answer stored. (PostgreSQL commits each in a transaction
of its own: the store's other tests hold it to the same results.)

To make writes arrive together deterministically, a test holds the lock the group commit
queues behind, starts the writers, waits until all of them are queued, and lets go.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from workshop.room import live
from workshop.store import JoinRefused, Store
from workshop.store.group_commit import GroupCommit


def together(group: GroupCommit, calls: list[Callable[[], Any]]) -> list[Any]:
    """Run `calls` in threads of their own, all queued before any is written; each call's
    result, or the exception it raised."""
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            outcomes[index] = calls[index]()
        except Exception as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    with group._lock:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(group._queue) < len(calls):
            assert time.monotonic() < deadline, "the writers never queued"
            time.sleep(0.005)
    for thread in threads:
        thread.join(10)
    return outcomes


def token(number: int) -> str:
    return f"{number:064d}"


def test_joins_that_arrive_together_share_one_transaction(sqlite_store: Store, deck):
    store = sqlite_store
    session = live.start_session(store, deck)
    before = store._group_commit.batches
    joined = together(
        store._group_commit,
        [lambda number=number: store.join(session.id, token(number)) for number in range(12)],
    )
    assert store._group_commit.batches == before + 1
    assert store._group_commit.largest >= 12
    assert len(set(joined)) == 12 and all(isinstance(person, int) for person in joined)
    assert store.participant_count(session.id) == 12
    # Each phone's token names its own participant, as if it had joined alone.
    assert [store.participant(session.id, token(number)) for number in range(12)] == joined


def test_the_door_counts_every_join_of_the_batch(sqlite_store: Store, deck):
    store = sqlite_store
    session = live.start_session(store, deck, headcount=3)
    outcomes = together(
        store._group_commit,
        [lambda number=number: store.join(session.id, token(number)) for number in range(5)],
    )
    joined = [outcome for outcome in outcomes if isinstance(outcome, int)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, JoinRefused)]
    assert len(joined) == 3 and len(refused) == 2
    assert {refusal.reason for refusal in refused} == {"full"}
    assert store.participant_count(session.id) == 3
    assert store.session(session.id).turned_away == 2


def test_a_phone_joining_twice_in_one_batch_is_one_participant(sqlite_store: Store, deck):
    """The second insert of the same token fails inside the batch: the batch is run again one
    write at a time, and nobody else's join is lost."""
    store = sqlite_store
    session = live.start_session(store, deck)
    numbers = [1, 2, 1, 3]
    before = store._group_commit.batches
    outcomes = together(
        store._group_commit,
        [lambda number=number: store.join(session.id, token(number)) for number in numbers],
    )
    assert all(isinstance(outcome, int) for outcome in outcomes)
    assert outcomes[0] == outcomes[2]
    assert len(set(outcomes)) == 3
    assert store.participant_count(session.id) == 3
    # The batch was not committed: each join was run again alone.
    assert store._group_commit.batches == before


def test_answers_that_arrive_together_are_each_stored_once(sqlite_store: Store, deck):
    store = sqlite_store
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    people = [store.join(session.id, token(number)) for number in range(8)]
    before = store._group_commit.batches
    stored = together(
        store._group_commit,
        [
            lambda person=person, number=number: store.record_answer(
                session.id, "colour", person, passed=False, value=number % 3
            )
            for number, person in enumerate(people)
        ],
    )
    assert stored == [True] * 8
    assert store._group_commit.batches == before + 1
    values = sorted(answer.value for answer in store.answers_for(session.id, "colour"))
    assert values == sorted(number % 3 for number in range(8))
    assert store.answers_taken([session.id])[session.id] == 8


def test_answers_to_a_closed_activity_are_refused_in_a_batch_too(sqlite_store: Store, deck):
    store = sqlite_store
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    people = [store.join(session.id, token(number)) for number in range(3)]
    live.close_activity(store, session.id, "colour")
    stored = together(
        store._group_commit,
        [
            lambda person=person: store.record_answer(
                session.id, "colour", person, passed=False, value=0
            )
            for person in people
        ],
    )
    assert stored == [False] * 3
    assert store.answers_for(session.id, "colour") == []


@pytest.fixture
def numbers_table(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'numbers.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE numbers (value INTEGER PRIMARY KEY)"))
    yield engine
    engine.dispose()


def test_a_write_that_fails_raises_in_its_own_thread_and_the_rest_are_stored(numbers_table):
    group = GroupCommit(numbers_table, threading.Lock())

    def insert(value: int) -> Callable[[], int]:
        def work(connection) -> int:
            connection.execute(text("INSERT INTO numbers VALUES (:value)"), {"value": value})
            if value == 3:
                raise ValueError("three is refused")
            return value

        return lambda: group.write(work)

    outcomes = together(group, [insert(value) for value in range(6)])
    assert outcomes[:3] == [0, 1, 2] and outcomes[4:] == [4, 5]
    assert isinstance(outcomes[3], ValueError) and str(outcomes[3]) == "three is refused"
    with numbers_table.connect() as connection:
        stored = connection.execute(text("SELECT value FROM numbers ORDER BY value")).scalars()
        # The failed write's own statement went with it; everyone else's is on disk.
        assert list(stored) == [0, 1, 2, 4, 5]


def test_a_write_alone_is_committed_before_it_returns(numbers_table):
    group = GroupCommit(numbers_table, threading.Lock())
    group.write(lambda connection: connection.execute(text("INSERT INTO numbers VALUES (7)")))
    # Another connection sees it: committed, not merely written.
    other = create_engine(numbers_table.url)
    with other.connect() as connection:
        assert connection.execute(text("SELECT value FROM numbers")).scalars().all() == [7]
    other.dispose()


def test_a_database_failure_fails_every_write_of_the_batch_without_running_them_again(tmp_path):
    """Another process holding the write lock past the busy timeout is the database's failure,
    not a write's: every write is told, and none is run again (each would wait as long)."""
    path = tmp_path / "numbers.db"
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE numbers (value INTEGER PRIMARY KEY)"))
    group = GroupCommit(engine, threading.Lock())
    attempts = []

    def insert(value: int) -> Callable[[], int]:
        def work(connection) -> int:
            attempts.append(value)
            connection.execute(text("INSERT INTO numbers VALUES (:value)"), {"value": value})
            return value

        return lambda: group.write(work)

    other_process = create_engine(f"sqlite:///{path}").raw_connection()
    other_process.execute("BEGIN IMMEDIATE")
    try:
        outcomes = together(group, [insert(value) for value in range(4)])
    finally:
        other_process.rollback()
        other_process.close()
        engine.dispose()
    assert all(isinstance(outcome, OperationalError) for outcome in outcomes)
    assert len(attempts) == 1  # the first write met the lock; the batch stopped there


def test_an_interrupted_batch_tells_every_writer_nothing_was_stored(numbers_table):
    group = GroupCommit(numbers_table, threading.Lock())

    def work(connection) -> int:
        connection.execute(text("INSERT INTO numbers VALUES (1)"))
        raise KeyboardInterrupt  # as a Ctrl-C landing in the leader's thread would

    def other(connection) -> int:
        connection.execute(text("INSERT INTO numbers VALUES (2)"))
        return 2

    outcomes: dict[str, object] = {}

    def run(name: str, write) -> None:
        try:
            outcomes[name] = group.write(write)
        except BaseException as error:
            outcomes[name] = error

    with group._lock:  # both queued before either leads
        threads = [
            threading.Thread(target=run, args=(name, write))
            for name, write in (("other", other), ("interrupted", work))
        ]
        for thread in threads:
            thread.start()
        while len(group._queue) < 2:
            time.sleep(0.005)
    for thread in threads:
        thread.join(10)
    # Whichever led the batch raised the interrupt; the other was told its write was lost.
    kinds = sorted(type(outcome).__name__ for outcome in outcomes.values())
    assert kinds == ["KeyboardInterrupt", "RuntimeError"]
    told = next(outcome for outcome in outcomes.values() if isinstance(outcome, RuntimeError))
    assert "interrupted" in str(told)
    with numbers_table.connect() as connection:
        assert connection.execute(text("SELECT value FROM numbers")).scalars().all() == []
