"""Every page a facilitator, a projector and a phone shows, checked by axe-core at WCAG 2.1 AA
(workshop/testing/accessibility.py), and the phone's whole flow done with the keyboard alone.

One server for the module. Each test checks several states of its pages and reports all their
violations at once, so one run tells everything that is left to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.room import live
from workshop.room.moderation import APPROVED, PENDING
from workshop.room.rehearsal import start_rehearsal
from workshop.store import Store
from workshop.testing.accessibility import Violation, report, violations
from workshop.testing.browser import PHONE, PROJECTOR, TIMEOUT, facilitator_logs_in
from workshop.testing.rooms import finished_workshop
from workshop.testing.server import PASSCODE, Server

pytestmark = pytest.mark.browser

DECK = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
DECK_CHOICE = "From codependency to interdependency (90 min)"
# Streamlit's own markup that we cannot change from our side. Each entry names exactly the
# element, with the reason; never a whole rule or page. (None needed at Streamlit 1.67.)
STREAMLIT_CHROME: list[str] = []


class Findings:
    """The violations of every page state a test looked at, asserted once at the end."""

    def __init__(self) -> None:
        self.found: dict[str, list[Violation]] = {}

    def check(self, page: Page, where: str, exclude: list[str] | None = None) -> None:
        self.found[where] = violations(page, exclude)

    def assert_none(self) -> None:
        failing = {where: found for where, found in self.found.items() if found}
        assert not failing, "\n\n".join(report(found, where) for where, found in failing.items())


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("accessibility"), passcode=PASSCODE)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def store(server: Server) -> Iterator[Store]:
    opened = Store(server.database_url)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def facilitator(server: Server, browser: Browser) -> Iterator[BrowserContext]:
    """A logged-in laptop: each test opens its own tab in it."""
    page = facilitator_logs_in(browser, server.url)
    yield page.context
    page.context.close()


@pytest.fixture
def laptop(facilitator: BrowserContext) -> Iterator[Page]:
    page = facilitator.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    page.close()


def streamlit_settled(page: Page) -> None:
    """Wait until Streamlit has finished drawing: a page checked mid-run is half drawn, and its
    stale elements are faded (which axe would rightly call low contrast)."""
    page.wait_for_function(
        """() => document.querySelector('[data-test-script-state="notRunning"]')
                 && !document.querySelector('[data-stale="true"]')"""
    )


def controls_at_rest(page: Page) -> None:
    """Wait until the projector's controls have finished fading (0.3 s; from the moment the
    page's style arrives, and after the mouse moves): axe reads their colours at rest, never
    halfway through the fade."""
    page.wait_for_function(
        """() => [...document.querySelectorAll(".st-key-tandem-controls")]
                 .every(controls => controls.getAnimations().length === 0)"""
    )


def open_every_expander(page: Page) -> None:
    """What is folded away is part of the page too: unfold it, so axe sees it drawn."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary")
    for _ in range(20):
        if not closed.count():
            return
        closed.first.click()
        streamlit_settled(page)
    raise AssertionError("an expander does not open when clicked")


def phone_shows(phone: Page, wanted: Locator) -> None:
    """The phone follows the room by itself; if it has not after a few seconds, reload it (how
    the page looks is checked here, not how it follows)."""
    try:
        expect(wanted).to_be_visible(timeout=6_000)
    except AssertionError:
        try:
            phone.reload()
        except PlaywrightError:  # the page's own script reloaded it at that very moment
            phone.wait_for_load_state()
        expect(wanted).to_be_visible()


# The facilitator ------------------------------------------------------------------------------


def test_the_login_and_logout_pages_are_accessible(server, browser):
    findings = Findings()
    visitor = browser.new_context(**PROJECTOR).new_page()
    visitor.goto(server.url + "/")
    expect(visitor.locator("input[name=passcode]")).to_be_visible()
    findings.check(visitor, "the facilitator's login page")
    visitor.goto(server.url + "/facilitator/logout")
    expect(visitor.get_by_role("button").first).to_be_visible()
    findings.check(visitor, "the logout confirmation")
    visitor.context.close()
    findings.assert_none()


