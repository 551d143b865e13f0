"""Small-group protection and the one result object every renderer draws from."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.room.results import PASS_LABEL, result_for
from workshop.store import ActivityState, Answer

DECK = parse_deck(small_deck_data())
OPEN = ActivityState("open", False)


def _answers(choices, passes=0):
    return [Answer(False, choice, None) for choice in choices] + [Answer(True, None, None)] * passes


@settings(max_examples=200, deadline=None)
@given(
    choices=st.lists(st.integers(0, 2), max_size=12),
    passes=st.integers(0, 8),
    threshold=st.integers(1, 10),
)
def test_below_the_threshold_nothing_leaks(choices, passes, threshold):
    result = result_for(DECK.activity("colour"), _answers(choices, passes), OPEN, threshold)
    if len(choices) < threshold:
        assert result.data is None
        assert result.summary() == [] and result.figure() is None
        assert str(threshold) in result.hidden_reason
    else:
        assert sum(result.data["counts"]) == len(choices)
        assert result.respondents == len(choices) + passes


def test_passes_do_not_count_towards_the_threshold():
    # Four passes and one real answer must not reveal that one answer.
    result = result_for(DECK.activity("colour"), _answers([1], passes=4), OPEN, 5)
    assert not result.visible and result.passes == 4


def test_a_pass_is_its_own_line_in_the_summary():
    result = result_for(DECK.activity("colour"), _answers([0, 0, 1], passes=2), OPEN, 3)
    lines = {line["label"]: line["count"] for line in result.summary()}
    assert lines == {"Red": 2, "Green": 1, "Blue": 0, PASS_LABEL: 2}


def test_a_private_activity_shows_nothing_until_closed_and_revealed():
    activity = DECK.activity("reflect")
    answers = [Answer(False, [0, 1], None)] * 6
    assert not result_for(activity, answers, OPEN, 5).visible
    assert not result_for(activity, answers, ActivityState("closed", False), 5).visible
    shown = result_for(activity, answers, ActivityState("closed", True), 5)
    assert shown.data["rows"] == [[6, 0], [0, 6]]


def test_open_text_shows_only_approved_answers():
    activity = DECK.activity("say")
    answers = [
        Answer(False, "kept", "approved"),
        Answer(False, "waiting", "pending"),
        Answer(False, "private", "flagged"),
        Answer(False, "no", "rejected"),
    ]
    result = result_for(activity, answers, OPEN, 3)
    assert [line["label"] for line in result.summary()][:-1] == ["kept"]


def test_answer_keys_appear_only_once_revealed():
    activity = DECK.activity("quiz")
    answers = [Answer(False, [0, 1], None)] * 5
    assert result_for(activity, answers, OPEN, 5).notes == []
    revealed = result_for(activity, answers, ActivityState("open", True), 5)
    assert revealed.notes[0].startswith("A boundary is about me. True.")


def test_info_slides_have_no_result():
    result = result_for(DECK.activity("hello"), [], OPEN, 5)
    assert not result.visible and result.hidden_reason is None
