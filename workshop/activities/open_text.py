"""A short free-text answer, held for the facilitator's approval before the projector shows it."""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any, Literal

from pydantic import Field

from workshop.activities.base import ActivitySpec, AnswerError, Form, first

# Control characters (but not ordinary line breaks) have no place in a shared answer.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class Spec(ActivitySpec):
    kind: Literal["open_text"] = "open_text"
    max_length: int = Field(default=280, ge=10, le=1000)


def parse_answer(spec: Spec, form: Form) -> str:
    text = unicodedata.normalize("NFC", first(form, "text"))
    text = _CONTROL.sub("", text).replace("\r\n", "\n").strip()
    if not text:
        raise AnswerError("Please write something, or pass.")
    if len(text) > spec.max_length:
        raise AnswerError(
            f"That is {len(text)} characters; please keep it to {spec.max_length} or fewer."
        )
    return text


def aggregate(spec: Spec, values: list[str]) -> dict[str, Any]:
    # Only approved texts are handed to aggregate (see results.py); the queue stays private.
    return {"texts": sorted(values)}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return [{"label": text, "count": None, "share": None} for text in data["texts"]]


def figure(spec: Spec, data: dict[str, Any], revealed: bool) -> None:
    # The projector shows approved texts as cards, not as a chart.
    return None


def form_fields(spec: Spec, value: str) -> dict[str, list[str]]:
    return {"text": [value]}


SAMPLE_TEXTS = [
    "Noticing when I say yes too quickly.",
    "That a boundary is about what I do.",
    "Asking for help can be healthy.",
    "I can care without fixing.",
]


def sample_answer(spec: Spec, rng: random.Random) -> str:
    return rng.choice(SAMPLE_TEXTS)[: spec.max_length]
