"""The proof that a kind is one module and one template: a small kind written here, registered,
works on the phone, the projector, the control view, in rehearsals, in the editor and in deck
validation, with no change anywhere else."""

from __future__ import annotations

import random
from collections import Counter
from typing import Literal

import pytest
from pydantic import Field
from streamlit.testing.v1 import AppTest

from tests.dashboard.test_control import control_script
from tests.dashboard.test_editor import Editor, editor_script
from tests.dashboard.test_screen import screen_script
from tests.web.test_participant import phone
from workshop.activities import KINDS, register, unregister
from workshop.activities.base import (
    ActivitySpec,
    AnswerError,
    Bars,
    Count,
    Form,
    Kind,
    Line,
    Text,
    count_lines,
    first,
)
from workshop.curriculum import deck_forms
from workshop.curriculum.decks import CurriculumError, parse_deck
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal

CHOICES = ["up", "down"]


class ThumbsSpec(ActivitySpec):
    kind: Literal["thumbs"] = "thumbs"
    question: str = Field(
        default="Up or down?",
        min_length=1,
        max_length=80,
        title="Question beside the thumbs",
        description="a few words asked beside the two thumbs",
    )


class Thumbs(Kind[ThumbsSpec]):
    Spec = ThumbsSpec
    label = "Thumbs"
    documentation = "Thumbs up or down: the quickest check of a room."
    template_text = (
        "<fieldset><legend>{{ activity.question }}</legend>"
        "{% for choice in ['up', 'down'] %}"
        '<label class="option"><input type="radio" name="thumb" value="{{ choice }}"'
        "{% if choice in form.get('thumb', []) %} checked{% endif %}> "
        "<span>Thumbs {{ choice }}</span></label>"
        "{% endfor %}</fieldset>"
    )

    def parse_answer(self, spec: ThumbsSpec, form: Form) -> str:
        thumb = first(form, "thumb")
        if thumb not in CHOICES:
            raise AnswerError("Thumbs up or down, please, or pass.")
        return thumb

    def form_fields(self, spec: ThumbsSpec, value: str) -> dict[str, list[str]]:
        return {"thumb": [value]}

    def sample_answer(self, spec: ThumbsSpec, rng: random.Random) -> str:
        return rng.choice(CHOICES)

    def tally(self, spec: ThumbsSpec, values: list[str]) -> list[int]:
        counted = Counter(values)
        return [counted[choice] for choice in CHOICES]

    def lines(self, spec: ThumbsSpec, tally: list[int], revealed: bool) -> list[Line]:
        return list(count_lines(["Thumbs up", "Thumbs down"], tally))

    def chart(self, spec: ThumbsSpec, tally: list[int], revealed: bool) -> Bars:
        return Bars(("Thumbs up", "Thumbs down"), tuple(tally))


DECK_DATA = {
    "id": "thumbs-deck",
    "title": "Thumbs",
    "activities": [
        {"id": "hello", "kind": "info", "title": "Hello", "minutes": 1},
        {"id": "check", "kind": "thumbs", "title": "How was that?", "minutes": 1},
    ],
}


@pytest.fixture
def thumbs():
    kind = register(Thumbs())
    yield kind
    unregister(kind)


def _app(script, *args) -> AppTest:
    app = AppTest.from_function(script, args=args)
    app.run(timeout=30)
    assert not app.exception, app.exception
    return app


def test_validation_knows_the_new_kind_and_its_fields(thumbs):
    deck = parse_deck(DECK_DATA)
    assert isinstance(deck.activity("check"), ThumbsSpec)
    assert deck.activity("check").question == "Up or down?"
    broken = {**DECK_DATA, "activities": [{**DECK_DATA["activities"][1], "questoin": "x"}]}
    with pytest.raises(CurriculumError) as caught:
        parse_deck(broken, "thumbs.toml")
    [problem] = caught.value.problems
    assert (problem.activity, problem.field) == ("check", "questoin")
    assert problem.hint == "did you mean 'question'?"
    unregister(thumbs)
    with pytest.raises(CurriculumError, match="unknown kind"):
        parse_deck(DECK_DATA)
    register(thumbs)


def test_phones_answer_it_and_see_what_the_room_said(thumbs, sqlite_store):
    session = live.start_session(sqlite_store, parse_deck(DECK_DATA), threshold=2)
    live.go_to(sqlite_store, session.id, 1)
    first_phone, second_phone = phone(sqlite_store), phone(sqlite_store)
    code = session.row.join_code
    form = first_phone.get(f"/j/{code}").text
    second_phone.get(f"/j/{code}")
    assert "Up or down?" in form and 'name="thumb" value="down"' in form
    refused = first_phone.post(f"/j/{code}", data={"activity": "check", "thumb": "sideways"})
    assert refused.status_code == 422 and "Thumbs up or down, please" in refused.text
    first_phone.post(f"/j/{code}", data={"activity": "check", "thumb": "up"})
    answered = second_phone.post(f"/j/{code}", data={"activity": "check", "thumb": "down"})
    assert "Thank you, your answer is in." in answered.text
    assert "What the room said" in answered.text and "Thumbs down" in answered.text
    result = live.result_of(sqlite_store, live.load(sqlite_store, session.id), thumbs_spec())
    assert result.lines == (Count("Thumbs up", 1, 0.5), Count("Thumbs down", 1, 0.5))


