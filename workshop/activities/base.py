"""What every activity kind shares: the deck fields, what a kind declares, and its result shapes.

An activity kind is one module in this package plus one template in
workshop/web/participant/templates/activities/ (or its `template_text`). The module defines the
kind's `Spec` (its fields as a deck file writes them, each with a label and a help text) and one
`Kind` subclass, instantiated as `KIND`, that declares everything the rest of Tandem asks of it:

- what it is: `label`, `purpose`, `documentation` (its section of docs/decks.md), and how a
  new one starts in the editor (`starter_minutes`, `starter_fields`);
- how it behaves: `answerable`, `moderated` (answers wait for the facilitator), `has_chart`;
- answers: `parse_answer` (a phone's form to a stored value, or AnswerError; fields are read
  through text_input.py, which bounds and cleans them), `form_fields`
  (the inverse, to prefill the form), `sample_answer` (made-up answers for rehearsals and
  previews);
- results: `tally` (every shown answer counted once, in the kind's own shape), then from the
  tally `lines` (typed summary lines: `Count`, `Text`, `Place`) and `chart` (a `Chart` to
  draw, as data); `notes` (answer keys once revealed);
- slides: `reading` (what the room reads together) and `with_support` (the practice's support
  resources, for kinds that show them).

Passing ("Prefer not to answer") is handled once, outside the kinds: a pass is never handed to
`parse_answer`, `lines` or `chart`. A kind whose rows can each be passed (a battery's
statements) says so in its own answers (None for a passed row), counts a row's passes as a
`Count` marked `passed`, and says with `passes_everything` when an answer passes every row: that
answer is stored as a pass of the whole activity. Suppression is not a kind's business either:
results.py asks for lines and a chart only once a result may be shown.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from workshop.activities.text_input import AnswerError as AnswerError
from workshop.activities.text_input import Form as Form
from workshop.activities.text_input import choice_index as choice_index
from workshop.activities.text_input import first as first
from workshop.activities.text_input import parse_index as parse_index

# What a phone posts, the error it is shown, and reading its fields: text_input.py, where every
# field is cleaned and bounded. Imported here too, where the kinds have always found them.
from workshop.i18n import N_
from workshop.i18n import gettext as _

# Activity ids appear in URLs and form fields, so they stay short and plain.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,47}$"


class ActivitySpec(BaseModel):
    """Fields every activity has, whatever its kind.

    Each field's `title` is its label in the deck editor and its `description` the help in
    docs/decks.md; a kind's own fields say the same of themselves.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=ID_PATTERN,
        title="Id",
        description="lower-case letters, digits and dashes; unique within the deck",
    )
    kind: str = Field(title="Kind", description="one of the kinds below")
    title: str = Field(
        min_length=1,
        max_length=120,
        title="Title",
        description="the heading on the projector and the phones",
    )
    prompt: str = Field(
        default="",
        max_length=600,
        title="Prompt (shown on the phones and the screen)",
        description="the question or instruction under the title",
    )
    minutes: float = Field(
        gt=0,
        le=120,
        title="Planned minutes",
        description="planned time, more than 0 and at most 120",
    )
    notes: str = Field(
        default="",
        max_length=4000,
        title="Facilitator notes (only you see these)",
        description=(
            "facilitator notes: what to say, what to listen for, how to handle a disclosure; "
            "shown only in the control view"
        ),
    )
    sensitive: bool = Field(
        default=False,
        title="Private: results stay hidden until you close and reveal the activity",
        description=(
            "`true` keeps results private until the facilitator closes the activity and "
            "reveals them, and until the session's private threshold (8 people by default) "
            "have answered"
        ),
    )
    content_note: str = Field(
        default="",
        max_length=400,
        title="Content note (shown before the question)",
        description=(
            'a calm note shown above the question, e.g. "You can pass, step out, or just listen."'
        ),
    )
    pairs_with: str = Field(
        default="",
        max_length=48,
        title="Asked before as (the id of the same question earlier, to compare before and after)",
        description=(
            "knowledge checks and scales: the id of an earlier activity of the same kind with the "
            "same statements or points; the review compares the two (before and after)"
        ),
    )

    # Whether participants answer this kind at all (an info slide does not). A property of the
    # kind, not of the deck: a ClassVar, so a deck file cannot set it.
    answerable: ClassVar[bool] = True


# Typed summary lines: what a result says, before any renderer draws it -------------------------


@dataclass(frozen=True)
class Count:
    """How many chose `label` (within `row`, for kinds that ask one question per row).

    `passed`: the count of those who passed this row (a battery's statement) rather than an
    option; its share is of those who answered or passed the row, the options' of those who
    answered it.
    """

    label: str
    count: int
    share: float  # of the people it is counted among (0 to 1)
    row: str | None = None
    passed: bool = False


@dataclass(frozen=True)
class Text:
    """One approved open-text answer."""

    text: str


