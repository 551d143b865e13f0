"""The interface speaks English and Spanish: every marked string has its Spanish, and the
language is chosen the way a phone or a facilitator would expect."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from tools.messages import source_catalogue, translated
from workshop import i18n
from workshop.room import vocabulary


def spanish_catalogue():
    with i18n.catalogue_path("es").open("rb") as source:
        return read_po(source, locale="es")


def test_every_interface_string_has_its_spanish():
    spanish = spanish_catalogue()
    untranslated = []
    for message in source_catalogue():
        if not message.id:
            continue
        found = spanish.get(message.id, context=message.context)
        if found is None or not translated(found):
            where = ", ".join(f"{file}:{line}" for file, line in message.locations)
            untranslated.append(f"{message.id!r} ({where})")
    assert not untranslated, "Left untranslated (run make messages, then translate):\n" + (
        "\n".join(untranslated)
    )


def test_the_spanish_keeps_every_placeholder():
    spanish = spanish_catalogue()
    problems = [
        f"{message.id!r}: {'; '.join(str(error) for error in errors)}"
        for message, errors in spanish.check()
    ]
    assert not problems


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),  # French is not spoken here: the next one is
        ("de,en;q=0.1,es;q=0.5", "es"),  # by quality, not by order
        ("es;q=0,en", "en"),  # q=0 means "not this one"
        ("", "en"),
        (None, "en"),
        ("garbage;;;q=x", "en"),
    ],
)
def test_a_browsers_languages_choose_the_one_spoken(header, language):
    assert i18n.negotiate(header) == language


def test_the_language_speaks_inside_its_block_only():
    assert i18n.gettext("Prefer not to answer") == "Prefer not to answer"
    with i18n.speaking("es-ES"):
        assert i18n.current_language() == "es"
        assert i18n.gettext("Prefer not to answer") == "Prefiero no responder"
    assert i18n.current_language() == "en"
    with i18n.speaking("klingon"):
        assert i18n.current_language() == "en"


def test_the_rooms_words_count_in_spanish_too():
    with i18n.speaking("es"):
        assert vocabulary.joined(1) == "1 persona conectada"
        assert vocabulary.joined(12, expected=15) == "12 de 15 conectadas"
        assert vocabulary.passed(2) == "2 prefirieron no responder"
        assert "3 personas" in vocabulary.threshold_reason(3)
    assert vocabulary.answered(1) == "1 answered"
