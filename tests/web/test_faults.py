"""A database that does not answer: phones and the facilitator get a page that tries again, the
log gets one line, and a server that cannot open its database stops with one sentence."""

from __future__ import annotations

import contextlib
import io
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from workshop.store import Store
from workshop.web import runtime
from workshop.web.faults import (
    DatabaseFaults,
    database_trouble_message,
    describe,
    is_database_trouble,
    startup_problem,
)
from workshop.web.participant.routes import ParticipantPages
from workshop.web.participant.waiting import Waiters

# Nothing listens on port 1: connecting is refused at once, as with PostgreSQL stopped.
DOWN_URL = "postgresql+psycopg://tandem:hunter2secret@127.0.0.1:1/workshop"
SENTENCE = (
    "The workshop's database is not answering right now. Your answers so far are safe; this page\n"
    "will try again in a few seconds."
)
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) TestPhone/1.0"


@pytest.fixture(scope="module")
def refused() -> OperationalError:
    """A real OperationalError, as psycopg raises it for a server that is down."""
    engine = create_engine(DOWN_URL)
    try:
        with pytest.raises(OperationalError) as caught, engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    return caught.value


def disk_full() -> OperationalError:
    return OperationalError("INSERT ...", {}, sqlite3.OperationalError("database or disk is full"))


