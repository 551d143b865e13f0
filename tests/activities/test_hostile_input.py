"""Hostile forms, kind by kind: what a tampered or broken phone may send, and what comes of it.

Every kind reads its fields through workshop/activities/text_input.py. Whatever arrives, the
kind either returns a clean value (bounded, normalised, without control characters, one the
kind itself accepts back) or refuses it with a plain, polite AnswerError that the phone shows.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata

import pytest

from tests.conftest import small_deck_data
from workshop.activities import KINDS, AnswerError, kind_of, text_input
from workshop.curriculum.decks import parse_deck

DECK = parse_deck(small_deck_data())

UNREADABLE = text_input.UNREADABLE
NOT_AN_OPTION = text_input.NOT_AN_OPTION
RTL_OVERRIDE = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
HUGE = 10_000


def parse(activity_id: str, form):
    activity = DECK.activity(activity_id)
    return kind_of(activity).parse_answer(activity, form)


def refusal(activity_id: str, form) -> str:
    with pytest.raises(AnswerError) as caught:
        parse(activity_id, form)
    return str(caught.value)


# Open text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Hello world  ", "Hello world"),
        ("Hello\x00 world\x07\x1b[31m", "Hello world[31m"),
        (f"evil{RTL_OVERRIDE}txt.exe", "eviltxt.exe"),
        ("\u2066isolated\u2069 \u202aembedded\u202c", "isolated embedded"),
        (f"in{ZERO_WIDTH}visible", "invisible"),
        ("soft\u00adhyphen", "softhyphen"),
        ("one\r\ntwo\rthree\u2028four", "one\ntwo\nthree\nfour"),
        ("para\n\n\n\n\n\nlast", "para\n\nlast"),
        ("\n\n  top and bottom  \n\n", "top and bottom"),
        ("tab\there  and\u00a0\u3000spaces", "tab here and spaces"),
        ("cafe\u0301", "café"),  # NFC: composed, one character
        ("x² and ½ stay as written", "x² and ½ stay as written"),  # NFC, not NFKC
        # "Zalgo": accents stacked beyond MAX_MARKS go (NFC composes the first with the z).
        ("z" + "\u0301" * 60, unicodedata.normalize("NFC", "z" + "\u0301" * 4)),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("emoji 🙂 and 👍🏽 stay", "emoji 🙂 and 👍🏽 stay"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # escaped when shown
    ],
    ids=repr,
)
def test_open_text_is_cleaned(typed, stored):
    assert parse("say", {"text": [typed]}) == stored


def test_open_text_length_is_measured_after_normalising():
    # 80 letters with a combining accent are 160 code points posted but 80 characters stored.
    assert parse("say", {"text": ["e\u0301" * 80]}) == "é" * 80
    # Invisible characters do not count either.
    assert parse("say", {"text": ["y\u200b" * 80]}) == "y" * 80
    message = refusal("say", {"text": ["é" * 81]})
    assert message == "That is 81 characters; please keep it to 80 or fewer."


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "\n\n\t",
        ZERO_WIDTH,
        RTL_OVERRIDE * 5,
        "\x00\x01\x02",
        "\u3164\u2800\u115f",
        "\u0301",
    ],
)
def test_open_text_that_is_empty_once_cleaned_is_refused_politely(typed):
    assert refusal("say", {"text": [typed]}) == "Please write something, or pass."


@pytest.mark.parametrize(
    "form",
    [
        {"text": ["one", "two"]},
        {"text": ["spam"] * HUGE},
        {"text": [None]},
        {"text": [5]},
        {"text": [b"bytes"]},
        {"text": 5},
        {"text": {"nested": "dict"}},
    ],
)
def test_open_text_refuses_repeated_or_wrongly_typed_fields(form):
    assert refusal("say", form) == UNREADABLE


def test_a_huge_value_is_refused_before_it_is_cleaned():
    message = refusal("say", {"text": ["x" * (text_input.MAX_RAW_LENGTH + 1)]})
    assert message == text_input.TOO_LONG


def test_a_bare_string_is_read_as_one_value():
    assert parse("say", {"text": "plain"}) == "plain"


# Word cloud -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "stored"),
    [
        ({"word0": ["Ｃａｌｍ"], "word1": [f"{RTL_OVERRIDE}calm"]}, ["calm"]),
        ({"word0": ["sel\u200bf-ca\u00adre"]}, ["self-care"]),
        ({"word0": ["\x00trust\x7f"]}, ["trust"]),
        ({"word0": ["ﬁne"]}, ["fine"]),  # NFKC: the ligature is two letters
        ({"word0": ["  "], "word1": ["warm"]}, ["warm"]),
        ({"word0": ["warm"], "word5": ["ignored"] * HUGE}, ["warm"]),  # not a field of this kind
    ],
)
def test_word_cloud_words_are_cleaned_and_normalised(form, stored):
    assert parse("words", form) == stored


def test_word_cloud_length_is_measured_after_normalising():
    # Two characters posted, 36 once NFKC has spelled the ligatures out.
    assert refusal("words", {"word0": ["ﷺﷺ"]}) == "Please keep each word to 24 characters or fewer."
    assert parse("words", {"word0": ["c\u200ba\u200bl\u200bm" + "\u200b" * 30]}) == ["calm"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Please type a word, or pass."),
        ({"word0": [ZERO_WIDTH]}, "Please type a word, or pass."),
        ({"word0": ["!!!"]}, "Please use letters or numbers in your word."),
        ({"word0": ["one two three"]}, "One or two words in each box, please."),
        ({"word0": ["a", "b"]}, UNREADABLE),
        ({"word0": ["calm"] * HUGE}, UNREADABLE),
        ({"word0": [3]}, UNREADABLE),
    ],
)
def test_word_cloud_refusals(form, message):
    assert refusal("words", form) == message


# Choices: single, scale, rows (battery, knowledge check, scenario sort) ------------------------

NOT_NUMBERS = ["nan", "NaN", "inf", "-inf", "-1", "-0", "1e0", "1.0", "+1", "0x1", "０", "٣", "²"]


@pytest.mark.parametrize("raw", [*NOT_NUMBERS, "3", "999", "99999999999999999999"])
def test_single_choice_accepts_only_the_options_there_are(raw):
    assert refusal("colour", {"choice": [raw]}) == NOT_AN_OPTION


@pytest.mark.parametrize("raw", [" 1 ", "1\u200b", f"{RTL_OVERRIDE}1", "01"])
def test_single_choice_reads_an_option_through_noise(raw):
    assert parse("colour", {"choice": [raw]}) == 1


@pytest.mark.parametrize(
    "form", [{"choice": ["0", "1"]}, {"choice": ["0"] * HUGE}, {"choice": [0]}, {"choice": None}]
)
def test_single_choice_refuses_repeats_and_wrong_types(form):
    message = refusal("colour", form)
    assert message in (UNREADABLE, "Please pick one option, or pass.")


@pytest.mark.parametrize("raw", [*NOT_NUMBERS, "3"])
def test_a_scale_accepts_only_its_points(raw):
    assert refusal("weather", {"point": [raw]}) == NOT_AN_OPTION
    assert parse("weather", {"point": ["2"]}) == 2


@pytest.mark.parametrize("activity_id", ["reflect", "quiz", "sort"])
def test_rows_refuse_hostile_fields(activity_id):
    activity = DECK.activity(activity_id)
    rows = len(kind_of(activity).sample_answer(activity, random.Random(0)))  # fields s0, s1 ...
    valid = {f"s{row}": ["0"] for row in range(rows)}
    assert parse(activity_id, valid) == [0] * rows
    # Fields of rows the activity does not have are ignored, never stored.
    assert parse(activity_id, {**valid, "s99": ["7"] * HUGE}) == [0] * rows
    assert refusal(activity_id, {**valid, "s0": ["0", "1"]}) == UNREADABLE
    assert refusal(activity_id, {**valid, "s0": ["0"] * HUGE}) == UNREADABLE
    for raw in [*NOT_NUMBERS, "9"]:
        assert refusal(activity_id, {**valid, "s0": [raw]}) == NOT_AN_OPTION
    # "number 1 is still open" (a knowledge check, a sort), "Statement 1 is still open" (a
    # battery, whose statements can each be passed).
    assert "1 is still open" in refusal(activity_id, {**valid, "s0": [ZERO_WIDTH]})


# Multiple choice ------------------------------------------------------------------------------


def test_multiple_choice_counts_a_repeated_tick_once():
    assert parse("many", {"choice": ["2", "0", "2"]}) == [0, 2]
    assert parse("many", {"choice": [" 1", "1\u200b"]}) == [1]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"choice": []}, "Please tick at least one option, or pass."),
        ({"choice": ["0"] * HUGE}, UNREADABLE),
        ({"choice": ["0", "1", "2", "0"]}, UNREADABLE),  # more ticks than options
        ({"choice": ["0", "1", "2"]}, "Please pick at most 2."),
        ({"choice": ["5"]}, "One of those choices is not an option. Please pick again."),
        ({"choice": ["0", "nan"]}, "One of those choices is not an option. Please pick again."),
        ({"choice": ["0", ""]}, "One of those choices is not an option. Please pick again."),
        ({"choice": [0, 1]}, UNREADABLE),
    ],
)
def test_multiple_choice_refusals(form, message):
    assert refusal("many", form) == message


# Ranking --------------------------------------------------------------------------------------


def test_ranking_reads_places_through_noise():
    form = {"rank0": [" 3 "], "rank1": ["1\u200b"], "rank2": [f"{RTL_OVERRIDE}2"]}
    assert parse("order", form) == [1, 2, 0]


@pytest.mark.parametrize("raw", [*NOT_NUMBERS, "0", "4", "999"])
def test_ranking_accepts_only_places_there_are(raw):
    form = {"rank0": [raw], "rank1": ["1"], "rank2": ["2"]}
    assert refusal("order", form) == "Places go from 1 to 3. Please pick again."


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"rank0": ["1"], "rank1": ["2"]}, "Please give every item a place, or pass."),
        (
            {"rank0": ["1"], "rank1": ["1"], "rank2": ["2"]},
            "Each place can be used once. Please give every item a different place.",
        ),
        ({"rank0": ["1", "2"], "rank1": ["2"], "rank2": ["3"]}, UNREADABLE),
        ({"rank0": ["1"] * HUGE, "rank1": ["2"], "rank2": ["3"]}, UNREADABLE),
    ],
)
def test_ranking_refusals(form, message):
    assert refusal("order", form) == message


def test_an_information_slide_takes_no_answer():
    assert refusal("hello", {"text": ["hi"]}) == "There is nothing to answer on this slide."


# Every registered kind, fed random junk -------------------------------------------------------

# More activities than the shared deck holds, so limits other than its own are tried too.
EXTRA_ACTIVITIES = [
    {"id": "long-say", "kind": "open_text", "title": "Say", "minutes": 1, "max_length": 1000},
    {"id": "short-say", "kind": "open_text", "title": "Say", "minutes": 1, "max_length": 10},
    {
        "id": "three-words",
        "kind": "word_cloud",
        "title": "Words",
        "minutes": 1,
        "max_words": 3,
        "max_length": 3,
    },
    {
        "id": "any",
        "kind": "multiple_choice",
        "title": "Any",
        "minutes": 1,
        "options": [f"Option {number}" for number in range(12)],
    },
    {
        "id": "eight",
        "kind": "ranking",
        "title": "Eight",
        "minutes": 1,
        "items": [f"Item {number}" for number in range(8)],
    },
    {
        "id": "ten-points",
        "kind": "scale",
        "title": "Ten",
        "minutes": 1,
        "points": [str(number) for number in range(10)],
    },
]
EXTRA_DECK = parse_deck({**small_deck_data(), "activities": EXTRA_ACTIVITIES})
ACTIVITIES = [*DECK.activities, *EXTRA_DECK.activities]

PIECES = [
    "0", "1", "2", "3", "7", "11", "12", "-1", "nan", "NaN", "inf", "-inf", "1e3", "1.0", "+1",
    "０", "٣", "²", "", " ", "\t", "\n", "\r\n", "\u2028", "\x00", "\x1b[31m", "\x7f", "\x85",
    RTL_OVERRIDE, "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u0301" * 7, "e",
    "e\u0301", "é", "Ａ", "ﷺ", "ﬁ", "İ", "ß", "<script>", "&amp;", "'", "’", "\ud800", "\u3164",
    "calm", "self-care", "don't", "two words", "x" * 30, "y" * 300, "🙂", "👩‍👩‍👧", "你好", "שלום",
]  # fmt: skip
EVERY_FIELD = [
    "choice", "point", "text", "pass", "activity", "word0", "word1", "word2", "word3", "s0", "s1",
    "s2", "s11", "s12", "rank0", "rank1", "rank2", "rank7", "rank8", "rank-1", "", "thumb",
]  # fmt: skip
WRONG_TYPES = [None, 3, 2.5, math.nan, math.inf, b"1", ["1", None], [0], {"a": "1"}, ("0",)]
CASES_PER_ACTIVITY = 300


def _junk_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6)))


def _junk_values(rng: random.Random):
    roll = rng.random()
    if roll < 0.05:
        return rng.choice(WRONG_TYPES)
    if roll < 0.08:
        return [_junk_text(rng)] * rng.choice([2, 50, HUGE])
    if roll < 0.12:
        return _junk_text(rng)  # a bare string rather than a list
    return [_junk_text(rng) for _ in range(rng.choice([0, 1, 1, 1, 1, 2, 3]))]


NOISE = ["", " ", "\u200b", RTL_OVERRIDE, "\x00", "\u2066", "\ufeff", "\t"]


def _junk_form(rng: random.Random, kind, activity) -> dict:
    """Random junk; or an honest answer with noise around every value, or with a few fields
    spoiled (these reach the checks past the first)."""
    honest = kind.form_fields(activity, kind.sample_answer(activity, rng))
    roll = rng.random()
    if roll < 0.2:
        return {
            name: [rng.choice(NOISE) + value + rng.choice(NOISE) for value in values]
            for name, values in honest.items()
        }
    if roll < 0.6:
        form = {name: list(values) for name, values in honest.items()}
        names = list(form) or EVERY_FIELD
    else:
        form, names = {}, EVERY_FIELD
    for name in rng.sample(names, rng.randint(1, min(3, len(names)))):
        form[name] = _junk_values(rng)
    if rng.random() < 0.3:
        form[rng.choice(EVERY_FIELD)] = _junk_values(rng)
    return form


def _strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings_in(item)]
    return []


def _assert_clean(text: str, several_lines: bool) -> None:
    allowed = {"\n"} if several_lines else set()
    for character in text:
        if character in allowed:
            continue
        assert unicodedata.category(character) not in ("Cc", "Cf", "Cs"), repr(text)
        assert character not in text_input.INVISIBLE, repr(text)
    assert text == text.strip() and text, repr(text)
    assert "  " not in text, repr(text)


def _assert_polite(message: str) -> None:
    assert message and len(message) <= 200
    assert message[0].isupper() and message.endswith("."), message
    assert message.isprintable(), message
    assert not any(word in message for word in ("Error", "None", "Traceback", "{", "[")), message


def _assert_accepted_by_its_kind(kind, activity, value) -> None:
    """The kind's own view of a stored value: it counts, summarises, draws, and round-trips."""
    tally = kind.tally(activity, [value, value])
    kind.lines(activity, tally, True)
    kind.chart(activity, tally, True)
    kind.item_scores(activity, value)
    assert kind.parse_answer(activity, kind.form_fields(activity, value)) == value
    # Stored as JSON text in the database (UTF-8): a lone surrogate would fail here.
    json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    for text in _strings_in(value):
        _assert_clean(text, several_lines=kind.name == "open_text")
        if unicodedata.is_normalized("NFC", text) is False:
            raise AssertionError(f"not NFC: {text!r}")
    if kind.name == "open_text":
        assert len(value) <= activity.max_length
    if kind.name == "word_cloud":
        assert 1 <= len(value) <= activity.max_words
        assert all(len(word) <= activity.max_length for word in value)
        assert len(set(value)) == len(value)
    if isinstance(value, int) or (
        isinstance(value, list) and any(isinstance(number, int) for number in value)
    ):
        numbers = [value] if isinstance(value, int) else value
        # A battery's statement passed on its own is None; every other number is an option's.
        assert all(
            (number is None and kind.name == "battery") or (type(number) is int and number >= 0)
            for number in numbers
        )


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_random_junk_is_an_answer_the_kind_accepts_or_a_polite_refusal(kind_name):
    kind = KINDS[kind_name]
    activities = [activity for activity in ACTIVITIES if activity.kind == kind_name]
    assert activities, f"no activity of kind {kind_name} to try"
    rng = random.Random(f"hostile-{kind_name}")
    accepted = refused = 0
    for activity in activities:
        for _ in range(CASES_PER_ACTIVITY):
            form = _junk_form(rng, kind, activity)
            try:
                value = kind.parse_answer(activity, form)
            except AnswerError as problem:
                _assert_polite(str(problem))
                refused += 1
                continue
            _assert_accepted_by_its_kind(kind, activity, value)
            accepted += 1
    assert refused  # junk is refused ...
    if kind.answerable:
        assert accepted  # ... and the honest-but-spoiled forms reach acceptance too
