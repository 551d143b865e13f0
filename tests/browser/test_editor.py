"""A counselor builds a five-activity deck in the editor, saves it, and runs it with phones."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from workshop.curriculum.deck_files import load_deck
from workshop.store import Store
from workshop.testing.browser import (
    bar_labels,
    choose,
    choose_from,
    every_phone_shows,
    facilitator_logs_in,
    next_activity,
    open_screen,
    phones_join,
    start_session,
    url_from_qr_code,
)

pytestmark = pytest.mark.browser


def add_activity(page: Page, kind: str, number: int) -> None:
    """Add an activity of `kind` (as the kind list names it); it becomes the one being edited."""
    choose_from(page, "Kind", kind)
    page.get_by_role("button", name="Add activity").click()
    expect(page.get_by_role("button", name=re.compile(rf"^{number}\. New "))).to_be_visible()


def type_into(page: Page, label: str, text: str) -> None:
    """Type into a field and commit it: Enter in a line, Ctrl+Enter in a box of several lines.

    (Tab would commit too, but it lands on the next field's help icon, whose tooltip then
    swallows the next click.)
    """
    field = page.get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    several_lines = field.evaluate("element => element.tagName") == "TEXTAREA"
    field.press("Control+Enter" if several_lines else "Enter")


def retitle(page: Page, number: int, title: str) -> None:
    type_into(page, "Title", title)
    expect(
        page.get_by_role("button", name=re.compile(rf"^{number}\. {re.escape(title)}"))
    ).to_be_visible()


def test_a_deck_built_in_the_editor_runs_with_phones(server, browser):
    control = facilitator_logs_in(browser, server.url)
    control.get_by_role("link", name="Deck editor").click()
    control.get_by_role("button", name="Open in the editor").click()  # a new, empty deck
    type_into(control, "Deck title", "Tuesday evening group")
    expect(control.get_by_role("textbox", name="Deck id (its file name)")).to_have_attribute(
        "placeholder", "tuesday-evening-group"
    )

    add_activity(control, "Information slide", 1)
    retitle(control, 1, "Welcome")
    type_into(control, "Text of the slide (a blank line starts a new paragraph)", "Glad you came.")

    add_activity(control, "Single choice", 2)
    retitle(control, 2, "How are you arriving?")
    # No options yet: the problem shows beside the field, and the phone preview waits.
    beside_the_field = control.get_by_test_id("stAlertContentError")
    expect(beside_the_field.get_by_text("needs at least 2 (has 0)")).to_be_visible()
    type_into(control, "Options, one per line", "Calm\nTired\nCurious")
    expect(beside_the_field).to_have_count(0)
    answering = control.get_by_role("tabpanel", name="Answering").frame_locator("iframe")
    expect(answering.get_by_text("Curious")).to_be_visible()
    control.get_by_role("tab", name=re.compile("^After answering")).click()
    answered = control.get_by_role("tabpanel", name=re.compile("^After answering"))
    expect(answered.frame_locator("iframe").get_by_text("What the room said")).to_be_visible()
    expect(control.get_by_text("once 12 made-up participants have answered")).to_be_visible()

    add_activity(control, "Word cloud", 3)
    retitle(control, 3, "One word for a good friend")
    add_activity(control, "Scale", 4)
    retitle(control, 4, "How useful was this?")
    add_activity(control, "Open text", 5)
    retitle(control, 5, "One small step")
    expect(control.get_by_text(re.compile("5 activities · 26 min"))).to_be_visible()

    control.get_by_role("button", name="Save").click()
    expect(control.get_by_text("Saved “Tuesday evening group”")).to_be_visible()
    saved = load_deck(server.custom_decks / "tuesday-evening-group.toml")
    assert [activity.kind for activity in saved.activities] == [
        "info",
        "single_choice",
        "word_cloud",
        "scale",
        "open_text",
    ]

    control.get_by_role("button", name="Run or rehearse it").click()
    expect(control.get_by_text("Workshop library")).to_be_visible()
    expect(control.get_by_text("Your practice's deck · tuesday-evening-group.toml")).to_be_visible()
    session_id = start_session(control, threshold=2)
    screen = open_screen(control, server.url, session_id)
    phones = phones_join(browser, url_from_qr_code(screen), 2)

    next_activity(control, "Welcome")
    every_phone_shows(phones, "Welcome")
    next_activity(control, "How are you arriving?")
    every_phone_shows(phones, "How are you arriving?")
    choose(phones[0], "Calm")
    choose(phones[1], "Curious")
    expect(screen.locator(".js-plotly-plot text.bartext").first).to_be_visible()
    assert bar_labels(screen) == ["1", "0", "1"]

    next_activity(control, "One word for a good friend")
    every_phone_shows(phones, "One word for a good friend")
    for phone, word in zip(phones, ["Loyal", "loyal"], strict=True):
        phone.get_by_label("Your word").fill(word)
        phone.get_by_role("button", name="Send").click()
        expect(phone.get_by_text("Thank you, your answer is in.")).to_be_visible()
    expect(screen.locator(".js-plotly-plot text", has_text="loyal").first).to_be_visible()

    next_activity(control, "How useful was this?")
    every_phone_shows(phones, "How useful was this?")
    choose(phones[0], "Very much")
    next_activity(control, "One small step")
    every_phone_shows(phones, "One small step")
    phones[1].get_by_label(re.compile("^Your answer")).fill("Say no once this week.")
    phones[1].get_by_role("button", name="Send").click()
    expect(phones[1].get_by_text("Thank you, your answer is in.")).to_be_visible()

    store = Store(f"sqlite:///{server.database}")
    try:
        [row] = store.sessions()
        assert row.deck_id == "tuesday-evening-group"
        assert sorted(
            answer.value for answer in store.answers_for(session_id, "single-choice")
        ) == [
            0,
            2,
        ]
        assert [answer.value for answer in store.answers_for(session_id, "scale")] == [3]
        [text] = store.answers_for(session_id, "open-text")
        assert text.value == "Say no once this week."
    finally:
        store.close()
