"""The dashboard speaks the facilitator's language: English until they choose, Spanish once
they do, on every page; and no interface string is left unmarked for the catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop import i18n
from workshop.curriculum import authoring
from workshop.curriculum.deck_files import DECK_FOLDER, list_decks
from workshop.curriculum.decks import Deck
from workshop.dashboard import control, editor, language
from workshop.room import live
from workshop.store import JoinRefused
from workshop.web import facilitator_login

TIMEOUT = 30


# Scripts: each does what dashboard/main.py does before a page, then draws the page ------------


def control_script(database_url: str, session_id: int | None) -> None:
    from workshop.dashboard import control, language
    from workshop.store import Store

    store = Store(database_url)
    language.speak(store)
    control.render(store, session_id, "http://127.0.0.1:8599")


def library_script(database_url: str, deck_folder: str) -> None:
    from pathlib import Path

    from workshop.curriculum.deck_files import DeckFolders
    from workshop.dashboard import language, library
    from workshop.store import Store

    store = Store(database_url)
    speaking = language.speak(store)
    language.choose(store)  # in the sidebar, as on every facilitator page but the projector's
    language.declare(speaking)
    library.render(store, DeckFolders.inside(Path(deck_folder)), Path("no-practice-file.toml"))


def editor_script(database_url: str, deck_folder: str) -> None:
    from pathlib import Path

    from workshop.curriculum.deck_files import DeckFolders
    from workshop.dashboard import editor, language
    from workshop.store import Store

    language.speak(Store(database_url))
    editor.render(DeckFolders.inside(Path(deck_folder)), Path("no-practice-file.toml"))


def review_script(database_url: str) -> None:
    from workshop.dashboard import language, review
    from workshop.store import Store

    store = Store(database_url)
    language.speak(store)
    review.render(store)


def _run(script, *args) -> AppTest:
    app = AppTest.from_function(script, args=args)
    app.run(timeout=TIMEOUT)
    assert not app.exception, app.exception
    return app


@pytest.fixture
def deck_folder(tmp_path) -> str:
    """The built-in decks, and room for the practice's own beside them."""
    folder = tmp_path / "exercises"
    folder.mkdir()
    for deck in DECK_FOLDER.glob("*.toml"):
        (folder / deck.name).write_bytes(deck.read_bytes())
    return str(folder)


def _spanish(store) -> None:
    store.put_setting(language.SETTING, "es")


# The browser's language until chosen; the choice once made ---------------------------------------


def test_until_the_facilitator_chooses_the_browser_decides(sqlite_store, monkeypatch):
    monkeypatch.setattr(language, "browser_asks", lambda: "es-ES,es;q=0.9,en;q=0.8")
    assert language.chosen(sqlite_store) == "es"  # a Spanish laptop's login page
    monkeypatch.setattr(language, "browser_asks", lambda: "de-DE,fr;q=0.5")
    assert language.chosen(sqlite_store) == "en"  # nothing Tandem speaks: English
    sqlite_store.put_setting(language.SETTING, "en")
    monkeypatch.setattr(language, "browser_asks", lambda: "es-ES")
    assert language.chosen(sqlite_store) == "en"  # the facilitator's choice wins


def test_english_is_spoken_until_the_facilitator_chooses(sqlite_store, session):
    assert language.chosen(sqlite_store) == "en"
    app = _run(control_script, sqlite_store.url, session.id)
    assert app.button(key="next").label == "Next"
    assert [metric.label for metric in app.metric][:2] == ["Join code", "Joined"]
    assert app.header[0].value == "The join slide is on screen"


def test_the_switch_stores_the_choice_and_the_page_follows(sqlite_store, deck_folder):
    app = _run(library_script, sqlite_store.url, deck_folder)
    assert app.title[0].value == "Workshop library"
    switch = app.sidebar.selectbox(key=language.SWITCH_KEY.format(language="en"))
    assert switch.label == "Language" and switch.options == ["English", "Español"]
    switch.set_value("es").run(timeout=TIMEOUT)
    assert sqlite_store.setting(language.SETTING) == "es"
    assert app.title[0].value == "Biblioteca de talleres"
    # The browser is told too (Streamlit's own page says English), for screen readers.
    said = [element.value for element in app.sidebar.get("html")]
    assert said == ['<script>document.documentElement.lang = "es";</script>']
    # Drawn afresh for the stored choice: it shows Spanish, named in Spanish.
    switch = app.sidebar.selectbox(key=language.SWITCH_KEY.format(language="es"))
    assert switch.value == "es" and switch.label == "Idioma"
    switch.set_value("en").run(timeout=TIMEOUT)
    assert sqlite_store.setting(language.SETTING) == "en"
    assert app.title[0].value == "Workshop library"


