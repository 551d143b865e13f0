"""The phones' short way through the server: what takes it, and that a phone page keeps what
it had through Streamlit's stack (our headers, gzip, the database-fault page, HTTP errors)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from workshop.room import live
from workshop.store import Store
from workshop.web.headers import OUR_PAGES_POLICY
from workshop.web.participant.routes import ParticipantPages
from workshop.web.participant.waiting import Waiters
from workshop.web.phone_lane import PhoneLane, is_phone_address, long_poll_code, phone_app

# Nothing listens on port 1: connecting is refused at once, as with PostgreSQL stopped.
DOWN_URL = "postgresql+psycopg://tandem@127.0.0.1:1/workshop"


class Recorder:
    """An ASGI app that notes the paths it was given and answers 200."""

    def __init__(self, name: str, seen: list[tuple[str, str]]) -> None:
        self.name = name
        self.seen = seen

    async def __call__(self, scope, receive, send) -> None:
        self.seen.append((self.name, scope["path"]))
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": self.name.encode()})


@pytest.mark.parametrize(
    ("path", "taken_by"),
    [
        ("/j", "phones"),
        ("/j/", "phones"),
        ("/j/ABC123", "phones"),
        ("/j/ABC123/wait", "phones"),
        ("/j/assets/tandem.css", "phones"),
        ("/", "streamlit"),
        ("/jam", "streamlit"),
        ("/_stcore/health", "streamlit"),
        ("/facilitator/login", "streamlit"),
        ("/control", "streamlit"),
    ],
)
def test_only_the_phone_addresses_take_the_lane(path, taken_by):
    seen: list[tuple[str, str]] = []
    lane = PhoneLane(Recorder("streamlit", seen), phones=Recorder("phones", seen))
    reply = TestClient(lane).get(path)
    assert reply.text == taken_by
    assert seen == [(taken_by, path)]
    assert is_phone_address(path) == (taken_by == "phones")


def test_under_a_prefix_the_phone_addresses_still_take_the_lane():
    """uvicorn's --root-path keeps the prefix in the path (as ASGI asks): /tandem/j/... is a
    phone page all the same."""
    seen: list[tuple[str, str]] = []
    lane = PhoneLane(Recorder("streamlit", seen), phones=Recorder("phones", seen))

    async def ask(path: str) -> None:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "/tandem"}
        scope |= {"headers": [], "query_string": b""}

        async def receive() -> dict:
            return {"type": "http.request", "body": b""}

        async def send(_message: dict) -> None:
            pass

        await lane(scope, receive, send)

    for path in ("/tandem/j/ABC123", "/tandem/control", "/tandem/jam"):
        asyncio.run(ask(path))
    assert seen == [
        ("phones", "/tandem/j/ABC123"),
        ("streamlit", "/tandem/control"),
        ("streamlit", "/tandem/jam"),
    ]


def test_a_websocket_never_takes_the_lane():
    """Streamlit's websocket (any websocket) goes on through Streamlit's stack, whatever its
    path."""
    seen: list[tuple[str, str]] = []

    async def streamlit(scope, receive, send) -> None:
        seen.append(("streamlit", scope["path"]))
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close"})

    lane = PhoneLane(streamlit, phones=Recorder("phones", seen))
    with TestClient(lane).websocket_connect("/j/ABC123/socket"):
        pass
    assert seen == [("streamlit", "/j/ABC123/socket")]


@pytest.fixture
def phones(sqlite_store, deck):
    """A phone on the lane as the server has it: inside a Starlette app (Streamlit's), which
    puts itself in every request's scope, so a route's 404 or 405 is raised, not returned."""
    session = live.start_session(sqlite_store, deck, threshold=2)
    lane = Middleware(PhoneLane, phones=phone_app(ParticipantPages(sqlite_store, Waiters())))
    server = Starlette(
        routes=[Route("/", lambda _request: PlainTextResponse("dashboard"))], middleware=[lane]
    )
    return TestClient(server), session


def test_an_address_no_route_knows_shows_the_code_form_in_the_phones_language(phones):
    client, session = phones
    for path in (f"/j/{session.row.join_code}/nothing", "/j/assets/a/b", "/j/x/y/z"):
        reply = client.get(path, headers={"Accept-Language": "es"})
        assert reply.status_code == 404, path
        assert "No hay ninguna página en esta dirección" in reply.text
        assert 'action="/j"' in reply.text  # the code form, to go on from
        assert reply.headers["content-security-policy"] == OUR_PAGES_POLICY
    english = client.get("/j/x/y/z")
    assert "There is no page at this address" in english.text


def test_a_method_no_route_takes_is_refused_with_our_headers(phones):
    client, session = phones
    for method, path in (("POST", "/j"), ("PUT", f"/j/{session.row.join_code}")):
        reply = client.request(method, path)
        assert reply.status_code == 405, path
        assert reply.headers["x-frame-options"] == "DENY"
        assert reply.headers["content-security-policy"] == OUR_PAGES_POLICY


def test_pages_come_compressed_when_asked_and_the_phone_joins_as_before(phones, sqlite_store):
    client, session = phones
    address = f"/j/{session.row.join_code}"
    squeezed = client.get(address, headers={"Accept-Encoding": "gzip"})
    assert squeezed.status_code == 200
    assert squeezed.headers["content-encoding"] == "gzip"
    assert squeezed.headers["content-security-policy"] == OUR_PAGES_POLICY
    assert sqlite_store.participant_count(session.id) == 1
    plain = client.get(address, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == squeezed.text
    # The long poll's few bytes of JSON stay as they are.
    poll = client.get(f"{address}/wait", params={"v": "0"}, headers={"Accept-Encoding": "gzip"})
    assert poll.status_code == 200 and "content-encoding" not in poll.headers
    script = client.get("/j/assets/tandem.js", headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    assert b"function" in script.content  # decoded by the client: the script itself


def test_a_database_that_does_not_answer_gives_the_page_that_tries_again():
    store = Store(DOWN_URL)
    try:
        client = TestClient(phone_app(ParticipantPages(store, Waiters())))
        page = client.get("/j/ABC123")
        assert page.status_code == 503
        assert "The workshop's database is not answering right now" in page.text
        assert page.headers["content-security-policy"] == OUR_PAGES_POLICY
        client.cookies.set("tandem", "a-phone-token", path="/j/ABC123")
        poll = client.get("/j/ABC123/wait", params={"v": "1"})
        assert poll.status_code == 503 and poll.json() == {"retry": True}
    finally:
        store.close()


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("GET", "/j/ABC123/wait", "ABC123"),
        ("GET", "/j/abc 123/wait", "abc 123"),  # given to the handler as it is, as the router did
        ("POST", "/j/ABC123/wait", None),  # the router's 405
        ("HEAD", "/j/ABC123/wait", None),
        ("GET", "/j/ABC123", None),
        ("GET", "/j//wait", None),
        ("GET", "/j/assets/wait", None),  # an asset's address, as the router has it
        ("GET", "/j/ABC123/wait/more", None),
        ("GET", "/jam/ABC123/wait", None),
    ],
)
def test_only_a_long_poll_takes_the_way_past_the_router(method, path, code):
    assert long_poll_code({"type": "http", "method": method, "path": path}) == code


def test_under_a_prefix_a_long_poll_is_still_known():
    scope = {"type": "http", "method": "GET", "path": "/room/j/ABC123/wait", "root_path": "/room"}
    assert long_poll_code(scope) == "ABC123"


def test_a_long_poll_keeps_our_headers_and_its_page_comes_compressed(phones, sqlite_store):
    """Past the router, the long poll still has what every phone answer has: our headers, and
    gzip for the page that comes with a move; a POST to its address is still refused."""
    client, session = phones
    address = f"/j/{session.row.join_code}"
    client.get(address)  # joins: the cookie
    poll = client.get(f"{address}/wait", params={"v": "0"}, headers={"Accept-Encoding": "gzip"})
    assert poll.status_code == 200 and "version" in poll.json()
    assert poll.headers["content-security-policy"] == OUR_PAGES_POLICY
    assert poll.headers["cache-control"] == "no-store"
    live.go_to(sqlite_store, session.id, 1)
    moved = client.get(
        f"{address}/wait", params={"v": "0", "a": "", "s": ""}, headers={"Accept-Encoding": "gzip"}
    )
    assert moved.headers["content-encoding"] == "gzip"
    assert 'data-activity="colour"' in moved.json()["page"]
    refused = client.post(f"{address}/wait")
    assert refused.status_code == 405
    assert refused.headers["content-security-policy"] == OUR_PAGES_POLICY


class RouteNoted(ParticipantPages):
    """The phone pages, noting for each long poll whether the router had it on its way."""

    def __init__(self, *arguments, **options) -> None:
        super().__init__(*arguments, **options)
        self.routed: list[bool] = []

    async def wait(self, request):
        self.routed.append("route" in request.scope)
        return await super().wait(request)


def test_the_long_poll_reaches_its_handler_without_the_router(sqlite_store, deck):
    """What saves the memory: a long poll never enters the router; a HEAD to the same address
    (and every other request) still does."""
    session = live.start_session(sqlite_store, deck, threshold=2)
    pages = RouteNoted(sqlite_store, Waiters())
    client = TestClient(phone_app(pages))
    address = f"/j/{session.row.join_code}"
    client.get(address)
    assert client.get(f"{address}/wait", params={"v": "0"}).status_code == 200
    assert pages.routed == [False]
    client.head(f"{address}/wait", params={"v": "0"})
    assert pages.routed == [False, True]
    assert client.get("/j/assets/wait").status_code == 404  # an asset's address, not a code's
    assert pages.routed == [False, True]
