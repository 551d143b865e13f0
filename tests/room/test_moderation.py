"""The flag list: which open-text answers go to the facilitator only, in every deck language."""

from __future__ import annotations

import random
import secrets

import pytest

from workshop.curriculum.practice import Practice, Safety
from workshop.renderers import phone, projector
from workshop.room import live
from workshop.room.moderation import (
    APPROVED,
    DEFAULT_FLAG_PHRASES,
    DEFAULT_FLAG_PHRASES_BY_LANGUAGE,
    DEFAULT_FLAGS,
    FLAGGED,
    PENDING,
    first_status,
    flag_list,
    flag_list_for,
    fold,
    looks_like_safety_concern,
    phrase_problem,
)
from workshop.room.rehearsal import FLAGGED_EXAMPLE, start_rehearsal


@pytest.mark.parametrize(
    "text",
    [
        # The English list as it was before the flag list became configurable
        "Some days I want to kill myself.",
        "I keep thinking about ending it all",
        "suicidal thoughts again",
        "I wanted to die last winter",
        "they would be better off without me",
        "I self-harm when it gets bad",
        "I used to cut myself",
        "My partner hits me when he drinks",
        "I'm scared for my safety",
        "I'm not safe at home",
        "I don't feel safe",
        "It was abusive",
        # Spanish
        "A veces quiero morirme",
        "Pienso en el suicidio",
        "Mi pareja me pegó ayer",
        "Me golpea cuando bebe",
        "Sufro maltrato en casa",
        "No me siento a salvo en casa",
        "Tengo miedo de volver a casa",
        "Me hago daño cuando estoy sola",
        "Me quiero quitar la vida",
        "Estarían mejor sin mí",
        # French
        "J'ai envie de mourir",
        "Je pense au suicide",
        "Il m'a frappée hier soir",
        "Mon conjoint me frappe",
        "Je ne me sens pas en sécurité chez moi",
        "J'ai peur de rentrer chez moi",
        "Je veux en finir",
        "Je me fais du mal",
        "Ils seraient mieux sans moi",
        "Des violences conjugales depuis des années",
    ],
)
def test_the_built_in_list_flags_concerns_in_every_deck_language(text):
    assert first_status(text) == FLAGGED
    assert DEFAULT_FLAGS.matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "I KILL MYSELF trying to please everyone",  # case
        "kill   myself",  # extra spaces
        "kill...my self!!!",  # punctuation, a space inside a word
        "killmyself",  # a space missing
        "kill\u200bmy\u200dself",  # zero-width characters
        "kill\u202emyself",  # a bidirectional override
        "self‐harm",  # a Unicode hyphen
        "ＳＵＩＣＩＤＥ",  # full-width letters
        "dont feel safe",  # no apostrophe
        "don’t feel safe",  # a typographic apostrophe
        "no me siento a salvo",  # accents left out ...
        "me hago dano",
        "MI PAREJA ME PEGO",
        "il m a frappee",
        "je ne me sens pas en securite",
        "Je Ne Me Sens Pas En SÉCURITÉ",  # ... or put in capitals
        "j’ai peur de rentrer chez moi",
        "quiero morir\n\nno puedo más",
    ],
)
def test_matching_ignores_case_accents_spacing_punctuation_and_invisible_characters(text):
    assert first_status(text) == FLAGGED


@pytest.mark.parametrize(
    "text",
    [
        "Listening without fixing",
        "I took a bus every day to see her",  # "abus*" is a whole word
        "It hit me that I always say yes",  # no one hit anyone
        "grapes and drapes",  # "rape" is a whole word
        "I need to learn self-defense and self-care",
        "Me corto el pelo cuando necesito un cambio",
        "No estoy seguro de decir que no",  # "not sure", not "not safe"
        "Estoy mejor sin mi pareja de antes",
        "Tengo ganas de vivir mi vida",
        "Je dois me battre pour moi",
        "Je me sens en sécurité ici",
        "C'est mieux ainsi",
        "",
    ],
)
def test_ordinary_answers_are_not_flagged(text):
    assert first_status(text) == PENDING, DEFAULT_FLAGS.matches(text)


def test_every_built_in_phrase_is_usable_and_finds_itself_in_any_dress():
    rng = random.Random(10)
    for language, phrases in DEFAULT_FLAG_PHRASES_BY_LANGUAGE.items():
        assert phrases, language
        for phrase in phrases:
            assert phrase_problem(phrase) is None, phrase
            plain = phrase.replace("*", "")
            words = [
                # An invisible character somewhere inside each word.
                word[: (cut := rng.randint(0, len(word)))] + "\u200b" + word[cut:]
                for word in plain.split()
            ]
            separators = [" ", "  ", " ... ", "-", " \u200b", ", ", "\n"]
            dressed = words[0] + "".join(rng.choice(separators) + word for word in words[1:])
            for text in (plain, plain.upper(), fold(plain), f"«{dressed}!»"):
                assert DEFAULT_FLAGS.flags(text), (language, phrase, text)


