"""Plotly figures in the projector's style: type read from the back of a room, calm colours.

A kind says what to draw as data (`Bars`, `StackedRows`, `Cloud`, in activities/base.py);
`draw` turns it into a figure with one of these builders, so that the whole deck looks like one
piece on the wall.

Every size here is for a 1920 x 1080 screen, the smallest text 32 pixels; the screen page
multiplies them by its own scale (`scaled`). Colours: no answer ever looks like a bad one.
Answers that are categories get Okabe & Ito's colour-blind-safe set, answers on an ordered scale
(how often, how strongly) a ramp of one hue from light to dark, and every text meets WCAG AA
contrast on whatever it is drawn on. A battery whose statements read different ways is drawn in
groups, each under its heading ("Patterns to notice", "Strengths"): the same ramp for both, and
the heading, not a colour, says which way "Almost always" reads.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from workshop.activities.base import Bars, Chart, Cloud, StackedRows
from workshop.i18n import gettext
from workshop.room import vocabulary

# Colours -----------------------------------------------------------------------------------

BACKGROUND = "#FFFFFF"
INK = "#1A1A1A"  # text: 17:1 on white
QUIET_INK = "#3D3D3D"  # secondary text (the tally): 11:1 on white, still far above AA
# Categories (a knowledge check's True / False / Unsure, a sort's categories): Okabe & Ito's
# set, which every common colour-vision deficiency tells apart, in the phones' order (their
# stylesheet, web/participant/static/tandem.css), so that an answer has one colour on the wall,
# on the phone and in the report: blue and orange first, sky blue for the third (in every deck
# the "unsure" or "it depends" one); green and vermilion, which could read as right and wrong,
# never as the first pair, and vermilion last.
CATEGORICAL = [
    "#0072B2",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#CC79A7",
    "#F0E442",
    "#D55E00",
]
# One bar per option (single and multiple choice, ranking): one calm hue; the labels tell the
# bars apart, and no option is singled out by its colour.
BAR_COLOUR = "#0072B2"
# Ordered answers (a scale's points, a battery's "rarely" to "almost always"): one hue from
# light to dark. Lightness is what every colour vision keeps, and a ramp has no bad end.
RAMP_LIGHT = "#C6DBEF"
RAMP_DARK = "#08306B"
# The part of a bar a private activity does not show (its small counts together): light grey,
# hatched, apart from every colour above, and said in the legend in the room's words.
WITHHELD_COLOUR = "#D9D9D9"
WITHHELD_LABEL = vocabulary.NOT_SHOWN
# How much of a category's colour an answer that is not the right one keeps once a knowledge
# check is revealed: the right answer stays in full colour and stands out.
MUTED = 0.6
CORRECT_MARK = "✓"

# Type, in pixels on a 1920 x 1080 screen -----------------------------------------------------

FONT_SIZE = 34  # labels, and (in bold) the numbers on and beside the bars
LEGEND_SIZE = 32
CAPTION_SIZE = 32  # the "answered · passed" line
CAPTION_BAND = CAPTION_SIZE + 28  # the margin under a chart that holds it
SMALLEST_TEXT = 32  # plotly hides a number inside a bar rather than shrink it below this
# The dashboard's own typeface (Streamlit serves it), so that chart and page read as one.
FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif'
# A cloud's words run from the smallest text to at most this (a few words fill the space, many
# share it); at most CLOUD_WORDS of them, the most frequent: more would not be read on a wall.
CLOUD_LARGEST = 200
CLOUD_WORDS = 40
# A word cloud is drawn one pixel of its layout to one pixel of a 1080p screen (so that words
# never overlap, whatever their size): a figure as tall as the room it has on the screen
# (CLOUD_HEIGHT where that is not known: previews, the golden files), whose plotting area is at
# least CLOUD_PLOT_WIDTH wide (the screen's width less its margins), and the words laid out
# within a box a little smaller than that area (`cloud_box`).
CLOUD_HEIGHT = 700
CLOUD_MARGIN = {"l": 16, "r": 40, "t": 16, "b": CAPTION_BAND}
CLOUD_PLOT_WIDTH = 1920 - 2 * 48 - CLOUD_MARGIN["l"] - CLOUD_MARGIN["r"]
CLOUD_BOX_WIDTH = 1700
# Below this a cloud has no room for its words: the figure keeps at least this height.
CLOUD_LOWEST = 320
# The least height of bars and stacked rows drawn for the screen's room: a slide whose own words
# leave less (a long prompt, a long title, at a small scale) gets a chart that still reads,
# never one plotly refuses (under 10 pixels) or none at all.
CHART_LOWEST = 240
# A cloud's colours: dark enough for AA contrast on white (every one at least 6:1), different
# enough to tell neighbouring words apart.
CLOUD_COLOURS = ["#0B4F8A", "#8A4500", "#0E6650", "#7A2E6E", "#333333", "#1F5F99"]
# A figure's height where the screen's room for it is not known (previews, the review).
NOMINAL_HEIGHT = 560
# The width a chart has on the screen (1920 less the slide's margins), and about how wide a
# character of the labels' type is (Source Sans measures 0.41 of its size on average; a little
# more, so that an estimate never runs short).
SCREEN_WIDTH = 1920 - 2 * 48
CHARACTER_WIDTH = 0.45
# A line of a label that wraps (plotly sets lines 1.3 of the font size apart), and the height
# of a label's type from the top of its first line to the foot of its last (`label_height`).
LABEL_LINE = 1.3 * FONT_SIZE
LABEL_TYPE = 1.2 * FONT_SIZE
# The options' labels beside single bars wrap at this many characters: about a third of the
# screen, so that the bars have the rest.
BAR_LABEL_WIDTH = 40
# A stacked chart's rows share at least this height on a 1080-line screen (what is left under a
# title, a prompt, the legend and an explanation of three lines): each label must fit its row's
# share of it, or it runs into the next. Labels wrap at STATEMENT_WIDTH characters, wider where
# that keeps them within their share, up to about half the screen (STATEMENT_WIDTH_MOST).
ROWS_HEIGHT = 480
# A stacked chart's margins on the screen, above and below its rows: its legend and the line of
# how many answered are the page's own text there, above it.
ROWS_MARGINS = 8 + 8
STATEMENT_WIDTH = 48
STATEMENT_WIDTH_MOST = 66


def _channels(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_on(fill: str) -> str:
    """The text colour that reads best on `fill`: near-black or white."""
    return INK if contrast(INK, fill) >= contrast("#FFFFFF", fill) else "#FFFFFF"


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` of `other` mixed in (0: colour itself, 1: other)."""
    mixed = [
        round(one + (two - one) * share)
        for one, two in zip(_channels(colour), _channels(other), strict=True)
    ]
    return "#" + "".join(f"{channel:02X}" for channel in mixed)


