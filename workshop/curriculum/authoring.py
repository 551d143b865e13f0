"""Writing decks in the dashboard: a draft deck, the edits made to it, saving and autosaving.

A draft is plain TOML-shaped data that may be invalid while it is being written; `check` runs
the same validation as a deck file, so the editor shows exactly the messages `workshop decks
validate` prints. deck_forms.py says which fields each kind's form has.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from workshop.activities import KINDS, ActivitySpec
from workshop.curriculum.deck_files import DeckFolders, deck_to_toml, save_custom_deck
from workshop.curriculum.deck_forms import form_fields, kind_name
from workshop.curriculum.decks import (
    CurriculumError,
    Deck,
    Problem,
    did_you_mean,
    fields_of,
    parse_deck,
)


def activity_spec(fields: dict[str, Any]) -> ActivitySpec | None:
    """One draft activity as a deck would hold it, or None while it has problems."""
    module = KINDS.get(fields.get("kind"))
    if module is None:
        return None
    try:
        return module.Spec.model_validate(_without_empty(fields))
    except ValidationError:
        return None


def _without_empty(fields: dict[str, Any]) -> dict[str, Any]:
    """An optional number left empty is written as no field at all."""
    return {key: value for key, value in fields.items() if value is not None}


def slug(text: str) -> str:
    """A deck or activity id from a title: "Clear boundaries!" becomes "clear-boundaries"."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:48].strip("-")


def unique_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... whichever is still free."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


@dataclass
class DraftActivity:
    # The editor's handle on this activity, whatever its position or id: it stays chosen and its
    # widgets follow it when it moves.
    key: int
    fields: dict[str, Any]
    # Bumped when the editor must draw the activity afresh from `fields` (a row added or
    # removed), because its row widgets are named by position.
    revision: int = 0

    @property
    def form_key(self) -> str:
        """What the editor names this activity's widgets after."""
        return f"{self.key}.{self.revision}"

    @property
    def kind(self) -> str:
        return self.fields["kind"]


@dataclass
class Draft:
    """A deck being written: it may be incomplete or invalid until it is saved."""

    id: str = ""
    title: str = ""
    description: str = ""
    language: str = "en"
    buffer_minutes: float = 0
    activities: list[DraftActivity] = dataclasses.field(default_factory=list)
    # The id of the practice's own deck this draft was opened from: saving may replace that file
    # and no other.
    editing: str | None = None
    # The deck as last saved or opened from the library, to tell whether there are unsaved edits.
    saved: dict[str, Any] | None = None
    next_key: int = 0

    @classmethod
    def from_deck(cls, deck: Deck, *, copy: bool, taken: Collection[str] = ()) -> Draft:
        """A draft of a deck: to edit it in place, or as a copy under an id of its own."""
        draft = cls(
            id=unique_id(f"{deck.id}-copy", set(taken)) if copy else deck.id,
            title=f"{deck.title} (copy)" if copy else deck.title,
            description=deck.description,
            language=deck.language,
            buffer_minutes=deck.buffer_minutes,
            editing=None if copy else deck.id,
        )
        for activity in deck.activities:
            draft._append(activity.model_dump(mode="json", by_alias=True))
        if not copy:
            draft.saved = draft.raw()
        return draft

    @classmethod
    def from_toml(cls, text: str, file_name: str) -> tuple[Draft, list[Problem]]:
        """A draft of an uploaded file, even an invalid one, so it can be mended here.

        Returns the fields the editor had to leave out (misspelt ones, with a hint). A file that
        is not TOML, or has an activity of an unknown kind, cannot be opened: CurriculumError.
        """
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CurriculumError.of_file(file_name, f"not valid TOML: {error}") from None
        draft = cls(
            id=str(raw.get("id", "")),
            title=str(raw.get("title", "")),
            description=str(raw.get("description", "")),
            language=str(raw.get("language", "en")),
            buffer_minutes=raw.get("buffer_minutes", 0),
        )
        left_out: list[Problem] = []
        unknown: list[Problem] = []
        entries = raw.get("activities")
        for number, entry in enumerate(entries if isinstance(entries, list) else []):
            entry = entry if isinstance(entry, dict) else {}
            name = str(entry.get("id") or f"number {number + 1}")
            kind = entry.get("kind")
            if kind not in KINDS:
                message = f"unknown kind {kind!r}; use one of: {', '.join(sorted(KINDS))}"
                unknown.append(Problem(file_name, name, "kind", message))
                continue
            # Every field of the deck format is kept, even one the form does not show.
            known = set(fields_of(KINDS[kind].Spec))
            for field_name in sorted(set(entry) - known):
                message = "left out: this field is not part of the deck format"
                hint = did_you_mean(field_name, sorted(known))
                left_out.append(Problem(file_name, name, field_name, message, hint))
            draft._append({key: value for key, value in entry.items() if key in known})
        if unknown:
            raise CurriculumError(unknown)
        return draft, left_out

    def _append(self, fields: dict[str, Any]) -> int:
        self.activities.append(DraftActivity(self._new_key(), fields))
        return len(self.activities) - 1

    def _new_key(self) -> int:
        self.next_key += 1
        return self.next_key

    @property
    def deck_id(self) -> str:
        """The id the deck is saved under: the one typed, else one made from the title."""
        return self.id.strip() or slug(self.title)

    @property
    def unsaved(self) -> bool:
        return self.raw() != self.saved

    @property
    def minutes(self) -> float:
        minutes = [activity.fields.get("minutes") for activity in self.activities]
        minutes.append(self.buffer_minutes)
        return sum(value for value in minutes if is_number(value))

    def add(self, kind: str) -> int:
        """Add a new activity of `kind` at the end; returns its position."""
        taken = {str(activity.fields.get("id")) for activity in self.activities}
        fields: dict[str, Any] = {
            "id": unique_id(kind.replace("_", "-"), taken),
            "kind": kind,
        }
        for field in form_fields(kind):
            fields[field.name] = field.default
        fields["title"] = f"New {kind_name(kind).lower()}"
        # Each kind says how a new one starts (minutes, and fields to preview it at once).
        fields["minutes"] = KINDS[kind].starter_minutes
        fields.update(copy.deepcopy(KINDS[kind].starter_fields))
        return self._append(fields)

    def move(self, index: int, offset: int) -> int:
        """Move an activity up (-1) or down (+1); returns where it now is."""
        target = min(max(index + offset, 0), len(self.activities) - 1)
        activity = self.activities.pop(index)
        self.activities.insert(target, activity)
        return target

    def delete(self, index: int) -> None:
        del self.activities[index]

    def renew(self, index: int) -> None:
        """Have the editor draw an activity afresh from its fields (it keeps its key)."""
        self.activities[index].revision += 1

    def raw(self) -> dict[str, Any]:
        """The draft as a deck file would hold it (empty optional numbers left out)."""
        return {
            "id": self.deck_id,
            "title": self.title.strip(),
            "description": self.description.strip(),
            "language": self.language,
            # Left out when there is none, as a deck file written by hand would.
            **({"buffer_minutes": self.buffer_minutes} if self.buffer_minutes else {}),
            "activities": [_without_empty(activity.fields) for activity in self.activities],
        }

    def check(self) -> tuple[Deck | None, list[Problem]]:
        """The deck, if the draft is valid, and every problem with it."""
        try:
            return parse_deck(self.raw(), f"{self.deck_id or 'new-deck'}.toml"), []
        except CurriculumError as error:
            return None, error.problems

    def duplicate_ids(self) -> set[str]:
        """Activity ids used more than once (the deck check names them only once all else is
        valid; the editor points at them at once)."""
        seen: set[str] = set()
        twice: set[str] = set()
        for activity in self.activities:
            activity_id = str(activity.fields.get("id", ""))
            (twice if activity_id in seen else seen).add(activity_id)
        return twice


