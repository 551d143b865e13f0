"""The deck editor, driven through AppTest: what the page shows and what it writes to disk."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck

TIMEOUT = 30


def editor_script(deck_folder: str, practice_file: str = "no-practice-file.toml") -> None:
    from pathlib import Path

    import streamlit as st

    from workshop.curriculum.deck_files import DeckFolders
    from workshop.dashboard import editor

    chosen = editor.render(DeckFolders.inside(Path(deck_folder)), Path(practice_file))
    if chosen is not None:
        st.session_state["run_deck"] = chosen


@pytest.fixture
def app(deck_folder: Path) -> AppTest:
    app = AppTest.from_function(editor_script, args=(str(deck_folder),))
    app.run(timeout=TIMEOUT)
    assert not app.exception
    return app


class Editor:
    """Finds the editor's widgets the way the page names them: by draft generation and the
    activity's key, which the test reads from the draft like the page does."""

    def __init__(self, app: AppTest) -> None:
        self.app = app

    @property
    def draft(self):
        return self.app.session_state["editor_draft"]

    @property
    def prefix(self) -> str:
        return f"editor-{self.app.session_state['editor_generation']}"

    def open(self, choice: str) -> None:
        self.app.selectbox(key="editor_start").set_value(choice)
        self.run(self.app.button(key="editor_open").click())

    def run(self, _=None) -> None:
        self.app.run(timeout=TIMEOUT)
        assert not self.app.exception, self.app.exception

    def field(self, number: int, name: str) -> str:
        """The widget key of a field of activity `number` (1 is the first)."""
        return f"{self.prefix}-{self.draft.activities[number - 1].form_key}-{name}"

    def add(self, kind: str) -> int:
        self.app.selectbox(key=f"{self.prefix}-new-kind").set_value(kind)
        self.run(self.app.button(key=f"{self.prefix}-add").click())
        return len(self.draft.activities)

    def agenda_icon(self, number: int) -> str:
        key = f"{self.prefix}-pick-{self.draft.activities[number - 1].key}"
        return self.app.button(key=key).proto.icon

    def pick(self, number: int) -> None:
        key = f"{self.prefix}-pick-{self.draft.activities[number - 1].key}"
        self.run(self.app.button(key=key).click())

    def type(self, number: int, name: str, text: str) -> None:
        key = self.field(number, name)
        widgets = [widget for widget in self.app.text_area if widget.key == key]
        (widgets[0] if widgets else self.app.text_input(key=key)).input(text)

    def save(self) -> None:
        self.run(self.app.button(key="editor_save").click())

    def errors(self) -> list[str]:
        return [error.value for error in self.app.error]


def test_the_editor_starts_empty_and_offers_every_deck(app):
    assert "Start a new deck" in app.info[0].value
    options = app.selectbox(key="editor_start").options
    assert options[0] == "A new, empty deck"
    assert "A copy of Clear boundaries (30 min) · built-in" in options
    assert not any(option.startswith("Change your deck") for option in options)


