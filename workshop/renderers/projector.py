"""A result on the projector: the kind's chart as a figure, or its lines as cards; and how much
of the slide its heading and its text take, so that what is drawn fits the screen.

Only what the Result holds is drawn; suppression happened before (room/results.py). A count a
private activity withholds is said in words ("fewer than 3"), and so are its passes.

A projector cannot scroll, and the screen page cannot measure its text before drawing it: the
heights here are estimates from the screen's own type (dashboard/screen.py's stylesheet, sizes
for a 1080-line screen) and a generous width per character, so that they err on the side of
room left over. A reading too long for its slide at the usual size is set smaller, one step at
a time, never below the wall's smallest type (READING_SIZES).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from workshop.activities import ActivitySpec
from workshop.activities.base import Count, Place, Reading, Text, Withheld
from workshop.i18n import gettext as _
from workshop.renderers import charts
from workshop.room import vocabulary
from workshop.room.results import Result


def figure(result: Result, room: float | None = None, *, caption: bool = True) -> go.Figure | None:
    """The projector's figure, with how many answered and passed beneath it; None when the
    result is hidden or its kind shows cards instead. `room`: the height the slide has left
    for it (`chart_room`), where known: the figure is that tall, a word cloud's words are laid
    out for it, a stacked chart's labels wrap to fit their rows in it. `caption`: the line of
    how many answered and passed under the chart (False: the page writes it, beside the
    legend)."""
    if result.chart is None:
        return None
    drawn = charts.draw(result.chart, room)
    if not caption:
        return drawn
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


# How much of the slide text takes --------------------------------------------------------------

# The screen's sizes, in pixels of a 1080-line screen (dashboard/screen.py's stylesheet): the
# slide (the window less its margins), its width, and the heading's column beside the corner.
SLIDE_HEIGHT = 1040
SLIDE_WIDTH = 1824
HEADING_WIDTH = 1500
# Between two of the page's elements: Streamlit's gap, in pixels of the window whatever its size.
GAP = 16
# A line of each kind of text (font size times line height), and the characters a line holds
# (its width over the type's size times an average character's width: Source Sans measures
# 0.41 of its size, 0.46 in bold; a little more, so that estimates never run short).
CHARACTER = 0.44
BOLD_CHARACTER = 0.47
EYEBROW_LINE = 32 * 1.6
TITLE_SIZE, TITLE_LINE = 64, 64 * 1.1
PROMPT_SIZE, PROMPT_LINE = 40, 40 * 1.25
# A note (a content note in the heading's column, an explanation across the slide): its type,
# and its frame (a border and padding) around the text, across and down.
NOTE_SIZE, NOTE_LINE, NOTE_ACROSS, NOTE_DOWN = 36, 36 * 1.3, 58, 24
# The corner beside the heading: the address and the code, and a timer under them (counted
# always, so that starting a timer never moves the slide's text).
CORNER_HEIGHT = 101 + 96
READING_LINE = 1.3  # times the reading's size
PARAGRAPH_GAP = 20
LIST_INDENT = 48
# A slide's reading at the size that fits it: the first of these (44 pixels, the usual size)
# under which all of it fits below the heading; never below 32, the wall's smallest type.
READING_SIZES = (44, 40, 36, 32)
# The legend the page writes over a chart: its type, its line, and an entry's swatch and gap.
LEGEND_SIZE, LEGEND_LINE, LEGEND_ENTRY = 32, 32 * 1.6, 30 + 14 + 48
# What an estimate keeps in hand for what it cannot know (a word that wraps early).
SPARE = 12


def lines(text: str, width: float, size: float, *, bold: bool = False) -> int:
    """About how many lines `text` takes in a column `width` pixels wide at font size `size`,
    wrapped between words as a browser does."""
    per_line = max(1, int(width / (size * (BOLD_CHARACTER if bold else CHARACTER))))
    return max(1, len(textwrap.wrap(" ".join(text.split()), per_line, break_long_words=True)))


def heading_height(activity: ActivitySpec, scale: float = 1.0, *, with_note: bool = True) -> float:
    """The height the heading row takes (the place in the deck, the title, the prompt and
    the content note; the corner beside them), in pixels of a 1080-line screen. `scale`: the
    window's (Streamlit's gaps do not follow it)."""
    gap = GAP / scale
    height = EYEBROW_LINE + TITLE_LINE * lines(activity.title, HEADING_WIDTH, TITLE_SIZE, bold=True)
    if activity.prompt:
        height += PROMPT_LINE * lines(activity.prompt, HEADING_WIDTH, PROMPT_SIZE)
    if activity.content_note and with_note:
        height += gap + note_height(activity.content_note, HEADING_WIDTH)
    return max(height, CORNER_HEIGHT + gap)


def note_height(note: str, width: float = SLIDE_WIDTH) -> float:
    """A note's box, framed, in a column `width` pixels wide (an explanation: the slide's)."""
    return NOTE_DOWN + NOTE_LINE * lines(note, width - NOTE_ACROSS, NOTE_SIZE)


def room_below_heading(
    activity: ActivitySpec, scale: float = 1.0, *, with_note: bool = True
) -> float:
    """The height the slide has left under its heading, in pixels of a 1080-line screen."""
    return SLIDE_HEIGHT - heading_height(activity, scale, with_note=with_note) - GAP / scale


def reading_height(reading: Reading, size: int) -> float:
    """The height a slide's reading takes at font size `size`: its paragraphs, and its list
    under its heading (support resources)."""
    line = size * READING_LINE
    blocks = [line * lines(text, SLIDE_WIDTH, size) for text in reading.paragraphs]
    if reading.items:
        blocks.append(line * lines(reading.list_heading, SLIDE_WIDTH, size, bold=True))
        blocks.append(
            sum(line * lines(item, SLIDE_WIDTH - LIST_INDENT, size) for item in reading.items)
        )
    return sum(blocks) + PARAGRAPH_GAP * max(len(blocks) - 1, 0)


def reading_size(activity: ActivitySpec, reading: Reading, scale: float = 1.0) -> int:
    """The size of a slide's reading: the largest of READING_SIZES at which it fits under the
    heading, else the smallest (a reading longer than any slide holds: see the deck checks)."""
    room = room_below_heading(activity, scale) - SPARE
    for size in READING_SIZES:
        if reading_height(reading, size) <= room:
            return size
    return READING_SIZES[-1]


def chart_room(
    activity: ActivitySpec, notes: Sequence[str], legend: Sequence[str] = (), scale: float = 1.0
) -> float:
    """The height a chart may take on the slide: under the heading and its legend (`legend`:
    its entries, the page's own text), above the notes shown with it. With an explanation
    shown, the heading leaves out the content note (read before the room answered)."""
    gap = GAP / scale
    above = legend_height(legend) + gap if legend else 0
    below = sum(gap + note_height(note) for note in notes)
    heading = room_below_heading(activity, scale, with_note=not notes)
    return heading - above - below - SPARE


def legend_height(entries: Sequence[str]) -> float:
    """The page's legend across the slide: a swatch and a name each, wrapping as they must."""
    rows, used = 1, 0.0
    for entry in entries:
        width = LEGEND_ENTRY + LEGEND_SIZE * CHARACTER * len(entry)
        if used and used + width > SLIDE_WIDTH:
            rows, used = rows + 1, 0.0
        used += width
    return rows * LEGEND_LINE
