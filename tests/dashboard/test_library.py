from pathlib import Path

from streamlit.testing.v1 import AppTest

from workshop.decks import DECK_FOLDER


def library_script(database_url: str, deck_folder: str) -> None:
    from pathlib import Path

    import streamlit as st

    from workshop.dashboard import library
    from workshop.store import Store

    opened = library.render(Store(database_url), Path(deck_folder))
    if opened is not None:
        st.session_state["opened"] = opened


def test_the_library_previews_the_built_in_deck_and_starts_a_session(sqlite_store):
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    assert not app.exception
    assert app.selectbox(key="deck").value == "codependency-to-interdependency-90"
    preview = app.dataframe[0].value
    assert len(preview) == 18
    assert "Private reflection" in list(preview["Activity"])
    app.number_input(key="threshold").set_value(3)
    app.button(key="start").click().run(timeout=20)
    [row] = sqlite_store.sessions()
    assert row.threshold == 3 and row.status == "live"
    assert row.deck_id == "codependency-to-interdependency-90"
    assert row.join_code in app.success[0].value
    assert app.session_state["opened"] == row.id


def test_a_live_session_can_be_resumed(sqlite_store, session):
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    assert "opened" not in app.session_state
    app.button(key=f"resume-{session.id}").click().run(timeout=20)
    assert app.session_state["opened"] == session.id


def test_a_broken_deck_is_shown_with_its_problems(sqlite_store, tmp_path: Path):
    (tmp_path / "broken.toml").write_text(
        'id = "broken"\ntitle = "Broken"\n[[activities]]\nid = "q"\nkind = "scale"\n'
        'title = "Q"\nminutes = 1\n',
        encoding="utf-8",
    )
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(tmp_path)))
    app.run(timeout=20)
    assert "broken.toml, activity 'q', field 'points': Field required" in app.error[0].value
    assert "No usable deck" in app.warning[0].value
