"""A reviewed session as one self-contained HTML file: it opens offline with no network request,
prints cleanly to PDF on A4 or Letter, and keeps its charts as inline SVG.

The page has no script and no external reference at all (a test opens it with the network
blocked). Every deck and participant string is escaped by Jinja's autoescaping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from workshop.activities import kind_of
from workshop.renderers import phone, projector, svg, table
from workshop.review.before_after import BinaryItem, Comparison, plain_words
from workshop.review.session import SessionReview
from workshop.room.results import SMALL_CELL, private_threshold_of

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
PRIVACY = (
    "This report holds what the room said as a group: counts, shares and text the facilitator "
    "approved for the screen. It holds no names, no individual answers, nothing that links one "
    "person's answers together, and no score. A result is left out when fewer than {threshold} "
    "people answered{private}, and so is a statement fewer answered; "
    "a private activity whose results were never revealed stays private; "
    "a private activity's passes are not counted, and its counts under {small} show as "
    '"fewer than {small}".'
)


def _private_threshold(threshold: int, private_threshold: int) -> str:
    """The report's words for a larger threshold of private activities, if the session had one."""
    larger = private_threshold_of(threshold, private_threshold)
    return f" (fewer than {larger} on a private activity)" if larger > threshold else ""


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
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def _activity_view(item: Any) -> dict[str, Any]:
    result = item.result
    view: dict[str, Any] = {
        "activity": item.activity,
        "kind": kind_of(item.activity).label,
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
                ("Before", item.before),
                ("After", item.after),
            ]
        else:
            view["points"] = list(zip(item.points, item.before, item.after, strict=True))
        items.append(view)
    return {"comparison": comparison, "items": items}


def report(review: SessionReview) -> str:
    """The report's HTML."""
    row = review.session.row
    return environment.get_template("report.html").render(
        review=review,
        row=row,
        date=table.day(row.created_at),
        duration=_duration(review.summary.duration_seconds),
        privacy=PRIVACY.format(
            threshold=row.threshold,
            private=_private_threshold(row.threshold, row.private_threshold),
            small=SMALL_CELL,
        ),
        agenda=[
            {
                "item": item,
                "kind": kind_of(item.activity).label,
                "actual": _minutes(item.seconds),
                "marks": ", ".join(
                    word
                    for word, marked in (
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
