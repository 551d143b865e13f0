import tomllib

import pytest

from tests.conftest import small_deck_data
from workshop.activities import KINDS, ActivitySpec
from workshop.curriculum import authoring
from workshop.curriculum.authoring import Draft
from workshop.curriculum.deck_files import (
    DECK_FOLDER,
    DeckFolders,
    deck_to_toml,
    list_decks,
    load_deck,
)
from workshop.curriculum.decks import CurriculumError, parse_deck


def built_in(deck_id: str):
    return load_deck(DECK_FOLDER / f"{deck_id}.toml")


def test_a_new_activity_of_each_kind_gets_an_id_of_its_own_and_plain_defaults():
    draft = Draft(title="Every kind")
    for kind in sorted(KINDS):
        draft.add(kind)
        draft.add(kind)
    ids = [activity.fields["id"] for activity in draft.activities]
    assert len(set(ids)) == len(ids)
    assert ids[:2] == ["battery", "battery-2"]
    scale = next(activity for activity in draft.activities if activity.kind == "scale")
    assert authoring.activity_spec(scale.fields) is not None  # previewable at once
    choice = next(activity for activity in draft.activities if activity.kind == "single_choice")
    assert choice.fields["title"] == "New single choice" and choice.fields["options"] == []


def test_problems_point_at_the_activity_and_field_they_concern():
    draft = Draft(title="Check")
    draft.add("info")
    draft.add("single_choice")
    draft.activities[1].fields["options"] = ["Only one"]
    draft.activities[1].fields["minutes"] = 0
    deck, problems = draft.check()
    assert deck is None
    found = {(problem.activity_index, problem.field): problem.message for problem in problems}
    assert found == {
        (1, "options"): "needs at least 2 (has 1)",
        (1, "minutes"): "must be more than 0",
    }


def test_a_complete_draft_is_a_deck_and_its_id_comes_from_the_title():
    draft = Draft(title="Our boundaries evening!")
    draft.add("info")
    draft.add("single_choice")
    draft.activities[1].fields["options"] = ["Yes", "No"]
    deck, problems = draft.check()
    assert problems == []
    assert deck.id == "our-boundaries-evening"
    assert [activity.kind for activity in deck.activities] == ["info", "single_choice"]
    assert deck.minutes == draft.minutes == 3 + 5


def test_an_empty_deck_needs_a_title_and_an_activity():
    _, problems = Draft().check()
    assert {(problem.field, problem.message) for problem in problems} >= {
        ("title", "cannot be empty"),
        ("activities", "needs at least 1 (has 0)"),
    }


@pytest.mark.parametrize("path", sorted(DECK_FOLDER.glob("*.toml")), ids=lambda path: path.stem)
def test_a_copy_of_a_built_in_deck_keeps_every_activity(path):
    original = load_deck(path)
    draft = Draft.from_deck(original, copy=True, taken={original.id})
    deck, problems = draft.check()
    assert problems == []
    assert deck.id == f"{original.id}-copy" and deck.title == f"{original.title} (copy)"
    assert deck.activities == original.activities
    assert draft.editing is None and draft.unsaved


def test_moving_deleting_and_renewing_activities():
    draft = Draft(title="Order")
    for kind in ("info", "scale", "word_cloud"):
        draft.add(kind)
    order = lambda: [activity.kind for activity in draft.activities]  # noqa: E731
    assert draft.move(2, -1) == 1
    assert order() == ["info", "word_cloud", "scale"]
    assert draft.move(0, -1) == 0  # the first stays first
    draft.delete(0)
    assert order() == ["word_cloud", "scale"]
    key, form_key = draft.activities[1].key, draft.activities[1].form_key
    draft.renew(1)
    assert draft.activities[1].form_key != form_key
    assert draft.activities[1].form_key not in {each.form_key for each in draft.activities[:1]}
    assert draft.activities[1].key == key  # still the same activity: it stays chosen