def ramp(count: int) -> list[str]:
    """`count` steps from RAMP_LIGHT to RAMP_DARK, evenly spaced."""
    if count <= 1:
        return [mix(RAMP_LIGHT, RAMP_DARK, 0.6)]
    return [mix(RAMP_LIGHT, RAMP_DARK, step / (count - 1)) for step in range(count)]


def categorical(count: int) -> list[str]:
    return [CATEGORICAL[index % len(CATEGORICAL)] for index in range(count)]


# Layout --------------------------------------------------------------------------------------


def _layout(figure: go.Figure, height: int = NOMINAL_HEIGHT) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 16, "r": 40, "t": 16, "b": 16},
        font={"size": FONT_SIZE, "family": FONT_FAMILY, "color": INK},
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        showlegend=False,
        # A number that does not fit inside its bar at the smallest size is left out (the
        # legend and the other numbers still say it), never drawn smaller.
        uniformtext={"minsize": SMALLEST_TEXT, "mode": "hide"},
    )
    return figure


def scaled(figure: go.Figure, factor: float) -> go.Figure:
    """The figure with its height, margins and every size of type multiplied by `factor`: the
    screen page's scale (a projector smaller than 1080 lines), or a preview's."""
    if factor == 1:
        return figure
    layout = figure.layout
    figure.update_layout(
        height=round((layout.height or NOMINAL_HEIGHT) * factor),
        font_size=(layout.font.size or FONT_SIZE) * factor,
        margin={side: (getattr(layout.margin, side) or 0) * factor for side in "lrtb"},
    )
    if layout.uniformtext.minsize:
        figure.update_layout(uniformtext_minsize=layout.uniformtext.minsize * factor)
    if layout.legend.font.size:
        figure.update_layout(legend_font_size=layout.legend.font.size * factor)
    for axis in (layout.xaxis, layout.yaxis):
        if axis.tickfont.size:
            axis.tickfont.size *= factor
        if axis.ticklabelstandoff:
            axis.ticklabelstandoff = round(axis.ticklabelstandoff * factor)
    for annotation in layout.annotations:
        if annotation.font.size:
            annotation.font.size *= factor
        if annotation.xshift:
            annotation.xshift *= factor
    for trace in figure.data:
        marker = getattr(trace, "marker", None)
        if trace.type == "bar" and marker is not None:
            # A right answer's outline and the hatching of what is not shown, in proportion.
            if isinstance(marker.line.width, int | float):
                marker.line.width *= factor
            elif marker.line.width is not None:
                marker.line.width = [width * factor for width in marker.line.width]
            if marker.pattern.size:
                marker.pattern.size *= factor
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


