"""A result on a phone: one plain line per answer option, and how many passed.

The template (web/participant/templates/results.html) writes these lines as a list; each label
is text, escaped there like every participant and deck string. A count a private activity
withholds is said in words ("fewer than 3") where a number would stand, with no bar, and a
withheld count of passes has no line at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.activities.base import Count, Place, Text, Withheld
from workshop.room.results import Result
from workshop.room.vocabulary import PASS_LABEL


@dataclass(frozen=True)
class PhoneLine:
    label: str
    # The number shown beside the label, or the words that stand for a withheld one ("fewer
    # than 3"); None where a number means nothing (texts, places).
    count: int | str | None = None
    percent: int | None = None  # the bar's length, 0 to 100


def lines(result: Result) -> list[PhoneLine]:
    """What the room said, for a phone; nothing while the result is hidden."""
    if not result.visible:
        return []
    drawn = []
    for line in result.lines:
        if isinstance(line, Count):
            drawn.append(PhoneLine(_label(line), line.count, round(line.share * 100)))
        elif isinstance(line, Withheld):
            drawn.append(PhoneLine(_label(line), line.words))
        elif isinstance(line, Place):
            drawn.append(PhoneLine(f"{line.label} (mean place {line.mean_place:.1f})"))
        elif isinstance(line, Text):
            drawn.append(PhoneLine(line.text))
    if result.passed is None:
        return drawn
    # A pass is an answer of its own, never a missing one.
    return [*drawn, PhoneLine(PASS_LABEL, result.passed)]


def _label(line: Count | Withheld) -> str:
    return f"{line.row}: {line.label}" if line.row else line.label
