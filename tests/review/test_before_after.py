"""Before and after: each statistic against published values, and the comparison of a
session's paired activities with its suppression and its plain words."""

import pytest

from tests.conftest import small_deck_data
from workshop import i18n
from workshop.curriculum.decks import CurriculumError, parse_deck
from workshop.review.before_after import (
    BinaryItem,
    OrdinalItem,
    cliffs_size,
    comparisons,
    exact_mcnemar,
    fisher,
    mann_whitney,
    plain_words,
    wilcoxon_signed_rank,
    wilson,
)
from workshop.room import live

# Published values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("right", "answered", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611)],
)
def test_wilson_intervals_match_newcombe(right, answered, low, high):
    found = wilson(right, answered)
    assert found.low == pytest.approx(low, abs=5e-5)
    assert found.high == pytest.approx(high, abs=5e-5)


def test_exact_mcnemar_is_a_binomial_test_on_the_pairs_that_changed():
    # 1 changed one way, 10 the other: 2 * P(X <= 1 | n = 11, p = 1/2) = 2 * 12 / 2048.
    assert exact_mcnemar(1, 10) == pytest.approx(24 / 2048)
    assert exact_mcnemar(10, 1) == pytest.approx(24 / 2048)
    assert exact_mcnemar(0, 0) == 1.0


def test_fisher_matches_the_lady_tasting_tea():
    # Fisher (1935), The Design of Experiments: 3 of 4 cups right each way, p = 17/35.
    assert fisher((3, 1), (1, 3)) == pytest.approx(17 / 35)


def test_wilcoxon_and_rank_biserial_match_darwins_plants():
    # Darwin's Zea mays, as analysed by Fisher (1935): height differences of 15 pairs,
    # exact two-sided p = 0.041259765625; W+ = 96, W- = 24, so r = (96 - 24) / 120 = 0.6.
    differences = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    p_value, rank_biserial = wilcoxon_signed_rank([0] * 15, differences)
    assert p_value == pytest.approx(0.041259765625)
    assert rank_biserial == pytest.approx(0.6)


def test_wilcoxon_sets_aside_pairs_that_did_not_move():
    assert wilcoxon_signed_rank([2, 2, 2], [2, 2, 2]) == (1.0, 0.0)
    _, rank_biserial = wilcoxon_signed_rank([1, 1, 2, 3], [2, 2, 2, 4])  # three up, one still
    assert rank_biserial == 1.0


def test_cliffs_delta_is_dominance_and_its_words_follow_romano():
    # Every after answer above every before answer: delta 1; the reverse: -1.
    assert mann_whitney([1, 2, 3], [4, 5, 6])[1] == pytest.approx(1.0)
    assert mann_whitney([4, 5, 6], [1, 2, 3])[1] == pytest.approx(-1.0)
    # By definition: (#after > before - #after < before) / (m n) = (5 - 3) / 9 here.
    before, after = [1, 2, 3], [1, 2, 4]
    higher = sum(1 for b in before for a in after if a > b)
    lower = sum(1 for b in before for a in after if a < b)
    assert mann_whitney(before, after)[1] == pytest.approx((higher - lower) / 9)
    assert [cliffs_size(d) for d in (0.1, -0.2, 0.4, -0.9)] == [
        "negligible",
        "small",
        "medium",
        "large",
    ]


# The deck says what pairs with what ------------------------------------------------------------


def _deck(after: dict) -> dict:
    data = small_deck_data()
    data["activities"].append({"id": "quiz-after", "title": "Quiz again", "minutes": 2, **after})
    return data


