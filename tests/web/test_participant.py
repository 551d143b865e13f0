"""The phone pages, through Starlette's test client against a real store."""

import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from workshop.room import live
from workshop.web.facilitator_login import DashboardGate, FacilitatorLogin
from workshop.web.forms import MAX_FORM_BYTES
from workshop.web.headers import SecurityHeaders
from workshop.web.participant.routes import COOKIE, ParticipantPages
from workshop.web.participant.waiting import Waiters


def make_app(store):
    return Starlette(
        routes=ParticipantPages(store, Waiters()).routes() + FacilitatorLogin(store).routes(),
        middleware=[Middleware(SecurityHeaders), Middleware(DashboardGate, store=store)],
    )


@pytest.fixture
def room(store, deck):
    session = live.start_session(store, deck, threshold=2)
    return store, session


def phone(store):
    return TestClient(make_app(store), follow_redirects=True)


def _join(client, session):
    return client.get(f"/j/{session.row.join_code}")


def test_the_code_form_sends_a_typed_code_to_its_session(room):
    store, session = room
    client = phone(store)
    typed = session.row.join_code.lower()[:3] + " " + session.row.join_code.lower()[3:]
    page = client.get("/j", params={"code": typed})
    assert page.url.path == f"/j/{session.row.join_code}"
    assert "You're in" in page.text


def test_joining_sets_an_anonymous_session_scoped_cookie(room):
    store, session = room
    client = phone(store)
    response = client.get(f"/j/{session.row.join_code}", follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert f"Path=/j/{session.row.join_code}" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert store.participant_count(session.id) == 1
    # The same phone again is the same participant.
    _join(client, session)
    assert store.participant_count(session.id) == 1


def test_pages_carry_a_strict_content_security_policy(room):
    store, session = room
    page = _join(phone(store), session)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_an_unknown_code_gets_a_clear_page(room):
    store, _ = room
    page = phone(store).get("/j/QQQQQQ")
    assert page.status_code == 404
    assert "There is no workshop with the code QQQQQQ" in page.text


def test_an_ended_session_says_so(room):
    store, session = room
    live.end_session(store, session.id)
    page = _join(phone(store), session)
    assert "This workshop has ended" in page.text


def test_answer_change_and_see_results(room):
    store, session = room
    live.go_to(store, session.id, 1)  # "Pick a colour", open
    first, second = phone(store), phone(store)
    page = _join(first, session)
    assert "Pick a colour" in page.text and 'name="choice"' in page.text
    assert "Prefer not to answer" in page.text
    page = first.post(f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "0"})
    assert "Thank you, your answer is in" in page.text
    assert "Results appear once 2 people have answered" in page.text
    # Changing the answer shows the form with the previous choice ticked.
    page = first.get(f"/j/{session.row.join_code}", params={"change": "1"})
    assert re.search(r'value="0" checked', page.text)
    first.post(f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "2"})
    _join(second, session)
    second.post(f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "2"})
    assert sorted(answer.value for answer in store.answers_for(session.id, "colour")) == [2, 2]
    page = second.get(f"/j/{session.row.join_code}")
    assert "What the room said" in page.text
    assert re.search(r"Blue</span>\s*<span class=\"count\">2</span>", page.text)


def test_passing_is_recorded_as_a_pass(room):
    store, session = room
    live.go_to(store, session.id, 1)
    client = phone(store)
    _join(client, session)
    page = client.post(f"/j/{session.row.join_code}", data={"activity": "colour", "pass": "1"})
    assert "You passed on this one" in page.text
    [answer] = store.answers_for(session.id, "colour")
    assert answer.passed


def test_an_invalid_answer_keeps_what_was_typed(room):
    store, session = room
    live.go_to(store, session.id, 2)  # word cloud, two words of up to 24 characters
    client = phone(store)
    _join(client, session)
    page = client.post(
        f"/j/{session.row.join_code}",
        data={"activity": "words", "word0": "kindness", "word1": "x" * 30},
    )
    assert page.status_code == 422
    assert "24 characters or fewer" in page.text
    assert 'value="kindness"' in page.text
    assert store.answers_for(session.id, "words") == []


def test_an_overlong_body_is_refused_politely(room):
    store, session = room
    live.go_to(store, session.id, 9)
    client = phone(store)
    _join(client, session)
    page = client.post(
        f"/j/{session.row.join_code}", data={"activity": "say", "text": "x" * (MAX_FORM_BYTES + 1)}
    )
    assert page.status_code == 413
    assert "That answer is too long" in page.text


def test_participant_text_is_escaped_everywhere(room):
    store, session = room
    live.go_to(store, session.id, 9)
    client = phone(store)
    _join(client, session)
    hostile = '<img src=x onerror="alert(1)">'
    client.post(f"/j/{session.row.join_code}", data={"activity": "say", "text": hostile})
    page = client.get(f"/j/{session.row.join_code}", params={"change": "1"})
    assert hostile not in page.text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page.text
    assert store.moderation_queue(session.id, "say")[0].moderation == "pending"


def test_a_worrying_text_is_flagged_for_the_facilitator(room):
    store, session = room
    live.go_to(store, session.id, 9)
    client = phone(store)
    _join(client, session)
    client.post(
        f"/j/{session.row.join_code}", data={"activity": "say", "text": "I want to die some days"}
    )
    assert store.moderation_queue(session.id, "say")[0].moderation == "flagged"


def test_an_answer_without_a_cookie_is_not_stored(room):
    store, session = room
    live.go_to(store, session.id, 1)
    client = TestClient(make_app(store), follow_redirects=False)
    response = client.post(
        f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "1"}
    )
    assert response.status_code == 303
    assert store.answers_for(session.id, "colour") == []


