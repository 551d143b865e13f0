"""The files a counselor downloads for a reviewed session: the HTML report, the Excel workbook
and the CSV of aggregates, each drawn from the same SessionReview (and so the same Results).

The JSON archive is not among them: it carries answer-level data for moving a session between
machines, and lives with the store (review/archive.py).

A file is made in the language spoken when it is made (see table.py for what that changes);
`Export.made_later` keeps the language of the page that offers the download.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workshop import i18n
from workshop.i18n import N_
from workshop.renderers import report, table, workbook
from workshop.review.session import SessionReview


@dataclass(frozen=True)
class Export:
    extension: str
    media_type: str
    label: str  # marked for the catalogue; a page shows it through `gettext`
    make: Callable[[SessionReview], bytes]

    def made_later(self, review: SessionReview) -> Callable[[], bytes]:
        """The file, made only when it is asked for, in the language spoken now: Streamlit makes
        a download button's deferred file in a thread of its own, where no language is set."""
        language = i18n.current_language()

        def make() -> bytes:
            with i18n.speaking(language):
                return self.make(review)

        return make


def _csv(review: SessionReview) -> bytes:
    # utf-8-sig: spreadsheet programs then read accents and dashes right.
    rows = table.for_spreadsheet(table.aggregates(review))
    return rows.to_csv(index=False).encode("utf-8-sig")


EXPORTS: dict[str, Export] = {
    "html": Export("html", "text/html", N_("Report (HTML)"), lambda r: report.report(r).encode()),
    "xlsx": Export(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        N_("Workbook (Excel)"),
        workbook.workbook,
    ),
    "csv": Export("csv", "text/csv", N_("Aggregates (CSV)"), _csv),
}


def file_name(review: SessionReview, extension: str) -> str:
    """tandem-2026-11-28-ACD3FG.html: the date and the join code, nothing about anyone."""
    row = review.session.row
    return f"tandem-{table.day(row.created_at)}-{row.join_code}.{extension}"
