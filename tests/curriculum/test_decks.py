from pathlib import Path

import pytest

from tests.conftest import small_deck_data
from workshop.curriculum.deck_files import DECK_FOLDER, DeckFolders, list_decks, load_deck
from workshop.curriculum.decks import CurriculumError, Deck, parse_deck


def test_every_built_in_deck_is_valid():
    listings = list_decks(DeckFolders.inside(DECK_FOLDER))
    assert listings, "exercises/ should hold at least one deck"
    for listing in listings:
        assert listing.error is None, str(listing.error)


def test_the_built_in_workshop_lasts_ninety_minutes():
    deck = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
    assert deck.minutes == 90
    kinds = {activity.kind for activity in deck.activities}
    assert {"info", "knowledge_check", "word_cloud", "scenario_sort", "battery"} <= kinds


def test_built_in_reflection_is_private_and_tags_constructs():
    deck = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
    batteries = [activity for activity in deck.activities if activity.kind == "battery"]
    assert batteries and all(activity.sensitive for activity in batteries)
    for activity in batteries:
        assert all(statement.construct_name for statement in activity.statements)


def test_snapshot_round_trips_through_json(deck):
    again = Deck.from_json(deck.to_json())
    assert again == deck
    assert '"construct"' in deck.to_json()


def _problems(data: dict, file: str = "broken.toml") -> list[str]:
    with pytest.raises(CurriculumError) as caught:
        parse_deck(data, file)
    return [str(problem) for problem in caught.value.problems]


def test_a_missing_field_names_file_activity_and_field():
    data = small_deck_data()
    del data["activities"][1]["options"]
    assert _problems(data) == [
        "broken.toml, activity 'colour', field 'options': Field required "
        "(hint: see the `single_choice` section of docs/decks.md)"
    ]


def test_an_unknown_kind_lists_the_known_ones():
    data = small_deck_data()
    data["activities"][2]["kind"] = "poll"
    [problem] = _problems(data)
    assert problem.startswith("broken.toml, activity 'words', field 'kind': unknown kind")
    assert "single_choice" in problem


def test_a_misspelt_field_is_refused_not_ignored():
    data = small_deck_data()
    data["activities"][4]["point"] = ["a", "b"]
    problems = _problems(data)
    assert problems[0] == (
        "broken.toml, activity 'weather', field 'point': this field is not part of the deck "
        "format (check its spelling) (hint: did you mean 'points'?)"
    )


def test_a_misspelt_kind_gets_a_suggestion():
    data = small_deck_data()
    data["activities"][1]["kind"] = "single-choice"
    [problem] = _problems(data)
    assert problem.endswith("(hint: did you mean 'single_choice'?)")


def test_a_misspelt_deck_field_gets_a_suggestion():
    data = small_deck_data()
    data["titel"] = "Oops"
    [problem] = _problems(data)
    assert problem.startswith("broken.toml, field 'titel'")
    assert problem.endswith("(hint: did you mean 'title'?)")


def test_nested_fields_are_named_with_their_position():
    data = small_deck_data()
    data["activities"][6]["statements"][1]["answer"] = "maybe"
    [problem] = _problems(data)
    assert "activity 'quiz', field 'statements.1.answer'" in problem


def test_duplicate_activity_ids_are_refused():
    data = small_deck_data()
    data["activities"][2]["id"] = "colour"
    [problem] = _problems(data)
    assert "two activities share the id 'colour'" in problem
    assert "give every activity an id of its own" in problem


def test_an_activity_without_an_id_is_named_by_its_position():
    data = small_deck_data()
    del data["activities"][0]["id"]
    [problem] = _problems(data)
    assert problem == (
        "broken.toml, activity 'number 1', field 'id': Field required "
        "(hint: see the `info` section of docs/decks.md)"
    )


def test_toml_syntax_errors_name_the_file(tmp_path: Path):
    path = tmp_path / "typo.toml"
    path.write_text('id = "x"\ntitle = \n', encoding="utf-8")
    with pytest.raises(CurriculumError) as caught:
        load_deck(path)
    assert str(caught.value).startswith("typo.toml: not valid TOML")


def test_the_library_lists_broken_decks_with_their_problems(tmp_path: Path):
    (tmp_path / "good.toml").write_text(
        'id = "good"\ntitle = "Good"\n[[activities]]\nid = "a"\nkind = "info"\n'
        'title = "A"\nminutes = 1\n',
        encoding="utf-8",
    )
    (tmp_path / "bad.toml").write_text('id = "bad"\ntitle = "Bad"\n', encoding="utf-8")
    listings = {listing.path.name: listing for listing in list_decks(DeckFolders.inside(tmp_path))}
    assert listings["good.toml"].deck is not None
    assert listings["bad.toml"].deck is None
    assert "bad.toml, field 'activities': Field required" in str(listings["bad.toml"].error)


def _with_an_after_check(data: dict, taught_in: str) -> dict:
    """The small deck with its quiz asked again at the end, its first statement taught_in."""
    quiz = next(activity for activity in data["activities"] if activity["id"] == "quiz")
    quiz["statements"][0]["taught_in"] = taught_in
    again = {**quiz, "id": "quiz-again", "pairs_with": "quiz"}
    again["statements"] = [dict(statement) for statement in quiz["statements"]]
    data["activities"].append(again)
    return data


def test_a_before_check_may_name_a_slide_that_teaches_it_later():
    data = small_deck_data()
    data["activities"].insert(
        len(data["activities"]) - 1,
        {"id": "teach", "kind": "info", "title": "Boundaries", "minutes": 3, "body": "About me."},
    )
    deck = parse_deck(_with_an_after_check(data, "teach"))
    assert deck.activity("quiz-again").statements[0].taught_in == "teach"


def test_an_after_check_before_its_teaching_is_refused():
    data = _with_an_after_check(small_deck_data(), "teach")
    data["activities"].append(
        {"id": "teach", "kind": "info", "title": "Boundaries", "minutes": 3, "body": "About me."}
    )
    assert _problems(data) == [
        "broken.toml, activity 'quiz-again', field 'statements.0.taught_in': the info slide "
        "'teach' comes after this check: teach it first "
        "(hint: see the `knowledge_check` section of docs/decks.md)"
    ]


def test_a_statement_taught_in_something_other_than_an_info_slide_is_refused():
    problems = _problems(_with_an_after_check(small_deck_data(), "sort"))
    assert "there is no info slide 'sort' in this deck to teach it" in problems[0]
    assert "activity 'quiz', field 'statements.0.taught_in'" in problems[0]


def test_the_buffer_for_joining_and_moving_counts_in_the_planned_length():
    data = small_deck_data()
    without = parse_deck(data).minutes
    assert parse_deck({**data, "buffer_minutes": 6}).minutes == without + 6
    assert _problems({**data, "buffer_minutes": -1})[0].startswith(
        "broken.toml, field 'buffer_minutes'"
    )
