"""Small-group protection and the one result object every renderer draws from.

The properties hold for every kind: whatever the room answered, the counts add up, and below
the threshold (or while a private activity is not revealed) nothing at all leaves result_for.
Once a private activity is revealed, no count under SMALL_CELL leaves it, none can be worked out
from what does, and the passes are not counted.
"""

import itertools
import random
from collections import defaultdict

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.conftest import small_deck_data
from workshop.activities import KINDS, kind_of
from workshop.activities.base import Bars, Count, Place, StackedRows, Text, Withheld
from workshop.curriculum.decks import parse_deck
from workshop.renderers import phone
from workshop.room.moderation import APPROVED, FLAGGED, PENDING, REJECTED
from workshop.room.results import SMALL_CELL, result_for, withheld_cells
from workshop.room.vocabulary import PASS_LABEL
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
    if name == "battery":
        _battery_counts_hold(activity, answered, result)
    elif name in ("single_choice", "scale", "knowledge_check", "scenario_sort"):
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


def _battery_counts_hold(activity, answered, result) -> None:
    """Each statement counts those who rated it, point by point, and those who passed it (a
    count of its own); a statement fewer than the threshold rated shows only its passes."""
    for number, statement in enumerate(activity.statements):
        rated = [answer.value[number] for answer in answered if answer.value[number] is not None]
        row = [line for line in result.lines if line.row == statement.text]
        options = [line for line in row if not line.passed]
        assert [line.label for line in options] == activity.scale
        [passes] = [line for line in row if line.passed]
        assert passes.count == len(answered) - len(rated)
        if len(rated) < result.threshold:
            assert all(isinstance(line, Withheld) for line in options)
        else:
            assert [line.count for line in options] == [
                rated.count(point) for point in range(len(activity.scale))
            ]


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
    assert result.answered == people
    private = activity.sensitive and not (status == "closed" and revealed)
    if people < threshold or private:
        assert result.responded == people + passes and result.passed == passes
        assert not result.visible and result.hidden_reason
        assert result.lines == () and result.chart is None and result.notes == ()
        assert phone.lines(result) == []
        return
    assert result.visible
    assert (result.chart is not None) == kind_of(activity).has_chart
    if not activity.sensitive:
        assert result.responded == people + passes and result.passed == passes
        _expected_counts_hold(activity, answers, result)
        return
    # Revealed and private: the same answers as an open activity would show them, less every
    # count under the minimum (and one beside them), and no count of passes.
    assert result.passed is None and result.responded is None
    open_twin = activity.model_copy(update={"sensitive": False})
    full = result_for(open_twin, answers, state, threshold)
    _expected_counts_hold(open_twin, answers, full)
    for shown, line in zip(result.lines, full.lines, strict=True):
        if isinstance(shown, Withheld):
            assert (shown.label, shown.row) == (line.label, line.row)
            assert shown.below is None or line.count < SMALL_CELL
        elif (
            isinstance(shown, Count)
            and shown.row is not None
            and kind_of(activity).name == "battery"
        ):
            # A statement's count is a share of all who answered (its passes are not counted).
            assert (shown.label, shown.count, shown.row) == (line.label, line.count, line.row)
            assert shown.count >= SMALL_CELL and shown.share == shown.count / result.answered
        else:
            assert shown == line and not (isinstance(line, Count) and line.count < SMALL_CELL)
    assert PASS_LABEL not in {line.label for line in phone.lines(result)}


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
    answers = [Answer(False, [0, 1], None)] * 3 + [Answer(False, [1, 1], None)] * 3
    assert not result_for(activity, answers, OPEN, 5).visible
    assert not result_for(activity, answers, ActivityState("closed", False), 5).visible
    shown = result_for(activity, answers, SHOWN, 5)
    # 0 and 6: both withheld. 3 and 3: nobody passed the first statement, a count under 3 that
    # is never shown, so one count beside it is held back (else 6 - 3 - 3 would say it).
    assert shown.chart.tallies == ((None, 3), (None, None))
    assert shown.chart.withheld == (3, 6)


# A private multiple choice: six answered (A five times, B once, C four times), two passed.
PRIVATE_MANY = DECK.activity("many").model_copy(update={"sensitive": True})
SIX_AND_TWO_PASSES = _answers([[0, 2], [0, 2], [0, 2], [0, 2], [0], [1]], passes=2)


def test_a_revealed_private_activity_shows_no_small_count_and_no_passes():
    result = result_for(PRIVATE_MANY, SIX_AND_TWO_PASSES, SHOWN, 5)
    assert result.visible and result.answered == 6
    assert result.passed is None and result.responded is None and result.passes_withheld
    assert result.lines == (
        Count("A", 5, 5 / 6),
        Withheld("B", None, SMALL_CELL),
        Withheld("C", None, None),  # held back: with it, B would be worked out
    )
    texts = ("5", "fewer than 3", "not shown")
    assert result.chart == Bars(("A", "B", "C"), (5, None, None), texts)
    assert any("passes are not counted" in note for note in result.notes)
    assert phone.lines(result) == [
        phone.PhoneLine("A", 5, 83),
        phone.PhoneLine("B", "fewer than 3"),
        phone.PhoneLine("C", "not shown"),
    ]