def _text_width(text: str, size: float, *, bold: bool = True) -> float:
    """About how wide `text` is in pixels at font size `size` (a generous estimate)."""
    return (0.62 if bold else CHARACTER_WIDTH) * size * len(text)


def _lines(label: str) -> int:
    return label.count("<br>") + 1


def label_height(label: str) -> float:
    """How tall an axis label is drawn (plotly's lines, `<br>` apart), in pixels at 1080 lines:
    labels centred on rows this far apart or more never touch."""
    return (_lines(label) - 1) * LABEL_LINE + LABEL_TYPE


def statement_width(
    rows: Sequence[str], extra_lines: Sequence[int], places: int, height: float = ROWS_HEIGHT
) -> int:
    """The characters a line of a stacked chart's row labels holds: STATEMENT_WIDTH where
    every label then fits its row's share of `height` (`places` rows, headings included;
    `extra_lines`: each label's line of passes, if any), else as much wider as it takes, up
    to STATEMENT_WIDTH_MOST (about half the screen)."""
    share = height / max(places, 1)
    for width in range(STATEMENT_WIDTH, STATEMENT_WIDTH_MOST + 1, 2):
        if all(
            label_height(wrap(row, width)) + extra * LABEL_LINE <= share
            for row, extra in zip(rows, extra_lines, strict=True)
        ):
            return width
    # Too long to fit at any sensible width: the fewest lines, at the widest.
    return STATEMENT_WIDTH_MOST


@functools.singledispatch
def draw(chart: Chart, room: float | None = None) -> go.Figure:
    """The projector's figure for a kind's chart. `room`: the height the screen has for it,
    in pixels of a 1080-line screen, where known: the figure is that tall (a word cloud never
    under CLOUD_LOWEST), so that the screen draws it once, at its height; a word cloud is laid
    out for it, and a stacked chart's labels wrap to fit their rows in it."""
    raise TypeError(f"no figure for {type(chart).__name__}")


@draw.register
def _(chart: Bars, room: float | None = None) -> go.Figure:
    # A scale's points are one distribution, in order: a ramp, darker towards the last point.
    colours = ramp(len(chart.labels)) if chart.ordered else None
    figure = bars(chart.labels, chart.values, texts=chart.texts, colours=colours)
    if room is not None:
        figure.update_layout(height=round(max(room, CHART_LOWEST)))
    return figure


