"""The projector's figures read from the back of a room: no text under 32 pixels on a 1080-line
screen, every text in AA contrast on what it is drawn on, colours that every colour vision
tells apart and that never make an answer look bad, and a revealed knowledge check whose
right answers stand out in the chart itself.

The rooms are the editor's made-up ones (tests/renderers/test_golden.py), for every kind.
"""

from __future__ import annotations

import colorsys
import dataclasses
import itertools
import re

import pytest

from tests.renderers.test_golden import ANSWERABLE, DECK
from workshop import PROJECT_FOLDER
from workshop.activities.base import Cloud, StackedRows
from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.curriculum.practice import Practice
from workshop.renderers import charts, projector
from workshop.room import vocabulary
from workshop.room.rehearsal import sample_result

CHARTED = [activity for activity in ANSWERABLE if sample_result(activity).chart is not None]
SMALLEST = 32  # pixels, on a 1920 x 1080 screen
AA = 4.5


def _figure(activity):
    return projector.figure(sample_result(activity))


def _text_sizes(figure) -> list[float]:
    """Every size of type the figure can draw text at."""
    layout = figure.layout
    sizes = [layout.font.size, layout.uniformtext.minsize]
    sizes += [annotation.font.size or layout.font.size for annotation in layout.annotations]
    if layout.showlegend:
        sizes.append(layout.legend.font.size or layout.font.size)
    for axis in (layout.xaxis, layout.yaxis):
        if axis.visible is not False:
            sizes.append(axis.tickfont.size or layout.font.size)
    for trace in figure.data:
        if trace.text is None or not any(trace.text):
            continue
        size = trace.textfont.size or layout.font.size
        sizes += list(size) if isinstance(size, tuple | list) else [size]
    return [size for size in sizes if size is not None]


@pytest.mark.parametrize("activity", CHARTED, ids=lambda activity: activity.kind)
def test_no_text_is_under_32_pixels_on_a_1080_line_screen(activity):
    figure = _figure(activity)
    sizes = _text_sizes(figure)
    assert sizes and min(sizes) >= SMALLEST
    # A smaller screen gets every size in proportion: two thirds on 720 lines.
    smaller = _text_sizes(charts.scaled(_figure(activity), 720 / 1080))
    assert sorted(smaller) == pytest.approx(sorted(size * 2 / 3 for size in sizes))


@pytest.mark.parametrize("activity", CHARTED, ids=lambda activity: activity.kind)
def test_every_text_is_in_aa_contrast_on_what_it_is_drawn_on(activity):
    figure = _figure(activity)
    background = figure.layout.paper_bgcolor
    assert figure.layout.plot_bgcolor == background
    colours = [figure.layout.font.color] + [a.font.color for a in figure.layout.annotations]
    for axis in (figure.layout.xaxis, figure.layout.yaxis):
        colours.append(axis.tickfont.color or figure.layout.font.color)
    for colour in colours:
        assert charts.contrast(colour, background) >= AA, colour
    for trace in figure.data:
        if trace.text is None or not any(trace.text):
            continue
        inks = trace.textfont.color or figure.layout.font.color
        inks = [inks] * len(trace.text) if isinstance(inks, str) else list(inks)
        if trace.type == "bar" and trace.textposition == "inside":
            fills = trace.marker.color
            fills = [fills] * len(trace.text) if isinstance(fills, str) else list(fills)
        else:  # beside a bar, or a cloud's word: on the background
            fills = [background] * len(trace.text)
        for text, ink, fill in zip(trace.text, inks, fills, strict=True):
            if text:
                assert charts.contrast(ink, fill) >= AA, (text, ink, fill)


def _hue(colour: str) -> float:
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    return colorsys.rgb_to_hls(red, green, blue)[0] * 360


