"""Phones in Chromium: results that stay current without a reload, typed text that survives one,
ranking by tapping (touch and keyboard), the words without JavaScript, and axe on every page.

One server for the module; the facilitator's actions are taken through the room's lifecycle
module on the server's own database, as a second app process would (the server's watcher sees
them within a tenth of a second).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import small_deck_data
from workshop import i18n
from workshop.activities import kind_of
from workshop.curriculum.decks import parse_deck
from workshop.room import live
from workshop.store import SeededAnswer, Store
from workshop.testing.accessibility import report, violations
from workshop.testing.browser import PHONE, TIMEOUT, choose
from workshop.testing.server import PASSCODE, Server

pytestmark = pytest.mark.browser

DECK = parse_deck(small_deck_data())
INDEX = {activity.id: number for number, activity in enumerate(DECK.activities)}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("phone"), passcode=PASSCODE)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def store(server) -> Iterator[Store]:
    opened = Store(f"sqlite:///{server.database}")
    yield opened
    opened.close()


def new_phone(browser: Browser, url: str, **options) -> Page:
    page = browser.new_context(**PHONE, **options).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    return page


def join_url(server: Server, session: live.Live) -> str:
    return f"{server.url}/j/{session.row.join_code}"


def show(store: Store, session: live.Live, activity_id: str) -> None:
    """The facilitator moves the room to `activity_id` (and opens it)."""
    live.go_to(store, session.id, INDEX[activity_id])


def test_a_phones_results_follow_the_room_without_a_reload(server, browser, store):
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, "colour")
    first = new_phone(browser, join_url(server, session))
    second = new_phone(browser, join_url(server, session))
    choose(first, "Red")
    waiting = first.locator("#room-results")
    expect(waiting).to_contain_text("1 answered · 0 passed. Results appear once 2 people")
    # Set on the page as it is: a reload would lose it.
    first.evaluate("window.tandemStillHere = true")

    choose(second, "Red")
    results = first.locator("#room-results")
    expect(results.get_by_role("heading", name="What the room said")).to_be_visible()
    expect(results).to_contain_text("2 answered · 0 passed")
    expect(results.locator("li", has_text="Red").locator(".count")).to_have_text("2")
    # A changed answer shows too.
    second.get_by_role("link", name="Change my answer").click()
    choose(second, "Blue")
    expect(results.locator("li", has_text="Blue").locator(".count")).to_have_text("1")
    assert first.evaluate("window.tandemStillHere") is True

    # Open text: an answer the facilitator approves reaches the phone, still without a reload.
    show(store, session, "say")
    for phone, text in ((first, "Listening helped"), (second, "Taking turns")):
        expect(phone.get_by_role("heading", name="Say")).to_be_visible()
        phone.get_by_label("Your answer").fill(text)
        phone.get_by_role("button", name="Send").click()
        expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    first.evaluate("window.tandemStillHere = true")
    # Nothing approved yet: no heading over nothing, but what the texts wait for.
    expect(first.locator("#room-results")).to_contain_text(
        "2 answered · 0 passed. Written answers appear here once the facilitator shows them"
    )
    expect(first.get_by_role("heading", name="What the room said")).to_have_count(0)
    assert "Taking turns" not in first.locator("#room-results").inner_text()
    [queued, _other] = sorted(live.moderation_queue(store, session.id, "say"), key=lambda q: q.text)
    assert queued.text == "Listening helped"
    live.moderate(store, session.id, queued.answer_id, "approved")
    expect(first.locator("#room-results")).to_contain_text("Listening helped")
    expect(first.get_by_role("heading", name="What the room said")).to_be_visible()
    expect(first.get_by_text("Written answers appear here once")).to_have_count(0)
    assert first.evaluate("window.tandemStillHere") is True


def test_a_phone_that_has_not_answered_keeps_its_form_while_others_answer(server, browser, store):
    session = live.start_session(store, DECK, threshold=1)
    show(store, session, "say")
    typing = new_phone(browser, join_url(server, session))
    other = new_phone(browser, join_url(server, session))
    box = typing.get_by_label("Your answer")
    box.fill("Still thinking")
    box.focus()
    typing.evaluate("window.tandemStillHere = true")
    other.get_by_label("Your answer").fill("Done")
    other.get_by_role("button", name="Send").click()
    expect(other.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [queued] = live.moderation_queue(store, session.id, "say")
    moved = live.moderate(store, session.id, queued.answer_id, "approved")  # phones wake
    expect(other.locator("#room-results")).to_contain_text("Done")
    # The phone still answering heard of it too, and left its page alone.
    expect(typing.locator("body")).to_have_attribute("data-heard", str(moved.row.version))
    assert typing.evaluate("window.tandemStillHere") is True
    expect(box).to_have_value("Still thinking")
    expect(box).to_be_focused()


def test_typed_text_survives_a_reload_and_the_room_moving_on_until_it_is_sent(
    server, browser, store
):
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, "say")
    phone = new_phone(browser, join_url(server, session))
    phone.get_by_label("Your answer").fill("Half a thought")
    phone.reload()
    expect(phone.get_by_label("Your answer")).to_have_value("Half a thought")

    # The room moves on (the facilitator keeps this one open) and comes back.
    live.go_to(store, session.id, INDEX["colour"], keep_open=True)
    expect(phone.get_by_role("heading", name="Pick a colour")).to_be_visible()
    show(store, session, "say")
    expect(phone.get_by_role("heading", name="Say")).to_be_visible()
    expect(phone.get_by_label("Your answer")).to_have_value("Half a thought")

    phone.get_by_label("Your answer").fill("A whole thought")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "say")
    assert stored.value == "A whole thought"
    # Sent: nothing of it is kept in the browser any more.
    kept = phone.evaluate("Object.keys(sessionStorage).filter(key => key.includes(':say'))")
    assert kept == []


def test_ranking_by_tapping_with_touch_and_keyboard(server, browser, store):
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, "order")  # One, Two, Three
    phone = new_phone(browser, join_url(server, session))
    items = phone.locator(".tap-item")
    expect(items).to_have_count(3)
    expect(phone.locator("select")).to_have_count(3)
    expect(phone.locator("select").first).to_be_hidden()  # the lists stay, for the form

    phone.get_by_role("button", name="Three").tap()
    order = phone.get_by_role("list", name="Your order so far")
    expect(order.locator("li")).to_have_text(["Three"])
    expect(phone.get_by_role("status")).to_have_text("1 of 3 placed.")

    # Sending too early says what is missing at once, and sends nothing.
    phone.get_by_role("button", name="Send").tap()
    expect(phone.get_by_role("alert")).to_have_text("Please give every item a place, or pass.")
    assert store.answers_for(session.id, "order") == []

    # The keyboard alone: Tab to an item, Space or Enter to place it; Undo takes the last one.
    phone.get_by_role("button", name="Three").focus()
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Shift+Tab")
    expect(phone.get_by_role("button", name="One")).to_be_focused()
    phone.keyboard.press("Space")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(order.locator("li")).to_have_text(["Three", "One", "Two"])
    expect(phone.get_by_role("alert")).to_be_hidden()  # the problem is solved: said no more
    phone.get_by_role("button", name="Undo").press("Enter")
    expect(order.locator("li")).to_have_text(["Three", "One"])
    expect(phone.get_by_role("button", name="One")).to_have_attribute("aria-pressed", "true")
    phone.get_by_role("button", name="Two").press("Enter")
    expect(phone.get_by_role("status")).to_have_text("3 of 3 placed.")

    # Every target is at least 44 px tall.
    for button in phone.locator(".tap button, .tap-item, .actions button").all():
        assert button.bounding_box()["height"] >= 44, button.inner_text()

    phone.get_by_role("button", name="Send").press("Enter")
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "order")
    assert stored.value == [2, 0, 1]


def test_without_javascript_the_phone_says_to_reload_and_answers_still_work(server, browser, store):
    session = live.start_session(store, DECK, threshold=2)
    phone = new_phone(browser, join_url(server, session), java_script_enabled=False)
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()
    expect(phone.get_by_text("Reload to see the first activity")).to_be_visible()
    expect(phone.get_by_text("will appear here by itself")).to_be_hidden()

    show(store, session, "hello")  # an information slide
    phone.reload()
    expect(phone.get_by_role("heading", name="Hello")).to_be_visible()
    expect(phone.get_by_text("Reload to see the next activity")).to_be_visible()
    expect(phone.get_by_text("will appear here by itself")).to_be_hidden()

    show(store, session, "order")  # ranking falls back to a list of places per item
    phone.reload()
    expect(phone.locator(".tap-item").first).to_be_hidden()
    for select in phone.locator("select").all():
        assert select.bounding_box()["height"] >= 44  # a full-size target without the script
    for item, place in (("One", "2"), ("Two", "3"), ("Three", "1")):
        phone.get_by_label(item).select_option(place)
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    expect(phone.get_by_text("Reload to see the next activity")).to_be_visible()
    [stored] = store.answers_for(session.id, "order")
    assert stored.value == [2, 0, 1]


NO_SCRIPT_HINT = (
    "The workshop may have moved on since you opened this page: reload it to see the current "
    "activity."
)


def test_without_javascript_a_form_says_to_reload_and_the_server_keeps_the_limits(
    server, browser, store
):
    """A phone without the script that has not answered stays on its form (a form never reloads
    itself): the page says the room may have moved on. "Pick up to 2" is the server's to keep,
    and a battery's statement is passed on its own with the plain form."""
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, "colour")
    phone = new_phone(browser, join_url(server, session), java_script_enabled=False)
    scripted = new_phone(browser, join_url(server, session))
    # (Playwright's text search skips <noscript>: the hint is found by its class.)
    hint = phone.locator(".no-script-reload")
    expect(hint).to_be_visible()
    expect(hint).to_have_text(NO_SCRIPT_HINT)
    expect(scripted.get_by_role("radio", name="Red")).to_be_visible()
    assert NO_SCRIPT_HINT not in scripted.locator("main").inner_text()  # it follows the room

    # The room moves on; this phone learns of it only by reloading, as the page says.
    show(store, session, "many")
    expect(scripted.get_by_role("heading", name="Pick any")).to_be_visible()
    expect(phone.get_by_role("heading", name="Pick a colour")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", name="Pick any")).to_be_visible()
    for option in ("A", "B", "C"):
        phone.get_by_label(option, exact=True).check()  # nothing stops a third tick here
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("alert")).to_have_text("Please pick at most 2.")
    assert store.answers_for(session.id, "many") == []
    phone.get_by_label("C", exact=True).uncheck()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "many")
    assert stored.value == [0, 1]

    show(store, session, "reflect")
    phone.reload()
    first = phone.get_by_role("group", name="I notice others first.")
    first.get_by_role("radio", name="Prefer not to say").check()
    phone.get_by_role("group", name="I say yes too fast.").get_by_role(
        "radio", name="Often"
    ).check()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "reflect")
    assert not stored.passed and stored.value == [None, 1]


