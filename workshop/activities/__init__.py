"""The activity kinds: adding a kind is adding one module (with its `KIND`) and one template.

Every module of this package but `base` (what kinds share) and `text_input` (reading and
cleaning what a phone sends) is a kind and found at import. A kind defined elsewhere
(a test, a practice's own) joins with `register`; decks, the phones, the projector, the control
view, rehearsals and the editor then know it with no other change.
"""

from __future__ import annotations

import importlib
import pkgutil

from workshop.activities.base import ActivitySpec, AnswerError, Kind

__all__ = ["KINDS", "ActivitySpec", "AnswerError", "Kind", "kind_of", "register", "unregister"]

# Every kind by the name a deck file gives it ("single_choice").
KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make a kind known everywhere; a name already taken by another kind is refused."""
    existing = KINDS.get(kind.name)
    if existing is not None and existing is not kind:
        raise ValueError(f"there is already a kind named {kind.name!r}")
    KINDS[kind.name] = kind
    return kind


def unregister(kind: Kind) -> None:
    """Forget a kind registered from outside this package (tests)."""
    if KINDS.get(kind.name) is kind:
        del KINDS[kind.name]


def kind_of(spec: ActivitySpec) -> Kind:
    """The kind that knows how to handle this activity."""
    return KINDS[spec.kind]


_NOT_KINDS = {"base", "text_input"}


def _discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _NOT_KINDS:
            register(importlib.import_module(f"{__name__}.{info.name}").KIND)


_discover()
