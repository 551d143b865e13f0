"""How fast the facilitator's passcode may be tried: a growing delay, then a lock-out that only
the laptop lifts (`workshop unlock`).

The state is one setting in the database, so every app process sharing it agrees. An attempt is
counted as a failure *before* the passcode is checked, by compare-and-swap, so parallel attempts
cannot share one free moment; a right passcode then clears the count. Logins already open stay
open through a lock-out: it stops guessing, not the workshop.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from workshop.i18n import gettext as _
from workshop.i18n import ngettext
from workshop.store import Store

SETTING = "login_door"
# A facilitator mistyping gets three tries in a row without waiting...
FREE_ATTEMPTS = 3
# ...then waits 2, 4, 8, 16, 32 and then 60 seconds between tries...
LONGEST_WAIT = 60
# ...and after this many wrong passcodes in a row the login locks until `workshop unlock`.
LOCK_AFTER = 20
# Printed in the terminal, which speaks English; the login page says it in its own language
# (Refusal.message).
UNLOCK_ADVICE = "At the laptop running Tandem, run `workshop unlock`."


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is not allowed now."""

    locked: bool
    wait_seconds: int

    @property
    def message(self) -> str:
        """What the login page says, in the language spoken."""
        if self.locked:
            return _(
                "Too many wrong passcodes: logging in is locked. At the laptop running Tandem, "
                "run `workshop unlock`."
            )
        return ngettext(
            "Too many wrong passcodes. Please wait a second and try again.",
            "Too many wrong passcodes. Please wait %(seconds)d seconds and try again.",
            self.wait_seconds,
        ) % {"seconds": self.wait_seconds}


def wait_after(failures: int) -> int:
    """Seconds before the next attempt, after `failures` wrong passcodes in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS + 1), LONGEST_WAIT)


def _read(raw: str | None) -> tuple[int, float]:
    try:
        state = json.loads(raw) if raw else {}
        return int(state.get("failures", 0)), float(state.get("next_at", 0.0))
    except (ValueError, TypeError, AttributeError):
        return LOCK_AFTER, 0.0  # a damaged record errs on the safe side: locked


def _write(failures: int, next_at: float) -> str:
    return json.dumps({"failures": failures, "next_at": next_at})


def reserve_attempt(store: Store) -> Refusal | None:
    """Count one attempt as a failure before it is checked; a Refusal if none is allowed now."""
    for _try in range(5):  # a few tries: a double click must not cost a wait it did not earn
        raw = store.setting(SETTING)
        failures, next_at = _read(raw)
        now = store.clock()
        if failures >= LOCK_AFTER:
            return Refusal(locked=True, wait_seconds=0)
        if now < next_at:
            return Refusal(locked=False, wait_seconds=max(1, math.ceil(next_at - now)))
        counted = failures + 1
        if store.swap_setting(SETTING, raw, _write(counted, now + wait_after(counted))):
            return None
        # Another attempt changed the count first: read it again.
    return Refusal(locked=False, wait_seconds=1)


def failures(store: Store) -> int:
    """Wrong passcodes in a row so far (an attempt in progress counts)."""
    return _read(store.setting(SETTING))[0]


def is_locked(store: Store) -> bool:
    return failures(store) >= LOCK_AFTER


def clear(store: Store) -> None:
    """After a right passcode, or `workshop unlock`: no failures, no wait."""
    store.put_setting(SETTING, _write(0, 0.0))
