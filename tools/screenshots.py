"""Take the README's screenshots: a real server, Debian's Chromium, six simulated phones.

    .venv/bin/python tools/screenshots.py [output folder, default docs/]

Projector at 1920x1080, phones at 390x844, all on 127.0.0.1.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.dashboard import language
from workshop.room import live
from workshop.store import Store
from workshop.testing.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    choose,
    every_phone_shows,
    facilitator_logs_in,
    next_activity,
    open_screen,
    phones_join,
    start_session,
    url_from_qr_code,
)
from workshop.testing.rooms import finished_workshop
from workshop.testing.server import Server


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server = Server(Path(folder))
        server.start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            control = facilitator_logs_in(browser, server.url)
            control.get_by_text("Preview the activities as phones will see them").click()
            expect(
                control.frame_locator("iframe").get_by_text("Welcome and group agreements")
            ).to_be_visible()
            control.screenshot(path=output / "library.png")
            _editor(control, output)
            control.get_by_role("link", name="Library").click()
            expect(control.get_by_text("Workshop library")).to_be_visible()
            session_id = start_session(control, threshold=3)
            screen = open_screen(control, server.url, session_id)
            phones = phones_join(browser, url_from_qr_code(screen), 6)
            expect(screen.get_by_text("6 joined")).to_be_visible()
            screen.screenshot(path=output / "projector-join.png")
            phones[0].screenshot(path=output / "phone-joined.png")

            next_activity(control, "Welcome and group agreements")
            next_activity(control, "Ready to begin?")
            next_activity(control, "Check-in: how are you arriving?")
            every_phone_shows(phones, "Check-in: how are you arriving?")
            phones[0].get_by_label("Sunny spells").check()
            phones[0].screenshot(path=output / "phone-question.png")
            weather = ["Sunny spells", "Cloudy", "Sunny spells", "Rainy", "Clear skies", "Cloudy"]
            for phone, answer in zip(phones, weather, strict=True):
                choose(phone, answer)
            expect(screen.locator(".js-plotly-plot text.bartext").first).to_be_visible()
            screen.wait_for_timeout(1500)
            screen.screenshot(path=output / "projector-chart.png")
            phones[1].reload()
            expect(phones[1].get_by_text("What the room said")).to_be_visible()
            phones[1].screenshot(path=output / "phone-result.png", full_page=True)
            control.wait_for_timeout(2500)
            control.screenshot(path=output / "control.png")

            next_activity(control, "What do we already know? (before)")
            next_activity(control, "Good support feels like...")
            every_phone_shows(phones, "Good support feels like...")
            words = ["Listened to", "calm", "Respect", "calm", "trust", "patience"]
            for phone, word in zip(phones, words, strict=True):
                phone.get_by_label("Your word").fill(word)
                phone.get_by_role("button", name="Send").click()
            expect(screen.locator(".js-plotly-plot text", has_text="calm").first).to_be_visible()
            screen.wait_for_timeout(1500)
            screen.screenshot(path=output / "projector-words.png")
            _review(control, server, output, Path(folder))
            _in_spanish(browser, server, control, output)
        finally:
            browser.close()
            server.stop()
    print(f"screenshots written to {output}")


def _review(control, server: Server, output: Path, folder: Path) -> None:
    """The review of a finished workshop, and the first page of its report."""
    code = finished_workshop(server.database_url)
    control.set_viewport_size({"width": 1440, "height": 900})
    control.goto(f"{server.url}/review")
    control.get_by_text("Show rehearsals too").click()
    expect(control.get_by_text("rehearsal").first).to_be_visible()
    control.get_by_role("combobox", name="Open a session").click()
    control.get_by_role("option", name=re.compile(code)).click()
    expect(control.get_by_text("Before and after")).to_be_visible()
    control.wait_for_timeout(1500)
    control.screenshot(path=output / "review.png")
    with control.expect_download() as download:
        control.get_by_role("button", name="Report (HTML)").click()
    report_file = folder / "report.html"
    download.value.save_as(report_file)
    report = control.context.new_page()
    report.set_viewport_size({"width": 1000, "height": 1300})
    report.goto(report_file.as_uri())
    report.screenshot(path=output / "report.png")
    report.get_by_role("heading", name="Before and after").scroll_into_view_if_needed()
    report.screenshot(path=output / "report-before-after.png")
    report.close()


def _in_spanish(browser, server: Server, control, output: Path) -> None:
    """The Spanish deck in a room that speaks Spanish: the facilitator chose it for the
    dashboard and the projector, and the phones' browsers ask for it."""
    store = Store(server.database_url)
    store.put_setting(language.SETTING, "es")
    deck = load_deck(DECK_FOLDER / "de-la-codependencia-a-la-interdependencia-90.toml")
    session = live.start_session(store, deck, threshold=3)
    control.set_viewport_size({"width": 1440, "height": 900})
    screen = open_screen(control, server.url, session.id)
    url = url_from_qr_code(screen)
    phones = []
    for _number in range(6):
        phone = browser.new_context(**PHONE, locale="es-ES").new_page()
        phone.goto(url)
        phones.append(phone)
    expect(screen.get_by_text("6 personas conectadas")).to_be_visible()
    screen.screenshot(path=output / "projector-join-es.png")
    check_in = deck.activity("check-in")
    live.go_to(store, session.id, deck.activities.index(check_in))
    expect(phones[0].get_by_role("heading", name=check_in.title)).to_be_visible()
    phones[0].get_by_label(check_in.points[3]).check()
    phones[0].screenshot(path=output / "phone-question-es.png")
    for phone, option in zip(phones, [3, 1, 3, 0, 2, 1], strict=True):
        phone.get_by_label(check_in.points[option]).check()
        phone.get_by_role("button", name="Enviar").click()
    expect(screen.locator(".js-plotly-plot text.bartext").first).to_be_visible()
    screen.wait_for_timeout(1500)
    screen.screenshot(path=output / "projector-chart-es.png")
    expect(phones[1].get_by_text("Lo que respondió el grupo")).to_be_visible()
    phones[1].screenshot(path=output / "phone-result-es.png", full_page=True)
    control.goto(f"{server.url}/control?session={session.id}")
    expect(control.get_by_role("heading", name=check_in.title)).to_be_visible()
    control.wait_for_timeout(2500)
    control.screenshot(path=output / "control-es.png")
    store.put_setting(language.SETTING, "en")
    store.close()


def _editor(control, output: Path) -> None:
    """The deck editor on a copy of the built-in deck, at the check-in, previews included."""
    control.get_by_role("button", name="Edit a copy in the deck editor").click()
    control.get_by_role("button", name=re.compile(r"^3\. Check-in")).click()
    answering = control.get_by_role("tabpanel", name="Answering").frame_locator("iframe")
    expect(answering.get_by_text("Sunny spells")).to_be_visible()
    control.set_viewport_size({"width": 1920, "height": 1700})
    expect(control.locator(".js-plotly-plot").first).to_be_visible()
    control.get_by_role("heading", name="Deck editor").scroll_into_view_if_needed()
    control.wait_for_timeout(1500)
    control.screenshot(path=output / "editor.png")
    control.set_viewport_size({"width": 1920, "height": 1080})
    control.get_by_role("link", name="on the projector ↓").click()
    control.wait_for_timeout(1000)
    control.screenshot(path=output / "editor-projector.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs")
