"""The phones' reads through the database's driver (workshop/store/driver_reads.py): the same
rows as SQLAlchemy gives, every write committed elsewhere seen at once, a driver error raised as
SQLAlchemy raises it, a lost connection replaced; on PostgreSQL, reads that hold no transaction
open and writes that still do. What reaching past SQLAlchemy's execution layer could break."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Boolean, bindparam, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from workshop.room import live
from workshop.store import Store
from workshop.store.database import (
    ANSWERS_TAKEN_OF_ONE,
    PARTICIPANT,
    PARTICIPANT_AND_ANSWER,
    PHONE_READS,
    SESSION_BY_CODE,
    SESSION_BY_ID,
)
from workshop.store.driver_reads import DriverRead
from workshop.store.schema import activity_states, sessions

ALIVE = "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"


@pytest.fixture
def room(store: Store, deck):
    """A session whose row has a value of every type its columns hold: booleans on and off,
    numbers and NULLs; a participant with an answer whose value is JSON."""
    session = live.start_session(store, deck, threshold=2)
    live.go_to(store, session.id, 1)
    participant = store.join(session.id, "a" * 64)
    store.record_answer(session.id, "colour", participant, passed=False, value=2)
    store.lock_joins(session.id, True)
    store.set_headcount(session.id, None)
    live.start_timer(store, session.id, 60)  # a number with a fraction (a float column)
    return store, session, participant


def test_every_phone_read_gives_what_sqlalchemy_gives(room):
    store, session, participant = room
    values = {
        id(SESSION_BY_ID): {"session": session.id},
        id(SESSION_BY_CODE): {"code": session.row.join_code},
        id(PARTICIPANT): {"session": session.id, "token": "a" * 64},
        id(PARTICIPANT_AND_ANSWER): {
            "session": session.id,
            "token": "a" * 64,
            "activity": "colour",
        },
        id(ANSWERS_TAKEN_OF_ONE): {"session": session.id},
    }
    with store.engine.connect() as connection:
        for statement in PHONE_READS:
            read = DriverRead.compile(statement, store.engine.dialect)
            through_driver = read.rows(connection, values[id(statement)])
            through_sqlalchemy = connection.execute(statement, values[id(statement)]).all()
            assert len(through_driver) == 1, statement
            [driven], [expected] = through_driver, through_sqlalchemy
            assert driven._asdict() == expected._asdict(), statement
            # The same types too: a Boolean column's 1 is True, as SQLAlchemy makes it.
            assert [type(value) for value in driven] == [type(value) for value in expected]
    row = store.session_by_code(session.row.join_code)
    assert row.joins_locked is True and row.rehearsal is False and row.headcount is None
    assert row == store.session(session.id)
    assert store.participant(session.id, "a" * 64) == participant
    assert store.participant(session.id, "b" * 64) is None
    answer = store.answer_of(session.id, "colour", participant)
    assert answer is not None and answer.value == 2 and answer.passed is False
    assert store.answers_taken([session.id]) == {session.id: 1}
    assert store.answers_taken([session.id + 99]) == {}


def test_the_store_reads_them_through_the_driver(store):
    assert set(store._driver_reads) == {id(statement) for statement in PHONE_READS}


def test_a_write_committed_elsewhere_is_read_at_once_on_the_same_connection(room):
    """One request's reads share one connection (`one_connection`): a join committed by
    another thread between two of them is seen by the second, as through SQLAlchemy (Python's
    sqlite3 begins no transaction for a SELECT, so no snapshot is held)."""
    store, session, _participant = room
    store.lock_joins(session.id, False)
    with store.one_connection():
        assert store.participant(session.id, "c" * 64) is None
        before = store.session(session.id).version
        joining = threading.Thread(target=store.join, args=(session.id, "c" * 64))
        joining.start()
        joining.join()
        live.reveal(store, session.id, "colour")
        assert store.participant(session.id, "c" * 64) is not None
        assert store.session(session.id).version == before + 1


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(room):
    """The web layer knows SQLAlchemy's errors (the "try again" page): a failing read through
    the driver is one too, with the driver's error inside."""
    store, session, _participant = room
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE participants RENAME TO gone")
    with pytest.raises(DBAPIError) as raised:
        store.participant(session.id, "a" * 64)
    assert "participants" in str(raised.value.orig)
    # The very error SQLAlchemy raises for the same statement (OperationalError on SQLite,
    # ProgrammingError on PostgreSQL).
    with pytest.raises(DBAPIError) as through_sqlalchemy, store.engine.connect() as connection:
        connection.execute(PARTICIPANT, {"session": session.id, "token": "a" * 64})
    assert type(raised.value) is type(through_sqlalchemy.value)
    assert type(raised.value.orig) is type(through_sqlalchemy.value.orig)


