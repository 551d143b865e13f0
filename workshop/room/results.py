"""One result object per activity: data that every renderer draws (projector, phones, exports).

Small-group protection happens here and only here: below the response threshold, or while a
private activity is not yet closed and revealed, a result carries no lines, no chart and no
notes, so no renderer can leak what it does not have. Once a private activity is revealed, its
result still holds no count under SMALL_CELL (a `Withheld` line, a chart value of None), none
from which such a count could be worked out, and no count of passes.

The counts use the room's vocabulary (room/vocabulary.py): *answered*, *passed* and
*responded*. The threshold counts *answered* only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.activities import ActivitySpec, kind_of
from workshop.activities.base import Bars, Chart, Cloud, Count, Line, StackedRows, Withheld
from workshop.i18n import gettext as _
from workshop.room.moderation import APPROVED
from workshop.room.vocabulary import threshold_reason
from workshop.store import ActivityState, Answer

# The smallest count a private activity shows as a number. A count of 1 tells the room what one
# person answered to anyone who can guess who it was; a count of 2 tells each of the two what the
# other answered. From 3 on, nobody in a cell can tell from its count who else is in it. Fixed,
# not the session's threshold: the threshold (default 5) decides whether a result is shown at
# all, and tied to it a group of six would see almost no numbers, while a facilitator lowering
# the threshold for a tiny group must not lower this protection with it.
SMALL_CELL = 3


@dataclass(frozen=True)
class Result:
    activity: ActivitySpec
    status: str  # waiting, open or closed
    revealed: bool
    threshold: int
    answered: int  # gave an answer other than passing: the count the threshold applies to
    passed: int | None  # "Prefer not to answer"; None where withheld (a revealed private one)
    visible: bool
    hidden_reason: str | None = None
    lines: tuple[Line, ...] = ()  # empty unless visible
    chart: Chart | None = None  # None unless visible and the kind draws one
    notes: tuple[str, ...] = ()  # answer keys once revealed; what a private one withholds

    @property
    def responded(self) -> int | None:
        """Answered + passed; None where the passes are withheld (it would give them away)."""
        return None if self.passed is None else self.answered + self.passed

    @property
    def passes_withheld(self) -> bool:
        return self.passed is None


def result_for(
    activity: ActivitySpec, answers: list[Answer], state: ActivityState, threshold: int
) -> Result:
    """The activity's result as the room may see it now."""
    passed = sum(1 for answer in answers if answer.passed)
    counts = {
        "activity": activity,
        "status": state.status,
        "revealed": state.revealed,
        "threshold": threshold,
        "answered": len(answers) - passed,
        "passed": passed,
    }
    kind = kind_of(activity)
    if not kind.answerable:
        return Result(**counts, visible=False)
    if len(answers) - passed < threshold:
        reason = threshold_reason(threshold)
        return Result(**counts, visible=False, hidden_reason=reason)
    if activity.sensitive and not (state.status == "closed" and state.revealed):
        reason = _("Private activity: results are shown only after it closes.")
        return Result(**counts, visible=False, hidden_reason=reason)
    # Answers waiting for (or refused) the facilitator's approval are never shown.
    shown = [
        answer.value
        for answer in answers
        if not answer.passed and (not kind.moderated or answer.moderation == APPROVED)
    ]
    tally = kind.tally(activity, shown)
    result = Result(
        **counts,
        visible=True,
        lines=tuple(kind.lines(activity, tally, state.revealed)),
        chart=kind.chart(activity, tally, state.revealed) if kind.has_chart else None,
        notes=tuple(kind.notes(activity, state.revealed)),
    )
    return as_private(result) if activity.sensitive else result


# Small counts on private activities --------------------------------------------------------


def as_private(result: Result) -> Result:
    """A shown result as a revealed private activity may show it: no count of passes, no
    count under SMALL_CELL nor one that gives such a count away, and a note saying so. Also
    for a private result kept before this protection existed (a purged session's snapshot)."""
    if not result.visible or result.passed is None:
        return result
    lines, chart, note = protected(result.lines, result.chart)
    return dataclasses.replace(
        result, passed=None, lines=tuple(lines), chart=chart, notes=(*result.notes, note)
    )


