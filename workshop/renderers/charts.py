"""Plotly figures in the projector's style: large type, colour-blind-safe colours.

A kind says what to draw as data (`Bars`, `StackedRows`, `Cloud`, in activities/base.py);
`draw` turns it into a figure with one of these builders, so that the whole deck looks like one
piece on the wall.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from workshop.activities.base import Bars, Chart, Cloud, StackedRows

# Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Diverging scale for ordered answers (rarely ... almost always): blue to orange through grey.
DIVERGING = ["#0072B2", "#56B4E9", "#C8C8C8", "#E69F00", "#D55E00"]
# The part of a bar a private activity does not show (its small counts together): a pale grey
# apart from every colour above, and said in the legend.
WITHHELD_COLOUR = "#E4E4E4"
WITHHELD_LABEL = "Not shown (small counts)"
FONT_SIZE = 26
# A cloud shows at most this many words, the most frequent: more would not be read on a wall.
CLOUD_WORDS = 40


def _layout(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 20, "r": 40, "t": 20, "b": 20},
        font={"size": FONT_SIZE, "family": "Inter, Segoe UI, Helvetica, Arial, sans-serif"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
        uniformtext={"minsize": 18, "mode": "hide"},
    )
    return figure


def scaled(figure: go.Figure, factor: float) -> go.Figure:
    """The figure with its height, margins and type multiplied by `factor` (for previews)."""
    if factor == 1:
        return figure
    layout = figure.layout
    figure.update_layout(
        height=round((layout.height or 450) * factor),
        font_size=(layout.font.size or FONT_SIZE) * factor,
        margin={side: (getattr(layout.margin, side) or 0) * factor for side in "lrtb"},
    )
    if layout.uniformtext.minsize:
        figure.update_layout(uniformtext_minsize=layout.uniformtext.minsize * factor)
    for annotation in layout.annotations:
        if annotation.font.size:
            annotation.font.size *= factor
    for trace in figure.data:
        font = getattr(trace, "textfont", None)
        if font is None or font.size is None:
            continue
        # A word cloud sizes each word on its own: a list of sizes.
        if isinstance(font.size, int | float):
            font.size *= factor
        else:
            font.size = [size * factor for size in font.size]
    return figure


def wrap(text: str, width: int = 28) -> str:
    """Break a long label onto several lines for an axis (plotly uses <br>)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


@functools.singledispatch
def draw(chart: Chart) -> go.Figure:
    """The projector's figure for a kind's chart."""
    raise TypeError(f"no figure for {type(chart).__name__}")


@draw.register
def _(chart: Bars) -> go.Figure:
    # A scale's points are one distribution: one colour for all of them.
    colour = PALETTE[4] if chart.ordered else PALETTE[0]
    return bars(chart.labels, chart.values, texts=chart.texts, colour=colour)


@draw.register
def _(chart: StackedRows) -> go.Figure:
    return stacked_rows(
        chart.rows,
        chart.categories,
        chart.tallies,
        diverging=chart.diverging,
        correct=chart.correct,
        withheld=chart.withheld,
    )


@draw.register
def _(chart: Cloud) -> go.Figure:
    return word_cloud(chart.words)


def bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    texts: Sequence[str] | None = None,
    colour: str = PALETTE[0],
) -> go.Figure:
    """Horizontal bars, first label at the top; `texts` replace the numbers beside the bars.

    A value of None (withheld) has no bar; its text says why.
    """
    drawn = [0 if value is None else value for value in values]
    figure = go.Figure(
        go.Bar(
            x=drawn,
            y=[wrap(label) for label in labels],
            orientation="h",
            marker_color=[colour] * len(labels),
            text=list(texts) if texts is not None else [f"{value:g}" for value in drawn],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(visible=False, range=[0, max([*drawn, 1]) * 1.15])
    return _layout(figure, height=max(320, 110 * len(labels)))


def shares_of_rows(
    tallies: Sequence[Sequence[int | None]], withheld: Sequence[int] | None = None
) -> tuple[list[list[float]], list[float]]:
    """Each row's parts as percentages of the row, and the withheld part of each row.

    A withheld tally (None) is no part of its own: the row's withheld tallies are one part
    together, `withheld[row]` people, drawn apart from every category.
    """
    apart = list(withheld) if withheld is not None else [0] * len(tallies)
    shares, withheld_shares = [], []
    for tally, hidden in zip(tallies, apart, strict=True):
        total = (sum(count or 0 for count in tally) + hidden) or 1
        shares.append([(count or 0) / total * 100 for count in tally])
        withheld_shares.append(hidden / total * 100)
    return shares, withheld_shares


def stacked_rows(
    rows: Sequence[str],
    categories: Sequence[str],
    tallies: Sequence[Sequence[int | None]],
    *,
    diverging: bool = False,
    correct: Sequence[int | None] | None = None,
    withheld: Sequence[int] | None = None,
) -> go.Figure:
    """One bar per row (statement, vignette) split into its answer categories, as shares.

    With `diverging`, the categories are ordered and the bars are centred on the middle of
    the scale, so that leaning one way or the other reads at a glance. `withheld` (a private
    activity's small counts, each row's together) is drawn last, in grey, and centring uses
    only the parts shown, so the bar's position says nothing of what is withheld.
    """
    palette = DIVERGING if diverging and len(categories) <= 5 else PALETTE
    if diverging and len(categories) == 4:
        palette = [DIVERGING[0], DIVERGING[1], DIVERGING[3], DIVERGING[4]]
    shares, withheld_shares = shares_of_rows(tallies, withheld)
    labels = []
    for number, row in enumerate(rows):
        mark = ""
        if correct is not None and correct[number] is not None:
            mark = f"  ✓ {categories[correct[number]]}"
        labels.append(wrap(row, 40) + mark)
    figure = go.Figure()
    offsets = [0.0] * len(rows)
    if diverging:
        # Start each bar left of zero by the share below the middle of the scale.
        half = len(categories) / 2
        for number, row_shares in enumerate(shares):
            below = sum(row_shares[: int(half)])
            if len(categories) % 2:
                below += row_shares[int(half)] / 2
            offsets[number] = -below
    for index, category in enumerate(categories):
        figure.add_trace(
            go.Bar(
                name=category,
                y=labels,
                x=[row[index] for row in shares],
                base=offsets[:] if diverging else None,
                orientation="h",
                marker_color=palette[index % len(palette)],
                text=[
                    f"{row[index]:.0f}%" if row[index] >= 8 and tally[index] is not None else ""
                    for row, tally in zip(shares, tallies, strict=True)
                ],
                textposition="inside",
                insidetextanchor="middle",
            )
        )
        if diverging:
            offsets = [offset + row[index] for offset, row in zip(offsets, shares, strict=True)]
    if withheld is not None:
        figure.add_trace(
            go.Bar(
                name=WITHHELD_LABEL,
                y=labels,
                x=withheld_shares,
                base=offsets[:] if diverging else None,
                orientation="h",
                marker_color=WITHHELD_COLOUR,
                hoverinfo="skip",
            )
        )
    figure.update_layout(barmode="stack" if not diverging else "overlay", bargap=0.35)
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(visible=False)
    # Six statements must still fit under the title on a 1080-pixel projector.
    _layout(figure, height=min(720, max(360, 95 * len(rows) + 110)))
    figure.update_layout(
        showlegend=True,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "font": {"size": 22},
            "traceorder": "normal",
        },
        margin={"t": 80},
    )
    return figure


@dataclass(frozen=True)
class PlacedWord:
    text: str
    x: float
    y: float
    size: float  # font size in points, on the projector's scale
    colour: str


@dataclass(frozen=True)
class CloudLayout:
    words: tuple[PlacedWord, ...]
    span_x: float  # the words lie within -span_x..span_x
    span_y: float


def cloud_layout(words: Sequence[tuple[str, int]]) -> CloudLayout:
    """Words sized by how often they were given, laid out on a spiral from the centre.

    A real word cloud without an extra dependency: each word placed on an Archimedean spiral,
    moved outwards until its box no longer overlaps the ones before. The projector (plotly) and
    the report (SVG) draw the same layout.
    """
    chosen = list(words)[:CLOUD_WORDS]
    if not chosen:
        return CloudLayout((), 1.0, 1.0)
    top = max(count for _, count in chosen)
    placed: list[tuple[float, float, float, float]] = []
    laid_out = []
    for number, (word, count) in enumerate(chosen):
        size = 24 + 64 * math.sqrt(count / top)
        # Box in plot units: about 0.6 of the font size per character, on a 1000 x 600 canvas.
        width, height = 0.6 * size * len(word) + 12, size * 1.1
        angle = 0.0
        while True:
            radius = 4 * angle
            x, y = radius * math.cos(angle), 0.6 * radius * math.sin(angle)
            box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            if all(
                box[2] < other[0] or box[0] > other[2] or box[3] < other[1] or box[1] > other[3]
                for other in placed
            ):
                break
            angle += 0.15
        placed.append(box)
        laid_out.append(PlacedWord(word, x, y, size, PALETTE[number % 6]))
    span_x = max(max(abs(box[0]), abs(box[2])) for box in placed) + 20
    span_y = max(max(abs(box[1]), abs(box[3])) for box in placed) + 20
    return CloudLayout(tuple(laid_out), span_x, span_y)


def word_cloud(words: Sequence[tuple[str, int]]) -> go.Figure:
    """The projector's word cloud: the spiral layout drawn as plotly text."""
    layout = cloud_layout(words)
    figure = go.Figure()
    if not layout.words:
        return _layout(figure, height=500)
    figure.add_trace(
        go.Scatter(
            x=[word.x for word in layout.words],
            y=[word.y for word in layout.words],
            text=[word.text for word in layout.words],
            mode="text",
            textfont={
                "size": [word.size for word in layout.words],
                "color": [word.colour for word in layout.words],
            },
            hoverinfo="skip",
        )
    )
    figure.update_xaxes(visible=False, range=[-layout.span_x, layout.span_x])
    figure.update_yaxes(visible=False, range=[-layout.span_y, layout.span_y])
    return _layout(figure, height=560)
