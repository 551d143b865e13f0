"""A scale with a label on every point (weather for a check-in, agreement, confidence)."""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import Field

from workshop import charts
from workshop.activities.base import ActivitySpec, Form, as_lines, choice_index, counts


class Spec(ActivitySpec):
    kind: Literal["scale"] = "scale"
    points: list[str] = Field(min_length=2, max_length=10)


def parse_answer(spec: Spec, form: Form) -> int:
    return choice_index(form, "point", spec.points, "Please pick a point on the scale, or pass.")


def aggregate(spec: Spec, values: list[int]) -> dict[str, Any]:
    return {"counts": counts(values, len(spec.points))}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return as_lines(spec.points, data["counts"])


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    # Points keep their order top to bottom: a scale is read as a distribution.
    return charts.bars(spec.points, data["counts"], colours=[charts.PALETTE[4]] * len(spec.points))


def form_fields(spec: Spec, value: int) -> dict[str, list[str]]:
    return {"point": [str(value)]}


def sample_answer(spec: Spec, rng: random.Random) -> int:
    return rng.randrange(len(spec.points))
