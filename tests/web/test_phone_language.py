"""The phone pages speak the phone's language: English or Spanish, chosen by the browser's
Accept-Language or the visible switch at the foot of every page; and no interface string on
them is left out of the catalogue (a pseudo-translation shows any that is)."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from tests.conftest import small_deck_data
from tests.web.test_participant import make_app
from workshop import i18n
from workshop.room import live
from workshop.web.facilitator_login import DashboardGate, FacilitatorLogin
from workshop.web.forms import MAX_FORM_BYTES
from workshop.web.headers import SecurityHeaders
from workshop.web.participant.routes import LANGUAGE_COOKIE, ParticipantPages
from workshop.web.participant.waiting import Waiters

SPANISH_BROWSER = {"accept-language": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"accept-language": "en-GB,en;q=0.9"}

# An answer of each kind of the test deck (tests/conftest.py), as a phone's form sends it.
ANSWERS: dict[str, dict[str, Any]] = {
    "colour": {"choice": "0"},
    "words": {"word0": "tea"},
    "many": {"choice": ["0", "1"]},
    "weather": {"point": "1"},
    "reflect": {"s0": "0", "s1": "1"},
    "quiz": {"s0": "0", "s1": "1"},
    "sort": {"s0": "0"},
    "order": {"rank0": "1", "rank1": "2", "rank2": "3"},
    "say": {"text": "hi"},
}


@pytest.fixture
def room(sqlite_store, deck, monkeypatch):
    # The general support wording, not a practice.toml this machine may have.
    monkeypatch.setenv("WORKSHOP_PRACTICE_FILE", "/nonexistent/practice.toml")
    session = live.start_session(sqlite_store, deck, threshold=2)
    return sqlite_store, session


def phone(
    store, headers: dict[str, str] | None = None, pages: ParticipantPages | None = None, **options
) -> TestClient:
    app = make_app(store) if pages is None else app_of(store, pages)
    options.setdefault("follow_redirects", True)
    return TestClient(app, headers=headers or {}, **options)


def app_of(store, pages: ParticipantPages) -> Starlette:
    """The app of make_app, with these pages (a door made to refuse)."""
    return Starlette(
        routes=pages.routes() + FacilitatorLogin(store).routes(),
        middleware=[Middleware(SecurityHeaders), Middleware(DashboardGate, store=store)],
    )


def crowded(store, *, guessed: bool = True) -> ParticipantPages:
    """Pages whose door turns phones away for now: too many phones are joining at once, and
    (`guessed`) codes were guessed too fast as well."""
    pages = ParticipantPages(store, Waiters())
    if guessed:
        pages.misses.empty = lambda: True
    pages.joins.allow = lambda *arguments: False
    return pages


def spanish(message: str) -> str:
    """The catalogue's Spanish for an interface string; it must have one."""
    with i18n.speaking("es"):
        translated = i18n.gettext(message)
    assert translated != message, f"no Spanish for {message!r}"
    return translated


def spanish_plural(singular: str, plural: str, count: int) -> str:
    with i18n.speaking("es"):
        translated = i18n.ngettext(singular, plural, count)
    assert translated not in (singular, plural), f"no Spanish for {singular!r}"
    return translated