def test_ordered_answers_run_in_one_hue_from_light_to_dark():
    """A scale's points and a battery's "rarely" to "almost always": one blue, getting darker,
    so that no end of the scale reads as good or bad (no red, no green)."""
    for count in range(2, 8):
        steps = charts.ramp(count)
        lightness = [charts.contrast(step, "#FFFFFF") for step in steps]
        assert lightness == sorted(lightness) and len(set(lightness)) == count
        assert all(190 <= _hue(step) <= 230 for step in steps), steps
    battery = DECK.activity("reflect")
    parts = [trace for trace in _figure(battery).data if trace.name in battery.scale]
    assert [trace.name for trace in parts] == list(battery.scale)
    for trace, step in zip(parts, charts.ramp(len(parts)), strict=True):
        assert set(trace.marker.color) == {step}
    scale = _figure(DECK.activity("weather"))
    assert list(scale.data[0].marker.color) == charts.ramp(len(scale.data[0].y))


def test_options_of_a_poll_share_one_calm_colour():
    """Single and multiple choice, ranking: no option is singled out by its colour."""
    for activity_id in ("colour", "many", "order"):
        [bars] = _figure(DECK.activity(activity_id)).data
        assert set(bars.marker.color) == {charts.BAR_COLOUR}


# Viénot, Brettel & Mollon (1999): what protanopes and deuteranopes see, in linear RGB.
DICHROMATS = {
    "protanopia": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
    "deuteranopia": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
}


def _linear(colour: str) -> list[float]:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _seen(colour: str, matrix) -> list[float]:
    linear = _linear(colour)
    return [
        sum(weight * channel for weight, channel in zip(row, linear, strict=True)) for row in matrix
    ]


def _apart(first: str, second: str, matrix) -> float:
    return (
        sum((a - b) ** 2 for a, b in zip(_seen(first, matrix), _seen(second, matrix), strict=True))
        ** 0.5
    )


@pytest.mark.parametrize("vision", sorted(DICHROMATS))
def test_colours_next_to_each_other_stay_apart_for_colour_blind_eyes(vision):
    """The three categories of a knowledge check or a sort, a revealed row's right answer
    against the muted others, and the steps of every ramp: told apart without red and green."""
    matrix = DICHROMATS[vision]
    categories = charts.categorical(3)
    for first, second in itertools.combinations(categories, 2):
        assert _apart(first, second, matrix) > 0.1, (first, second)
    for colour in categories:
        muted = charts.mix(colour, "#FFFFFF", charts.MUTED)
        assert _apart(colour, muted, matrix) > 0.1, colour
    for count in range(2, 6):
        for first, second in itertools.pairwise(charts.ramp(count)):
            assert _apart(first, second, matrix) > 0.05, (count, first, second)


def test_the_right_answers_stand_out_in_a_revealed_knowledge_check():
    activity = DECK.activity("quiz")
    result = sample_result(activity)
    chart = result.chart
    assert isinstance(chart, StackedRows) and chart.correct == (0, 1)
    figure = projector.figure(result)
    parts = [trace for trace in figure.data if any(value is not None for value in trace.x)]
    assert [trace.name for trace in parts] == list(chart.categories)
    for row, right in enumerate(chart.correct):
        for index, trace in enumerate(parts):
            colour = charts.categorical(len(parts))[index]
            text = trace.text[row]
            if index == right:
                # The right answer: its category's full colour, outlined, a check mark inside.
                assert trace.marker.color[row] == colour
                assert trace.marker.line.width[row] >= 3
                assert text.startswith(charts.CORRECT_MARK)
            else:
                # The others: muted, lighter than their category, no outline, no mark.
                assert trace.marker.color[row] != colour
                assert charts.contrast(trace.marker.color[row], "#FFFFFF") < charts.contrast(
                    colour, "#FFFFFF"
                )
                assert trace.marker.line.width[row] == 0
                assert charts.CORRECT_MARK not in text
    # The answer in words, bold, at the end of each row, and the legend in full colours.
    marks = [a.text for a in figure.layout.annotations if charts.CORRECT_MARK in a.text]
    assert marks == ["<b>✓ True</b>", "<b>✓ False</b>"]
    legend = [trace for trace in figure.data if trace.showlegend is not False]
    assert [trace.marker.color for trace in legend] == charts.categorical(len(parts))
    # Before the reveal: no mark, no outline, nothing muted.
    hidden = dataclasses.replace(result, chart=dataclasses.replace(chart, correct=None))
    figure = projector.figure(hidden)
    assert all(charts.CORRECT_MARK not in str(trace.text) for trace in figure.data)
    assert all(charts.CORRECT_MARK not in a.text for a in figure.layout.annotations)
    assert all(set(trace.marker.line.width) == {0} for trace in figure.data)


