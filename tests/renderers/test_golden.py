"""Golden output of every renderer for every kind: what a phone and the projector draw from the
same Result, compared with files in tests/renderers/golden/.

The results are the editor's made-up rooms (12 people, fixed seed, closed and revealed), so they
are the same on every run. After a deliberate change of a renderer or a kind, rewrite the files
with `TANDEM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/renderers` and read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.renderers import RENDERERS, phone, projector
from workshop.room.rehearsal import sample_result
from workshop.room.results import result_for
from workshop.store import ActivityState, Answer
from workshop.web.participant.render import environment

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TANDEM_UPDATE_GOLDEN") == "1"
DECK = parse_deck(small_deck_data())
ANSWERABLE = [activity for activity in DECK.activities if activity.answerable]


def _normalised(value: Any) -> Any:
    """Figure JSON without what varies between runs or plotly releases: ids and the theme."""
    if isinstance(value, dict):
        return {
            key: _normalised(item)
            for key, item in sorted(value.items())
            if key not in ("uid", "template")
        }
    if isinstance(value, list | tuple):
        return [_normalised(item) for item in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def phone_fragment(activity) -> str:
    result = sample_result(activity)
    template = environment.get_template("results.html")
    return template.render(result=result, lines=phone.lines(result), mine=True).strip() + "\n"


def projector_json(activity) -> str:
    result = sample_result(activity)
    figure = projector.figure(result)
    drawn = {
        "figure": _normalised(figure.to_plotly_json()) if figure is not None else None,
        "cards": projector.cards(result),
        "notes": list(result.notes),
    }
    return json.dumps(drawn, indent=1, ensure_ascii=False) + "\n"


RENDERED = {"phone": (phone_fragment, "html"), "projector": (projector_json, "json")}


def test_every_registered_renderer_has_golden_output():
    assert set(RENDERED) == set(RENDERERS)


@pytest.mark.parametrize("renderer", sorted(RENDERED))
@pytest.mark.parametrize("activity", ANSWERABLE, ids=lambda activity: activity.kind)
def test_golden_output(activity, renderer):
    draw, extension = RENDERED[renderer]
    path = GOLDEN / f"{activity.kind}.{renderer}.{extension}"
    drawn = draw(activity)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(drawn, encoding="utf-8")
    assert path.exists(), f"no golden file yet: run with TANDEM_UPDATE_GOLDEN=1 ({path.name})"
    assert drawn == path.read_text(encoding="utf-8")


def test_the_phone_escapes_what_participants_wrote():
    activity = DECK.activity("say")
    approved = Answer(False, "<script>alert(1)</script> & <b>bold</b>", "approved")
    result = result_for(activity, [approved], ActivityState("closed", True), 1)
    template = environment.get_template("results.html")
    fragment = template.render(result=result, lines=phone.lines(result), mine=True)
    assert "<script>" not in fragment and "<b>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in fragment
