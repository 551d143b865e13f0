"""After a move every phone reloads at once: the page of an activity none of them has answered
is made once and shared (routes.py `_shared`, recent.py). What must never be shared: a page
holding a phone's own answer, another language, or an older state (a first visit is shared only
among the phones joining)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.web.test_participant import _join, make_app
from workshop.room import live
from workshop.store import Store
from workshop.web.participant import render, routes
from workshop.web.participant.recent import Recent
from workshop.web.participant.routes import COOKIE

SPANISH_BROWSER = {"accept-language": "es-MX,es;q=0.9"}


@dataclass
class Room:
    """A store, a session, and phones: every phone talks to the same server."""

    store: Store
    session: live.Live
    server: Starlette

    @property
    def code(self) -> str:
        return self.session.row.join_code

    def phone(self) -> TestClient:
        return TestClient(self.server, follow_redirects=True)

    def phones_on_the_question(self, count: int) -> list[TestClient]:
        """`count` phones joined, the room then moved to "Pick a colour", open."""
        phones = [self.phone() for _ in range(count)]
        for each in phones:
            _join(each, self.session)
        live.go_to(self.store, self.session.id, 1)
        return phones


@pytest.fixture
def room(store, deck) -> Room:
    session = live.start_session(store, deck, threshold=2)
    return Room(store, session, make_app(store))


@pytest.fixture
def pages_made(monkeypatch) -> list[str]:
    """The templates made into HTML, in order."""
    made: list[str] = []
    make = render.page_html

    def counted(template: str, **context) -> str:
        made.append(template)
        return make(template, **context)

    monkeypatch.setattr(routes, "page_html", counted)
    return made


def test_phones_reloading_after_a_move_share_one_page(room, pages_made):
    phones = room.phones_on_the_question(3)
    del pages_made[:]
    reloaded = [each.get(f"/j/{room.code}").text for each in phones]
    assert 'name="choice"' in reloaded[0] and "Pick a colour" in reloaded[0]
    assert reloaded[1] == reloaded[0] and reloaded[2] == reloaded[0]
    assert pages_made == ["activity.html"]


def test_a_page_with_the_phones_own_answer_is_its_own(room, pages_made):
    answered, other = room.phones_on_the_question(2)
    code = room.code
    answered.post(f"/j/{code}", data={"activity": "colour", "choice": "0"})
    mine = answered.get(f"/j/{code}").text
    theirs = other.get(f"/j/{code}").text
    assert "Thank you, your answer is in" in mine and 'name="choice"' not in mine
    assert 'name="choice"' in theirs and "Thank you" not in theirs
    # Changing it: the form with this phone's choice ticked, never a shared page.
    changing = answered.get(f"/j/{code}", params={"change": "1"}).text
    assert 'value="0" checked' in changing
    assert 'value="0" checked' not in other.get(f"/j/{code}").text


def test_a_first_visit_keeps_its_privacy_note_open(room, pages_made):
    """Phones joining share the page with the note open, each with a cookie of its own; a
    phone that joined earlier gets the page with it closed."""
    [here] = room.phones_on_the_question(1)
    here.get(f"/j/{room.code}")
    del pages_made[:]
    newcomers = [room.phone() for _ in range(2)]
    pages = [_join(newcomer, room.session).text for newcomer in newcomers]
    assert '<details class="privacy" open>' in pages[0] and pages[1] == pages[0]
    assert pages_made == ["activity.html"]
    cookies = [newcomer.cookies.get(COOKIE) for newcomer in newcomers]
    assert None not in cookies and cookies[0] != cookies[1]
    assert room.store.participant_count(room.session.id) == 3
    assert '<details class="privacy" open>' not in here.get(f"/j/{room.code}").text


def test_each_language_has_its_own_page(room):
    english, spanish = room.phones_on_the_question(2)
    spanish.headers.update(SPANISH_BROWSER)
    assert '<html lang="en">' in english.get(f"/j/{room.code}").text
    assert '<html lang="es">' in spanish.get(f"/j/{room.code}").text


def test_a_new_state_is_never_served_from_an_older_page(room):
    """Within the second a page is shared, the facilitator closes the activity: the next phone
    gets the closed page."""
    first, second = room.phones_on_the_question(2)
    assert 'name="choice"' in first.get(f"/j/{room.code}").text
    live.close_activity(room.store, room.session.id, "colour")
    closed = second.get(f"/j/{room.code}").text
    assert 'name="choice"' not in closed and "This activity is closed." in closed


def test_phones_still_answering_share_their_page_while_answers_come_in(room, pages_made):
    """A form shows neither the room's result nor its count: an answer stored meanwhile does
    not make it again."""
    phones = room.phones_on_the_question(3)
    code = room.code
    phones[0].get(f"/j/{code}")
    phones[1].post(f"/j/{code}", data={"activity": "colour", "choice": "2"})
    del pages_made[:]
    pages = [phones[0].get(f"/j/{code}").text, phones[2].get(f"/j/{code}").text]
    assert 'name="choice"' in pages[0] and pages[1] == pages[0]
    assert pages_made == []


def test_a_shared_page_shows_the_room_as_it_is(room):
    """A phone that never answered sees the closed activity's result with every answer in."""
    phones = room.phones_on_the_question(3)
    code = room.code
    phones[0].get(f"/j/{code}")
    for each in phones[1:]:
        each.post(f"/j/{code}", data={"activity": "colour", "choice": "2"})
    live.close_activity(room.store, room.session.id, "colour")
    page = phones[0].get(f"/j/{code}").text
    assert "What the room said" in page
    assert re.search(r'Blue</span>\s*<span class="count">2</span>', page)


def test_recent_values_expire_and_stay_within_their_limit():
    now = [0.0]
    recent: Recent[str] = Recent(1.0, limit=2, clock=lambda: now[0])
    made: list[str] = []

    def make(value: str):
        def maker() -> str:
            made.append(value)
            return value

        return maker

    assert recent.get("a", make("a1")) == "a1"
    now[0] = 0.9
    assert recent.get("a", make("a2")) == "a1"
    now[0] = 1.0
    assert recent.get("a", make("a3")) == "a3"
    recent.get("b", make("b1"))
    recent.get("c", make("c1"))  # over the limit: everything made before is forgotten
    assert recent.get("a", make("a4")) == "a4"
    assert made == ["a1", "a3", "b1", "c1", "a4"]
