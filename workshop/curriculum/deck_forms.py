"""What the deck editor asks for each activity kind: its fields, their labels and shapes.

Read from each kind's pydantic Spec (type, limits, defaults, and each field's `title` as its
label), so a new kind or a new field gets an editor form without touching the editor; a test
fails if a field has no label.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from workshop.activities import KINDS, ActivitySpec
from workshop.i18n import gettext as _

# Fields every kind shares, around the kind's own: what it says first, how it runs last.
LEADING = ("title", "prompt")
TRAILING = ("minutes", "sensitive", "content_note", "pairs_with", "notes")
# Longer than this and a text field gets a box of several lines.
ONE_LINE = 300


# The editor's words below are the kinds' own (their labels, purposes and field titles, marked
# for the catalogue where each kind defines them): translated here, where they are shown.


def kind_name(kind: str) -> str:
    """A kind as the editor names it: "single_choice" is "Single choice"."""
    return _(KINDS[kind].label)


def describe(kind: str) -> str:
    """What a kind is for, in one line."""
    return _(KINDS[kind].describe())


@dataclass(frozen=True)
class FormField:
    """One field of an activity as the editor asks for it.

    `shape` is one of: line (short text), text (several lines), lines (a list of short texts,
    one per line), rows (a list of small records, each with `row_fields`), number, flag and
    choice (one of `choices`, for a field the format allows only a few values in).
    """

    name: str  # as written in the deck file
    label: str
    shape: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False
    optional: bool = False
    max_items: int | None = None
    row_fields: tuple[FormField, ...] = ()
    choices: tuple[str, ...] = ()

    row_name: str = "row"  # what one row is called: "statement", "vignette"


def form_fields(kind: str) -> list[FormField]:
    """The fields the editor shows for one kind, in order (id and kind are handled apart)."""
    spec = KINDS[kind].Spec
    fields = {info.alias or name: info for name, info in spec.model_fields.items()}
    own = [name for name in fields if name not in ActivitySpec.model_fields]
    order = [*LEADING, *own, *TRAILING]
    if not spec.answerable:
        order.remove("sensitive")  # nobody answers an info slide, so nothing is private
    if KINDS[kind].comparison is None:
        order.remove("pairs_with")  # only kinds that can be compared before and after
    return [_describe(name, fields[name]) for name in order]


def _describe(name: str, info: FieldInfo) -> FormField:
    limits: dict[str, float] = {}
    for rule in info.metadata:
        if isinstance(rule, annotated_types.Gt | annotated_types.Ge):
            limits["minimum"] = rule.gt if isinstance(rule, annotated_types.Gt) else rule.ge
        elif isinstance(rule, annotated_types.Le):
            limits["maximum"] = rule.le
        elif isinstance(rule, annotated_types.MaxLen):
            limits["max_length"] = rule.max_length
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    # The field's own title is its label; a field without one is named after itself.
    common = {"name": name, "label": info.title or name.replace("_", " ").capitalize()}
    annotation = info.annotation
    arguments = typing.get_args(annotation)
    optional = _is_optional(annotation)
    if optional:
        annotation = next(argument for argument in arguments if argument is not type(None))
    if annotation is bool:
        return FormField(**common, shape="flag", default=bool(default))
    if typing.get_origin(annotation) is typing.Literal:
        choices = tuple(str(choice) for choice in typing.get_args(annotation))
        return FormField(**common, shape="choice", default=default, choices=choices)
    if annotation in (int, float):
        return FormField(
            **common,
            shape="number",
            default=default,
            minimum=limits.get("minimum"),
            maximum=limits.get("maximum"),
            whole=annotation is int,
            optional=optional,
        )
    if typing.get_origin(annotation) is list:
        [item] = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            rows = tuple(
                _describe(row_info.alias or row_name, row_info)
                for row_name, row_info in item.model_fields.items()
            )
            return FormField(
                **common,
                shape="rows",
                default=[],
                max_items=limits.get("max_length"),
                row_fields=rows,
                # The row's own model names one of them ("statement"), in its config's title.
                row_name=item.model_config.get("title") or "row",
            )
        return FormField(
            **common, shape="lines", default=default or [], max_items=limits.get("max_length")
        )
    short = limits.get("max_length", 0) <= ONE_LINE
    return FormField(**common, shape="line" if short else "text", default=default or "")


def _is_optional(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    union = origin is typing.Union or origin is types.UnionType
    return union and type(None) in typing.get_args(annotation)


def label(field: FormField) -> str:
    """A field's label in the language of the moment."""
    return _(field.label)


def row_name(field: FormField) -> str:
    """What one row of a rows field is called ("statement"), in the language of the moment."""
    return _(field.row_name)


def blank_row(field: FormField) -> dict[str, Any]:
    """A new, empty record for a rows field (a statement, a vignette)."""
    return {row.name: row.default for row in field.row_fields}
