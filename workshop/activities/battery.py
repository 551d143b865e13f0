"""A statement battery: several statements rated on one ordered scale.

Used for the private reflection. Each statement carries the construct it maps to, so a counselor
can read the results item by item; the results are never summed into a score.
"""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from workshop import charts
from workshop.activities.base import (
    ActivitySpec,
    Form,
    one_per_row,
    per_row_counts,
    rows_as_fields,
    rows_as_lines,
)


class Statement(BaseModel):
    # The deck file says `construct`; in Python that name belongs to pydantic, hence the alias.
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, serialize_by_alias=True
    )

    text: str = Field(min_length=1, max_length=300)
    construct_name: str = Field(alias="construct", min_length=1, max_length=60)


class Spec(ActivitySpec):
    kind: Literal["battery"] = "battery"
    statements: list[Statement] = Field(min_length=1, max_length=12)
    scale: list[str] = Field(min_length=2, max_length=7)


def parse_answer(spec: Spec, form: Form) -> list[int]:
    texts = [statement.text for statement in spec.statements]
    return one_per_row(form, texts, spec.scale, "statement")


def aggregate(spec: Spec, values: list[list[int]]) -> dict[str, Any]:
    return {"rows": per_row_counts(values, len(spec.statements), len(spec.scale))}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return rows_as_lines(
        [statement.text for statement in spec.statements], spec.scale, data["rows"]
    )


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    texts = [statement.text for statement in spec.statements]
    return charts.stacked_rows(texts, spec.scale, data["rows"], diverging=True)


def form_fields(spec: Spec, value: list[int]) -> dict[str, list[str]]:
    return rows_as_fields(value)


def sample_answer(spec: Spec, rng: random.Random) -> list[int]:
    return [rng.randrange(len(spec.scale)) for _ in spec.statements]