def test_a_five_activity_deck_is_built_saved_and_ready_to_run(app, deck_folder):
    editor = Editor(app)
    editor.open("new")
    app.text_input(key=f"{editor.prefix}-title").input("Tuesday evening group")

    welcome = editor.add("info")
    editor.type(welcome, "title", "Welcome")
    editor.type(welcome, "body", "Glad you came.\n\nYou can pass on anything.")

    question = editor.add("single_choice")
    editor.type(question, "title", "How do you feel about asking for help?")
    editor.run()
    # The agenda beside the form already shows the new title.
    labels = [button.label for button in app.button]
    assert "2. How do you feel about asking for help? · 5 min" in labels
    # A question without options: the problem is shown beside the options, and no preview yet.
    assert "needs at least 2 (has 0)" in editor.errors()
    assert any("preview appears once" in caption.value for caption in app.caption)
    assert editor.agenda_icon(question) == ":material/warning:"
    assert editor.agenda_icon(welcome) == ""
    editor.type(question, "options", "Easy\nHard\n\nDepends on who")
    editor.run()
    assert "needs at least 2 (has 0)" not in editor.errors()
    assert editor.agenda_icon(question) == ""
    # The preview: the phone's form, and the projector with made-up answers.
    answering, answered = (frame.proto.srcdoc for frame in app.get("iframe"))
    assert "How do you feel about asking for help?" in answering
    assert "Depends on who" in answering and 'type="radio"' in answering
    # After answering, the phone shows what the made-up room said: a count for every option.
    assert "What the room said" in answered and 'type="radio"' not in answered
    assert answered.count('class="count"') == 3  # one count for each option
    assert re.search(r"\d+ answered · \d+ passed", answered)  # and the passes, in the room's words
    assert len(app.get("plotly_chart")) == 1

    words = editor.add("word_cloud")
    editor.type(words, "title", "One word for support")
    scale = editor.add("scale")
    editor.type(scale, "title", "How clear were today's ideas?")
    closing = editor.add("open_text")
    editor.type(closing, "title", "One small step")
    app.number_input(key=editor.field(closing, "minutes")).set_value(6)
    app.checkbox(key=editor.field(closing, "sensitive")).check()
    editor.save()

    assert "Saved “Tuesday evening group”" in app.success[0].value
    deck = load_deck(deck_folder / "custom" / "tuesday-evening-group.toml")
    assert [activity.kind for activity in deck.activities] == [
        "info",
        "single_choice",
        "word_cloud",
        "scale",
        "open_text",
    ]
    assert deck.activities[0].body == "Glad you came.\n\nYou can pass on anything."
    assert deck.activities[1].options == ["Easy", "Hard", "Depends on who"]
    assert deck.activities[4].minutes == 6 and deck.activities[4].sensitive
    assert deck.minutes == 3 + 5 + 5 + 5 + 6
    editor.run(app.button(key="editor_run").click())
    assert app.session_state["run_deck"] == "tuesday-evening-group"


def test_a_built_in_deck_is_copied_and_the_original_left_alone(app, deck_folder):
    original = (deck_folder / "boundaries-30.toml").read_text("utf-8")
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    assert app.text_input(key=f"{editor.prefix}-title").value == "Clear boundaries (copy)"
    assert app.text_input(key=f"{editor.prefix}-id").value == "boundaries-30-copy"
    assert app.button(key="editor_run").disabled  # nothing saved to run yet
    editor.type(1, "title", "Welcome, everyone")
    editor.save()
    copy = load_deck(deck_folder / "custom" / "boundaries-30-copy.toml")
    assert copy.activities[0].title == "Welcome, everyone"
    assert len(copy.activities) == len(load_deck(deck_folder / "boundaries-30.toml").activities)
    assert (deck_folder / "boundaries-30.toml").read_text("utf-8") == original


def test_a_built_in_id_is_refused_beside_the_save_button(app, deck_folder):
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    app.text_input(key=f"{editor.prefix}-id").input("boundaries-30")
    editor.save()
    assert any("belongs to a built-in deck" in error for error in editor.errors())
    assert list((deck_folder / "custom").glob("*.toml")) == []


def test_activities_are_reordered_and_deleted(app, deck_folder):
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    titles = lambda: [activity.fields["title"] for activity in editor.draft.activities]  # noqa: E731
    first, second, third = titles()[:3]
    editor.pick(2)
    editor.run(app.button(key=f"{editor.prefix}-up").click())
    assert titles()[:3] == [second, first, third]
    assert app.button(key=f"{editor.prefix}-up").disabled  # it is first now, and still chosen
    editor.run(app.button(key=f"{editor.prefix}-delete").click())
    assert titles()[:2] == [first, third]
    editor.save()
    saved = load_deck(deck_folder / "custom" / "boundaries-30-copy.toml")
    assert [activity.title for activity in saved.activities] == titles()


def test_statements_are_added_and_removed_row_by_row(app):
    editor = Editor(app)
    editor.open("new")
    app.text_input(key=f"{editor.prefix}-title").input("Reflection")
    editor.add("info")
    battery = editor.add("battery")  # second: a changed row must not send the form to the first
    editor.run(app.button(key=editor.field(battery, "statements-add")).click())
    editor.run(app.button(key=editor.field(battery, "statements-add")).click())
    app.text_input(key=editor.field(battery, "statements-0-text")).input("I ask for help.")
    app.text_input(key=editor.field(battery, "statements-1-text")).input("I say yes too fast.")
    app.text_input(key=editor.field(battery, "statements-1-construct")).input("self-sacrificing")
    app.selectbox(key=editor.field(battery, "statements-1-direction")).select("concern")
    editor.run()
    # The first statement has no construct: the message sits beside that very field.
    assert editor.errors() == ["cannot be empty"]
    editor.run(app.button(key=editor.field(battery, "statements-0-remove")).click())
    statements = editor.draft.activities[1].fields["statements"]
    assert statements == [
        {"text": "I say yes too fast.", "construct": "self-sacrificing", "direction": "concern"}
    ]
    # Drawn afresh after the removal, the first row shows the statement that is now first.
    assert app.text_input(key=editor.field(battery, "statements-0-text")).value == (
        "I say yes too fast."
    )
    assert editor.errors() == []