def html_language(page_text: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', page_text)
    assert found, "the page names no language"
    return found.group(1)


def spanish_page(page_text: str, *messages: str) -> None:
    """The page speaks Spanish: so it says, and it says `messages` in Spanish, not English."""
    assert html_language(page_text) == "es"
    for message in messages:
        assert spanish(message) in page_text, message
        assert f">{message}<" not in page_text, message


# The browser's language ---------------------------------------------------------------------


def test_a_spanish_browser_gets_spanish_phone_pages(room, deck):
    store, session = room
    code = session.row.join_code
    client = phone(store, SPANISH_BROWSER)
    spanish_page(client.get("/j").text, "Join a workshop", "The code on the screen", "Join")
    unknown = client.get("/j/QQQQQQ")
    assert unknown.status_code == 404
    spanish_page(unknown.text)
    assert (
        spanish("There is no workshop with the code %(code)s. Please check the screen.")
        % {"code": "QQQQQQ"}
        in unknown.text
    )
    spanish_page(client.get(f"/j/{code}").text, "You're in", "Your privacy")
    for index, activity in enumerate(deck.activities):
        live.go_to(store, session.id, index)
        page = client.get(f"/j/{code}").text
        assert activity.title in page  # deck text stays as the deck wrote it
        if activity.answerable:
            spanish_page(page, "Send", "Prefer not to answer", "Your privacy")
        else:
            spanish_page(page, "Nothing to answer here.")


@pytest.mark.parametrize(
    ("activity", "messages"),
    [
        ("quiz", ["True", "False", "Unsure"]),
        ("many", []),
        ("words", []),
        ("say", ["The facilitator reads answers before any is shown on the screen."]),
        ("order", ["Your order so far", "Undo", "Start again", "place"]),
    ],
)
def test_each_kind_of_form_asks_in_spanish(room, deck, activity, messages):
    store, session = room
    live.go_to(store, session.id, [a.id for a in deck.activities].index(activity))
    page = phone(store, SPANISH_BROWSER).get(f"/j/{session.row.join_code}").text
    spanish_page(page, *messages)
    said = {
        "many": spanish_plural("Pick up to %(num)d.", "Pick up to %(num)d.", 2) % {"num": 2},
        "words": spanish("Word %(number)d") % {"number": 2},
        "order": spanish("{placed} of {total} placed."),
    }.get(activity)
    if said:
        assert said in page


def test_results_and_refusals_are_in_spanish(room):
    store, session = room
    code = session.row.join_code
    live.go_to(store, session.id, 1)  # single choice, threshold 2
    first, second = phone(store, SPANISH_BROWSER), phone(store, SPANISH_BROWSER)
    first.get(f"/j/{code}")
    second.get(f"/j/{code}")
    # A refusal is said by the activity, in the worker thread that draws the page: Spanish too.
    refused = first.post(f"/j/{code}", data={"activity": "colour", "send": "1"})
    assert refused.status_code == 422
    spanish_page(refused.text, "Please pick one option, or pass.")
    page = first.post(f"/j/{code}", data={"activity": "colour", "choice": "0"}).text
    spanish_page(page, "Thank you, your answer is in.", "Change my answer")
    with i18n.speaking("es"):
        waiting = i18n.ngettext(
            "Results appear once %(threshold)d person has answered (passes do not count).",
            "Results appear once %(threshold)d people have answered (passes do not count).",
            2,
        ) % {"threshold": 2}
    assert waiting in page
    second.post(f"/j/{code}", data={"activity": "colour", "pass": "1"})
    page = second.get(f"/j/{code}").text
    spanish_page(page, "You passed on this one. That is always fine.")
    assert "1 respondió · 1 prefirió no responder" in first.get(f"/j/{code}").text
    third = phone(store, SPANISH_BROWSER)
    third.get(f"/j/{code}")
    third.post(f"/j/{code}", data={"activity": "colour", "choice": "1"})
    fragment = first.get(f"/j/{code}/results", params={"activity": "colour"}).text
    assert spanish("What the room said") in fragment
    assert "2 respondieron · 1 prefirió no responder" in fragment
    live.close_activity(store, session.id, "colour")
    late = first.post(f"/j/{code}", data={"activity": "colour", "choice": "1"})
    assert late.status_code == 409
    spanish_page(late.text, "This activity has closed", "Back to the workshop")
    closed = first.get(f"/j/{code}").text
    spanish_page(closed, "This activity is closed.")


def test_the_other_message_pages_are_in_spanish(room):
    store, session = room
    code = session.row.join_code
    live.go_to(store, session.id, 9)  # open text
    client = phone(store, SPANISH_BROWSER)
    client.get(f"/j/{code}")
    too_long = client.post(f"/j/{code}", data={"activity": "say", "text": "x" * MAX_FORM_BYTES})
    assert too_long.status_code == 413
    spanish_page(too_long.text, "That answer is too long", "Please shorten it and send it again.")
    from_elsewhere = client.post(
        f"/j/{code}", data={"activity": "say", "text": "hi"}, headers={"origin": "http://evil"}
    )
    assert from_elsewhere.status_code == 403
    spanish_page(from_elsewhere.text, "Answer not sent")
    live.lock_joins(store, session.id, True)
    full = phone(store, SPANISH_BROWSER).get(f"/j/{code}")
    assert full.status_code == 403
    spanish_page(full.text, "This workshop is full")
    busy = phone(store, SPANISH_BROWSER, pages=crowded(store)).get(f"/j/{code}")
    assert busy.status_code == 429
    spanish_page(busy.text, "Too many tries", "Please wait a moment and try again.")
    joining = phone(store, SPANISH_BROWSER, pages=crowded(store, guessed=False)).get(f"/j/{code}")
    assert joining.status_code == 429
    spanish_page(joining.text, "Joining…")


def test_the_ended_page_is_in_spanish_with_the_support_list(room):
    store, session = room
    live.end_session(store, session.id)
    page = phone(store, SPANISH_BROWSER).get(f"/j/{session.row.join_code}").text
    spanish_page(page, "This workshop has ended", "Where to find support")
    assert spanish("If you are ever in danger, contact your local emergency number.") in page


def test_an_english_browser_gets_english(room):
    store, session = room
    for headers in (ENGLISH_BROWSER, {}, {"accept-language": "fr-FR,de;q=0.8"}):
        page = phone(store, headers).get(f"/j/{session.row.join_code}").text
        assert html_language(page) == "en"
        assert "You're in" in page and "Your privacy" in page


# The switch ---------------------------------------------------------------------------------


def switch_links(page_text: str) -> dict[str, str]:
    """The switch's links, by language, as the page's HTML writes them."""
    links = re.findall(r'<a href="(/j/language\?[^"]+)" lang="([a-z]+)"', page_text)
    return {language: href.replace("&amp;", "&") for href, language in links}


def test_every_phone_page_shows_the_switch_naming_each_language_in_itself(room):
    store, session = room
    client = phone(store, SPANISH_BROWSER)
    for address in ("/j", "/j/QQQQQQ", f"/j/{session.row.join_code}"):
        page = client.get(address).text
        assert '<nav aria-label="Idioma">' in page
        assert ">English</a>" in page and ">Español</a>" in page
        assert re.search(r'lang="es" hreflang="es" aria-current="true">Español<', page)
        assert set(switch_links(page)) == {"en", "es"}


def test_the_switch_sets_a_cookie_of_the_language_only_and_comes_back(room):
    store, session = room
    code = session.row.join_code
    live.go_to(store, session.id, 1)
    client = phone(store, ENGLISH_BROWSER, follow_redirects=False)
    client.get(f"/j/{code}")
    page = client.get(f"/j/{code}", params={"change": "1"}).text
    to_spanish = switch_links(page)["es"]
    response = client.get(to_spanish)
    assert response.status_code == 303
    # Back to the very page it was on, the form to change the answer included.
    assert response.headers["location"] == f"/j/{code}?change=1"
    cookie = next(
        header
        for header in response.headers.get_list("set-cookie")
        if header.startswith(f"{LANGUAGE_COOKIE}=")
    )
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=es;")
    assert "Path=/j;" in cookie and "SameSite=lax" in cookie and "HttpOnly" in cookie
    max_age = int(re.search(r"Max-Age=(\d+)", cookie).group(1))
    assert max_age >= 180 * 24 * 3600
    # The choice wins over the browser's English, on every page.
    page = client.get(f"/j/{code}", params={"change": "1"}).text
    spanish_page(page, "Send")
    spanish_page(client.get("/j").text, "Join a workshop")
    # And back to English over a Spanish browser.
    client.headers.update(SPANISH_BROWSER)
    client.get(switch_links(page)["en"])
    page = client.get(f"/j/{code}").text
    assert html_language(page) == "en" and "Send" in page


def test_a_language_tandem_does_not_speak_sets_no_cookie(room):
    store, _session = room
    client = phone(store, follow_redirects=False)
    for chosen in ("fr", "es; Path=/", "", "ES-es"):
        response = client.get("/j/language", params={"to": chosen, "next": "/j"})
        assert response.status_code == 303
        assert "set-cookie" not in response.headers, chosen
    # A cookie holding anything else is ignored: the browser's language speaks.
    client.cookies.set(LANGUAGE_COOKIE, "xx", path="/j")
    page = client.get("/j", headers=SPANISH_BROWSER).text
    assert html_language(page) == "es"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/j/ABC123",
        "//evil.example/j/ABC123",
        "/\\evil.example/j",
        "\\\\evil.example",
        "/j\\..\\..\\evil",
        "javascript:alert(1)",
        "/j@evil.example",
        " //evil.example",
        "\t/j/ABC123",
        "/jabc",
        "/dashboard",
        "/j/../dashboard",
        "/j/%2e%2e/dashboard",
        "/j/./../../x",
        "/j/language?to=es&next=//evil.example",
        "",
    ],
)
def test_the_switch_never_leaves_the_phone_pages(room, target):
    store, _session = room
    client = phone(store, follow_redirects=False)
    response = client.get("/j/language", params={"to": "es", "next": target})
    assert response.status_code == 303
    assert response.headers["location"] == "/j"


