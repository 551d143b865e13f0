"""A statement battery: several statements rated on one ordered scale.

Used for the private reflection. Each statement carries the construct it maps to, so a counselor
can read the results item by item; the results are never summed into a score.
"""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workshop.activities.base import (
    EVERY_STATEMENT,
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


class Statement(BaseModel):
    # The deck file says `construct`; in Python that name belongs to pydantic, hence the alias.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_name=True,
        serialize_by_alias=True,
        title="statement",  # what the editor calls one row
    )

    text: str = Field(
        min_length=1,
        max_length=300,
        title="Text",
        description="the statement, in your own words (never an item of a published scale)",
    )
    construct_name: str = Field(
        alias="construct",
        min_length=1,
        max_length=60,
        title="Construct it reflects (for your reading; never scored)",
        description='the idea it maps to, e.g. "external focusing"',
    )
    # Which way the statement reads, so a chart or a review never colours a strength as a
    # concern: "Almost always" is a pattern to notice for one statement and a strength for another.
    direction: Literal["", "concern", "strength"] = Field(
        default="",
        title="Reads as (for your reading; never scored)",
        description=(
            '`"concern"` when often means a pattern to notice, `"strength"` when often means a '
            "strength; leave it out when neither"
        ),
    )


class Spec(ActivitySpec):
    kind: Literal["battery"] = "battery"
    statements: list[Statement] = Field(
        min_length=1,
        max_length=12,
        title="Statements",
        description=(
            "1 to 12 `[[activities.statements]]` tables, each with `text` and `construct`"
        ),
    )
    scale: list[str] = Field(
        min_length=2,
        max_length=7,
        title="Answer scale, lowest first, one per line",
        description='2 to 7 labels, in order (e.g. "Rarely" to "Almost always")',
    )


class Battery(Kind[Spec]):
    Spec = Spec
    label = N_("Statement battery")
    purpose = "A statement battery: several statements rated on one ordered scale."
    starter_minutes = 8
    starter_fields = {"scale": ["Rarely", "Sometimes", "Often", "Almost always"]}
    documentation = (
        "Several statements rated on one ordered scale, drawn as a diverging stacked bar. "
        "Results stay item by item: they are never summed."
    )

    def parse_answer(self, spec: Spec, form: Form) -> list[int]:
        texts = [statement.text for statement in spec.statements]
        return one_per_row(form, texts, spec.scale, _(EVERY_STATEMENT))

    def form_fields(self, spec: Spec, value: list[int]) -> dict[str, list[str]]:
        return rows_as_fields(value)

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[int]:
        return [rng.randrange(len(spec.scale)) for _statement in spec.statements]

    def tally(self, spec: Spec, values: list[list[int]]) -> list[list[int]]:
        return per_row_counts(values, len(spec.statements), len(spec.scale))

    def lines(self, spec: Spec, tally: list[list[int]], revealed: bool) -> list[Line]:
        return row_lines([statement.text for statement in spec.statements], spec.scale, tally)

    def chart(self, spec: Spec, tally: list[list[int]], revealed: bool) -> StackedRows:
        texts = tuple(statement.text for statement in spec.statements)
        return StackedRows(texts, tuple(spec.scale), as_tuples(tally), diverging=True)


KIND = Battery()
