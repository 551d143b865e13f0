"""Planned against actual time: how long each activity took, and whether the room runs late.

Pure: it reads the facilitator's logged `advance` events, never the clock itself (`now` is
passed in), so it is tested with made-up times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workshop.curriculum.decks import Deck
from workshop.i18n import N_
from workshop.store import Event

# The minutes of a deck's plan no activity owns (`buffer_minutes`), as agendas name them.
BUFFER = N_("Joining and moving between activities")
# The part of that buffer spent before the first activity: phones joining. The rest is spread
# over the moves between activities.
JOINING_MINUTES = 3.0


@dataclass(frozen=True)
class Timing:
    spent: dict[str, float]  # seconds on screen so far, per activity id (revisits add up)
    current_seconds: float | None  # on the current activity, since it was last shown
    behind_seconds: float | None  # positive: behind plan; negative: ahead; None: not begun


def timing(deck: Deck, events: Sequence[Event], now: float) -> Timing:
    shown = [event for event in events if event.action == "advance"]
    spent: dict[str, float] = {}
    for number, event in enumerate(shown):
        if event.activity_id is not None:
            end = shown[number + 1].at if number + 1 < len(shown) else now
            spent[event.activity_id] = spent.get(event.activity_id, 0.0) + (end - event.at)
    begun = [event for event in shown if event.activity_id is not None]
    if not begun or shown[-1].activity_id is None:
        return Timing(spent, None, None)
    current_id = shown[-1].activity_id
    current_seconds = now - shown[-1].at
    planned_before = 0.0
    for activity in deck.activities:
        if activity.id == current_id:
            planned_here = activity.minutes * 60
            break
        planned_before += (activity.minutes + move_allowance(deck)) * 60
    # Where the plan says the room should be, given the activity it is on and its time there.
    planned_now = planned_before + min(current_seconds, planned_here)
    behind = (now - begun[0].at) - planned_now
    return Timing(spent, current_seconds, behind)


def move_allowance(deck: Deck) -> float:
    """The minutes the plan allows for each move between activities: the deck's buffer after
    the phones have joined, shared among its moves."""
    moves = max(len(deck.activities) - 1, 1)
    return max(deck.buffer_minutes - JOINING_MINUTES, 0.0) / moves
