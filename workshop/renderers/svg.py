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
from matplotlib.patches import Patch

from workshop.activities.base import Bars, Chart, Cloud, StackedRows
from workshop.i18n import gettext
from workshop.renderers.charts import (
    BACKGROUND,
    BAR_COLOUR,
    CORRECT_MARK,
    MUTED,
    WITHHELD_COLOUR,
    WITHHELD_LABEL,
    cloud_layout,
    ink_on,
    mix,
    passed_words,
    ramp,
    row_colours,
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
    colours = ramp(len(chart.labels)) if chart.ordered else [BAR_COLOUR] * len(chart.labels)
    # A withheld value (None) has no bar; its text says why.
    values = [0 if value is None else value for value in chart.values]
    axes.barh(positions, values, color=colours, height=0.6)
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
    palette = row_colours(categories, chart.ordered)
    correct = chart.correct or (None,) * len(chart.rows)
    passed = passed_words(chart.passes) or [""] * len(chart.rows)
    labels = []
    for number, row in enumerate(chart.rows):
        mark = ""
        if correct[number] is not None:
            mark = f"  {CORRECT_MARK} {chart.categories[correct[number]]}"
        labels.append(_wrapped(row) + mark + (f"\n({passed[number]})" if passed[number] else ""))
    # A group's heading takes a row of its own, with no bar, written where the bars begin.
    positions: list[int] = []
    headings: list[tuple[int, str]] = []
    place = 0
    for heading in chart.headings():
        if heading:
            headings.append((place, heading))
            place += 1
        positions.append(place)
        place += 1
    height = 0.55 * place + 0.9
    figure = Figure(figsize=(WIDTH_INCHES, height))
    axes = _axes_without_frame(figure)
    left = [0.0] * len(chart.rows)
    row_shares, withheld_shares = shares_of_rows(chart.tallies, chart.withheld)
    for index, category in enumerate(chart.categories):
        shares = [row[index] for row in row_shares]
        colour = palette[index]
        # Once a knowledge check is revealed, each row's right answer keeps its full colour,
        # outlined and marked; the others are muted, as on the projector.
        right = [correct[number] == index for number in range(len(chart.rows))]
        fills = [
            colour if is_right or correct[number] is None else mix(colour, BACKGROUND, MUTED)
            for number, is_right in enumerate(right)
        ]
        axes.barh(
            positions,
            shares,
            left=left,
            color=fills,
            height=0.6,
            label=category,
            edgecolor="#1A1A1A",
            linewidth=[1.5 if is_right else 0 for is_right in right],
        )
        for number, (start, share) in enumerate(zip(left, shares, strict=True)):
            if share >= 8 and chart.tallies[number][index] is not None:
                mark = f"{CORRECT_MARK} " if right[number] else ""
                axes.text(
                    start + share / 2,
                    positions[number],
                    f"{mark}{share:.0f}%",
                    ha="center",
                    va="center",
                    color=ink_on(fills[number]),
                )
        left = [start + share for start, share in zip(left, shares, strict=True)]
    if chart.withheld is not None:
        # A private activity's small counts, each row's together, last and in grey.
        axes.barh(
            positions,
            withheld_shares,
            left=left,
            color=WITHHELD_COLOUR,
            hatch="//",
            edgecolor="#8C8C8C",
            linewidth=0,
            height=0.6,
            label=gettext(WITHHELD_LABEL),
        )
        categories += 1  # one more entry in the legend
    for position, heading in headings:
        axes.text(0, position, heading, ha="left", va="center", fontweight="bold")
    axes.set_yticks(positions, labels)
    if headings:
        axes.set_ylim(place - 0.5, -0.5)  # first row at the top, headings' rows included
    else:
        axes.invert_yaxis()
    axes.set_xticks([])
    axes.set_xlim(0, 100)
    # The legend across the top of the whole figure, so a long one is never cut at the side;
    # each category in its own full colour (a revealed row's muted parts are not its colour).
    handles = [
        Patch(facecolor=palette[index], label=category)
        for index, category in enumerate(chart.categories)
    ]
    if chart.withheld is not None:
        handles.append(
            Patch(
                facecolor=WITHHELD_COLOUR,
                hatch="//",
                edgecolor="#8C8C8C",
                label=gettext(WITHHELD_LABEL),
            )
        )
    figure.legend(handles=handles, loc="upper left", ncols=min(categories, 4), frameon=False)
    legend_rows = -(-categories // 4)
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.3 * legend_rows / height))
    return _svg(figure)


@svg.register
def _(chart: Cloud) -> str:
    layout = cloud_layout(chart.words)
    height_inches = 3.2
    figure = Figure(figsize=(WIDTH_INCHES, height_inches))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    # The layout is in pixels of a wall; on paper every word keeps its place and its size in
    # proportion: the same scale on both axes, the words' box fitted to the figure's.
    half_x = max(layout.span_x, layout.span_y * WIDTH_INCHES / height_inches)
    half_y = half_x * height_inches / WIDTH_INCHES
    points = WIDTH_INCHES * 72 / (2 * half_x)  # points of type per pixel of the layout
    for word in layout.words:
        axes.text(
            word.x,
            word.y,
            word.text,
            # A little smaller than the layout's: paper's bold type runs wider than a wall's.
            fontsize=word.size * points * 0.8,
            fontweight="bold",
            color=word.colour,
            ha="center",
            va="center",
        )
    axes.set_xlim(-half_x, half_x)
    axes.set_ylim(-half_y, half_y)
    return _svg(figure)
