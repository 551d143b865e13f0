"""Jinja2 for the phone pages: autoescaped, with the headers every page carries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, FunctionLoader, select_autoescape
from starlette.responses import HTMLResponse

from workshop.activities import KINDS, ActivitySpec, kind_of
from workshop.renderers import phone
from workshop.room.results import Result

HERE = Path(__file__).resolve().parent
ASSET_VERSION = "3"


def _kind_template(name: str) -> str | None:
    """The template of a kind that brings its own as text (one defined outside this package)."""
    for kind in KINDS.values():
        if kind.template_text is not None and kind.template == name:
            return kind.template_text
    return None


environment = Environment(
    loader=ChoiceLoader([FunctionLoader(_kind_template), FileSystemLoader(HERE / "templates")]),
    autoescape=select_autoescape(["html"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

# Participant text is untrusted: the strict Content-Security-Policy and the other security
# headers are added to every response by workshop/web/headers.py. A page is never cached.
PAGE_HEADERS = {"Cache-Control": "no-store"}


def phone_preview(activity: ActivitySpec, deck_title: str, result: Result | None = None) -> str:
    """A self-contained HTML page: the activity exactly as a phone will show it (for previews);
    with a `result`, the page a phone shows after answering.

    Every deck string goes through Jinja's autoescaping, as on the real page; only our own
    stylesheet is inserted as it is.
    """
    return environment.get_template("preview.html").render(
        stylesheet=(HERE / "static" / "tandem.css").read_text(encoding="utf-8"),
        deck_title=deck_title,
        activity=activity,
        result=result,
        lines=phone.lines(result) if result is not None else [],
        mine=result is not None,
        form={},
        kind_template=kind_of(activity).template,
    )


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = environment.get_template(template).render(asset_version=ASSET_VERSION, **context)
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
