"""A result on the projector: the kind's chart as a figure, or its lines as cards.

Only what the Result holds is drawn; suppression happened before (room/results.py). A count a
private activity withholds is said in words ("fewer than 3"), and so are its passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from workshop.activities.base import Count, Place, Text, Withheld
from workshop.i18n import gettext as _
from workshop.renderers import charts
from workshop.room import vocabulary
from workshop.room.results import Result


def figure(result: Result) -> go.Figure | None:
    """The projector's figure, with how many answered and passed beneath it; None when the
    result is hidden or its kind shows cards instead."""
    if result.chart is None:
        return None
    drawn = charts.draw(result.chart)
    drawn.add_annotation(
        text=counted(result),
        xref="paper",
        yref="paper",
        x=1,
        y=-0.02,
        yanchor="top",
        xanchor="right",
        showarrow=False,
        font={"size": charts.CAPTION_SIZE, "color": charts.QUIET_INK},
    )
    # Room under the chart for the line, at the wall's smallest type.
    drawn.update_layout(margin={"b": charts.CAPTION_BAND})
    return drawn


@dataclass(frozen=True)
class Key:
    """One entry of a figure's legend: a category and its colour (hatched: the part a private
    activity does not show)."""

    name: str
    colour: str
    hatched: bool = False


def legend(figure: go.Figure) -> list[Key]:
    """The entries of the figure's legend, in order: for a page that draws the legend itself
    (the screen, whose legend must keep one line at any size) and hides plotly's."""
    if not figure.layout.showlegend:
        return []
    keys = []
    for trace in figure.data:
        if trace.showlegend is False or not trace.name:
            continue
        colour = trace.marker.color
        if not isinstance(colour, str):
            colour = colour[0]
        keys.append(Key(trace.name, colour, bool(trace.marker.pattern.shape)))
    return keys


def counted(result: Result) -> str:
    """How many answered and passed, in the room's words (room/vocabulary.py)."""
    return vocabulary.tally(result)


def cards(result: Result) -> list[str]:
    """A result without a chart, one card per line: approved texts, or counts said in words."""
    if result.chart is not None:
        return []
    drawn = []
    for line in result.lines:
        if isinstance(line, Text):
            drawn.append(line.text)
        elif isinstance(line, Count | Withheld):
            label = f"{line.row} — {line.label}" if line.row else line.label
            drawn.append(f"{label}: {line.count if isinstance(line, Count) else line.words}")
        elif isinstance(line, Place):
            place = _("mean place %(mean).1f") % {"mean": line.mean_place}
            drawn.append(f"{line.label} ({place})")
    return drawn
