"""The activity kinds, found by module: adding a kind is adding one module and one template."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from workshop.activities.base import ActivitySpec, AnswerError

__all__ = ["KINDS", "ActivitySpec", "AnswerError", "kind_of", "revealed_notes"]


def _discover() -> dict[str, ModuleType]:
    kinds = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kinds[module.Spec.model_fields["kind"].default] = module
    return kinds


KINDS: dict[str, ModuleType] = _discover()


def kind_of(spec: ActivitySpec) -> ModuleType:
    """The module that knows how to handle this activity."""
    return KINDS[spec.kind]


def revealed_notes(spec: ActivitySpec, revealed: bool) -> list[str]:
    """Answer keys and explanations for kinds that have them; nothing for the rest."""
    module: Any = kind_of(spec)
    notes = getattr(module, "revealed_notes", None)
    return notes(spec, revealed) if notes else []
