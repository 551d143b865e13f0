"""The Spanish 90-minute workshop is the English one in Spanish words of its own.

It mirrors codependency-to-interdependency-90.toml activity by activity (ids, kinds, minutes,
answer keys, private flags, how many options, statements and stories, how many paragraphs and
note lines), no English sentence is left in it, and it follows CURRICULUM.md's rules as a
Spanish-speaking room reads them.
"""

import re
from typing import Any

import pytest

from workshop.curriculum.deck_files import DECK_FOLDER, DeckFolders, list_decks, load_deck
from workshop.curriculum.decks import Deck
from workshop.i18n import gettext, speaking
from workshop.room.vocabulary import PASS_LABEL

ENGLISH = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
SPANISH = load_deck(DECK_FOLDER / "de-la-codependencia-a-la-interdependencia-90.toml")
PAIRS = list(zip(ENGLISH.activities, SPANISH.activities, strict=True))
# Fields that name things rather than say them: the same in both languages (an activity's id,
# the check it repeats, the slide that teaches a statement, which way a statement reads).
IDENTIFIERS = {"id", "kind", "pairs_with", "taught_in", "direction"}
# Words that are English and not Spanish: one of them in the Spanish deck is a sentence, or part
# of one, left untranslated.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|you|your|what|with|is|are|of|to|for|not|this|that|my|it)\b", re.IGNORECASE
)


def _dump(activity: Any) -> dict[str, Any]:
    """An activity as its deck file writes it (fields left at their default are left out)."""
    return activity.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def _leaves(english: Any, spanish: Any, where: str):
    """Walk two activities side by side, failing where their shapes differ, and yield
    (where, field, English value, Spanish value) for every value in them."""
    if isinstance(english, dict):
        assert isinstance(spanish, dict), where
        assert english.keys() == spanish.keys(), f"{where}: fields differ"
        for key in english:
            for leaf in _leaves(english[key], spanish[key], f"{where}.{key}"):
                yield leaf if leaf[1] else (leaf[0], key, leaf[2], leaf[3])
    elif isinstance(english, list):
        assert isinstance(spanish, list), where
        assert len(english) == len(spanish), f"{where}: {len(english)} vs {len(spanish)}"
        for index, (one, other) in enumerate(zip(english, spanish, strict=True)):
            yield from _leaves(one, other, f"{where}[{index}]")
    else:
        yield where, None, english, spanish


def _every_leaf():
    for english, spanish in PAIRS:
        yield from _leaves(_dump(english), _dump(spanish), english.id)