def test_duplicate_activity_ids_are_pointed_out(app):
    editor = Editor(app)
    editor.open("new")
    editor.add("info")
    second = editor.add("info")
    app.text_input(key=editor.field(second, "id")).input("info")
    editor.run()
    assert "Another activity in this deck has the same id." in editor.errors()


def test_a_deck_file_with_problems_opens_to_be_mended(app, deck_folder):
    broken = (
        b'id = "mend"\ntitle = "Mend me"\n[[activities]]\nid = "q"\nkind = "single_choice"\n'
        b'title = "Q"\nminutes = 2\noptons = ["A", "B"]\n'
    )
    app.get("file_uploader")[0].set_value(("mend.toml", broken, "application/toml"))
    editor = Editor(app)
    editor.run()
    assert "did you mean 'options'?" in app.warning[0].value
    assert "needs at least 2 (has 0)" in editor.errors()
    editor.type(1, "options", "A\nB")
    editor.save()
    assert load_deck(deck_folder / "custom" / "mend.toml").activities[0].options == ["A", "B"]
    [download] = app.get("download_button")
    assert not download.proto.disabled


def test_your_own_deck_is_changed_in_place_and_reopens_after_a_restart(app, deck_folder):
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    editor.save()
    again = AppTest.from_function(editor_script, args=(str(deck_folder),))
    again.run(timeout=TIMEOUT)
    reopened = Editor(again)
    reopened.open("edit:boundaries-30-copy")
    assert not again.button(key="editor_run").disabled  # saved and unchanged: ready to run
    again.text_input(key=f"{reopened.prefix}-title").input("Boundaries, second draft")
    reopened.run()
    assert again.button(key="editor_run").disabled  # unsaved changes are not run
    reopened.save()
    assert load_deck(deck_folder / "custom" / "boundaries-30-copy.toml").title == (
        "Boundaries, second draft"
    )
    assert len(list((deck_folder / "custom").glob("*.toml"))) == 1


def test_the_library_asks_the_editor_to_open_a_deck(sqlite_store, deck_folder):
    def library_script(database_url: str, folder: str) -> None:
        from pathlib import Path

        import streamlit as st

        from workshop.curriculum.deck_files import DeckFolders
        from workshop.dashboard import library
        from workshop.store import Store

        def on_edit(request: str) -> None:
            st.session_state["editor_request"] = request

        folders = DeckFolders.inside(Path(folder))
        library.render(Store(database_url), folders, Path("no-practice.toml"), on_edit=on_edit)

    library = AppTest.from_function(library_script, args=(sqlite_store.url, str(deck_folder)))
    library.run(timeout=TIMEOUT)
    library.button(key="edit_copy").click().run(timeout=TIMEOUT)
    request = library.session_state["editor_request"]
    assert request == "copy:codependency-to-interdependency-90"

    app = AppTest.from_function(editor_script, args=(str(deck_folder),))
    app.session_state["editor_request"] = request
    app.run(timeout=TIMEOUT)
    editor = Editor(app)
    built_in = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
    assert len(editor.draft.activities) == len(built_in.activities)
    assert app.text_input(key=f"{editor.prefix}-title").value == (
        "From codependency to interdependency (copy)"
    )


