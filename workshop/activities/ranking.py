"""Put items in order of preference; the room's result is each item's mean rank."""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import Field

from workshop import charts
from workshop.activities.base import ActivitySpec, AnswerError, Form, first, parse_index


class Spec(ActivitySpec):
    kind: Literal["ranking"] = "ranking"
    items: list[str] = Field(min_length=2, max_length=8)


def parse_answer(spec: Spec, form: Form) -> list[int]:
    """Fields rank0..rankN give each item's rank (1 = first); stored as item indices in order."""
    size = len(spec.items)
    ranks = []
    for number in range(size):
        # Places are 1..size; parse_index counts from 0, hence the shift.
        place = parse_index(first(form, f"rank{number}"), size + 1)
        if not place:
            raise AnswerError("Please give every item a place, or pass.")
        ranks.append(place)
    if len(set(ranks)) != size:
        raise AnswerError("Each place can be used once. Please give every item a different place.")
    return sorted(range(size), key=lambda item: ranks[item])


def aggregate(spec: Spec, values: list[list[int]]) -> dict[str, Any]:
    totals = [0] * len(spec.items)
    for order in values:
        for place, item in enumerate(order, start=1):
            totals[item] += place
    respondents = len(values) or 1
    means = [total / respondents for total in totals]
    return {"mean_ranks": means}


def _ordered(spec: Spec, data: dict[str, Any]) -> list[tuple[str, float]]:
    pairs = zip(spec.items, data["mean_ranks"], strict=True)
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def summary(spec: Spec, data: dict[str, Any], revealed: bool) -> list[dict[str, Any]]:
    return [
        {"label": f"{item} (mean place {mean:.1f})", "count": None, "share": None}
        for item, mean in _ordered(spec, data)
    ]


def figure(spec: Spec, data: dict[str, Any], revealed: bool):
    ordered = _ordered(spec, data)
    # Longer bar = ranked higher: the bar shows places ahead of last, so the top item leads.
    size = len(spec.items)
    return charts.bars(
        [item for item, _ in ordered],
        [size + 1 - mean for _, mean in ordered],
        texts=[f"mean place {mean:.1f}" for _, mean in ordered],
    )


def form_fields(spec: Spec, value: list[int]) -> dict[str, list[str]]:
    return {f"rank{item}": [str(place)] for place, item in enumerate(value, start=1)}


def sample_answer(spec: Spec, rng: random.Random) -> list[int]:
    order = list(range(len(spec.items)))
    rng.shuffle(order)
    return order
