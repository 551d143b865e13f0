"""One result object per activity, drawn by every renderer: projector, phone, exports.

Small-group protection happens here and only here: below the response threshold, or while a
sensitive activity is still open, the result carries no data at all, so no renderer can leak it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workshop.activities import ActivitySpec, kind_of, revealed_notes
from workshop.room.moderation import APPROVED
from workshop.store import ActivityState, Answer

PASS_LABEL = "Prefer not to answer"


@dataclass(frozen=True)
class Result:
    activity: ActivitySpec
    status: str
    revealed: bool
    threshold: int
    respondents: int  # everyone who answered, passes included
    passes: int
    data: dict[str, Any] | None  # None unless visible
    hidden_reason: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Answers that are not a pass: the count the threshold applies to."""
        return self.respondents - self.passes

    @property
    def visible(self) -> bool:
        return self.data is not None

    def summary(self) -> list[dict[str, Any]]:
        """Plain lines (label, count, share) for the phone page and the exports."""
        if self.data is None:
            return []
        lines = kind_of(self.activity).summary(self.activity, self.data, self.revealed)
        # A pass is an answer of its own, never a missing one.
        return [*lines, {"label": PASS_LABEL, "count": self.passes, "share": None}]

    def figure(self) -> Any:
        """The projector's plotly figure, or None (info slides, open text, hidden results)."""
        if self.data is None:
            return None
        figure = kind_of(self.activity).figure(self.activity, self.data, self.revealed)
        if figure is not None:
            figure.add_annotation(
                text=f"{self.answered} answered · {self.passes} preferred not to answer",
                xref="paper",
                yref="paper",
                x=1,
                y=-0.02,
                yanchor="top",
                xanchor="right",
                showarrow=False,
                font={"size": 20, "color": "#555"},
            )
            figure.update_layout(margin={"b": 60})
        return figure


def result_for(
    activity: ActivitySpec, answers: list[Answer], state: ActivityState, threshold: int
) -> Result:
    passes = sum(1 for answer in answers if answer.passed)
    base = {
        "activity": activity,
        "status": state.status,
        "revealed": state.revealed,
        "threshold": threshold,
        "respondents": len(answers),
        "passes": passes,
    }
    if not activity.answerable:
        return Result(**base, data=None)
    answered = len(answers) - passes
    if answered < threshold:
        reason = f"Results appear once {threshold} people have answered."
        return Result(**base, data=None, hidden_reason=reason)
    if activity.sensitive and not (state.status == "closed" and state.revealed):
        reason = "Private activity: results are shown only after it closes."
        return Result(**base, data=None, hidden_reason=reason)
    values = [
        answer.value
        for answer in answers
        if not answer.passed and (answer.moderation is None or answer.moderation == APPROVED)
    ]
    data = kind_of(activity).aggregate(activity, values)
    data["passes"] = passes
    notes = revealed_notes(activity, state.revealed)
    return Result(**base, data=data, notes=notes)
