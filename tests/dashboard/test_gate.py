"""The dashboard's own access check: it runs on every script run, behind the websocket that the
gate middleware never sees."""

from streamlit.testing.v1 import AppTest

from workshop.room import live
from workshop.web import keys, links
from workshop.web.facilitator_login import COOKIE


def gate_script(database_url: str, cookies: dict, query: dict) -> None:
    import streamlit as st

    from workshop.dashboard import gate
    from workshop.store import Store

    access = gate.access(Store(database_url), cookies, query)
    if access is not None:
        st.write(f"the dashboard as {access.purpose or 'facilitator'} of {access.session_id}")


def _run(store, cookies, query=None):
    app = AppTest.from_function(gate_script, args=(store.url, cookies, query or {}))
    app.run(timeout=20)
    assert not app.exception
    return app


def _text(app) -> str:
    return " ".join(element.value for element in app.markdown)


def test_first_run_points_to_the_setup_link_in_the_terminal(sqlite_store):
    app = _run(sqlite_store, {})
    assert "setup link printed in the terminal" in _text(app)
    assert "the dashboard" not in _text(app)


def test_without_a_valid_login_the_dashboard_stays_shut(sqlite_store):
    keys.set_passcode(sqlite_store, "correct-horse")
    assert "[Log in](/facilitator/login)" in _text(_run(sqlite_store, {}))
    forged = {COOKIE: "99999999999.forged"}
    assert "the dashboard" not in _text(_run(sqlite_store, forged))


def test_a_login_opens_the_dashboard_until_it_ends(sqlite_store):
    keys.set_passcode(sqlite_store, "correct-horse")
    login = keys.new_login(sqlite_store)
    assert "the dashboard as facilitator" in _text(_run(sqlite_store, {COOKIE: login}))
    keys.end_login(sqlite_store, login)
    assert "the dashboard" not in _text(_run(sqlite_store, {COOKIE: login}))


def test_a_link_opens_only_its_purpose_and_session(sqlite_store, deck):
    keys.set_passcode(sqlite_store, "correct-horse")
    session = live.start_session(sqlite_store, deck)
    secret = links.new_link_secret(sqlite_store, session.id, "remote")
    query = {"session": str(session.id), "key": secret}
    assert f"as remote of {session.id}" in _text(_run(sqlite_store, {}, query))
    links.revoke(sqlite_store, session.id, "remote")
    assert "the dashboard" not in _text(_run(sqlite_store, {}, query))


def test_access_is_asked_again_and_must_be_the_same(sqlite_store, deck):
    """Actions and self-refreshing views ask again: a logout ends them, and a link keeps only
    the access it gave (a screen link is not a remote control)."""
    from workshop.dashboard import gate
    from workshop.web.links import Access

    keys.set_passcode(sqlite_store, "correct-horse")
    login = keys.new_login(sqlite_store)
    assert gate.still_allowed(sqlite_store, {COOKIE: login}, {}, Access())
    keys.end_login(sqlite_store, login)
    assert not gate.still_allowed(sqlite_store, {COOKIE: login}, {}, Access())
    session = live.start_session(sqlite_store, deck)
    secret = links.new_link_secret(sqlite_store, session.id, "screen")
    query = {"session": str(session.id), "key": secret}
    assert gate.still_allowed(sqlite_store, {}, query, Access("screen", session.id))
    assert not gate.still_allowed(sqlite_store, {}, query, Access("remote", session.id))
    keys.set_passcode(sqlite_store, "a-new-passcode")  # a new passcode ends the links too
    assert not gate.still_allowed(sqlite_store, {}, query, Access("screen", session.id))


def test_an_action_after_the_access_ended_changes_nothing(sqlite_store, deck):
    """Streamlit runs a button's callback before the script: the control view's actions ask
    for themselves."""

    def remote(database_url: str, session_id: int, secret: str) -> None:
        from workshop.dashboard import control, gate
        from workshop.store import Store
        from workshop.web.links import Access

        store = Store(database_url)
        granted = Access("remote", session_id)
        query = {"session": str(session_id), "key": secret}
        control.render(
            store,
            session_id,
            None,
            facilitator=False,
            guard=lambda: gate.still_allowed(store, {}, query, granted),
        )

    session = live.start_session(sqlite_store, deck)
    secret = links.new_link_secret(sqlite_store, session.id, "remote")
    app = AppTest.from_function(remote, args=(sqlite_store.url, session.id, secret))
    app.run(timeout=20)
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0
    links.revoke(sqlite_store, session.id, "remote")
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0  # nothing moved
    assert any("login has ended" in warning.value for warning in app.warning)
