"""The very first visit: no passcode exists, and the laptop's own browser chooses one."""

from __future__ import annotations

import re

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


def setup_link_in_the_terminal(server: Server) -> str:
    """The one-time link the server printed at start, as the person at the laptop sees it."""
    found = re.search(
        r"http://localhost:\d+(/facilitator/setup\?token=\S+)", server.log.read_text()
    )
    assert found, server.log.read_text()
    return server.url + found.group(1)


def test_the_first_visit_chooses_a_passcode_and_lands_in_the_library(fresh_server, browser):
    page = browser.new_context(**PROJECTOR).new_page()
    page.goto(fresh_server.url + "/")
    # Without the link from the terminal, nobody can choose the passcode, not even at the laptop.
    expect(page.get_by_text("setup link Tandem printed in the terminal")).to_be_visible()
    expect(page.get_by_label("Passcode (at least 8 characters)")).to_have_count(0)
    page.goto(setup_link_in_the_terminal(fresh_server))
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
