"""Jinja2 for the phone pages: autoescaped, with the headers every page carries, in the language
of the request (workshop/i18n.py: its strings marked `{{ _("...") }}`, gathered by Babel)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, FunctionLoader, select_autoescape
from starlette.responses import HTMLResponse

from workshop import i18n
from workshop.activities import KINDS, ActivitySpec, kind_of
from workshop.renderers import phone
from workshop.room.results import Result
from workshop.room.vocabulary import waiting_for

HERE = Path(__file__).resolve().parent
ASSET_VERSION = "8"
# Without JavaScript, a page where nothing can be typed reloads itself this often, so a phone
# still follows the room (a few seconds late) without anyone reloading it.
NO_SCRIPT_REFRESH_SECONDS = 15
# Where the language switch's links go (routes.py sets the choice and comes back).
LANGUAGE_PATH = "/j/language"


def _kind_template(name: str) -> str | None:
    """The template of a kind that brings its own as text (one defined outside this package)."""
    for kind in KINDS.values():
        if kind.template_text is not None and kind.template == name:
            return kind.template_text
    return None


def awaits_showing(result: Result) -> bool:
    """Whether a result is one of texts the facilitator approves, with none shown yet: the phone
    says the texts are on their way instead of a heading with nothing under it."""
    return result.visible and kind_of(result.activity).moderated and not result.lines


environment = Environment(
    loader=ChoiceLoader([FunctionLoader(_kind_template), FileSystemLoader(HERE / "templates")]),
    autoescape=select_autoescape(["html"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
    # The templates ship with the package: looking at their files' times on every page cost
    # 3% of a busy room's server time.
    auto_reload=False,
)
# Interface strings in the language of the moment (a context variable the request sets);
# "new style": `_("%(count)d placed", count=n)` fills in its own values, escaped.
environment.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)
# The results section draws the result through the phone renderer, and says why it is hidden
# in the room's words, whichever page includes it (the live page, its fragment, a preview).
environment.globals.update(
    phone_view=phone.view,
    awaits_showing=awaits_showing,
    waiting_for=waiting_for,
    no_script_refresh_seconds=NO_SCRIPT_REFRESH_SECONDS,
    current_language=i18n.current_language,
)

# Participant text is untrusted: the strict Content-Security-Policy and the other security
# headers are added to every response by workshop/web/headers.py. A page is never cached.
PAGE_HEADERS = {"Cache-Control": "no-store"}

# The address of the phone page being drawn, for the language switch to come back to; None for
# pages that are not a phone's (the facilitator's login), which carry no switch.
_address: ContextVar[str | None] = ContextVar("phone_page_address", default=None)


@contextlib.contextmanager
def phone_page(address: str) -> Iterator[None]:
    """Pages drawn inside the block are the phone page at `address` (a same-site /j path):
    they carry the language switch, which comes back there."""
    token = _address.set(address)
    try:
        yield
    finally:
        _address.reset(token)


@dataclass(frozen=True)
class LanguageLink:
    code: str  # "es"
    name: str  # the language's name in itself: "Español"
    href: str
    current: bool


def language_links(address: str) -> list[LanguageLink]:
    """One link per language Tandem speaks, each coming back to `address`."""
    speaking = i18n.current_language()
    return [
        LanguageLink(
            code,
            name,
            f"{LANGUAGE_PATH}?{urlencode({'to': code, 'next': address})}",
            code == speaking,
        )
        for code, name in i18n.LANGUAGES.items()
    ]


def phone_preview(activity: ActivitySpec, deck_title: str, result: Result | None = None) -> str:
    """A self-contained HTML page: the activity exactly as a phone will show it (for previews);
    with a `result`, the page a phone shows after answering. In the language of the moment.

    Every deck string goes through Jinja's autoescaping, as on the real page; only our own
    stylesheet is inserted as it is.
    """
    return environment.get_template("preview.html").render(
        stylesheet=(HERE / "static" / "tandem.css").read_text(encoding="utf-8"),
        deck_title=deck_title,
        activity=activity,
        result=result,
        mine=result is not None,
        form={},
        kind_template=kind_of(activity).template,
    )


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A whole page, or (for a template that is one section) a fragment the script swaps in."""
    return html_page(page_html(template, **context), status_code)


def page_html(template: str, **context: Any) -> str:
    """The HTML of `page`: made in the phone's language, for the address it was asked at."""
    address = _address.get()
    switch = language_links(address) if address is not None else None
    return environment.get_template(template).render(
        asset_version=ASSET_VERSION, language_switch=switch, **context
    )


def html_page(html: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)


def page_address() -> str | None:
    """The address the page being made was asked at (its language links come back to it)."""
    return _address.get()
