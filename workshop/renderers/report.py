"""A reviewed session as one self-contained HTML file: it opens offline with no network request,
prints cleanly to PDF on A4 or Letter, and keeps its charts as inline SVG.

The page has no script and no external reference at all (a test opens it with the network
blocked). Every deck and participant string is escaped by Jinja's autoescaping.

Its own words are in the language spoken when it is made (`<html lang>` says which); the deck's
words stay as the deck wrote them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from workshop import i18n
from workshop.activities import kind_of
from workshop.i18n import N_, ngettext
from workshop.i18n import gettext as _
from workshop.renderers import phone, projector, svg, table
from workshop.review.before_after import BinaryItem, Comparison, plain_words
from workshop.review.session import SessionReview
from workshop.room.results import SMALL_CELL, private_threshold_of

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
# The report speaks the language spoken when it is made (exports.Export.made_later keeps the
# review page's); "new style" as on the phone: `_("%(notes)s", notes=...)` escapes its values.
environment.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)
# How an agenda entry ran, in its notes column.
MARKS = {"skipped": N_("skipped"), "reopened": N_("reopened"), "revealed": N_("revealed")}


def _privacy(threshold: int, private_threshold: int | None) -> str:
    """What the report holds and leaves out, with the session's thresholds, in whole sentences."""
    larger = private_threshold_of(threshold, private_threshold)
    said = {"threshold": threshold, "private": larger, "small": SMALL_CELL}
    if larger > threshold:
        left_out = ngettext(
            "A result is left out when fewer than %(threshold)d person answered (fewer than "
            "%(private)d on a private activity), and so is a statement fewer answered; a private "
            "activity whose results were never revealed stays private; a private activity's "
            'passes are not counted, and its counts under %(small)d show as "fewer than '
            '%(small)d".',
            "A result is left out when fewer than %(threshold)d people answered (fewer than "
            "%(private)d on a private activity), and so is a statement fewer answered; a private "
            "activity whose results were never revealed stays private; a private activity's "
            'passes are not counted, and its counts under %(small)d show as "fewer than '
            '%(small)d".',
            threshold,
        )
    else:
        left_out = ngettext(
            "A result is left out when fewer than %(threshold)d person answered, and so is a "
            "statement fewer answered; a private activity whose results were never revealed "
            "stays private; a private activity's passes are not counted, and its counts under "
            '%(small)d show as "fewer than %(small)d".',
            "A result is left out when fewer than %(threshold)d people answered, and so is a "
            "statement fewer answered; a private activity whose results were never revealed "
            "stays private; a private activity's passes are not counted, and its counts under "
            '%(small)d show as "fewer than %(small)d".',
            threshold,
        )
    return " ".join(
        (
            _(
                "This report holds what the room said as a group: counts, shares and text the "
                "facilitator approved for the screen."
            ),
            _(
                "It holds no names, no individual answers, nothing that links one person's "
                "answers together, and no score."
            ),
            left_out % said,
        )
    )


def _minutes(seconds: float | None) -> str:
    """An activity's time on screen: 4:05."""
    if seconds is None:
        return ""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _duration(seconds: float | None) -> str:
    """A workshop's length: 1 h 32 min, or 45 min."""
    if seconds is None:
        return ""
    hours, minutes = divmod(round(seconds / 60), 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def _activity_view(item: Any) -> dict[str, Any]:
    result = item.result
    view: dict[str, Any] = {
        "activity": item.activity,
        "kind": _(kind_of(item.activity).label),
        "result": result,
        "observations": item.observations,
        "chart": None,
        "lines": [],
        "cards": [],
        "reading": kind_of(item.activity).reading(item.activity),
    }
    if result is not None and result.visible:
        if result.chart is not None:
            # Our own SVG from counts: no participant text is ever inside it unescaped.
            view["chart"] = Markup(svg.svg(result.chart))  # noqa: S704
        view["cards"] = projector.cards(result)
        view["lines"] = phone.lines(result)
        view["counted"] = projector.counted(result)
    return view


def _comparison_view(comparison: Comparison) -> dict[str, Any]:
    items = []
    for item in comparison.items:
        view: dict[str, Any] = {"item": item, "words": plain_words(item)}
        if isinstance(item, BinaryItem):
            view["rows"] = [
                (_("Before"), item.before),
                (_("After"), item.after),
            ]
        else:
            view["points"] = list(zip(item.points, item.before, item.after, strict=True))
        items.append(view)
    return {"comparison": comparison, "items": items}


def report(review: SessionReview) -> str:
    """The report's HTML."""
    row = review.session.row
    return environment.get_template("report.html").render(
        language=i18n.current_language(),
        review=review,
        row=row,
        date=table.day(row.created_at),
        duration=_duration(review.summary.duration_seconds),
        privacy=_privacy(row.threshold, row.private_threshold),
        agenda=[
            {
                "item": item,
                "kind": _(kind_of(item.activity).label),
                "actual": _minutes(item.seconds),
                "marks": ", ".join(
                    _(MARKS[mark])
                    for mark, marked in (
                        ("skipped", item.skipped),
                        ("reopened", item.reopened),
                        ("revealed", item.revealed),
                    )
                    if marked
                ),
            }
            for item in review.agenda
        ],
        activities=[_activity_view(item) for item in review.activities],
        comparisons=[_comparison_view(comparison) for comparison in review.comparisons],
    )
