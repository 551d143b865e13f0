"""Each built-in deck rehearsed on the clock, as a facilitator keeping to the plan runs it: the
agenda table adds up to the length the deck promises, and the room is never behind its plan.

The clock is the store's own, moved by the test: three minutes on the join slide while phones
join, then each activity its planned minutes and its share of the buffer for the move after it.
"""

import pandas as pd
import pytest

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.renderers import table
from workshop.review.session import review_session
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal
from workshop.room.timing import BUFFER, JOINING_MINUTES, move_allowance

BUILT_IN = sorted(DECK_FOLDER.glob("*.toml"))


@pytest.mark.parametrize("deck_file", BUILT_IN, ids=[path.name for path in BUILT_IN])
def test_a_rehearsal_kept_to_the_plan_fills_its_promised_length(sqlite_store, deck_file):
    deck = load_deck(deck_file)
    now = [1_000_000.0]
    sqlite_store.clock = lambda: now[0]
    session = start_rehearsal(sqlite_store, deck, people=10)
    now[0] += JOINING_MINUTES * 60
    last = len(deck.activities) - 1
    for index, activity in enumerate(deck.activities):
        live.go_to(sqlite_store, session.id, index)
        on_screen = live.load(sqlite_store, session.id)
        assert live.schedule(sqlite_store, on_screen, now[0]).behind_seconds == pytest.approx(0)
        move = 0 if index == last else move_allowance(deck)
        now[0] += (activity.minutes + move) * 60
    live.end_session(sqlite_store, session.id)

    review = review_session(sqlite_store, session.id)
    assert review.summary.duration_seconds == pytest.approx(deck.minutes * 60)
    agenda = table.agenda(review)
    assert agenda["Planned (min)"].sum() == pytest.approx(deck.minutes)
    # Each row is rounded to a tenth of a minute: the total may drift by that much a row.
    assert agenda["Actual (min)"].sum() == pytest.approx(deck.minutes, abs=0.05 * len(agenda))
    buffer = agenda[agenda["Activity"] == BUFFER].iloc[0]
    assert buffer["Planned (min)"] == deck.buffer_minutes
    assert buffer["Actual (min)"] == JOINING_MINUTES  # the join slide, before the first activity
    assert not pd.isna(agenda["Actual (min)"]).any()  # nothing skipped
