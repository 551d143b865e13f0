"""The rules every built-in deck follows (../shared/CURRICULUM.md): checked, not hoped for."""

import re
import tomllib

import pytest

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.web.participant.render import phone_preview

BUILT_IN = sorted(DECK_FOLDER.glob("*.toml"))
# Field names that would turn teaching into assessment.
SCORING_WORDS = ("score", "scoring", "cutoff", "cut_off", "severity", "band", "weight", "total")
# Published instruments whose items must never appear, nor names that imply validation.
# How the opening says anyone may pass, and the closing that this was not a diagnosis, in each
# language a built-in deck is written in.
RULE_WORDS = {"en": ("pass", "diagnosis"), "es": ("prefiero no responder", "diagnóstico")}
INSTRUMENTS = ("spann", "fischer", "holyoake", "composite codependency", "assessment tool")


def _keys(value, found=None):
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key.lower())
            _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


@pytest.fixture(params=BUILT_IN, ids=[path.name for path in BUILT_IN])
def deck_file(request):
    return request.param


def test_every_question_offers_prefer_not_to_answer(deck_file):
    deck = load_deck(deck_file)
    for activity in deck.activities:
        if activity.answerable:
            assert "Prefer not to answer" in phone_preview(activity, deck.title), activity.id


def test_reflections_are_private_and_tagged_with_constructs(deck_file):
    for activity in load_deck(deck_file).activities:
        if activity.kind == "battery":
            assert activity.sensitive, activity.id
            assert all(statement.construct_name for statement in activity.statements)


def test_knowledge_checks_carry_their_answers_and_explanations(deck_file):
    for activity in load_deck(deck_file).activities:
        if activity.kind == "knowledge_check":
            assert all(statement.explanation for statement in activity.statements), activity.id


def test_no_scoring_fields_anywhere(deck_file):
    keys = _keys(tomllib.loads(deck_file.read_text("utf-8")))
    assert not [key for key in keys if any(word in key for word in SCORING_WORDS)]


def test_no_published_instrument_is_named(deck_file):
    text = deck_file.read_text("utf-8").lower()
    assert not [name for name in INSTRUMENTS if name in text]


def test_every_activity_has_facilitator_notes_and_minutes(deck_file):
    for activity in load_deck(deck_file).activities:
        assert activity.notes.strip(), activity.id
        assert activity.minutes > 0


def test_the_workshop_opens_with_agreements_and_closes_with_support(deck_file):
    deck = load_deck(deck_file)
    opening = deck.activities[0]
    assert opening.kind == "info"
    right_to_pass, not_a_diagnosis = RULE_WORDS[deck.language]
    assert right_to_pass in opening.body.lower()
    closing = deck.activities[-1]
    assert not_a_diagnosis in (closing.prompt + closing.body).lower()


# Issue 12's rules: teach what is checked, protect the room, fit the clock. ----------------------

# Words that name a loss, violence, illness or money trouble, in each language a built-in deck is
# written in: an activity whose wording names one says so first, in a content note.
HEAVY_WORDS = {
    "en": (
        "death|died|dying|funeral|grief|grieving|bereave\\w*|violen\\w*|hit|hits|hitting|shout\\w*|"
        "yell\\w*|scream\\w*|abus\\w*|ill|illness|sick|cancer|hospital\\w*|dementia|debt\\w*|"
        "money|rent|loan\\w*|bills|drinking|drunk|overdose|suicid\\w*|trauma\\w*"
    ),
    "es": (
        "muerte|murió|muri\\w*|funeral|duelo|violen\\w*|golpe\\w*|grit\\w*|abus\\w*|"
        "enferm\\w*|cáncer|hospital\\w*|demencia|deuda\\w*|dinero|alquiler|préstamo\\w*|"
        "facturas|bebe|bebida|alcohol\\w*|sobredosis|suicid\\w*|trauma\\w*|TEPT|"
        "estrés postraumático"
    ),
}
# The planned length each built-in deck promises, in its id.
PROMISED_MINUTES = re.compile(r"-(\d+)$")


