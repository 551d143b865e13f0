"""A reviewed session as an Excel workbook (openpyxl): Summary, Agenda, one sheet per activity,
Before-after, Notes; readable as opened (widths, a frozen header row, percentages as such).
The sheets are named in the language spoken when the file is made, as their headings are.

The sheets are the tables of table.py, neutralised for a spreadsheet; every text cell is also
written as text, so nothing in a workbook is ever a formula.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workshop.i18n import N_
from workshop.i18n import gettext as _
from workshop.renderers import table
from workshop.review import before_after
from workshop.review.session import SessionReview

MAX_WIDTH = 60
# Columns that hold shares (0 to 1), shown as percentages.
PERCENT_COLUMNS = {"share", "right before", "right after"}
UNSAFE_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# The sheets every workbook may have (a translation keeps to 31 characters and none of []:*?/\).
SUMMARY, AGENDA, BEFORE_AFTER, NOTES = N_("Summary"), N_("Agenda"), N_("Before-after"), N_("Notes")


def _excel_length(text: str) -> int:
    """Excel counts a name in UTF-16 units: an emoji takes two."""
    return len(text.encode("utf-16-le")) // 2


def sheet_name(number: int, title: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, not starting or ending
    with an apostrophe, unique in the workbook (the number in front keeps it so)."""
    name = UNSAFE_IN_SHEET_NAMES.sub(" ", f"{number} {title}")
    while _excel_length(name) > 31:
        name = name[:-1]
    name = name.strip().strip("'").strip() or str(number)
    suffix = 1
    while name.lower() in taken:
        suffix += 1
        ending = f" {suffix}"
        while _excel_length(name + ending) > 31:
            name = name[:-1]
        name = name.rstrip() + ending
    taken.add(name.lower())
    return name


def _tidy(sheet: Worksheet, frame: pd.DataFrame) -> None:
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        cells = [str(column), *("" if pd.isna(value) else str(value) for value in frame[column])]
        width = min(MAX_WIDTH, max(len(line) for cell in cells for line in cell.split("\n")) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = max(8, width)
        for row in range(2, len(frame) + 2):
            cell = sheet.cell(row=row, column=index)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, whatever it starts with
            if str(column) in PERCENT_COLUMNS and isinstance(cell.value, float):
                cell.number_format = "0%"


def workbook(review: SessionReview) -> bytes:
    """The .xlsx file's bytes."""
    aggregates = table.aggregates(review)
    sheets: list[tuple[str, pd.DataFrame]] = [
        (_(SUMMARY), table.summary(review)),
        (_(AGENDA), table.agenda(review)),
    ]
    # An activity's sheet never takes a name these sheets have (Excel ignores case).
    taken = {_(name).lower() for name in (SUMMARY, AGENDA, BEFORE_AFTER, NOTES)}
    for number, item in enumerate(review.activities, start=1):
        if item.result is None:
            continue
        rows = aggregates[aggregates["activity"] == item.activity.id]
        columns = ["row", "option", "count", "share", "mean_place", "suppressed", "withheld"]
        shown = rows[[column for column in columns if rows[column].notna().any()]]
        sheets.append((sheet_name(number, item.activity.title, taken), shown))
    if review.comparisons:
        sheets.append((_(BEFORE_AFTER), before_after.as_table(list(review.comparisons))))
    sheets.append((_(NOTES), table.notes(review)))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets:
            cleaned = table.for_spreadsheet(frame)
            cleaned.to_excel(writer, sheet_name=name, index=False)
            _tidy(writer.sheets[name], cleaned)
    return buffer.getvalue()
