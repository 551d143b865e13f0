"""The life of a workshop session, and the only way to change or read a room.

Every facilitator action (moving on, opening, closing, revealing, timers, moderation, the end)
goes through here: it is written to the database as one transaction that logs it and moves the
session to a new version, and then wakes whoever listens in this process (the phones' long
polls). Other processes notice the new version through their own watcher
(web/participant/waiting.py). Reading goes through here too: `room` gives the projector and the
control view the session and its current result, and `result_of` is the one place answers
become a Result.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from workshop.activities import ActivitySpec
from workshop.curriculum.decks import Deck
from workshop.curriculum.practice import Practice
from workshop.i18n import gettext as _
from workshop.room.moderation import DECISIONS
from workshop.room.results import DEFAULT_PRIVATE_THRESHOLD, Result, result_for
from workshop.room.timing import Timing, timing
from workshop.store import (
    ActivityState,
    JoinCodeTaken,
    QueuedText,
    SessionNotLive,
    SessionRow,
    Store,
)

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read off a projector is typed right the first time.
JOIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6
# The most people a session may expect (and so the most phones that may join it).
MOST_PEOPLE = 5000
DEFAULT_THRESHOLD = 5


class LiveError(ValueError):
    """An action the session's state does not allow; the message is for the facilitator.

    It is said in the language spoken where the action ran. A Streamlit callback runs before
    its page has set the language, so pages show the message through `gettext` once more: an
    English one finds its translation there, a translated one is left as it is."""


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

    def timer_remaining(self, now: float) -> float | None:
        """Seconds left on the discussion timer (0 once it runs out), or None if none runs."""
        if self.row.timer_started_at is None or self.row.timer_seconds is None:
            return None
        elapsed = now - self.row.timer_started_at
        return max(0.0, self.row.timer_seconds - elapsed)


@dataclass(frozen=True)
class Room:
    """A room as the projector and the control view draw it."""

    session: Live
    joined: int  # phones that opened this session's page
    result: Result | None  # the activity on screen, if it is one people answer


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _position in range(JOIN_CODE_LENGTH))


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
    headcount: int | None = None,
    lock_when_begun: bool = False,
    private_threshold: int = DEFAULT_PRIVATE_THRESHOLD,
) -> Live:
    """Start a session on a snapshot of `deck`, with the practice's support resources filled in.

    The door: `headcount`, the people expected, is also the most phones that may join; without
    one, `lock_when_begun` closes the room to new phones when the first activity opens.
    """
    if not 1 <= threshold <= 50:
        raise LiveError(_("The response threshold must be between 1 and 50."))
    if not 1 <= private_threshold <= 50:
        raise LiveError(_("The private threshold must be between 1 and 50."))
    if headcount is not None and not 1 <= headcount <= MOST_PEOPLE:
        raise LiveError(
            _("People expected must be between 1 and %(most)d.") % {"most": MOST_PEOPLE}
        )
    deck = (practice or Practice()).fill(deck)
    for _attempt in range(20):
        try:
            session_id = store.create_session(
                join_code=new_join_code(),
                deck_id=deck.id,
                title=deck.title,
                deck_json=deck.to_json(),
                threshold=threshold,
                # Never below `threshold`: the store keeps the larger of the two.
                private_threshold=private_threshold,
                activity_ids=[activity.id for activity in deck.activities],
                rehearsal=rehearsal,
                headcount=headcount,
                lock_when_begun=lock_when_begun,
            )
            break
        except JoinCodeTaken:
            continue  # that code is in use; draw another
    else:
        raise LiveError(_("Could not find a free join code; please try again."))
    live = load(store, session_id)
    assert live is not None
    return live


def load(store: Store, session_id: int) -> Live | None:
    row = store.session(session_id)
    return _live(store, row) if row else None


def load_by_code(store: Store, join_code: str) -> Live | None:
    row = store.session_by_code(normalise_code(join_code))
    return _live(store, row) if row else None


def from_row(store: Store, row: SessionRow) -> Live:
    """The session of a row the caller has just read (a phone's request checked it already),
    without reading it again."""
    return _live(store, row)


def _live(store: Store, row: SessionRow) -> Live:
    """The session with its activities' states at the same version: an action that lands
    between the two reads sends us back for the session as it now is."""
    while (states := store.activity_states_at(row.id, row.version)) is None:
        newer = store.session(row.id)
        if newer is None or newer.version == row.version:
            # Gone, or a session without activity rows: nothing newer to wait for.
            return Live(row, _deck(row.deck_json), store.activity_states(row.id))
        row = newer
    return Live(row, _deck(row.deck_json), states)


def pick(store: Store, session_id: int | None) -> Live | None:
    """The session asked for, else the newest live one (what a bare /control or /screen shows)."""
    if session_id is not None:
        return load(store, session_id)
    newest = running(store)
    return load(store, newest[0].id) if newest else None


def result_of(
    store: Store, session: Live, activity: ActivitySpec, *, afterwards: bool = False
) -> Result:
    """The activity's result as the room may see it now: the one place answers become one.

    `afterwards`: as a counselor reviews it, where a closed private activity counts as
    revealed. A facilitator may keep the before-check or "Was this helpful?" from the room on
    purpose and read it later; its thresholds hold all the same."""
    state = session.state(activity.id)
    if afterwards and activity.sensitive and state.status == "closed":
        state = dataclasses.replace(state, revealed=True)
    answers = store.answers_for(session.id, activity.id, version=session.row.version)
    return result_for(
        activity, answers, state, session.row.threshold, session.row.private_threshold
    )


def room(store: Store, session_id: int | None) -> Room | None:
    """The session (the one asked for, else the newest live one) with its current result."""
    session = pick(store, session_id)
    if session is None:
        return None
    current = session.current
    result = result_of(store, session, current) if current and current.answerable else None
    return Room(session, store.participant_count(session.id), result)


def _require_live(store: Store, session_id: int) -> Live:
    live = load(store, session_id)
    if live is None:
        raise LiveError(_("That session does not exist."))
    if live.ended:
        raise LiveError(_("That session has ended."))
    return live


def _done(store: Store, session_id: int, write: Callable[[], object]) -> Live:
    """Make one action's write, wake this process's listeners, and read the session as it is
    now. The store refuses a write to a session that ended meanwhile (another tab, say)."""
    try:
        write()
    except SessionNotLive:
        raise LiveError(_("That session has ended.")) from None
    _changed(session_id)
    return load(store, session_id)  # type: ignore[return-value]


def go_to(store: Store, session_id: int, index: int, *, keep_open: bool = False) -> Live:
    """Show activity `index` (-1 for the join slide); one never opened before opens now.

    The activity left behind closes, so phones stop answering it, unless the facilitator keeps
    it open on purpose (`keep_open`). A running discussion timer belongs to the activity it was
    started on, so it stops here.
    """
    live = _require_live(store, session_id)
    if not -1 <= index < len(live.deck.activities):
        raise LiveError(_("There is no activity there."))
    activity = live.deck.activities[index] if index >= 0 else None
    opens = (
        activity is not None and activity.answerable and live.state(activity.id).status == "waiting"
    )
    left = live.current
    closes = (
        left.id
        if left is not None
        and left is not activity
        and not keep_open
        and live.state(left.id).status == "open"
        else None
    )
    shown = activity.id if activity else None  # logged with the move, for timing.py
    locks = opens and _locks_on_first_opening(live)
    return _done(
        store,
        session_id,
        lambda: store.show_activity(
            session_id, index, shown, open_it=opens, close_id=closes, lock_joins=locks
        ),
    )


def _locks_on_first_opening(live: Live) -> bool:
    """Whether opening an activity now also closes the room to new phones: the first activity
    of a session started with `lock_when_begun` (the library's default) and no headcount.
    Without a count of the room, a closed door is what keeps extra phones from being added to
    see what a few people answered; the facilitator lets a latecomer in from the control view.
    """
    if not live.row.lock_when_begun or live.row.headcount is not None or live.row.joins_locked:
        return False
    return all(live.state(item.id).status == "waiting" for item in live.deck.activities)


def next_activity(store: Store, session_id: int, *, keep_open: bool = False) -> Live:
    live = _require_live(store, session_id)
    last = len(live.deck.activities) - 1
    return go_to(store, session_id, min(live.row.current_index + 1, last), keep_open=keep_open)


def previous_activity(store: Store, session_id: int, *, keep_open: bool = False) -> Live:
    live = _require_live(store, session_id)
    return go_to(store, session_id, max(live.row.current_index - 1, -1), keep_open=keep_open)


def open_activity(store: Store, session_id: int, activity_id: str) -> Live:
    live = _require_live(store, session_id)
    if not live.deck.activity(activity_id).answerable:
        raise LiveError(_("An information slide has nothing to open."))
    locks = _locks_on_first_opening(live)
    return _done(
        store,
        session_id,
        lambda: store.set_activity_status(session_id, activity_id, "open", lock_joins=locks),
    )


def close_activity(store: Store, session_id: int, activity_id: str) -> Live:
    live = _require_live(store, session_id)
    if live.state(activity_id).status != "open":
        raise LiveError(_("That activity is not open."))
    return _done(
        store, session_id, lambda: store.set_activity_status(session_id, activity_id, "closed")
    )


def reveal(store: Store, session_id: int, activity_id: str, revealed: bool = True) -> Live:
    """Show (or hide again) results of a sensitive activity, answer keys and explanations."""
    live = _require_live(store, session_id)
    activity = live.deck.activity(activity_id)
    if revealed and activity.sensitive and live.state(activity_id).status != "closed":
        raise LiveError(_("This activity is private: close it before revealing its results."))
    return _done(store, session_id, lambda: store.set_revealed(session_id, activity_id, revealed))


def start_timer(store: Store, session_id: int, seconds: int) -> Live:
    _require_live(store, session_id)
    if not 10 <= seconds <= 3600:
        raise LiveError(_("A timer runs between 10 seconds and an hour."))
    return _done(store, session_id, lambda: store.start_timer(session_id, seconds))


def stop_timer(store: Store, session_id: int) -> Live:
    _require_live(store, session_id)
    return _done(store, session_id, lambda: store.stop_timer(session_id))


def moderate(store: Store, session_id: int, answer_id: int, decision: str) -> Live:
    """Let an open-text answer onto the screen, or keep it off: phones and the projector hear
    of it at once, like any other action."""
    _require_live(store, session_id)
    if decision not in DECISIONS:
        raise LiveError(_("An answer can be approved, rejected or flagged."))

    def write() -> None:
        try:
            store.moderate(session_id, answer_id, decision)
        except LookupError:
            raise LiveError(_("That answer is not part of this session.")) from None

    return _done(store, session_id, write)


def end_session(store: Store, session_id: int) -> Live:
    """End the workshop: every open activity closes and phones see a goodbye page."""
    _require_live(store, session_id)
    return _done(store, session_id, lambda: store.end_session(session_id))


# The door: who may still join. Not among ACTIONS: nothing on the phones or the projector
# changes, so no new version and no wake-up.


def set_headcount(store: Store, session_id: int, headcount: int | None) -> None:
    """The people expected in the room: while the session is live, also the most phones that
    may join (None: no limit)."""
    if headcount is not None and not 1 <= headcount <= MOST_PEOPLE:
        raise LiveError(
            _("People expected must be between 1 and %(most)d.") % {"most": MOST_PEOPLE}
        )
    store.set_headcount(session_id, headcount)


def lock_joins(store: Store, session_id: int, locked: bool) -> None:
    """Close the room to phones that have not joined yet (or open it again)."""
    _require_live(store, session_id)
    store.lock_joins(session_id, locked)


def blank_screen(store: Store, session_id: int, blanked: bool) -> None:
    """Blank the projector to a pause screen, as presentation software's B key does (or show the
    room again). Not among ACTIONS either: phones carry on as they were."""
    _require_live(store, session_id)
    store.set_blanked(session_id, blanked)


# Explanations, one at a time --------------------------------------------------------------------


def explanations(store: Store, session: Live) -> tuple[int, int]:
    """The explanation the projector shows (0: the first) and how many the activity on screen
    has to page through (0 when it has fewer than two: nothing to page)."""
    activity = session.current
    if activity is None or not activity.answerable:
        return 0, 0
    count = len(result_of(store, session, activity).notes)
    if count < 2:
        return 0, 0
    return min(session.row.note_shown, count - 1), count


def forward(store: Store, session_id: int, *, keep_open: bool = False) -> None:
    """What → does, on the projector as in presentation software: the next explanation of a
    revealed answer key, else the next activity. Nothing while the screen is blank."""
    session = _require_live(store, session_id)
    if session.row.blanked:
        return
    shown, count = explanations(store, session)
    if shown + 1 < count:
        store.show_note(session_id, shown + 1)
    else:
        next_activity(store, session_id, keep_open=keep_open)


def back(store: Store, session_id: int, *, keep_open: bool = False) -> None:
    """What ← does: the explanation before, else the activity before."""
    session = _require_live(store, session_id)
    if session.row.blanked:
        return
    shown, count = explanations(store, session)
    if count and shown > 0:
        store.show_note(session_id, shown - 1)
    else:
        previous_activity(store, session_id, keep_open=keep_open)


# Every facilitator action: each is one store transaction that logs it, moves the session to a
# new version once and wakes the phones (tests hold every one of them to that).
ACTIONS = (
    go_to,
    next_activity,
    previous_activity,
    open_activity,
    close_activity,
    reveal,
    start_timer,
    stop_timer,
    moderate,
    end_session,
)


# Other reads of a room, for the control view and the library ---------------------------------


def moderation_queue(store: Store, session_id: int, activity_id: str) -> list[QueuedText]:
    """One activity's written answers with where each stands: for the facilitator's eyes only."""
    return store.moderation_queue(session_id, activity_id)


def schedule(store: Store, session: Live, now: float) -> Timing:
    """Time on each activity and the room against its agenda, from the logged actions."""
    return timing(session.deck, store.events(session.id), now)


def running(store: Store) -> list[SessionRow]:
    """Sessions still live, the newest first."""
    return store.sessions(live_only=True)
