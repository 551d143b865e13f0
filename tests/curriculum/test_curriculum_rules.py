"""The rules every built-in deck follows (../shared/CURRICULUM.md): checked, not hoped for."""

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