def test_the_library_is_accessible(server, store, laptop):
    # A running session adds the list of live sessions to resume.
    live.start_session(store, DECK, threshold=5)
    laptop.goto(server.url + "/")
    expect(laptop.get_by_role("heading", name="Workshop library")).to_be_visible()
    expect(laptop.get_by_role("heading", name="Live sessions")).to_be_visible()
    streamlit_settled(laptop)
    open_every_expander(laptop)
    findings = Findings()
    findings.check(laptop, "the library, every section unfolded", STREAMLIT_CHROME)
    findings.assert_none()


def test_the_deck_editor_is_accessible(server, laptop):
    findings = Findings()
    laptop.goto(server.url + "/editor")
    expect(laptop.get_by_role("heading", name="Deck editor")).to_be_visible()
    streamlit_settled(laptop)
    findings.check(laptop, "the deck editor, nothing open", STREAMLIT_CHROME)

    laptop.get_by_role("combobox", name="Start from").click()
    laptop.get_by_role("option", name=f"A copy of {DECK_CHOICE} · built-in").click()
    laptop.get_by_role("button", name="Open in the editor").click()
    # A scenario sort: the form with rows of vignettes, the phone and the projector previews.
    # (The phone preview's frame holds the phone's own page, checked with the phones below.)
    laptop.get_by_role("button", name=re.compile(r"^7\. Scenario sort")).click()
    expect(laptop.get_by_role("textbox", name="Activity id")).to_have_value("scenario-sort")
    expect(laptop.locator(".js-plotly-plot").first).to_be_visible()
    streamlit_settled(laptop)
    findings.check(laptop, "the deck editor on a scenario sort", STREAMLIT_CHROME)

    # A problem shown beside its field.
    title = laptop.get_by_role("textbox", name="Title", exact=True)
    title.fill("")
    title.press("Enter")
    expect(laptop.locator("[data-testid=stAlertContentError]").first).to_be_visible()
    streamlit_settled(laptop)
    findings.check(laptop, "the deck editor with a problem", STREAMLIT_CHROME)
    findings.assert_none()


def test_the_review_is_accessible(server, laptop):
    code = finished_workshop(server.database_url)
    laptop.goto(server.url + "/review")
    laptop.get_by_text("Show rehearsals too").click()
    laptop.get_by_role("combobox", name="Open a session").click()
    laptop.get_by_role("option", name=re.compile(code)).click()
    expect(laptop.get_by_text("Before and after")).to_be_visible()
    expect(laptop.locator(".js-plotly-plot").first).to_be_visible()
    streamlit_settled(laptop)
    open_every_expander(laptop)
    findings = Findings()
    findings.check(laptop, "the review of a finished session", STREAMLIT_CHROME)
    laptop.get_by_role("tab", name="Side by side").click()
    streamlit_settled(laptop)
    findings.check(laptop, "the review, side by side", STREAMLIT_CHROME)
    findings.assert_none()


def test_the_control_view_is_accessible(server, store, laptop):
    rehearsal = start_rehearsal(store, DECK, people=12, threshold=5)
    findings = Findings()
    laptop.goto(f"{server.url}/control?session={rehearsal.id}")
    expect(laptop.get_by_text("Join code").first).to_be_visible()
    streamlit_settled(laptop)
    findings.check(laptop, "the control view at the join slide", STREAMLIT_CHROME)
    # A single choice with its result; written answers to moderate.
    for activity in (DECK.activity("agreements-ready"), DECK.activity("practice-insight")):
        index = DECK.activities.index(activity)
        live.go_to(store, rehearsal.id, index)
        laptop.reload()
        expect(laptop.get_by_role("heading", name=activity.title, exact=True)).to_be_visible()
        streamlit_settled(laptop)
        findings.check(laptop, f"the control view at {activity.title!r}", STREAMLIT_CHROME)
    findings.assert_none()


