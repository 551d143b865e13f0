"""The life of a workshop session: start, move between activities, open, close, reveal, end.

Every facilitator action goes through here, is written to the database in one transaction with a
new state version, and then wakes whoever listens in this process (the phones' long polls).
Other processes notice the new version through their own poller (participant/waiting.py).
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from workshop.activities import ActivitySpec
from workshop.curriculum.decks import Deck
from workshop.curriculum.practice import Practice
from workshop.store import ActivityState, SessionRow, Store

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read off a projector is typed right the first time.
JOIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6
DEFAULT_THRESHOLD = 5


class LiveError(ValueError):
    """An action the session's state does not allow; the message is for the facilitator."""


_listeners: list[Callable[[int], None]] = []


def on_change(listener: Callable[[int], None]) -> None:
    """Call `listener(session_id)` after every facilitator action in this process."""
    _listeners.append(listener)


def _changed(session_id: int) -> None:
    for listener in list(_listeners):
        listener(session_id)


@functools.lru_cache(maxsize=64)
def _deck(deck_json: str) -> Deck:
    # Snapshots never change, so parsing each one once per process is enough.
    return Deck.from_json(deck_json)


@dataclass(frozen=True)
class Live:
    """A session as the pages read it: the stored row, its deck and each activity's state."""

    row: SessionRow
    deck: Deck
    states: dict[str, ActivityState]

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def ended(self) -> bool:
        return self.row.status == "ended"

    @property
    def current(self) -> ActivitySpec | None:
        """The activity on screen, or None while the join slide shows."""
        index = self.row.current_index
        return self.deck.activities[index] if 0 <= index < len(self.deck.activities) else None

    def state(self, activity_id: str) -> ActivityState:
        return self.states.get(activity_id, ActivityState("waiting", False))

    def timer_remaining(self, now: float | None = None) -> float | None:
        """Seconds left on the discussion timer (0 once it runs out), or None if none runs."""
        if self.row.timer_started_at is None or self.row.timer_seconds is None:
            return None
        elapsed = (now or time.time()) - self.row.timer_started_at
        return max(0.0, self.row.timer_seconds - elapsed)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as a join code: upper case, no spaces or dashes."""
    return "".join(character for character in text.upper() if character.isalnum())


def start_session(
    store: Store,
    deck: Deck,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    rehearsal: bool = False,
    practice: Practice | None = None,
) -> Live:
    """Start a session on a snapshot of `deck`, with the practice's support resources filled in."""
    if not 1 <= threshold <= 50:
        raise LiveError("The response threshold must be between 1 and 50.")
    deck = (practice or Practice()).fill(deck)
    for _attempt in range(20):
        try:
            session_id = store.create_session(
                join_code=new_join_code(),
                deck_id=deck.id,
                title=deck.title,
                deck_json=deck.to_json(),
                threshold=threshold,
                activity_ids=[activity.id for activity in deck.activities],
                rehearsal=rehearsal,
            )
            break
        except IntegrityError:
            continue  # that code is in use; draw another
    else:
        raise LiveError("Could not find a free join code; please try again.")
    live = load(store, session_id)
    assert live is not None
    return live


def load(store: Store, session_id: int) -> Live | None:
    row = store.session(session_id)
    return _live(store, row) if row else None


def load_by_code(store: Store, join_code: str) -> Live | None:
    row = store.session_by_code(normalise_code(join_code))
    return _live(store, row) if row else None


def _live(store: Store, row: SessionRow) -> Live:
    return Live(row, _deck(row.deck_json), store.activity_states(row.id, row.version))


def _require_live(store: Store, session_id: int) -> Live:
    live = load(store, session_id)
    if live is None:
        raise LiveError("That session does not exist.")
    if live.ended:
        raise LiveError("That session has ended.")
    return live


def go_to(store: Store, session_id: int, index: int) -> Live:
    """Show activity `index` (-1 for the join slide); one never opened before opens now.

    A running discussion timer belongs to the activity it was started on, so it stops here.
    """
    live = _require_live(store, session_id)
    if not -1 <= index < len(live.deck.activities):
        raise LiveError("There is no activity there.")
    changes = {"current_index": index, "timer_started_at": None, "timer_seconds": None}
    shown = live.deck.activities[index].id if index >= 0 else None  # logged for timing.py
    store.apply(session_id, "advance", shown, session_changes=changes)
    if index >= 0:
        activity = live.deck.activities[index]
        if activity.answerable and live.state(activity.id).status == "waiting":
            store.apply(session_id, "open", activity.id, activity_changes={"status": "open"})
    _changed(session_id)
    return load(store, session_id)  # type: ignore[return-value]


def next_activity(store: Store, session_id: int) -> Live:
    live = _require_live(store, session_id)
    return go_to(store, session_id, min(live.row.current_index + 1, len(live.deck.activities) - 1))


def previous_activity(store: Store, session_id: int) -> Live:
    live = _require_live(store, session_id)
    return go_to(store, session_id, max(live.row.current_index - 1, -1))


def _set_state(
    store: Store, session_id: int, activity_id: str, kind: str, **changes: object
) -> Live:
    store.apply(session_id, kind, activity_id, activity_changes=changes)
    _changed(session_id)
    return load(store, session_id)  # type: ignore[return-value]


def open_activity(store: Store, session_id: int, activity_id: str) -> Live:
    live = _require_live(store, session_id)
    if not live.deck.activity(activity_id).answerable:
        raise LiveError("An information slide has nothing to open.")
    return _set_state(store, session_id, activity_id, "open", status="open")


def close_activity(store: Store, session_id: int, activity_id: str) -> Live:
    live = _require_live(store, session_id)
    if live.state(activity_id).status != "open":
        raise LiveError("That activity is not open.")
    return _set_state(store, session_id, activity_id, "close", status="closed")


def reveal(store: Store, session_id: int, activity_id: str, revealed: bool = True) -> Live:
    """Show (or hide again) results of a sensitive activity, answer keys and explanations."""
    live = _require_live(store, session_id)
    activity = live.deck.activity(activity_id)
    if revealed and activity.sensitive and live.state(activity_id).status != "closed":
        raise LiveError("This activity is private: close it before revealing its results.")
    return _set_state(
        store, session_id, activity_id, "reveal" if revealed else "hide", revealed=revealed
    )


def start_timer(store: Store, session_id: int, seconds: int) -> Live:
    _require_live(store, session_id)
    if not 10 <= seconds <= 3600:
        raise LiveError("A timer runs between 10 seconds and an hour.")
    changes = {"timer_started_at": time.time(), "timer_seconds": seconds}
    store.apply(session_id, "timer", session_changes=changes)
    _changed(session_id)
    return load(store, session_id)  # type: ignore[return-value]


def stop_timer(store: Store, session_id: int) -> Live:
    _require_live(store, session_id)
    changes = {"timer_started_at": None, "timer_seconds": None}
    store.apply(session_id, "timer", session_changes=changes)
    _changed(session_id)
    return load(store, session_id)  # type: ignore[return-value]


def end_session(store: Store, session_id: int) -> Live:
    """End the workshop: every open activity closes and phones see a goodbye page."""
    live = _require_live(store, session_id)
    for activity_id, state in live.states.items():
        if state.status == "open":
            store.apply(session_id, "close", activity_id, activity_changes={"status": "closed"})
    store.apply(session_id, "end", session_changes={"status": "ended", "ended_at": time.time()})
    _changed(session_id)
    return load(store, session_id)  # type: ignore[return-value]
