"""Renderers: a Result drawn for one audience. A Result is data; each renderer draws only what
it holds, so suppression (done once, in room/results.py) cannot be bypassed here.

    projector   a plotly figure (charts.py draws each kind's chart), or cards of texts
    phone       plain lines for the phone's page after answering

The exports (CSV, Excel, the HTML report) join this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workshop.renderers import phone, projector
from workshop.room.results import Result

RENDERERS: dict[str, Callable[[Result], Any]] = {
    "projector": projector.figure,
    "phone": phone.lines,
}


def render(name: str, result: Result) -> Any:
    """The result as the renderer `name` draws it."""
    return RENDERERS[name](result)