def thumbs_spec() -> ThumbsSpec:
    return parse_deck(DECK_DATA).activity("check")


def test_the_projector_and_the_control_view_show_it(thumbs, sqlite_store):
    session = live.start_session(sqlite_store, parse_deck(DECK_DATA), threshold=1)
    live.go_to(sqlite_store, session.id, 1)
    person = sqlite_store.join(session.id, "a" * 64)
    sqlite_store.record_answer(session.id, "check", person, passed=False, value="up")
    screen = _app(screen_script, sqlite_store.url, session.id, "http://127.0.0.1:8599")
    assert "How was that?" in "".join(element.proto.body for element in screen.html)
    [chart] = screen.get("plotly_chart")
    assert '"x":[1,0]' in chart.proto.spec.replace(" ", "")
    control = _app(control_script, sqlite_store.url, session.id)
    assert control.header[0].value == "How was that?"
    assert "Thumbs" in control.caption[0].value
    metrics = {metric.label: metric.value for metric in control.metric}
    assert metrics["Answered"] == "1"


def test_a_rehearsal_fills_it_with_made_up_answers(thumbs, sqlite_store):
    session = start_rehearsal(sqlite_store, parse_deck(DECK_DATA), people=8, threshold=3)
    result = live.result_of(sqlite_store, session, thumbs_spec())
    assert result.visible and result.responded == 8
    assert sum(line.count for line in result.lines) == result.answered


def test_the_editor_offers_it_with_a_form_read_from_its_spec(thumbs, deck_folder):
    assert deck_forms.describe("thumbs") == "Thumbs up or down: the quickest check of a room."
    fields = {field.name: field for field in deck_forms.form_fields("thumbs")}
    assert fields["question"].label == "Question beside the thumbs"
    assert fields["question"].shape == "line"
    app = _app(editor_script, str(deck_folder))
    editor = Editor(app)
    editor.open("new")
    number = editor.add("thumbs")
    assert editor.draft.activities[number - 1].fields["kind"] == "thumbs"
    labels = [widget.label for widget in app.text_input]
    assert "Question beside the thumbs" in labels
    # Its phone preview comes from its own template.
    editor.type(number, "title", "How was that?")
    editor.run()
    previews = [frame.proto.srcdoc for frame in app.get("iframe")]
    assert any('name="thumb"' in preview for preview in previews)


def test_it_is_known_only_while_registered(thumbs):
    assert KINDS["thumbs"] is thumbs
    with pytest.raises(ValueError, match="already a kind named"):
        register(Thumbs())


class NoteSpec(ActivitySpec):
    kind: Literal["note"] = "note"


class Note(Kind[NoteSpec]):
    """A second new kind: moderated, and drawn as cards rather than a chart."""

    Spec = NoteSpec
    label = "Note"
    documentation = "A few words for the wall, shown once the facilitator approves them."
    moderated = True
    has_chart = False
    template_text = '<input name="note" maxlength="40" value="{{ form.get(\'note\', [\'\'])[0] }}">'

    def parse_answer(self, spec: NoteSpec, form: Form) -> str:
        note = first(form, "note")
        if not note or len(note) > 40:
            raise AnswerError("A few words, please, or pass.")
        return note

    def form_fields(self, spec: NoteSpec, value: str) -> dict[str, list[str]]:
        return {"note": [value]}

    def sample_answer(self, spec: NoteSpec, rng: random.Random) -> str:
        return rng.choice(["Kindness", "Patience"])

    def tally(self, spec: NoteSpec, values: list[str]) -> list[str]:
        return sorted(values)

    def lines(self, spec: NoteSpec, tally: list[str], revealed: bool) -> list[Line]:
        return [Text(note) for note in tally]


def test_a_moderated_kind_without_a_chart_waits_for_approval_then_shows_cards(sqlite_store):
    kind = register(Note())
    try:
        data = {
            "id": "notes",
            "title": "Notes",
            "activities": [{"id": "wall", "kind": "note", "title": "One word", "minutes": 2}],
        }
        session = live.start_session(sqlite_store, parse_deck(data), threshold=1)
        live.go_to(sqlite_store, session.id, 0)
        client = phone(sqlite_store)
        code = session.row.join_code
        client.get(f"/j/{code}")
        client.post(f"/j/{code}", data={"activity": "wall", "note": "<b>Courage</b>"})
        [queued] = sqlite_store.moderation_queue(session.id, "wall")
        assert queued.moderation == "pending"
        screen = _app(screen_script, sqlite_store.url, session.id, None)
        page = "".join(element.proto.body for element in screen.html)
        assert "once the facilitator approves them" in page and "Courage" not in page
        control = _app(control_script, sqlite_store.url, session.id)
        assert "Moderation queue" in [header.value for header in control.header]
        live.moderate(sqlite_store, session.id, queued.answer_id, "approved")
        screen = _app(screen_script, sqlite_store.url, session.id, None)
        page = "".join(element.proto.body for element in screen.html)
        assert "&lt;b&gt;Courage&lt;/b&gt;" in page and not screen.get("plotly_chart")
        rehearsal = start_rehearsal(sqlite_store, parse_deck(data), people=4)
        queue = sqlite_store.moderation_queue(rehearsal.id, "wall")
        assert [item.moderation for item in queue][0] == "flagged"
    finally:
        unregister(kind)
