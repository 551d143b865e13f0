"""A session as a counselor reviews it: the agenda as it ran, the same results as the room saw,
and the facilitator's observations."""

import pandas as pd
import pytest

from workshop import i18n
from workshop.renderers import table
from workshop.review.observations import NAMES_REMINDER, ObservationError, add_observation
from workshop.review.session import (
    find_session,
    list_sessions,
    review_session,
)
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal


@pytest.fixture
def ticking(sqlite_store):
    """The store's clock moves a minute at each reading: times in the review are exact."""
    ticks = iter(range(1_000_000, 2_000_000, 60))
    sqlite_store.clock = lambda: float(next(ticks))
    return sqlite_store


def test_the_agenda_says_what_was_shown_skipped_reopened_and_revealed(ticking, deck):
    store = ticking
    session = live.start_session(store, deck, threshold=1)
    live.go_to(store, session.id, 0)  # hello
    live.go_to(store, session.id, 1)  # colour, opened
    live.close_activity(store, session.id, "colour")
    live.open_activity(store, session.id, "colour")  # reopened
    live.close_activity(store, session.id, "colour")
    live.reveal(store, session.id, "colour")
    live.go_to(store, session.id, 3)  # "words" (2) is skipped
    live.end_session(store, session.id)
    review = review_session(store, session.id)
    agenda = {item.activity.id: item for item in review.agenda}
    assert agenda["hello"].seconds == 60 and not agenda["hello"].skipped
    assert agenda["colour"].seconds == 5 * 60  # shown until the move to "many"
    assert agenda["colour"].reopened and agenda["colour"].revealed
    assert agenda["words"].skipped and agenda["words"].seconds is None
    assert agenda["many"].seconds == 60  # until the end
    assert review.summary.duration_seconds == 8 * 60


def test_the_agenda_ends_with_the_minutes_no_activity_owns(ticking, deck):
    store = ticking
    planned = deck.model_copy(update={"buffer_minutes": 12})
    session = live.start_session(store, planned, threshold=1)  # phones join meanwhile
    live.go_to(store, session.id, 0)
    live.go_to(store, session.id, 1)
    live.end_session(store, session.id)
    review = review_session(store, session.id)
    agenda = table.agenda(review)
    last = agenda.iloc[-1]
    assert last["Activity"] == "Joining and moving between activities"
    assert last["Planned (min)"] == 12 and pd.isna(last["#"])
    on_screen = sum(item.seconds or 0 for item in review.agenda)
    off_screen = review.summary.duration_seconds - on_screen
    assert off_screen > 0 and last["Actual (min)"] == round(off_screen / 60, 1)
    assert agenda["Planned (min)"].sum() == planned.minutes


def test_results_are_the_ones_the_room_saw_with_the_same_suppression(sqlite_store, deck):
    session = start_rehearsal(sqlite_store, deck, people=6, threshold=5)
    review = review_session(sqlite_store, session.id)
    current = live.load(sqlite_store, session.id)
    for item in review.activities:
        if not item.activity.answerable:
            assert item.result is None
            continue
        assert item.result == live.result_of(sqlite_store, current, item.activity)
    private = next(item for item in review.activities if item.activity.sensitive)
    assert not private.result.visible  # never closed and revealed: private still
    assert review.joined == 6


def test_a_private_activity_kept_from_the_room_is_read_afterwards_above_its_threshold(
    sqlite_store, deck
):
    """The before-check, or "Was this helpful?", is closed but never revealed to the room on
    purpose: the counselor reads it in the review, once enough people answered."""
    session = start_rehearsal(sqlite_store, deck, people=6, threshold=2, private_threshold=5)
    live.go_to(sqlite_store, session.id, deck.activities.index(deck.activity("reflect")))
    live.close_activity(sqlite_store, session.id, "reflect")
    private = next(
        item
        for item in review_session(sqlite_store, session.id).activities
        if item.activity.id == "reflect"
    )
    assert not sqlite_store.activity_states(session.id)["reflect"].revealed
    assert private.result.visible and private.result.answered >= 5
    # Below the private threshold it stays hidden, in the review as in the room.
    fewer = start_rehearsal(sqlite_store, deck, people=3, threshold=2, private_threshold=5)
    live.go_to(sqlite_store, fewer.id, deck.activities.index(deck.activity("reflect")))
    live.close_activity(sqlite_store, fewer.id, "reflect")
    hidden = next(
        item
        for item in review_session(sqlite_store, fewer.id).activities
        if item.activity.id == "reflect"
    )
    assert not hidden.result.visible


