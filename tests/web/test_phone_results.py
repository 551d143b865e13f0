"""Phones stay current: the results section alone (for the script to swap in), the answers-taken
marker the long poll carries, statements as one bar each, the words without JavaScript, and the
support resources kept on the ended page."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.conftest import small_deck_data
from tests.web.test_participant import make_app
from workshop.curriculum.decks import parse_deck
from workshop.curriculum.practice import GENERAL_RESOURCES
from workshop.renderers import phone as phone_renderer
from workshop.room import live
from workshop.room.results import result_for
from workshop.store import ActivityState, Answer


@pytest.fixture
def room(store, deck):
    session = live.start_session(store, deck, threshold=2)
    return store, session


def phone(store) -> TestClient:
    client = TestClient(make_app(store), follow_redirects=True)
    return client


def joined(store, session) -> TestClient:
    client = phone(store)
    client.get(f"/j/{session.row.join_code}")
    return client


def answer(client, session, **fields) -> str:
    return client.post(f"/j/{session.row.join_code}", data=fields).text


def results_of(client, session, activity: str):
    return client.get(f"/j/{session.row.join_code}/results", params={"activity": activity})


def taken_marker(html: str) -> int | None:
    found = re.search(r'id="room-results" data-taken="(\d+)"', html)
    return int(found.group(1)) if found else None


# The results section and its marker -----------------------------------------------------------


def test_the_results_section_follows_the_room_without_the_rest_of_the_page(room):
    store, session = room
    live.go_to(store, session.id, 1)  # single choice, threshold 2
    first, second = joined(store, session), joined(store, session)
    page = answer(first, session, activity="colour", choice="2")
    # The page after answering marks its results section as following the room's answers.
    marker = taken_marker(page)
    assert marker == store.answers_taken([session.id])[session.id] == 1
    assert "1 answered · 0 passed. Results appear once 2 people" in page

    answer(second, session, activity="colour", choice="2")
    section = results_of(first, session, "colour")
    assert section.status_code == 200
    assert section.headers["cache-control"] == "no-store"
    html = section.text
    assert html.lstrip().startswith('<div id="room-results" data-taken="2"')
    assert "<h1" not in html and "<form" not in html  # the section only
    assert re.search(r'Blue</span>\s*<span class="count">2</span>', html)
    assert "2 answered · 0 passed" in html


def test_a_changed_answer_moves_the_marker_and_the_section(room):
    store, session = room
    live.go_to(store, session.id, 1)
    first, second = joined(store, session), joined(store, session)
    answer(first, session, activity="colour", choice="0")
    answer(second, session, activity="colour", choice="0")
    assert re.search(
        r'Red</span>\s*<span class="count">2</span>', results_of(first, session, "colour").text
    )
    answer(second, session, activity="colour", choice="1")  # a change: no new answer counted
    html = results_of(first, session, "colour").text
    assert taken_marker(html) == 3
    assert re.search(r'Red</span>\s*<span class="count">1</span>', html)
    assert re.search(r'Green</span>\s*<span class="count">1</span>', html)


def test_the_section_is_refused_to_strangers_and_when_the_room_moved_on(room):
    store, session = room
    live.go_to(store, session.id, 1)
    member, still_answering = joined(store, session), joined(store, session)
    answer(member, session, activity="colour", choice="0")
    assert results_of(phone(store), session, "colour").status_code == 403  # no cookie
    # Not answered yet: the phone shows the form, never a section swapped into it.
    assert results_of(still_answering, session, "colour").status_code == 409
    assert results_of(member, session, "words").status_code == 409  # not the activity on screen
    live.go_to(store, session.id, 2)
    assert results_of(member, session, "colour").status_code == 409  # the room moved on


def test_only_a_page_showing_an_open_result_follows_the_answers(room):
    store, session = room
    live.go_to(store, session.id, 1)
    client = joined(store, session)
    form = client.get(f"/j/{session.row.join_code}").text
    assert 'name="choice"' in form and 'id="room-results"' not in form
    page = answer(client, session, activity="colour", choice="0")
    assert taken_marker(page) == 1
    # Changing the answer shows the form again: nothing follows, nothing is swapped into it.
    change = client.get(f"/j/{session.row.join_code}", params={"change": "1"}).text
    assert 'id="room-results"' not in change
    live.close_activity(store, session.id, "colour")
    closed = client.get(f"/j/{session.row.join_code}").text
    assert 'id="room-results"' in closed and taken_marker(closed) is None


def test_the_long_poll_carries_the_marker_only_to_phones_that_follow(room):
    store, session = room
    live.go_to(store, session.id, 1)
    client = joined(store, session)
    answer(client, session, activity="colour", choice="0")
    code = session.row.join_code
    following = client.get(f"/j/{code}/wait", params={"v": "stale", "t": "0"}).json()
    assert following["taken"] == 1 and following["activity"] == "colour"
    plain = client.get(f"/j/{code}/wait", params={"v": "stale"}).json()
    assert "taken" not in plain
    odd = client.get(f"/j/{code}/wait", params={"v": "stale", "t": "1e9"}).json()
    assert "taken" not in odd  # not plain digits: not a marker


# Statements: one compact bar each --------------------------------------------------------------


def test_a_knowledge_check_is_one_bar_per_statement_with_the_right_answer_marked(room):
    store, session = room
    live.go_to(store, session.id, 6)  # quiz: two statements, True / False / Unsure
    phones = [joined(store, session) for _ in range(3)]
    for number, client in enumerate(phones):
        answer(client, session, activity="quiz", s0=str(number % 2), s1="1")
    live.close_activity(store, session.id, "quiz")
    live.reveal(store, session.id, "quiz")
    html = phones[0].get(f"/j/{session.row.join_code}").text
    statements = re.findall(r'<p class="statement">([^<]*)</p>', html)
    assert statements == ["A boundary is about me.", "Codependency is a diagnosis."]
    assert html.count('<svg class="stack"') == 2
    assert ".:" not in html
    # The counts in words under each bar: 2 True and 1 False, then 3 False.
    first, second = re.findall(r'<p class="parts">(.*?)</p>', html, re.S)
    assert re.findall(r'class="count">(\d+)<', first) == ["2", "1", "0"]
    assert re.findall(r'class="count">(\d+)<', second) == ["0", "3", "0"]
    assert re.search(r'part correct">True', first) and re.search(r'part correct">False', second)
    # One legend for all the bars, and the counts in the room's words.
    assert html.count('class="legend"') == 1
    assert "3 answered · 0 passed" in html


def test_a_private_battery_draws_only_what_its_result_holds(deck):
    """Five say "Often" to the first statement, one says "Rarely": the one is never a number,
    and its part of the bar is drawn as held back, not as "Rarely"."""
    activity = deck.activity("reflect")
    answers = [Answer(False, [1, 0], None)] * 5 + [Answer(False, [0, 1], None)]
    answers += [Answer(True, None, None)]
    result = result_for(activity, answers, ActivityState("closed", True), 5)
    view = phone_renderer.view(result)
    assert [row.text for row in view.rows] == ["I notice others first.", "I say yes too fast."]
    first = view.rows[0]
    assert [(part.label, part.count) for part in first.parts] == [
        ("Rarely", "fewer than 3"),
        ("Often", "not shown"),
    ]
    assert all(part.width == 0 for part in first.parts)  # nothing drawn from a withheld count
    assert first.unshown == 100
    assert view.withheld and view.ordered
    assert view.tally == "6 answered · passes not counted (private)"
    # The shades of a two-point scale are far apart: the lightest and the darkest.
    assert [shade for _label, shade in view.legend] == [0, 6]


def test_flat_lines_never_join_a_statement_and_its_option_with_a_colon_after_the_stop(deck):
    activity = deck.activity("quiz")
    answers = [Answer(False, [0, 1], None)] * 3
    result = result_for(activity, answers, ActivityState("open", False), 2)
    labels = [line.label for line in phone_renderer.lines(result)]
    assert "A boundary is about me. — True" in labels
    assert not any(".:" in label for label in labels)


# Without JavaScript ----------------------------------------------------------------------------


def test_without_a_script_the_pages_say_to_reload_and_only_untyped_pages_reload(room):
    store, session = room
    client = joined(store, session)
    waiting = client.get(f"/j/{session.row.join_code}").text
    refresh = '<noscript><meta http-equiv="refresh" content="15"></noscript>'
    assert refresh in waiting
    assert '<p class="follows-not">Reload to see the first activity' in waiting
    # The script's promise is shown only where the script runs (it marks the page with .js).
    assert '<p class="follows">The first activity will appear here by itself' in waiting
    stylesheet = client.get("/j/assets/tandem.css").text
    assert ".follows, .tap { display: none; }" in stylesheet
    assert ".js .follows-not, .js .rank-lists { display: none; }" in stylesheet

    live.go_to(store, session.id, 0)  # an information slide: nothing to type
    info = client.get(f"/j/{session.row.join_code}").text
    assert refresh in info and "Reload to see the next activity" in info
    promises = re.findall(r"<p[^>]*>[^<]*by itself", info)
    assert promises and all('class="follows ' in promise for promise in promises)

    live.go_to(store, session.id, 1)  # a form: never reloaded under the participant's fingers
    form = client.get(f"/j/{session.row.join_code}").text
    assert 'name="choice"' in form and 'http-equiv="refresh"' not in form
    answered = answer(client, session, activity="colour", choice="0")
    assert refresh in answered and "Reload to see the next activity" in answered


# The ended page --------------------------------------------------------------------------------


def test_the_ended_page_keeps_the_decks_support_resources(sqlite_store):
    data = small_deck_data()
    data["activities"].append(
        {
            "id": "support",
            "kind": "info",
            "title": "Support",
            "minutes": 1,
            "support_resources": True,
            "resources_heading": "Where to find support",
        }
    )
    session = live.start_session(sqlite_store, parse_deck(data), threshold=2)
    client = joined(sqlite_store, session)
    live.end_session(sqlite_store, session.id)
    page = client.get(f"/j/{session.row.join_code}").text
    assert "This workshop has ended" in page
    assert "<h2" in page and "Where to find support" in page
    items = re.findall(r"<li>([^<]*)</li>", page)
    assert items == [resource.replace("'", "&#39;") for resource in GENERAL_RESOURCES]


def test_an_ended_session_without_a_support_slide_still_lists_support(room):
    store, session = room
    live.end_session(store, session.id)
    page = phone(store).get(f"/j/{session.row.join_code}").text
    assert "This workshop has ended" in page
    assert GENERAL_RESOURCES[-1] in page


# Ranking ---------------------------------------------------------------------------------------


def test_ranking_offers_buttons_to_tap_and_keeps_the_lists_without_a_script(room):
    store, session = room
    live.go_to(store, session.id, 8)  # ranking: One, Two, Three
    page = joined(store, session).get(f"/j/{session.row.join_code}").text
    assert page.count("<select") == 3  # what works without the script
    assert page.count('class="tap-item"') == 3
    assert '<div class="tap">' in page  # shown where the script runs (see the stylesheet)
    assert 'data-problem="Please give every item a place, or pass."' in page


# The phone's own settings ------------------------------------------------------------------------


def test_the_pages_follow_the_phones_text_size_colour_scheme_and_motion_setting(room):
    store, session = room
    client = joined(store, session)
    page = client.get(f"/j/{session.row.join_code}").text
    [viewport] = re.findall(r'<meta name="viewport" content="([^"]*)">', page)
    assert "maximum-scale" not in viewport and "user-scalable" not in viewport
    stylesheet = client.get("/j/assets/tandem.css").text
    # Every font size in rem or em: a size in px would ignore the size the owner chose.
    sizes = re.findall(r"font(?:-size)?:\s*([^;}]+)", stylesheet)
    assert sizes and not [size for size in sizes if "px" in size]
    assert "@media (prefers-color-scheme: dark)" in stylesheet
    assert "@media (prefers-reduced-motion: reduce)" in stylesheet
