"""The counselor's files: the CSV of aggregates, the Excel workbook and the HTML report.

Whatever the room answered, no file holds a count from an activity below its threshold (or a
private one never revealed), no unapproved text, and no cell a spreadsheet would run.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import random
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import small_deck_data
from workshop import i18n
from workshop.activities import kind_of
from workshop.curriculum.decks import parse_deck
from workshop.renderers import table
from workshop.renderers.exports import EXPORTS, file_name
from workshop.review.session import ActivityReview, SessionReview, agenda_as_run, review_session
from workshop.room import live
from workshop.room.moderation import APPROVED, FLAGGED, PENDING, REJECTED
from workshop.room.results import result_for
from workshop.store import ActivityState, Answer, Observation, SessionRow

DECK = parse_deck(small_deck_data())
HOSTILE = '=HYPERLINK("http://example.invalid","x")'


def made_up_review(
    people: dict[str, int], threshold: int, seed: int = 0, revealed: bool = True
) -> SessionReview:
    """A finished session whose activities had people[activity id] answers each."""
    rng = random.Random(seed)
    row = SessionRow(
        id=1,
        join_code="ACDEFG",
        deck_id=DECK.id,
        title=DECK.title,
        deck_json=DECK.to_json(),
        status="ended",
        current_index=len(DECK.activities) - 1,
        version=9,
        threshold=threshold,
        created_at=1_790_000_000.0,
        ended_at=1_790_003_600.0,
        timer_started_at=None,
        timer_seconds=None,
    )
    states = {activity.id: ActivityState("closed", revealed) for activity in DECK.activities}
    session = live.Live(row, DECK, states)
    activities = []
    for activity in DECK.activities:
        kind = kind_of(activity)
        if not kind.answerable:
            activities.append(ActivityReview(activity, None, ()))
            continue
        answers = []
        for _ in range(people.get(activity.id, 0)):
            moderation = (
                rng.choice([APPROVED, PENDING, FLAGGED, REJECTED]) if kind.moderated else None
            )
            answers.append(Answer(False, kind.sample_answer(activity, rng), moderation))
        answers.append(Answer(True, None, None))  # one pass in every activity
        result = result_for(activity, answers, states[activity.id], threshold)
        activities.append(ActivityReview(activity, result, ()))
    return SessionReview(
        session=session,
        joined=max(people.values(), default=0) + 1,
        agenda=agenda_as_run(session, []),
        activities=tuple(activities),
        observations=(Observation(1, None, HOSTILE, 0.0),),
    )


def csv_rows(review: SessionReview) -> list[dict[str, str]]:
    text = EXPORTS["csv"].make(review).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def workbook_of(review: SessionReview) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(EXPORTS["xlsx"].make(review)))


ANSWERABLE = [activity.id for activity in DECK.activities if activity.answerable]


@settings(max_examples=25, deadline=None)
@given(
    people=st.fixed_dictionaries({activity: st.integers(0, 7) for activity in ANSWERABLE}),
    threshold=st.integers(2, 6),
    revealed=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_no_file_holds_a_count_the_room_could_not_see(people, threshold, revealed, seed):
    review = made_up_review(people, threshold, seed, revealed)
    hidden = {
        item.activity.id for item in review.activities if item.result and not item.result.visible
    }
    for activity_id in hidden:
        assert people[activity_id] < threshold or DECK.activity(activity_id).sensitive
    rows = csv_rows(review)
    for row in rows:
        if row["activity"] in hidden:
            assert row["suppressed"] == "True"
            assert row["count"] == row["share"] == row["option"] == row["mean_place"] == ""
    assert {row["activity"] for row in rows} == set(ANSWERABLE)  # a hidden one is still listed
    book = workbook_of(review)
    for number, activity_id in enumerate([a.id for a in DECK.activities], start=1):
        if activity_id in hidden:
            [sheet] = [sheet for sheet in book.worksheets if sheet.title.startswith(f"{number} ")]
            headers = [cell.value for cell in sheet[1]]
            assert headers == ["suppressed"]
    report = EXPORTS["html"].make(review).decode()
    sections = re.split(r'<article class="activity">', report)[1:]
    for activity, section in zip(DECK.activities, sections, strict=True):
        if activity.id in hidden:
            assert "<svg" not in section and "answered ·" not in section
    # Texts the facilitator did not approve never appear anywhere.
    say = next(item for item in review.activities if item.activity.id == "say")
    approved = {line.text for line in say.result.lines} if say.result.visible else set()
    for text in ("Noticing when I say yes too quickly.", "I can care without fixing."):
        everywhere = report + str(rows)
        if text not in approved:
            assert text not in everywhere


def test_the_csv_is_tidy_one_row_per_option_with_counts_and_shares():
    review = made_up_review({"colour": 6, "reflect": 6}, threshold=3)
    rows = [row for row in csv_rows(review) if row["activity"] == "colour"]
    assert list(rows[0]) == table.AGGREGATE_COLUMNS
    assert [row["option"] for row in rows] == ["Red", "Green", "Blue", "Prefer not to answer"]
    assert sum(int(row["count"]) for row in rows[:3]) == 6
    assert rows[-1]["count"] == "1"
    assert {row["date"] for row in rows} == {"2026-09-21"}
    reflect = [row for row in csv_rows(review) if row["activity"] == "reflect"]
    assert reflect[0]["row"] == "I notice others first." and reflect[0]["option"] == "Rarely"


def test_cells_a_spreadsheet_would_run_are_neutralised():
    hostile = DECK.activity("colour").model_copy(update={"title": "=1+1", "options": ["+A", "@B"]})
    assert table.neutralised("=1+1") == "'=1+1"
    assert table.neutralised("\tx") == "'\tx" and table.neutralised("plain") == "plain"
    assert table.neutralised(-3) == -3  # numbers stay numbers
    deck = DECK.model_copy(update={"activities": [hostile]})
    review = made_up_review({"colour": 4}, threshold=1)
    review = SessionReview(
        session=live.Live(review.session.row, deck, review.session.states),
        joined=4,
        agenda=(),
        activities=(
            ActivityReview(
                hostile,
                result_for(hostile, [Answer(False, 0, None)] * 4, ActivityState("closed", True), 1),
                (),
            ),
        ),
        observations=review.observations,
    )
    for row in csv_rows(review):
        for value in row.values():
            assert not value.startswith(table.FORMULA_STARTS), value
    for sheet in workbook_of(review).worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_the_workbook_reads_well_as_opened():
    review = made_up_review({activity: 6 for activity in ANSWERABLE}, threshold=3)
    book = workbook_of(review)
    names = book.sheetnames
    assert names[:2] == ["Summary", "Agenda"] and names[-1] == "Notes"
    assert "2 Pick a colour" in names
    colour = book["2 Pick a colour"]
    assert colour.freeze_panes == "A2"
    share = next(cell for cell in colour[1] if cell.value == "share").column_letter
    assert colour[f"{share}2"].number_format == "0%"
    assert colour.column_dimensions["A"].width >= 8
    notes = [row for row in book["Notes"].iter_rows(values_only=True)]
    assert ("(the whole session)", "observation", "'" + HOSTILE) in notes


def test_the_report_is_one_file_that_needs_nothing_else():
    review = made_up_review({activity: 6 for activity in ANSWERABLE}, threshold=3)
    report = EXPORTS["html"].make(review).decode()
    assert "<script" not in report.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", report)
    # Nothing fetched: no import, and url() only for a chart's own clip paths (#id).
    assert "@import" not in report and not re.search(r"url\((?!#)", report)
    assert report.count("<svg") == sum(
        1 for item in review.activities if item.result and item.result.chart is not None
    )
    assert "no names, no individual answers" in report
    assert "&lt;" not in HOSTILE and "=HYPERLINK" in report  # shown as text, escaped
    assert 'href="http://example.invalid"' not in report


def test_files_are_named_by_date_and_code_only():
    review = made_up_review({}, threshold=3)
    assert file_name(review, "html") == "tandem-2026-09-21-ACDEFG.html"


@pytest.mark.parametrize("format_name", sorted(EXPORTS))
def test_every_export_of_an_empty_session_still_works(format_name):
    assert EXPORTS[format_name].make(made_up_review({}, threshold=5))


GOLDEN_REPORT = Path(__file__).parent / "golden" / "report.html"


def _normalised_report(html: str) -> str:
    """The report with each chart reduced to the words it shows: what a reader checks, free of
    the drawing's coordinates and ids (which move with matplotlib's releases)."""

    def words(match: re.Match) -> str:
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", match.group(0))
        return "<svg>" + " | ".join(text.strip() for text in texts if text.strip()) + "</svg>"

    return re.sub(r"<svg.*?</svg>", words, html, flags=re.S)


def test_the_report_matches_its_golden_file():
    review = made_up_review({activity: 6 for activity in ANSWERABLE}, threshold=3)
    drawn = _normalised_report(EXPORTS["html"].make(review).decode())
    if os.environ.get("TANDEM_UPDATE_GOLDEN") == "1":
        GOLDEN_REPORT.write_text(drawn, encoding="utf-8")
    assert drawn == GOLDEN_REPORT.read_text(encoding="utf-8")


def compared_review(store) -> SessionReview:
    """A session with every part a report can have: a before-and-after pair, facilitator notes,
    a private activity, a headcount, an observation, a rehearsal whose answers were purged."""
    data = small_deck_data()
    quiz = next(activity for activity in data["activities"] if activity["id"] == "quiz")
    data["activities"].append(
        {
            "id": "quiz-after",
            "kind": "knowledge_check",
            "title": "Quiz again",
            "minutes": 2,
            "pairs_with": "quiz",
            "statements": quiz["statements"],
            "notes": "Ask who changed their mind.",
        }
    )
    weather = next(activity for activity in data["activities"] if activity["id"] == "weather")
    data["activities"].append(
        {**weather, "id": "weather-after", "title": "Weather again", "pairs_with": "weather"}
    )
    deck = parse_deck(data)
    session = live.start_session(store, deck, threshold=3)
    paired = ("quiz", "weather", "quiz-after", "weather-after")
    for activity_id in paired:
        live.open_activity(store, session.id, activity_id)
    for number in range(6):
        person = store.join(session.id, f"{number}" * 64)
        for activity_id in paired:
            value = number % 3 if "weather" in activity_id else [number % 3, (number + 1) % 3]
            store.record_answer(session.id, activity_id, person, passed=False, value=value)
    live.end_session(store, session.id)
    review = review_session(store, session.id)
    row = dataclasses.replace(
        review.session.row, rehearsal=True, headcount=9, purged_at=1_790_000_000.0
    )
    return dataclasses.replace(
        review,
        session=dataclasses.replace(review.session, row=row),
        observations=(Observation(1, None, "A calm room.", 0.0),),
    )


def report_texts(html: str) -> set[str]:
    """Every piece of text between two tags, charts and style left out."""
    html = re.sub(r"<svg.*?</svg>|<style>.*?</style>", "", html, flags=re.S)
    return {text.strip() for text in re.findall(r">([^<>]+)<", html) if text.strip()}


# The report's own words (not the deck's, which are written in the deck's language): headings,
# labels and column names as whole pieces of text, and phrases inside longer ones.
REPORT_LABELS = {
    "The agenda as it ran",
    "What the room said",
    "Before and after",
    "Observations",
    "Date",
    "Duration",
    "Joined",
    "Headcount",
    "Deck",
    "Rehearsal",
    "with simulated participants",
    "Activity",
    "Kind",
    "Planned",
    "Actual",
    "Notes",
    "Answered rightly",
    "Share",
    "95% interval",
    "Point",
    "Before",
    "After",
    "Single choice",
}
REPORT_PHRASES = [
    "Tandem report",
    "This report holds what the room said",
    "no individual answers",
    "A result is left out",
    "were purged",
    "Read together",
    " · private",
    "Facilitator notes:",
    " of 6",
    "Made with Tandem",
    "Not a diagnosis",
    "skipped",
]


def test_the_report_speaks_the_language_of_the_page_that_offers_it(sqlite_store):
    english = EXPORTS["html"].make(compared_review(sqlite_store)).decode()
    with i18n.speaking("es"):
        # The review page's download makes the file later, in a thread of its own.
        make_report = EXPORTS["html"].made_later(compared_review(sqlite_store))
    spanish = make_report().decode()  # made outside the block
    assert '<html lang="en">' in english and '<html lang="es">' in spanish
    # The English report has every word looked for below, so their absence means something.
    assert REPORT_LABELS <= report_texts(english)
    assert all(phrase in english for phrase in REPORT_PHRASES)
    assert not REPORT_LABELS & report_texts(spanish)
    assert [phrase for phrase in REPORT_PHRASES if phrase in spanish] == []
    for heading in [
        "El programa tal como se desarrolló",
        "Lo que respondió el grupo",
        "Antes y después",
        "Observaciones",
    ]:
        assert f"<h2>{heading}</h2>" in spanish
    assert "<th>Actividad</th><th>Tipo</th>" in spanish
    assert "<b>Ensayo</b> con participantes simulados" in spanish
    assert "Notas para quien facilita: Ask who changed their mind." in spanish
    assert "menos de 3 personas" in spanish and "«menos de 3»" in spanish
    assert "· Informe de Tandem</title>" in spanish
    # The deck's own words stay as the deck wrote them.
    assert "<h3>11. Quiz again</h3>" in spanish


def test_the_workbooks_sheets_are_named_in_the_language_spoken(sqlite_store):
    english = openpyxl.load_workbook(
        io.BytesIO(EXPORTS["xlsx"].make(compared_review(sqlite_store)))
    )
    with i18n.speaking("es"):
        make_workbook = EXPORTS["xlsx"].made_later(compared_review(sqlite_store))
    spanish = openpyxl.load_workbook(io.BytesIO(make_workbook()))
    fixed = ["Summary", "Agenda", "Before-after", "Notes"]
    assert [name for name in english.sheetnames if name in fixed] == fixed
    assert [name for name in spanish.sheetnames if name in fixed] == []
    assert {"Resumen", "Programa", "Antes-después", "Notas"} <= set(spanish.sheetnames)


def test_the_privacy_note_counts_its_people():
    review = made_up_review({}, threshold=1)
    row = dataclasses.replace(review.session.row, threshold=1)
    review = dataclasses.replace(review, session=dataclasses.replace(review.session, row=row))
    assert "fewer than 1 person answered," in EXPORTS["html"].make(review).decode()
    with i18n.speaking("es"):
        assert "menos de 1 persona," in EXPORTS["html"].make(review).decode()


def test_sheet_names_are_ones_excel_accepts():
    from workshop.renderers.workbook import sheet_name

    taken = set()
    assert sheet_name(5, "Say 'no'", taken) == "5 Say 'no"  # no apostrophe at the end
    long = sheet_name(6, "\U0001f642" * 40, taken)
    assert len(long.encode("utf-16-le")) // 2 <= 31
    first = sheet_name(7, "Check: in/out [again]?", taken)
    second = sheet_name(7, "Check: in/out [again]?", taken)
    assert first == "7 Check  in out  again" and second != first
    assert not set("[]:*?/\\") & set(first + second)


def test_the_agenda_counts_in_the_rooms_words_and_never_a_private_activitys_passes():
    people = dict.fromkeys(ANSWERABLE, 6)
    for revealed in (False, True):
        agenda = table.agenda(made_up_review(people, 3, 1, revealed)).set_index("Activity")
        for activity in DECK.activities:
            row = agenda.loc[activity.title]
            if not activity.answerable:
                assert pd.isna(row["Answered"]) and pd.isna(row["Passed"])
            elif activity.sensitive:
                assert row["Answered"] == 6 and pd.isna(row["Passed"])
            else:
                assert row["Answered"] == 6 and row["Passed"] == 1


ENGLISH_AGENDA = [
    "#",
    "Activity",
    "Kind",
    "Planned (min)",
    "Actual (min)",
    "Skipped",
    "Reopened",
    "Revealed",
    "Answered",
    "Passed",
]
SPANISH_AGENDA = [
    "#",
    "Actividad",
    "Tipo",
    "Previsto (min)",
    "Real (min)",
    "Saltada",
    "Reabierta",
    "Revelada",
    "Respondieron",
    "Prefirieron no responder",
]


def test_files_for_people_speak_the_facilitators_language_and_the_csvs_names_do_not():
    """The agenda's headings, the summary's and the words in cells follow the language the
    file is made in (the review page and the workbook show the same agenda); the CSV's column
    names are names a script reads, the same in every language."""
    people = dict.fromkeys(ANSWERABLE, 6)
    assert list(table.agenda(made_up_review(people, 3)).columns) == ENGLISH_AGENDA
    english_rows = csv_rows(made_up_review(people, 3))
    with i18n.speaking("es"):
        review = made_up_review(people, 3)
        agenda = table.agenda(review)
        # The review page's download makes the file later, in a thread of its own.
        make_workbook = EXPORTS["xlsx"].made_later(review)
        make_csv = EXPORTS["csv"].made_later(review)
        labels = [i18n.gettext(export.label) for export in EXPORTS.values()]
    assert list(agenda.columns) == SPANISH_AGENDA
    assert agenda.loc[agenda["Actividad"] == "Pick a colour", "Tipo"].item() == "Opción única"
    assert labels == ["Informe (HTML)", "Hoja de cálculo (Excel)", "Totales (CSV)"]
    book = openpyxl.load_workbook(io.BytesIO(make_workbook()))  # made outside the block
    assert book.sheetnames[:2] == ["Resumen", "Programa"] and book.sheetnames[-1] == "Notas"
    assert [cell.value for cell in book["Programa"][1]] == SPANISH_AGENDA
    summary = dict(book["Resumen"].iter_rows(min_row=2, values_only=True))
    assert summary["Taller"] == DECK.title and summary["Ensayo"] == "no"
    assert summary["Estado"] == "terminada"
    notes = list(book["Notas"].iter_rows(min_row=2, values_only=True))
    assert ("(toda la sesión)", "observación", "'" + HOSTILE) in notes
    spanish_rows = list(csv.DictReader(io.StringIO(make_csv().decode("utf-8-sig"))))
    assert list(spanish_rows[0]) == list(english_rows[0]) == table.AGGREGATE_COLUMNS
    colour = [row for row in spanish_rows if row["activity"] == "colour"]
    assert colour[-1]["option"] == "Prefiero no responder"
    assert {row["kind"] for row in colour} == {"Opción única"}
    english_colour = [row for row in english_rows if row["activity"] == "colour"]
    assert english_colour[-1]["option"] == "Prefer not to answer"
    assert {row["kind"] for row in english_colour} == {"Single choice"}