@draw.register
def _(chart: StackedRows, room: float | None = None) -> go.Figure:
    return stacked_rows(
        chart.rows,
        chart.categories,
        chart.tallies,
        ordered=chart.ordered,
        correct=chart.correct,
        withheld=chart.withheld,
        passes=chart.passes,
        headings=chart.headings(),
        room=None if room is None else max(room, CHART_LOWEST),
    )


@draw.register
def _(chart: Cloud, room: float | None = None) -> go.Figure:
    return word_cloud(chart.words, room)


def bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    texts: Sequence[str] | None = None,
    colour: str = BAR_COLOUR,
    colours: Sequence[str] | None = None,
) -> go.Figure:
    """Horizontal bars, first label at the top, each number beside its bar; `texts` replace
    the numbers. `colours` gives each bar its own (a scale's ramp), else all are `colour`.

    A value of None (withheld) has no bar; its text says why.
    """
    drawn = [0 if value is None else value for value in values]
    shown = list(texts) if texts is not None else [f"{value:g}" for value in drawn]
    wrapped = [wrap(label, BAR_LABEL_WIDTH) for label in labels]
    figure = go.Figure(
        go.Bar(
            x=drawn,
            y=wrapped,
            orientation="h",
            marker_color=list(colours) if colours is not None else [colour] * len(labels),
            text=shown,
            textposition="outside",
            textfont={"color": INK, "weight": "bold"},
            cliponaxis=False,
        )
    )
    figure.update_yaxes(
        autorange="reversed",
        automargin=True,
        tickfont={"color": INK},
        ticklabelstandoff=12,
    )
    # Room beside each bar for its own number: the longest bar reaches across the screen
    # unless its number needs the room (the words of a withheld count stand where no bar is).
    label_width = max(
        (
            _text_width(line, FONT_SIZE, bold=False)
            for label in wrapped
            for line in label.split("<br>")
        ),
        default=0,
    )
    bars_width = max(SCREEN_WIDTH - label_width - 80, 200)
    reach = max(
        (
            value * bars_width / max(bars_width - _text_width(text, FONT_SIZE) - 24, 1)
            for value, text in zip(drawn, shown, strict=True)
        ),
        default=0,
    )
    figure.update_xaxes(visible=False, range=[0, max(reach, max(drawn, default=0), 1)])
    # Bars about as thick whatever their number: two options do not fill the screen with blue.
    figure.update_layout(bargap=max(0.28, 1 - 0.18 * len(labels)))
    # The height where the screen's room is not known (previews, the review): `draw` gives
    # the screen's figure the height of its room.
    return _layout(figure, height=max(360, 120 * len(labels) + 80))


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


def row_colours(categories: int, ordered: bool) -> list[str]:
    """The colour of each category of a stacked row: a ramp if ordered, else categorical."""
    return ramp(categories) if ordered else categorical(categories)


def passed_words(passes: Sequence[int | None] | None) -> list[str]:
    """What each row says of its passes ("2 passed"), for rows that can be passed on their own:
    nothing where none passed, or where a private activity does not count them."""
    if passes is None:
        return []
    return ["" if count is None or count == 0 else vocabulary.passed(count) for count in passes]