def withheld_cells(counts: Sequence[int], minimum: int = SMALL_CELL) -> dict[int, int | None]:
    """Which counts of one group (an activity's options, or one statement's) are withheld:
    index -> `minimum` for a count under it (0 too, so "fewer than 3" never means "at least
    one"), or None for one count held back beside them.

    Where people give one answer each, a group's counts add up to the number who answered, so a
    lone small count would be that number minus the others. Holding back one more count, of at
    least `minimum`, leaves every small count free to be 0 or what it is. Which one is chosen
    by position alone (the first after the first small count, going round), never by size:
    "the smallest other count" would tell anyone who knows the rule how big it is, and so the
    small count again. The same rule holds for every kind (it costs a multiple choice one
    count), because whether a group adds up is itself something the room must not learn.
    """
    hidden: dict[int, int | None] = {
        index: minimum for index, count in enumerate(counts) if count < minimum
    }
    if hidden and len(hidden) < len(counts):
        first = min(hidden)
        others = [(first + step) % len(counts) for step in range(1, len(counts))]
        hidden[next(index for index in others if index not in hidden)] = None
    return hidden


def _groups(lines: Sequence[Line]) -> list[list[tuple[int, Count]]]:
    """The Count lines in groups (consecutive lines of one row), each with its position."""
    groups: list[list[tuple[int, Count]]] = []
    previous: Line | None = None
    for position, line in enumerate(lines):
        if isinstance(line, Count):
            if not (isinstance(previous, Count) and previous.row == line.row):
                groups.append([])
            groups[-1].append((position, line))
        previous = line
    return groups


def protected(
    lines: Sequence[Line], chart: Chart | None, minimum: int = SMALL_CELL
) -> tuple[list[Line], Chart | None, str]:
    """A revealed private activity's lines and chart without a count under `minimum` (or one
    that would give such a count away), and a note saying so for every renderer to show.

    Texts (each approved by the facilitator for the screen) and mean places stay. The words of a
    word cloud given by fewer than `minimum` people are left out, words and counts both: the
    word is what would say who. A chart this cannot match with its lines is dropped rather than
    drawn with numbers the lines withhold.
    """
    said = [_("Private activity: passes are not counted.")]
    if isinstance(chart, Cloud):
        kept = [line for line in lines if not (isinstance(line, Count) and line.count < minimum)]
        words = tuple((word, count) for word, count in chart.words if count >= minimum)
        if len(kept) < len(lines) or len(words) < len(chart.words):
            said.append(
                _("Words given by fewer than %(minimum)d people are left out.")
                % {"minimum": minimum}
            )
        return kept, Cloud(words), " ".join(said)
    shown = list(lines)
    groups = _groups(lines)
    withheld_any: set[int | None] = set()
    for group in groups:
        counts = [line.count for _position, line in group]
        for index, below in withheld_cells(counts, minimum).items():
            position, line = group[index]
            shown[position] = Withheld(line.label, line.row, below)
            withheld_any.add(below)
    if minimum in withheld_any:
        said.append(
            _('Counts under %(minimum)d show as "fewer than %(minimum)d".') % {"minimum": minimum}
        )
    if None in withheld_any:
        said.append(_('A count "not shown" is held back so that a small one cannot be worked out.'))
    if withheld_any:
        counted = [[line for _position, line in group] for group in groups]
        drawn = [[shown[position] for position, _ in group] for group in groups]
        chart = _chart_without(chart, counted, drawn)
    return shown, chart, " ".join(said)


def _chart_without(
    chart: Chart | None, counted: list[list[Count]], drawn: list[list[Line]]
) -> Chart | None:
    """The chart drawn from the `drawn` lines (some of them Withheld) where its bars are exactly
    the `counted` lines in order; otherwise no chart at all (the lines still say what is
    shown)."""

    def value(line: Line) -> int | None:
        return line.count if isinstance(line, Count) else None

    if isinstance(chart, Bars) and chart.texts is None and len(counted) == 1:
        if _same(counted[0], chart.labels, chart.values):
            [lines] = drawn
            return dataclasses.replace(
                chart,
                values=tuple(value(line) for line in lines),
                texts=tuple(
                    line.words if isinstance(line, Withheld) else str(value(line)) for line in lines
                ),
            )
    if isinstance(chart, StackedRows) and len(counted) == len(chart.rows):
        pairs = zip(counted, chart.tallies, strict=True)
        if all(_same(group, chart.categories, tally) for group, tally in pairs):
            return dataclasses.replace(
                chart,
                tallies=tuple(tuple(value(line) for line in lines) for lines in drawn),
                withheld=tuple(
                    sum(
                        before.count
                        for before, after in zip(group, lines, strict=True)
                        if isinstance(after, Withheld)
                    )
                    for group, lines in zip(counted, drawn, strict=True)
                ),
            )
    return None


def _same(group: list[Count], labels: Sequence[str], values: Sequence[float | None]) -> bool:
    """Whether a chart's bars (or one row's parts) are exactly these Count lines, in order."""
    return len(labels) == len(values) == len(group) and list(zip(labels, values, strict=True)) == [
        (line.label, line.count) for line in group
    ]