def test_a_choice_made_on_another_device_is_not_undone_by_this_one(sqlite_store, deck_folder):
    app = _run(library_script, sqlite_store.url, deck_folder)
    _spanish(sqlite_store)  # chosen in another tab
    app.run(timeout=TIMEOUT)  # this tab's switch still showed English
    assert sqlite_store.setting(language.SETTING) == "es"
    assert app.title[0].value == "Biblioteca de talleres"


def test_the_library_speaks_spanish(sqlite_store, deck_folder):
    _spanish(sqlite_store)
    app = _run(library_script, sqlite_store.url, deck_folder)
    assert app.selectbox(key="deck").label == "Presentación"
    assert app.button(key="start").label == "Empezar la sesión"
    assert "Actividad" in app.dataframe[0].value.columns
    assert app.number_input(key="threshold").label == (
        "Mostrar los resultados cuando haya respondido este número de personas"
    )
    app.button(key="start").click().run(timeout=TIMEOUT)
    assert app.success[0].value.startswith("Sesión iniciada. Código para entrar: ")


def test_the_control_view_speaks_spanish(sqlite_store, session):
    _spanish(sqlite_store)
    app = _run(control_script, sqlite_store.url, session.id)
    assert app.header[0].value == "En pantalla: la diapositiva para entrar"
    labels = {button.key: button.label for button in app.button}
    assert (labels["previous"], labels["next"], labels["blank"]) == (
        "Anterior",
        "Siguiente",
        "Pausar pantalla",
    )
    app.button(key="next").click().run(timeout=TIMEOUT)
    app.button(key="next").click().run(timeout=TIMEOUT)  # "Pick a colour", now open
    metrics = [metric.label for metric in app.metric]
    assert metrics[:4] == [
        "Código para entrar",
        "Conectados",
        "Respondieron",
        "Prefirieron no responder",
    ]
    assert app.caption[0].value.startswith("Actividad 2 de 10 · ")
    assert app.button(key="close").label == "Cerrar"
    assert app.button(key="reveal").label == "Revelar"


def test_the_editor_speaks_spanish(sqlite_store, deck_folder):
    _spanish(sqlite_store)
    app = _run(editor_script, sqlite_store.url, deck_folder)
    assert app.title[0].value == "Editor de presentaciones"
    assert app.info[0].value.startswith("Empieza una presentación nueva")
    app.button(key="editor_open").click().run(timeout=TIMEOUT)  # a new, empty deck
    labels = [field.label for field in app.text_input]
    assert "Título de la presentación" in labels
    assert app.info[0].value == "Todavía no hay actividades: añade la primera abajo."
    assert app.button(key=next(b.key for b in app.button if b.key.endswith("-add"))).label == (
        "Añadir actividad"
    )


def test_the_review_speaks_spanish(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck, threshold=2)
    live.end_session(sqlite_store, session.id)
    _spanish(sqlite_store)
    app = _run(review_script, sqlite_store.url)
    assert app.title[0].value == "Revisión"
    listing = app.dataframe[0].value
    assert {"Fecha", "Código", "Conectados", "Estado"} <= set(listing.columns)
    assert list(listing["Estado"]) == ["terminada"]
    metrics = [metric.label for metric in app.metric]
    assert metrics == ["Fecha", "Duración", "Conectados", "Asistencia"]


def test_the_login_pages_read_the_same_setting_without_loading_streamlit():
    assert facilitator_login.LANGUAGE_SETTING == language.SETTING


# No string left unmarked ------------------------------------------------------------------------

OPEN, CLOSE = "⟦", "⟧"


