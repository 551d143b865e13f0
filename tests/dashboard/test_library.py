from pathlib import Path

from streamlit.testing.v1 import AppTest

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.web.participant.render import HERE as PARTICIPANT_FOLDER

# The deck the library chooses first; its activities are read from the file, which the
# curriculum's authors change.
NINETY = DECK_FOLDER / "codependency-to-interdependency-90.toml"


def library_script(
    database_url: str, deck_folder: str, practice_file: str = "no-practice-file.toml"
) -> None:
    from pathlib import Path

    import streamlit as st

    from workshop.curriculum.deck_files import DeckFolders
    from workshop.dashboard import library
    from workshop.store import Store

    folders = DeckFolders.inside(Path(deck_folder))
    opened = library.render(Store(database_url), folders, Path(practice_file))
    if opened is not None:
        st.session_state["opened"] = opened


def test_the_library_previews_the_built_in_deck_and_starts_a_session(sqlite_store):
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    assert not app.exception
    assert app.selectbox(key="deck").value == "codependency-to-interdependency-90"
    preview = app.dataframe[0].value
    deck = load_deck(NINETY)
    # Every activity, then the minutes no activity owns: the plan adds up to the deck's length.
    titles = [activity.title for activity in deck.activities]
    assert list(preview["Activity"]) == [*titles, "Joining and moving between activities"]
    assert preview["Minutes"].sum() == deck.minutes == 90
    private = [activity.title for activity in deck.activities if activity.sensitive]
    assert private and all(
        row["Private"] == "yes" for _, row in preview.iterrows() if row["Activity"] in private
    )
    app.number_input(key="threshold").set_value(3)
    app.button(key="start").click().run(timeout=20)
    [row] = sqlite_store.sessions()
    assert row.threshold == 3 and row.status == "live"
    assert row.deck_id == "codependency-to-interdependency-90"
    assert row.join_code in app.success[0].value
    assert app.session_state["opened"] == row.id


def test_private_activities_get_their_own_larger_threshold(sqlite_store):
    """Beside the threshold, a deck with private activities asks for theirs (8 by default); a
    number below the threshold is raised to it."""
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    assert app.number_input(key="private_threshold").value == 8
    app.number_input(key="threshold").set_value(4)
    app.number_input(key="private_threshold").set_value(10)
    app.button(key="start").click().run(timeout=20)
    [row] = sqlite_store.sessions()
    assert (row.threshold, row.private_threshold) == (4, 10)
    app.number_input(key="threshold").set_value(6)
    app.number_input(key="private_threshold").set_value(2)
    app.button(key="start").click().run(timeout=20)
    newest = max(sqlite_store.sessions(), key=lambda session: session.id)
    assert (newest.threshold, newest.private_threshold) == (6, 6)


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


PHONE_STYLESHEET = PARTICIPANT_FOLDER / "static" / "tandem.css"


def test_each_activity_can_be_previewed_as_a_phone_shows_it(sqlite_store):
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    activities = load_deck(NINETY).activities
    number, check_in = next(
        (number, activity) for number, activity in enumerate(activities) if activity.kind == "scale"
    )
    app.selectbox(key="preview_activity").set_value(number).run(timeout=20)
    [frame] = app.get("iframe")
    html = frame.proto.srcdoc
    assert check_in.title in html
    assert 'name="point"' in html and check_in.points[0] in html
    assert "Prefer not to answer" in html
    assert PHONE_STYLESHEET.read_text(encoding="utf-8") in html  # the phones' CSS, intact
    assert any(f"Scale · {check_in.minutes:g} min" in caption.value for caption in app.caption)
    assert check_in.notes.split("\n")[0] in app.text[0].value


def test_the_preview_escapes_deck_text():
    from workshop.curriculum.decks import parse_deck
    from workshop.web.participant.render import phone_preview

    deck = parse_deck(
        {
            "id": "x",
            "title": "X",
            "activities": [
                {
                    "id": "a",
                    "kind": "single_choice",
                    "title": "<script>alert(1)</script>",
                    "minutes": 1,
                    "options": ["<b>yes</b>", "no"],
                }
            ],
        }
    )
    html = phone_preview(deck.activities[0], deck.title)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;yes&lt;/b&gt;" in html


def test_a_rehearsal_starts_from_the_library(sqlite_store):
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    app.number_input(key="rehearsal_people").set_value(7)
    app.button(key="rehearse").click().run(timeout=20)
    [row] = sqlite_store.sessions()
    assert row.rehearsal
    assert sqlite_store.participant_count(row.id) == 7
    assert app.session_state["opened"] == row.id
    assert sqlite_store.sessions(include_rehearsals=False) == []