# One slot for the draft being written, so a reloaded page or a restart loses no work.
AUTOSAVE_NAME = ".unsaved-draft.json"


def autosave(draft: Draft, folders: DeckFolders) -> None:
    """Keep the draft's unsaved edits on disk (written whole, then renamed into place)."""
    path = folders.custom / AUTOSAVE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(dataclasses.asdict(draft)), encoding="utf-8")
    partial.replace(path)


def unsaved_draft(folders: DeckFolders) -> Draft | None:
    """The draft last being written, if its edits were never saved."""
    path = folders.custom / AUTOSAVE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        activities = [DraftActivity(**activity) for activity in data.pop("activities")]
        if any(activity.kind not in KINDS for activity in activities):
            return None  # written by a version with another kind: the editor has no form for it
        return Draft(**data, activities=activities)
    except (OSError, ValueError, TypeError, KeyError):
        return None  # none, or unreadable: there is nothing to offer back


def forget_unsaved(folders: DeckFolders) -> None:
    (folders.custom / AUTOSAVE_NAME).unlink(missing_ok=True)


def save(draft: Draft, folders: DeckFolders) -> Deck:
    """Validate the draft and write it among the practice's own decks.

    Refuses what would overwrite a deck: a built-in one always, one of the practice's own
    unless the draft was opened from it. A deck of the practice's own whose id was changed is
    renamed: its old file goes, so the library does not list it twice.
    """
    deck, problems = draft.check()
    if deck is None:
        raise CurriculumError(problems)
    file_name = f"{deck.id}.toml"
    if deck.id != draft.editing and (folders.custom / file_name).exists():
        message = f"one of your decks already has the id {deck.id!r}"
        hint = "choose another id, or open that deck in the editor to change it"
        raise CurriculumError([Problem(file_name, None, "id", message, hint)])
    saved = save_custom_deck(deck_to_toml(deck), file_name, folders)
    if draft.editing is not None and draft.editing != saved.id:
        (folders.custom / f"{draft.editing}.toml").unlink(missing_ok=True)
    draft.editing = saved.id
    draft.saved = draft.raw()
    forget_unsaved(folders)
    return saved


def delete(draft: Draft, folders: DeckFolders) -> None:
    """Take the practice's deck the draft was opened from out of the library.

    Only that file in the practice's folder; the draft stays, unsaved, so nothing is lost.
    """
    if draft.editing is None:
        return
    (folders.custom / f"{draft.editing}.toml").unlink(missing_ok=True)
    draft.editing = None
    draft.saved = None


def is_number(value: Any) -> bool:
    """A number as a draft holds one (a tick box's True is not one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