def test_the_same_answers_on_an_open_activity_keep_their_exact_counts():
    result = result_for(DECK.activity("many"), SIX_AND_TWO_PASSES, SHOWN, 5)
    assert [line.count for line in result.lines] == [5, 1, 4]
    assert result.chart.values == (5, 1, 4) and result.passed == 2 and result.responded == 8
    assert {line.label: line.count for line in phone.lines(result)}[PASS_LABEL] == 2


def test_a_private_word_cloud_leaves_out_words_fewer_people_gave():
    activity = DECK.activity("words").model_copy(update={"sensitive": True})
    answers = _answers([["calm"]] * 4 + [["calm", "relapse"]], passes=1)
    result = result_for(activity, answers, SHOWN, 5)
    assert result.lines == (Count("calm", 5, 5 / 6),)
    assert result.chart.words == (("calm", 5),)
    assert "relapse" not in str(result) and result.passed is None


def test_private_texts_and_places_stay_but_their_passes_go():
    say = DECK.activity("say").model_copy(update={"sensitive": True})
    answers = [Answer(False, "kept", APPROVED)] * 5 + [Answer(True, None, None)]
    result = result_for(say, answers, SHOWN, 5)
    assert result.lines == (Text("kept"),) * 5 and result.passed is None
    order = DECK.activity("order").model_copy(update={"sensitive": True})
    result = result_for(order, _answers([[0, 1, 2]] * 5, passes=1), SHOWN, 5)
    assert [line.mean_place for line in result.lines] == [1, 2, 3] and result.passed is None


def _consistent_tallies(activity, result, threshold):
    """Every tally of a single-choice question that shows exactly what `result` shows: what
    someone who knows the rule, the total and every shown count could still believe."""
    options = len(activity.options)
    for tally in itertools.product(range(result.answered + 1), repeat=options):
        if sum(tally) != result.answered:
            continue
        choices = [option for option, count in enumerate(tally) for _ in range(count)]
        if result_for(activity, _answers(choices), SHOWN, threshold).lines == result.lines:
            yield tally


@settings(max_examples=60, deadline=None)
@given(
    tally=st.lists(st.integers(0, 5), min_size=2, max_size=4),
    passes=st.integers(0, 3),
)
def test_no_small_count_of_a_private_activity_can_be_worked_out(tally, passes):
    assume(sum(tally) > 0)
    activity = DECK.activity("colour").model_copy(
        update={"sensitive": True, "options": [f"Option {n}" for n in range(len(tally))]}
    )
    choices = [option for option, count in enumerate(tally) for _ in range(count)]
    result = result_for(activity, _answers(choices, passes), SHOWN, 1)
    assert result.passed is None
    candidates = list(_consistent_tallies(activity, result, 1))
    assert tuple(tally) in candidates
    every_count_small = all(isinstance(line, Withheld) for line in result.lines)
    for index, line in enumerate(result.lines):
        if isinstance(line, Withheld) and line.below is not None:
            possible = {candidate[index] for candidate in candidates}
            # A count of 1 or 2 always has another possible value, but where every option had
            # exactly 2 (the total, 2 per option, is all there is to know): then nothing can.
            assert len(possible) > 1 or possible == {0} or (every_count_small and possible == {2})


def test_which_counts_are_held_back_depends_on_positions_only():
    assert withheld_cells([5, 1]) == {1: 3, 0: None}
    assert withheld_cells([1, 3, 3]) == {0: 3, 1: None}
    assert withheld_cells([3, 3, 1]) == {2: 3, 0: None}
    assert withheld_cells([4, 0, 1, 9]) == {1: 3, 2: 3, 3: None}
    assert withheld_cells([2, 2, 2]) == {0: 3, 1: 3, 2: 3}
    assert withheld_cells([3, 4]) == {}


def test_a_private_battery_draws_each_statement_without_its_small_counts():
    activity = DECK.activity("reflect")
    answers = _answers([[0, 0]] * 4 + [[1, 0]] * 3 + [[0, 1]], passes=2)
    result = result_for(activity, answers, SHOWN, 5)
    assert result.chart == StackedRows(
        ("I notice others first.", "I say yes too fast."),
        ("Rarely", "Often"),
        ((None, 3), (None, None)),
        ordered=True,
        withheld=(5, 8),
        passes=(None, None),  # a private activity's passes are not counted
    )


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


# A battery's statements, each passed on its own or answered --------------------------------

FOUR = parse_deck(
    {
        "id": "four",
        "title": "Four",
        "activities": [
            {
                "id": "reflect",
                "kind": "battery",
                "title": "Reflect",
                "minutes": 5,
                "scale": ["Rarely", "Sometimes", "Often"],
                "statements": [
                    {"text": f"Statement {number}.", "construct": "c"} for number in range(1, 5)
                ],
            }
        ],
    }
).activity("reflect")


def _row_counts(result, statement):
    return {
        line.label: (line.count if isinstance(line, Count) else line.words)
        for line in result.lines
        if line.row == statement
    }


