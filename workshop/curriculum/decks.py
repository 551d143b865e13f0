"""The deck schema, and clear messages when a deck is wrong. Pure: no file is read here.

A deck is validated once into a `Deck`; a session keeps a JSON snapshot of the deck it was
started with, so editing a file later never changes a workshop that already ran. Reading and
writing deck files is deck_files.py's job.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    SerializationInfo,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from workshop.activities import KINDS, ActivitySpec


def _activity_of_its_kind(raw: Any) -> ActivitySpec:
    """Validate one activity with the Spec of the kind it names, whichever kinds are registered
    now (a kind registered later is known from then on)."""
    if isinstance(raw, ActivitySpec):
        return raw
    if not isinstance(raw, dict):
        raise PydanticCustomError("model_type", "each activity must be a table of fields")
    kind = raw.get("kind")
    if kind is None:
        raise PydanticCustomError("union_tag_not_found", "every activity needs a kind")
    if kind not in KINDS:
        raise PydanticCustomError("union_tag_invalid", "unknown kind {kind}", {"kind": kind})
    # Errors raised inside keep their place: ('activities', 2, 'options').
    return KINDS[kind].Spec.model_validate(raw)


def _dump_of_its_kind(activity: ActivitySpec, info: SerializationInfo) -> dict[str, Any]:
    return activity.model_dump(
        mode=info.mode, by_alias=info.by_alias, exclude_defaults=info.exclude_defaults
    )


# An activity of any registered kind: validated and written by its own kind's Spec.
AnyActivity = Annotated[
    ActivitySpec,
    PlainValidator(_activity_of_its_kind),
    PlainSerializer(_dump_of_its_kind),
]


class Deck(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    # The language the deck is written in (ISO 639-1): the library offers a facilitator the
    # decks in the dashboard's language first. The interface around it is translated apart.
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    # Minutes no activity owns: phones joining at the start and the room moving between
    # activities. Planned apart so the agenda's total is the time the room really takes.
    buffer_minutes: float = Field(default=0, ge=0, le=60)
    activities: list[AnyActivity] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Deck:
        seen: set[str] = set()
        for activity in self.activities:
            if activity.id in seen:
                raise ValueError(f"two activities share the id {activity.id!r}")
            seen.add(activity.id)
        return self

    @model_validator(mode="after")
    def _pairs_ask_the_same_question(self) -> Deck:
        """A `pairs_with` names an earlier activity of the same kind asking the same thing."""
        problems = []
        earlier: dict[str, ActivitySpec] = {}
        for index, activity in enumerate(self.activities):
            message = _pairing_problem(activity, earlier)
            if message:
                problems.append(
                    InitErrorDetails(
                        type=PydanticCustomError("pairs_with", message),
                        loc=("activities", index, "pairs_with"),
                        input=activity.pairs_with,
                    )
                )
            earlier[activity.id] = activity
        if problems:
            raise ValidationError.from_exception_data("Deck", problems)
        return self

    @model_validator(mode="after")
    def _statements_are_taught_before_they_are_checked_again(self) -> Deck:
        """A knowledge statement's `taught_in` names an info slide of this deck, and a check
        that repeats an earlier one (the after-check) comes after every slide it names."""
        problems = []
        positions = {activity.id: index for index, activity in enumerate(self.activities)}
        for index, activity in enumerate(self.activities):
            for number, statement in enumerate(getattr(activity, "statements", None) or []):
                slide = getattr(statement, "taught_in", "")
                message = _teaching_problem(self, index, activity, slide, positions)
                if message:
                    problems.append(
                        InitErrorDetails(
                            type=PydanticCustomError("taught_in", message),
                            loc=("activities", index, "statements", number, "taught_in"),
                            input=slide,
                        )
                    )
        if problems:
            raise ValidationError.from_exception_data("Deck", problems)
        return self

    @property
    def minutes(self) -> float:
        """The planned length: every activity's minutes and the buffer for joining and moving."""
        return self.buffer_minutes + sum(activity.minutes for activity in self.activities)

    def activity(self, activity_id: str) -> ActivitySpec:
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        raise KeyError(activity_id)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)

    @classmethod
    def from_json(cls, text: str) -> Deck:
        return cls.model_validate_json(text)


def _teaching_problem(
    deck: Deck, index: int, activity: ActivitySpec, slide: str, positions: dict[str, int]
) -> str | None:
    if not slide:
        return None
    if slide not in positions or deck.activities[positions[slide]].kind != "info":
        return f"there is no info slide {slide!r} in this deck to teach it"
    if activity.pairs_with and positions[slide] > index:
        return f"the info slide {slide!r} comes after this check: teach it first"
    return None


