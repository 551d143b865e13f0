"""Put items in order of preference; the room's result is each item's mean place."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import Field

from workshop.activities.base import (
    ActivitySpec,
    AnswerError,
    Bars,
    Form,
    Kind,
    Line,
    Place,
    first,
    parse_index,
)
from workshop.i18n import N_
from workshop.i18n import gettext as _


class Spec(ActivitySpec):
    kind: Literal["ranking"] = "ranking"
    items: list[str] = Field(
        min_length=2, max_length=8, title="Items to rank, one per line", description="2 to 8 items"
    )


class Ranking(Kind[Spec]):
    Spec = Spec
    label = N_("Ranking")
    purpose = "Put items in order of preference; the room's result is each item's mean place."
    documentation = "Put items in order; the room's result is each item's mean place."

    def parse_answer(self, spec: Spec, form: Form) -> list[int]:
        """Fields rank0..rankN give each item's place (1 = first); stored as item indices in
        order."""
        size = len(spec.items)
        ranks = []
        for number in range(size):
            raw = first(form, f"rank{number}")
            if not raw:
                raise AnswerError(_("Please give every item a place, or pass."))
            # Places are 1..size; parse_index counts from 0, hence the shift.
            place = parse_index(raw, size + 1)
            if not place:
                raise AnswerError(
                    _("Places go from 1 to %(size)d. Please pick again.") % {"size": size}
                )
            ranks.append(place)
        if len(set(ranks)) != size:
            raise AnswerError(
                _("Each place can be used once. Please give every item a different place.")
            )
        return sorted(range(size), key=lambda item: ranks[item])

    def form_fields(self, spec: Spec, value: list[int]) -> dict[str, list[str]]:
        return {f"rank{item}": [str(place)] for place, item in enumerate(value, start=1)}

    def sample_answer(self, spec: Spec, rng: random.Random) -> list[int]:
        order = list(range(len(spec.items)))
        rng.shuffle(order)
        return order

    def tally(self, spec: Spec, values: list[list[int]]) -> list[tuple[str, float]]:
        """Each item with its mean place, first place first."""
        totals = [0] * len(spec.items)
        for order in values:
            for place, item in enumerate(order, start=1):
                totals[item] += place
        people = len(values) or 1
        means = zip(spec.items, [total / people for total in totals], strict=True)
        return sorted(means, key=lambda pair: (pair[1], pair[0]))

    def lines(self, spec: Spec, tally: list[tuple[str, float]], revealed: bool) -> list[Line]:
        return [Place(item, mean) for item, mean in tally]

    def chart(self, spec: Spec, tally: list[tuple[str, float]], revealed: bool) -> Bars:
        # Longer bar = ranked higher: the bar shows places ahead of last, so the top item leads.
        size = len(spec.items)
        return Bars(
            tuple(item for item, _mean in tally),
            tuple(size + 1 - mean for _item, mean in tally),
            texts=tuple(_("mean place %(mean).1f") % {"mean": mean} for _item, mean in tally),
        )


KIND = Ranking()
