"""The interface in the participant's or facilitator's language: English and Spanish.

Interface strings are marked where they are written, `_("Send")` (with
`from workshop.i18n import gettext as _`), and Babel gathers them into
workshop/locale/messages.pot (`make messages`); translators fill in
workshop/locale/<language>/LC_MESSAGES/messages.po. The .po files are read as they are when
Tandem starts (compiled in memory by Babel), so there is no build step and no compiled file to
keep in step. Deck text (titles, prompts, options) is not interface text: a deck is written in
its own language.

Which language speaks is a context variable: a phone's request sets it from the phone's choice
or its browser's Accept-Language; a dashboard run sets it from the facilitator's choice. Code in
between (results, vocabulary) just calls `gettext`.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as gettext_module
import io
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_FOLDER = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# Each language by its own name: what a switch shows, so anyone can find theirs.
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"

_speaking: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def catalogue_path(language: str) -> Path:
    return LOCALE_FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The language's catalogue, compiled from its .po file once per process. English is the
    source language: its strings are their own translation."""
    path = catalogue_path(language)
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext_module.NullTranslations()
    with path.open("rb") as source:
        catalogue = read_po(source, locale=language)
    compiled = io.BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: English rather than a guess.
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def supported(language: str | None) -> str | None:
    """`language` ("es", "es-MX", "ES_es") as one Tandem speaks, else None."""
    if not language:
        return None
    primary = language.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(accept_language: str | None) -> str:
    """The language to speak to a browser that sent this Accept-Language header: the first it
    prefers (by q-value, then order) that Tandem speaks, else English."""
    preferences = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _separator, parameters = part.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _equals, value = parameter.strip().partition("=")
            if name == "q":
                with contextlib.suppress(ValueError):
                    quality = float(value)
        if quality > 0:
            preferences.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(preferences):
        if language := supported(tag):
            return language
    return DEFAULT_LANGUAGE


def current_language() -> str:
    return _speaking.get()


def use_language(language: str | None) -> None:
    """Speak `language` (if Tandem speaks it, else English) from here on in this context."""
    _speaking.set(supported(language) or DEFAULT_LANGUAGE)


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak `language` inside the block only."""
    token = _speaking.set(supported(language) or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _speaking.reset(token)


def gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue where it is defined (a constant); it is translated
    with `gettext` where it is shown, in the language of that moment."""
    return message


N_ = gettext_noop