def test_the_built_in_list_covers_the_concerns_in_each_language():
    for phrases in DEFAULT_FLAG_PHRASES_BY_LANGUAGE.values():
        assert len(phrases) >= 30
    assert set(DEFAULT_FLAG_PHRASES) == {
        phrase for phrases in DEFAULT_FLAG_PHRASES_BY_LANGUAGE.values() for phrase in phrases
    }


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Don’t  FEEL—safe!", "dont feel safe"),
        ("J'ai peur", "jai peur"),
        ("Me hace daño", "me hace dano"),
        ("Straße", "strasse"),
        ("in\u200bvisible\u202e", "invisible"),
        ("self_harm", "self harm"),
    ],
)
def test_text_is_folded_before_it_is_compared(typed, folded):
    assert fold(typed) == folded


def test_a_star_ends_a_word_with_any_ending():
    flags = flag_list(["suicid*", "self harm*"])
    assert flags.matches("suicidaire, suicidio, suicidal") == ["suicid*"]
    assert flags.flags("self harming") and flags.flags("SelfHarmed")
    assert not flags.flags("a suit I bought")
    # A word with a star is matched whole: "abus*" must not find "a bus".
    assert not flag_list(["abus*"]).flags("took a bus")


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("a*", "at least 3 letters before it"),
        ("ok", "at least 3 letters"),
        ("...", "at least 3 letters"),
        ("kill(ing)? myself", "write plain words, not a pattern"),
        ("he|she hits me", "write plain words, not a pattern"),
        ("sui*cide", "a * may only end a word"),
        ("x" * 121, "at most 120 characters"),
    ],
)
def test_an_unusable_phrase_is_explained(phrase, problem):
    assert problem in phrase_problem(phrase)
    with pytest.raises(ValueError, match="phrase|letters|pattern|word"):
        flag_list([phrase])


def test_a_practice_adds_phrases_to_the_built_in_ones_or_replaces_them():
    added = flag_list_for(Practice(safety=Safety(flag_phrases=["can't go on"])))
    assert added.flags("I can't go on like this") and added.flags("I want to die")
    replaced = flag_list_for(
        Practice(safety=Safety(flag_phrases=["can't go on"], replace_default_phrases=True))
    )
    assert replaced.phrases == ("can't go on",)
    assert replaced.flags("I cant go on") and not replaced.flags("I want to die")
    assert first_status("I want to die", replaced) == PENDING
    assert first_status("I can't go on", replaced) == FLAGGED
    # Without a practice, and by default, the built-in list.
    assert flag_list_for(None) is DEFAULT_FLAGS
    assert flag_list_for(Practice()).phrases == DEFAULT_FLAG_PHRASES
    assert looks_like_safety_concern("je veux mourir")


def test_an_empty_list_flags_nothing():
    assert not flag_list([]).flags("I want to die")


# Where a flagged answer may and may not go ----------------------------------------------------


def test_flagged_text_never_reaches_the_projector_or_other_phones(sqlite_store, deck):
    """As the phone route stores it: the status from first_status, then the facilitator's
    approvals. Only approved text is in the result that the projector and phones draw."""
    store = sqlite_store
    session = live.start_session(store, deck, threshold=2)
    say = deck.activity("say")
    live.go_to(store, session.id, deck.activities.index(say))
    texts = [
        "Listening helps",
        "Me quiero morir",  # Spanish: flagged
        "I can say no kindly",
        "Il me frappe",  # French: flagged
        "Asking is healthy",
    ]
    for text in texts:
        participant = store.join(session.id, secrets.token_hex(32))
        store.record_answer(
            session.id,
            "say",
            participant,
            passed=False,
            value=text,
            moderation=first_status(text),
        )
    queue = store.moderation_queue(session.id, "say")
    assert [item.moderation for item in queue] == [PENDING, FLAGGED, PENDING, FLAGGED, PENDING]
    # The facilitator approves everything waiting; flagged answers stay with them.
    for item in queue:
        if item.moderation == PENDING:
            live.moderate(store, session.id, item.answer_id, APPROVED)
    live.close_activity(store, session.id, "say")
    live.reveal(store, session.id, "say")
    result = live.result_of(store, live.load(store, session.id), say)
    assert result.visible
    shown = sorted(projector.cards(result))
    assert shown == ["Asking is healthy", "I can say no kindly", "Listening helps"]
    on_phones = [line.label for line in phone.lines(result)]
    assert "Me quiero morir" not in on_phones and "Il me frappe" not in on_phones
    assert all(text in on_phones for text in shown)


def test_a_rehearsal_flags_with_the_practice_list_and_always_shows_its_example(sqlite_store, deck):
    practice = Practice(
        safety=Safety(flag_phrases=["noticing", "boundary", "asking"], replace_default_phrases=True)
    )
    session = start_rehearsal(sqlite_store, deck, people=12, practice=practice, seed=1)
    queue = sqlite_store.moderation_queue(session.id, "say")
    assert queue[0].text == FLAGGED_EXAMPLE and queue[0].moderation == FLAGGED
    flags = flag_list_for(practice)
    for item in queue[1:]:
        assert item.moderation == (FLAGGED if flags.flags(item.text) else PENDING), item.text
    assert {item.moderation for item in queue[1:]} == {FLAGGED, PENDING}