def _strings(value: Any, field: str | None = None):
    """Every wording string in one dumped activity (identifiers left out)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, key)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, field)
    elif isinstance(value, str) and field not in IDENTIFIERS:
        yield value


def _texts(deck: Deck) -> list[str]:
    """Every string of the deck that people read: title, description and activity wording."""
    texts = [deck.title, deck.description]
    for activity in deck.activities:
        texts.extend(_strings(_dump(activity)))
    return texts


def _names_and_numbers_only(text: str) -> bool:
    """A string that may read the same in both languages: names, acronyms and numbers only."""
    return not re.search(r"\b[a-záéíóúñü]{2,}\b", text)


def test_the_spanish_deck_is_a_built_in_deck_of_its_own():
    ids = [listing.deck.id for listing in list_decks(DeckFolders.inside(DECK_FOLDER))]
    assert ids.count(SPANISH.id) == 1
    assert SPANISH.id != ENGLISH.id and SPANISH.title != ENGLISH.title


def test_the_same_activities_in_the_same_order_and_time():
    assert len(SPANISH.activities) == len(ENGLISH.activities)
    for english, spanish in PAIRS:
        assert (spanish.id, spanish.kind, spanish.minutes) == (
            english.id,
            english.kind,
            english.minutes,
        )
    assert SPANISH.minutes == ENGLISH.minutes == 90
    # The same time set aside for phones joining and the room moving on.
    assert SPANISH.buffer_minutes == ENGLISH.buffer_minutes > 0


def test_the_same_private_activities_pairings_and_support_slides():
    for english, spanish in PAIRS:
        assert spanish.sensitive == english.sensitive, english.id
        assert spanish.pairs_with == english.pairs_with, english.id
        assert getattr(spanish, "support_resources", False) == getattr(
            english, "support_resources", False
        ), english.id
        assert bool(spanish.content_note) == bool(english.content_note), english.id


def test_the_same_answer_keys_in_the_same_places():
    checks = [(e, s) for e, s in PAIRS if e.kind == "knowledge_check"]
    assert len(checks) == 2
    for english, spanish in checks:
        assert [statement.answer for statement in spanish.statements] == [
            statement.answer for statement in english.statements
        ], english.id
        assert all(statement.explanation for statement in spanish.statements)


def test_the_same_number_of_options_statements_stories_and_limits():
    for english, spanish in PAIRS:
        for field in ("options", "points", "scale", "categories", "items"):
            assert len(getattr(spanish, field, [])) == len(getattr(english, field, [])), (
                english.id,
                field,
            )
        for field in ("statements", "vignettes"):
            assert len(getattr(spanish, field, [])) == len(getattr(english, field, [])), (
                english.id,
                field,
            )
        for field in ("max_choices", "max_words", "max_length"):
            assert getattr(spanish, field, None) == getattr(english, field, None), (
                english.id,
                field,
            )


def test_every_value_mirrors_its_english_one():
    """Everything that is not wording is equal; wording is there where the English has it, in
    as many paragraphs, note lines and A/B lines."""
    leaves = list(_every_leaf())
    assert len(leaves) > 150
    for where, field, english, spanish in leaves:
        if not isinstance(english, str) or field in IDENTIFIERS:
            assert spanish == english, where
        else:
            assert spanish.strip(), where
            assert spanish.count("\n") == english.count("\n"), where


def test_no_english_string_is_left_as_it_was():
    for where, field, english, spanish in _every_leaf():
        if isinstance(english, str) and field not in IDENTIFIERS:
            assert spanish != english or _names_and_numbers_only(english), where


def test_no_english_sentence_survives_anywhere_in_the_spanish_deck():
    spanish_text = "\n".join(_texts(SPANISH)).lower()
    sentences = [
        sentence.strip(" \"'.,;:!?")
        for text in _texts(ENGLISH)
        for sentence in re.split(r"[.;:!?\n]", text)
    ]
    sentences = [sentence for sentence in sentences if len(sentence.split()) >= 3]
    assert len(sentences) > 100
    assert not [sentence for sentence in sentences if sentence.lower() in spanish_text]


def test_no_english_words_in_the_spanish_wording():
    leftovers = {
        text: ENGLISH_WORDS.findall(text) for text in _texts(SPANISH) if ENGLISH_WORDS.search(text)
    }
    assert not leftovers
    # The check finds English where there is some.
    assert ENGLISH_WORDS.search(ENGLISH.activities[0].body)


def test_the_deck_says_which_language_it_is_in():
    assert SPANISH.language == "es"
    assert ENGLISH.language == "en"


def test_the_agreements_open_the_workshop_in_spanish():
    opening = SPANISH.activities[0]
    with speaking("es"):
        pass_label = gettext(PASS_LABEL)
    # Quoted as Spanish phones show the button, so the room can find it.
    assert pass_label != PASS_LABEL
    assert f'"{pass_label}"' in opening.body
    body = opening.body.lower()
    for agreement in ("saltarte cualquier pregunta", "escuchar también es participar", "límite"):
        assert agreement in body
    assert "pausa" in body
    assert "puedes" in opening.content_note.lower()


def test_the_workshop_closes_with_support_and_says_it_was_no_diagnosis():
    closing = SPANISH.activities[-1]
    assert closing.support_resources
    assert "diagnóstico" in (closing.prompt + closing.body).lower()
    assert "no es un diagnóstico" in closing.notes


@pytest.mark.parametrize("activity", SPANISH.activities, ids=lambda activity: activity.id)
def test_content_notes_say_what_one_can_do(activity):
    if activity.content_note:
        assert "puedes" in activity.content_note.lower()
