"""The room's words for a hidden result say what is true in the state the activity is in: an
open one waits for answers, a closed one below the threshold stays hidden (no more answers can
come), on the projector, the phones and the control view alike (they all say `waiting_for`)."""

from __future__ import annotations

from tests.conftest import small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.room import vocabulary
from workshop.room.results import result_for
from workshop.store import ActivityState, Answer

DECK = parse_deck(small_deck_data())
ANSWERS = [Answer(False, 1, None)] * 3 + [Answer(True, None, None)]


def _result(activity_id: str, status: str, revealed: bool = False, answers=ANSWERS):
    activity = DECK.activity(activity_id)
    return result_for(activity, answers, ActivityState(status, revealed), threshold=5)


def test_an_open_activity_below_the_threshold_waits_for_answers():
    said = vocabulary.waiting_for(_result("colour", "open"))
    assert said == (
        "3 answered · 1 passed. Results appear once 5 people have answered (passes do not count)."
    )


def test_a_closed_activity_below_the_threshold_promises_no_result():
    result = _result("colour", "closed")
    assert not result.visible
    said = vocabulary.waiting_for(result)
    assert "appear" not in said
    assert said == (
        "3 answered · 1 passed. Fewer than 5 people answered, so the results stay hidden "
        "to protect the group."
    )


def test_a_closed_private_activity_below_its_threshold_says_so_without_its_passes():
    answers = [Answer(False, [0, 0], None)] * 3 + [Answer(True, None, None)]
    result = _result("reflect", "closed", revealed=True, answers=answers)
    said = vocabulary.waiting_for(result)
    assert said == (
        "3 answered. Private activity: fewer than 5 people answered, so its results stay "
        "hidden to protect the group."
    )
    assert "passed" not in said


def test_a_closed_private_activity_above_its_threshold_waits_for_the_reveal_not_the_close():
    answers = [Answer(False, [0, 0], None)] * 6
    result = _result("reflect", "closed", revealed=False, answers=answers)
    assert not result.visible
    said = vocabulary.waiting_for(result)
    assert "after it closes" not in said
    assert said.endswith("its results are shown once the facilitator reveals them.")


def test_one_name_for_a_count_held_back():
    assert vocabulary.NOT_SHOWN == "not shown"