def test_an_answer_after_closing_is_refused_with_a_message(room):
    store, session = room
    live.go_to(store, session.id, 1)
    client = phone(store)
    _join(client, session)
    live.close_activity(store, session.id, "colour")
    page = client.post(f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "1"})
    assert page.status_code == 409
    assert "This activity has closed" in page.text


def test_the_long_poll_answers_at_once_when_the_phone_is_behind(room):
    store, session = room
    client = phone(store)
    _join(client, session)
    live.go_to(store, session.id, 1)
    state = client.get(f"/j/{session.row.join_code}/wait", params={"v": "1"}).json()
    # Moving on and opening the activity was one action: version 1 became 2.
    assert state == {"version": 2, "activity": "colour", "status": "open", "ended": False}


def _wait(client, session, **parameters):
    return client.get(f"/j/{session.row.join_code}/wait", params=parameters).json()


def test_a_move_comes_with_the_phones_new_page(room):
    """The script says what its page shows; a room that has moved on from it answers with the
    page the phone would load, so the phone shows it without asking again."""
    store, session = room
    client = phone(store)
    waiting_page = _join(client, session).text
    assert 'data-activity=""' in waiting_page and 'data-status=""' in waiting_page
    live.go_to(store, session.id, 1)
    state = _wait(client, session, v="1", a="", s="")
    assert state["activity"] == "colour" and state["status"] == "open"
    assert "Pick a colour" in state["page"] and 'data-activity="colour"' in state["page"]
    # The very page a reload draws, its language switch coming back to the session's page.
    assert state["page"] == client.get(f"/j/{session.row.join_code}").text
    assert f'next=%2Fj%2F{session.row.join_code}"' in state["page"]
    assert "wait" not in re.findall(r'href="(/j/language[^"]*)"', state["page"])[0]


def test_the_page_comes_only_when_the_room_has_moved_on_from_it(room):
    store, session = room
    live.go_to(store, session.id, 1)
    client = phone(store)
    _join(client, session)
    version = store.session(session.id).version
    # A reveal moves the version, not the activity or its status: the results section alone
    # is fetched again (the script does), so no page comes.
    live.reveal(store, session.id, "colour")
    assert "page" not in _wait(client, session, v=str(version), a="colour", s="open")
    # A script that does not say what its page shows (one loaded before an upgrade) loads
    # the page itself, as before.
    live.close_activity(store, session.id, "colour")
    assert "page" not in _wait(client, session, v=str(version))
    closed = _wait(client, session, v=str(version), a="colour", s="open")
    assert closed["status"] == "closed" and "This activity is closed." in closed["page"]


def test_the_end_comes_with_the_ended_page_in_the_phones_language(room):
    store, session = room
    client = phone(store)
    client.cookies.set("lang", "es", path="/j")
    _join(client, session)
    live.end_session(store, session.id)
    state = _wait(client, session, v="0", a="", s="")
    assert state["ended"] is True
    assert '<html lang="es">' in state["page"]
    assert state["page"] == _join(client, session).text


def test_a_phone_without_its_participant_gets_no_page_with_the_move(room):
    """A cookie the server issued for a participant the store no longer holds (a backup
    restored from before the phone joined): loading the page would join, so the script does."""
    store, session = room
    client = phone(store)
    _join(client, session)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM participants")
    live.go_to(store, session.id, 1)
    state = _wait(client, session, v="1", a="", s="")
    assert state["activity"] == "colour" and "page" not in state


def test_every_kind_renders_its_form(room, deck):
    store, session = room
    client = phone(store)
    _join(client, session)
    for index, activity in enumerate(deck.activities):
        live.go_to(store, session.id, index)
        page = client.get(f"/j/{session.row.join_code}")
        assert activity.title in page.text
        if activity.answerable:
            assert 'name="pass"' in page.text, activity.kind
            assert f'value="{activity.id}"' in page.text


def test_the_script_and_stylesheet_are_served(room):
    store, _ = room
    client = phone(store)
    assert "long poll" in client.get("/j/assets/tandem.js").text
    assert client.get("/j/assets/tandem.css").headers["content-type"].startswith("text/css")
    assert client.get("/j/assets/other.js").status_code == 404


def test_a_phone_that_has_the_script_is_told_so_without_it(room):
    store, _ = room
    client = phone(store)
    first = client.get("/j/assets/tandem.js")
    assert first.headers["cache-control"] == "public, max-age=86400"
    again = client.get("/j/assets/tandem.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    stale = client.get("/j/assets/tandem.js", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_odd_digits_in_the_long_poll_and_cookie_are_harmless(room):
    store, session = room
    client = phone(store)
    _join(client, session)
    state = client.get(f"/j/{session.row.join_code}/wait", params={"v": "²"}).json()
    assert state["version"] == session.row.version
    # An absurd cookie is replaced by a fresh token rather than looked up.
    stranger = phone(store)
    stranger.cookies.set(COOKIE, "9" * 80, path=f"/j/{session.row.join_code}")
    response = stranger.get(f"/j/{session.row.join_code}", follow_redirects=False)
    assert "You're in" in response.text
    assert response.headers["set-cookie"].startswith(f"{COOKIE}=")


def test_a_phone_sees_its_own_answer_counted_at_once(room):
    store, session = room  # threshold 2
    live.go_to(store, session.id, 1)
    first, second = phone(store), phone(store)
    _join(first, session)
    _join(second, session)
    page = first.post(f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "1"})
    assert "Results appear once 2 people" in page.text
    page = second.post(f"/j/{session.row.join_code}", data={"activity": "colour", "choice": "1"})
    assert "What the room said" in page.text  # the cached result above is not reused
    assert "What the room said" in first.get(f"/j/{session.row.join_code}").text
