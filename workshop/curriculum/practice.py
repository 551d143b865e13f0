"""Settings of one counseling practice: the support resources its workshops end with.

Read from practice.toml beside exercises/ (or WORKSHOP_PRACTICE_FILE). Without a file, the
support slide says where help can be found in general terms: no phone number of any one
country is built in. practice.example.toml shows the format.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop import PROJECT_FOLDER
from workshop.activities import ActivitySpec, kind_of
from workshop.curriculum.deck_files import read_toml
from workshop.curriculum.decks import CurriculumError, Deck, Problem

PRACTICE_FILE = PROJECT_FOLDER / "practice.toml"
GENERAL_RESOURCES = [
    "Your facilitator can point you to local support services and support groups.",
    "A counselor, your doctor, or someone you trust can help you talk things through.",
    "If you are ever in danger, contact your local emergency number.",
]


class Support(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: str = Field(default="Where to find support", min_length=1, max_length=80)
    resources: list[str] = Field(default=GENERAL_RESOURCES, min_length=1, max_length=12)


class Retention(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # After this many days a session's answers are purged; its aggregates stay. None: kept.
    keep_answers_days: int | None = Field(default=None, ge=1, le=36500)


class Practice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    support: Support = Support()
    retention: Retention = Retention()

    def fill(self, deck: Deck) -> Deck:
        """The deck with this practice's resources on every slide that asks for them."""
        activities = [self.fill_activity(activity) for activity in deck.activities]
        return deck.model_copy(update={"activities": activities})

    def fill_activity(self, activity: ActivitySpec) -> ActivitySpec:
        """The activity with this practice's resources, if it is a slide that asks for them."""
        kind = kind_of(activity)
        return kind.with_support(activity, self.support.heading, self.support.resources)


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
            Problem(path.name, None, ".".join(str(part) for part in item["loc"]), item["msg"])
            for item in error.errors()
        ]
        raise CurriculumError(problems) from None