def test_pick_up_to_two_disables_the_other_boxes_once_two_are_ticked(server, browser, store):
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, "many")  # A, B, C; up to 2
    phone = new_phone(browser, join_url(server, session))
    boxes = {option: phone.get_by_label(option, exact=True) for option in ("A", "B", "C")}
    status = phone.get_by_role("status")
    said = "You have picked 2, the most for this question. To pick another, untick one first."
    boxes["A"].check()
    expect(boxes["C"]).to_be_enabled()
    expect(status).to_have_text("")
    boxes["B"].check()
    expect(boxes["C"]).to_be_disabled()
    expect(status).to_have_text(said)
    for scheme in ("dark", "light"):  # the disabled box stays readable in both
        phone.emulate_media(color_scheme=scheme)
        failed = violations(phone)
        assert not failed, report(failed, f"at the limit ({scheme})")
    phone.get_by_text("C", exact=True).click(force=True)  # a tap on the disabled one does nothing
    expect(boxes["C"]).not_to_be_checked()
    # Unticking one frees the others; the message goes.
    boxes["B"].uncheck()
    expect(boxes["C"]).to_be_enabled()
    expect(status).to_have_text("")
    boxes["C"].check()
    expect(boxes["B"]).to_be_disabled()
    # A reload keeps the draft, and the limit with it.
    phone.reload()
    expect(phone.get_by_label("B", exact=True)).to_be_disabled()
    expect(phone.get_by_label("C", exact=True)).to_be_checked()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "many")
    assert stored.value == [0, 2]
    # Changing the answer starts at the limit: the unticked box is disabled at once.
    phone.get_by_role("link", name="Change my answer").click()
    expect(phone.get_by_label("A", exact=True)).to_be_checked()
    expect(phone.get_by_label("B", exact=True)).to_be_disabled()