@dataclass(frozen=True)
class Place:
    """An item's mean place in a ranking (1 is first)."""

    label: str
    mean_place: float


@dataclass(frozen=True)
class Withheld:
    """A count a private activity does not show (room/results.py decides which): below
    `below` (said "fewer than 3"), or, where `below` is None, held back so that a small count
    beside it cannot be worked out from the total. It carries no number to leak."""

    label: str
    row: str | None = None
    below: int | None = None
    passed: bool = False  # a row's count of passes (see `Count.passed`): "not counted"

    @property
    def words(self) -> str:
        """What a renderer shows in the count's place."""
        if self.passed:
            return _("not counted")
        if self.below is None:
            return _("not shown")
        return _("fewer than %(count)d") % {"count": self.below}


Line = Count | Text | Place | Withheld


# Charts as data: renderers/charts.py draws them -----------------------------------------------


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, first label at the top; `texts` replace the numbers beside the bars.

    `ordered` marks the labels as points of a scale (one colour, read as a distribution).
    A value of None is withheld (a private activity's small count): drawn without a bar, its
    text saying why.
    """

    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    texts: tuple[str, ...] | None = None
    ordered: bool = False


@dataclass(frozen=True)
class StackedRows:
    """One bar per row (statement, vignette) split into its answer categories, as shares.

    `ordered`: the categories are points of one scale (one hue, light to dark, in order).
    `correct`: the right category of each row, marked once the answers are revealed.
    `withheld`: a tally of None is not shown (a private activity's small count, or a row too
    few people answered); each row's withheld tallies together (this many people) are drawn as
    one "not shown" part of its bar.
    `passes`: how many passed each row, for kinds whose rows can be passed; None for a row
    whose passes are not counted (a private activity).
    `groups`: the heading each row is drawn under ("Strengths"), rows of one heading together;
    "" for rows under none. None when the rows are not grouped.
    """

    rows: tuple[str, ...]
    categories: tuple[str, ...]
    tallies: tuple[tuple[int | None, ...], ...]
    ordered: bool = False
    correct: tuple[int | None, ...] | None = None
    withheld: tuple[int, ...] | None = None
    passes: tuple[int | None, ...] | None = None
    groups: tuple[str, ...] | None = None

    def headings(self) -> list[str]:
        """The heading to draw above each row: its group's, on the first row of that group."""
        if self.groups is None:
            return [""] * len(self.rows)
        return [
            group if number == 0 or self.groups[number - 1] != group else ""
            for number, group in enumerate(self.groups)
        ]


@dataclass(frozen=True)
class Cloud:
    """Words sized by how often they were given, most frequent first."""

    words: tuple[tuple[str, int], ...]


Chart = Bars | StackedRows | Cloud


@dataclass(frozen=True)
class Reading:
    """What the room reads together on a slide: paragraphs, and an optional titled list."""

    paragraphs: tuple[str, ...] = ()
    list_heading: str = ""
    items: tuple[str, ...] = ()


SpecT = TypeVar("SpecT", bound=ActivitySpec)


class Kind(Generic[SpecT]):
    """What one activity kind declares; subclasses override what differs from these defaults."""

    Spec: ClassVar[type[ActivitySpec]]
    label: ClassVar[str]  # as the editor names it: "Single choice"
    purpose: ClassVar[str] = ""  # one line: what it is for (default: its documentation's first)
    documentation: ClassVar[str]  # its section of docs/decks.md, above the field table
    documentation_after: ClassVar[str] = ""  # anything to say below the field table
    moderated: ClassVar[bool] = False  # answers wait for the facilitator's approval
    has_chart: ClassVar[bool] = True  # drawn as a chart on the projector (else as cards)
    # How a before and an after of this kind are compared, if they can be (see `pairs_with`):
    # "binary" items (right or not) or "ordinal" ones (points on a scale).
    comparison: ClassVar[str | None] = None
    # A template of its own given as text (a kind defined outside this package); None means
    # the file activities/<name>.html.
    template_text: ClassVar[str | None] = None

    @property
    def name(self) -> str:
        """The kind as a deck file names it: its Spec's `kind`."""
        return self.Spec.model_fields["kind"].default

    # What a new activity of this kind starts with in the editor: its planned minutes, and
    # fields filled in so it can be previewed at once (a scale's points, say).
    starter_minutes: ClassVar[float] = 5
    starter_fields: ClassVar[dict[str, Any]] = {}

    def describe(self) -> str:
        """What the kind is for, in one line: its `purpose`, else its documentation's first
        sentence."""
        return self.purpose or self.documentation.split(". ")[0].rstrip(".") + "."

    @property
    def answerable(self) -> bool:
        return self.Spec.answerable

    @property
    def template(self) -> str:
        return f"activities/{self.name}.html"

    def parse_answer(self, spec: SpecT, form: Form) -> Any:
        raise AnswerError(_("There is nothing to answer on this slide."))

    def form_fields(self, spec: SpecT, value: Any) -> dict[str, list[str]]:
        return {}

    def sample_answer(self, spec: SpecT, rng: random.Random) -> Any:
        return None

    def passes_everything(self, spec: SpecT, value: Any) -> bool:
        """Whether a parsed answer passes every row (a battery with every statement passed):
        the phone's answer is then stored as a pass of the whole activity."""
        return False

    def tally(self, spec: SpecT, values: list[Any]) -> Any:
        """Every shown answer's value counted once, in whatever shape `lines` and `chart` use."""
        return None

    def lines(self, spec: SpecT, tally: Any, revealed: bool) -> list[Line]:
        return []

    def chart(self, spec: SpecT, tally: Any, revealed: bool) -> Chart | None:
        return None

    def notes(self, spec: SpecT, revealed: bool) -> list[str]:
        """Answer keys and explanations, once the facilitator reveals them."""
        return []

    def reading(self, spec: SpecT) -> Reading | None:
        """What the room reads on this slide (information slides)."""
        return None

    def same_question(self, earlier: SpecT, later: SpecT) -> bool:
        """Whether `later` asks exactly what `earlier` asked, so the two can be compared."""
        return False

    def compared_items(self, spec: SpecT) -> list[str]:
        """The items a comparison reports on, one by one (statements; a scale's question)."""
        return []

    def item_scores(self, spec: SpecT, value: Any) -> list[int]:
        """One answer as a score per compared item: 1 or 0 (binary), a point's index (ordinal)."""
        return []

    def item_points(self, spec: SpecT) -> list[str]:
        """An ordinal comparison's points, lowest first (the labels of the scores)."""
        return []

    def with_support(self, spec: SpecT, heading: str, resources: Sequence[str]) -> SpecT:
        """The activity with the practice's support resources, if it is one that shows them."""
        return spec


# What a statement left unanswered says (a knowledge check): marked here, translated when the
# answer is read.
EVERY_STATEMENT = N_("Please answer every statement (number %(number)d is still open), or pass.")
# The value a row's "Pass" choice posts (kinds whose rows can each be passed).
ROW_PASS = "pass"


# Small helpers the kinds share -----------------------------------------------------------------


def one_per_row(form: Form, rows: Sequence[str], options: Sequence[str], missing: str) -> list[int]:
    """One option index for each row (statement, vignette): fields s0, s1, ...; `missing`
    says a row is unanswered, with %(number)d for its number."""
    picked = []
    for number in range(len(rows)):
        message = missing % {"number": number + 1}
        picked.append(choice_index(form, f"s{number}", options, message))
    return picked


def one_per_row_or_pass(
    form: Form, rows: Sequence[str], options: Sequence[str], missing: str
) -> list[int | None]:
    """As `one_per_row`, where a row may also be passed (its field is ROW_PASS): None."""
    picked: list[int | None] = []
    for number in range(len(rows)):
        field = f"s{number}"
        if first(form, field) == ROW_PASS:
            picked.append(None)
        else:
            picked.append(choice_index(form, field, options, missing % {"number": number + 1}))
    return picked


def rows_as_fields(value: Sequence[int | None]) -> dict[str, list[str]]:
    """The inverse of one_per_row (and one_per_row_or_pass): fields s0, s1, ... for a stored
    answer."""
    return {
        f"s{number}": [ROW_PASS if index is None else str(index)]
        for number, index in enumerate(value)
    }


def counts(values: Sequence[int], size: int) -> list[int]:
    """How many values fall on each index 0..size-1."""
    tally = [0] * size
    for value in values:
        tally[value] += 1
    return tally


def per_row_counts(values: Sequence[Sequence[int | None]], rows: int, size: int) -> list[list[int]]:
    """For kinds with one question per row: a count of each option, row by row, among those
    who answered that row (a passed row, None, is counted by `per_row_passes`)."""
    return [
        counts([value[row] for value in values if value[row] is not None], size)
        for row in range(rows)
    ]


def per_row_passes(values: Sequence[Sequence[int | None]], rows: int) -> list[int]:
    """How many passed each row."""
    return [sum(1 for value in values if value[row] is None) for row in range(rows)]


def count_lines(
    labels: Sequence[str], tally: Sequence[int], among: int | None = None, row: str | None = None
) -> list[Count]:
    """A Count line per label; shares are of `among` (default: the tally's total)."""
    total = (sum(tally) if among is None else among) or 1
    return [
        Count(label, count, count / total, row) for label, count in zip(labels, tally, strict=True)
    ]


def row_lines(
    rows: Sequence[str], choices: Sequence[str], tallies: Sequence[Sequence[int]]
) -> list[Line]:
    """Count lines for kinds with one question per row (statements, vignettes)."""
    lines: list[Line] = []
    for row, tally in zip(rows, tallies, strict=True):
        lines.extend(count_lines(choices, tally, row=row))
    return lines


def as_tuples(tallies: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(tally) for tally in tallies)
