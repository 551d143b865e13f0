"""Small-group protection and the one result object every renderer draws from.

The properties hold for every kind: whatever the room answered, the counts add up, and below
the threshold (or while a private activity is not revealed) nothing at all leaves result_for.
"""

import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import small_deck_data
from workshop.activities import KINDS, kind_of
from workshop.activities.base import Count, Place, Text
from workshop.curriculum.decks import parse_deck
from workshop.renderers import phone
from workshop.room.moderation import APPROVED, FLAGGED, PENDING, REJECTED
from workshop.room.results import PASS_LABEL, result_for
from workshop.store import ActivityState, Answer

DECK = parse_deck(small_deck_data())
OPEN = ActivityState("open", False)
SHOWN = ActivityState("closed", True)
ANSWERABLE = [activity for activity in DECK.activities if activity.answerable]


def _answers(choices, passes=0):
    return [Answer(False, choice, None) for choice in choices] + [Answer(True, None, None)] * passes


def _room(activity, seed: int, people: int, passes: int) -> list[Answer]:
    """`people` made-up answers and `passes` passes; moderated text approved, mostly."""
    kind = kind_of(activity)
    rng = random.Random(seed)
    answers = []
    for _ in range(people):
        moderation = None
        if kind.moderated:
            moderation = rng.choice([APPROVED, APPROVED, PENDING, FLAGGED, REJECTED])
        answers.append(Answer(False, kind.sample_answer(activity, rng), moderation))
    return answers + [Answer(True, None, None)] * passes


def _expected_counts_hold(activity, answers, result) -> None:
    """The kind's own promise about its lines, checked against the answers themselves."""
    answered = [answer for answer in answers if not answer.passed]
    counts = [line for line in result.lines if isinstance(line, Count)]
    by_row = defaultdict(int)
    for line in counts:
        by_row[line.row] += line.count
    name = activity.kind
    if name in ("single_choice", "scale", "battery", "knowledge_check", "scenario_sort"):
        # One choice per person (per row): every row's counts add up to those who answered.
        assert set(by_row.values()) == {len(answered)}
    elif name == "multiple_choice":
        for line in counts:
            assert 0 <= line.count <= len(answered)
        assert by_row[None] == sum(len(answer.value) for answer in answered)
    elif name == "word_cloud":
        assert by_row[None] == sum(len(answer.value) for answer in answered)
    elif name == "ranking":
        places = [line.mean_place for line in result.lines if isinstance(line, Place)]
        size = len(activity.items)
        assert sum(places) == pytest.approx(size * (size + 1) / 2)
    elif name == "open_text":
        texts = [line.text for line in result.lines if isinstance(line, Text)]
        approved = [answer.value for answer in answered if answer.moderation == APPROVED]
        assert sorted(texts) == sorted(approved)
    else:
        raise AssertionError(f"say what {name}'s counts promise")


def test_every_kind_has_its_counting_promise_checked():
    checked = {
        "single_choice",
        "scale",
        "battery",
        "knowledge_check",
        "scenario_sort",
        "multiple_choice",
        "word_cloud",
        "ranking",
        "open_text",
    }
    answerable = {name for name, kind in KINDS.items() if kind.answerable}
    assert answerable <= checked, "a new kind needs its promise in _expected_counts_hold"


@pytest.mark.parametrize("activity", ANSWERABLE, ids=lambda activity: activity.kind)
@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    people=st.integers(0, 14),
    passes=st.integers(0, 6),
    threshold=st.integers(1, 10),
    status=st.sampled_from(["open", "closed"]),
    revealed=st.booleans(),
)
def test_counts_add_up_and_nothing_below_the_threshold_leaves(
    activity, seed, people, passes, threshold, status, revealed
):
    answers = _room(activity, seed, people, passes)
    state = ActivityState(status, revealed)
    result = result_for(activity, answers, state, threshold)
    assert result.responded == people + passes
    assert result.passed == passes and result.answered == people
    private = activity.sensitive and not (status == "closed" and revealed)
    if people < threshold or private:
        assert not result.visible and result.hidden_reason
        assert result.lines == () and result.chart is None and result.notes == ()
        assert phone.lines(result) == []
        return
    assert result.visible
    assert (result.chart is not None) == kind_of(activity).has_chart
    _expected_counts_hold(activity, answers, result)


@settings(max_examples=200, deadline=None)
@given(
    choices=st.lists(st.integers(0, 2), max_size=12),
    passes=st.integers(0, 8),
    threshold=st.integers(1, 10),
)
def test_below_the_threshold_nothing_leaks(choices, passes, threshold):
    result = result_for(DECK.activity("colour"), _answers(choices, passes), OPEN, threshold)
    if len(choices) < threshold:
        assert not result.visible and result.lines == () and result.chart is None
        assert str(threshold) in result.hidden_reason
    else:
        assert sum(line.count for line in result.lines) == len(choices)
        assert result.responded == len(choices) + passes


def test_passes_do_not_count_towards_the_threshold():
    # Four passes and one real answer must not reveal that one answer.
    result = result_for(DECK.activity("colour"), _answers([1], passes=4), OPEN, 5)
    assert not result.visible and result.passed == 4


def test_a_pass_is_its_own_line_on_the_phone():
    result = result_for(DECK.activity("colour"), _answers([0, 0, 1], passes=2), OPEN, 3)
    lines = {line.label: line.count for line in phone.lines(result)}
    assert lines == {"Red": 2, "Green": 1, "Blue": 0, PASS_LABEL: 2}


def test_a_private_activity_shows_nothing_until_closed_and_revealed():
    activity = DECK.activity("reflect")
    answers = [Answer(False, [0, 1], None)] * 6
    assert not result_for(activity, answers, OPEN, 5).visible
    assert not result_for(activity, answers, ActivityState("closed", False), 5).visible
    shown = result_for(activity, answers, SHOWN, 5)
    assert shown.chart.tallies == ((6, 0), (0, 6))


def test_open_text_shows_only_approved_answers():
    activity = DECK.activity("say")
    answers = [
        Answer(False, "kept", "approved"),
        Answer(False, "waiting", "pending"),
        Answer(False, "private", "flagged"),
        Answer(False, "no", "rejected"),
    ]
    result = result_for(activity, answers, OPEN, 3)
    assert result.lines == (Text("kept"),)


def test_answer_keys_appear_only_once_revealed():
    activity = DECK.activity("quiz")
    answers = [Answer(False, [0, 1], None)] * 5
    assert result_for(activity, answers, OPEN, 5).notes == ()
    revealed = result_for(activity, answers, ActivityState("open", True), 5)
    assert revealed.notes[0].startswith("A boundary is about me. True.")


def test_info_slides_have_no_result():
    result = result_for(DECK.activity("hello"), [], OPEN, 5)
    assert not result.visible and result.hidden_reason is None