def test_a_statement_passed_on_its_own_counts_only_those_who_answered_it():
    # Four answer everything; one of them... no: a fifth answers all but statement 2.
    answers = _answers([[0, 1, 2, 0]] * 3 + [[1, 1, 1, 1]] + [[2, None, 0, 2]])
    result = result_for(FOUR, answers, SHOWN, 4)
    assert result.answered == 5 and result.passed == 0
    assert _row_counts(result, "Statement 1.") == {
        "Rarely": 3,
        "Sometimes": 1,
        "Often": 1,
        "Passed": 0,
    }
    # Statement 2: the four who answered it, and one pass of its own.
    assert _row_counts(result, "Statement 2.") == {
        "Rarely": 0,
        "Sometimes": 4,
        "Often": 0,
        "Passed": 1,
    }
    second = [line for line in result.lines if line.row == "Statement 2." and not line.passed]
    assert [line.share for line in second] == [0, 1, 0]  # shares of those who answered it
    assert result.chart.tallies[1] == (0, 4, 0) and result.chart.passes == (0, 1, 0, 0)
    assert result.notes == ()


def test_a_statement_fewer_than_the_threshold_answered_is_not_shown():
    # Six answered the activity, but only three the third statement.
    answers = _answers([[0, 0, 0, 0]] * 3 + [[1, 1, None, 1]] * 3)
    result = result_for(FOUR, answers, SHOWN, 5)
    assert result.visible
    assert _row_counts(result, "Statement 3.") == {
        "Rarely": "not shown",
        "Sometimes": "not shown",
        "Often": "not shown",
        "Passed": 3,
    }
    assert _row_counts(result, "Statement 1.") == {
        "Rarely": 3,
        "Sometimes": 3,
        "Often": 0,
        "Passed": 0,
    }
    assert result.chart.tallies[2] == (None, None, None)
    assert result.chart.withheld == (0, 0, 3, 0)  # the whole bar drawn as not shown
    assert "A statement fewer than 5 people answered is not shown." in result.notes
    assert "Statement 3." not in {row.text for row in phone.view(result).rows if row.parts[0].width}


def test_a_private_battery_waits_for_the_private_threshold():
    private = FOUR.model_copy(update={"sensitive": True})
    six = _answers([[0, 1, 2, 0]] * 3 + [[2, 2, 2, 2]] * 3, passes=1)
    result = result_for(private, six, SHOWN, 5, private_threshold=8)
    assert not result.visible and result.lines == () and result.chart is None
    assert result.threshold == 8 and result.answered == 6
    # Closed (SHOWN), it says why nothing will come rather than promising a result.
    assert result.hidden_reason.startswith("Private activity: fewer than 8 people answered")
    still_open = result_for(private, six, ActivityState("open", revealed=False), 5, 8)
    assert still_open.hidden_reason.startswith("Private activity: results appear once 8 people")
    # The session's threshold alone would have shown it; an open activity keeps that one.
    assert result_for(private, six, SHOWN, 5).visible
    assert result_for(FOUR, six, SHOWN, 5, private_threshold=8).visible
    # The private threshold is never below the session's.
    assert result_for(private, six, SHOWN, 7, private_threshold=3).threshold == 7
    eight = six + _answers([[1, 1, 1, 1]] * 2)
    assert result_for(private, eight, SHOWN, 5, private_threshold=8).visible


def _private_two_statements():
    return DECK.activity("reflect")  # private; scale Rarely / Often; two statements


def _battery_lines(first_tally, passes):
    """A private battery's lines and chart where statement 1 was rated `first_tally` (Rarely,
    Often) and passed `passes` times, and everyone rated statement 2 "Rarely"."""
    rarely, often = first_tally
    values = [[0, 0]] * rarely + [[1, 0]] * often + [[None, 0]] * passes
    result = result_for(_private_two_statements(), _answers(values), SHOWN, 1)
    # What the phone draws too: its bars' lengths are shares.
    return result.lines, result.chart, phone.view(result)


@settings(max_examples=80, deadline=None)
@given(rarely=st.integers(0, 5), often=st.integers(0, 5), passes=st.integers(0, 4))
def test_no_small_count_of_a_statements_passes_can_be_worked_out(rarely, often, passes):
    """Someone who knows the rule, how many answered and every count shown cannot tell how
    many passed a statement when fewer than 3 did (nor any small count beside it)."""
    assume(rarely + often + passes > 0)
    shown = _battery_lines((rarely, often), passes)
    total = rarely + often + passes
    candidates = [
        (first, second, total - first - second)
        for first in range(total + 1)
        for second in range(total + 1 - first)
        if _battery_lines((first, second), total - first - second) == shown
    ]
    assert (rarely, often, passes) in candidates
    for index, count in enumerate((rarely, often, passes)):
        if count < SMALL_CELL:
            possible = {candidate[index] for candidate in candidates}
            assert len(possible) > 1 or possible == {0}, (index, candidates)
    lines = shown[0]
    passes_line = [line for line in lines if line.row == "I notice others first." and line.passed]
    assert passes_line == [Withheld("Passed", "I notice others first.", None, passed=True)]