class Wrapping:
    """A made-up language: every marked string comes back between ⟦ and ⟧, so any text on the
    page outside them was never marked for translation."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return f"{OPEN}{singular if count == 1 else plural}{CLOSE}"


@pytest.fixture
def wrapping(monkeypatch):
    monkeypatch.setattr(i18n, "translations", lambda language: Wrapping())


def _deck_texts(deck: Deck) -> set[str]:
    """What a deck says (never translated: a deck is written in its own language)."""
    said = {deck.title, deck.description}
    for activity in deck.activities:
        dumped = activity.model_dump()
        said |= {activity.title, activity.prompt or "", activity.notes or ""}
        for name in ("options", "points", "scale", "items", "categories"):
            said |= {str(item) for item in dumped.get(name) or []}
        for row in (dumped.get("statements") or []) + (dumped.get("vignettes") or []):
            said |= {str(value) for value in row.values() if isinstance(value, str)}
        said.add(str(dumped.get("body") or ""))
    return {text for text in said if text}


def _shown(node) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of interface text on the page: labels, help, options,
    headings, captions, Markdown, alerts, metric labels, table headers, block labels. Left out:
    metric values (numbers, the join code), our own HTML (style and script), charts."""
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if kind in ("html", "plotly_chart", "iframe", "code"):
        return
    for name in ("label", "help", "placeholder"):
        value = getattr(node, name, None)
        if isinstance(value, str) and value:
            yield f"{kind}.{name}", value
    if kind in ("selectbox", "multiselect", "radio"):
        for option in node.options:
            yield f"{kind}.option", option
    if kind in ("markdown", "caption", "header", "subheader", "title", "text", "alert", "toast"):
        yield kind, node.value
    if kind in ("info", "warning", "success", "error"):
        yield kind, node.value
    if kind == "dataframe":
        for column in node.value.columns:
            yield "dataframe.column", str(column)
    for block in ("expandable", "popover", "tab"):
        label = getattr(getattr(proto, block, None), "label", "") if proto is not None else ""
        if label:
            yield block, label
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _shown(child)


# Markdown and addresses around marked words (never words of their own).
_SYNTAX = re.compile(
    r"https?://\S+?(?=[)\s]|$)|:small\[|:material/\w+:|\]\(#[\w-]+\)|\*\*|\\(?=\W)"
)


def _unmarked(app: AppTest, allowed: set[str]) -> list[str]:
    """Every piece of shown text with letters outside ⟦...⟧ and outside the deck's own words."""
    found = []
    longest_first = sorted(allowed, key=len, reverse=True)
    for where, text in _shown(app._tree):
        rest = text
        while True:  # innermost first: a marked sentence may hold a marked kind name
            unwrapped = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", rest)
            if unwrapped == rest:
                break
            rest = unwrapped
        for said in longest_first:
            # Only a text that holds `said` can lose it: the substring test spares compiling a
            # pattern for each of the thousands of allowed strings (most of the test's time).
            if said in rest:
                rest = re.sub(rf"(?<!\w){re.escape(said)}(?!\w)", " ", rest)
        rest = _SYNTAX.sub(" ", rest)
        if re.search(r"[^\W\d_]", rest):
            found.append(f"{where}: {text!r}")
    return found


# What may show unmarked besides deck text: the product's name, and each language named in
# itself on the switch (so anyone finds theirs).
ALLOWED = {"Tandem", *i18n.LANGUAGES.values()}


def _control_allowed(deck: Deck, *more: str) -> set[str]:
    from workshop.dashboard.text import literal

    said = _deck_texts(deck) | ALLOWED | set(more)
    return said | {literal(text) for text in said}


def _texts(store, session_id, activity_id, texts):
    for number, text in enumerate(texts):
        person = store.join(session_id, f"{number}" * 64)
        status = "flagged" if "die" in text else "pending"
        store.record_answer(
            session_id, activity_id, person, passed=False, value=text, moderation=status
        )