@pytest.mark.parametrize("target", ["/j", "/j/ABC123", "/j/ABC123?change=1", "/j/ABC123?k=x1"])
def test_the_switch_comes_back_to_a_phone_page(room, target):
    store, _session = room
    response = phone(store, follow_redirects=False).get(
        "/j/language", params={"to": "es", "next": target}
    )
    assert response.headers["location"] == target


def test_after_a_form_the_switch_comes_back_to_the_sessions_page(room):
    store, session = room
    code = session.row.join_code
    live.go_to(store, session.id, 1)
    client = phone(store)
    client.get(f"/j/{code}")
    refused = client.post(f"/j/{code}", data={"activity": "colour", "send": "1"})
    assert switch_links(refused.text)["es"] == f"/j/language?to=es&next=%2Fj%2F{code}"


def test_the_pages_keep_their_strict_content_security_policy(room):
    store, session = room
    page = phone(store, SPANISH_BROWSER).get(f"/j/{session.row.join_code}")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "<script>" not in page.text and "style=" not in page.text


# Pseudo-translation: every string on a phone page is marked ---------------------------------


class Pseudo(gettext.NullTranslations):
    """Every marked string comes out in ⟦brackets⟧: text without them was never marked."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return f"⟦{singular if count == 1 else plural}⟧"


def _deck_strings(value: Any) -> Iterator[str]:
    """Every string the test deck's author wrote (titles, prompts, options, statements...)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in {"id", "kind", "construct"}:
                yield from _deck_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _deck_strings(item)