def stacked_rows(
    rows: Sequence[str],
    categories: Sequence[str],
    tallies: Sequence[Sequence[int | None]],
    *,
    ordered: bool = False,
    correct: Sequence[int | None] | None = None,
    withheld: Sequence[int] | None = None,
    passes: Sequence[int | None] | None = None,
    headings: Sequence[str] | None = None,
    room: float | None = None,
) -> go.Figure:
    """One bar per row (statement, vignette) split into its answer categories, as shares.

    `ordered` categories (how often) run in a ramp of one hue, left to right. `correct` (a
    revealed knowledge check) keeps each row's right answer in full colour, outlined and marked
    with a check mark inside the bar and in bold beside it, and mutes the others. `withheld`
    (a private activity's small counts, each row's together) is drawn last, hatched grey.
    `passes` (rows passed on their own) are said under each row's label ("2 passed"), never
    drawn as a part of its bar. `headings` (one per row, "" for none) start a group of rows:
    a line of its own, in bold, where the bars begin. `room`: the figure's height on the
    screen, where known: the figure is that tall, and its rows share it less the margins (else
    they count on ROWS_HEIGHT).
    """
    colours = row_colours(len(categories), ordered)
    shares, withheld_shares = shares_of_rows(tallies, withheld)
    headings = list(headings) if headings is not None else [""] * len(rows)
    passed = passed_words(passes) or [""] * len(rows)
    # Lines long enough that no label runs into the next row's: more rows, longer lines.
    places = len(rows) + sum(1 for heading in headings if heading)
    rows_height = ROWS_HEIGHT if room is None else room - ROWS_MARGINS
    width = statement_width(rows, [1 if words else 0 for words in passed], places, rows_height)
    labels = [wrap(row, width) for row in rows]
    share = rows_height / max(places, 1)
    # Still too tall for their rows at the widest: the labels at the wall's smallest type.
    crowded = any(
        label_height(label) + (LABEL_LINE if words else 0) > share
        for label, words in zip(labels, passed, strict=True)
    )
    for number, words in enumerate(passed):
        if words:
            labels[number] += f'<br><span style="color:{QUIET_INK}">{words}</span>'
    # A heading is a row of the axis with no bar: a label of invisible characters, as many as
    # make it unique, and the heading written over the empty row.
    heading_rows = {}
    order = []
    for number, heading in enumerate(headings):
        if heading:
            blank = "\u200b" * (len(heading_rows) + 1)
            heading_rows[blank] = heading
            order.append(blank)
        order.append(labels[number])
    figure = go.Figure()
    if heading_rows:
        figure.add_trace(
            go.Bar(
                y=list(heading_rows),
                x=[0] * len(heading_rows),
                orientation="h",
                marker={"color": "rgba(0,0,0,0)"},  # places the rows; draws nothing
                showlegend=False,
                hoverinfo="skip",
            )
        )
    for index, category in enumerate(categories):
        fills, outlines, texts = [], [], []
        for number, (row_shares, tally) in enumerate(zip(shares, tallies, strict=True)):
            right = correct is not None and correct[number] == index
            muted = correct is not None and correct[number] is not None and not right
            fills.append(mix(colours[index], BACKGROUND, MUTED) if muted else colours[index])
            outlines.append(4 if right else 0)
            share = row_shares[index]
            text = f"{share:.0f}%" if share >= 6 and tally[index] is not None else ""
            texts.append(f"{CORRECT_MARK} {text}".strip() if right and text else text)
        figure.add_trace(
            go.Bar(
                name=category,
                y=labels,
                x=[row[index] for row in shares],
                orientation="h",
                marker={"color": fills, "line": {"color": INK, "width": outlines}},
                text=texts,
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,  # a number that does not fit is left out, never turned on its side
                textfont={"color": [ink_on(fill) for fill in fills], "weight": "bold"},
                hoverinfo="skip",
            )
        )
    if correct is not None:
        # A revealed row mutes the parts that are not its answer, and a legend shows a trace's
        # first part: each category's full colour goes in the legend on its own, with no bar.
        figure.update_traces(showlegend=False)
        for index, category in enumerate(categories):
            figure.add_trace(
                go.Bar(
                    name=category,
                    y=[labels[0]],
                    x=[None],
                    orientation="h",
                    marker={"color": colours[index]},
                    hoverinfo="skip",
                )
            )
    if withheld is not None:
        figure.add_trace(
            go.Bar(
                name=gettext(WITHHELD_LABEL),
                y=labels,
                x=withheld_shares,
                orientation="h",
                marker={
                    "color": WITHHELD_COLOUR,
                    "pattern": {"shape": "/", "fgcolor": "#8C8C8C", "size": 14},
                },
                hoverinfo="skip",
            )
        )
    figure.update_layout(barmode="stack", bargap=0.3)
    figure.update_yaxes(
        autorange="reversed",
        automargin=True,
        tickfont={"color": INK, "size": SMALLEST_TEXT if crowded else None},
        ticklabelstandoff=12,
    )
    if heading_rows:
        figure.update_yaxes(categoryorder="array", categoryarray=order)
    figure.update_xaxes(visible=False, range=[0, 100])
    for blank, heading in heading_rows.items():
        figure.add_annotation(
            text=f"<b>{heading}</b>",
            x=0,
            xref="x domain",
            xanchor="left",
            y=blank,
            yref="y",
            yanchor="middle",
            showarrow=False,
            font={"color": INK},
        )
    nominal = min(900, max(400, 110 * len(order) + 120))  # previews, the review
    _layout(figure, height=nominal if room is None else round(room))
    right_margin = 40
    if correct is not None:
        # The right answer in words at the end of each bar, in bold: read from the back.
        marks = [
            f"{CORRECT_MARK} {categories[index]}" if index is not None else "" for index in correct
        ]
        for label, mark in zip(labels, marks, strict=True):
            figure.add_annotation(
                text=f"<b>{mark}</b>",
                x=1,
                xref="x domain",
                xanchor="left",
                xshift=16,
                y=label,
                yref="y",
                showarrow=False,
                font={"color": INK},
            )
        right_margin = round(_text_width(max(marks, key=len), FONT_SIZE)) + 40
    figure.update_layout(
        showlegend=True,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "font": {"size": LEGEND_SIZE, "color": INK},
            "traceorder": "normal",
            "itemsizing": "constant",
        },
        margin={"t": 64, "r": right_margin},
    )
    return figure