@pytest.mark.parametrize("activity_id", ["colour", "weather"])
def test_the_title_is_shown_once_and_names_the_choices(server, browser, store, activity_id):
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, activity_id)
    phone = new_phone(browser, join_url(server, session))
    title = DECK.activity(activity_id).title
    expect(phone.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert phone.locator("main").inner_text().count(title) == 1
    expect(phone.get_by_role("group", name=title, exact=True)).to_have_count(1)


def test_the_keyboard_alone_joins_answers_passes_and_changes_and_hears_the_next_activity(
    server, browser, store
):
    session = live.start_session(store, DECK, threshold=2)
    phone = new_phone(browser, f"{server.url}/j")
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("The code on the screen")).to_be_focused()
    phone.keyboard.type(session.row.join_code)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()

    show(store, session, "colour")
    heading = phone.get_by_role("heading", name="Pick a colour")
    expect(heading).to_be_visible()
    expect(heading).to_be_focused()  # what a screen reader says next: the new activity

    phone.keyboard.press("Tab")  # the first option
    phone.keyboard.press("Space")
    phone.keyboard.press("ArrowDown")  # radio buttons move and choose with the arrows
    expect(phone.get_by_label("Green")).to_be_checked()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Send")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()

    phone.get_by_role("link", name="Change my answer").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_label("Green")).to_be_checked()
    phone.get_by_role("button", name="Prefer not to answer").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("You passed on this one.")).to_be_visible()
    [stored] = store.answers_for(session.id, "colour")
    assert stored.passed

    # The focus is drawn where it is.
    link = phone.get_by_role("link", name="Change my answer")
    link.focus()
    outline = link.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"


