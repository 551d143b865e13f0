"""The whole room in Chromium: facilitator, projector, and three phones."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from workshop.store import Store
from workshop.testing.browser import (
    PROJECTOR,
    bar_labels,
    choose,
    click,
    every_phone_shows,
    facilitator_logs_in,
    next_activity,
    open_screen,
    phones_join,
    start_session,
    url_from_qr_code,
)

pytestmark = pytest.mark.browser


def test_a_live_workshop_from_qr_code_to_chart(server, browser):
    control = facilitator_logs_in(browser, server.url)
    session_id = start_session(control, threshold=3)
    screen = open_screen(control, server.url, session_id)
    join_url = url_from_qr_code(screen)
    assert join_url.startswith(f"{server.url}/j/")

    phones = phones_join(browser, join_url, 3)
    expect(screen.get_by_text("3 joined")).to_be_visible()
    projector_by_link(control, browser, session_id)

    next_activity(control, "Welcome and group agreements")  # an info slide
    every_phone_shows(phones, "Welcome and group agreements")
    next_activity(control, "Ready to begin?")  # a single choice
    every_phone_shows(phones, "Ready to begin?")
    expect(screen.get_by_text("Ready to begin?")).to_be_visible()

    choose(phones[0], "Ready")
    choose(phones[1], "I have a question")
    expect(screen.get_by_text("Results appear once 3 people have answered")).to_be_visible()
    assert bar_labels(screen) == []
    choose(phones[2], "Ready")
    expect(screen.locator(".js-plotly-plot text.bartext").first).to_be_visible()
    assert bar_labels(screen) == ["2", "1"]
    # Once the threshold is met, the phones see the same result.
    phones[0].reload()
    expect(phones[0].get_by_text("What the room said")).to_be_visible()

    next_activity(control, "Check-in: how are you arriving?")
    next_activity(control, "What do we already know? (before)")
    next_activity(control, "Good support feels like...")
    every_phone_shows(phones, "Good support feels like...")
    for phone, word in zip(phones, ["Calm", "calm!", "Trust"], strict=True):
        phone.get_by_label("Your word").fill(word)
        phone.get_by_role("button", name="Send").click()
        expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    cloud = screen.locator(".js-plotly-plot text", has_text="calm")
    expect(cloud.first).to_be_visible()
    expect(screen.locator(".js-plotly-plot text", has_text="trust").first).to_be_visible()

    store = Store(f"sqlite:///{server.database}")
    words = sorted(answer.value[0] for answer in store.answers_for(session_id, "support-words"))
    assert words == ["calm", "calm", "trust"]
    assert store.participant_count(session_id) == 3
    store.close()
    nothing_identifies_anyone(server, phones)


def projector_by_link(control, browser, session_id: int) -> None:
    """The projector's own browser opens the screen through a link, with no login: the screen
    only, and still after a reload."""
    control.get_by_text("Links: projector and remote control").click()
    click(control, f"make_link_screen_{session_id}")
    link = control.locator("[data-testid=stCode]").first
    expect(link).to_contain_text("/screen?session=")
    address = link.inner_text().strip()
    projector = browser.new_context(**PROJECTOR).new_page()
    for _ in range(2):  # the second time: a reload, as a projector's browser does
        projector.goto(address)
        expect(projector.get_by_text("3 joined")).to_be_visible()
        assert "/screen?session=" in projector.url
        expect(projector.get_by_text("Workshop library")).to_have_count(0)
    projector.context.close()


def nothing_identifies_anyone(server, phones) -> None:
    """After a browser session: no address, user agent or cookie token of any phone in the
    database (every table, every column) or in the server's log."""
    user_agent = phones[0].evaluate("navigator.userAgent")
    tokens = [cookie["value"] for phone in phones for cookie in phone.context.cookies()]
    assert len(tokens) == 3
    database = sqlite3.connect(server.database)
    stored = []
    for (table,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in database.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 (our own names)
            stored.extend(str(value) for value in row)
    database.close()
    stored_text = "\n".join(stored)
    # The banner names the address phones join at (the server's own); nothing else may.
    banner = f"Phones join at: {server.url}/j"
    log = server.log.read_text().replace(banner, "")
    for text, where in ((stored_text, "database"), (log, "log")):
        for secret in [*tokens, user_agent, "HeadlessChrome", "127.0.0.1", "Mozilla/"]:
            assert secret not in text, f"{secret!r} found in the {where}"


def test_a_server_restart_loses_no_answer_and_no_phone_rescans(server, browser):
    control = facilitator_logs_in(browser, server.url)
    session_id = start_session(control, threshold=2)
    screen = open_screen(control, server.url, session_id)
    phones = phones_join(browser, url_from_qr_code(screen), 2)
    next_activity(control, "Welcome and group agreements")
    next_activity(control, "Ready to begin?")
    every_phone_shows(phones, "Ready to begin?")
    choose(phones[0], "Ready")
    choose(phones[1], "I have a question")

    server.kill()
    server.start()

    store = Store(f"sqlite:///{server.database}")
    answers = store.answers_for(session_id, "agreements-ready")
    assert sorted(answer.value for answer in answers) == [0, 1]
    # Each phone still holds its cookie: after a reload it is the same participant.
    for phone in phones:
        phone.reload()
        expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    assert store.participant_count(session_id) == 2

    # The facilitator's login survives too; the phones follow the next step by themselves.
    control.reload()
    next_activity(control, "Check-in: how are you arriving?")
    every_phone_shows(phones, "Check-in: how are you arriving?")
    phones[0].get_by_label("Sunny spells").check()
    phones[0].get_by_role("button", name="Send").click()
    expect(phones[0].get_by_text("Thank you, your answer is in.")).to_be_visible()
    assert [answer.value for answer in store.answers_for(session_id, "check-in")] == [3]
    store.close()
