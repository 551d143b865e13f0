"""How quickly the deck editor answers a counselor, on the largest built-in deck.

    .venv/bin/python bench/editor.py [--rounds 3]

Starts a real server on 127.0.0.1 and Debian's Chromium, opens a copy of the 120-minute deck in
the editor, then measures from a click in the browser to the page showing its result:
- picking each activity in the agenda until its form, phone preview and projector preview show;
- typing a new title until the agenda shows it.
Also times the pure parts in this process (validating the draft, writing TOML, the made-up
result). Prints figures; asserts nothing. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

# bench/ is not a package: its scripts share helpers by the folder above being on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.phones import percentiles  # noqa: E402
from workshop.curriculum.authoring import Draft  # noqa: E402
from workshop.curriculum.deck_files import DECK_FOLDER, deck_to_toml, load_deck  # noqa: E402
from workshop.renderers import projector  # noqa: E402
from workshop.room.rehearsal import sample_result  # noqa: E402
from workshop.testing.browser import CHROMIUM, CHROMIUM_FLAGS, facilitator_logs_in  # noqa: E402
from workshop.testing.server import Server  # noqa: E402

DECK = "codependency-to-interdependency-120"


def in_process(rounds: int) -> None:
    deck = load_deck(DECK_FOLDER / f"{DECK}.toml")
    draft = Draft.from_deck(deck, copy=True)
    checks, writes, samples = [], [], []
    for _ in range(rounds * 20):
        started = time.perf_counter()
        draft.check()
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        deck_to_toml(deck)
        writes.append(time.perf_counter() - started)
    for _ in range(rounds):
        for activity in deck.activities:
            started = time.perf_counter()
            projector.figure(sample_result(activity))
            samples.append(time.perf_counter() - started)
    print(f"{len(deck.activities)} activities in the {DECK} deck")
    percentiles("validate the whole draft", checks)
    percentiles("write it as TOML", writes)
    percentiles("made-up result and figure, one activity", samples)


def in_the_browser(rounds: int) -> None:
    deck = load_deck(DECK_FOLDER / f"{DECK}.toml")
    titles = [activity.title for activity in deck.activities]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server = Server(Path(folder))
        server.start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = facilitator_logs_in(browser, server.url)
            page.get_by_role("combobox", name="Deck").click()
            page.get_by_role("option", name=re.compile(r"\(120 min\)")).click()
            page.get_by_role("button", name="Edit a copy in the deck editor").click()
            title_field = page.get_by_role("textbox", name="Title", exact=True)
            expect(title_field).to_have_value(titles[0])
            picks, retitles = [], []
            for _ in range(rounds):
                for number, title in enumerate(titles, start=1):
                    button = page.get_by_role("button", name=re.compile(rf"^{number}\. "))
                    started = time.perf_counter()
                    button.click()
                    expect(title_field).to_have_value(title)
                    expect(
                        page.locator(".js-plotly-plot, [data-testid=stIFrame]").first
                    ).to_be_visible()
                    picks.append(time.perf_counter() - started)
            for number in range(1, rounds * 5 + 1):
                new_title = f"Renamed {number}"
                started = time.perf_counter()
                title_field.fill(new_title)
                title_field.press("Enter")
                expect(
                    page.get_by_role("button", name=re.compile(rf"\. {new_title} "))
                ).to_be_visible()
                retitles.append(time.perf_counter() - started)
            percentiles("browser: pick an activity until its form shows", picks)
            percentiles("browser: type a title until the agenda shows it", retitles)
        finally:
            browser.close()
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    in_process(arguments.rounds)
    in_the_browser(arguments.rounds)


if __name__ == "__main__":
    main()
