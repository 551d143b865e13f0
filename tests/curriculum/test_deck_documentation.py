"""docs/decks.md documents every field of every kind, and its example is a valid deck."""

import re
import tomllib

from workshop import PROJECT_FOLDER
from workshop.activities import KINDS, ActivitySpec
from workshop.curriculum.decks import Deck, parse_deck

DOCUMENT = (PROJECT_FOLDER / "docs" / "decks.md").read_text("utf-8")


def _section(kind: str) -> str:
    match = re.search(rf"^### `{kind}`\n(.*?)(?=^### |\Z)", DOCUMENT, re.S | re.M)
    assert match, f"docs/decks.md has no section for {kind}"
    return match.group(1)


def _names(model) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def test_the_example_is_a_valid_deck():
    example = re.search(r"```toml\n(.*?)```", DOCUMENT, re.S).group(1)
    deck = parse_deck(tomllib.loads(example), "docs/decks.md")
    assert len(deck.activities) == 5


def test_deck_and_common_fields_are_documented():
    for name in _names(Deck) + _names(ActivitySpec):
        assert f"| `{name}` |" in DOCUMENT, name


def test_every_kind_and_each_of_its_fields_is_documented():
    common = set(ActivitySpec.model_fields)
    for kind, module in KINDS.items():
        section = _section(kind)
        for name, field in module.Spec.model_fields.items():
            if name in common:
                continue
            assert f"| `{name}` |" in section, f"{kind}.{name}"
            nested = getattr(field.annotation, "__args__", ())
            for model in nested:
                for inner in _names(model) if hasattr(model, "model_fields") else []:
                    assert f"| `{name}.{inner}` |" in section, f"{kind}.{name}.{inner}"
