"""A few short words from each person, normalised and counted into a cloud."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from typing import Any, Literal

from pydantic import Field

from workshop import charts
from workshop.activities.base import ActivitySpec, AnswerError, Form, first

# Letters, digits, and apostrophes or hyphens inside a word ("self-care", "don't").
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class Spec(ActivitySpec):
    kind: Literal["word_cloud"] = "word_cloud"
    max_words: int = Field(default=1, ge=1, le=3)
    max_length: int = Field(default=24, ge=3, le=40)


def normalise(text: str) -> str:
    """One comparable form of a word: NFKC, lower case, inner punctuation kept, rest dropped."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return " ".join(_WORD.findall(text))


def parse_answer(spec: Spec, form: Form) -> list[str]:
    words: list[str] = []
    for number in range(spec.max_words):
        raw = first(form, f"word{number}")
        if not raw:
            continue
        if len(raw) > spec.max_length:
            raise AnswerError(f"Please keep each word to {spec.max_length} characters or fewer.")
        word = normalise(raw)
        if not word:
            raise AnswerError("Please use letters or numbers in your word.")
        if len(word.split()) > 2:
            raise AnswerError("One or two words in each box, please.")
        if word not in words:
            words.append(word)
    if not words:
        raise AnswerError("Please type a word, or pass.")
    return words


def aggregate(spec: Spec, values: list[list[str]]) -> dict[str, Any]:
    tally = Counter(word for words in values for word in words)
    # Most frequent first; ties alphabetically so the cloud is stable between redraws.
    ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return {"words": [[word, count] for word, count in ordered]}


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    total = sum(count for _, count in data["words"]) or 1
    return [
        {"label": word, "count": count, "share": count / total} for word, count in data["words"]
    ]


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    return charts.word_cloud([(word, count) for word, count in data["words"]])


def form_fields(spec: Spec, value: list[str]) -> dict[str, list[str]]:
    return {f"word{number}": [word] for number, word in enumerate(value)}


SAMPLE_WORDS = ["listened", "calm", "respect", "space", "honest", "warm", "steady", "trust"]


def sample_answer(spec: Spec, rng: random.Random) -> list[str]:
    return rng.sample(SAMPLE_WORDS, spec.max_words)
