"""Settings of one counseling practice: the support resources its workshops end with, how long
answers are kept, and the phrases that flag an open-text answer as a possible safety concern.

Read from practice.toml beside exercises/ (or WORKSHOP_PRACTICE_FILE). Without a file, the
support slide says where help can be found in general terms: no phone number of any one
country is built in, and the built-in flag phrases (English, Spanish, French) are used.
practice.example.toml shows the format.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from workshop import PROJECT_FOLDER
from workshop.activities import ActivitySpec, kind_of
from workshop.curriculum.deck_files import read_toml
from workshop.curriculum.decks import CurriculumError, Deck, Problem
from workshop.i18n import N_, speaking
from workshop.i18n import gettext as _
from workshop.room.moderation import DEFAULT_FLAG_PHRASES, MAX_PHRASES, phrase_problem

PRACTICE_FILE = PROJECT_FOLDER / "practice.toml"
# Said in the deck's own language when the practice has not written its own (see `fill`).
SUPPORT_HEADING = N_("Where to find support")
GENERAL_RESOURCES = [
    N_("Your facilitator can point you to local support services and support groups."),
    N_("A counselor, your doctor, or someone you trust can help you talk things through."),
    N_("If you are ever in danger, contact your local emergency number."),
]


class Support(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: str = Field(default=SUPPORT_HEADING, min_length=1, max_length=80)
    resources: list[str] = Field(default=GENERAL_RESOURCES, min_length=1, max_length=12)


class Retention(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # After this many days a session's answers are purged; its aggregates stay. None: kept.
    keep_answers_days: int | None = Field(default=None, ge=1, le=36500)


def _usable_phrase(phrase: str) -> str:
    problem = phrase_problem(phrase)
    if problem:
        # Braces, which a message template would read as placeholders, are never usable.
        raise PydanticCustomError("flag_phrase", f"{phrase!r}: {problem}")
    return phrase


FlagPhrase = Annotated[str, AfterValidator(_usable_phrase)]


class Safety(BaseModel):
    """Which open-text answers are flagged to the facilitator only (workshop/room/moderation.py).

    `flag_phrases` are added to the built-in ones, or used instead of them with
    `replace_default_phrases = true`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    flag_phrases: list[FlagPhrase] = Field(default_factory=list, max_length=MAX_PHRASES)
    # Strict: TOML has true and false; "yes" is more likely a slip than a decision.
    replace_default_phrases: bool = Field(default=False, strict=True)

    @model_validator(mode="after")
    def _something_is_flagged(self) -> Safety:
        if self.replace_default_phrases and not self.flag_phrases:
            raise PydanticCustomError(
                "no_flag_phrases",
                "replace_default_phrases = true needs phrases of your own in flag_phrases; "
                "without them no answer would ever be flagged",
            )
        return self

    def phrases(self) -> tuple[str, ...]:
        """The phrases in use: the built-in ones and the practice's, or only the practice's."""
        own = tuple(self.flag_phrases)
        return own if self.replace_default_phrases else DEFAULT_FLAG_PHRASES + own


class Practice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    support: Support = Support()
    retention: Retention = Retention()
    safety: Safety = Safety()

    def fill(self, deck: Deck) -> Deck:
        """The deck with this practice's resources on every slide that asks for them: the
        general ones in the deck's language unless the practice wrote its own."""
        with speaking(deck.language):
            activities = [self.fill_activity(activity) for activity in deck.activities]
        return deck.model_copy(update={"activities": activities})

    def fill_activity(self, activity: ActivitySpec) -> ActivitySpec:
        """The activity with this practice's resources, if it is a slide that asks for them."""
        kind = kind_of(activity)
        support = self.support
        heading, resources = support.heading, support.resources
        if support == Support():  # the general ones, translated; a practice's own stay as written
            heading, resources = _(heading), [_(resource) for resource in resources]
        return kind.with_support(activity, heading, resources)


def practice_file() -> Path:
    """This installation's practice file: WORKSHOP_PRACTICE_FILE, else practice.toml."""
    configured = os.environ.get("WORKSHOP_PRACTICE_FILE")
    return Path(configured) if configured else PRACTICE_FILE


def load_practice(path: Path) -> Practice:
    """The practice's settings; the general ones if there is no file."""
    if not path.exists():
        return Practice()
    raw = read_toml(path)
    try:
        return Practice.model_validate(raw)
    except ValidationError as error:
        problems = [
            Problem(
                path.name,
                None,
                ".".join(str(part) for part in item["loc"]),
                item["msg"].removeprefix("Value error, "),
            )
            for item in error.errors()
        ]
        raise CurriculumError(problems) from None
