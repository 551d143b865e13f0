from streamlit.testing.v1 import AppTest

from workshop.web import keys
from workshop.web.facilitator_login import COOKIE


def gate_script(database_url: str, cookies: dict) -> None:
    import streamlit as st

    from workshop.dashboard import gate
    from workshop.store import Store

    if gate.require_login(Store(database_url), cookies):
        st.write("the dashboard")


def _run(store, cookies):
    app = AppTest.from_function(gate_script, args=(store.url, cookies))
    app.run(timeout=20)
    assert not app.exception
    return app


def _text(app) -> str:
    return " ".join(element.value for element in app.markdown)


def test_first_run_points_to_choosing_a_passcode(sqlite_store):
    app = _run(sqlite_store, {})
    assert "[Choose a passcode](/facilitator/setup)" in _text(app)
    assert "the dashboard" not in _text(app)


def test_without_a_valid_cookie_the_dashboard_stays_shut(sqlite_store):
    keys.set_passcode(sqlite_store, "correct-horse")
    assert "[Log in](/facilitator/login)" in _text(_run(sqlite_store, {}))
    forged = {COOKIE: "99999999999.forged"}
    assert "the dashboard" not in _text(_run(sqlite_store, forged))


def test_a_valid_cookie_opens_the_dashboard(sqlite_store):
    keys.set_passcode(sqlite_store, "correct-horse")
    cookie = keys.login_cookie(keys.server_key(sqlite_store))
    assert "the dashboard" in _text(_run(sqlite_store, {COOKIE: cookie}))