@dataclass(frozen=True)
class PlacedWord:
    text: str
    x: float
    y: float
    size: float  # font size in pixels, on a 1080p projector
    colour: str


@dataclass(frozen=True)
class CloudLayout:
    words: tuple[PlacedWord, ...]
    span_x: float  # the words lie within -span_x..span_x
    span_y: float


# The places a word may take, in order: an Archimedean spiral out from the centre, in steps
# of 0.15 radians, far enough to leave any box a screen has.
_SPIRAL_ANGLES = np.arange(0, 600, 0.15)
_SPIRAL_RADII = 4 * _SPIRAL_ANGLES


def _spiral(chosen: Sequence[tuple[str, int]], largest: float, flatness: float) -> list[PlacedWord]:
    """Each word at the first place along a spiral from the centre (`flatness`: its height to
    its width, the box's) where its box overlaps none placed before; sizes from SMALLEST_TEXT to
    `largest` by frequency. Every place is tried at once (numpy), not one by one."""
    top = max(count for _, count in chosen)
    xs = _SPIRAL_RADII * np.cos(_SPIRAL_ANGLES)
    ys = flatness * _SPIRAL_RADII * np.sin(_SPIRAL_ANGLES)
    placed = np.empty((0, 4))
    laid_out = []
    for number, (word, count) in enumerate(chosen):
        size = SMALLEST_TEXT + (largest - SMALLEST_TEXT) * math.sqrt(count / top)
        # A word's box in pixels: about 0.6 of the font size per character, plus a gap.
        half_width, half_height = (0.6 * size * len(word) + 16) / 2, size * 1.15 / 2
        overlaps = (
            (xs[:, None] + half_width >= placed[None, :, 0])
            & (xs[:, None] - half_width <= placed[None, :, 2])
            & (ys[:, None] + half_height >= placed[None, :, 1])
            & (ys[:, None] - half_height <= placed[None, :, 3])
        ).any(axis=1)
        free = np.flatnonzero(~overlaps)
        step = int(free[0]) if free.size else len(xs) - 1
        x, y = float(xs[step]), float(ys[step])
        box = [x - half_width, y - half_height, x + half_width, y + half_height]
        placed = np.vstack([placed, box])
        laid_out.append(PlacedWord(word, x, y, size, CLOUD_COLOURS[number % len(CLOUD_COLOURS)]))
    return laid_out


