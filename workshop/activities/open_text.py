"""A short free-text answer, held for the facilitator's approval before the projector shows it."""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Literal

from pydantic import Field

from workshop.activities.base import ActivitySpec, AnswerError, Form, Kind, Line, Text, first

# Control characters (but not ordinary line breaks) have no place in a shared answer.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
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
    label = "Open text"
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
        text = unicodedata.normalize("NFC", first(form, "text"))
        text = _CONTROL.sub("", text).replace("\r\n", "\n").strip()
        if not text:
            raise AnswerError("Please write something, or pass.")
        if len(text) > spec.max_length:
            raise AnswerError(
                f"That is {len(text)} characters; please keep it to {spec.max_length} or fewer."
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