def test_the_deck_says_which_activity_repeats_an_earlier_one():
    quiz = next(a for a in small_deck_data()["activities"] if a["id"] == "quiz")
    same = {"kind": "knowledge_check", "pairs_with": "quiz", "statements": quiz["statements"]}
    deck = parse_deck(_deck(same))
    assert deck.activity("quiz-after").pairs_with == "quiz"
    changed = {**same, "statements": quiz["statements"][:1]}
    with pytest.raises(CurriculumError, match="does not ask the same") as caught:
        parse_deck(_deck(changed), "mine.toml")
    [problem] = caught.value.problems
    assert (problem.activity, problem.field) == ("quiz-after", "pairs_with")
    with pytest.raises(CurriculumError, match="no earlier activity 'nothing'"):
        parse_deck(_deck({**same, "pairs_with": "nothing"}))
    words = {"kind": "word_cloud", "pairs_with": "words"}
    with pytest.raises(CurriculumError, match="word cloud cannot be compared"):
        parse_deck(_deck(words))


# A session's comparison -------------------------------------------------------------------------


@pytest.fixture
def paired_deck():
    quiz = next(a for a in small_deck_data()["activities"] if a["id"] == "quiz")
    data = _deck(
        {"kind": "knowledge_check", "pairs_with": "quiz", **{"statements": quiz["statements"]}}
    )
    data["activities"].append(
        {
            "id": "weather-after",
            "kind": "scale",
            "title": "Weather again",
            "minutes": 1,
            "points": ["Storm", "Rain", "Sun"],
            "pairs_with": "weather",
        }
    )
    return parse_deck(data)


def _answer(store, session, activity_id, token, value):
    store.record_answer(
        session.id, activity_id, store.join(session.id, token), passed=False, value=value
    )


def test_a_session_compares_its_pairs_and_says_what_it_cannot_show(sqlite_store, paired_deck):
    session = live.start_session(sqlite_store, paired_deck, threshold=3)
    for activity_id in ("quiz", "weather", "quiz-after", "weather-after"):
        live.open_activity(sqlite_store, session.id, activity_id)
    # Statement 1 is true (0), statement 2 false (1). Six people before and after.
    before = [[0, 0], [1, 1], [2, 1], [1, 0], [0, 1], [2, 2]]
    after = [[0, 1], [0, 1], [0, 1], [0, 0], [0, 1], [1, 1]]
    for number, (first, second) in enumerate(zip(before, after, strict=True)):
        token = f"{number}" * 64
        _answer(sqlite_store, session, "quiz", token, first)
        _answer(sqlite_store, session, "quiz-after", token, second)
        _answer(sqlite_store, session, "weather", token, number % 3)
        _answer(sqlite_store, session, "weather-after", token, min(2, number % 3 + 1))
    found = comparisons(sqlite_store, live.load(sqlite_store, session.id))
    quiz, weather = found
    assert quiz.visible and weather.visible
    first = quiz.items[0]
    assert isinstance(first, BinaryItem)
    assert (first.before.right, first.before.answered) == (2, 6)
    assert (first.after.right, first.after.answered) == (5, 6)
    # Three moved from wrong or unsure to right, none the other way.
    assert first.pairs == 6 and first.mcnemar_p == pytest.approx(exact_mcnemar(0, 3))
    assert first.fisher_p is None  # nobody answered only once
    scale = weather.items[0]
    assert isinstance(scale, OrdinalItem)
    assert scale.before == (2, 2, 2) and scale.after == (0, 2, 4)
    assert scale.rank_biserial == 1.0  # four moved up, two stayed at the top
    words = plain_words(first)
    assert "Before, 2 of 6 answered correctly (33%" in words
    assert "no comparison group" in words and "cannot show that the workshop caused" in words


def test_no_comparison_is_shown_where_the_room_saw_no_result(sqlite_store, paired_deck):
    session = live.start_session(sqlite_store, paired_deck, threshold=5)
    for activity_id in ("quiz", "quiz-after"):
        live.open_activity(sqlite_store, session.id, activity_id)
    for number in range(4):  # fewer than the threshold
        token = f"{number}" * 64
        _answer(sqlite_store, session, "quiz", token, [0, 1])
        _answer(sqlite_store, session, "quiz-after", token, [0, 1])
    quiz = comparisons(sqlite_store, live.load(sqlite_store, session.id))[0]
    assert not quiz.visible and quiz.items == ()
    assert "5 people" in quiz.hidden_reason


