"""True / false / unsure statements, with the correct answers revealed on demand.

Run once before the teaching and once after (the same statements) for a before/after comparison.
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

CHOICES = ["True", "False", "Unsure"]


class Statement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1, max_length=300)
    answer: bool
    explanation: str = Field(default="", max_length=600)


class Spec(ActivitySpec):
    kind: Literal["knowledge_check"] = "knowledge_check"
    statements: list[Statement] = Field(min_length=1, max_length=12)


def correct_index(statement: Statement) -> int:
    return 0 if statement.answer else 1


def parse_answer(spec: Spec, form: Form) -> list[int]:
    texts = [statement.text for statement in spec.statements]
    return one_per_row(form, texts, CHOICES, "statement")


def aggregate(spec: Spec, values: list[list[int]]) -> dict[str, Any]:
    rows = per_row_counts(values, len(spec.statements), len(CHOICES))
    correct = [
        row[correct_index(statement)] for statement, row in zip(spec.statements, rows, strict=True)
    ]
    return {"rows": rows, "correct": correct, "respondents": len(values)}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return rows_as_lines([statement.text for statement in spec.statements], CHOICES, data["rows"])


def revealed_notes(spec: Spec, revealed: bool) -> list[str]:
    """The answer key, shown under the chart once the facilitator reveals it."""
    if not revealed:
        return []
    return [
        f"{statement.text} {CHOICES[correct_index(statement)]}. {statement.explanation}".strip()
        for statement in spec.statements
    ]


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    texts = [statement.text for statement in spec.statements]
    correct = [correct_index(statement) for statement in spec.statements] if revealed else None
    return charts.stacked_rows(texts, CHOICES, data["rows"], correct=correct)


def form_fields(spec: Spec, value: list[int]) -> dict[str, list[str]]:
    return rows_as_fields(value)


def sample_answer(spec: Spec, rng: random.Random) -> list[int]:
    # Mostly right, sometimes unsure: how a room usually answers after some teaching.
    return [
        correct_index(statement) if rng.random() < 0.6 else rng.randrange(len(CHOICES))
        for statement in spec.statements
    ]