def test_saving_writes_a_deck_file_the_library_lists(deck_folder):
    draft = Draft.from_deck(built_in("boundaries-30"), copy=True, taken={"boundaries-30"})
    draft.title = "Boundaries, our way"
    saved = authoring.save(draft, DeckFolders.inside(deck_folder))
    path = DeckFolders.inside(deck_folder).custom / "boundaries-30-copy.toml"
    assert load_deck(path) == saved
    listing = next(
        item for item in list_decks(DeckFolders.inside(deck_folder)) if item.path == path
    )
    assert not listing.built_in and listing.deck.title == "Boundaries, our way"
    assert draft.editing == "boundaries-30-copy" and not draft.unsaved
    # The built-in file is untouched.
    assert built_in("boundaries-30").title == "Clear boundaries"


def test_saving_never_overwrites_a_built_in_or_another_deck(deck_folder):
    draft = Draft.from_deck(built_in("boundaries-30"), copy=True)
    draft.id = "boundaries-30"
    with pytest.raises(CurriculumError, match="belongs to a built-in deck"):
        authoring.save(draft, DeckFolders.inside(deck_folder))
    draft.id = "ours"
    authoring.save(draft, DeckFolders.inside(deck_folder))
    other = Draft.from_deck(built_in("boundaries-30"), copy=True)
    other.id = "ours"
    with pytest.raises(CurriculumError, match="one of your decks already has the id 'ours'"):
        authoring.save(other, DeckFolders.inside(deck_folder))
    # The deck opened from that file may replace it.
    reopened = Draft.from_deck(
        load_deck(DeckFolders.inside(deck_folder).custom / "ours.toml"), copy=False
    )
    assert not reopened.unsaved
    reopened.title = "Ours, revised"
    assert reopened.unsaved
    authoring.save(reopened, DeckFolders.inside(deck_folder))
    assert load_deck(DeckFolders.inside(deck_folder).custom / "ours.toml").title == "Ours, revised"


def test_an_invalid_draft_is_not_saved(deck_folder):
    draft = Draft(title="Half done")
    draft.add("single_choice")
    with pytest.raises(CurriculumError, match="options"):
        authoring.save(draft, DeckFolders.inside(deck_folder))
    assert not DeckFolders.inside(deck_folder).custom.exists()


def test_a_deck_file_with_problems_opens_so_it_can_be_mended():
    text = (
        'id = "mend"\ntitle = "Mend me"\n[[activities]]\nid = "q"\nkind = "single_choice"\n'
        'title = "Q"\nminutes = 2\noptons = ["A", "B"]\n'
    )
    draft, left_out = Draft.from_toml(text, "mend.toml")
    [problem] = left_out
    assert str(problem) == (
        "mend.toml, activity 'q', field 'optons': left out: this field is not part of the "
        "deck format (hint: did you mean 'options'?)"
    )
    _, problems = draft.check()
    assert [(problem.activity_index, problem.field) for problem in problems] == [(0, "options")]
    draft.activities[0].fields["options"] = ["A", "B"]
    assert draft.check()[1] == []


def test_a_file_that_cannot_be_opened_says_why():
    with pytest.raises(CurriculumError, match="bad.toml: not valid TOML"):
        Draft.from_toml("title = ", "bad.toml")
    text = 'title = "T"\n[[activities]]\nid = "x"\nkind = "poll"\ntitle = "X"\nminutes = 1\n'
    with pytest.raises(CurriculumError) as caught:
        Draft.from_toml(text, "odd.toml")
    assert str(caught.value).startswith("odd.toml, activity 'x', field 'kind': unknown kind 'poll'")


@pytest.mark.parametrize("path", sorted(DECK_FOLDER.glob("*.toml")), ids=lambda path: path.stem)
def test_a_deck_written_as_toml_reads_back_the_same(path):
    deck = load_deck(path)
    text = deck_to_toml(deck)
    assert parse_deck(tomllib.loads(text)) == deck
    assert "minutes = 5.0" not in text  # whole minutes as an author writes them


