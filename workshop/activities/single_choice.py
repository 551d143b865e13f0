"""Pick one option: the workhorse of a poll."""

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
    kind: Literal["single_choice"] = "single_choice"
    options: list[str] = Field(
        min_length=2, max_length=12, title="Options, one per line", description="2 to 12 options"
    )


class SingleChoice(Kind[Spec]):
    Spec = Spec
    label = N_("Single choice")
    purpose = "Pick one option: the workhorse of a poll."
    documentation = "Pick one option."

    def parse_answer(self, spec: Spec, form: Form) -> int:
        return choice_index(form, "choice", spec.options, _("Please pick one option, or pass."))

    def form_fields(self, spec: Spec, value: int) -> dict[str, list[str]]:
        return {"choice": [str(value)]}

    def sample_answer(self, spec: Spec, rng: random.Random) -> int:
        return rng.randrange(len(spec.options))

    def tally(self, spec: Spec, values: list[int]) -> list[int]:
        return counts(values, len(spec.options))

    def lines(self, spec: Spec, tally: list[int], revealed: bool) -> list[Line]:
        return list(count_lines(spec.options, tally))

    def chart(self, spec: Spec, tally: list[int], revealed: bool) -> Bars:
        return Bars(tuple(spec.options), tuple(tally))


KIND = SingleChoice()