def test_the_projector_screen_is_accessible(server, store, laptop):
    rehearsal = start_rehearsal(store, DECK, people=12, threshold=5)
    findings = Findings()
    laptop.goto(f"{server.url}/screen?session={rehearsal.id}")
    expect(laptop.locator("[data-testid=stImage] img").first).to_be_visible()
    streamlit_settled(laptop)
    controls_at_rest(laptop)
    findings.check(laptop, "the projector's join slide", STREAMLIT_CHROME)
    for index in (1, 4):  # a bar chart; a word cloud
        activity = DECK.activities[index]
        live.go_to(store, rehearsal.id, index)
        expect(laptop.get_by_text(activity.title, exact=True).first).to_be_visible()
        expect(laptop.locator(".js-plotly-plot").first).to_be_visible()
        streamlit_settled(laptop)
        controls_at_rest(laptop)
        findings.check(laptop, f"the projector at {activity.title!r}", STREAMLIT_CHROME)
    findings.assert_none()


# The phones -----------------------------------------------------------------------------------


def first_of_each_kind() -> list[int]:
    seen: dict[str, int] = {}
    for index, activity in enumerate(DECK.activities):
        seen.setdefault(activity.kind, index)
    return sorted(seen.values())


def test_every_phone_page_of_a_workshop_is_accessible(server, store, browser):
    """Joined, the privacy note, every kind of activity open for answering and then with the
    room's result, an answered page, and the end; each in light and in dark mode."""
    rehearsal = start_rehearsal(store, DECK, people=12, threshold=5)
    phone = browser.new_context(**PHONE).new_page()
    phone.set_default_timeout(TIMEOUT)
    findings = Findings()

    def check_both_modes(where: str) -> None:
        for scheme in ("dark", "light"):  # ends in light, as the phone began
            phone.emulate_media(color_scheme=scheme)
            findings.check(phone, f"the phone ({scheme} mode): {where}")

    phone.goto(f"{server.url}/j/{rehearsal.row.join_code}")
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()
    expect(phone.locator("details.privacy[open]")).to_be_visible()
    check_both_modes("'You're in' with its privacy note")

    for index in first_of_each_kind():
        activity = DECK.activities[index]
        name = f"a {activity.kind.replace('_', ' ')} ({activity.title!r})"
        live.go_to(store, rehearsal.id, index)
        phone_shows(phone, phone.get_by_role("heading", name=activity.title, exact=True))
        if not activity.answerable:
            check_both_modes(name)
            continue
        expect(phone.get_by_role("button", name="Send")).to_be_visible()
        check_both_modes(f"{name}, open for answering")
        if activity.kind == "single_choice":
            phone.get_by_label(activity.options[0], exact=True).check()
            phone.get_by_role("button", name="Send").click()
            expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
            expect(phone.get_by_role("heading", name="What the room said")).to_be_visible()
            check_both_modes(f"{name}, answered, with the room's result")
        live.close_activity(store, rehearsal.id, activity.id)
        if activity.sensitive:
            live.reveal(store, rehearsal.id, activity.id)
        # Written answers reach phones once the facilitator shows them.
        for item in store.moderation_queue(rehearsal.id, activity.id):
            if item.moderation == PENDING:
                live.moderate(store, rehearsal.id, item.answer_id, APPROVED)
        phone_shows(phone, phone.get_by_role("heading", name="What the room said"))
        check_both_modes(f"{name}, closed, with the room's result")

    live.end_session(store, rehearsal.id)
    phone_shows(phone, phone.get_by_role("heading", name="This workshop has ended"))
    check_both_modes("the ended page")
    phone.context.close()
    findings.assert_none()


