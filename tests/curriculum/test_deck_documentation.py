"""docs/decks.md is written from the kinds and current; its example is a valid deck."""

import re
import tomllib

from workshop.curriculum import deck_docs
from workshop.curriculum.decks import parse_deck

DOCUMENT = deck_docs.DOCUMENT.read_text("utf-8")


def test_the_example_is_a_valid_deck():
    example = re.search(r"```toml\n(.*?)```", DOCUMENT, re.S).group(1)
    deck = parse_deck(tomllib.loads(example), "docs/decks.md")
    assert len(deck.activities) == 5


def test_the_reference_is_written_from_the_kinds_as_they_are():
    assert deck_docs.written_part(DOCUMENT) == deck_docs.reference(), (
        "docs/decks.md is behind the kinds: run .venv/bin/python -m workshop.curriculum.deck_docs"
    )


def test_every_kind_and_each_of_its_fields_is_in_the_reference():
    reference = deck_docs.reference()
    for name, kind in deck_docs.KINDS.items():
        section = reference.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        assert kind.documentation.split()[0] in section
        for field_name, info in kind.Spec.model_fields.items():
            if field_name not in deck_docs.ActivitySpec.model_fields:
                assert f"| `{info.alias or field_name}` | {info.description} |" in section


def test_deck_fields_are_documented():
    for name in ["id", "title", "description", "activities"]:
        assert f"| `{name}` |" in DOCUMENT, name
