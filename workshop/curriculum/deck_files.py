"""Deck files: the built-in TOML files in exercises/, the practice's own, reading and writing them.

The built-ins are read-only; a practice's own decks live in exercises/custom/ (or the folder
named by WORKSHOP_CUSTOM_DECKS), where git leaves them alone.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from workshop import PROJECT_FOLDER
from workshop.curriculum.decks import CurriculumError, Deck, Problem, parse_deck

DECK_FOLDER = PROJECT_FOLDER / "exercises"
# A practice's own decks live beside the built-ins, in a folder git leaves alone, unless
# WORKSHOP_CUSTOM_DECKS names another (a shared drive, say).
CUSTOM_FOLDER_NAME = "custom"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's contents; CurriculumError naming the file if it cannot be read or parsed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CurriculumError.of_file(path.name, f"not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CurriculumError.of_file(path.name, f"cannot be read: {error}") from None


def load_deck(path: Path) -> Deck:
    """Read and validate one deck file."""
    return parse_deck(read_toml(path), path.name)


@dataclass(frozen=True)
class DeckListing:
    """A deck file as the library shows it: the deck, or the problems that stop its use."""

    path: Path
    deck: Deck | None
    error: CurriculumError | None
    built_in: bool


@dataclass(frozen=True)
class DeckFolders:
    """Where decks are kept: the built-ins (read-only) and the practice's own."""

    built_in: Path
    custom: Path

    @classmethod
    def inside(cls, folder: Path) -> DeckFolders:
        """Built-ins in `folder`, the practice's own in its custom/ folder."""
        return cls(folder, folder / CUSTOM_FOLDER_NAME)

    @classmethod
    def configured(cls) -> DeckFolders:
        """This installation's folders: exercises/, and WORKSHOP_CUSTOM_DECKS if it is set."""
        folders = cls.inside(DECK_FOLDER)
        custom = os.environ.get("WORKSHOP_CUSTOM_DECKS", "").strip()
        return cls(folders.built_in, Path(custom)) if custom else folders


def list_decks(folders: DeckFolders) -> list[DeckListing]:
    """Every built-in deck, then every deck of the practice's own, valid or not, by file name."""
    listings = []
    for built_in, paths in (
        (True, sorted(folders.built_in.glob("*.toml"))),
        (False, sorted(folders.custom.glob("*.toml"))),
    ):
        for path in paths:
            try:
                listings.append(DeckListing(path, load_deck(path), None, built_in))
            except CurriculumError as error:
                listings.append(DeckListing(path, None, error, built_in))
    return listings


def save_custom_deck(text: str, file_name: str, folders: DeckFolders) -> Deck:
    """Validate an uploaded deck and keep it in custom/ as it was written.

    Refuses a deck whose id belongs to a built-in deck: built-ins stay read-only.
    """
    name = Path(file_name).name
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CurriculumError.of_file(name, f"not valid TOML: {error}") from None
    deck = parse_deck(raw, name)
    for listing in list_decks(folders):
        if listing.built_in and listing.deck and listing.deck.id == deck.id:
            message = f"the id {deck.id!r} belongs to a built-in deck"
            hint = "give your copy an id of its own"
            raise CurriculumError([Problem(name, None, "id", message, hint)])
    folders.custom.mkdir(parents=True, exist_ok=True)
    (folders.custom / f"{deck.id}.toml").write_text(text, encoding="utf-8")
    return deck


def deck_to_toml(deck: Deck) -> str:
    """The deck as a TOML file an author can read: fields left at their default are left out."""
    activities = []
    for activity in deck.activities:
        written = activity.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        # `kind` is its Spec's default, so exclude_defaults drops it: every table needs it.
        activities.append({"id": activity.id, "kind": activity.kind, **written})
    head = deck.model_dump(mode="json", exclude_defaults=True, exclude={"activities"})
    return tomli_w.dumps(_whole_numbers({**head, "activities": activities}), multiline_strings=True)


def _whole_numbers(value: Any) -> Any:
    """5.0 minutes written as 5: what an author would type."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value