def test_fields_left_at_their_default_are_left_out_of_the_file():
    deck = parse_deck(small_deck_data())
    written = tomllib.loads(deck_to_toml(deck))
    hello = written["activities"][0]
    assert hello == {
        "id": "hello",
        "kind": "info",
        "title": "Hello",
        "minutes": 1,
        "body": "Welcome.",
    }


def test_the_practice_can_keep_its_decks_elsewhere(tmp_path, monkeypatch):
    # The one place the environment is read: the dashboard hands these folders to its pages.
    monkeypatch.setenv("WORKSHOP_CUSTOM_DECKS", str(tmp_path / "shared"))
    folders = DeckFolders.configured()
    assert folders == DeckFolders(DECK_FOLDER, tmp_path / "shared")
    draft = Draft.from_deck(built_in("boundaries-30"), copy=True)
    authoring.save(draft, folders)
    assert (tmp_path / "shared" / "boundaries-30-copy.toml").exists()
    listed = [listing for listing in list_decks(folders) if not listing.built_in]
    assert [listing.deck.id for listing in listed] == ["boundaries-30-copy"]


def test_activity_spec_is_none_until_the_activity_is_valid():
    fields = {"id": "q", "kind": "single_choice", "title": "Q", "minutes": 2, "options": []}
    assert authoring.activity_spec(fields) is None
    fields["options"] = ["A", "B"]
    spec = authoring.activity_spec(fields)
    assert isinstance(spec, ActivitySpec) and spec.options == ["A", "B"]
    assert authoring.activity_spec({"kind": "nonsense"}) is None


def test_unsaved_work_is_kept_and_offered_back_until_saved(deck_folder):
    draft = Draft.from_deck(built_in("boundaries-30"), copy=True)
    draft.title = "Half written"
    authoring.autosave(draft, DeckFolders.inside(deck_folder))
    kept = authoring.unsaved_draft(DeckFolders.inside(deck_folder))
    assert kept == draft and kept.unsaved
    authoring.save(kept, DeckFolders.inside(deck_folder))
    assert authoring.unsaved_draft(DeckFolders.inside(deck_folder)) is None


def test_an_unreadable_autosave_is_not_offered(deck_folder):
    draft = Draft(title="From another version")
    draft.add("info")
    draft.activities[0].fields["kind"] = "poll"
    authoring.autosave(draft, DeckFolders.inside(deck_folder))
    assert authoring.unsaved_draft(DeckFolders.inside(deck_folder)) is None
    (DeckFolders.inside(deck_folder).custom / authoring.AUTOSAVE_NAME).write_text(
        "{not json", "utf-8"
    )
    assert authoring.unsaved_draft(DeckFolders.inside(deck_folder)) is None


def test_changing_the_id_of_your_own_deck_renames_it(deck_folder):
    draft = Draft.from_deck(built_in("boundaries-30"), copy=True)
    authoring.save(draft, DeckFolders.inside(deck_folder))
    draft.id = "boundaries-evening"
    authoring.save(draft, DeckFolders.inside(deck_folder))
    names = sorted(path.name for path in DeckFolders.inside(deck_folder).custom.glob("*.toml"))
    assert names == ["boundaries-evening.toml"]
    assert (deck_folder / "boundaries-30.toml").exists()  # a built-in is never renamed away


def test_a_field_the_form_does_not_show_is_kept_from_a_file():
    text = (
        'id = "kept"\ntitle = "Kept"\n[[activities]]\nid = "a"\nkind = "info"\n'
        'title = "A"\nminutes = 1\nsensitive = true\n'
    )
    draft, left_out = Draft.from_toml(text, "kept.toml")
    assert left_out == []
    deck, problems = draft.check()
    assert problems == [] and deck.activities[0].sensitive