class Log:
    """Collects what the middleware writes to its stream; a clock the test moves."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.now = 1000.0

    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()


def make_app(error: BaseException, log: Log, **options) -> Starlette:
    def fail(_request):
        raise error

    def other_bug(_request):
        raise ValueError("a bug of ours")

    def fine(_request):
        return PlainTextResponse("fine")

    def started_then_failed(_request):
        def body():
            yield b"half a page"
            raise error

        return StreamingResponse(body())

    async def echo(websocket):
        await websocket.accept()
        await websocket.send_text("socket ok")
        await websocket.close()

    routes = [
        Route("/j", fail),
        Route("/j/{code}", fail, methods=["GET", "POST"]),
        Route("/j/{code}/wait", fail),
        Route("/j/{code}/bug", other_bug),
        Route("/j/{code}/fine", fine),
        Route("/j/{code}/stream", started_then_failed),
        Route("/facilitator/login", fail, methods=["GET", "POST"]),
        Route("/control", fail),
        Route("/elsewhere", fail),
        WebSocketRoute("/j/{code}/socket", echo),
    ]
    middleware = Middleware(
        DatabaseFaults, stream=lambda: log.stream, clock=lambda: log.now, **options
    )
    return Starlette(routes=routes, middleware=[middleware])


def client(app: Starlette) -> TestClient:
    return TestClient(app, headers={"User-Agent": PHONE})


def test_a_phone_page_whose_database_is_down_says_so_and_tries_again(refused):
    log = Log()
    response = client(make_app(refused, log)).get("/j/ABC123")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert SENTENCE in page
    assert '<meta http-equiv="refresh" content="5">' in page
    # Nothing of the machinery: no traceback, no driver, no address, no credentials.
    for leak in ["Traceback", "psycopg", "OperationalError", "127.0.0.1", "hunter2", "port 1"]:
        assert leak not in page


def test_the_failure_is_one_line_in_the_log_naming_the_problem_and_no_one(refused):
    log = Log()
    client(make_app(refused, log)).get("/j/ABC123", headers={"X-Forwarded-For": "203.0.113.9"})
    [line] = log.lines()
    assert "Database not answering (it refused the connection" in line
    assert "psycopg.OperationalError" in line
    assert "a phone" in line
    # Neither the phone's address, nor its browser, nor the database's address or password.
    for leak in ["testclient", "203.0.113.9", "iPhone", "TestPhone", "127.0.0.1", "hunter2"]:
        assert leak not in line


def test_repeated_failures_are_counted_not_repeated(refused):
    log = Log()
    app = make_app(refused, log, quiet_seconds=10)
    phone = client(app)
    for _ in range(3):
        assert phone.get("/j/ABC123").status_code == 503
    assert phone.get("/j/ABC123/fine").text == "fine"
    assert len(log.lines()) == 1
    log.now += 11
    phone.get("/j/ABC123/wait")
    assert len(log.lines()) == 2
    assert log.lines()[1].endswith("a phone got the 'try again' page (2 more since the last line).")
    log.now += 11
    phone.get("/j/ABC123")
    assert not log.lines()[2].endswith("since the last line).")


def test_the_long_poll_gets_json_to_retry(refused):
    response = client(make_app(refused, Log())).get("/j/ABC123/wait", params={"v": "3"})
    assert response.status_code == 503
    assert response.json() == {"retry": True}
    assert response.headers["retry-after"] == "5"


def test_an_answer_sent_while_the_database_is_down_is_said_to_be_not_saved(refused):
    response = client(make_app(refused, Log())).post("/j/ABC123", data={"answer": "Red"})
    assert response.status_code == 503
    assert SENTENCE in response.text
    assert "has not been saved yet" in response.text


@pytest.mark.parametrize("path", ["/j", "/facilitator/login"])
def test_the_code_form_and_the_facilitator_login_are_guarded_too(refused, path):
    response = client(make_app(refused, Log())).get(path)
    assert response.status_code == 503
    assert SENTENCE in response.text


def test_dashboard_pages_are_guarded_when_named(refused):
    guarded = client(make_app(refused, Log(), pages={"/control"}))
    assert guarded.get("/control").status_code == 503
    unguarded = TestClient(make_app(refused, Log()))
    with pytest.raises(OperationalError):
        unguarded.get("/control")


def test_other_paths_and_other_exceptions_are_not_swallowed(refused):
    log = Log()
    phone = client(make_app(refused, log))
    with pytest.raises(OperationalError):
        phone.get("/elsewhere")
    with pytest.raises(ValueError, match="a bug of ours"):
        phone.get("/j/ABC123/bug")
    assert log.lines() == []
    # And as the server answers them: a plain 500, not our page.
    quiet = TestClient(make_app(refused, log), raise_server_exceptions=False)
    assert quiet.get("/j/ABC123/bug").status_code == 500


def test_an_error_after_the_response_started_is_raised_again(refused):
    log = Log()
    with pytest.raises(OperationalError):
        client(make_app(refused, log)).get("/j/ABC123/stream")
    assert log.lines() == []


def test_websockets_and_the_lifespan_pass_through(refused):
    events = []

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        events.append("started")
        yield
        events.append("stopped")

    app = make_app(refused, Log())
    app.router.lifespan_context = lifespan
    with TestClient(app) as phone, phone.websocket_connect("/j/ABC123/socket") as socket:
        assert socket.receive_text() == "socket ok"
    assert events == ["started", "stopped"]


def test_real_phone_pages_on_a_database_that_is_down(refused):
    """The participant routes themselves, on a store whose PostgreSQL refuses connections."""
    store = Store(DOWN_URL)
    try:
        log = Log()
        app = Starlette(
            routes=ParticipantPages(store, Waiters()).routes(),
            middleware=[Middleware(DatabaseFaults, stream=lambda: log.stream)],
        )
        phone = client(app)
        page = phone.get("/j/ABC123")
        assert page.status_code == 503 and SENTENCE in page.text
        # A phone of the room (with its cookie) polling: told to try again, not to reload.
        phone.cookies.set("tandem", "a-phone-token", path="/j/ABC123")
        poll = phone.get("/j/ABC123/wait", params={"v": "1"})
        assert poll.status_code == 503 and poll.json() == {"retry": True}
        assert len(log.lines()) == 1
        assert "hunter2" not in log.stream.getvalue()
    finally:
        store.close()


def test_database_errors_are_told_from_bugs(refused):
    assert is_database_trouble(refused)
    assert is_database_trouble(disk_full())
    bug = IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not is_database_trouble(bug)
    assert not is_database_trouble(ValueError("no"))


def test_the_dashboard_message_names_the_problem_without_the_address(refused):
    message = database_trouble_message(refused)
    assert message.startswith("The workshop's database is not answering right now")
    assert "refused the connection" in message and "safe" in message
    for leak in ["127.0.0.1", "hunter2", "psycopg", "Traceback", "\n"]:
        assert leak not in message
    full = database_trouble_message(disk_full())
    assert "the disk holding it is full" in full and "Free some space" in full


def test_problems_are_named_in_a_few_words(refused):
    assert describe(refused) == "it refused the connection"
    assert describe(disk_full()) == "the disk holding it is full"
    locked = OperationalError("UPDATE ...", {}, sqlite3.OperationalError("database is locked"))
    assert describe(locked) == "another program keeps it locked"


def test_startup_problems_are_one_sentence_saying_what_to_do(refused, tmp_path):
    message = startup_problem(DOWN_URL, refused)
    assert message.startswith("Tandem cannot reach its database at postgresql+psycopg://tandem:")
    assert "hunter2" not in message and "start that database server" in message
    database = tmp_path / "sessions" / "tandem.db"
    full = startup_problem(f"sqlite:///{database}", disk_full())
    assert full.startswith(f"The disk holding {database.parent} is full")
    assert "\n" not in full


def test_the_server_stops_with_one_sentence_when_the_database_is_down(monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", DOWN_URL)
    runtime.shared_store.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            runtime.shared_store()
    finally:
        runtime.shared_store.cache_clear()
    assert stopped.value.code == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("Tandem cannot reach its database at postgresql+psycopg://")
    assert "hunter2" not in line and "Traceback" not in line


def test_the_server_stops_with_one_sentence_when_its_folder_cannot_be_made(
    tmp_path, monkeypatch, capsys
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{blocker / 'sessions' / 'tandem.db'}")
    runtime.shared_store.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            runtime.shared_store()
    finally:
        runtime.shared_store.cache_clear()
    assert stopped.value.code == 1
    [line] = capsys.readouterr().err.splitlines()
    assert f"{blocker} is a file, not a folder" in line
    assert "WORKSHOP_DATABASE_URL=" in line


def test_the_server_stops_with_one_sentence_when_the_disk_fills_during_start(
    tmp_path, monkeypatch, capsys
):
    """A disk that fills between the start-up check and the first write: SQLite's own error."""
    database = tmp_path / "tandem.db"
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{database}")

    def full(_store):
        raise disk_full()

    monkeypatch.setattr(Store, "migrate", full)
    runtime.shared_store.cache_clear()
    try:
        with pytest.raises(SystemExit):
            runtime.shared_store()
    finally:
        runtime.shared_store.cache_clear()
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"The disk holding {tmp_path} is full")
