"""The very first visit: no passcode exists, and the laptop's own browser chooses one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from workshop.store import Store
from workshop.testing.browser import PROJECTOR
from workshop.testing.server import Server
from workshop.web import keys

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(tmp_path):
    running = Server(tmp_path, passcode=None)
    running.start()
    yield running
    running.stop()


def test_the_first_visit_chooses_a_passcode_and_lands_in_the_library(fresh_server, browser):
    page = browser.new_context(**PROJECTOR).new_page()
    page.goto(fresh_server.url + "/")
    expect(page.get_by_role("heading", name="Choose a facilitator passcode")).to_be_visible()
    page.get_by_label("Passcode (at least 8 characters)").fill("our-group-2026")
    page.get_by_label("The same again").fill("our-group-2026")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Workshop library")).to_be_visible()

    store = Store(fresh_server.database_url)
    assert keys.check_passcode(store, "our-group-2026")
    store.close()
    # Later visits ask for the passcode; the setup page is gone.
    other = browser.new_context(**PROJECTOR).new_page()
    other.goto(fresh_server.url + "/facilitator/setup")
    expect(other.get_by_role("heading", name="Facilitator login")).to_be_visible()
    page.context.close()
    other.context.close()
