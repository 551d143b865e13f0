"""Two app processes sharing one PostgreSQL database: how Tandem scales past one machine."""

from __future__ import annotations

import threading

import httpx2
import pytest

from tests.conftest import postgres_schema
from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.server import Server


@pytest.fixture
def two_servers(tmp_path):
    with postgres_schema() as url:
        store = Store(url)
        store.migrate()
        servers = [Server(tmp_path, database_url=url) for _ in range(2)]
        for server in servers:
            server.start()
        try:
            yield store, servers
        finally:
            for server in servers:
                server.stop()
            store.close()


def test_a_phone_is_one_participant_across_processes_and_hears_every_action(two_servers):
    store, (first, second) = two_servers
    deck = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
    session = live.start_session(store, deck, threshold=1)
    live.go_to(store, session.id, 1)
    code = session.row.join_code

    # Cookies are per host, not per port: one phone behind a load balancer, two processes.
    phone = httpx2.Client(timeout=30, follow_redirects=True)
    assert "Ready to begin?" in phone.get(f"{first.url}/j/{code}").text
    answered = phone.post(
        f"{second.url}/j/{code}", data={"activity": "agreements-ready", "choice": "0"}
    )
    assert "Thank you, your answer is in." in answered.text
    assert store.participant_count(session.id) == 1
    assert "Thank you, your answer is in." in phone.get(f"{first.url}/j/{code}").text

    # A phone parked on the first process; the facilitator acts elsewhere (this process).
    version = store.versions([session.id])[session.id]
    replies = {}

    def park() -> None:
        replies["state"] = phone.get(f"{first.url}/j/{code}/wait", params={"v": version}).json()

    waiting = threading.Thread(target=park)
    waiting.start()
    waiting.join(timeout=1.0)
    assert waiting.is_alive(), "the long poll should wait for the facilitator"
    live.next_activity(store, session.id)
    waiting.join(timeout=10)
    assert replies["state"]["activity"] == "check-in"
    assert replies["state"]["version"] > version
    phone.close()