def _shown_text(activity) -> str:
    """Everything a participant reads of an activity (not the facilitator's notes)."""
    dumped = activity.model_dump(mode="json", by_alias=True)
    hidden = {"id", "kind", "notes", "content_note", "pairs_with", "taught_in", "construct"}

    def strings(value, field=None):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from strings(inner, key)
        elif isinstance(value, list):
            for inner in value:
                yield from strings(inner, field)
        elif isinstance(value, str) and field not in hidden:
            yield value

    return " ".join(strings(dumped))


def _word_stems(text: str) -> set[str]:
    """The first five letters of every word of six letters or more: enough to tell that a
    statement and a slide talk about the same thing, in either language."""
    return {word[:5] for word in re.findall(r"\w{6,}", text.lower())}


def _after_checks(deck):
    """The knowledge checks that measure the teaching: those repeating an earlier one, or the
    only check of a deck that asks once."""
    checks = [activity for activity in deck.activities if activity.kind == "knowledge_check"]
    repeated = [check for check in checks if check.pairs_with]
    return repeated or checks


def test_every_knowledge_statement_is_taught_before_the_check_that_measures_it(deck_file):
    deck = load_deck(deck_file)
    position = {activity.id: index for index, activity in enumerate(deck.activities)}
    for check in _after_checks(deck):
        for statement in check.statements:
            assert statement.taught_in, f"{check.id}: {statement.text!r} names no teaching slide"
            slide = deck.activity(statement.taught_in)
            assert position[slide.id] < position[check.id], (check.id, slide.id)
            shared = _word_stems(statement.text) & _word_stems(_shown_text(slide))
            assert len(shared) >= 2, (
                f"{check.id}: {statement.text!r} shares too few words with {slide.id!r}: {shared}"
            )


def test_the_before_check_stays_private_until_it_closes(deck_file):
    deck = load_deck(deck_file)
    for check in _after_checks(deck):
        if check.pairs_with:
            assert deck.activity(check.pairs_with).sensitive, check.pairs_with


def test_longer_decks_teach_for_six_minutes_and_say_it_is_no_diagnosis(deck_file):
    deck = load_deck(deck_file)
    if deck.minutes < 60:
        return
    slides = {
        statement.taught_in for check in _after_checks(deck) for statement in check.statements
    }
    teaching = [deck.activity(slide) for slide in slides]
    assert sum(slide.minutes for slide in teaching) >= 6
    assert any("DSM" in _shown_text(slide) for slide in teaching)


def test_wording_that_names_a_loss_violence_illness_or_money_comes_with_a_content_note(deck_file):
    deck = load_deck(deck_file)
    heavy = re.compile(rf"\b({HEAVY_WORDS[deck.language]})\b", re.IGNORECASE)
    for activity in deck.activities[1:-1]:  # the agreements and the support list name them kindly
        named = heavy.findall(_shown_text(activity))
        if named:
            assert activity.content_note.strip(), f"{activity.id} names {named} without a note"


def test_every_deck_grounds_the_room_and_right_after_each_private_reflection(deck_file):
    deck = load_deck(deck_file)
    assert any(activity.id.startswith("grounding") for activity in deck.activities)
    for index, activity in enumerate(deck.activities):
        if activity.kind == "battery":
            following = deck.activities[index + 1]
            assert following.id.startswith("grounding"), f"{activity.id} then {following.id}"


def test_every_deck_speaks_of_culture_and_asks_whether_it_helped(deck_file):
    deck = load_deck(deck_file)
    assert any("cultur" in _shown_text(activity).lower() for activity in deck.activities)
    closing = deck.activities[-4:]
    assert any(activity.id.startswith("helpful") and activity.answerable for activity in closing)


def test_the_plan_keeps_time_for_joining_and_moving_and_fits_the_promised_length(deck_file):
    deck = load_deck(deck_file)
    # 3 minutes for phones to join, and about 20 seconds for each move between activities.
    assert deck.buffer_minutes >= 3 + (len(deck.activities) - 1) / 3
    assert deck.minutes == int(PROMISED_MINUTES.search(deck.id).group(1))
