"""Token buckets: how the phone routes slow down a flood without knowing who sends it.

Nothing here is keyed by address or by any trait of a device (that would mean keeping one):
a bucket is per session (joins) or per process (lookups of codes that name no workshop).
With several app processes, each has its own buckets, so the limits add up; they are meant to
turn thousands a second into a handful, not to count exactly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Up to `capacity` at once, then `per_second` a second."""

    def __init__(
        self, capacity: float, per_second: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.clock = clock
        self._tokens = capacity
        self._at = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.per_second)
        self._at = now

    def take(self) -> bool:
        """Use one token if there is one."""
        with self._lock:
            self._refill()
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False

    def empty(self) -> bool:
        with self._lock:
            self._refill()
            return self._tokens < 1

    def spend(self) -> None:
        """Use one token, into debt if need be (a miss already happened)."""
        with self._lock:
            self._refill()
            self._tokens = max(self._tokens - 1, -self.capacity)

    def widen(self, capacity: float) -> None:
        """A larger burst (a bigger room); never smaller than configured."""
        with self._lock:
            if capacity > self.capacity:
                self._tokens += capacity - self.capacity
                self.capacity = capacity


class JoinThrottle:
    """New phones per session: a room's worth at once (at least `burst`), then a few a second.

    A real room scans the QR code over a minute or two; a script making cookie-less visits in a
    loop is held to `per_second` and the facilitator sees "joined" climb past the headcount.
    """

    def __init__(
        self, burst: int = 40, per_second: float = 3.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._buckets: dict[int, TokenBucket] = {}
        self._lock = threading.Lock()

    def allow(self, session_id: int, headcount: int | None) -> bool:
        with self._lock:
            bucket = self._buckets.get(session_id)
            if bucket is None:
                if len(self._buckets) > 1000:
                    self._buckets.clear()  # only ever a few live sessions; never unbounded
                bucket = TokenBucket(self.burst, self.per_second, self.clock)
                self._buckets[session_id] = bucket
        bucket.widen(headcount or 0)
        return bucket.take()
