"""Phones' writes committed together: one transaction for every write waiting at the moment.

A room's burst is a join and an answer a phone at a time, each a statement or two and a commit.
SQLite has one writer at a time, so each waited for the one before it to commit, and a commit
(its wait for the disk, and for the interpreter back after it) costs far more than the
statements: measured at 1,000 phones, the write lock's holder spent 0.15 ms in its statements
and 0.9 ms (p50) to 37 ms (p99) committing, and phones waited up to a second for the lock.

Here a thread that finds the lock held leaves its write in a queue; whoever next holds the lock
runs every queued write in one transaction and commits once, and each thread then has its own
write's result (or its exception). This is the group commit of databases' logs. Every write is
still on disk before its phone is answered.

A write is a function of the connection that only runs statements (it may run again: see
`_commit`), and stays the same whatever else is in its transaction. SQLite only: on PostgreSQL
many transactions write at once and share their commits by themselves, and one transaction
holding several phones' row locks could deadlock with a facilitator's action taking them in
the other order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

Write = Callable[[Connection], Any]


@dataclass
class _Queued:
    work: Write
    result: Any = None
    error: Exception | None = None
    done: bool = False


class GroupCommit:
    """Writes through `engine`, queued behind `lock` and committed together."""

    def __init__(self, engine: Engine, lock: threading.Lock) -> None:
        self._engine = engine
        # Also held by the store's other writers, so a batch never runs beside one.
        self._lock = lock
        self._queue: list[_Queued] = []
        self._queue_lock = threading.Lock()
        self.batches = 0  # transactions committed, for tests and benchmarks
        self.largest = 0  # the most writes one transaction held

    def write(self, work: Write) -> Any:
        """Run `work` in a transaction, committed before this returns; its result, or its
        exception raised here."""
        queued = _Queued(work)
        with self._queue_lock:
            self._queue.append(queued)
        with self._lock:
            # The holder before us may have taken our write with its own.
            if not queued.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._commit_or_fail(batch)
        if queued.error is not None:
            raise queued.error
        return queued.result

    def _commit_or_fail(self, batch: list[_Queued]) -> None:
        """Commit the batch; whatever happens, every write in it is done, with a result or an
        error, so no caller ever returns a result it did not get."""
        try:
            self._commit(batch)
        except BaseException as error:
            # An interrupt (KeyboardInterrupt, SystemExit): the transaction was rolled back,
            # so no write of the batch is stored, and each caller is told so.
            for queued in batch:
                queued.result = None
                queued.error = RuntimeError(f"the write was interrupted: {error!r}")
            raise
        finally:
            for queued in batch:
                queued.done = True

    def _commit(self, batch: list[_Queued]) -> None:
        failed_write = False
        try:
            with self._engine.begin() as connection:
                for queued in batch:
                    try:
                        queued.result = queued.work(connection)
                    except Exception:
                        failed_write = True
                        raise
        except Exception as error:
            if not failed_write or isinstance(error, OperationalError):
                # The database failed, not a write (the disk; another process holding the
                # lock past the busy timeout): running each write again would only wait as
                # long again.
                for queued in batch:
                    queued.result, queued.error = None, error
                return
        else:
            self.batches += 1
            self.largest = max(self.largest, len(batch))
            return
        # A write failed (a phone joining twice at once): nothing of the batch is stored. Each
        # write runs again in a transaction of its own, as it would have alone, so only a write
        # that fails by itself fails. (Outside the `except`, so no write's error carries
        # another phone's as its context.)
        for queued in batch:
            queued.result = queued.error = None
            try:
                with self._engine.begin() as connection:
                    queued.result = queued.work(connection)
            except Exception as error:
                queued.error = error
