"""Support resources come from the practice, never from a built-in phone number."""

import re

import pytest
from starlette.testclient import TestClient

from tests.web.test_participant import make_app
from workshop import PROJECT_FOLDER
from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.curriculum.practice import GENERAL_RESOURCES, CurriculumError, load_practice
from workshop.room import live

REPOSITORY = PROJECT_FOLDER
# Six or more digits in a row, allowing the spaces, dashes and brackets of phone numbers.
PHONE_NUMBER = re.compile(r"\+?\d[\d ()-]{5,}\d")


def test_without_a_practice_file_the_wording_is_general(tmp_path):
    practice = load_practice(tmp_path / "missing.toml")
    assert practice.support.resources == GENERAL_RESOURCES
    assert not any(PHONE_NUMBER.search(line) for line in GENERAL_RESOURCES)


def test_a_spanish_deck_ends_with_the_general_resources_in_spanish(tmp_path):
    spanish = load_deck(DECK_FOLDER / "de-la-codependencia-a-la-interdependencia-90.toml")
    filled = load_practice(tmp_path / "missing.toml").fill(spanish)
    reading = [activity for activity in filled.activities if activity.id == "support"][0]
    assert reading.resources_heading == "Dónde buscar apoyo"
    assert reading.resources[-1].startswith("Si alguna vez estás en peligro")
    # A practice's own words stay as it wrote them, whatever the deck's language.
    own = tmp_path / "practice.toml"
    own.write_text('[support]\nresources = ["Our practice: Tuesdays."]\n', encoding="utf-8")
    filled = load_practice(own).fill(spanish)
    reading = [activity for activity in filled.activities if activity.id == "support"][0]
    assert reading.resources == ["Our practice: Tuesdays."]


def test_the_example_practice_file_is_valid():
    practice = load_practice(REPOSITORY / "practice.example.toml")
    assert practice.support.resources[0].startswith("Our practice")


