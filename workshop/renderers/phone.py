"""A result on a phone: one plain line per answer option, and how many passed.

The template (web/participant/templates/results.html) writes these lines as a list; each label
is text, escaped there like every participant and deck string.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.activities.base import Count, Place, Text
from workshop.room.results import PASS_LABEL, Result


@dataclass(frozen=True)
class PhoneLine:
    label: str
    count: int | None = None  # None where a number means nothing (texts, places)
    percent: int | None = None  # the bar's length, 0 to 100


def lines(result: Result) -> list[PhoneLine]:
    """What the room said, for a phone; nothing while the result is hidden."""
    if not result.visible:
        return []
    drawn = []
    for line in result.lines:
        if isinstance(line, Count):
            label = f"{line.row}: {line.label}" if line.row else line.label
            drawn.append(PhoneLine(label, line.count, round(line.share * 100)))
        elif isinstance(line, Place):
            drawn.append(PhoneLine(f"{line.label} (mean place {line.mean_place:.1f})"))
        elif isinstance(line, Text):
            drawn.append(PhoneLine(line.text))
    # A pass is an answer of its own, never a missing one.
    return [*drawn, PhoneLine(PASS_LABEL, result.passed)]