@pytest.mark.parametrize("height", [None, 420, 900])
def test_a_word_cloud_fits_its_box_with_no_word_over_another(height):
    """At the height the screen has for it (the default where it is not known)."""
    words = [(f"word{number}" * (1 + number % 3), 40 - number) for number in range(60)]
    box = charts.cloud_box(height or charts.CLOUD_HEIGHT)
    layout = charts.cloud_layout(words, box)
    assert 0 < len(layout.words) <= charts.CLOUD_WORDS
    assert min(word.size for word in layout.words) >= SMALLEST
    assert layout.span_x <= box[0] / 2 and layout.span_y <= box[1] / 2

    def box_of(word):
        width, height = 0.6 * word.size * len(word.text), word.size
        return (word.x - width / 2, word.y - height / 2, word.x + width / 2, word.y + height / 2)

    for first, second in itertools.combinations(layout.words, 2):
        one, other = box_of(first), box_of(second)
        assert one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]
    for word in layout.words:
        assert charts.contrast(word.colour, charts.BACKGROUND) >= AA
    # Drawn one pixel of the layout to one of the screen: the plot is at least the box, and
    # the figure is as tall as it was given.
    figure = charts.word_cloud(words, height)
    assert figure.layout.height == (height or charts.CLOUD_HEIGHT)
    x_range, y_range = figure.layout.xaxis.range, figure.layout.yaxis.range
    plot_height = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    assert y_range[1] - y_range[0] == pytest.approx(plot_height)
    assert plot_height >= box[1]
    assert x_range[1] - x_range[0] >= box[0]


# One colour for an answer everywhere, and labels that keep to their rows --------------------

STYLESHEET = PROJECT_FOLDER / "workshop" / "web" / "participant" / "static" / "tandem.css"


def test_an_answer_has_the_same_colour_on_the_wall_and_on_the_phones():
    """The phones' stylesheet names its categories' colours (light mode, --cat-0 on); the
    projector's (and so the report's) are the same, in the same order: "Unsure" is one colour."""
    light = STYLESHEET.read_text(encoding="utf-8").split("@media", 1)[0]
    phones = dict(re.findall(r"--cat-(\d+):\s*(#[0-9a-fA-F]{6})", light))
    assert len(phones) >= 3
    for number, colour in phones.items():
        assert charts.CATEGORICAL[int(number)].upper() == colour.upper()


def test_a_withheld_count_has_one_name_on_the_wall_and_on_the_phones():
    figure = projector.figure(sample_result(DECK.activity("reflect"), people=4))
    names = {trace.name for trace in figure.data}
    assert vocabulary.NOT_SHOWN in names and "Not shown (small counts)" not in names


def test_the_longest_bar_reaches_across_when_its_number_is_short():
    """A revealed private poll whose other counts are held back: the words of a withheld count
    stand where no bar is, so they take no room from the longest bar."""
    figure = charts.bars(
        ["Notice one yes that I would rather make a no", "Ask for one thing", "Rest"],
        [4, None, None],
        texts=["4", "fewer than 3", "not shown"],
    )
    assert figure.layout.xaxis.range[1] <= 4 * 1.08
    # Labels wrap on a third of the screen, not in a narrow column.
    first, *others = figure.data[0].y[0].split("<br>")
    assert 28 < len(first) <= charts.BAR_LABEL_WIDTH
    # A number that needs room beside its bar still gets it.
    wide = charts.bars(["A", "B"], [10, 9], texts=["10 (fewer than 3 passed)", "9"])
    assert wide.layout.xaxis.range[1] > 10 * 1.1


def _built_in_activities():
    for path in sorted(DECK_FOLDER.glob("*.toml")):
        deck = Practice().fill(load_deck(path))
        for activity in deck.activities:
            yield path.stem, activity