def test_unsaved_work_survives_a_reloaded_page_until_it_is_saved(app, deck_folder):
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    editor.type(1, "title", "Welcome back")
    editor.run()

    reloaded = AppTest.from_function(editor_script, args=(str(deck_folder),))
    reloaded.run(timeout=TIMEOUT)
    # The title as written: escaped, so Markdown never reads it.
    said = "Unsaved changes to “Clear boundaries \\(copy\\)” were kept"
    assert said in reloaded.warning[0].value
    reloaded.button(key="editor_restore").click().run(timeout=TIMEOUT)
    carried_on = Editor(reloaded)
    assert carried_on.draft.activities[0].fields["title"] == "Welcome back"
    assert reloaded.text_input(key=carried_on.field(1, "title")).value == "Welcome back"
    carried_on.save()

    after_saving = AppTest.from_function(editor_script, args=(str(deck_folder),))
    after_saving.run(timeout=TIMEOUT)
    assert not after_saving.warning  # nothing left unsaved to offer
    saved = load_deck(deck_folder / "custom" / "boundaries-30-copy.toml")
    assert saved.activities[0].title == "Welcome back"


def test_a_deck_saved_in_the_editor_is_rehearsed_from_the_library(app, deck_folder, sqlite_store):
    editor = Editor(app)
    editor.open("new")
    app.text_input(key=f"{editor.prefix}-title").input("Rehearse me")
    question = editor.add("scale")
    editor.type(question, "title", "How ready are you?")
    editor.save()
    editor.run(app.button(key="editor_run").click())
    chosen = app.session_state["run_deck"]

    def library_script(database_url: str, folder: str, chosen: str) -> None:
        from pathlib import Path

        import streamlit as st

        from workshop.curriculum.deck_files import DeckFolders
        from workshop.dashboard import library
        from workshop.store import Store

        st.session_state.setdefault(library.SELECT_DECK, chosen)  # as the editor hands it over
        folders = DeckFolders.inside(Path(folder))
        library.render(Store(database_url), folders, Path("no-practice.toml"))

    library = AppTest.from_function(
        library_script, args=(sqlite_store.url, str(deck_folder), chosen)
    )
    library.run(timeout=TIMEOUT)
    assert library.selectbox(key="deck").value == "rehearse-me"
    library.number_input(key="rehearsal_people").set_value(6)
    library.button(key="rehearse").click().run(timeout=TIMEOUT)
    [row] = sqlite_store.sessions()
    assert row.rehearsal and row.deck_id == "rehearse-me"
    assert sqlite_store.answer_counts(row.id) == {"scale": 6}


def test_the_support_slide_is_previewed_with_the_practice_resources(deck_folder, tmp_path):
    practice = tmp_path / "practice.toml"
    practice.write_text('[support]\nresources = ["Ask at reception"]\n', "utf-8")
    app = AppTest.from_function(editor_script, args=(str(deck_folder), str(practice)))
    app.run(timeout=TIMEOUT)
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    fields = [activity.fields for activity in editor.draft.activities]
    support = 1 + next(
        number for number, each in enumerate(fields) if each.get("support_resources")
    )
    editor.pick(support)
    assert "Ask at reception" in app.get("iframe")[0].proto.srcdoc
    assert "Ask at reception" not in str(fields[support - 1])  # the deck itself is unchanged


def test_your_own_deck_can_be_deleted_and_saved_back(app, deck_folder):
    editor = Editor(app)
    editor.open("copy:boundaries-30")
    assert not any(button.key == "editor_delete_deck" for button in app.button)  # not saved yet
    editor.save()
    path = deck_folder / "custom" / "boundaries-30-copy.toml"
    assert path.exists()
    editor.run(app.button(key="editor_delete_deck").click())
    assert not path.exists()
    assert "Deleted boundaries-30-copy.toml" in app.success[0].value
    assert app.button(key="editor_run").disabled  # nothing in the library to run
    assert (deck_folder / "boundaries-30.toml").exists()  # the built-in is never touched
    editor.save()  # the deck is still open: saving brings it back
    assert load_deck(path).title == "Clear boundaries (copy)"


def test_a_deck_asked_for_from_the_library_never_drops_unsaved_work(app):
    editor = Editor(app)
    editor.open("new")
    app.text_input(key=f"{editor.prefix}-title").input("Half written")
    editor.run()
    app.session_state["editor_request"] = "copy:boundaries-30"
    editor.run()
    assert "“Half written” has unsaved changes." in app.warning[0].value
    assert editor.draft.title == "Half written"
    editor.run(app.button(key="editor_keep").click())
    assert editor.draft.title == "Half written" and not app.warning
    app.session_state["editor_request"] = "copy:boundaries-30"
    editor.run()
    editor.run(app.button(key="editor_replace").click())
    assert editor.draft.title == "Clear boundaries (copy)"
