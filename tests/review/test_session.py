"""A session as a counselor reviews it: the agenda as it ran, the same results as the room saw,
and the facilitator's observations."""

import pytest

from workshop.review.observations import ObservationError, add_observation
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
