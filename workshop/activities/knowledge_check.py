"""True / false / unsure statements, with the correct answers revealed on demand.

Run once before the teaching and once after (the same statements) for a before/after comparison.
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

# Marked here, translated where a result is made: the phone and the projector speak their room's
# language (the phone's template marks the same three words).
CHOICES = [N_("True"), N_("False"), N_("Unsure")]


def choices() -> list[str]:
    return [_(choice) for choice in CHOICES]


class Statement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, title="statement")

    text: str = Field(min_length=1, max_length=300, title="Text", description="the statement")
    answer: bool = Field(title="This statement is true", description="`true` or `false`")
    explanation: str = Field(
        default="",
        max_length=600,
        title="Explanation, shown when you reveal the answers",
        description="optional: shown with the answer",
    )
    taught_in: str = Field(
        default="",
        max_length=48,
        title="Taught in (the id of the info slide that teaches it)",
        description=(
            "optional: the id of the info slide that teaches this statement; a check that "
            "`pairs_with` an earlier one must come after that slide, so an after-check only "
            "measures what was taught"
        ),
    )


class Spec(ActivitySpec):
    kind: Literal["knowledge_check"] = "knowledge_check"
    statements: list[Statement] = Field(
        min_length=1,
        max_length=12,
        title="Statements",
        description="1 to 12 `[[activities.statements]]` tables",
    )


def correct_index(statement: Statement) -> int:
    return 0 if statement.answer else 1


class KnowledgeCheck(Kind[Spec]):
    Spec = Spec
    label = N_("Knowledge check")
    purpose = "True / false / unsure statements, with the correct answers revealed on demand."
    documentation = (
        "True / false / unsure statements; the answers appear when the facilitator reveals "
        "them. Use the same statements before and after the teaching for a comparison."
    )

    def parse_answer(self, spec: Spec, form: Form) -> list[int]:
        texts = [statement.text for statement in spec.statements]
        return one_per_row(form, texts, CHOICES, _(EVERY_STATEMENT))

    def form_fields(self, spec: Spec, value: list[int]) -> dict[str, list[str]]:
        return rows_as_fields(value)

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[int]:
        # Mostly right, sometimes unsure: how a room usually answers after some teaching.
        return [
            correct_index(statement) if rng.random() < 0.6 else rng.randrange(len(CHOICES))
            for statement in spec.statements
        ]

    def tally(self, spec: Spec, values: list[list[int]]) -> list[list[int]]:
        return per_row_counts(values, len(spec.statements), len(CHOICES))

    def lines(self, spec: Spec, tally: list[list[int]], revealed: bool) -> list[Line]:
        return row_lines([statement.text for statement in spec.statements], choices(), tally)

    def chart(self, spec: Spec, tally: list[list[int]], revealed: bool) -> StackedRows:
        texts = tuple(statement.text for statement in spec.statements)
        correct = (
            tuple(correct_index(statement) for statement in spec.statements) if revealed else None
        )
        return StackedRows(texts, tuple(choices()), as_tuples(tally), correct=correct)

    comparison = "binary"

    def same_question(self, earlier: Spec, later: Spec) -> bool:
        def key(spec: Spec) -> list[tuple[str, bool]]:
            return [(statement.text, statement.answer) for statement in spec.statements]

        return key(earlier) == key(later)

    def compared_items(self, spec: Spec) -> list[str]:
        return [statement.text for statement in spec.statements]

    def item_scores(self, spec: Spec, value: list[int]) -> list[int]:
        """1 for a right answer; "Unsure" and a wrong answer are both 0."""
        return [
            int(choice == correct_index(statement))
            for statement, choice in zip(spec.statements, value, strict=True)
        ]

    def notes(self, spec: Spec, revealed: bool) -> list[str]:
        """The answer key, shown under the chart once the facilitator reveals it."""
        if not revealed:
            return []
        key = _("%(statement)s %(answer)s. %(explanation)s")
        return [
            (
                key
                % {
                    "statement": statement.text,
                    "answer": choices()[correct_index(statement)],
                    "explanation": statement.explanation,
                }
            ).strip()
            for statement in spec.statements
        ]


KIND = KnowledgeCheck()
