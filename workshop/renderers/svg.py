"""A kind's chart as a static SVG, for the printed report: no script, no network, sharp on paper.

matplotlib draws the same chart data the projector's plotly figures come from (a kind's `Bars`,
`StackedRows`, `Cloud`), in the same colour-blind-safe palette, sized for an A4 or Letter page.
The output is made repeatable (fixed ids, no date), so the report can be compared with a golden
file, and text stays text (searchable, selectable).
"""

from __future__ import annotations

import functools
import io
import textwrap

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from workshop.activities.base import Bars, Chart, Cloud, StackedRows
from workshop.renderers.charts import (
    DIVERGING,
    PALETTE,
    WITHHELD_COLOUR,
    WITHHELD_LABEL,
    cloud_layout,
    shares_of_rows,
)

# Report charts are about 17 cm wide; type is sized for reading on paper.
WIDTH_INCHES = 6.7
FONT_SIZE = 9
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text as text, not as paths
        "svg.hashsalt": "tandem",  # the same ids every time
        "font.family": ["DejaVu Sans", "sans-serif"],
        "font.size": FONT_SIZE,
        "text.parse_math": False,  # a "$" in a deck or an answer is a dollar, not TeX
    }
)


def _wrapped(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    # Only the <svg> element: the report is one HTML file, not an XML document per chart.
    return text[text.index("<svg") :]


def _axes_without_frame(figure: Figure):
    axes = figure.add_subplot()
    for side in ("top", "right", "left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=0)
    return axes


@functools.singledispatch
def svg(chart: Chart) -> str:
    """The chart as an <svg> element for the report."""
    raise TypeError(f"no SVG for {type(chart).__name__}")


@svg.register
def _(chart: Bars) -> str:
    height = 0.45 * len(chart.labels) + 0.4
    figure = Figure(figsize=(WIDTH_INCHES, height))
    axes = _axes_without_frame(figure)
    positions = list(range(len(chart.labels)))
    colour = PALETTE[4] if chart.ordered else PALETTE[0]
    # A withheld value (None) has no bar; its text says why.
    values = [0 if value is None else value for value in chart.values]
    axes.barh(positions, values, color=colour, height=0.6)
    axes.set_yticks(positions, [_wrapped(label) for label in chart.labels])
    axes.invert_yaxis()
    axes.set_xticks([])
    texts = chart.texts or tuple(f"{value:g}" for value in values)
    top = max([*values, 1])
    for position, (value, text) in enumerate(zip(values, texts, strict=True)):
        axes.text(value + top * 0.01, position, text, va="center")
    axes.set_xlim(0, top * 1.2)
    figure.tight_layout()
    return _svg(figure)


@svg.register
def _(chart: StackedRows) -> str:
    categories = len(chart.categories)
    palette = PALETTE
    if chart.diverging and categories <= 5:
        palette = DIVERGING if categories != 4 else [DIVERGING[i] for i in (0, 1, 3, 4)]
    labels = []
    for number, row in enumerate(chart.rows):
        mark = ""
        if chart.correct is not None and chart.correct[number] is not None:
            mark = f"  ✓ {chart.categories[chart.correct[number]]}"
        labels.append(_wrapped(row) + mark)
    height = 0.55 * len(chart.rows) + 0.9
    figure = Figure(figsize=(WIDTH_INCHES, height))
    axes = _axes_without_frame(figure)
    positions = list(range(len(chart.rows)))
    left = [0.0] * len(chart.rows)
    row_shares, withheld_shares = shares_of_rows(chart.tallies, chart.withheld)
    for index, category in enumerate(chart.categories):
        shares = [row[index] for row in row_shares]
        colour = palette[index % len(palette)]
        axes.barh(positions, shares, left=left, color=colour, height=0.6, label=category)
        for position, (start, share) in enumerate(zip(left, shares, strict=True)):
            if share >= 8 and chart.tallies[position][index] is not None:
                dark = colour in ("#0072B2", "#D55E00", "#000000", "#009E73")
                axes.text(
                    start + share / 2,
                    position,
                    f"{share:.0f}%",
                    ha="center",
                    va="center",
                    color="white" if dark else "black",
                )
        left = [start + share for start, share in zip(left, shares, strict=True)]
    if chart.withheld is not None:
        # A private activity's small counts, each row's together, last and in grey.
        axes.barh(
            positions,
            withheld_shares,
            left=left,
            color=WITHHELD_COLOUR,
            height=0.6,
            label=WITHHELD_LABEL,
        )
        categories += 1  # one more entry in the legend
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.set_xlim(0, 100)
    # The legend across the top of the whole figure, so a long one is never cut at the side.
    figure.legend(loc="upper left", ncols=min(categories, 4), frameon=False)
    legend_rows = -(-categories // 4)
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.3 * legend_rows / height))
    return _svg(figure)


@svg.register
def _(chart: Cloud) -> str:
    layout = cloud_layout(chart.words)
    figure = Figure(figsize=(WIDTH_INCHES, 3.2))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    for word in layout.words:
        # The projector's sizes are for a wall; a third of them reads well on paper.
        axes.text(
            word.x,
            word.y,
            word.text,
            fontsize=word.size / 3,
            color=word.colour,
            ha="center",
            va="center",
        )
    axes.set_xlim(-layout.span_x, layout.span_x)
    axes.set_ylim(-layout.span_y, layout.span_y)
    return _svg(figure)