def test_the_next_activity_is_shown_in_place_from_the_long_polls_answer(server, browser, store):
    """The room's move comes with the phone's new page: shown in place of the last (no second
    request, no reload), as a reload would draw it, at the session's address; the new page
    answers, follows the next move and ends like any other."""
    session = live.start_session(store, DECK, threshold=2)
    phone = new_phone(browser, f"{join_url(server, session)}?change=1")
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()
    phone.evaluate("window.tandemStillHere = true")  # a reload would lose it
    pages: list[str] = []
    phone.on("request", lambda request: "/wait" in request.url or pages.append(request.url))

    show(store, session, "colour")
    heading = phone.get_by_role("heading", name="Pick a colour")
    expect(heading).to_be_focused()
    assert phone.evaluate("window.tandemStillHere") is True
    assert pages == []  # nothing asked for besides the long poll
    assert phone.evaluate("location.pathname + location.search") == f"/j/{session.row.join_code}"
    assert phone.title() == "Pick a colour · Tandem"
    expect(phone.locator("body")).to_have_attribute("data-activity", "colour")

    choose(phone, "Green")  # the shown form sends, and its page follows the room's answers
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "colour")
    assert stored.value == 1
    phone.evaluate("window.tandemStillHere = true")
    pages.clear()
    show(store, session, "reflect")
    expect(phone.get_by_role("heading", name="Reflect", exact=True)).to_be_focused()
    assert phone.evaluate("window.tandemStillHere") is True and pages == []

    live.end_session(store, session.id)
    # The end is announced as a new activity is: its heading takes the focus.
    expect(phone.get_by_role("heading", name="This workshop has ended")).to_be_focused()
    assert phone.evaluate("window.tandemStillHere") is True
    assert phone.title() == "Workshop ended · Tandem"


def test_one_statement_is_passed_with_the_keyboard_alone_and_the_rest_answered(
    server, browser, store
):
    """A battery's "Prefer not to say" is one more choice in each statement's group: the
    arrows reach it, a screen reader names it in the statement's group, and a finger finds it
    (44 pixels tall, as the points are)."""
    session = live.start_session(store, DECK, threshold=2)
    phone = new_phone(browser, join_url(server, session))
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()
    show(store, session, "reflect")
    expect(phone.get_by_role("heading", name="Reflect", exact=True)).to_be_focused()
    first = phone.get_by_role("group", name="I notice others first.")
    passing = first.get_by_role("radio", name="Prefer not to say")
    box = first.locator("label.pill.pass").bounding_box()
    assert box is not None and box["height"] >= 44
    phone.keyboard.press("Tab")  # the first statement's first point
    expect(first.get_by_role("radio", name="Rarely")).to_be_focused()
    phone.keyboard.press("ArrowRight")  # Often
    phone.keyboard.press("ArrowRight")  # Prefer not to say
    expect(passing).to_be_checked()
    phone.keyboard.press("Tab")  # the second statement
    phone.keyboard.press("Space")
    second = phone.get_by_role("group", name="I say yes too fast.")
    expect(second.get_by_role("radio", name="Rarely")).to_be_checked()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Send")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    [stored] = store.answers_for(session.id, "reflect")
    assert not stored.passed and stored.value == [None, 0]
    # Changing the answer finds the statement still passed.
    phone.get_by_role("link", name="Change my answer").click()
    expect(
        phone.get_by_role("group", name="I notice others first.").get_by_role(
            "radio", name="Prefer not to say"
        )
    ).to_be_checked()


