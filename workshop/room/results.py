"""One result object per activity: data that every renderer draws (projector, phones, exports).

Small-group protection happens here and only here: below the response threshold, or while a
private activity is not yet closed and revealed, a result carries no lines, no chart and no
notes, so no renderer can leak what it does not have.

The counts use the room's vocabulary: *answered* (gave an answer other than passing), *passed*
("Prefer not to answer") and *responded* (both). The threshold counts *answered* only.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.activities import ActivitySpec, kind_of
from workshop.activities.base import Chart, Line
from workshop.room.moderation import APPROVED
from workshop.store import ActivityState, Answer

PASS_LABEL = "Prefer not to answer"


@dataclass(frozen=True)
class Result:
    activity: ActivitySpec
    status: str  # waiting, open or closed
    revealed: bool
    threshold: int
    responded: int  # answered + passed
    passed: int
    visible: bool
    hidden_reason: str | None = None
    lines: tuple[Line, ...] = ()  # empty unless visible
    chart: Chart | None = None  # None unless visible and the kind draws one
    notes: tuple[str, ...] = ()  # answer keys and explanations, once revealed

    @property
    def answered(self) -> int:
        """Answers that are not a pass: the count the threshold applies to."""
        return self.responded - self.passed


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
        "responded": len(answers),
        "passed": passed,
    }
    kind = kind_of(activity)
    if not kind.answerable:
        return Result(**counts, visible=False)
    if len(answers) - passed < threshold:
        reason = f"Results appear once {threshold} people have answered."
        return Result(**counts, visible=False, hidden_reason=reason)
    if activity.sensitive and not (state.status == "closed" and state.revealed):
        reason = "Private activity: results are shown only after it closes."
        return Result(**counts, visible=False, hidden_reason=reason)
    # Answers waiting for (or refused) the facilitator's approval are never shown.
    shown = [
        answer.value
        for answer in answers
        if not answer.passed and (not kind.moderated or answer.moderation == APPROVED)
    ]
    tally = kind.tally(activity, shown)
    return Result(
        **counts,
        visible=True,
        lines=tuple(kind.lines(activity, tally, state.revealed)),
        chart=kind.chart(activity, tally, state.revealed) if kind.has_chart else None,
        notes=tuple(kind.notes(activity, state.revealed)),
    )
