"""Pick any number of options (up to an optional limit)."""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import Field, model_validator

from workshop import charts
from workshop.activities.base import ActivitySpec, AnswerError, Form, parse_index


class Spec(ActivitySpec):
    kind: Literal["multiple_choice"] = "multiple_choice"
    options: list[str] = Field(min_length=2, max_length=12)
    max_choices: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _limit_fits(self) -> Spec:
        if self.max_choices is not None and self.max_choices > len(self.options):
            raise ValueError("max_choices is larger than the number of options")
        return self


def parse_answer(spec: Spec, form: Form) -> list[int]:
    raw = [value.strip() for value in form.get("choice", [])]
    if not raw:
        raise AnswerError("Please tick at least one option, or pass.")
    indices = [parse_index(value, len(spec.options)) for value in raw]
    if None in indices:
        raise AnswerError("One of those choices is not an option. Please pick again.")
    picked = sorted(set(indices))
    if spec.max_choices is not None and len(picked) > spec.max_choices:
        raise AnswerError(f"Please pick at most {spec.max_choices}.")
    return picked


def aggregate(spec: Spec, values: list[list[int]]) -> dict[str, Any]:
    tally = [0] * len(spec.options)
    for picked in values:
        for index in picked:
            tally[index] += 1
    return {"counts": tally, "respondents": len(values)}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    # Shares are of the people who answered, since one person may tick several options.
    respondents = data["respondents"] or 1
    return [
        {"label": label, "count": count, "share": count / respondents}
        for label, count in zip(spec.options, data["counts"], strict=True)
    ]


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    return charts.bars(spec.options, data["counts"])


def form_fields(spec: Spec, value: list[int]) -> dict[str, list[str]]:
    return {"choice": [str(index) for index in value]}


def sample_answer(spec: Spec, rng: random.Random) -> list[int]:
    limit = spec.max_choices or len(spec.options)
    return sorted(rng.sample(range(len(spec.options)), rng.randint(1, limit)))
