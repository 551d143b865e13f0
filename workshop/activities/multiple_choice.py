"""Pick any number of options (up to an optional limit)."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import Field, model_validator

from workshop.activities.base import (
    ActivitySpec,
    AnswerError,
    Bars,
    Form,
    Kind,
    Line,
    count_lines,
)
from workshop.activities.text_input import choice_indexes
from workshop.i18n import N_
from workshop.i18n import gettext as _


class Spec(ActivitySpec):
    kind: Literal["multiple_choice"] = "multiple_choice"
    options: list[str] = Field(
        min_length=2, max_length=12, title="Options, one per line", description="2 to 12 options"
    )
    max_choices: int | None = Field(
        default=None,
        ge=1,
        title="At most this many choices (leave empty for no limit)",
        description="optional limit on how many may be picked",
    )

    @model_validator(mode="after")
    def _limit_fits(self) -> Spec:
        if self.max_choices is not None and self.max_choices > len(self.options):
            raise ValueError("max_choices is larger than the number of options")
        return self


class MultipleChoice(Kind[Spec]):
    Spec = Spec
    label = N_("Multiple choice")
    purpose = "Pick any number of options (up to an optional limit)."
    documentation = "Pick any number of options."

    def parse_answer(self, spec: Spec, form: Form) -> list[int]:
        # Each option at most once; a tick sent twice counts once.
        picked = choice_indexes(
            form, "choice", spec.options, _("Please tick at least one option, or pass.")
        )
        if spec.max_choices is not None and len(picked) > spec.max_choices:
            raise AnswerError(_("Please pick at most %(most)d.") % {"most": spec.max_choices})
        return picked

    def form_fields(self, spec: Spec, value: list[int]) -> dict[str, list[str]]:
        return {"choice": [str(index) for index in value]}

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[int]:
        limit = spec.max_choices or len(spec.options)
        return sorted(rng.sample(range(len(spec.options)), rng.randint(1, limit)))

    def tally(self, spec: Spec, values: list[list[int]]) -> tuple[list[int], int]:
        """Each option's count, and how many people answered."""
        tally = [0] * len(spec.options)
        for picked in values:
            for index in picked:
                tally[index] += 1
        return tally, len(values)

    def lines(self, spec: Spec, tally: tuple[list[int], int], revealed: bool) -> list[Line]:
        # Shares are of the people who answered, since one person may tick several options.
        option_counts, people = tally
        return list(count_lines(spec.options, option_counts, among=people))

    def chart(self, spec: Spec, tally: tuple[list[int], int], revealed: bool) -> Bars:
        return Bars(tuple(spec.options), tuple(tally[0]))


KIND = MultipleChoice()
