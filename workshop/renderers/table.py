"""A reviewed session as tables (pandas): the CSV of aggregates, the workbook's sheets and the
review page's agenda.

Only what each Result holds is tabled, so an activity below its threshold, or a private one never
revealed, is one row marked suppressed and nothing else. No participant, no time of any answer,
no order of answers, no score: counts, shares, mean places, approved text. A count a private
activity withholds has no count and no share, and its `withheld` column says why ("fewer than
3", "not shown"); so does its row of passes ("not counted").

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so `for_spreadsheet` neutralises deck and participant text in every table written to a
CSV or a workbook (a page shows the text as it is).

Words for people are said in the language spoken when a table is made: the agenda's headings
(the review page and the workbook show the same table), the summary's, and every word in a cell
(the pass label, what a withheld count says, the kind of activity). The lower-case column names
of the data tables (the CSV's aggregates, the notes) are names, not words: the same in every
language, so a script or a formula that reads them works whatever the facilitator speaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from workshop.activities import kind_of
from workshop.activities.base import Count, Place, Text, Withheld
from workshop.i18n import N_
from workshop.i18n import gettext as _
from workshop.review.session import SessionReview
from workshop.room import vocabulary
from workshop.room.results import Result, private_threshold_of
from workshop.room.timing import BUFFER
from workshop.room.vocabulary import PASS_LABEL

AGGREGATE_COLUMNS = [
    "session",
    "date",
    "deck",
    "activity_number",
    "activity",
    "activity_title",
    "kind",
    "row",
    "option",
    "count",
    "share",
    "mean_place",
    "suppressed",
    "withheld",
]
# What the row of passes says where a private activity does not count them.
PASSES_WITHHELD = N_("not counted (private activity)")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A session's status as the store keeps it, in words.
STATUS = {"live": N_("live"), "ended": N_("ended")}


def neutralised(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every cell a spreadsheet would run neutralised, headers included."""
    cleaned = frame.map(neutralised)
    cleaned.columns = [neutralised(column) for column in cleaned.columns]
    return cleaned


def day(timestamp: float) -> str:
    """The date a session ran (UTC): days, never times of anything a participant did."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def _result_rows(result: Result) -> Iterable[dict[str, Any]]:
    if not result.visible:
        yield {"suppressed": True}
        return
    for line in result.lines:
        if isinstance(line, Count):
            yield {"row": line.row, "option": line.label, "count": line.count, "share": line.share}
        elif isinstance(line, Withheld):
            yield {"row": line.row, "option": line.label, "withheld": line.words}
        elif isinstance(line, Place):
            yield {"option": line.label, "mean_place": line.mean_place}
        elif isinstance(line, Text):
            yield {"option": line.text}
    if result.passed is None:
        yield {"option": _(PASS_LABEL), "withheld": _(PASSES_WITHHELD)}
    else:
        yield {"option": _(PASS_LABEL), "count": result.passed}


def aggregates(review: SessionReview) -> pd.DataFrame:
    """One row per session × activity × option: the tidy form of every shown result."""
    row = review.session.row
    head = {"session": row.join_code, "date": day(row.created_at), "deck": row.deck_id}
    records = []
    for number, item in enumerate(review.activities, start=1):
        if item.result is None:
            continue
        activity = {
            "activity_number": number,
            "activity": item.activity.id,
            "activity_title": item.activity.title,
            "kind": _(kind_of(item.activity).label),
        }
        for line in _result_rows(item.result):
            records.append({**head, **activity, "suppressed": False, **line})
    table = pd.DataFrame.from_records(records, columns=AGGREGATE_COLUMNS)
    table["count"] = table["count"].astype("Int64")
    return table


def agenda(review: SessionReview) -> pd.DataFrame:
    """The agenda as it ran: planned against actual minutes, and what was skipped, reopened or
    revealed (the review page and the workbook show this same table), headed in the language
    spoken."""
    results = {item.activity.id: item.result for item in review.activities}
    answered, passed = _(vocabulary.ANSWERED), _(vocabulary.PASSED)
    records = []
    for item in review.agenda:
        result = results.get(item.activity.id)
        records.append(
            {
                "#": item.number,
                _("Activity"): item.activity.title,
                _("Kind"): _(kind_of(item.activity).label),
                _("Planned (min)"): item.activity.minutes,
                _("Actual (min)"): None if item.seconds is None else round(item.seconds / 60, 1),
                _("Skipped"): item.skipped,
                _("Reopened"): item.reopened,
                _("Revealed"): item.revealed,
                # The room's words (room/vocabulary.py), as the projector said them: empty for
                # a slide nobody answers, and a private activity's passes never counted.
                answered: None if result is None else result.answered,
                passed: None if result is None or item.activity.sensitive else result.passed,
            }
        )
    deck = review.session.deck
    if deck.buffer_minutes:
        # The plan's minutes no activity owns, against the time no activity was on screen.
        on_screen = sum(item.seconds or 0 for item in review.agenda)
        duration = review.summary.duration_seconds
        records.append(
            {
                "#": None,
                _("Activity"): _(BUFFER),
                _("Planned (min)"): deck.buffer_minutes,
                _("Actual (min)"): None
                if duration is None
                else round(max(duration - on_screen, 0) / 60, 1),
            }
        )
    table = pd.DataFrame.from_records(records)
    if "#" in table:
        table["#"] = table["#"].astype("Int64")
    for column in (answered, passed):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table


def notes(review: SessionReview) -> pd.DataFrame:
    """The facilitator's notes from the deck and their observations, per activity."""
    observation = _("observation")
    records = [
        {"activity": _("(the whole session)"), "source": observation, "text": note.text}
        for note in review.observations
    ]
    for item in review.activities:
        if item.activity.notes:
            records.append(
                {
                    "activity": item.activity.title,
                    "source": _("deck notes"),
                    "text": item.activity.notes,
                }
            )
        records.extend(
            {"activity": item.activity.title, "source": observation, "text": note.text}
            for note in item.observations
        )
    return pd.DataFrame.from_records(records, columns=["activity", "source", "text"])


def summary(review: SessionReview) -> pd.DataFrame:
    row = review.session.row
    duration = review.summary.duration_seconds
    facts = [
        (_("Workshop"), row.title),
        (_("Deck"), row.deck_id),
        (_("Date"), day(row.created_at)),
        (_("Duration (minutes)"), None if duration is None else round(duration / 60)),
        (_(vocabulary.JOINED), review.joined),
        (_("Headcount (facilitator's)"), row.headcount),
        (_("Response threshold"), row.threshold),
        (
            _("Response threshold, private activities"),
            private_threshold_of(row.threshold, row.private_threshold),
        ),
        (_("Rehearsal"), _("yes") if row.rehearsal else _("no")),
        (_("Status"), _(STATUS[row.status]) if row.status in STATUS else row.status),
    ]
    return pd.DataFrame(facts, columns=["item", "value"])
