"""A result on the projector: the kind's chart as a figure, or its lines as cards.

Only what the Result holds is drawn; suppression happened before (room/results.py).
"""

from __future__ import annotations

import plotly.graph_objects as go

from workshop.activities.base import Text
from workshop.renderers import charts
from workshop.room.results import Result


def figure(result: Result) -> go.Figure | None:
    """The projector's figure, with how many answered and passed beneath it; None when the
    result is hidden or its kind shows cards instead."""
    if result.chart is None:
        return None
    drawn = charts.draw(result.chart)
    drawn.add_annotation(
        text=f"{result.answered} answered · {result.passed} preferred not to answer",
        xref="paper",
        yref="paper",
        x=1,
        y=-0.02,
        yanchor="top",
        xanchor="right",
        showarrow=False,
        font={"size": 20, "color": "#555"},
    )
    drawn.update_layout(margin={"b": 60})
    return drawn


def cards(result: Result) -> list[str]:
    """Approved open-text answers, each for a card of its own."""
    return [line.text for line in result.lines if isinstance(line, Text)]
