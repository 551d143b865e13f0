"""One result object per activity: data that every renderer draws (projector, phones, exports).

Small-group protection happens here and only here: below the response threshold, or while a
private activity is not yet closed and revealed, a result carries no lines, no chart and no
notes, so no renderer can leak what it does not have. A private activity's threshold is the
session's private one (default 8) where that is larger. Once a private activity is revealed, its
result still holds no count under SMALL_CELL (a `Withheld` line, a chart value of None), none
from which such a count could be worked out, and no count of passes.

A statement that can be passed on its own (a battery's) is a question of its own: its counts are
shown only once as many people as the threshold answered that statement, and on a private
activity its passes are not counted and a small count of them cannot be worked out either.

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
from workshop.i18n import ngettext
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

# The response threshold of private activities, unless the session sets its own (never below its
# threshold for everything else). A private activity asks about the person, not the topic: in a
# group of six, a total of five tells each person most of what the other four said, and a
# facilitator cannot unsay a revealed chart. Eight is where a group's answers stop being
# readable person by person, and still lets a typical therapy group (6 to 12) see its result.
DEFAULT_PRIVATE_THRESHOLD = 8


def threshold_for(activity: ActivitySpec, threshold: int, private_threshold: int | None) -> int:
    """The threshold that decides whether this activity's result is shown: a private one's is
    the private threshold where that is the larger."""
    return private_threshold_of(threshold, private_threshold) if activity.sensitive else threshold


def private_threshold_of(threshold: int, private_threshold: int | None) -> int:
    """A session's threshold for private activities: its own, never below `threshold` (None
    or 0, a session without one of its own: `threshold`)."""
    return max(threshold, private_threshold or threshold)


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
    activity: ActivitySpec,
    answers: list[Answer],
    state: ActivityState,
    threshold: int,
    private_threshold: int | None = None,
) -> Result:
    """The activity's result as the room may see it now. `threshold` is the session's;
    `private_threshold` the session's for private activities (None: the same)."""
    threshold = threshold_for(activity, threshold, private_threshold)
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
        reason = threshold_reason(
            threshold, private=activity.sensitive, closed=state.status == "closed"
        )
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
    lines = kind.lines(activity, tally, state.revealed)
    chart = kind.chart(activity, tally, state.revealed) if kind.has_chart else None
    notes = kind.notes(activity, state.revealed)
    # On a private activity, whether a statement is shown must not pin down how many passed it:
    # with a threshold of 1, a statement hidden because nobody answered it would say that
    # everyone passed it. From SMALL_CELL on, a hidden statement leaves at least three
    # possible counts of passes.
    row_threshold = max(threshold, SMALL_CELL) if activity.sensitive else threshold
    lines, chart, said = rows_answered_enough(lines, chart, row_threshold)
    result = Result(
        **counts,
        visible=True,
        lines=tuple(lines),
        chart=chart,
        notes=(*notes, said) if said else tuple(notes),
    )
    return as_private(result) if activity.sensitive else result


# Rows passed one by one ----------------------------------------------------------------------


def rows_answered_enough(
    lines: Sequence[Line], chart: Chart | None, threshold: int
) -> tuple[list[Line], Chart | None, str]:
    """The lines and chart without the counts of any row (a statement that can be passed on
    its own) fewer than `threshold` people answered, and a note saying so ("" if none).

    The threshold protects each row as it does the activity: three people's answers to one
    statement are as readable as three people's answers to a question. The row's passes stay
    (a private activity's go later, in `protected`); its bar is drawn as not shown.
    """
    shown = list(lines)
    for group in _groups(lines):
        if group.row is None or group.passes is None:
            continue
        options = [lines[position] for position in group.options]
        answered = sum(line.count for line in options if isinstance(line, Count))
        if answered < threshold:
            for position in group.options:
                line = lines[position]
                shown[position] = Withheld(line.label, line.row)
    if shown == list(lines):
        return shown, chart, ""
    said = ngettext(
        "A statement fewer than %(threshold)d person answered is not shown.",
        "A statement fewer than %(threshold)d people answered is not shown.",
        threshold,
    ) % {"threshold": threshold}
    return shown, _chart_without(chart, lines, shown), said


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


@dataclass(frozen=True)
class _Group:
    """One question's counts among an activity's lines: its options' positions (Count or
    Withheld lines, consecutive, of one row) and the position of its count of passes, if its
    row can be passed on its own."""

    row: str | None
    options: tuple[int, ...]
    passes: int | None = None


