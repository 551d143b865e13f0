"""Results and comparisons as JSON and back: what a purged session keeps of itself.

After retention purges a session's answers, its review is drawn from these snapshots instead:
the same Results (already suppressed when they were made), the same comparisons. An activity is
written as its id and found again in the session's deck snapshot.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from workshop.activities import ActivitySpec
from workshop.activities.base import Bars, Cloud, Count, Place, StackedRows, Text, Withheld
from workshop.curriculum.decks import Deck
from workshop.review.before_after import BinaryItem, Comparison, OrdinalItem, Proportion
from workshop.room.results import Result, as_private

TYPES = {
    cls.__name__: cls
    for cls in (
        Result,
        Count,
        Text,
        Place,
        Withheld,
        Bars,
        StackedRows,
        Cloud,
        Comparison,
        BinaryItem,
        OrdinalItem,
        Proportion,
    )
}


def _encode(value: Any) -> Any:
    if isinstance(value, ActivitySpec):
        return {"type": "Activity", "id": value.id}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            field.name: _encode(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
        return {"type": type(value).__name__, **fields}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any, deck: Deck) -> Any:
    if isinstance(value, list):
        # Every sequence in these records is a tuple (they are frozen and compared as such).
        return tuple(_decode(item, deck) for item in value)
    if isinstance(value, dict):
        kind = value["type"]
        if kind == "Activity":
            return deck.activity(value["id"])
        fields = {name: _decode(item, deck) for name, item in value.items() if name != "type"}
        if kind == "Result" and "responded" in fields:
            # Written before a Result held `answered` (it held responded and passed), and
            # before a revealed private activity withheld its small counts and its passes.
            fields["answered"] = fields.pop("responded") - fields["passed"]
            kept = Result(**fields)
            return as_private(kept) if kept.activity.sensitive else kept
        if kind == "StackedRows" and "diverging" in fields:
            # Written when `ordered` was called `diverging` (the bars never diverged).
            fields["ordered"] = fields.pop("diverging")
        return TYPES[kind](**fields)
    return value


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), ensure_ascii=False)


def loads(text: str, deck: Deck) -> Any:
    return _decode(json.loads(text), deck)
