"""Reads awaited on the event loop (workshop/store/loop_reads.py, `Store.read_on_loop`).

What running the store's synchronous reads in SQLAlchemy's greenlets on the loop could break:
a request's reads must share its own connection while other requests read on the same thread
at once; a read waiting for PostgreSQL must leave the loop free; no lock may be held across
such a wait (the room's answers: it would block the loop's thread for good); connections of
a loop that has ended, and of a closed store, must be closed without that loop; a connection
the server dropped must be replaced; the threads' own reads must still share theirs.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from workshop.room import live
from workshop.store import Store

ALIVE = "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"


def backend_pid(store: Store) -> int:
    """The PostgreSQL backend of the connection the current request's reads share."""
    with store._reading() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def wait_until_gone(url: str, pids: set[int]) -> bool:
    """Whether PostgreSQL's backends `pids` have all ended (within five seconds)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        # In autocommit: within one transaction pg_stat_activity stays as first read.
        with engine.connect() as watcher:
            for _ in range(500):
                if not any(watcher.scalar(text(ALIVE), {"pid": pid}) for pid in pids):
                    return True
                time.sleep(0.01)
        return False
    finally:
        engine.dispose()


def finished_within(seconds: float, scenario) -> tuple[bool, object]:
    """Run `asyncio.run(scenario())` in a thread of its own: whether it finished in time (a
    loop whose thread blocks on a lock for good never would), and what it returned."""
    outcome: list = []
    runner = threading.Thread(target=lambda: outcome.append(asyncio.run(scenario())), daemon=True)
    runner.start()
    runner.join(seconds)
    return not runner.is_alive(), (outcome[0] if outcome else None)


def test_each_request_reads_through_its_own_connection_while_others_read_at_once(
    postgres_store, deck
):
    store = postgres_store
    session = live.start_session(store, deck)

    def request() -> tuple[int, int, str]:
        first = backend_pid(store)
        row = store.session(session.id)  # a read through the driver, between two of SQLAlchemy
        return first, backend_pid(store), row.join_code

    async def scenario():
        return await asyncio.gather(*(store.read_on_loop(request) for _ in range(8)))

    finished, results = finished_within(30, scenario)
    assert finished
    for first, last, code in results:
        assert first == last  # every read of one request through one connection
        assert code == session.row.join_code
    # Eight requests reading at once on one thread held eight connections, not one.
    assert len({first for first, _last, _code in results}) > 1


def test_a_read_waiting_for_the_database_leaves_the_loop_free(postgres_store):
    store = postgres_store
    finished_order: list[str] = []

    def slow() -> None:
        with store._reading() as connection:
            connection.execute(text("SELECT pg_sleep(1.0)"))
        finished_order.append("slow")

    def quick() -> None:
        backend_pid(store)
        finished_order.append("quick")

    async def scenario():
        waiting = asyncio.create_task(store.read_on_loop(slow))
        await asyncio.sleep(0.2)  # the slow read is waiting for PostgreSQL by now
        await store.read_on_loop(quick)
        finished_order.append("the loop")
        await waiting

    assert finished_within(30, scenario)[0]
    # Were the loop blocked by the slow read, nothing else could finish before it.
    assert finished_order == ["quick", "the loop", "slow"]


def test_the_room_answers_read_at_once_by_many_requests_never_block_the_loop(postgres_store, deck):
    """Phones reading the room's result together: each reads what is new since the answers
    remembered. Had the store held its lock across the read, the second request on the
    loop's thread would have blocked the thread on it for good, the first never resuming."""
    store = postgres_store
    session = live.start_session(store, deck, threshold=1)
    live.go_to(store, session.id, 1)
    activity = session.deck.activities[1]
    for number in range(12):
        participant = store.join(session.id, f"{number:064d}")
        store.record_answer(session.id, activity.id, participant, passed=False, value=number % 3)
    version = store.versions([session.id])[session.id]

    def result() -> list:
        return store.answers_for(session.id, activity.id, version=version)

    async def scenario():
        return await asyncio.gather(*(store.read_on_loop(result) for _ in range(20)))

    finished, results = finished_within(30, scenario)
    assert finished, "the loop's thread blocked on the room answers' lock"
    full = store.answers_for(session.id, activity.id)
    assert all(answers == full for answers in results)
    assert len(full) == 12


