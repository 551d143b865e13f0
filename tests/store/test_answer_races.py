"""Answers that race a close, and answers that race each other: on PostgreSQL an answer is one
statement in autocommit (database.py, ANSWER_RECORDED_POSTGRESQL), on SQLite a group commit.
What writing it as one statement could break: an answer stored after the close that should
have stopped it, or a count of answers that drifts from the answers stored."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from workshop.room import live
from workshop.store import Store

CLOSE = (
    "UPDATE activity_states SET status = 'closed' "
    "WHERE session_id = :session AND activity_id = 'colour'"
)
# Sessions the close holds up: the answer's, once it waits for the close's lock.
HELD_UP_BY = "SELECT count(*) FROM pg_stat_activity WHERE :closer = ANY(pg_blocking_pids(pid))"


def _taken(store: Store, session_id: int) -> int:
    return store.answers_taken([session_id]).get(session_id, 0)


def _wait_until_held_up(store: Store, closing) -> None:
    """Until the answer waits on the close's lock (on SQLite, a moment: the writer waits in
    SQLite's busy handler, with nothing to ask about it)."""
    if store.dialect != "postgresql":
        time.sleep(0.3)
        return
    closer = closing.connection.driver_connection.info.backend_pid
    deadline = time.monotonic() + 10
    # In autocommit: within one transaction PostgreSQL shows pg_stat_activity as it first read
    # it, and the answer may not have reached the server by then.
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watching:
        while watching.scalar(text(HELD_UP_BY), {"closer": closer}) == 0:
            assert time.monotonic() < deadline, "the answer never waited for the close"
            time.sleep(0.01)


def test_an_answer_waiting_behind_a_close_is_refused_when_the_close_commits(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)  # opens "colour"
    person = store.join(session.id, "p" * 64)
    assert store.record_answer(session.id, "colour", person, passed=False, value=0)
    before = _taken(store, session.id)
    result: list[bool] = []
    with store.engine.connect() as closing:
        closing.execute(text(CLOSE), {"session": session.id})  # not committed yet
        answering = threading.Thread(
            target=lambda: result.append(
                store.record_answer(session.id, "colour", person, passed=False, value=2)
            )
        )
        answering.start()
        _wait_until_held_up(store, closing)
        assert result == []  # still waiting for the close
        closing.commit()
    answering.join(timeout=30)
    assert result == [False]
    assert store.answer_of(session.id, "colour", person).value == 0
    assert _taken(store, session.id) == before


def test_an_answer_waiting_behind_a_close_that_is_undone_is_stored(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    person = store.join(session.id, "p" * 64)
    result: list[bool] = []
    with store.engine.connect() as closing:
        closing.execute(text(CLOSE), {"session": session.id})
        answering = threading.Thread(
            target=lambda: result.append(
                store.record_answer(session.id, "colour", person, passed=False, value=1)
            )
        )
        answering.start()
        _wait_until_held_up(store, closing)
        closing.rollback()
    answering.join(timeout=30)
    assert result == [True]
    assert store.answer_of(session.id, "colour", person).value == 1
    assert _taken(store, session.id) == 1


def test_answers_at_once_are_each_stored_and_counted_once(store, deck):
    """Forty phones answering together, each then changing its answer: one answer each, the
    changes in place, and the count moved once for every answer and every change."""
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    people = [store.join(session.id, f"{number:064d}") for number in range(40)]

    def answer(person: int, value: int) -> bool:
        return store.record_answer(session.id, "colour", person, passed=False, value=value)

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(answer, people, [0] * len(people)))
        assert all(pool.map(answer, people, [2] * len(people)))
    stored = store.answers_for(session.id, "colour")
    assert [item.value for item in stored] == [2] * len(people)
    assert _taken(store, session.id) == 2 * len(people)
