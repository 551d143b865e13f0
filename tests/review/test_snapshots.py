"""Snapshots written by an older Tandem still read: a purged session's review is what it was."""

import json

from tests.conftest import small_deck_data
from workshop.activities.base import StackedRows
from workshop.curriculum.decks import parse_deck
from workshop.review import snapshots
from workshop.room.results import result_for
from workshop.store import ActivityState, Answer

DECK = parse_deck(small_deck_data())


def test_a_chart_written_when_ordered_was_called_diverging_reads_as_ordered():
    reflect = DECK.activity("reflect").model_copy(update={"sensitive": False})
    answers = [Answer(False, [0, 1], None)] * 5
    result = result_for(reflect, answers, ActivityState("closed", True), 5)
    written = json.loads(snapshots.dumps(result))
    chart = written["chart"]
    chart["diverging"] = chart.pop("ordered")
    for field in ("passes", "groups"):  # not written then
        chart.pop(field)
    read = snapshots.loads(json.dumps(written), DECK)
    assert isinstance(read.chart, StackedRows) and read.chart.ordered
    assert read.chart.passes is None and read.chart.groups is None
    assert read.lines == result.lines


def test_a_battery_result_with_passed_statements_comes_back_whole():
    reflect = DECK.activity("reflect").model_copy(update={"sensitive": False})
    answers = [Answer(False, [0, None], None)] * 5 + [Answer(False, [1, 1], None)] * 5
    result = result_for(reflect, answers, ActivityState("closed", True), 5)
    assert result.chart.passes == (0, 5)
    read = snapshots.loads(snapshots.dumps(result), DECK)
    assert (read.lines, read.chart, read.passed) == (result.lines, result.chart, result.passed)
