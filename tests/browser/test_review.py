"""A counselor reviews last week's workshop in Chromium: opens it, downloads every file, and
reads the report with the network cut off."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from playwright.sync_api import expect

from workshop.testing.browser import facilitator_logs_in
from workshop.testing.rooms import finished_workshop

pytestmark = pytest.mark.browser


def test_a_finished_workshop_is_reviewed_downloaded_and_read_offline(server, browser, tmp_path):
    code = finished_workshop(server.database_url)
    page = facilitator_logs_in(browser, server.url)
    page.goto(f"{server.url}/review")
    page.get_by_text("Show rehearsals too").click()
    expect(page.get_by_text("Before and after")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()

    files = {}
    for label in ["Report (HTML)", "Workbook (Excel)", "Aggregates (CSV)", "Archive (JSON)"]:
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        files[saved.suffix] = saved
    assert all(path.name.startswith("tandem-") and code in path.name for path in files.values())
    rows = list(csv.DictReader(io.StringIO(files[".csv"].read_text("utf-8-sig"))))
    assert {row["session"] for row in rows} == {code}
    assert "Before-after" in openpyxl.load_workbook(files[".xlsx"]).sheetnames
    assert json.loads(files[".json"].read_text("utf-8"))["format"] == "tandem-session-archive"

    # The report opens with the network cut off, asks for nothing, and shows its charts.
    offline = browser.new_context(offline=True, viewport={"width": 1000, "height": 1400})
    report = offline.new_page()
    requested = []
    report.on("request", lambda request: requested.append(request.url))
    report.goto(files[".html"].as_uri())
    charts = report.locator("svg")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 10
    assert charts.first.bounding_box()["height"] > 50  # drawn, not an empty box
    expect(report.get_by_text("Before and after")).to_be_visible()
    assert [url for url in requested if not url.startswith("file:")] == []
    # It prints to PDF on A4 and on Letter, several pages, charts and all.
    for paper in ("A4", "Letter"):
        pdf = report.pdf(format=paper)
        assert (
            pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page") > 3
        )
    offline.close()