PUNCTUATION = " \t\n.,:;·—–-()[]?!✓…'\"«»/%0123456789"


def _normalised(text: str) -> str:
    return " ".join(text.split()).strip(PUNCTUATION)


# Not interface text: the deck's, the participant's own, the product's name, each language's
# name in itself, the example code.
NOT_INTERFACE = {
    _normalised(text)
    for text in [
        *_deck_strings(small_deck_data()),
        *(
            value
            for fields in ANSWERS.values()
            for value in fields.values()
            if isinstance(value, str)
        ),
        "Tandem",
        "English",
        "Español",
        "ABC123",
    ]
}
# Attributes a person sees or hears, or the script writes on the page.
SPOKEN_ATTRIBUTES = {
    "aria-label",
    "placeholder",
    "title",
    "alt",
    "data-problem",
    "data-progress",
    "data-place",
    "data-at-limit",
}


class _Texts(HTMLParser):
    """Every text node of a page (its title included) and every spoken attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skipping += 1
        self.texts.extend(
            value for name, value in attributes if name in SPOKEN_ATTRIBUTES and value
        )

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(data)


def unmarked(page_text: str, code: str) -> list[str]:
    """What the page says that is neither marked (in ⟦brackets⟧) nor allowed as it is."""
    reader = _Texts()
    reader.feed(page_text)
    found = []
    for text in reader.texts:
        # What is left between the marked strings, in parts a separator set apart.
        for piece in re.split(r"⟦[^⟦⟧]*⟧| · | — ", text.replace(code, "")):
            if "⟦" in piece or "⟧" in piece:
                continue  # inside nested brackets: marked
            normal = _normalised(piece)
            if normal and normal not in NOT_INTERFACE:
                found.append(piece.strip())
    return found


def every_phone_page(store, session, deck) -> Iterator[tuple[str, str]]:
    """(name, HTML) of every page a phone can see in a run through the test deck."""
    code = session.row.join_code
    first, second, third = phone(store), phone(store), phone(store)
    yield "code form", first.get("/j").text
    yield "unknown code", first.get("/j/QQQQQQ").text
    yield "waiting", first.get(f"/j/{code}").text
    second.get(f"/j/{code}")
    third.get(f"/j/{code}")
    for index, activity in enumerate(deck.activities):
        live.go_to(store, session.id, index)
        name = activity.id
        yield f"{name} form", first.get(f"/j/{code}").text
        if not activity.answerable:
            continue
        refused = first.post(f"/j/{code}", data={"activity": name, "send": "1"})
        assert refused.status_code == 422
        yield f"{name} refused", refused.text
        answer = {"activity": name, **ANSWERS[name]}
        yield f"{name} answered", first.post(f"/j/{code}", data=answer).text
        second.post(f"/j/{code}", data=answer)
        yield f"{name} passed", third.post(f"/j/{code}", data={"activity": name, "pass": "1"}).text
        yield f"{name} results", first.get(f"/j/{code}").text
        section = first.get(f"/j/{code}/results", params={"activity": name})
        yield f"{name} results section", section.text
        live.close_activity(store, session.id, name)
        live.reveal(store, session.id, name)
        yield f"{name} closed", first.get(f"/j/{code}").text
        yield f"{name} too late", first.post(f"/j/{code}", data=answer).text
    too_long = {"activity": "say", "text": "x" * MAX_FORM_BYTES}
    yield "too long", first.post(f"/j/{code}", data=too_long).text
    elsewhere = {"origin": "http://evil.example"}
    yield "another site", first.post(f"/j/{code}", data={"activity": "say"}, headers=elsewhere).text
    live.lock_joins(store, session.id, True)
    yield "locked", phone(store).get(f"/j/{code}").text
    live.lock_joins(store, session.id, False)
    live.set_headcount(store, session.id, 3)
    yield "full", phone(store).get(f"/j/{code}").text
    yield "busy", phone(store, pages=crowded(store)).get(f"/j/{code}").text
    yield "joining", phone(store, pages=crowded(store, guessed=False)).get(f"/j/{code}").text
    live.end_session(store, session.id)
    yield "ended", first.get(f"/j/{code}").text


@pytest.fixture
def pseudo(monkeypatch):
    monkeypatch.setattr(i18n, "translations", lambda language: Pseudo())


def test_every_string_on_every_phone_page_is_marked_for_translation(room, deck, pseudo):
    store, session = room
    seen = []
    problems = {}
    for name, page_text in every_phone_page(store, session, deck):
        seen.append(name)
        found = unmarked(page_text, session.row.join_code)
        if found:
            problems[name] = found
    assert not problems
    assert len(seen) == 3 + 1 + 8 * 9 + 7  # every page above was drawn


def test_the_pseudo_translation_catches_an_unmarked_string(room, pseudo):
    # A page with a string nobody marked: the check above would name it.
    store, session = room
    page = phone(store).get(f"/j/{session.row.join_code}").text
    assert "⟦" in page
    assert unmarked(page, session.row.join_code) == []
    forgotten = page.replace("</main>", "<p>Forgotten words</p></main>")
    assert unmarked(forgotten, session.row.join_code) == ["Forgotten words"]
    label = page.replace('aria-label="⟦Language⟧"', 'aria-label="Language"')
    assert unmarked(label, session.row.join_code) == ["Language"]
