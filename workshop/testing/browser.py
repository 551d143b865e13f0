"""Debian's Chromium as the facilitator, the projector and the phones: browser tests, the
editor benchmark and the screenshots share these steps. Never a downloaded browser."""

from __future__ import annotations

import base64
import re
import subprocess
import tempfile
from urllib.parse import urljoin

from playwright.sync_api import Browser, Page, expect

from workshop.testing.server import PASSCODE

CHROMIUM = "/usr/bin/chromium"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
TIMEOUT = 30_000
# A first page load after a restart imports plotly and pandas: give assertions the same patience.
expect.set_options(timeout=TIMEOUT)


def facilitator_logs_in(browser: Browser, base: str) -> Page:
    context = browser.new_context(**PROJECTOR)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(base + "/")
    page.fill("input[name=passcode]", PASSCODE)
    page.click("button[type=submit]")
    expect(page.get_by_text("Workshop library")).to_be_visible()
    return page


def start_session(page: Page, threshold: int) -> int:
    threshold_input = page.locator(".st-key-threshold input")
    threshold_input.fill(str(threshold))
    threshold_input.press("Enter")
    page.locator(".st-key-start button").click()
    page.wait_for_url(re.compile(r"/control\?session=\d+"))
    expect(page.get_by_text("Join code")).to_be_visible()
    return int(re.search(r"session=(\d+)", page.url).group(1))


def choose_from(page: Page, label: str, option: str) -> None:
    """Pick `option` in a select box.

    A click that lands while Streamlit is still redrawing the page can be lost (the list opens
    and is drawn closed again), so the click is repeated until the list is open.
    """
    box = page.get_by_role("combobox", name=label)
    for _ in range(5):
        box.click()
        try:
            expect(box).to_have_attribute("aria-expanded", "true", timeout=2_000)
            break
        except AssertionError:
            continue
    page.get_by_role("option", name=option, exact=True).click()


def click(page: Page, key: str) -> None:
    button = page.locator(f".st-key-{key} button")
    # While Streamlit redraws, the old button and the new one can both be on the page for a
    # moment: wait for the one the finished page keeps.
    expect(button).to_have_count(1)
    expect(button).to_be_enabled()
    button.click()


def next_activity(page: Page, title: str) -> None:
    """Press Next and wait, as a facilitator does, until the control view shows `title`."""
    click(page, "next")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def open_screen(page: Page, base: str, session_id: int) -> Page:
    screen = page.context.new_page()
    screen.set_default_timeout(TIMEOUT)
    screen.goto(f"{base}/screen?session={session_id}")
    return screen


def url_from_qr_code(screen: Page) -> str:
    """Decode the PNG the projector shows: the test never reads the URL from the page text.

    The projector redraws every second, and Streamlit may drop an image's file between a
    redraw and the next (its address then answers 404 for a moment, while the image already
    on screen stays): an address read just before that is asked again, never decoded as a PNG.
    """
    for _attempt in range(20):
        image = screen.locator("[data-testid=stImage] img").first
        expect(image).to_be_visible()
        source = image.get_attribute("src")
        if source.startswith("data:"):
            png = base64.b64decode(source.split(",", 1)[1])
        else:
            png = screen.request.get(urljoin(screen.url, source)).body()
        if png.startswith(PNG_SIGNATURE):
            break
        screen.wait_for_timeout(250)
    with tempfile.NamedTemporaryFile(suffix=".png") as file:
        file.write(png)
        file.flush()
        decoded = subprocess.run(
            ["zbarimg", "--quiet", "--raw", file.name],
            capture_output=True,
            text=True,
            check=True,
        )
    return decoded.stdout.strip()


def phones_join(browser: Browser, url: str, count: int) -> list[Page]:
    phones = []
    for _ in range(count):
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(url)
        expect(page.get_by_role("heading", name="You're in")).to_be_visible()
        phones.append(page)
    return phones


def every_phone_shows(phones: list[Page], heading: str) -> None:
    for phone in phones:
        try:
            expect(phone.get_by_role("heading", name=heading)).to_be_visible()
        except AssertionError as missing:
            # The version the page was drawn at tells a stale page from a room that moved back.
            drawn = phone.evaluate("() => ({...document.body.dataset})")
            raise AssertionError(
                f"no {heading!r} on {phone.url}; the page was drawn at {drawn}"
            ) from missing


def choose(phone: Page, option: str) -> None:
    # The radio button itself: its group is named by the activity's title, which may contain
    # the option's words ("Ready" in "Ready to begin?").
    choice = phone.get_by_role("radio", name=option, exact=True)
    try:
        expect(choice).to_be_visible()
    except AssertionError as missing:
        # Say what the phone showed instead: a missing form has been seen twice under load.
        shown = phone.locator("main").inner_text()
        raise AssertionError(
            f"no {option!r} to choose on {phone.url}; the phone shows:\n{shown}"
        ) from missing
    choice.check()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()


def bar_labels(screen: Page) -> list[str]:
    # SVG text has no innerText; textContent is what the projector draws.
    labels = screen.locator(".js-plotly-plot text.bartext")
    return labels.evaluate_all("elements => elements.map(element => element.textContent)")
