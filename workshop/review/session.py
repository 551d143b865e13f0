"""A finished (or running) workshop as a counselor reviews it.

Everything here is read through room/live.py's one read of a result, so the review shows the
same charts with the same suppression as the projector did: an activity below its threshold, or
a private one never revealed, shows nothing here either. Nothing identifies a participant:
counts, approved text and the facilitator's own notes only.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.activities import ActivitySpec
from workshop.review import snapshots
from workshop.review.before_after import Comparison, comparisons
from workshop.room import live
from workshop.room.results import Result
from workshop.room.timing import timing
from workshop.store import Event, Observation, SessionRow, Store


@dataclass(frozen=True)
class SessionSummary:
    """One past session in the review's list."""

    row: SessionRow
    joined: int

    @property
    def duration_seconds(self) -> float | None:
        """From start to end; None while it is still running."""
        if self.row.ended_at is None:
            return None
        return self.row.ended_at - self.row.created_at


@dataclass(frozen=True)
class AgendaItem:
    """One activity as it actually ran, against its plan."""

    number: int  # 1 is the first
    activity: ActivitySpec
    seconds: float | None  # time on screen (revisits add up); None if never shown
    times_opened: int
    revealed: bool

    @property
    def skipped(self) -> bool:
        return self.seconds is None

    @property
    def reopened(self) -> bool:
        return self.times_opened > 1


@dataclass(frozen=True)
class ActivityReview:
    activity: ActivitySpec
    result: Result | None  # None for activities nobody answers
    observations: tuple[Observation, ...]


@dataclass(frozen=True)
class SessionReview:
    session: live.Live
    joined: int
    agenda: tuple[AgendaItem, ...]
    activities: tuple[ActivityReview, ...]
    observations: tuple[Observation, ...]  # about the session as a whole
    comparisons: tuple[Comparison, ...] = ()  # before and after, where the deck pairs them

    @property
    def summary(self) -> SessionSummary:
        return SessionSummary(self.session.row, self.joined)


def list_sessions(
    store: Store,
    *,
    include_rehearsals: bool = False,
    deck_id: str | None = None,
    since: float | None = None,
    until: float | None = None,
) -> list[SessionSummary]:
    """Past and running sessions, newest first, chosen by deck and by when they started."""
    rows = [
        row
        for row in store.sessions(include_rehearsals=include_rehearsals)
        if (deck_id is None or row.deck_id == deck_id)
        and (since is None or row.created_at >= since)
        and (until is None or row.created_at < until)
    ]
    joined = store.joined_counts(row.id for row in rows)
    return [SessionSummary(row, joined[row.id]) for row in rows]


def find_session(store: Store, named: str) -> SessionRow | None:
    """A session by its join code (as typed: case and spaces do not matter) or its number. A
    code made only of digits is possible, so a code is looked for first."""
    text = named.strip()
    found = store.session_by_code(live.normalise_code(text))
    if found is None and text.isascii() and text.isdigit():
        found = store.session(int(text))
    return found


def agenda_as_run(session: live.Live, events: list[Event]) -> tuple[AgendaItem, ...]:
    """Each activity's time on screen, how often it was opened and whether it was revealed,
    from the facilitator's logged actions; a running session is timed up to its last action."""
    end = session.row.ended_at or (events[-1].at if events else session.row.created_at)
    spent = timing(session.deck, events, end).spent
    items = []
    for number, activity in enumerate(session.deck.activities, start=1):
        mine = [event for event in events if event.activity_id == activity.id]
        items.append(
            AgendaItem(
                number=number,
                activity=activity,
                seconds=spent.get(activity.id),
                times_opened=sum(1 for event in mine if event.action == "open"),
                revealed=session.state(activity.id).revealed,
            )
        )
    return tuple(items)


def review_session(store: Store, session_id: int) -> SessionReview | None:
    """The session as a counselor reviews it; a purged one from what it kept of itself."""
    session = live.load(store, session_id)
    if session is None:
        return None
    if session.row.purged_at is not None:
        kept = store.snapshots(session_id)
        joined = int(kept.get("joined", "0"))
        found = tuple(snapshots.loads(kept.get("comparisons", "[]"), session.deck))

        def result(activity: ActivitySpec) -> Result | None:
            payload = kept.get(f"result:{activity.id}")
            return snapshots.loads(payload, session.deck) if payload else None

    else:
        joined = store.participant_count(session_id)
        found = tuple(comparisons(store, session))

        def result(activity: ActivitySpec) -> Result | None:
            if not activity.answerable:
                return None
            return live.result_of(store, session, activity, afterwards=True)

    notes = store.observations(session_id)
    activities = tuple(
        ActivityReview(
            activity,
            result(activity),
            tuple(note for note in notes if note.activity_id == activity.id),
        )
        for activity in session.deck.activities
    )
    return SessionReview(
        session=session,
        joined=joined,
        agenda=agenda_as_run(session, store.events(session_id)),
        activities=activities,
        observations=tuple(note for note in notes if note.activity_id is None),
        comparisons=found,
    )
