"""AppTest runs each page function as a script against a real temporary SQLite store."""

import pytest

from workshop.room import live


@pytest.fixture
def database_url(sqlite_store):
    return sqlite_store.url


@pytest.fixture
def session(sqlite_store, deck):
    return live.start_session(sqlite_store, deck, threshold=2)
