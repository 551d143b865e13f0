"""The form of one activity in the deck editor, and the places beside its fields for problems.

Every widget is started from the draft's value and writes what was typed straight back, so the
draft always holds the form's content. Edits that change a list's shape (a statement added or
removed) come back as an action for the page to apply once every field has been read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from workshop.curriculum import deck_forms
from workshop.curriculum.authoring import Draft, is_number
from workshop.curriculum.deck_forms import FormField
from workshop.curriculum.decks import Problem
from workshop.i18n import gettext as _

Action = Callable[[], None]


class ProblemSlots:
    """Places beside the fields where their problems go, filled once the draft is checked."""

    def __init__(self) -> None:
        self.slots: dict[tuple[int | None, str], Any] = {}

    def here(self, activity_index: int | None, field: str) -> None:
        self.slots[(activity_index, field)] = st.empty()

    def fill(self, problems: list[Problem]) -> None:
        for problem in problems:
            field = problem.field or ""
            # Beside its own field ("statements.0.text"), else beside the whole list
            # ("options.2" goes beside "options").
            for place in (field, field.split(".")[0]):
                slot = self.slots.get((problem.activity_index, place))
                if slot is not None:
                    # The hints point at docs/decks.md; beside a form field the form is the doc.
                    slot.error(problem.message, icon=":material/error:")
                    break


def activity_form(draft: Draft, index: int, prefix: str, slots: ProblemSlots) -> Action | None:
    """The selected activity's fields; edits go straight into the draft."""
    activity = draft.activities[index]
    fields = activity.fields
    key = f"{prefix}-{activity.form_key}"
    st.markdown(f"**{deck_forms.kind_name(activity.kind)}** · {deck_forms.describe(activity.kind)}")
    fields["id"] = st.text_input(
        _("Activity id"),
        value=str(fields.get("id", "")),
        help=_("Keep it the same between sessions: the before/after comparison matches on it."),
        key=f"{key}-id",
    ).strip()
    slots.here(index, "id")
    if fields["id"] in draft.duplicate_ids():
        st.error(_("Another activity in this deck has the same id."), icon=":material/error:")
    action: Action | None = None
    for field in deck_forms.form_fields(activity.kind):
        if field.shape == "rows":
            rows_action = _rows(draft, index, field, key, slots)
            action = rows_action or action
        else:
            fields[field.name] = _input(field, fields.get(field.name), f"{key}-{field.name}")
        slots.here(index, field.name)
    return action


def _input(field: FormField, value: Any, key: str) -> Any:
    """One widget for one field, started from the draft's value; returns the value as typed."""
    label = deck_forms.label(field)
    if field.shape == "flag":
        return st.checkbox(label, value=bool(value), key=key)
    if field.shape == "choice":
        choices = list(field.choices)
        chosen = value if value in choices else field.default
        return st.selectbox(
            label,
            choices,
            index=choices.index(chosen) if chosen in choices else 0,
            # The empty choice is "neither"; the others are words of the deck format.
            format_func=lambda choice: choice or _("(none)"),
            key=key,
        )
    if field.shape == "number":
        number = value if is_number(value) else field.default
        # Streamlit wants every number of one widget in one type: whole numbers stay int.
        number_type = int if field.whole else float

        def typed(bound: float | None) -> float | None:
            return None if bound is None else number_type(bound)

        return st.number_input(
            label,
            value=typed(number),
            min_value=typed(field.minimum),
            max_value=typed(field.maximum),
            step=1 if field.whole else 0.5,
            format="%d" if field.whole else "%g",
            key=key,
        )
    if field.shape == "lines":
        lines = value if isinstance(value, list) else []
        written = st.text_area(
            label,
            value="\n".join(str(line) for line in lines),
            height=68 + 24 * min(max(len(lines), 2), 8),
            key=key,
        )
        return [line.strip() for line in written.splitlines() if line.strip()]
    text = value if isinstance(value, str) else ""
    if field.shape == "text":
        return st.text_area(label, value=text, key=key)
    return st.text_input(label, value=text, key=key)


def _rows(
    draft: Draft, index: int, field: FormField, key: str, slots: ProblemSlots
) -> Action | None:
    """A list of small records (statements, vignettes): one bordered box each."""
    fields = draft.activities[index].fields
    rows = [row if isinstance(row, dict) else {} for row in fields.get(field.name) or []]
    fields[field.name] = rows
    action: Action | None = None
    st.markdown(f"**{deck_forms.label(field)}**")
    row_name = deck_forms.row_name(field)
    for number, row in enumerate(rows):
        with st.container(border=True):
            st.caption(
                # Translators: one row of a list in the deck editor: "Statement 2".
                _("%(row)s %(number)d") % {"row": row_name.capitalize(), "number": number + 1}
            )
            # The first part (the text) across the box; short parts side by side under it.
            first, *rest = field.row_fields
            side_by_side = [part for part in rest if part.shape != "text"]
            places = [st.container(), *st.columns(len(side_by_side) or 1)]
            for part in field.row_fields:
                if part is first:
                    place = places[0]
                elif part in side_by_side:
                    place = places[1 + side_by_side.index(part)]
                else:
                    place = st.container()
                with place:
                    row_key = f"{key}-{field.name}-{number}-{part.name}"
                    row[part.name] = _input(part, row.get(part.name), row_key)
                    slots.here(index, f"{field.name}.{number}.{part.name}")
            remove = _("Remove %(row)s %(number)d") % {"row": row_name, "number": number + 1}
            if st.button(remove, key=f"{key}-{field.name}-{number}-remove"):
                action = _change_rows(
                    draft, index, lambda rows=rows, number=number: rows.pop(number)
                )
    full = field.max_items is not None and len(rows) >= field.max_items
    add = _("Add a %(row)s") % {"row": row_name}
    if st.button(add, key=f"{key}-{field.name}-add", disabled=full):
        action = _change_rows(draft, index, lambda: rows.append(deck_forms.blank_row(field)))
    return action


def _change_rows(draft: Draft, index: int, change: Callable[[], Any]) -> Action:
    """Rows are keyed by position: after one is added or removed, draw the activity afresh."""

    def apply() -> None:
        change()
        draft.renew(index)

    return apply
