"""A revealed private activity in every renderer: the projector (figure and cards), the phone
and the counselor's files (CSV, Excel, HTML report) show no count under the minimum, none that
would give one away, and no count of passes; an open activity's exact counts are unchanged.

The room: a multiple choice answered by six people (A five times, B once, C four times), and
two who passed. B's 1 and the passes' 2 must appear nowhere.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import openpyxl
import pytest

from tests.renderers.test_exports import made_up_review
from tests.renderers.test_golden import DECK
from workshop.renderers import phone, projector, report, svg
from workshop.renderers.exports import EXPORTS
from workshop.review import snapshots
from workshop.review.session import ActivityReview, SessionReview
from workshop.room.results import result_for
from workshop.room.vocabulary import PASS_LABEL
from workshop.store import ActivityState, Answer
from workshop.web.participant.render import environment

SHOWN = ActivityState("closed", True)
PICKS = [[0, 2], [0, 2], [0, 2], [0, 2], [0], [1]]
ANSWERS = [Answer(False, picks, None) for picks in PICKS] + [Answer(True, None, None)] * 2
PRIVATE = DECK.activity("many").model_copy(update={"sensitive": True})
OPEN = DECK.activity("many")
PRIVATE_DECK = DECK.model_copy(
    update={"activities": [PRIVATE if item.id == "many" else item for item in DECK.activities]}
)


def _result(activity):
    return result_for(activity, ANSWERS, SHOWN, 5)


def _figure_texts(figure) -> list[str]:
    """Every piece of text and every number a projector figure draws."""
    drawn = figure.to_plotly_json()
    texts = [str(text) for trace in drawn["data"] for text in trace.get("text", [])]
    texts += [str(value) for trace in drawn["data"] for value in trace.get("x", [])]
    texts += [annotation["text"] for annotation in drawn["layout"].get("annotations", [])]
    return texts


def test_the_projector_draws_no_small_count_and_no_passes():
    result = _result(PRIVATE)
    texts = _figure_texts(projector.figure(result))
    assert "1" not in texts and "2" not in texts  # neither B's one vote nor the two passes
    assert "fewer than 3" in texts and "5" in texts
    [said] = [text for text in texts if "answered" in text]
    assert said == "6 answered · passes not counted (private)"
    # Drawn as cards (a kind without a chart, or a chart that could not be matched).
    cards = projector.cards(dataclasses.replace(result, chart=None))
    assert cards == ["A: 5", "B: fewer than 3", "C: not shown"]


def test_the_projector_shows_an_open_activitys_exact_counts():
    texts = _figure_texts(projector.figure(_result(OPEN)))
    assert {"5", "1", "4"} <= set(texts)
    assert "6 answered · 2 passed" in texts


def test_the_phone_shows_no_small_count_and_no_passes():
    result = _result(PRIVATE)
    fragment = environment.get_template("results.html").render(
        result=result, lines=phone.lines(result), mine=True
    )
    counts = re.findall(r'<span class="count">([^<]*)</span>', fragment)
    assert counts == ["5", "fewer than 3", "not shown"]
    assert PASS_LABEL not in fragment and "passes are not counted" in fragment
    open_lines = phone.lines(_result(OPEN))
    assert [line.count for line in open_lines] == [5, 1, 4, 2]


def _review(activity) -> SessionReview:
    base = made_up_review({}, threshold=5)
    items = tuple(
        ActivityReview(item.activity, _result(activity), ())
        if item.activity.id == "many"
        else ActivityReview(item.activity, None, ())
        for item in base.activities
    )
    return SessionReview(
        session=base.session,
        joined=8,
        agenda=base.agenda,
        activities=items,
        observations=(),
    )


def _csv(review) -> list[dict[str, str]]:
    text = EXPORTS["csv"].make(review).decode("utf-8-sig")
    return [row for row in csv.DictReader(io.StringIO(text)) if row["activity"] == "many"]


def test_the_csv_withholds_the_small_count_and_the_passes():
    rows = _csv(_review(PRIVATE))
    assert [(row["option"], row["count"], row["withheld"]) for row in rows] == [
        ("A", "5", ""),
        ("B", "", "fewer than 3"),
        ("C", "", "not shown"),
        (PASS_LABEL, "", "not counted (private activity)"),
    ]
    assert rows[1]["share"] == rows[2]["share"] == ""
    assert [row["count"] for row in _csv(_review(OPEN))] == ["5", "1", "4", "2"]


def _sheet_values(review) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(EXPORTS["xlsx"].make(review)))
    [sheet] = [sheet for sheet in book.worksheets if sheet.title.endswith("Pick any")]
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_withholds_the_small_count_and_the_passes():
    header, *rows = _sheet_values(_review(PRIVATE))
    count = header.index("count")
    assert [row[count] for row in rows] == [5, None, None, None]
    assert "fewer than 3" in rows[1] and "not counted (private activity)" in rows[3]
    header, *rows = _sheet_values(_review(OPEN))
    assert [row[header.index("count")] for row in rows] == [5, 1, 4, 2]


def _report_section(review) -> str:
    html = EXPORTS["html"].make(review).decode()
    sections = html.split('<article class="activity">')[1:]
    [section] = [part for part in sections if "Pick any" in part]
    return section


def test_the_report_withholds_the_small_count_and_the_passes():
    section = _report_section(_review(PRIVATE))
    chart_words = [word.strip() for word in re.findall(r"<text[^>]*>([^<]*)</text>", section)]
    assert "fewer than 3" in chart_words and "5" in chart_words
    assert "1" not in chart_words and "2" not in chart_words
    assert not re.search(r"\d+ passed", section)
    assert "6 answered · passes not counted (private)" in section
    # A report drawn without the chart lists the lines, in words where a count is withheld.
    result = _result(PRIVATE)
    view = report._activity_view(ActivityReview(PRIVATE, result, ()))
    assert [(line.label, line.count) for line in view["lines"]] == [
        ("A", 5),
        ("B", "fewer than 3"),
        ("C", "not shown"),
    ]
    assert "2 passed" in _report_section(_review(OPEN))


def test_the_report_chart_of_a_private_battery_draws_its_withheld_part():
    activity = DECK.activity("reflect")
    answers = [Answer(False, [0, 0], None)] * 4 + [Answer(False, [1, 0], None)] * 3
    answers += [Answer(False, [0, 1], None)]
    drawn = svg.svg(result_for(activity, answers, SHOWN, 5).chart)
    words = [word.strip() for word in re.findall(r"<text[^>]*>([^<]*)</text>", drawn)]
    assert "not shown" in words  # the room's word, as on the phones and the projector
    assert "13%" not in words and "88%" not in words  # the second statement's 1 of 8, 7 of 8


@pytest.mark.parametrize("activity", [PRIVATE, OPEN], ids=["private", "open"])
def test_a_kept_snapshot_is_the_same_result(activity):
    # What a purged session's review and files are drawn from.
    result = _result(activity)
    deck = PRIVATE_DECK if activity.sensitive else DECK
    assert snapshots.loads(snapshots.dumps(result), deck) == result


def test_a_snapshot_written_before_answered_was_kept_still_reads():
    result = _result(OPEN)
    old = snapshots.dumps(result).replace('"answered": 6', '"responded": 8')
    assert snapshots.loads(old, DECK) == result
    # A private result kept before small counts were withheld is read with them withheld.
    assert snapshots.loads(old, PRIVATE_DECK) == _result(PRIVATE)