def _groups(lines: Sequence[Line]) -> list[_Group]:
    """The counts of `lines` in groups: consecutive lines of one row."""
    groups: list[_Group] = []
    previous: Line | None = None
    for position, line in enumerate(lines):
        if isinstance(line, Count | Withheld):
            if not (isinstance(previous, Count | Withheld) and previous.row == line.row):
                groups.append(_Group(line.row, ()))
            group = groups[-1]
            if line.passed:
                groups[-1] = dataclasses.replace(group, passes=position)
            else:
                groups[-1] = dataclasses.replace(group, options=(*group.options, position))
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
    withheld_any: set[int | None] = set()
    for group in _groups(lines):
        # The group's counts: its options', and its passes' last (a row that can be passed:
        # options and passes add up to those who answered the activity, which the room knows).
        # A count already withheld (a row too few answered) is not counted again.
        positions = [position for position in group.options if isinstance(lines[position], Count)]
        if group.passes is not None and isinstance(lines[group.passes], Count):
            positions.append(group.passes)
        counts = [lines[position].count for position in positions]  # type: ignore[union-attr]
        hidden = withheld_cells(counts, minimum)
        for index, below in hidden.items():
            line = lines[positions[index]]
            shown[positions[index]] = Withheld(line.label, line.row, below, line.passed)
            if not line.passed:
                withheld_any.add(below)
        if group.passes is not None:
            # Passes of a private activity are never counted; a small count of them is held
            # back above as any small count is, so that it cannot be worked out. A count still
            # shown is a share of all who answered the activity, not of those who answered this
            # statement: that number would give the passes away.
            line = lines[group.passes]
            shown[group.passes] = Withheld(line.label, line.row, None, passed=True)
            among = sum(counts) or 1
            for position in positions:
                kept = shown[position]
                if isinstance(kept, Count):
                    shown[position] = dataclasses.replace(kept, share=kept.count / among)
    if minimum in withheld_any:
        said.append(
            _('Counts under %(minimum)d show as "fewer than %(minimum)d".') % {"minimum": minimum}
        )
    if None in withheld_any:
        said.append(_('A count "not shown" is held back so that a small one cannot be worked out.'))
    if shown != list(lines):
        chart = _chart_without(chart, lines, shown)
    return shown, chart, " ".join(said)


def _value(line: Line) -> int | None:
    return line.count if isinstance(line, Count) else None


def _chart_without(
    chart: Chart | None, counted: Sequence[Line], drawn: Sequence[Line]
) -> Chart | None:
    """The chart drawn from the `drawn` lines (some of them now Withheld) where its bars are
    exactly the `counted` lines' options in order; otherwise no chart at all (the lines still
    say what is shown)."""
    groups = _groups(counted)
    if isinstance(chart, Bars) and chart.texts is None and len(groups) == 1:
        [group] = groups
        before = [counted[position] for position in group.options]
        if group.passes is None and _same(before, chart.labels, chart.values):
            after = [drawn[position] for position in group.options]
            return dataclasses.replace(
                chart,
                values=tuple(_value(line) for line in after),
                texts=tuple(
                    line.words if isinstance(line, Withheld) else str(_value(line))
                    for line in after
                ),
            )
    if isinstance(chart, StackedRows) and len(groups) == len(chart.rows):
        pairs = zip(groups, chart.tallies, strict=True)
        if all(
            _same([counted[position] for position in group.options], chart.categories, tally)
            for group, tally in pairs
        ):
            already = chart.withheld or (0,) * len(chart.rows)
            return dataclasses.replace(
                chart,
                tallies=tuple(
                    tuple(_value(drawn[position]) for position in group.options) for group in groups
                ),
                # Each row's part not shown: what it held back before, and now this too, its
                # passes included once they are not counted (a bar of those who answered the
                # statement would say how many did not).
                withheld=tuple(
                    before
                    + sum(
                        counted[position].count  # type: ignore[union-attr]
                        for position in _positions(group)
                        if isinstance(counted[position], Count)
                        and isinstance(drawn[position], Withheld)
                    )
                    for group, before in zip(groups, already, strict=True)
                ),
                passes=None
                if chart.passes is None
                else tuple(
                    None if group.passes is None else _value(drawn[group.passes])
                    for group in groups
                ),
            )
    return None


def _positions(group: _Group) -> list[int]:
    """A group's lines: its options', then its passes', if it has them."""
    return [*group.options, *([] if group.passes is None else [group.passes])]


def _same(group: Sequence[Line], labels: Sequence[str], values: Sequence[float | None]) -> bool:
    """Whether a chart's bars (or one row's parts) are exactly these lines, in order (a
    withheld line is a value of None)."""
    return len(labels) == len(values) == len(group) and list(zip(labels, values, strict=True)) == [
        (line.label, _value(line)) for line in group
    ]
