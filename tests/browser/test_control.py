"""The control view in Chromium: a second facilitator device follows the first, and the keys of
presentation software move the room (never while typing)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from workshop.room import live
from workshop.store import Store
from workshop.testing.browser import (
    choose_from,
    click,
    facilitator_logs_in,
    next_activity,
    start_session,
)
from workshop.testing.server import PASSCODE, Server

pytestmark = pytest.mark.browser

DECK = "From codependency to interdependency (90 min)"
# A follower redraws within a second; the margin is for a busy machine, not a measurement.
FOLLOWS_WITHIN = 5_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("control"), passcode=PASSCODE)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def store(server):
    opened = Store(server.database_url)
    yield opened
    opened.close()


def _started(browser: Browser, server: Server) -> tuple[Page, int]:
    page = facilitator_logs_in(browser, server.url)
    choose_from(page, "Deck", DECK)
    return page, start_session(page, threshold=1)


def _heading(page: Page, title: str):
    return page.get_by_role("heading", name=title, exact=True)


def test_a_second_facilitator_browser_follows_the_first(server, browser, store):
    first, session_id = _started(browser, server)
    second = facilitator_logs_in(browser, server.url)  # another browser, logged in on its own
    second.goto(f"{server.url}/control?session={session_id}")
    expect(_heading(second, "The join slide is on screen")).to_be_visible()

    next_activity(first, "Welcome and group agreements")
    expect(_heading(second, "Welcome and group agreements")).to_be_visible(timeout=FOLLOWS_WITHIN)
    # And the other way: the second blanks the screen, the first sees the way back.
    click(second, "blank")
    expect(first.locator(".st-key-blank button")).to_contain_text(
        "Show the room", timeout=FOLLOWS_WITHIN
    )
    assert store.session(session_id).blanked
    # While the screen is blank the room rests, as the projector's keys do: Next waits.
    expect(second.locator(".st-key-next button")).to_be_disabled()
    click(first, "blank")
    expect(second.locator(".st-key-blank button")).to_contain_text(
        "Blank screen", timeout=FOLLOWS_WITHIN
    )
    # A move the second never drew ("On screen" is keyed by the version) is not undone by it.
    next_activity(second, "Ready to begin?")
    expect(_heading(first, "Ready to begin?")).to_be_visible(timeout=FOLLOWS_WITHIN)
    assert store.session(session_id).current_index == 1


def test_keys_pace_the_room_but_not_while_typing(server, browser, store):
    page, session_id = _started(browser, server)
    person = store.join(session_id, "k" * 64)  # before the first activity locks the door

    page.keyboard.press("ArrowRight")
    expect(_heading(page, "Welcome and group agreements")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(_heading(page, "Ready to begin?")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(_heading(page, "Welcome and group agreements")).to_be_visible()
    assert store.session(session_id).current_index == 0

    # Typing a note: letters and arrows are the note's, not the room's.
    page.get_by_role(
        "button", name="Note an observation about “Welcome and group agreements”"
    ).click()
    note = page.get_by_label("What you noticed")
    note.click()
    note.press_sequentially("b r B R")
    note.press("ArrowRight")
    note.press("ArrowLeft")
    expect(note).to_have_value("b r B R")
    assert store.session(session_id).current_index == 0
    assert not store.session(session_id).blanked
    page.keyboard.press("Escape")  # the note closes; the page has the keys again

    _heading(page, "Welcome and group agreements").click()  # as a mouse leaves the field
    page.keyboard.press("b")
    expect(page.locator(".st-key-blank button")).to_contain_text("Show the room")
    assert store.session(session_id).blanked
    page.keyboard.press("b")
    expect(page.locator(".st-key-blank button")).to_contain_text("Blank screen")
    assert not store.session(session_id).blanked

    # R reveals a knowledge check's answers, once someone has answered (threshold 1; the
    # after-check: the before-check is private, and waits for its close and 8 people).
    session = live.load(store, session_id)
    quiz = session.deck.activity("knowledge-after")
    live.go_to(store, session_id, session.deck.activities.index(quiz))
    expect(_heading(page, quiz.title)).to_be_visible(timeout=FOLLOWS_WITHIN)
    expect(page.locator(".st-key-reveal button")).to_be_disabled()
    store.record_answer(session_id, quiz.id, person, passed=False, value=[0] * len(quiz.statements))
    expect(page.locator(".st-key-reveal button")).to_be_enabled(timeout=FOLLOWS_WITHIN)
    page.keyboard.press("r")
    expect(page.locator(".st-key-reveal button")).to_have_text(re.compile("Hide"))
    assert store.activity_states(session_id)[quiz.id].revealed
    page.wait_for_timeout(1500)  # one press toggled once: it stays revealed
    expect(page.locator(".st-key-reveal button")).to_have_text(re.compile("Hide"))
    assert store.activity_states(session_id)[quiz.id].revealed


def test_texts_waiting_are_announced_and_the_queue_is_above_the_fold(server, browser, store):
    page, session_id = _started(browser, server)
    page.set_viewport_size({"width": 1440, "height": 900})
    people = [store.join(session_id, f"{number}" * 64) for number in range(4)]
    session = live.load(store, session_id)
    insight = session.deck.activity("practice-insight")  # open text, moderated
    live.go_to(store, session_id, session.deck.activities.index(insight))
    texts = ["Slower now", "Listening felt good", "Hard to stay quiet"]
    for person, text in zip(people, texts, strict=False):
        store.record_answer(
            session_id, insight.id, person, passed=False, value=text, moderation="pending"
        )
    expect(page.get_by_text("3 texts wait for your approval.")).to_be_visible(
        timeout=FOLLOWS_WITHIN
    )
    queue = page.get_by_role("heading", name="Moderation queue")
    [first] = [item for item in store.moderation_queue(session_id, insight.id)][:1]
    approve = page.locator(f".st-key-approve-{first.answer_id} button")
    expect(approve).to_be_visible()
    for element in (queue, approve):
        box = element.bounding_box()
        assert box["y"] + box["height"] <= 900, "below the fold at 1440×900"
    expect(page.get_by_role("link", name="Go to the queue ↓")).to_have_attribute(
        "href", "#moderation-queue"
    )
    # Nothing the room's buttons say on hover covers the join code.
    code = page.get_by_test_id("stMetric").filter(has_text="Join code").bounding_box()
    for key in ("previous", "next", "close", "reveal", "blank"):
        page.locator(f".st-key-{key} button").first.hover(force=True)
        page.wait_for_timeout(800)  # tooltips open after a short delay
        for tooltip in page.get_by_role("tooltip").all():
            if tooltip.is_visible():
                assert not _overlap(tooltip.bounding_box(), code), f"{key}'s tooltip"
    approve.click()
    expect(page.get_by_text("2 texts wait for your approval.")).to_be_visible()
    assert store.moderation_queue(session_id, insight.id)[0].moderation == "approved"


def _overlap(one: dict, other: dict) -> bool:
    return not (
        one["x"] + one["width"] <= other["x"]
        or other["x"] + other["width"] <= one["x"]
        or one["y"] + one["height"] <= other["y"]
        or other["y"] + other["height"] <= one["y"]
    )


def test_the_dashboard_asks_nothing_of_any_other_address(server, browser):
    """An offline laptop loses nothing, and no other server learns who runs a workshop: the
    library, the control view and the screen load everything from Tandem itself (the tab's
    icon once came from fonts.gstatic.com)."""
    page, session_id = _started(browser, server)
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server.url}/")
    expect(page.get_by_text("Workshop library")).to_be_visible()
    page.goto(f"{server.url}/control?session={session_id}")
    expect(_heading(page, "The join slide is on screen")).to_be_visible()
    screen = page.context.new_page()
    screen.goto(f"{server.url}/screen?session={session_id}")
    expect(screen.locator("[data-testid=stImage] img")).to_be_visible()
    page.wait_for_timeout(2_500)  # a refresh of each page's live parts
    assert any(url.startswith(f"{server.url}/_stcore/") for url in requested)
    assert [url for url in requested if not url.startswith((server.url, "data:", "blob:"))] == []
    page.context.close()