def test_a_malformed_practice_file_names_the_file_and_field(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text('[support]\nresources = []\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(CurriculumError) as caught:
        load_practice(path)
    problems = [str(problem) for problem in caught.value.problems]
    assert any(
        problem.startswith("practice.toml, field 'support.resources'") for problem in problems
    )
    assert any("field 'support.colour'" in problem for problem in problems)


def test_no_built_in_deck_carries_a_phone_number():
    for path in DECK_FOLDER.glob("*.toml"):
        assert not PHONE_NUMBER.search(path.read_text("utf-8")), path.name


def test_a_session_keeps_the_practice_resources_and_phones_see_them(sqlite_store, tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(
        '[support]\nheading = "Near you"\nresources = ["Drop-in on <Tuesdays>"]\n', "utf-8"
    )
    deck = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
    session = live.start_session(sqlite_store, deck, practice=load_practice(path))
    last = len(deck.activities) - 1
    assert session.deck.activities[last].resources == ["Drop-in on <Tuesdays>"]
    path.write_text('[support]\nresources = ["changed later"]\n', "utf-8")
    live.go_to(sqlite_store, session.id, last)
    page = TestClient(make_app(sqlite_store)).get(f"/j/{session.row.join_code}")
    assert "Near you" in page.text and "Drop-in on &lt;Tuesdays&gt;" in page.text
    assert "changed later" not in page.text


def test_the_library_starts_sessions_with_the_practice_file(sqlite_store, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.test_library import library_script

    path = tmp_path / "practice.toml"
    path.write_text('[support]\nresources = ["Ask at reception"]\n', "utf-8")
    app = AppTest.from_function(
        library_script, args=(sqlite_store.url, str(DECK_FOLDER), str(path))
    )
    app.run(timeout=20)
    app.button(key="start").click().run(timeout=20)
    [row] = sqlite_store.sessions()
    assert "Ask at reception" in row.deck_json
    path.write_text("[support]\nresources = 3\n", "utf-8")
    app.run(timeout=20)
    assert "practice.toml, field 'support.resources'" in app.error[0].value


def test_a_practice_file_that_cannot_be_read_is_named_not_raised(tmp_path):
    binary = tmp_path / "practice.toml"
    binary.write_bytes(b"\xff\xfe not text")
    with pytest.raises(CurriculumError, match="practice.toml: cannot be read"):
        load_practice(binary)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(CurriculumError, match="folder.toml: cannot be read"):
        load_practice(folder)


def test_the_flag_list_is_the_built_in_one_without_a_safety_table(tmp_path):
    from workshop.room.moderation import DEFAULT_FLAG_PHRASES, DEFAULT_FLAGS, flag_list_for

    for practice in (load_practice(tmp_path / "missing.toml"), _practice(tmp_path, "")):
        assert practice.safety.phrases() == DEFAULT_FLAG_PHRASES
        assert flag_list_for(practice).phrases == DEFAULT_FLAGS.phrases


def test_a_practice_adds_its_own_flag_phrases_or_replaces_the_built_in_ones(tmp_path):
    from workshop.room.moderation import DEFAULT_FLAG_PHRASES, flag_list_for

    added = _practice(tmp_path, '[safety]\nflag_phrases = ["no puedo más", "n\'en peux plus"]\n')
    assert added.safety.phrases() == (*DEFAULT_FLAG_PHRASES, "no puedo más", "n'en peux plus")
    flags = flag_list_for(added)
    assert flags.flags("Ya NO PUEDO MAS") and flags.flags("je n’en peux plus")
    assert flags.flags("I want to die")
    replaced = _practice(
        tmp_path, '[safety]\nflag_phrases = ["can\'t go on"]\nreplace_default_phrases = true\n'
    )
    assert replaced.safety.phrases() == ("can't go on",)
    assert not flag_list_for(replaced).flags("I want to die")


def test_the_example_practice_file_adds_flag_phrases():
    from workshop.room.moderation import flag_list_for

    practice = load_practice(REPOSITORY / "practice.example.toml")
    assert practice.safety.flag_phrases and not practice.safety.replace_default_phrases
    for phrase in practice.safety.flag_phrases:
        assert flag_list_for(practice).flags(phrase.replace("*", ""))


@pytest.mark.parametrize(
    ("safety", "field", "message"),
    [
        ('flag_phrases = ["fine", "a*"]', "safety.flag_phrases.1", "3 letters before it"),
        ('flag_phrases = ["kill(ing)? myself"]', "safety.flag_phrases.0", "plain words"),
        ('flag_phrases = ["ok"]', "safety.flag_phrases.0", "at least 3 letters"),
        ("flag_phrases = [3]", "safety.flag_phrases.0", "valid string"),
        ('flag_phrases = "suicid*"', "safety.flag_phrases", "valid list"),
        ('replace_default_phrases = "yes"', "safety.replace_default_phrases", "boolean"),
        ("replace_default_phrases = true", "safety", "needs phrases of your own"),
        ('flag_phrase = ["typo"]', "safety.flag_phrase", "Extra inputs"),
    ],
)
def test_a_malformed_safety_table_names_the_file_and_field(tmp_path, safety, field, message):
    with pytest.raises(CurriculumError) as caught:
        _practice(tmp_path, f"[safety]\n{safety}\n")
    [problem] = caught.value.problems
    assert str(problem).startswith(f"practice.toml, field {field!r}: ")
    assert message in str(problem) and "Value error" not in str(problem)


def test_too_many_flag_phrases_are_refused(tmp_path):
    phrases = ", ".join(f'"phrase number {number}"' for number in range(501))
    with pytest.raises(CurriculumError, match="field 'safety.flag_phrases'"):
        _practice(tmp_path, f"[safety]\nflag_phrases = [{phrases}]\n")


def _practice(tmp_path, text):
    path = tmp_path / "practice.toml"
    path.write_text(text, encoding="utf-8")
    return load_practice(path)