def test_a_loop_that_ended_has_its_connections_closed_when_the_next_loop_reads(
    postgres_store,
):
    store = postgres_store

    async def read() -> int:
        return await store.read_on_loop(backend_pid, store)

    first = asyncio.run(read())  # that loop is closed when asyncio.run returns
    second = asyncio.run(read())
    assert second != first
    assert wait_until_gone(store.url, {first})
    gc.collect()  # an unclosed connection collected here would warn, and fail the test


def test_closing_the_store_closes_the_loops_connections(postgres_store):
    store = postgres_store

    async def reads() -> set[int]:
        # Two requests at once: two connections in the loop's pool.
        return set(await asyncio.gather(*(store.read_on_loop(slow_pid, store) for _ in range(2))))

    pids = asyncio.run(reads())
    store.close()
    assert wait_until_gone(store.url, pids)
    gc.collect()


def slow_pid(store: Store) -> int:
    with store._reading() as connection:
        connection.execute(text("SELECT pg_sleep(0.1)"))
    return backend_pid(store)


def test_a_connection_the_server_dropped_is_replaced_for_the_next_request(postgres_store, deck):
    store = postgres_store
    session = live.start_session(store, deck)

    async def scenario():
        before = await store.read_on_loop(backend_pid, store)
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        assert await asyncio.to_thread(wait_until_gone, store.url, {before})
        # The pool's check at checkout finds the hung-up connection and opens another.
        row = await store.read_on_loop(store.session, session.id)
        after = await store.read_on_loop(backend_pid, store)
        return before, after, row

    before, after, row = asyncio.run(scenario())
    assert row.join_code == session.row.join_code
    assert after != before


def test_threads_each_share_their_own_connection_as_before(store, deck):
    """`one_connection` in two threads at once: each thread's reads through its own one."""
    session = live.start_session(store, deck)
    inside = threading.Barrier(2)
    seen: dict[str, tuple] = {}

    def request(name: str) -> None:
        with store.one_connection():
            with store._reading() as first:
                pass
            inside.wait(timeout=10)  # both threads hold their connections now
            store.session(session.id)
            with store._reading() as last:
                pass
            seen[name] = (first, last)

    threads = [threading.Thread(target=request, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    (a_first, a_last), (b_first, b_last) = seen["a"], seen["b"]
    assert a_first is a_last and b_first is b_last
    assert a_first is not b_first
    # Outside the block nothing is shared: a read takes a connection of its own.
    with store._reading() as alone:
        assert alone is not a_first and alone is not b_first


def test_on_sqlite_the_reads_run_right_there_on_the_loop(sqlite_store, deck):
    store = sqlite_store
    session = live.start_session(store, deck)
    running: list[int] = []

    def request() -> str:
        running.append(threading.get_ident())
        with store._reading() as first:
            code = store.session(session.id).join_code
            with store._reading() as again:
                assert again is first
        return code

    async def scenario() -> str:
        return await store.read_on_loop(request)

    assert asyncio.run(scenario()) == session.row.join_code
    assert running == [threading.get_ident()]  # asyncio.run's loop runs in this thread


@pytest.mark.parametrize("kind", ["versions", "answers_taken"])
def test_the_watchers_reads_go_the_same_way(store, deck, kind):
    session = live.start_session(store, deck)

    async def scenario():
        return await store.read_on_loop(getattr(store, kind), {session.id})

    found = asyncio.run(scenario())
    assert found == getattr(store, kind)({session.id})
