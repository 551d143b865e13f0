"""What a phone sends, read and cleaned in one place for every kind.

A posted form is untrusted: a field may be missing, repeated ten thousand times, hold something
the page never offered, or carry characters that hide or reorder text on the projector. Every
kind reads its fields through these helpers, so every kind:

- takes at most as many values of a field as an honest form holds (one, or one per option) and
  refuses more, and refuses values that are not text at all;
- cleans text: removes control and format characters (Unicode categories Cc, Cf and Cs: NUL,
  escape sequences, the bidirectional overrides and isolates U+202A-U+202E and U+2066-U+2069,
  zero-width spaces and joiners, the byte-order mark, soft hyphens) and the invisible "filler"
  letters, turns every other kind of space into a plain one, collapses runs of spaces, keeps
  line breaks only where a kind asks for several lines (at most one blank line in a row), keeps
  no more than MAX_MARKS accents stacked on one letter, and strips both ends;
- normalises: NFC where text is shown as the person wrote it (open text): it only composes
  "e" + combining acute into "é", so lengths and comparisons are stable, and keeps "x²" or "½"
  as typed, which NFKC would rewrite to "x2" and "1⁄2". NFKC where words are compared and
  counted (the word cloud), so that "Ｃａｌｍ" and "calm" are one word;
- measures a length after cleaning and normalising, in characters (code points): what is
  stored is what is measured;
- reads an option's number in plain ASCII digits only, so "-1", "1e3", "1.0", "nan", "inf",
  "٣" and "²" are refused, and checks it against the options there are.

Every refusal is an AnswerError whose message the phone shows as it is: plain and polite.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from workshop.i18n import N_
from workshop.i18n import gettext as _

Form = Mapping[str, Sequence[str]]


class AnswerError(ValueError):
    """An answer the phone must correct; the message is shown to the participant as it is."""


# Anything longer than this is refused before any work is done on it: far more than any field
# of any kind may hold (open text allows at most 1,000 characters).
MAX_RAW_LENGTH = 10_000
# Accents stacked on one letter: Vietnamese needs two, pointed Hebrew three or four; a hundred
# would smear a projector card ("Zalgo" text).
MAX_MARKS = 4
# Letters that draw nothing: Hangul fillers, the braille blank, the combining grapheme joiner.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_BLANK_LINES = re.compile(r"\n{3,}")

UNREADABLE = N_("Something in that answer could not be read. Please try again, or pass.")
TOO_LONG = N_("That answer is far too long. Please shorten it, or pass.")
NOT_AN_OPTION = N_("That choice is not one of the options. Please pick again.")


# Reading fields --------------------------------------------------------------------------------


def field_values(form: Form, name: str, most: int = 1) -> list[str]:
    """The values posted for one field (none if it is missing): at most `most`, all text."""
    if not isinstance(form, Mapping):
        raise AnswerError(_(UNREADABLE))
    values = form.get(name)
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple) or len(values) > most:
        raise AnswerError(_(UNREADABLE))
    if not all(isinstance(value, str) for value in values):
        raise AnswerError(_(UNREADABLE))
    if any(len(value) > MAX_RAW_LENGTH for value in values):
        raise AnswerError(_(TOO_LONG))
    return list(values)


def field_value(form: Form, name: str) -> str:
    """The one value of a field as posted, or an empty string; a repeated field is refused."""
    values = field_values(form, name)
    return values[0] if values else ""


def first(form: Form, name: str) -> str:
    """A one-line field's value, cleaned (NFC), or an empty string."""
    return clean_line(field_value(form, name))


# Cleaning text ---------------------------------------------------------------------------------


def clean_line(raw: str, normal_form: str = "NFC") -> str:
    """One line of text: no control or format characters, single spaces, no ends of space.

    Line breaks become spaces.
    """
    return " ".join(_clean(raw, normal_form).split())


def clean_lines(raw: str, normal_form: str = "NFC") -> str:
    """Text of several lines: each line cleaned as `clean_line`, lines joined by "\\n".

    Every kind of line break (CR LF, CR, U+2028 ...) becomes "\\n"; at most one blank line in a
    row is kept; blank lines at either end go.
    """
    lines = [" ".join(_clean(line, normal_form).split()) for line in raw.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _clean(text: str, normal_form: str) -> str:
    """`text` without control or format characters or invisible letters, at most MAX_MARKS
    combining marks in a row, normalised; any other space becomes " "."""
    kept = []
    marks = 0
    for character in text:
        if character.isspace():
            kept.append(" ")
            marks = 0
            continue
        category = unicodedata.category(character)
        if category in _REMOVED_CATEGORIES or character in INVISIBLE:
            continue
        if category in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        kept.append(character)
    # Removing characters first lets normalising compose what they separated.
    return unicodedata.normalize(normal_form, "".join(kept))


def visible(text: str) -> bool:
    """Whether the text shows anything: a letter, digit, punctuation mark or symbol."""
    return any(unicodedata.category(character)[0] in "LNPS" for character in text)


# Options ---------------------------------------------------------------------------------------


def parse_index(raw: str, size: int) -> int | None:
    """A position 0..size-1 written in plain ASCII digits, else None.

    str.isdigit alone is not enough: it accepts "²" and other digits int() refuses.
    """
    if not raw or len(raw) > 3 or not (raw.isascii() and raw.isdigit()):
        return None
    index = int(raw)
    return index if index < size else None


def choice_index(form: Form, name: str, options: Sequence[str], missing: str) -> int:
    """The index of the option picked in a radio group; refuses anything else."""
    raw = first(form, name)
    if not raw:
        raise AnswerError(missing)
    index = parse_index(raw, len(options))
    if index is None:
        raise AnswerError(_(NOT_AN_OPTION))
    return index


def choice_indexes(form: Form, name: str, options: Sequence[str], missing: str) -> list[int]:
    """The options ticked in a group of checkboxes, each once, in order.

    An honest form sends each option at most once; more values than options are refused.
    """
    raw = [clean_line(value) for value in field_values(form, name, most=len(options))]
    if not raw:
        raise AnswerError(missing)
    indexes = [parse_index(value, len(options)) for value in raw]
    if None in indexes:
        raise AnswerError(_("One of those choices is not an option. Please pick again."))
    return sorted({index for index in indexes if index is not None})
