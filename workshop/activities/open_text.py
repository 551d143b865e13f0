"""A short free-text answer, held for the facilitator's approval before the projector shows it."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import Field

from workshop.activities.base import ActivitySpec, AnswerError, Form, Kind, Line, Text
from workshop.activities.text_input import clean_lines, field_value, visible
from workshop.i18n import N_
from workshop.i18n import gettext as _

SAMPLE_TEXTS = [
    "Noticing when I say yes too quickly.",
    "That a boundary is about what I do.",
    "Asking for help can be healthy.",
    "I can care without fixing.",
]


class Spec(ActivitySpec):
    kind: Literal["open_text"] = "open_text"
    max_length: int = Field(
        default=280,
        ge=10,
        le=1000,
        title="Longest answer, in characters",
        description="characters, 10 to 1000 (default 280)",
    )


class OpenText(Kind[Spec]):
    Spec = Spec
    label = N_("Open text")
    purpose = (
        "A short free-text answer, held for the facilitator's approval before the projector "
        "shows it."
    )
    starter_minutes = 8
    documentation = (
        "A short answer that waits for the facilitator's approval before the projector shows "
        "it. Text that may signal a safety concern is flagged to the facilitator only."
    )
    moderated = True
    has_chart = False  # the projector shows approved texts as cards

    def parse_answer(self, spec: Spec, form: Form) -> str:
        # NFC, not NFKC: the projector shows the words as they were written ("x²", "½").
        text = clean_lines(field_value(form, "text"))
        if not visible(text):
            raise AnswerError(_("Please write something, or pass."))
        if len(text) > spec.max_length:
            raise AnswerError(
                _("That is %(length)d characters; please keep it to %(most)d or fewer.")
                % {"length": len(text), "most": spec.max_length}
            )
        return text

    def form_fields(self, spec: Spec, value: str) -> dict[str, list[str]]:
        return {"text": [value]}

    def sample_answer(self, spec: Spec, rng: random.Random) -> str:
        return rng.choice(SAMPLE_TEXTS)[: spec.max_length]

    def tally(self, spec: Spec, values: list[str]) -> list[str]:
        # Only approved texts reach a tally (results.py); the queue stays private.
        return sorted(values)

    def lines(self, spec: Spec, tally: list[str], revealed: bool) -> list[Line]:
        return [Text(text) for text in tally]


KIND = OpenText()