def _pairing_problem(activity: ActivitySpec, earlier: dict[str, ActivitySpec]) -> str | None:
    if not activity.pairs_with:
        return None
    kind = KINDS[activity.kind]
    if kind.comparison is None:
        return f"a {kind.label.lower()} cannot be compared before and after"
    before = earlier.get(activity.pairs_with)
    if before is None:
        return f"there is no earlier activity {activity.pairs_with!r} to compare with"
    if before.kind != activity.kind:
        return f"{activity.pairs_with!r} is not a {kind.label.lower()}"
    if not kind.same_question(before, activity):
        return f"{activity.pairs_with!r} does not ask the same (statements and answers must match)"
    return None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck file, said so that an author can find and fix it."""

    file: str
    activity: str | None
    field: str | None
    message: str
    hint: str | None = None
    # Where the activity sits in the deck (0 is the first), for the editor to put the message
    # beside the right form; not part of the text.
    activity_index: int | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        where = [self.file]
        if self.activity:
            where.append(f"activity {self.activity!r}")
        if self.field:
            where.append(f"field {self.field!r}")
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{', '.join(where)}: {self.message}{hint}"


class CurriculumError(ValueError):
    """A deck or a practice file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def of_file(cls, file: str, message: str) -> CurriculumError:
        """One problem with a whole file: it is not TOML, or cannot be read."""
        return cls([Problem(file, None, None, message)])


def _raw_activity(raw: dict[str, Any], index: int) -> dict[str, Any]:
    activities = raw.get("activities")
    if isinstance(activities, list) and index < len(activities):
        entry = activities[index]
        if isinstance(entry, dict):
            return entry
    return {}


def _activity_name(raw: dict[str, Any], index: int) -> str:
    entry = _raw_activity(raw, index)
    return entry["id"] if isinstance(entry.get("id"), str) else f"number {index + 1}"


def fields_of(model: Any) -> list[str]:
    """A model's fields as a deck file names them."""
    return [field.alias or name for name, field in model.model_fields.items()]


def did_you_mean(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _hint(error: Any, location: list[Any], kind: Any) -> str | None:
    """Something an author can do about one problem."""
    kind_help = f"see the `{kind}` section of docs/decks.md" if kind in KINDS else None
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return did_you_mean(str(kind), sorted(KINDS)) or "see docs/decks.md for every kind"
    if error["type"] == "extra_forbidden" and location:
        allowed = fields_of(KINDS[kind].Spec) if kind in KINDS else fields_of(Deck)
        return did_you_mean(str(location[-1]), allowed) or kind_help
    if error["type"] == "missing":
        return kind_help or "see docs/decks.md"
    if "share the id" in error["msg"]:
        return "give every activity an id of its own"
    return kind_help


def _problem_from(file: str, raw: dict[str, Any], error: Any) -> Problem:
    location = list(error["loc"])
    message = error["msg"]
    activity = None
    activity_index = None
    kind = None
    if len(location) >= 2 and location[0] == "activities" and isinstance(location[1], int):
        activity_index = location[1]
        activity = _activity_name(raw, location[1])
        kind = _raw_activity(raw, location[1]).get("kind")
        location = location[2:]
    hint = _hint(error, location, kind)
    if error["type"] == "union_tag_invalid":
        message = f"unknown kind; use one of: {', '.join(sorted(KINDS))}"
        location = ["kind"]
    elif error["type"] == "union_tag_not_found":
        message = f"every activity needs a kind; use one of: {', '.join(sorted(KINDS))}"
        location = ["kind"]
    elif error["type"] == "extra_forbidden":
        message = "this field is not part of the deck format (check its spelling)"
    else:
        message = _plain_message(error)
    field_name = ".".join(str(part) for part in location) or None
    message = message.removeprefix("Value error, ")
    return Problem(file, activity, field_name, message, hint, activity_index)


def _plain_message(error: Any) -> str:
    """Pydantic's message for the common cases, said the way a deck author thinks of them."""
    context = error.get("ctx") or {}
    error_type = error["type"]
    if error_type == "string_too_short" and context.get("min_length") == 1:
        return "cannot be empty"
    if error_type == "string_too_long":
        return f"is too long: at most {context['max_length']} characters"
    if error_type == "too_short":
        return f"needs at least {context['min_length']} (has {context['actual_length']})"
    if error_type == "too_long":
        return f"has {context['actual_length']}; at most {context['max_length']} are allowed"
    if error_type == "string_pattern_mismatch":
        return "use lowercase letters, digits and hyphens only, starting with a letter or digit"
    if error_type == "greater_than":
        return f"must be more than {context['gt']:g}"
    if error_type == "less_than_equal":
        return f"must be at most {context['le']:g}"
    if error_type == "greater_than_equal":
        return f"must be at least {context['ge']:g}"
    return error["msg"]


def parse_deck(raw: dict[str, Any], file: str = "<deck>") -> Deck:
    """Validate a deck already read from TOML; raise CurriculumError naming every problem."""
    try:
        return Deck.model_validate(raw)
    except ValidationError as error:
        problems = [_problem_from(file, raw, item) for item in error.errors()]
        raise CurriculumError(problems) from None