STACKED = [
    (deck, activity)
    for deck, activity in _built_in_activities()
    if isinstance(sample_result(activity).chart, StackedRows)
]


@pytest.mark.parametrize(
    ("deck", "activity"), STACKED, ids=[f"{deck}-{activity.id}" for deck, activity in STACKED]
)
@pytest.mark.parametrize("scale", [1, 2 / 3], ids=["1080p", "720p"])
def test_each_statement_label_fits_its_row_and_runs_into_no_other(deck, activity, scale):
    """Every built-in deck's statements (English and Spanish), revealed, with the longest of
    its explanations under the chart as the screen pages them: each label's lines fit its
    row's share of the height the slide leaves the chart (headings included), or the chart has
    done all it can: labels at their widest, in the wall's smallest type. (The browser test
    measures what is drawn.)"""
    result = sample_result(activity)
    names = [key.name for key in projector.legend(projector.figure(result))]
    longest = max(result.notes, key=len, default="")
    shown = [f"5 of 5 {longest}"] if len(result.notes) > 1 else list(result.notes)
    # As the screen draws it: the legend and how many answered on one line above the chart.
    room = projector.chart_room(activity, shown, [*names, projector.counted(result)], scale)
    figure = projector.figure(result, room, caption=False)
    places = len(figure.layout.yaxis.categoryarray or set(figure.data[-1].y))
    share = (room - charts.ROWS_MARGINS) / places
    labels = set(figure.data[-1].y)
    if all(charts.label_height(label) <= share for label in labels):
        return
    assert figure.layout.yaxis.tickfont.size == charts.SMALLEST_TEXT, (deck, activity.id)
    widest = max(len(line) for label in labels for line in label.split("<br>"))
    assert widest > charts.STATEMENT_WIDTH_MOST - 12, (deck, activity.id)


@pytest.mark.parametrize("activity", CHARTED, ids=lambda activity: activity.kind)
@pytest.mark.parametrize("room", [300.4, 651.6])
def test_a_figure_for_the_screen_is_as_tall_as_its_room(activity, room):
    """The screen draws its chart at the figure's own height, never stretched to its frame (a
    stretched chart was drawn at whatever share of the slide its frame had when it arrived, a
    third of the screen beside the old slide's parts): a figure made for the room the slide
    has left is exactly that tall (a word cloud never under CLOUD_LOWEST), with its caption
    or without (the page's legend line beside it)."""
    result = sample_result(activity)
    tall = max(room, charts.CLOUD_LOWEST) if isinstance(result.chart, Cloud) else room
    for caption in (True, False):
        figure = projector.figure(result, room, caption=caption)
        assert figure.layout.height == round(tall), (activity.kind, caption)
    # Where the screen's room is not known (previews, the review), the kind's own height.
    assert projector.figure(result).layout.height >= 360


@pytest.mark.parametrize("activity", CHARTED, ids=lambda activity: activity.kind)
@pytest.mark.parametrize("room", [-5.0, 6.0, 120.0])
def test_a_slide_that_leaves_its_chart_almost_no_room_still_gets_one(activity, room):
    """A deck's long prompt and title at a small scale can leave the chart a few pixels, or
    less than none: it is drawn at the least height that reads (plotly refuses under 10)."""
    result = sample_result(activity)
    lowest = charts.CLOUD_LOWEST if isinstance(result.chart, Cloud) else charts.CHART_LOWEST
    figure = projector.figure(result, room)
    assert figure.layout.height == lowest, activity.kind


def test_statements_wrap_wider_when_their_rows_are_short():
    rows = [
        f"Statement {number} runs on for a while, past one line of a chart." for number in range(6)
    ]
    roomy = charts.stacked_rows(rows, ["A", "B"], [[1, 1]] * 6, room=1000)
    tight = charts.stacked_rows(rows, ["A", "B"], [[1, 1]] * 6, room=300)
    assert all("<br>" in label for label in roomy.data[0].y)
    assert all("<br>" not in label for label in tight.data[0].y)
    assert roomy.layout.yaxis.tickfont.size is None  # the usual size where there is room
