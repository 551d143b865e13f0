"""What was made for one phone a moment ago, handed to the next phone that needs the same.

When the facilitator moves the room, every phone reloads its page within a second or two; when
answers arrive, the phones following the room fetch its result together. Those phones need the
same thing, made from the same state: the aggregation of the activity's answers, or the page of
an activity none of them has answered yet. Each is made once and shared for a short time.

The key must hold everything the value is made from (the session's version, its count of
answers taken, the language...), so that nothing stale is ever shared; the time limit is a
second line of defence, and the size limit keeps a long workshop from growing the process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Recent(Generic[Value]):
    """Values by key, each shared for up to `seconds` after it was made."""

    def __init__(
        self,
        seconds: float,
        *,
        limit: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seconds = seconds
        self._limit = limit
        self._clock = clock
        self._made: dict[Hashable, tuple[float, Value]] = {}
        # Phones are served on the event loop and, for writes, in worker threads.
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value made for `key` within the time limit, else `make()` (remembered)."""
        now = self._clock()
        with self._lock:
            found = self._made.get(key)
        if found is not None and now - found[0] < self._seconds:
            return found[1]
        value = make()  # outside the lock: making may read the database
        with self._lock:
            if len(self._made) >= self._limit:
                self._made.clear()
            self._made[key] = (now, value)
        return value
