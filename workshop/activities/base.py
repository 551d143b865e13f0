"""What every activity kind shares: the deck fields, the answer error, and small form helpers.

An activity kind is one module in this package plus one template in
workshop/participant/templates/activities/. Each module defines:

- ``Spec``: the pydantic model of the activity as written in a deck file;
- ``parse_answer(spec, form)``: turn a phone's form fields into a stored value, or raise
  AnswerError with a message a participant can act on;
- ``aggregate(spec, values)``: turn every stored value into the kind's result data;
- ``summary(spec, data, revealed)``: plain lines for the phone page and the exports;
- ``figure(spec, data, revealed)``: the projector's plotly figure;
- ``form_fields(spec, value)``: the inverse of parse_answer, to prefill the form;
- ``sample_answer(spec, random)``: a plausible answer, for rehearsals and tests.

Passing ("Prefer not to answer") is handled once, outside the kinds: a pass is never handed to
``parse_answer`` or ``aggregate``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

Form = Mapping[str, Sequence[str]]

# Activity ids appear in URLs and form fields, so they stay short and plain.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,47}$"


class AnswerError(ValueError):
    """An answer the phone must correct; the message is shown to the participant as it is."""


class ActivitySpec(BaseModel):
    """Fields every activity has, whatever its kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    kind: str  # each kind narrows this to its own Literal name
    title: str = Field(min_length=1, max_length=120)
    prompt: str = Field(default="", max_length=600)
    minutes: float = Field(gt=0, le=120)
    notes: str = Field(default="", max_length=4000)
    sensitive: bool = False
    content_note: str = Field(default="", max_length=400)

    # Whether participants answer this kind at all (an info slide does not). A property of the
    # kind, not of the deck: a ClassVar, so a deck file cannot set it.
    answerable: ClassVar[bool] = True


def first(form: Form, name: str) -> str:
    """The first value of a form field, stripped, or an empty string."""
    values = form.get(name) or []
    return values[0].strip() if values else ""


def parse_index(raw: str, size: int) -> int | None:
    """A position 0..size-1 written in plain ASCII digits, else None.

    str.isdigit alone is not enough: it accepts "²" and other digits int() refuses.
    """
    if not raw or len(raw) > 3 or not (raw.isascii() and raw.isdigit()):
        return None
    index = int(raw)
    return index if index < size else None


def choice_index(form: Form, name: str, options: Sequence[str], missing: str) -> int:
    """The index of the option picked in a radio group; refuses anything else."""
    raw = first(form, name)
    if not raw:
        raise AnswerError(missing)
    index = parse_index(raw, len(options))
    if index is None:
        raise AnswerError("That choice is not one of the options. Please pick again.")
    return index


def one_per_row(form: Form, rows: Sequence[str], options: Sequence[str], what: str) -> list[int]:
    """One option index for each row (statement, vignette): fields s0, s1, ..."""
    picked = []
    for number in range(len(rows)):
        message = f"Please answer every {what} (number {number + 1} is still open), or pass."
        picked.append(choice_index(form, f"s{number}", options, message))
    return picked


def rows_as_fields(value: Sequence[int]) -> dict[str, list[str]]:
    """The inverse of one_per_row: fields s0, s1, ... for a stored answer."""
    return {f"s{number}": [str(index)] for number, index in enumerate(value)}


def counts(values: Sequence[int], size: int) -> list[int]:
    """How many values fall on each index 0..size-1."""
    tally = [0] * size
    for value in values:
        tally[value] += 1
    return tally


def per_row_counts(values: Sequence[Sequence[int]], rows: int, size: int) -> list[list[int]]:
    """For battery-like kinds: a count of each option, row by row."""
    return [counts([value[row] for value in values], size) for row in range(rows)]


def rows_as_lines(
    rows: Sequence[str], choices: Sequence[str], tallies: Sequence[Sequence[int]]
) -> list[dict[str, Any]]:
    """Summary lines for kinds with one question per row: "row: choice", count, share."""
    lines = []
    for row, tally in zip(rows, tallies, strict=True):
        for line in as_lines(choices, tally):
            lines.append({**line, "label": f"{row}: {line['label']}"})
    return lines


def as_lines(labels: Sequence[str], tally: Sequence[int]) -> list[dict[str, Any]]:
    """Summary lines: a label, its count and its share of the total."""
    total = sum(tally) or 1
    return [
        {"label": label, "count": count, "share": count / total}
        for label, count in zip(labels, tally, strict=True)
    ]
