"""A statement battery: several statements rated on one ordered scale.

Used for the private reflection. Each statement carries the construct it maps to, so a counselor
can read the results item by item; the results are never summed into a score.

Any statement can be passed on its own ("Prefer not to say" beside its points): an answer is
one point per statement, None where it was passed, and one that passes every statement is a
pass of the whole activity. A statement's results count only those who answered it, with its
passes as a count of their own (room/results.py hides a statement too few answered).

A statement's `direction` says which way "Almost always" reads; results group the statements
under "Patterns to notice" and "Strengths", so the one-hue scale is never read as good to bad
across both.
"""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workshop.activities.base import (
    ActivitySpec,
    Count,
    Form,
    Kind,
    Line,
    StackedRows,
    count_lines,
    one_per_row_or_pass,
    per_row_counts,
    per_row_passes,
    rows_as_fields,
)
from workshop.i18n import N_
from workshop.i18n import gettext as _

# A statement's count of those who passed it ("Prefer not to say" beside its points: the
# phone's template, activities/battery.html, names that choice).
PASSED = N_("Passed")
STATEMENT_OPEN = N_(
    "Statement %(number)d is still open: choose an answer, or pass it with “Prefer not to say”."
)
# The headings statements are drawn under, by direction, in this order. A battery whose
# statements all leave the direction out is not grouped.
GROUPS = {
    "concern": N_("Patterns to notice"),
    "strength": N_("Strengths"),
    "": N_("Other statements"),
}
# How often a simulated participant passes one statement (rehearsals and previews).
SAMPLE_ROW_PASS_SHARE = 0.1

Tally = tuple[list[list[int]], list[int]]  # each statement's counts of points; its passes


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
        "Several statements rated on one ordered scale, each drawn as a stacked bar in one "
        "hue. Any statement can be passed on its own. Results stay item by item: they are "
        'never summed. Statements with a `direction` are shown under "Patterns to notice" '
        'and "Strengths".'
    )

    def parse_answer(self, spec: Spec, form: Form) -> list[int | None]:
        texts = [statement.text for statement in spec.statements]
        return one_per_row_or_pass(form, texts, spec.scale, _(STATEMENT_OPEN))

    def passes_everything(self, spec: Spec, value: list[int | None]) -> bool:
        return all(point is None for point in value)

    def form_fields(self, spec: Spec, value: list[int | None]) -> dict[str, list[str]]:
        return rows_as_fields(value)

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[int | None]:
        value: list[int | None] = [
            None if rng.random() < SAMPLE_ROW_PASS_SHARE else rng.randrange(len(spec.scale))
            for _statement in spec.statements
        ]
        if self.passes_everything(spec, value):
            value[0] = rng.randrange(len(spec.scale))  # a whole pass is made up elsewhere
        return value

    def tally(self, spec: Spec, values: list[list[int | None]]) -> Tally:
        rows = len(spec.statements)
        return per_row_counts(values, rows, len(spec.scale)), per_row_passes(values, rows)

    def order(self, spec: Spec) -> list[int]:
        """The statements in the order results show them: by their group, then as written."""
        if not self.grouped(spec):
            return list(range(len(spec.statements)))
        ranks = list(GROUPS)
        return sorted(
            range(len(spec.statements)),
            key=lambda number: ranks.index(spec.statements[number].direction),
        )

    def grouped(self, spec: Spec) -> bool:
        return any(statement.direction for statement in spec.statements)

    def lines(self, spec: Spec, tally: Tally, revealed: bool) -> list[Line]:
        points, passes = tally
        lines: list[Line] = []
        for number in self.order(spec):
            text = spec.statements[number].text
            lines.extend(count_lines(spec.scale, points[number], row=text))
            responded = sum(points[number]) + passes[number]
            share = passes[number] / responded if responded else 0.0
            lines.append(Count(_(PASSED), passes[number], share, text, passed=True))
        return lines

    def chart(self, spec: Spec, tally: Tally, revealed: bool) -> StackedRows:
        points, passes = tally
        order = self.order(spec)
        groups = None
        if self.grouped(spec):
            groups = tuple(_(GROUPS[spec.statements[number].direction]) for number in order)
        return StackedRows(
            tuple(spec.statements[number].text for number in order),
            tuple(spec.scale),
            tuple(tuple(points[number]) for number in order),
            ordered=True,
            passes=tuple(passes[number] for number in order),
            groups=groups,
        )


KIND = Battery()