def test_a_connection_the_server_dropped_mid_request_is_replaced(postgres_store, deck):
    """PostgreSQL ends a connection between two of a request's reads (a restart, an
    administrator): the read says OperationalError, as through SQLAlchemy, and the pool gets a
    new connection for the next request instead of handing out the dead one."""
    store = postgres_store
    session = live.start_session(store, deck)
    with store.one_connection():
        assert store.session(session.id) is not None
        with store._reading() as connection:
            backend = connection.connection.driver_connection.info.backend_pid
        # In autocommit: within one transaction pg_stat_activity stays as first read.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            for _ in range(500):  # pg_terminate_backend only asks: until it has gone
                gone = not other.scalar(text(ALIVE), {"pid": backend})
                if gone:
                    break
                time.sleep(0.01)
        assert gone
        with pytest.raises(OperationalError) as raised:
            store.session(session.id)
        assert raised.value.connection_invalidated
        # Invalidated, as SQLAlchemy does on a lost connection: not handed back to the pool.
        assert connection.invalidated
    assert store.session(session.id).join_code == session.row.join_code
    with store._reading() as connection:
        assert connection.connection.driver_connection.info.backend_pid != backend


def test_reads_hold_no_transaction_and_writes_still_roll_back(store, deck):
    """On PostgreSQL reads run in autocommit (no BEGIN, no ROLLBACK, no snapshot held while a
    request renders its page); the pooled connection goes back to transactions as it returns,
    so a write that fails half-way still leaves nothing behind."""
    session = live.start_session(store, deck)
    with store.one_connection():
        store.session(session.id)
        store.participant(session.id, "a" * 64)
        with store._reading() as connection:
            driver = connection.connection.driver_connection
            reading = connection.connection.dbapi_connection
            if store.dialect == "postgresql":
                assert driver.autocommit is True
                assert driver.info.transaction_status.name == "IDLE"
            else:
                assert driver.in_transaction is False
    # The same pooled connections, now for a write that fails after its first statement.
    with pytest.raises(RuntimeError), store.writing() as connection:
        # The very connection the reads had (the pool's only idle one), now for a write.
        assert connection.connection.dbapi_connection is reading
        if store.dialect == "postgresql":
            assert connection.connection.driver_connection.autocommit is False
        connection.execute(
            text("UPDATE sessions SET title = 'changed' WHERE id = :id"), {"id": session.id}
        )
        raise RuntimeError("the write fails half-way")
    assert store.session(session.id).title == session.row.title


def test_a_statement_the_driver_cannot_run_as_it_is_is_refused(sqlite_store):
    dialect = sqlite_store.engine.dialect
    needs_converting = select(sessions.c.id).where(
        sessions.c.rehearsal == bindparam("rehearsal", type_=Boolean)
    )
    with pytest.raises(ValueError, match="rehearsal"):
        DriverRead.compile(needs_converting, dialect)
    same_names = select(sessions.c.id, activity_states.c.session_id.label("id"))
    with pytest.raises(ValueError, match="share a name"):
        DriverRead.compile(same_names, dialect)
    a_list = select(sessions.c.id).where(sessions.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="IN list"):
        DriverRead.compile(a_list, dialect)


def test_a_literal_in_a_statement_is_sent_with_it(room):
    store, session, _participant = room
    live_ones = select(sessions.c.id).where(sessions.c.status == "live")
    read = DriverRead.compile(live_ones, store.engine.dialect)
    with store.engine.connect() as connection:
        assert [row.id for row in read.rows(connection, {})] == [session.id]
