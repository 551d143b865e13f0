"""Each activity kind: what a phone may send, what it stores, what the room sees."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import small_deck_data
from workshop.activities import KINDS, AnswerError, kind_of
from workshop.activities import word_cloud as word_cloud_kind
from workshop.curriculum.decks import parse_deck
from workshop.renderers import charts

# A module constant rather than the fixture: Hypothesis reruns a test body many times.
DECK = parse_deck(small_deck_data())
ANSWERABLE = [activity.id for activity in DECK.activities if activity.answerable]


def _activity(deck, activity_id):
    return deck.activity(activity_id)


@pytest.mark.parametrize("activity_id", ANSWERABLE)
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_a_stored_answer_prefills_a_form_that_parses_back_to_it(activity_id, seed):
    activity = _activity(DECK, activity_id)
    module = kind_of(activity)
    value = module.sample_answer(activity, random.Random(seed))
    assert module.parse_answer(activity, module.form_fields(activity, value)) == value


@pytest.mark.parametrize("activity_id", ANSWERABLE)
def test_an_empty_form_is_refused_politely(deck, activity_id):
    activity = _activity(deck, activity_id)
    with pytest.raises(AnswerError) as caught:
        kind_of(activity).parse_answer(activity, {})
    assert "pass" in str(caught.value) or "place" in str(caught.value)


def test_the_shared_test_deck_has_an_activity_of_every_kind():
    # Golden files and properties run over this deck: a kind missing here would go untested.
    assert {activity.kind for activity in DECK.activities} == set(KINDS)


def test_every_kind_has_a_template():
    from workshop.web.participant.render import HERE

    for kind in KINDS.values():
        assert (HERE / "templates" / kind.template).exists(), kind.name


def test_single_choice_refuses_an_option_that_does_not_exist(deck):
    activity = _activity(deck, "colour")
    with pytest.raises(AnswerError):
        kind_of(activity).parse_answer(activity, {"choice": ["7"]})
    with pytest.raises(AnswerError):
        kind_of(activity).parse_answer(activity, {"choice": ["-1"]})


def test_multiple_choice_keeps_to_its_limit(deck):
    activity = _activity(deck, "many")
    module = kind_of(activity)
    assert module.parse_answer(activity, {"choice": ["2", "0", "2"]}) == [0, 2]
    with pytest.raises(AnswerError, match="at most 2"):
        module.parse_answer(activity, {"choice": ["0", "1", "2"]})


def test_ranking_needs_each_place_once(deck):
    activity = _activity(deck, "order")
    module = kind_of(activity)
    assert module.parse_answer(activity, {"rank0": ["3"], "rank1": ["1"], "rank2": ["2"]}) == [
        1,
        2,
        0,
    ]
    with pytest.raises(AnswerError, match="different place"):
        module.parse_answer(activity, {"rank0": ["1"], "rank1": ["1"], "rank2": ["2"]})


def test_ranking_result_is_the_mean_place_first_place_first(deck):
    activity = _activity(deck, "order")
    kind = kind_of(activity)
    tally = kind.tally(activity, [[0, 1, 2], [1, 0, 2], [2, 1, 0]])
    assert tally == [("Two", 5 / 3), ("One", 2.0), ("Three", 7 / 3)]
    assert [line.label for line in kind.lines(activity, tally, False)] == ["Two", "One", "Three"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Calm ", "calm"),
        ("SELF-CARE!", "self-care"),
        ("don’t", "don't"),
        ("Ｒｅｓｐｅｃｔ", "respect"),
        ("<b>warm</b>", "b warm b"),
    ],
)
def test_words_are_normalised(typed, stored):
    assert word_cloud_kind.normalise(typed) == stored


def test_word_cloud_refuses_overlong_and_empty_words(deck):
    activity = _activity(deck, "words")
    module = kind_of(activity)
    with pytest.raises(AnswerError, match="24 characters"):
        module.parse_answer(activity, {"word0": ["x" * 25]})
    with pytest.raises(AnswerError, match="letters or numbers"):
        module.parse_answer(activity, {"word0": ["!!!"]})
    assert module.parse_answer(activity, {"word0": ["Calm"], "word1": ["calm "]}) == ["calm"]


def test_open_text_refuses_overlong_text_and_strips_control_characters(deck):
    activity = _activity(deck, "say")
    module = kind_of(activity)
    with pytest.raises(AnswerError, match="80 or fewer"):
        module.parse_answer(activity, {"text": ["y" * 81]})
    assert module.parse_answer(activity, {"text": ["hi\u202e there\x00"]}) == "hi there"


def test_knowledge_check_counts_each_statement_and_marks_the_answer_once_revealed(deck):
    activity = _activity(deck, "quiz")
    kind = kind_of(activity)
    # Statement 1 is true (index 0), statement 2 false (index 1).
    tally = kind.tally(activity, [[0, 1], [1, 1], [2, 0]])
    assert tally == [[1, 1, 1], [1, 2, 0]]
    assert kind.chart(activity, tally, revealed=False).correct is None
    assert kind.chart(activity, tally, revealed=True).correct == (0, 1)


def test_every_kind_draws_a_chart_exactly_when_it_says_it_has_one(deck):
    for activity in deck.activities:
        kind = kind_of(activity)
        values = [kind.sample_answer(activity, random.Random(seed)) for seed in range(6)]
        tally = kind.tally(activity, [value for value in values if value is not None])
        chart = kind.chart(activity, tally, True)
        if kind.has_chart:
            assert charts.draw(chart).data, activity.kind
        else:
            assert chart is None, activity.kind


FIELD_NAMES = ["choice", "point", "text", "s0", "s1", "word0", "word1", "rank0", "rank1", "rank2"]
HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["-1", "99999999999999999999", "1e3", "０", "²", " 1", "<script>", "\x00"]),
)


@pytest.mark.parametrize("activity_id", ANSWERABLE)
@settings(max_examples=150, deadline=None)
@given(form=st.dictionaries(st.sampled_from(FIELD_NAMES), st.lists(HOSTILE_TEXT, max_size=4)))
def test_any_form_is_either_an_answer_or_a_polite_refusal(activity_id, form):
    """Whatever a phone sends, the kind answers with a value or an AnswerError: never a crash."""
    activity = _activity(DECK, activity_id)
    module = kind_of(activity)
    try:
        value = module.parse_answer(activity, form)
    except AnswerError as refusal:
        assert str(refusal)
        return
    # What is accepted is counted cleanly and round-trips through the form.
    tally = module.tally(activity, [value])
    module.lines(activity, tally, True)
    module.chart(activity, tally, True)
    assert module.parse_answer(activity, module.form_fields(activity, value)) == value


def test_a_deck_cannot_make_a_poll_unanswerable():
    from workshop.curriculum.decks import CurriculumError

    data = small_deck_data()
    data["activities"][1]["answerable"] = False
    with pytest.raises(CurriculumError, match="answerable"):
        parse_deck(data)


def test_vignettes_have_short_projector_labels():
    from workshop.activities.scenario_sort import Vignette

    assert Vignette(text="One two three four five six seven", label="").short_label == (
        "One two three four five six …"
    )
    assert Vignette(text="A long story", label="Story").short_label == "Story"


def test_a_scaled_figure_shrinks_its_type_and_height_for_a_preview():
    figure = charts.bars(["Yes", "No"], [3, 1])
    words = charts.word_cloud([("calm", 3), ("safe", 1)])
    sizes = list(words.data[0].textfont.size)
    height = figure.layout.height
    charts.scaled(figure, 0.5)
    assert figure.layout.height == round(height * 0.5)
    assert figure.layout.font.size == charts.FONT_SIZE * 0.5
    charts.scaled(words, 0.5)
    assert list(words.data[0].textfont.size) == [size * 0.5 for size in sizes]
