"""A phone request's reads on PostgreSQL, awaited on the event loop instead of in a thread.

A phone's page on PostgreSQL makes about five round trips to the server. Run in a worker
thread, each request waited twice for the interpreter lock (handed to the thread, and its
result handed back) and its thread waited for the lock again after every round trip, while the
event loop and the other threads held it: at 1,000 phones the worker threads spent most of
their time waiting, with the server's CPU to spare (docs/performance.md, sixth round). The same
reads run on the event loop itself, blocking it, took the first answers' p95 from 7.6 s to
2.4 s; but a read that blocks the loop holds up every phone for as long as PostgreSQL takes.

So here the reads wait without a thread and without blocking: SQLAlchemy's asyncio extension
(`AsyncConnection.run_sync`, with psycopg's asynchronous connection) runs the same synchronous
code the threads ran (the store's reads, the page made from them) in a greenlet, which hands
the event loop back while each read waits for PostgreSQL. The code is unchanged; only where it
waits is.

The one rule for code run this way: hold no thread lock across a read. Requests share the
loop's one thread, so a request that waited for PostgreSQL while holding a `threading.Lock`
would leave the next request that wants the lock blocking the whole loop, forever. (The store's
room answers are read outside their lock for this: `Store.answers_for`.)

Each event loop has an engine of its own: an asyncio connection belongs to the loop that opened
it. The server has one loop; a test's client starts one of its own. An engine left by a loop
that has ended has its connections closed with libpq's own close (`pgconn.finish()`, which
tells the server goodbye and needs no loop), as is every connection at `close`.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

Result = TypeVar("Result")


class LoopReads:
    """Connections for reads awaited on the running event loop (PostgreSQL only)."""

    def __init__(
        self,
        url: str,
        *,
        pool: int,
        connect_args: dict[str, Any],
        prepare: Callable[[Engine], None],
    ) -> None:
        self._url = url
        self._pool = pool
        self._connect_args = connect_args
        self._prepare = prepare  # listeners every engine of the store has (the hung-up check)
        # The running loop's engine, and the driver connections it has opened.
        self._held: tuple[asyncio.AbstractEventLoop, AsyncEngine, weakref.WeakSet] | None = None

    async def run(self, work: Callable[[Connection], Result]) -> Result:
        """`work(connection)`, synchronous code, run on this event loop with a connection in
        autocommit whose every round trip is awaited (see the module's docstring)."""
        async with self._engine().connect() as connection:
            return await connection.run_sync(work)

    def close(self) -> None:
        """Close every connection, from any thread, whether or not their loop still runs."""
        held, self._held = self._held, None
        if held is not None:
            _abandon(held[1], held[2])

    def _engine(self) -> AsyncEngine:
        loop = asyncio.get_running_loop()
        held = self._held
        if held is not None and held[0] is loop:
            return held[1]
        if held is not None:
            _abandon(held[1], held[2])  # its loop has ended: a test's client came and went
        engine = create_async_engine(
            self._url,
            pool_size=self._pool,
            max_overflow=self._pool,
            connect_args=self._connect_args,
            # A read needs no transaction: no BEGIN and ROLLBACK round trips around it.
            isolation_level="AUTOCOMMIT",
        )
        opened: weakref.WeakSet = weakref.WeakSet()

        @event.listens_for(engine.sync_engine, "connect")
        def _remember(_connection: Any, record: Any) -> None:
            opened.add(record.driver_connection)

        self._prepare(engine.sync_engine)
        self._held = (loop, engine, opened)
        return engine


def _abandon(engine: AsyncEngine, opened: weakref.WeakSet) -> None:
    """Close `engine`'s connections without its loop, then let the pool forget them."""
    for driver in list(opened):
        driver.pgconn.finish()
    engine.sync_engine.dispose(close=False)
