"""The page a screen or remote-control link opens speaks the facilitator's language, and tells
the browser which one (Streamlit's own page says English), without a sidebar of its own."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from workshop import PROJECT_FOLDER
from workshop.dashboard import language
from workshop.room import live
from workshop.web import links, runtime

MAIN = PROJECT_FOLDER / "workshop" / "dashboard" / "main.py"


@pytest.fixture
def dashboard(sqlite_store, monkeypatch):
    """The dashboard's own script on the test's database (opened once per process there)."""
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", sqlite_store.url)
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    runtime.shared_store.cache_clear()
    yield
    runtime.shared_store().close()
    runtime.shared_store.cache_clear()


def _link_page(store, session_id: int, purpose: str) -> AppTest:
    secret = links.new_link_secret(store, session_id, purpose)
    app = AppTest.from_file(str(MAIN))
    app.query_params["session"] = str(session_id)
    app.query_params["key"] = secret
    app.run(timeout=30)
    assert not app.exception, app.exception
    return app


def _declared(app: AppTest) -> list[str]:
    return [element.value for element in app.sidebar.get("html")]


@pytest.mark.parametrize("purpose", ["screen", "remote"])
def test_a_links_page_speaks_and_declares_the_chosen_language(
    dashboard, sqlite_store, deck, purpose
):
    session = live.start_session(sqlite_store, deck)
    english = _link_page(sqlite_store, session.id, purpose)
    assert _declared(english) == ['<script>document.documentElement.lang = "en";</script>']
    assert [text.value for text in english.markdown] == ["This link opens one page only."]
    sqlite_store.put_setting(language.SETTING, "es")
    spanish = _link_page(sqlite_store, session.id, purpose)
    assert _declared(spanish) == ['<script>document.documentElement.lang = "es";</script>']
    assert [text.value for text in spanish.markdown] == ["Este enlace abre una sola página."]
    # Said in the sidebar, which the link's page hides: on the remote's phone an empty sidebar
    # would otherwise offer a button to open it.
    styles = [element.value for element in spanish.get("html") if "<style>" in element.value]
    assert any('[data-testid="stSidebar"]' in style for style in styles)
