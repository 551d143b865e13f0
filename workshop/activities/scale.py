"""A scale with a label on every point (weather for a check-in, agreement, confidence)."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import Field

from workshop.activities.base import (
    ActivitySpec,
    Bars,
    Form,
    Kind,
    Line,
    choice_index,
    count_lines,
    counts,
)
from workshop.i18n import N_
from workshop.i18n import gettext as _


class Spec(ActivitySpec):
    kind: Literal["scale"] = "scale"
    points: list[str] = Field(
        min_length=2,
        max_length=10,
        title="Scale points, lowest first, one per line",
        description="2 to 10 labels, in order",
    )


class Scale(Kind[Spec]):
    Spec = Spec
    label = N_("Scale")
    purpose = "A scale with a label on every point (weather for a check-in, agreement, confidence)."
    starter_fields = {"points": ["Not at all", "A little", "Somewhat", "Very much"]}
    documentation = "A scale with a label on every point, drawn in order."

    def parse_answer(self, spec: Spec, form: Form) -> int:
        return choice_index(
            form, "point", spec.points, _("Please pick a point on the scale, or pass.")
        )

    def form_fields(self, spec: Spec, value: int) -> dict[str, list[str]]:
        return {"point": [str(value)]}

    def sample_answer(self, spec: Spec, rng: random.Random) -> int:
        return rng.randrange(len(spec.points))

    def tally(self, spec: Spec, values: list[int]) -> list[int]:
        return counts(values, len(spec.points))

    def lines(self, spec: Spec, tally: list[int], revealed: bool) -> list[Line]:
        return list(count_lines(spec.points, tally))

    comparison = "ordinal"

    def same_question(self, earlier: Spec, later: Spec) -> bool:
        return earlier.points == later.points

    def compared_items(self, spec: Spec) -> list[str]:
        return [spec.prompt or spec.title]

    def item_scores(self, spec: Spec, value: int) -> list[int]:
        return [value]

    def item_points(self, spec: Spec) -> list[str]:
        return list(spec.points)

    def chart(self, spec: Spec, tally: list[int], revealed: bool) -> Bars:
        # Points keep their order top to bottom: a scale is read as a distribution.
        return Bars(tuple(spec.points), tuple(tally), ordered=True)


KIND = Scale()
