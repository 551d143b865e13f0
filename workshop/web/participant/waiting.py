"""Phones waiting for the facilitator's next action, woken together.

A phone's long poll parks here with the state version it knows. It is woken at once by an action
in this process (`wake`, safe to call from Streamlit's script threads), or by `watch`, which
every WATCH_INTERVAL (half a second) reads the versions of the sessions that have waiters with
one query: so an action taken in another app process sharing the database reaches these phones
too, within half a second. The cost is two small queries a second per process, whatever the
number of phones.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from workshop.store import Store

WATCH_INTERVAL = 0.5
LOGGER = logging.getLogger(__name__)


class Waiters:
    def __init__(self) -> None:
        self._events: dict[tuple[int, int], asyncio.Event] = {}
        self._waiting: dict[tuple[int, int], int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def count(self) -> int:
        """How many phones are waiting right now."""
        return sum(self._waiting.values())

    async def wait(self, session_id: int, version: int, timeout: float) -> bool:
        """Wait until the session moves past `version`; False if `timeout` ran out first."""
        self._loop = asyncio.get_running_loop()
        key = (session_id, version)
        event = self._events.setdefault(key, asyncio.Event())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                # The last waiter of a version tidies its event away.
                del self._waiting[key]
                if self._events.get(key) is event:
                    del self._events[key]

    def _wake_now(self, session_id: int, unless_version: int | None = None) -> None:
        for key in [key for key in self._events if key[0] == session_id]:
            if unless_version is not None and key[1] == unless_version:
                continue
            self._events.pop(key).set()

    def wake(self, session_id: int) -> None:
        """Wake every phone of a session; callable from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(self._wake_now, session_id)

    async def check(self, store: Store) -> None:
        """Wake the phones of every session whose stored version moved past theirs."""
        session_ids = {key[0] for key in self._events}
        if not session_ids:
            return
        versions = await run_in_threadpool(store.versions, session_ids)
        for session_id in session_ids:
            if session_id in versions:
                self._wake_now(session_id, unless_version=versions[session_id])
            else:
                self._wake_now(session_id)  # the session is gone: let its phones find out

    async def watch(self, store: Store, interval: float = WATCH_INTERVAL) -> None:
        """Run `check` every `interval` seconds until cancelled."""
        self._loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval)
            try:
                await self.check(store)
            except Exception:
                # A database hiccup must not stop the watcher: say so, and try again next time.
                LOGGER.exception("Checking the sessions' versions failed; trying again.")


def start_watching(waiters: Waiters, store: Store) -> Callable[[], None]:
    """Start the watcher on the running loop; returns a function that stops it."""
    task = asyncio.get_running_loop().create_task(waiters.watch(store))
    return task.cancel
