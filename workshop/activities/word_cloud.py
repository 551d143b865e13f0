"""A few short words from each person, normalised and counted into a cloud."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from typing import Literal

from pydantic import Field

from workshop.activities.base import (
    ActivitySpec,
    AnswerError,
    Cloud,
    Count,
    Form,
    Kind,
    Line,
)
from workshop.activities.text_input import clean_line, field_value
from workshop.i18n import N_
from workshop.i18n import gettext as _

# Letters, digits, and apostrophes or hyphens inside a word ("self-care", "don't").
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
SAMPLE_WORDS = ["listened", "calm", "respect", "space", "honest", "warm", "steady", "trust"]


class Spec(ActivitySpec):
    kind: Literal["word_cloud"] = "word_cloud"
    max_words: int = Field(
        default=1,
        ge=1,
        le=3,
        title="Words per person",
        description="1 to 3 boxes per person (default 1)",
    )
    max_length: int = Field(
        default=24,
        ge=3,
        le=40,
        title="Longest answer, in characters",
        description="characters per word, 3 to 40 (default 24)",
    )


def normalise(text: str) -> str:
    """One comparable form of a word: cleaned, NFKC, lower case, inner punctuation kept, rest
    dropped.

    NFKC rather than NFC: words are compared and counted, so full-width "Ｃａｌｍ", the
    ligature in "ﬁne" and "fine" must be the same word. Control and invisible characters go
    first, so a zero-width space cannot split or disguise a word.
    """
    text = unicodedata.normalize("NFKC", clean_line(text, "NFKC").lower()).replace("’", "'")
    return " ".join(_WORD.findall(text))


class WordCloud(Kind[Spec]):
    Spec = Spec
    label = N_("Word cloud")
    purpose = "A few short words from each person, normalised and counted into a cloud."
    documentation = (
        "A few short words from each person, normalised (case, punctuation, width) and counted."
    )

    def parse_answer(self, spec: Spec, form: Form) -> list[str]:
        words: list[str] = []
        too_long = _("Please keep each word to %(most)d characters or fewer.") % {
            "most": spec.max_length
        }
        for number in range(spec.max_words):
            # Measured once normalised: one character can stand for many ("ﷺ" is 18).
            typed = clean_line(field_value(form, f"word{number}"), "NFKC")
            if not typed:
                continue
            if len(typed) > spec.max_length:
                raise AnswerError(too_long)
            word = normalise(typed)
            if not word:
                raise AnswerError(_("Please use letters or numbers in your word."))
            if len(word) > spec.max_length:  # lower case can be longer ("İ" is two)
                raise AnswerError(too_long)
            if len(word.split()) > 2:
                raise AnswerError(_("One or two words in each box, please."))
            if word not in words:
                words.append(word)
        if not words:
            raise AnswerError(_("Please type a word, or pass."))
        return words

    def form_fields(self, spec: Spec, value: list[str]) -> dict[str, list[str]]:
        return {f"word{number}": [word] for number, word in enumerate(value)}

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[str]:
        return rng.sample(SAMPLE_WORDS, spec.max_words)

    def tally(self, spec: Spec, values: list[list[str]]) -> list[tuple[str, int]]:
        tally = Counter(word for words in values for word in words)
        # Most frequent first; ties alphabetically so the cloud is stable between redraws.
        return sorted(tally.items(), key=lambda item: (-item[1], item[0]))

    def lines(self, spec: Spec, tally: list[tuple[str, int]], revealed: bool) -> list[Line]:
        total = sum(count for _word, count in tally) or 1
        return [Count(word, count, count / total) for word, count in tally]

    def chart(self, spec: Spec, tally: list[tuple[str, int]], revealed: bool) -> Cloud:
        return Cloud(tuple(tally))


KIND = WordCloud()