FOCUSED = """() => {
  const element = document.activeElement;
  return {tag: element.tagName.toLowerCase(), type: element.type || "", name: element.name || "",
          text: (element.textContent || "").trim(), classes: element.className || "",
          checked: !!element.checked};
}"""


def test_every_kind_is_answered_with_the_keyboard_alone(server, browser, store):
    """From the heading the phone focuses on following the room: Tab through the form, Space
    for a choice, typing for words, Enter for a ranking's items and for Send."""
    session = live.start_session(store, DECK, threshold=2)
    phone = new_phone(browser, join_url(server, session))
    expect(phone.get_by_role("heading", name="You're in")).to_be_visible()
    for activity in DECK.activities:
        if not activity.answerable:
            continue
        show(store, session, activity.id)
        heading = phone.get_by_role("heading", name=activity.title, exact=True)
        expect(heading).to_be_focused()
        ticked = False
        for typed in range(60):
            phone.keyboard.press("Tab")
            focused = phone.evaluate(FOCUSED)
            if focused["tag"] == "button" and focused["name"] == "send":
                phone.keyboard.press("Enter")
                break
            if focused["type"] == "radio":
                phone.keyboard.press("Space")
            elif focused["type"] == "checkbox" and not ticked:
                phone.keyboard.press("Space")
                ticked = True
            elif focused["type"] in ("text", "textarea"):
                phone.keyboard.type(f"word{typed}")
            elif "tap-item" in focused["classes"]:
                phone.keyboard.press("Enter")
        else:
            raise AssertionError(f"Tab never reached Send on {activity.id}")
        expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
        [stored] = store.answers_for(session.id, activity.id)
        assert not stored.passed, activity.id


