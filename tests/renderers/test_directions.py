"""A battery whose statements read different ways: a strength is never drawn as a concern.

The scale keeps one neutral hue for every statement; statements are grouped under "Patterns to
notice" and "Strengths" (and "Other statements") on the projector, the phones and the report,
so "Almost always" is read under the right heading and never as good or bad by colour.
"""

from __future__ import annotations

import random

from tests.web.test_battery_passes import battery_deck
from workshop.activities.base import StackedRows
from workshop.renderers import charts, phone, projector, svg
from workshop.room.results import result_for
from workshop.store import ActivityState, Answer

DECK = battery_deck()
REFLECT = DECK.activity("reflect")
SHOWN = ActivityState("closed", True)
CONCERNS = ["I put others' needs first.", "I keep quiet to keep the peace."]
STRENGTH = "I ask for what I need."
NEITHER = "I feel others' moods as mine."


def _result(activity=REFLECT, people: int = 12, threshold: int = 5):
    rng = random.Random(7)
    answers = [Answer(False, [rng.randrange(4) for _ in range(4)], None) for _ in range(people)]
    return result_for(activity, answers, SHOWN, threshold)


def test_statements_come_in_groups_under_their_headings():
    chart = _result().chart
    assert isinstance(chart, StackedRows) and chart.ordered
    assert chart.rows == (*CONCERNS, STRENGTH, NEITHER)
    assert chart.headings() == ["Patterns to notice", "", "Strengths", "Other statements"]


def test_the_projector_writes_each_heading_over_its_group_and_keeps_one_ramp():
    figure = projector.figure(_result())
    headings = [
        annotation.text for annotation in figure.layout.annotations if "<b>" in annotation.text
    ]
    assert headings == ["<b>Patterns to notice</b>", "<b>Strengths</b>", "<b>Other statements</b>"]
    # The axis runs heading, its statements, next heading ...: the strength under "Strengths".
    order = [
        label.replace("\u200b", "") or "heading" for label in figure.layout.yaxis.categoryarray
    ]
    assert order == ["heading", *CONCERNS, "heading", STRENGTH, "heading", NEITHER]
    # Every statement's "Almost always" is the same dark step of the one-hue ramp: colour never
    # says whether a statement is a concern or a strength.
    ramp = charts.ramp(4)
    parts = [trace for trace in figure.data if trace.name in REFLECT.scale]
    for trace, step in zip(parts, ramp, strict=True):
        assert set(trace.marker.color) == {step}


def test_an_ungrouped_battery_has_no_headings():
    statements = [
        statement.model_copy(update={"direction": ""}) for statement in REFLECT.statements
    ]
    plain = REFLECT.model_copy(update={"statements": statements})
    chart = _result(plain).chart
    assert chart.groups is None and chart.headings() == [""] * 4
    figure = charts.draw(chart)
    assert not [annotation for annotation in figure.layout.annotations if "<b>" in annotation.text]


def test_the_report_chart_and_the_phone_carry_the_headings():
    result = _result()
    drawn = svg.svg(result.chart)
    assert (
        drawn.index("Patterns to notice")
        < drawn.index("Strengths")
        < drawn.index("Other statements")
    )
    sections = phone.view(result).sections
    assert [(section.heading, [row.text for row in section.rows]) for section in sections] == [
        ("Patterns to notice", CONCERNS),
        ("Strengths", [STRENGTH]),
        ("Other statements", [NEITHER]),
    ]


def test_passes_of_a_statement_are_said_beside_it_never_drawn():
    answers = [Answer(False, [0, None, 1, 2], None)] * 2 + [Answer(False, [3, 3, 3, 3], None)] * 5
    result = result_for(REFLECT, answers, SHOWN, 5)
    assert result.chart.passes == (0, 2, 0, 0)
    figure = projector.figure(result)
    labels = list(figure.layout.yaxis.categoryarray)
    [passed_label] = [label for label in labels if "2 passed" in label]
    assert passed_label.startswith("I keep quiet to keep the peace.")
    # The bar of the second statement is the five who answered it, all "Almost always".
    almost = next(trace for trace in figure.data if trace.name == "Almost always")
    assert list(almost.x)[list(almost.y).index(passed_label)] == 100