def test_observations_are_kept_with_their_activity_and_checked(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    add_observation(sqlite_store, session.id, None, "  Quiet start, warmer after the break. ")
    add_observation(sqlite_store, session.id, "colour", "Most chose quickly.")
    with pytest.raises(ObservationError, match="Write something"):
        add_observation(sqlite_store, session.id, None, "   ")
    with pytest.raises(ObservationError, match="2000 characters"):
        add_observation(sqlite_store, session.id, None, "x" * 2001)
    with pytest.raises(ObservationError, match="not part of this session"):
        add_observation(sqlite_store, session.id, "no-such-activity", "x")
    review = review_session(sqlite_store, session.id)
    assert [note.text for note in review.observations] == ["Quiet start, warmer after the break."]
    colour = next(item for item in review.activities if item.activity.id == "colour")
    assert [note.text for note in colour.observations] == ["Most chose quickly."]


def test_an_observation_is_refused_in_the_language_spoken(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    with i18n.speaking("es"):
        with pytest.raises(ObservationError) as empty:
            add_observation(sqlite_store, session.id, None, "   ")
        with pytest.raises(ObservationError) as long:
            add_observation(sqlite_store, session.id, None, "x" * 2001)
        with pytest.raises(ObservationError) as elsewhere:
            add_observation(sqlite_store, session.id, "no-such-activity", "x")
        reminder = i18n.gettext(NAMES_REMINDER)
    assert str(empty.value) == "Escribe algo primero."
    assert str(long.value) == "Una observación puede tener como máximo 2000 caracteres."
    assert str(elsewhere.value) == "Esa actividad no forma parte de esta sesión."
    assert reminder.startswith("Escribe lo que observaste, no quién")
    with pytest.raises(ObservationError) as long:
        add_observation(sqlite_store, session.id, None, "x" * 2001)
    assert str(long.value) == "Please keep an observation to 2000 characters."
    assert i18n.gettext(NAMES_REMINDER) == NAMES_REMINDER
    assert sqlite_store.observations(session.id) == []


def test_sessions_are_listed_newest_first_and_chosen_by_deck_and_date(ticking, deck):
    store = ticking
    other = deck.model_copy(update={"id": "other-deck"})
    first = live.start_session(store, deck)
    second = live.start_session(store, other)
    rehearsal = start_rehearsal(store, deck, people=3)
    listed = [summary.row.id for summary in list_sessions(store)]
    assert listed == [second.id, first.id]  # the rehearsal is hidden unless asked for
    everything = list_sessions(store, include_rehearsals=True)
    assert [summary.row.id for summary in everything] == [rehearsal.id, second.id, first.id]
    assert everything[0].joined == 3
    assert [s.row.id for s in list_sessions(store, deck_id="other-deck")] == [second.id]
    since = first.row.created_at + 1
    assert [s.row.id for s in list_sessions(store, since=since)] == [second.id]
    assert [s.row.id for s in list_sessions(store, until=since)] == [first.id]


def test_a_session_is_found_by_its_code_as_typed_or_its_number(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    code = session.row.join_code
    assert find_session(sqlite_store, f" {code[:3].lower()} {code[3:]}").id == session.id
    assert find_session(sqlite_store, str(session.id)).id == session.id
    assert find_session(sqlite_store, "ZZZZZZ") is None
