"""Open text waits for the facilitator; text that may be a safety concern is flagged to them only.

The flag is a prompt for a human, not a judgement: a list of phrases that in a support group
deserve a quiet check-in after the session. A flagged text never reaches the projector or
another phone (results show approved text only) unless the facilitator approves it.

The flag list is built in for every language the decks use (English, Spanish, French): suicide,
wanting to die, self-harm, violence at home, abuse, feeling unsafe. A practice adds its own
phrases, or replaces the built-in ones, under `[safety]` in practice.toml.

A phrase is plain words, not a pattern. It matches whatever the case, accents ("dano" for
"daño"), apostrophes ("dont" for "don't"), punctuation, invisible characters and extra or
missing spaces ("kill my self", "self-harm", "KILL...MYSELF") of the text. A `*` at the end of
a word matches any ending: "suicid*" finds suicide, suicidal, suicidio and suicidaire. Words
match whole: "rape" does not find "grapes".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workshop.activities.text_input import INVISIBLE

if TYPE_CHECKING:
    from workshop.curriculum.practice import Practice

PENDING, APPROVED, REJECTED, FLAGGED = "pending", "approved", "rejected", "flagged"
# What the facilitator can decide about an answer.
DECISIONS = (APPROVED, REJECTED, FLAGGED)


def _each(subjects: Iterable[str], verbs: Iterable[str], tail: str) -> tuple[str, ...]:
    return tuple(f"{subject} {verb} {tail}" for subject in subjects for verb in verbs)


# Who hurts someone at home, and how: "he hits me", "my partner choked me", "dad beats me". A
# subject is needed: "it hit me" is how people say they understood something.
_SUBJECTS = (
    "he", "she", "they", "someone", "partner", "husband", "wife", "boyfriend", "girlfriend",
    "ex", "dad", "father", "mum", "mom", "mother",
)  # fmt: skip
_VIOLENCE = ("hit*", "beat*", "chok*", "slap*", "kick*", "punch*", "strangl*", "threaten*", "hurt*")

DEFAULT_FLAG_PHRASES_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "English": (
        # Suicide and wanting to die
        "suicid*",
        "kill* myself",
        "take my own life",
        "taking my own life",
        "end my life",
        "ending my life",
        "end it all",
        "ending it all",
        "want* to die",
        "wanna die",
        "wish i was dead",
        "wish i were dead",
        "better off dead",
        "better off without me",
        "no reason to live",
        "don't want to live",
        "don't want to be alive",
        # Self-harm
        "self harm*",
        "self injur*",
        "hurt* myself",
        "harm* myself",
        "cut* myself",
        "burn* myself",
        # Violence at home and abuse
        *_each(_SUBJECTS, _VIOLENCE, "me"),
        "abus*",
        "rape",
        "raped",
        "sexually assaulted",
        "domestic violence",
        # Feeling unsafe
        *_each(("afraid", "scared"), ("of", "for"), "my life"),
        *_each(("afraid", "scared"), ("of", "for"), "my safety"),
        "fear for my life",
        "fear for my safety",
        "afraid to go home",
        "scared to go home",
        "afraid of my partner",
        "scared of my partner",
        "not safe at home",
        "unsafe at home",
        "don't feel safe",
        "do not feel safe",
        "never feel safe",
        "feel unsafe",
    ),
    "Español": (
        # Suicidio y ganas de morir
        "suicid*",
        "quiero morir*",
        "ganas de morir*",
        "deseo morir*",
        "quisiera morir*",
        "quisiera estar muert*",
        "prefiero estar muert*",
        "mejor muert*",
        "quitar* la vida",
        "me quito la vida",
        "acabar con mi vida",
        "terminar con mi vida",
        "matarme",
        "me voy a matar",
        "no quiero vivir",
        "no quiero seguir viviendo",
        "sin ganas de vivir",
        "no tengo ganas de vivir",
        "estarían mejor sin mí",
        # Autolesiones
        "autolesi*",
        "hacerme daño",
        "me hago daño",
        "lastimarme",
        "me lastimo",
        "cortarme las venas",
        # Violencia en casa y abuso
        "me peg*",
        "me golpe*",
        "maltrat*",
        "me ahorc*",
        "me estrangul*",
        "me amenaz*",
        "abus*",
        "me violó",
        "me violaron",
        "violada",
        "violado",
        "violencia doméstica",
        "violencia de género",
        "violencia familiar",
        "violencia intrafamiliar",
        "violencia en casa",
        # Sentirse en peligro
        "no me siento a salvo",
        "no estoy a salvo",
        "no me siento segur* en casa",
        "no estoy segur* en casa",
        "no me siento segur* con mi pareja",
        "miedo de mi pareja",
        "miedo a mi pareja",
        "miedo de volver a casa",
        "miedo a volver a casa",
        "miedo por mi vida",
        "temo por mi vida",
        "temo por mi seguridad",
    ),
    "Français": (
        # Suicide et envie de mourir
        "suicid*",
        "me tuer",
        "mettre fin à mes jours",
        "mettre fin à ma vie",
        "en finir avec la vie",
        "envie d'en finir",
        "veux en finir",
        "envie de mourir",
        "je veux mourir",
        "je voudrais mourir",
        "j'aimerais mourir",
        "plus envie de vivre",
        "plus de raison de vivre",
        "mieux sans moi",
        "mieux mort",
        "mieux morte",
        # Automutilation
        "automutil*",
        "me faire du mal",
        "me fais du mal",
        "me faire mal",
        "me blesser",
        "scarifi*",
        "me couper les veines",
        "m'ouvrir les veines",
        # Violence à la maison et abus
        "me frapp*",
        "m'a frapp*",
        "me bat",
        "me battait",
        "m'a battu*",
        "me cogn*",
        "m'a cogn*",
        "m'étrangl*",
        "m'a étrangl*",
        "me menac*",
        "m'a menac*",
        "maltrait*",
        "abus*",
        "viol",
        "violée",
        "m'a violé*",
        "violence* conjugal*",
        "violence* domestique*",
        "violence* familial*",
        "violence* à la maison",
        # Ne pas se sentir en sécurité
        "pas en sécurité",
        "peur de rentrer chez moi",
        "peur de rentrer à la maison",
        "peur pour ma vie",
        "peur pour ma sécurité",
        "peur de mon conjoint",
        "peur de ma conjointe",
        "peur de mon mari",
        "peur de ma femme",
        "peur de mon compagnon",
        "peur de ma compagne",
        "peur de mon partenaire",
        "peur de ma partenaire",
        "peur de mon copain",
        "peur de ma copine",
    ),
}

# Most phrases a practice may list, and the longest one.
MAX_PHRASES = 500
MAX_PHRASE_LENGTH = 120
# Letters a phrase needs, and a word before its `*`: "a*" would flag every word starting so.
MIN_LETTERS = 3

# Every kind of apostrophe: "don't", "don’t" and "dont" are one word; so are "j'ai" and "jai".
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´′＇"), None)
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cc", "Cf", "Cs"})
_NOT_WORD = re.compile(r"[\W_]+")
_PATTERN_CHARACTERS = set("()[]{}|\\^$")


def fold(text: str) -> str:
    """Text as the flag list compares it: lower case, no accents, apostrophes or invisible
    characters, words of letters and digits separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for character in decomposed:
        if character.isspace():
            kept.append(" ")
        elif unicodedata.category(character) not in _DROPPED_CATEGORIES and (
            character not in INVISIBLE
        ):
            kept.append(character)
    return _NOT_WORD.sub(" ", "".join(kept).translate(_APOSTROPHES)).strip()


