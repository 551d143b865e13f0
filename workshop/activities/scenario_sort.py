"""Short vignettes sorted into categories; the facilitator can reveal an explanation for each."""

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


class Vignette(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1, max_length=500)
    # A few words naming the story on the projector ("Sam cancels plans"); phones show the text.
    label: str = Field(default="", max_length=40)
    explanation: str = Field(default="", max_length=600)

    @property
    def short_label(self) -> str:
        if self.label:
            return self.label
        words = self.text.split()
        return " ".join(words[:6]) + (" …" if len(words) > 6 else "")


class Spec(ActivitySpec):
    kind: Literal["scenario_sort"] = "scenario_sort"
    categories: list[str] = Field(min_length=2, max_length=5)
    vignettes: list[Vignette] = Field(min_length=1, max_length=10)


def parse_answer(spec: Spec, form: Form) -> list[int]:
    texts = [vignette.text for vignette in spec.vignettes]
    return one_per_row(form, texts, spec.categories, "story")


def aggregate(spec: Spec, values: list[list[int]]) -> dict[str, Any]:
    return {"rows": per_row_counts(values, len(spec.vignettes), len(spec.categories))}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return rows_as_lines(
        [vignette.text for vignette in spec.vignettes], spec.categories, data["rows"]
    )


def revealed_notes(spec: Spec, revealed: bool) -> list[str]:
    """Explanations of each vignette, shown once the facilitator reveals them."""
    if not revealed:
        return []
    return [
        f"{vignette.short_label} — {vignette.explanation}"
        for vignette in spec.vignettes
        if vignette.explanation
    ]


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    labels = [vignette.short_label for vignette in spec.vignettes]
    return charts.stacked_rows(labels, spec.categories, data["rows"])


def form_fields(spec: Spec, value: list[int]) -> dict[str, list[str]]:
    return rows_as_fields(value)


def sample_answer(spec: Spec, rng: random.Random) -> list[int]:
    return [rng.randrange(len(spec.categories)) for _ in spec.vignettes]