def test_the_code_entry_and_message_pages_are_accessible(server, store, browser):
    findings = Findings()
    context = browser.new_context(**PHONE)
    # Without the phone's script a page stays as it was sent: the form below is still there
    # after the activity closes, as on a phone that lost its connection for a moment.
    # (Not JavaScript off altogether: axe is a script.)
    context.route("**/j/assets/tandem.js*", lambda route: route.abort())
    phone = context.new_page()
    phone.set_default_timeout(TIMEOUT)
    phone.goto(f"{server.url}/j")
    expect(phone.get_by_role("heading", name="Join a workshop")).to_be_visible()
    findings.check(phone, "the join-code entry page")
    phone.goto(f"{server.url}/j?code=NOSUCH")
    expect(phone.get_by_role("alert")).to_be_visible()
    findings.check(phone, "the join-code page after a code that names no workshop")

    session = live.start_session(store, DECK, threshold=1, headcount=1)
    code = session.row.join_code
    phone.goto(f"{server.url}/j/{code}")
    live.go_to(store, session.id, 1)
    phone.reload()
    expect(phone.get_by_role("button", name="Send")).to_be_visible()
    live.close_activity(store, session.id, DECK.activities[1].id)
    phone.get_by_label(DECK.activities[1].options[0], exact=True).check()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("heading", name="This activity has closed")).to_be_visible()
    findings.check(phone, "the message page 'This activity has closed'")

    second = browser.new_context(**PHONE).new_page()
    second.goto(f"{server.url}/j/{code}")
    expect(second.get_by_role("heading", name="This workshop is full")).to_be_visible()
    findings.check(second, "the message page 'This workshop is full'")
    second.context.close()
    context.close()
    findings.assert_none()


# The keyboard ---------------------------------------------------------------------------------


def tab_to(page: Page, target: Locator, most: int = 40) -> None:
    """Press Tab until `target` has the focus, and check that the focus can be seen there."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError(f"Tab never reached {target}")
    # WCAG 2.4.7: the focused control, or the label drawn around it, shows an outline.
    outlined = target.evaluate(
        """element => [element, element.closest('label')].some(shown => shown
               && getComputedStyle(shown).outlineStyle !== 'none'
               && parseFloat(getComputedStyle(shown).outlineWidth) > 0)"""
    )
    assert outlined, f"{target} has the focus but shows no outline"


def test_a_phone_joins_answers_and_passes_with_the_keyboard_alone(server, store, browser):
    session = live.start_session(store, DECK, threshold=1)
    phone = browser.new_context(**PHONE).new_page()
    phone.set_default_timeout(TIMEOUT)
    phone.goto(f"{server.url}/j")
    code_field = phone.get_by_label("The code on the screen")
    tab_to(phone, code_field)
    phone.keyboard.type(session.row.join_code.lower())
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()

    # A single choice: Tab to the first option, Space to choose it, Tab on to Send, Enter.
    single = DECK.activities[1]
    live.go_to(store, session.id, 1)
    phone_shows(phone, phone.get_by_role("heading", name=single.title, exact=True))
    first_option = phone.get_by_label(single.options[0], exact=True)
    tab_to(phone, first_option)
    phone.keyboard.press("Space")
    expect(first_option).to_be_checked()
    tab_to(phone, phone.get_by_role("button", name="Send"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()

    # Passing: Tab to "Prefer not to answer", Enter.
    scale = DECK.activities[2]
    live.go_to(store, session.id, 2)
    phone_shows(phone, phone.get_by_role("heading", name=scale.title, exact=True))
    tab_to(phone, phone.get_by_role("button", name="Prefer not to answer"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("You passed on this one.")).to_be_visible()

    answers = store.answers_for(session.id, single.id)
    assert [(answer.passed, answer.value) for answer in answers] == [(False, 0)]
    passes = store.answers_for(session.id, scale.id)
    assert [(answer.passed, answer.value) for answer in passes] == [(True, None)]
    # Ended, the phone stops waiting on the server: no request is left for the server to
    # finish when it stops.
    live.end_session(store, session.id)
    phone_shows(phone, phone.get_by_role("heading", name="This workshop has ended"))
    phone.context.close()