def _words(phrase: str) -> list[tuple[str, bool]]:
    """A phrase's folded words, each with whether it ends in `*`; ValueError if it cannot be
    one."""
    if len(phrase) > MAX_PHRASE_LENGTH:
        raise ValueError(f"a phrase is at most {MAX_PHRASE_LENGTH} characters")
    if _PATTERN_CHARACTERS & set(phrase):
        raise ValueError(
            "write plain words, not a pattern: case, accents and punctuation are ignored "
            "already, and a * at the end of a word matches any ending"
        )
    words: list[tuple[str, bool]] = []
    for chunk in phrase.split():
        wildcard = chunk.endswith("*")
        body = chunk.removesuffix("*")
        if "*" in body:
            raise ValueError("a * may only end a word (as in suicid*)")
        folded = fold(body).split()
        if wildcard and (not folded or len(folded[-1]) < MIN_LETTERS):
            raise ValueError(f"a word ending in * needs at least {MIN_LETTERS} letters before it")
        # "self-harm*" is two words, the last one open-ended.
        last = len(folded) - 1
        words.extend((word, wildcard and number == last) for number, word in enumerate(folded))
    if sum(len(word) for word, _ in words) < MIN_LETTERS:
        raise ValueError(f"a phrase needs at least {MIN_LETTERS} letters")
    return words


