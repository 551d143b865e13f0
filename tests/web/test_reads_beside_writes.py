"""On SQLite a phone's reads run on the server's event loop, its writes in worker threads
(routes.py, `_reading`): a write waiting for the database must hold up no other request.

Another process holds SQLite's write lock; a phone's changed answer waits for it (in its thread)
while the same server, on the same event loop, serves a page, a long poll and a results section.
Were a read waiting behind the write, or the answer waiting on the loop, these would hang.
"""

from __future__ import annotations

import asyncio
import threading

import httpx2
from sqlalchemy import text
from starlette.applications import Starlette

from workshop.room import live
from workshop.store import Store
from workshop.web.participant.routes import ParticipantPages
from workshop.web.participant.waiting import Waiters


def test_an_answer_waiting_for_the_database_holds_up_no_read(sqlite_store, deck):
    store = sqlite_store
    session = live.start_session(store, deck, threshold=1)
    live.go_to(store, session.id, 1)  # "Pick a colour", open
    code = session.row.join_code
    app = Starlette(routes=ParticipantPages(store, Waiters()).routes())
    other_process = Store(store.url)
    holding = threading.Event()
    release = threading.Event()
    released_in_time = []

    def hold_the_write_lock() -> None:
        with other_process.writing() as connection:
            connection.execute(
                text("UPDATE sessions SET turned_away = turned_away WHERE id = :id"),
                {"id": session.id},
            )
            holding.set()
            released_in_time.append(release.wait(30))

    async def scenario() -> tuple[bool, list[int]]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://phone") as client:
            assert (await client.get(f"/j/{code}")).status_code == 200  # joined
            first = await client.post(f"/j/{code}", data={"activity": "colour", "choice": "0"})
            assert first.status_code == 303
            holder = threading.Thread(target=hold_the_write_lock)
            holder.start()
            await asyncio.to_thread(holding.wait, 10)
            answer = asyncio.create_task(
                client.post(f"/j/{code}", data={"activity": "colour", "choice": "1"})
            )
            await asyncio.sleep(0.2)  # the change is in its thread, waiting on SQLite's lock
            reads = [
                await client.get(f"/j/{code}"),
                await client.get(f"/j/{code}/wait", params={"v": "0"}),
                await client.get(f"/j/{code}/results", params={"activity": "colour"}),
            ]
            answer_waited = not answer.done()
            release.set()
            stored = await answer
            await asyncio.to_thread(holder.join, 10)
            return answer_waited, [reply.status_code for reply in [*reads, stored]]

    try:
        answer_waited, statuses = asyncio.run(scenario())
    finally:
        release.set()
        other_process.close()
    # Every read was served while the answer still waited, before the lock was let go.
    assert answer_waited and released_in_time == [True]
    assert statuses == [200, 200, 200, 303]
    assert [answer.value for answer in store.answers_for(session.id, "colour")] == [1]


def test_reads_run_on_the_event_loop_and_joins_in_a_thread(sqlite_store, deck):
    """Even a phone whose signed cookie names no participant any more (after a backup was
    restored) is joined in a worker thread, never on the loop."""
    store = sqlite_store
    session = live.start_session(store, deck, threshold=1)
    code = session.row.join_code
    pages = ParticipantPages(store, Waiters())
    app = Starlette(routes=pages.routes())
    threads: dict[str, list[threading.Thread]] = {"join": [], "read": []}
    join, session_of_member = store.join, pages._session_of_member

    def recorded_join(*arguments):
        threads["join"].append(threading.current_thread())
        return join(*arguments)

    def recorded_read(*arguments):
        threads["read"].append(threading.current_thread())
        return session_of_member(*arguments)

    store.join = recorded_join
    pages._session_of_member = recorded_read

    async def scenario() -> threading.Thread:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://phone") as client:
            assert (await client.get(f"/j/{code}")).status_code == 200
            assert (await client.get(f"/j/{code}/wait", params={"v": "0"})).status_code == 200
            with store.writing() as connection:  # as a restored backup from before the join
                connection.execute(text("DELETE FROM participants"))
            assert (await client.get(f"/j/{code}")).status_code == 200
        return threading.current_thread()

    loop_thread = asyncio.run(scenario())
    assert threads["read"] == [loop_thread]
    assert len(threads["join"]) == 2
    assert all(thread is not loop_thread for thread in threads["join"])
    assert store.participant_count(session.id) == 1