def _spans(words: Sequence[PlacedWord]) -> tuple[float, float]:
    span_x = max(abs(word.x) + (0.6 * word.size * len(word.text) + 16) / 2 for word in words)
    span_y = max(abs(word.y) + word.size * 1.15 / 2 for word in words)
    return span_x + 8, span_y + 8


def cloud_box(height: float = CLOUD_HEIGHT) -> tuple[float, float]:
    """The box a cloud's words are laid out in, for a figure `height` pixels tall."""
    return (CLOUD_BOX_WIDTH, height - CLOUD_MARGIN["t"] - CLOUD_MARGIN["b"] - 24)


def cloud_layout(
    words: Sequence[tuple[str, int]], box: tuple[float, float] | None = None
) -> CloudLayout:
    """Words sized by how often they were given, laid out on a spiral from the centre, within
    `box` (pixels on a 1080p screen).

    A real word cloud without an extra dependency. When the words do not fit the box, the
    largest size comes down (never the smallest, the wall's minimum), then the least frequent
    words are left out. The projector (plotly) and the report (SVG) draw the same layout.
    """
    # The screen redraws every second: the same words are laid out once.
    return _cloud_layout(tuple(words), box or cloud_box())


@functools.lru_cache(maxsize=32)
def _cloud_layout(words: tuple[tuple[str, int], ...], box: tuple[float, float]) -> CloudLayout:
    chosen = list(words)[:CLOUD_WORDS]
    if not chosen:
        return CloudLayout((), 1.0, 1.0)
    flatness = box[1] / box[0]

    def fitted(largest: float) -> CloudLayout | None:
        laid_out = _spiral(chosen, largest, flatness)
        span_x, span_y = _spans(laid_out)
        if span_x <= box[0] / 2 and span_y <= box[1] / 2:
            return CloudLayout(tuple(laid_out), span_x, span_y)
        return None

    while True:
        if found := fitted(CLOUD_LARGEST):
            return found
        # The largest size that fits, to within a few pixels (never below 1.5 times the
        # smallest: then words are left out instead, the least frequent first).
        low, high, best = SMALLEST_TEXT * 1.5, CLOUD_LARGEST, fitted(SMALLEST_TEXT * 1.5)
        if best is not None:
            while high - low > 4:
                middle = (low + high) / 2
                if found := fitted(middle):
                    low, best = middle, found
                else:
                    high = middle
            return best
        if len(chosen) == 1:  # one word too long for the box even at the smallest size
            laid_out = _spiral(chosen, SMALLEST_TEXT, flatness)
            return CloudLayout(tuple(laid_out), *_spans(laid_out))
        chosen = chosen[: max(1, len(chosen) * 9 // 10)]


def word_cloud(words: Sequence[tuple[str, int]], height: float | None = None) -> go.Figure:
    """The projector's word cloud: the spiral layout drawn as plotly text, one pixel of the
    layout to (at least) one pixel of the screen, so that no two words ever overlap. `height`:
    the room the screen has for it, in pixels of a 1080-line screen (CLOUD_HEIGHT if None)."""
    height = round(max(CLOUD_LOWEST, height or CLOUD_HEIGHT))
    layout = cloud_layout(words, cloud_box(height))
    figure = go.Figure()
    if not layout.words:
        return _layout(figure)
    figure.add_trace(
        go.Scatter(
            x=[word.x for word in layout.words],
            y=[word.y for word in layout.words],
            text=[word.text for word in layout.words],
            mode="text",
            textfont={
                "size": [word.size for word in layout.words],
                "color": [word.colour for word in layout.words],
                "weight": "bold",
            },
            hoverinfo="skip",
        )
    )
    plot_height = height - CLOUD_MARGIN["t"] - CLOUD_MARGIN["b"]
    figure.update_xaxes(visible=False, range=[-CLOUD_PLOT_WIDTH / 2, CLOUD_PLOT_WIDTH / 2])
    figure.update_yaxes(visible=False, range=[-plot_height / 2, plot_height / 2])
    _layout(figure, height=height)
    figure.update_layout(margin=CLOUD_MARGIN)
    return figure