def test_axe_finds_nothing_on_any_phone_page_in_light_or_dark(server, browser, store):
    """Every kind's form and its result (statements as bars among them), the waiting and ended
    pages, in light and dark mode."""
    # Six made-up answers: the private battery's result is drawn too (its threshold lowered).
    session = live.start_session(store, DECK, threshold=3, private_threshold=3)
    seed_answers(store, session)
    pages = {
        scheme: new_phone(browser, join_url(server, session), color_scheme=scheme)
        for scheme in ("light", "dark")
    }
    found = []

    def check(where: str) -> None:
        for scheme, phone in pages.items():
            failed = violations(phone)
            if failed:
                found.append(report(failed, f"{where} ({scheme})"))

    check("waiting")
    # Each phone's colour scheme is followed (dark mode is not just the form controls).
    backgrounds = {
        scheme: phone.evaluate("getComputedStyle(document.body).backgroundColor")
        for scheme, phone in pages.items()
    }
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(18, 20, 23)"}
    for activity in DECK.activities:
        show(store, session, activity.id)
        for phone in pages.values():
            expect(phone.get_by_role("heading", name=activity.title, exact=True)).to_be_visible()
        check(f"{activity.id} form")
        if not activity.answerable:
            continue
        for phone in pages.values():
            phone.get_by_role("button", name="Prefer not to answer").click()
            expect(phone.get_by_text("You passed on this one.")).to_be_visible()
        if activity.sensitive:
            live.close_activity(store, session.id, activity.id)
            live.reveal(store, session.id, activity.id)
        for phone in pages.values():
            expect(phone.get_by_role("heading", name="What the room said")).to_be_visible()
        check(f"{activity.id} result")
    live.end_session(store, session.id)
    for phone in pages.values():
        expect(phone.get_by_role("heading", name="This workshop has ended")).to_be_visible()
    check("ended")
    assert not found, "\n".join(found)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [...document.querySelectorAll("body *")].filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.left < -0.5 || box.right > width + 0.5);
  });
  return {scrolls: document.documentElement.scrollWidth > width,
          outside: outside.slice(0, 5).map(element => element.outerHTML.slice(0, 80))};
}"""


def spanish(message: str) -> str:
    with i18n.speaking("es"):
        return i18n.gettext(message)


def test_a_spanish_phone_speaks_spanish_fits_the_screen_and_passes_axe(server, browser, store):
    """A phone whose browser asks for Spanish: every kind's form and result, the waiting and
    ended pages in Spanish, nothing wider than 390 px (Spanish words run longer), axe clean."""
    # Six made-up answers: the private battery's result is drawn too (its threshold lowered).
    session = live.start_session(store, DECK, threshold=3, private_threshold=3)
    seed_answers(store, session)
    phone = new_phone(browser, join_url(server, session), locale="es-ES")
    found = []

    def check(where: str) -> None:
        assert phone.evaluate("document.documentElement.lang") == "es", where
        measured = phone.evaluate(OVERFLOW)
        assert measured == {"scrolls": False, "outside": []}, where
        failed = violations(phone)
        if failed:
            found.append(report(failed, where))

    expect(phone.get_by_role("heading", name=spanish("You're in"))).to_be_visible()
    check("waiting")
    for activity in DECK.activities:
        show(store, session, activity.id)
        expect(phone.get_by_role("heading", name=activity.title, exact=True)).to_be_visible()
        check(f"{activity.id} form")
        if not activity.answerable:
            continue
        phone.get_by_role("button", name=spanish("Prefer not to answer")).click()
        expect(
            phone.get_by_text(spanish("You passed on this one. That is always fine."))
        ).to_be_visible()
        if activity.sensitive:
            live.close_activity(store, session.id, activity.id)
            live.reveal(store, session.id, activity.id)
        expect(phone.get_by_role("heading", name=spanish("What the room said"))).to_be_visible()
        check(f"{activity.id} result")
    live.end_session(store, session.id)
    expect(phone.get_by_role("heading", name=spanish("This workshop has ended"))).to_be_visible()
    check("ended")
    assert not found, "\n".join(found)


def test_the_language_switch_works_without_javascript(server, browser, store):
    session = live.start_session(store, DECK, threshold=2)
    show(store, session, "colour")
    phone = new_phone(browser, join_url(server, session), locale="es-ES", java_script_enabled=False)
    expect(phone.get_by_role("button", name=spanish("Send"))).to_be_visible()
    switch = phone.get_by_role("navigation", name=spanish("Language"))
    expect(switch.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    switch.get_by_role("link", name="English").click()
    # The same page, now in English, chosen over the browser's Spanish from here on.
    expect(phone.get_by_role("heading", name="Pick a colour")).to_be_visible()
    expect(phone.get_by_role("button", name="Send")).to_be_visible()
    assert phone.evaluate("document.documentElement.lang") == "en"
    phone.goto(f"{server.url}/j")
    expect(phone.get_by_role("heading", name="Join a workshop")).to_be_visible()
    phone.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(phone.get_by_role("heading", name=spanish("Join a workshop"))).to_be_visible()


def test_reduced_motion_is_respected(server, browser, store):
    session = live.start_session(store, DECK, threshold=2)
    moving = new_phone(browser, join_url(server, session))
    still = new_phone(browser, join_url(server, session), reduced_motion="reduce")
    behaviour = "getComputedStyle(document.documentElement).scrollBehavior"
    assert moving.evaluate(behaviour) == "smooth"
    assert still.evaluate(behaviour) == "auto"


def seed_answers(store: Store, session: live.Live, people: int = 6) -> None:
    """Made-up answers from `people` others to every activity (open texts approved), so every
    result is drawn."""
    rng = random.Random(7)
    participants = [store.join(session.id, f"made-up-{number}") for number in range(people)]
    seeds = [
        SeededAnswer(
            activity.id,
            participant,
            passed=False,
            value=kind_of(activity).sample_answer(activity, rng),
            moderation="approved" if kind_of(activity).moderated else None,
        )
        for activity in DECK.activities
        if activity.answerable
        for participant in participants
    ]
    store.seed_answers(session.id, seeds)
