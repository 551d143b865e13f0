"""Pick one option: the workhorse of a poll."""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import Field

from workshop import charts
from workshop.activities.base import ActivitySpec, Form, as_lines, choice_index, counts


class Spec(ActivitySpec):
    kind: Literal["single_choice"] = "single_choice"
    options: list[str] = Field(min_length=2, max_length=12)


def parse_answer(spec: Spec, form: Form) -> int:
    return choice_index(form, "choice", spec.options, "Please pick one option, or pass.")


def aggregate(spec: Spec, values: list[int]) -> dict[str, Any]:
    return {"counts": counts(values, len(spec.options))}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return as_lines(spec.options, data["counts"])


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    return charts.bars(spec.options, data["counts"])


def form_fields(spec: Spec, value: int) -> dict[str, list[str]]:
    return {"choice": [str(value)]}


def sample_answer(spec: Spec, rng: random.Random) -> int:
    return rng.randrange(len(spec.options))
