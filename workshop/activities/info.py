"""An information slide: something to read together. Nobody answers it."""

from __future__ import annotations

import random
from typing import Any, ClassVar, Literal

from pydantic import Field

from workshop.activities.base import ActivitySpec, AnswerError, Form


class Spec(ActivitySpec):
    kind: Literal["info"] = "info"
    body: str = Field(default="", max_length=3000)
    # `support_resources = true` puts the practice's support resources (practice.toml) on the
    # slide when a session starts; a deck may also list `resources` itself.
    support_resources: bool = False
    resources_heading: str = Field(default="Where to find support", max_length=80)
    resources: list[str] = Field(default_factory=list, max_length=12)
    answerable: ClassVar[bool] = False


def parse_answer(spec: Spec, form: Form) -> Any:
    raise AnswerError("There is nothing to answer on this slide.")


def aggregate(spec: Spec, values: list[Any]) -> dict[str, Any]:
    return {}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return []


def figure(spec: Spec, data: dict[str, Any], revealed: bool) -> None:
    return None


def form_fields(spec: Spec, value: Any) -> dict[str, list[str]]:
    return {}


def sample_answer(spec: Spec, rng: random.Random) -> Any:
    return None
