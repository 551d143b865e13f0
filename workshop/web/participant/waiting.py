"""Phones waiting for the facilitator's next action, or for the room's answers, woken together.

A phone's long poll parks here with the state version it knows. It is woken at once by an action
in this process (`wake`, safe to call from Streamlit's script threads), or by `watch`, which
every WATCH_INTERVAL (a tenth of a second) reads the versions of the sessions that have waiters
with one query: so an action taken in another app process sharing the database reaches these
phones too, within a tenth of a second. (Half a second until issue 13's third round, a fifth
until its fifth: a move made in another process reached 1,000 phones later than one made here
by about the interval, for a query that costs well under a millisecond.)

A phone showing the room's result after answering also parks with the number of answers the
session had taken when it last drew the result (`taken`). The same watcher reads every such
session's count (store.answers_taken, one small query over activity rows) and wakes its phones
when it has moved: at most once per session every RESULTS_INTERVAL seconds, however fast the
answers come, so a room of thirty answering at once costs each phone one refresh every two
seconds, not one per answer. A bigger room waits longer between refreshes: a process refreshes
at most REFRESHES_PER_SECOND phones a second (each costs three requests, the long poll's reply,
the results section and a new long poll: about 1 ms of server time since issue 13's second
round, 13 ms before it, so 2% to a quarter of a core at most), so at 1,000 phones following,
each refreshes every 50 s and the room's answers still come in at full speed. The projector is
where the room watches its answers arrive; a phone's chart is for the person holding it. Phones
still answering (their form open) never park with a count, so nothing the room does disturbs
them mid-typing.

The cost is a few small queries a second per process, whatever the number of phones.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from workshop.store import Store

WATCH_INTERVAL = 0.1
RESULTS_INTERVAL = 2.0
REFRESHES_PER_SECOND = 20
LOGGER = logging.getLogger(__name__)

# Who waits for what: (session id, state version known, answers taken known or None for a
# phone that follows only the facilitator's actions).
Key = tuple[int, int, int | None]


class Waiters:
    def __init__(
        self,
        *,
        results_interval: float = RESULTS_INTERVAL,
        refreshes_per_second: float = REFRESHES_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._events: dict[Key, asyncio.Event] = {}
        self._waiting: dict[Key, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._results_interval = results_interval
        self._refreshes_per_second = refreshes_per_second
        self._clock = clock
        # When each session's result followers were last woken: the throttle.
        self._results_woken: dict[int, float] = {}

    @property
    def count(self) -> int:
        """How many phones are waiting right now."""
        return sum(self._waiting.values())

    async def wait(
        self, session_id: int, version: int, timeout: float, taken: int | None = None
    ) -> bool:
        """Wait until the session moves past `version` or, given `taken`, until the session's
        count of answers taken moves from it (throttled); False if `timeout` ran out first."""
        self._loop = asyncio.get_running_loop()
        key = (session_id, version, taken)
        event = self._events.get(key)
        if event is None:
            event = self._events[key] = asyncio.Event()
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for runs the wait in a task
            # of its own, one more object (and a frame) for each of a thousand phones parked.
            async with asyncio.timeout(timeout):
                await event.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                # The last waiter of a key tidies its event away.
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
        """Wake the phones of every session whose stored version moved past theirs, then the
        result followers of every session that took answers since they last looked."""
        session_ids = {key[0] for key in self._events}
        if not session_ids:
            return
        versions = await run_in_threadpool(store.versions, session_ids)
        for session_id in session_ids:
            if session_id in versions:
                self._wake_now(session_id, unless_version=versions[session_id])
            else:
                self._wake_now(session_id)  # the session is gone: let its phones find out
        await self._check_answers(store)

    def results_interval(self, session_id: int) -> float:
        """Seconds between two refreshes of a session's result followers in this process: the
        longer, the more phones follow, so that no more than `refreshes_per_second` refresh."""
        following = sum(
            count
            for key, count in self._waiting.items()
            if key[0] == session_id and key[2] is not None
        )
        return max(self._results_interval, following / self._refreshes_per_second)

    async def _check_answers(self, store: Store) -> None:
        now = self._clock()
        followed = {key[0] for key in self._events if key[2] is not None}
        due = {
            session_id
            for session_id in followed
            if now - self._results_woken.get(session_id, -math.inf)
            >= self.results_interval(session_id)
        }
        if not due:
            return
        taken = await run_in_threadpool(store.answers_taken, due)
        for session_id in due:
            current = taken.get(session_id, 0)
            behind = [
                key
                for key in self._events
                if key[0] == session_id and key[2] is not None and key[2] != current
            ]
            if behind:
                self._results_woken[session_id] = now
                for key in behind:
                    self._events.pop(key).set()
        # Forget the throttle of sessions whose window has passed: it holds nothing back now.
        for session_id, woken in list(self._results_woken.items()):
            if now - woken >= self.results_interval(session_id):
                del self._results_woken[session_id]

    async def watch(self, store: Store, interval: float = WATCH_INTERVAL) -> None:
        """Run `check` every `interval` seconds until cancelled."""
        self._loop = asyncio.get_running_loop()
        failed = 0
        while True:
            await asyncio.sleep(interval)
            try:
                await self.check(store)
            except Exception:
                # A database hiccup must not stop the watcher: say so once, with the reason,
                # and try again next time (not a traceback ten times a second).
                if not failed:
                    LOGGER.exception("Checking the sessions' versions failed; trying again.")
                failed += 1
                continue
            if failed:
                LOGGER.warning(
                    "The sessions' versions can be checked again (%d checks failed).", failed
                )
                failed = 0


def start_watching(waiters: Waiters, store: Store) -> Callable[[], None]:
    """Start the watcher on the running loop; returns a function that stops it."""
    task = asyncio.get_running_loop().create_task(waiters.watch(store))
    return task.cancel
