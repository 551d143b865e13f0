"""Short vignettes sorted into categories; the facilitator can reveal an explanation for each."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workshop.activities.base import (
    ActivitySpec,
    Form,
    Kind,
    Line,
    StackedRows,
    as_tuples,
    one_per_row,
    per_row_counts,
    row_lines,
    rows_as_fields,
)
from workshop.i18n import N_
from workshop.i18n import gettext as _


class Vignette(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, title="vignette")

    text: str = Field(
        min_length=1,
        max_length=500,
        title="Text",
        description="the story as phones show it (`\\n` starts a new line)",
    )
    # A few words naming the story on the projector ("Sam cancels plans"); phones show the text.
    label: str = Field(
        default="",
        max_length=40,
        title="Short label for the screen (a few words)",
        description="optional: a few words naming it on the projector",
    )
    explanation: str = Field(
        default="",
        max_length=600,
        title="Explanation, shown when you reveal the answers",
        description="optional: shown on reveal",
    )

    @property
    def short_label(self) -> str:
        if self.label:
            return self.label
        words = self.text.split()
        return " ".join(words[:6]) + (" …" if len(words) > 6 else "")


class Spec(ActivitySpec):
    kind: Literal["scenario_sort"] = "scenario_sort"
    categories: list[str] = Field(
        min_length=2,
        max_length=5,
        title="Categories, one per line",
        description="2 to 5 categories",
    )
    vignettes: list[Vignette] = Field(
        min_length=1,
        max_length=10,
        title="Vignettes",
        description="1 to 10 `[[activities.vignettes]]` tables",
    )


class ScenarioSort(Kind[Spec]):
    Spec = Spec
    label = N_("Scenario sort")
    purpose = (
        "Short vignettes sorted into categories; the facilitator can reveal an explanation "
        "for each."
    )
    starter_minutes = 10
    documentation = "Short stories sorted into categories; explanations appear on reveal."

    def parse_answer(self, spec: Spec, form: Form) -> list[int]:
        texts = [vignette.text for vignette in spec.vignettes]
        return one_per_row(
            form,
            texts,
            spec.categories,
            _("Please answer every story (number %(number)d is still open), or pass."),
        )

    def form_fields(self, spec: Spec, value: list[int]) -> dict[str, list[str]]:
        return rows_as_fields(value)

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[int]:
        return [rng.randrange(len(spec.categories)) for _vignette in spec.vignettes]

    def tally(self, spec: Spec, values: list[list[int]]) -> list[list[int]]:
        return per_row_counts(values, len(spec.vignettes), len(spec.categories))

    def lines(self, spec: Spec, tally: list[list[int]], revealed: bool) -> list[Line]:
        return row_lines([vignette.text for vignette in spec.vignettes], spec.categories, tally)

    def chart(self, spec: Spec, tally: list[list[int]], revealed: bool) -> StackedRows:
        labels = tuple(vignette.short_label for vignette in spec.vignettes)
        return StackedRows(labels, tuple(spec.categories), as_tuples(tally))

    def notes(self, spec: Spec, revealed: bool) -> list[str]:
        """Explanations of each vignette, shown once the facilitator reveals them."""
        if not revealed:
            return []
        return [
            f"{vignette.short_label} — {vignette.explanation}"
            for vignette in spec.vignettes
            if vignette.explanation
        ]


KIND = ScenarioSort()