def phrase_problem(phrase: str) -> str | None:
    """What is wrong with a phrase for the flag list, or None if it can be used."""
    try:
        _words(phrase)
    except ValueError as problem:
        return str(problem)
    return None


def _pattern(phrase: str) -> str:
    """A regular expression finding the phrase in folded text.

    Between the letters of a word and between words there may be one space ("kill my self",
    "selfharm"); a word ending in `*` is written whole, then anything ("abus*" in "a bus"
    would otherwise flag a journey).
    """
    parts = [
        re.escape(word) + r"\w*" if wildcard else " ?".join(map(re.escape, word))
        for word, wildcard in _words(phrase)
    ]
    return r"\b" + " ?".join(parts) + r"\b"


@dataclass(frozen=True)
class FlagList:
    """The phrases that flag an open-text answer to the facilitator."""

    phrases: tuple[str, ...]
    patterns: tuple[str, ...] = field(repr=False, compare=False)
    # Every pattern at once: one search per answer, however long the list.
    any_phrase: re.Pattern[str] = field(repr=False, compare=False)

    def flags(self, text: str) -> bool:
        """Whether the text contains one of the phrases."""
        return self.any_phrase.search(fold(text)) is not None

    def matches(self, text: str) -> list[str]:
        """The phrases found in the text (for tests, and to explain a flag)."""
        folded = fold(text)
        return [
            phrase
            for phrase, pattern in zip(self.phrases, self.patterns, strict=True)
            if re.search(pattern, folded)
        ]


@functools.lru_cache(maxsize=16)
def _flag_list(phrases: tuple[str, ...]) -> FlagList:
    unique = tuple(dict.fromkeys(phrases))
    patterns = tuple(_pattern(phrase) for phrase in unique)
    # An empty list flags nothing: (?!) never matches.
    combined = "|".join(f"(?:{pattern})" for pattern in patterns) or "(?!)"
    return FlagList(unique, patterns, re.compile(combined))


def flag_list(phrases: Iterable[str]) -> FlagList:
    """A flag list of these phrases (ValueError if one cannot be used: see phrase_problem)."""
    return _flag_list(tuple(phrases))


DEFAULT_FLAG_PHRASES: tuple[str, ...] = tuple(
    dict.fromkeys(
        phrase for phrases in DEFAULT_FLAG_PHRASES_BY_LANGUAGE.values() for phrase in phrases
    )
)
DEFAULT_FLAGS = flag_list(DEFAULT_FLAG_PHRASES)


def flag_list_for(practice: Practice | None) -> FlagList:
    """The practice's flag list: the built-in phrases plus its own, or its own instead."""
    if practice is None:
        return DEFAULT_FLAGS
    return flag_list(practice.safety.phrases())


def looks_like_safety_concern(text: str, flags: FlagList | None = None) -> bool:
    return (DEFAULT_FLAGS if flags is None else flags).flags(text)


def first_status(text: str, flags: FlagList | None = None) -> str:
    """Where a new open-text answer starts: flagged for the facilitator, or pending approval.

    `flags`: the practice's flag list (`flag_list_for(practice)`); None is the built-in one.
    """
    return FLAGGED if looks_like_safety_concern(text, flags) else PENDING