def test_one_person_leaving_cannot_be_read_off_the_paired_test(sqlite_store, paired_deck):
    """Six answer before (five right), one leaves, five answer after (all right). A McNemar
    test on the five pairs, beside the two results the room saw, would say the leaver was wrong:
    so with a few answering only once, the paired test is left out."""
    session = live.start_session(sqlite_store, paired_deck, threshold=5)
    for activity_id in ("quiz", "quiz-after"):
        live.open_activity(sqlite_store, session.id, activity_id)
    for number in range(6):
        token = f"{number}" * 64
        _answer(sqlite_store, session, "quiz", token, [0, 1] if number < 5 else [1, 1])
        if number < 5:
            _answer(sqlite_store, session, "quiz-after", token, [0, 1])
    quiz = comparisons(sqlite_store, live.load(sqlite_store, session.id))[0]
    first = quiz.items[0]
    assert quiz.visible and first.pairs == 5 and first.unpaired == (1, 0)
    assert first.mcnemar_p is None and first.fisher_p is None
    assert "too few for a test that could not point at anyone's answer" in plain_words(first)


def test_tied_scale_answers_get_exact_p_values():
    """Scale answers tie; the p-values must be the exact ones, counted here by hand."""
    import itertools

    before, after = [0, 0, 1, 1, 1, 2], [1, 2, 2, 2, 2, 2]
    p_value, _ = mann_whitney(before, after)
    pooled = before + after
    observed = sum(a > b for a in after for b in before) - sum(a < b for a in after for b in before)
    extreme = total = 0
    for chosen in itertools.combinations(range(12), 6):
        group = [pooled[index] for index in chosen]
        rest = [pooled[index] for index in range(12) if index not in chosen]
        score = sum(a > b for a in group for b in rest) - sum(a < b for a in group for b in rest)
        extreme += abs(score) >= abs(observed)
        total += 1
    assert p_value == pytest.approx(extreme / total)
    # Signs of 14 tied differences, every one of the 2**14 ways they could have fallen.
    differences = [1, 1, 1, 1, 2, -1, 1, 1, 2, 1, 1, 1, -1, 1]
    p_signed, _ = wilcoxon_signed_rank([0] * 14, differences)
    assert p_signed == pytest.approx(0.0096435546875)


def test_the_plain_words_are_said_in_the_language_spoken():
    binary = BinaryItem("item", wilson(2, 6), wilson(5, 6), 6, 0.25, (0, 0), None)
    scale = OrdinalItem("item", ("Storm", "Rain", "Sun"), (2, 2, 2), (0, 2, 4), 1, None, None,
                        (5, 5), 0.03, 0.4)  # fmt: skip
    with i18n.speaking("es"):
        spanish = plain_words(binary)
        spanish_scale = plain_words(scale)
    assert spanish.startswith(
        "Antes, 2 de 6 respondieron correctamente (33%, intervalo del 95% de 10% a 70%); "
        "después, 5 de 6 (83%, de 44% a 97%). 6 personas respondieron las dos veces; para "
        "ellas, la prueba exacta de McNemar da p = 0.25. Con tan pocas personas,"
    )
    assert spanish.endswith("la segunda vez por otros motivos.")
    assert spanish_scale.startswith(
        "6 personas respondieron antes y 6 después; 1, las dos veces. Sin prueba del cambio: "
    )
    assert "la delta de Cliff es 0.40 (por encima de 0: más altas después; tamaño del " in (
        spanish_scale
    )
    assert "efecto mediano; Mann-Whitney p = 0.03)" in spanish_scale
    for english in ("answered", "before", "after", "test", "medium", "group"):
        assert english not in spanish + spanish_scale, english
    # English is as it was.
    assert plain_words(binary).startswith(
        "Before, 2 of 6 answered correctly (33%, 95% interval 10% to 70%); after, 5 of 6 "
        "(83%, 44% to 97%). 6 people answered both; for them the exact McNemar test gives "
        "p = 0.25."
    )
    assert "Cliff's delta is 0.40 (above 0: higher after; medium; Mann-Whitney p = 0.03)." in (
        plain_words(scale)
    )
