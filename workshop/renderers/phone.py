"""A result on a phone: one plain line per answer option, and how many passed.

The template (web/participant/templates/results.html) writes these lines as a list; each label
is text, escaped there like every participant and deck string. A count a private activity
withholds is said in words ("fewer than 3") where a number would stand, with no bar, and a
withheld count of passes has no line at all.

Kinds that ask one question per row (statements, vignettes) are drawn as one compact stacked
bar per row (`view`): a battery of six statements is six short bars with their counts, not
six times as many lines. A row's bar is drawn only from the shares its Count lines hold; what a
private activity withholds is one grey "not shown" part, never a number. A statement passed on
its own is said under its bar ("2 passed"), never drawn as a part of it; statements grouped by
the way they read ("Patterns to notice", "Strengths") come under their headings.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.activities.base import Count, Line, Place, StackedRows, Text, Withheld
from workshop.i18n import gettext as _
from workshop.room import vocabulary
from workshop.room.results import Result
from workshop.room.vocabulary import PASS_LABEL


@dataclass(frozen=True)
class PhoneLine:
    label: str
    # The number shown beside the label, or the words that stand for a withheld one ("fewer
    # than 3"); None where a number means nothing (texts, places).
    count: int | str | None = None
    percent: int | None = None  # the bar's length, 0 to 100


@dataclass(frozen=True)
class PhonePart:
    """One option's part of a row's bar."""

    label: str
    count: int | str  # a number, or the words of a withheld one
    start: float  # where the part begins along the bar, 0 to 100
    width: float  # its length, 0 to 100; 0 for a withheld count (not drawn)
    shade: int  # its colour in the stylesheet, 0 to 6 (see `_shades`)
    correct: bool = False  # the right answer, once the facilitator revealed the answers


@dataclass(frozen=True)
class PhoneRow:
    """One statement (or vignette) and its bar."""

    text: str
    parts: tuple[PhonePart, ...]
    unshown: float = 0.0  # length of the bar a private activity holds back, 0 to 100
    passed: str = ""  # how many passed this statement on its own ("2 passed"), if any did
    heading: str = ""  # the heading of the group this row starts ("Strengths"), if it starts one

    @property
    def unshown_start(self) -> float:
        return 100.0 - self.unshown


@dataclass(frozen=True)
class PhoneSection:
    """Rows under one heading ("" for rows under none)."""

    heading: str
    rows: tuple[PhoneRow, ...]


@dataclass(frozen=True)
class PhoneView:
    """Everything the phone's "What the room said" section draws."""

    lines: tuple[PhoneLine, ...]  # answer options, texts, places (not the passes)
    rows: tuple[PhoneRow, ...]  # statements and vignettes, one bar each
    legend: tuple[tuple[str, int], ...]  # the rows' options with their shades, in order
    ordered: bool  # the options are points of one scale (neutral shades, light to dark)
    withheld: bool  # some row holds back part of its bar ("not shown" in the legend)
    tally: str  # "9 answered · 2 passed", in the room's words

    @property
    def sections(self) -> list[PhoneSection]:
        """The rows in their groups, each group under its heading, in order."""
        sections: list[PhoneSection] = []
        for row in self.rows:
            if row.heading or not sections:
                sections.append(PhoneSection(row.heading, ()))
            sections[-1] = PhoneSection(sections[-1].heading, (*sections[-1].rows, row))
        return sections


def lines(result: Result) -> list[PhoneLine]:
    """What the room said, for a phone; nothing while the result is hidden."""
    if not result.visible:
        return []
    drawn = [_line(line) for line in result.lines]
    if result.passed is None:
        return drawn
    # A pass is an answer of its own, never a missing one.
    return [*drawn, PhoneLine(_(PASS_LABEL), result.passed)]


def view(result: Result) -> PhoneView:
    """The result as the phone's page draws it: rows of statements as bars, other lines as a
    list, and the counts in the room's words. Nothing but the tally while it is hidden."""
    if not result.visible:
        return PhoneView((), (), (), False, False, vocabulary.tally(result))
    flat: list[PhoneLine] = []
    groups: list[list[Count | Withheld]] = []
    for line in result.lines:
        if isinstance(line, Count | Withheld) and line.row is not None:
            if not groups or groups[-1][0].row != line.row:
                groups.append([])
            groups[-1].append(line)
        else:
            flat.append(_line(line))
    chart = result.chart if isinstance(result.chart, StackedRows) else None
    matched = chart is not None and len(chart.rows) == len(groups)
    correct = chart.correct if chart is not None and matched else None
    headings = chart.headings() if chart is not None and matched else [""] * len(groups)
    ordered = bool(chart is not None and chart.ordered)
    options = [line.label for line in groups[0] if not line.passed] if groups else []
    shades = _shades(len(options), ordered)
    rows = tuple(
        _row(group, shades, correct[number] if correct else None, headings[number])
        for number, group in enumerate(groups)
    )
    return PhoneView(
        lines=tuple(flat),
        rows=rows,
        legend=tuple(zip(options, shades, strict=True)),
        ordered=ordered,
        withheld=any(row.unshown for row in rows),
        tally=vocabulary.tally(result),
    )


def _line(line: Line) -> PhoneLine:
    if isinstance(line, Count):
        return PhoneLine(_label(line), line.count, round(line.share * 100))
    if isinstance(line, Withheld):
        return PhoneLine(_label(line), line.words)
    if isinstance(line, Place):
        return PhoneLine(
            _("%(item)s (mean place %(mean).1f)") % {"item": line.label, "mean": line.mean_place}
        )
    assert isinstance(line, Text)
    return PhoneLine(line.text)


SHADES = 7  # colours in the stylesheet, for either kind of options


def _shades(count: int, ordered: bool) -> list[int]:
    """Each option's colour: the points of a scale spread evenly from the lightest shade to
    the darkest (two points are far apart, not neighbours); other options in turn."""
    if ordered and count > 1:
        return [round(index * (SHADES - 1) / (count - 1)) for index in range(count)]
    return [index % SHADES for index in range(count)]


def _row(
    group: list[Count | Withheld], shades: list[int], correct: int | None, heading: str = ""
) -> PhoneRow:
    """A row's bar: each counted option's share in turn, then what is held back, if any; its
    passes in words (a private activity's are not counted, and said so once, in the tally)."""
    passed = ""
    for line in group:
        if isinstance(line, Count) and line.passed and line.count:
            passed = vocabulary.passed(line.count)
    group = [line for line in group if not line.passed]
    parts = []
    start = 0.0
    for index, line in enumerate(group):
        shade = shades[index] if index < len(shades) else index % SHADES
        if isinstance(line, Count):
            width = round(line.share * 100, 2)
            parts.append(PhonePart(line.label, line.count, start, width, shade, index == correct))
            start = round(start + width, 2)
        else:
            parts.append(PhonePart(line.label, line.words, start, 0.0, shade, index == correct))
    withheld = any(isinstance(line, Withheld) for line in group)
    unshown = round(max(0.0, 100.0 - start), 2) if withheld else 0.0
    text = (group[0].row or "") if group else ""
    return PhoneRow(text, tuple(parts), unshown, passed, heading)


def _label(line: Count | Withheld) -> str:
    """An option's label, after its row's where it has one (a statement ends with its own
    full stop, so the two are set apart by a dash, never by a colon after the stop)."""
    return f"{line.row} — {line.label}" if line.row else line.label