def test_every_string_in_the_control_view_is_marked(wrapping, sqlite_store, deck):
    session = live.start_session(sqlite_store, deck, threshold=2)
    allowed = _control_allowed(deck, session.row.join_code)
    seen = []

    def look(app: AppTest, moment: str) -> None:
        seen.append(moment)
        assert _unmarked(app, allowed) == [], moment

    app = _run(control_script, sqlite_store.url, session.id)
    look(app, "join slide")
    # A question open with answers in, a full room turning a phone away, the timer running.
    live.set_headcount(sqlite_store, session.id, 3)
    live.go_to(sqlite_store, session.id, 1)
    for number, value in enumerate([0, 1, None]):
        person = sqlite_store.join(session.id, f"{number}" * 64)
        sqlite_store.record_answer(session.id, "colour", person, passed=value is None, value=value)
    with pytest.raises(JoinRefused):
        sqlite_store.join(session.id, "9" * 64)
    live.start_timer(sqlite_store, session.id, 120)
    app.run(timeout=TIMEOUT)
    look(app, "question with answers")
    app.session_state["problem"] = control.LOGIN_ENDED  # what a refused click leaves to say
    app.run(timeout=TIMEOUT)
    look(app, "after a refused click")
    # A private activity, closed and waiting; the screen blanked.
    live.go_to(sqlite_store, session.id, 5)
    live.blank_screen(sqlite_store, session.id, True)
    app.run(timeout=TIMEOUT)
    look(app, "private activity, blank screen")
    live.blank_screen(sqlite_store, session.id, False)
    # Texts waiting for approval, one flagged.
    live.go_to(sqlite_store, session.id, 9)
    texts = ["Quiet helps", "I want to die"]
    _texts(sqlite_store, session.id, "say", texts)
    allowed |= set(texts)
    app.run(timeout=TIMEOUT)
    look(app, "moderation queue")
    live.end_session(sqlite_store, session.id)
    app.run(timeout=TIMEOUT)
    look(app, "ended")
    look(_run(control_script, sqlite_store.url, None), "no session")
    assert len(seen) == 7


def test_every_string_in_the_library_is_marked(wrapping, sqlite_store, deck_folder, deck):
    decks = [listing.deck for listing in list_decks(_folders(deck_folder)) if listing.deck]
    allowed = set(ALLOWED)
    for each in decks:
        allowed |= _control_allowed(each)
    running = live.start_session(sqlite_store, deck, threshold=2)  # listed under Live sessions
    allowed |= _control_allowed(deck, running.row.join_code)
    app = _run(library_script, sqlite_store.url, deck_folder)
    assert _unmarked(app, allowed) == []
    app.button(key="start").click().run(timeout=TIMEOUT)
    allowed.add(sqlite_store.session(_last_session(sqlite_store)).join_code)
    assert _unmarked(app, allowed) == []


def test_every_string_in_the_editor_and_the_review_is_marked(
    wrapping, sqlite_store, deck_folder, deck
):
    allowed = set(ALLOWED)
    for each in [listing.deck for listing in list_decks(_folders(deck_folder)) if listing.deck]:
        allowed |= _control_allowed(each, each.id)
    app = _run(editor_script, sqlite_store.url, deck_folder)
    assert _unmarked(app, allowed) == []
    built_in = "codependency-to-interdependency-90"
    app.selectbox(key="editor_start").set_value(f"copy:{built_in}").run(timeout=TIMEOUT)
    app.button(key="editor_open").click().run(timeout=TIMEOUT)
    # The copy's title and id, made from the deck's (its id's placeholder from its title).
    draft = app.session_state[editor.DRAFT]
    allowed |= {draft.title, draft.id, authoring.slug(draft.title)}
    assert _unmarked(app, allowed) == []
    # The review of a session people answered.
    session = live.start_session(sqlite_store, deck, threshold=2)
    live.go_to(sqlite_store, session.id, 1)
    for number, value in enumerate([0, 1, 2, None]):
        person = sqlite_store.join(session.id, f"{number}" * 64)
        sqlite_store.record_answer(session.id, "colour", person, passed=value is None, value=value)
    live.end_session(sqlite_store, session.id)
    allowed |= _control_allowed(deck, deck.id, session.row.join_code)
    assert _unmarked(_run(review_script, sqlite_store.url), allowed) == []


def _folders(deck_folder: str):
    from workshop.curriculum.deck_files import DeckFolders

    return DeckFolders.inside(Path(deck_folder))


def _last_session(store) -> int:
    return max(row.id for row in store.sessions())


def test_the_check_finds_a_string_left_unmarked(wrapping, sqlite_store):
    """The check above can fail: an English sentence drawn without `_` is caught."""

    def script(database_url: str) -> None:
        import streamlit as st

        from workshop.i18n import gettext as _

        st.button(_("Marked"))
        st.caption("Left unmarked")

    app = _run(script, sqlite_store.url)
    assert _unmarked(app, set()) == ["caption: 'Left unmarked'"]