def test_the_library_opens_on_the_deck_last_used(sqlite_store):
    from workshop.curriculum.deck_files import load_deck
    from workshop.room import live

    boundaries = load_deck(DECK_FOLDER / "boundaries-30.toml")
    live.start_session(sqlite_store, boundaries)
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    assert app.selectbox(key="deck").value == "boundaries-30"
    labels = app.selectbox(key="deck").options
    assert labels.index("From codependency to interdependency (60 min)") < labels.index(
        "From codependency to interdependency (120 min)"
    )


SMALL_DECK = b"""id = "our-evening"
title = "Our evening group"
[[activities]]
id = "hello"
kind = "single_choice"
title = "Hello"
minutes = 3
options = ["Fine", "Tired"]
"""


def _library_with_copies(sqlite_store, tmp_path):
    import shutil

    for path in DECK_FOLDER.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(tmp_path)))
    app.run(timeout=20)
    return app


def test_a_deck_file_can_be_added_and_is_kept(sqlite_store, tmp_path):
    app = _library_with_copies(sqlite_store, tmp_path)
    app.get("file_uploader")[0].set_value(("evening.toml", SMALL_DECK, "application/toml"))
    app.run(timeout=20)
    assert app.selectbox(key="deck").value == "our-evening"
    assert "Added “Our evening group”" in app.success[0].value
    assert (tmp_path / "custom" / "our-evening.toml").read_bytes() == SMALL_DECK
    assert any("Your practice's deck" in caption.value for caption in app.caption)
    # A new page (a restart) still lists it.
    again = AppTest.from_function(library_script, args=(sqlite_store.url, str(tmp_path)))
    again.run(timeout=20)
    assert "Our evening group (3 min)" in again.selectbox(key="deck").options


def test_a_broken_upload_is_refused_with_its_problems(sqlite_store, tmp_path):
    app = _library_with_copies(sqlite_store, tmp_path)
    broken = SMALL_DECK.replace(b'options = ["Fine", "Tired"]', b'option = ["Fine"]')
    app.get("file_uploader")[0].set_value(("evening.toml", broken, "application/toml"))
    app.run(timeout=20)
    message = app.error[0].value
    assert "evening.toml was not added" in message
    assert "evening.toml, activity 'hello', field 'options': Field required" in message
    assert not (tmp_path / "custom").exists()


def test_a_built_in_deck_cannot_be_overwritten_by_an_upload(sqlite_store, tmp_path):
    app = _library_with_copies(sqlite_store, tmp_path)
    impostor = SMALL_DECK.replace(b'id = "our-evening"', b'id = "boundaries-30"')
    app.get("file_uploader")[0].set_value(("mine.toml", impostor, "application/toml"))
    app.run(timeout=20)
    assert "belongs to a built-in deck" in app.error[0].value
    assert "Clear boundaries" in (tmp_path / "boundaries-30.toml").read_text("utf-8")


def test_the_chosen_deck_can_be_downloaded(sqlite_store, tmp_path):
    app = _library_with_copies(sqlite_store, tmp_path)
    [download] = app.get("download_button")
    assert "codependency-to-interdependency-90.toml" in download.proto.label


def test_the_preview_shows_the_practice_resources(sqlite_store, tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text('[support]\nresources = ["Ask at reception"]\n', "utf-8")
    arguments = (sqlite_store.url, str(DECK_FOLDER), str(path))
    app = AppTest.from_function(library_script, args=arguments)
    app.run(timeout=20)
    support = next(
        number
        for number, activity in enumerate(load_deck(NINETY).activities)
        if getattr(activity, "support_resources", False)
    )
    app.selectbox(key="preview_activity").set_value(support).run(timeout=20)
    assert "Ask at reception" in app.get("iframe")[0].proto.srcdoc


def test_a_file_that_is_not_text_is_refused_once(sqlite_store, tmp_path):
    app = _library_with_copies(sqlite_store, tmp_path)
    app.get("file_uploader")[0].set_value(("image.toml", b"\xff\xd8\xff\xe0", "application/toml"))
    app.run(timeout=20)
    assert app.error[0].value == "image.toml is not a text file."
    app.run(timeout=20)  # still attached: not handled again
    assert not app.error
    assert not (tmp_path / "custom").exists()


def test_a_session_that_cannot_start_is_said_on_the_page(sqlite_store, monkeypatch):
    from workshop.room import live

    taken = live.start_session(sqlite_store, load_deck(DECK_FOLDER / "boundaries-30.toml"))
    # Every code drawn is one already in use: no free code can be found.
    monkeypatch.setattr(live, "new_join_code", lambda: taken.row.join_code)
    app = AppTest.from_function(library_script, args=(sqlite_store.url, str(DECK_FOLDER)))
    app.run(timeout=20)
    app.button(key="start").click().run(timeout=20)
    assert not app.exception
    assert "Could not find a free join code" in app.error[0].value
    app.button(key="rehearse").click().run(timeout=20)
    assert not app.exception
    assert "Could not find a free join code" in app.error[0].value
    assert len(sqlite_store.sessions()) == 1
