"""The deck editor: write a deck of the practice's own, or a copy of a built-in one.

Each activity is edited in a form made for its kind, beside a preview of what the phones will
show; below, the projector with made-up answers. Problems appear beside the field they concern,
with the same words `workshop decks validate` uses. Nothing is written until Save, and then
only among the practice's own decks: built-in decks stay read-only.

Widgets are named after the draft's generation and each activity's key, never its position, so
a form follows its activity when it moves. Edits that change the shape of the draft (adding,
moving, deleting) are applied after every field has been read, then the page is drawn again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from workshop.activities import KINDS, ActivitySpec
from workshop.curriculum import authoring, deck_forms
from workshop.curriculum.authoring import Draft, is_number
from workshop.curriculum.deck_files import DeckFolders, DeckListing, deck_to_toml, list_decks
from workshop.curriculum.decks import CurriculumError, Problem
from workshop.curriculum.practice import Practice, load_practice
from workshop.dashboard.activity_form import Action, ProblemSlots, activity_form
from workshop.dashboard.screen import activity_body, activity_heading, text_style
from workshop.dashboard.text import bold, literal
from workshop.dashboard.uploads import new_text
from workshop.i18n import gettext as _
from workshop.i18n import ngettext
from workshop.room.rehearsal import sample_result
from workshop.room.results import Result
from workshop.web.participant.render import phone_preview

DRAFT = "editor_draft"
GENERATION = "editor_generation"
SELECTED = "editor_selected"
# Set by the library ("copy:<id>" or "edit:<id>") to open a deck here.
REQUEST = "editor_request"
NEW_DECK = "new"
PREVIEW_PEOPLE = 12
PROJECTOR_SCALE = 0.6


def render(folders: DeckFolders, practice_file: Path) -> str | None:
    """Draw the editor over the decks in `folders` (previews with the practice's settings from
    `practice_file`); returns the id of a saved deck the facilitator chose to run."""
    st.title(_("Deck editor"))
    listings = list_decks(folders)
    _open_deck(listings, folders)
    draft: Draft | None = st.session_state.get(DRAFT)
    if draft is None:
        st.info(_("Start a new deck, or open a deck to copy it or to change it."))
        return None
    prefix = f"editor-{st.session_state[GENERATION]}"
    toolbar = st.container()
    slots = ProblemSlots()
    _deck_fields(draft, prefix, slots)
    st.divider()
    agenda_column, form_column, phone_column = st.columns([1, 1.6, 1.1], gap="large")
    index = _selected_index(draft)
    action: Action | None = None
    # The form first, so the agenda beside it already shows what was just typed.
    if index is not None:
        with form_column:
            action = activity_form(draft, index, prefix, slots)
    deck, problems = draft.check()
    slots.fill(problems)
    with agenda_column:
        troubled = {problem.activity_index for problem in problems}
        action = _agenda(draft, index, prefix, troubled) or action
    if index is not None:
        spec = authoring.activity_spec(draft.activities[index].fields)
        result = None
        if spec is not None:
            spec = _practice(practice_file).fill_activity(
                spec
            )  # the support slide as the room will see it
            # One made-up room for both previews: the phone and the projector agree.
            result = sample_result(spec, PREVIEW_PEOPLE) if spec.answerable else None
        with phone_column:
            _phone_preview(spec, result, draft.title)
        if spec is not None:
            eyebrow = _("%(number)d / %(total)d · preview") % {
                "number": index + 1,
                "total": len(draft.activities),
            }
            _projector_preview(spec, result, eyebrow)
    with toolbar:
        run = _save_and_files(draft, deck, problems, folders, prefix)
    if action is not None:
        action()
    if draft.unsaved:
        authoring.autosave(draft, folders)
    if action is not None:
        st.rerun()
    return run


def _open_deck(listings: list[DeckListing], folders: DeckFolders) -> None:
    """Start a new deck, open one (a copy of a built-in, or one of the practice's own to change),
    or open a TOML file; whatever was being written is replaced."""
    decks = {listing.deck.id: listing for listing in listings if listing.deck}
    choices = {NEW_DECK: _("A new, empty deck")}
    for deck_id, listing in sorted(decks.items(), key=lambda item: item[1].deck.title):
        deck = listing.deck
        said = {"title": deck.title, "minutes": f"{deck.minutes:g}"}
        if not listing.built_in:
            choices[f"edit:{deck_id}"] = _("Change your deck: %(title)s (%(minutes)s min)") % said
        if listing.built_in:
            copy = _("A copy of %(title)s (%(minutes)s min) · built-in")
        else:
            copy = _("A copy of %(title)s (%(minutes)s min)")
        choices[f"copy:{deck_id}"] = copy % said
    draft: Draft | None = st.session_state.get(DRAFT)
    request = st.session_state.get(REQUEST)
    if request in choices:
        if draft is None or not draft.unsaved:
            st.session_state.pop(REQUEST)
            _start(request, decks)
            draft = st.session_state[DRAFT]
        else:
            # Asked for from the library while other work is unsaved: never drop it silently.
            if draft.title:
                unsaved = _("“%(title)s” has unsaved changes.") % {"title": literal(draft.title)}
            else:
                unsaved = _("The deck you are writing has unsaved changes.")
            st.warning(unsaved)
            open_column, keep_column = st.columns(2)
            instead = _("Open “%(deck)s” instead") % {"deck": literal(choices[request])}
            if open_column.button(instead, key="editor_replace"):
                st.session_state.pop(REQUEST)
                _start(request, decks)
                st.rerun()
            if keep_column.button(_("Keep writing"), key="editor_keep"):
                st.session_state.pop(REQUEST)
                st.rerun()
    if draft is None and (unsaved := authoring.unsaved_draft(folders)) is not None:
        if unsaved.title:
            kept = _("Unsaved changes to “%(title)s” were kept from last time.") % {
                "title": literal(unsaved.title)
            }
        else:
            kept = _("Unsaved changes to a deck without a title were kept from last time.")
        st.warning(kept)
        if st.button(_("Carry on with it"), key="editor_restore", type="primary"):
            _replace_draft(unsaved)
            st.rerun()
    with st.expander(_("Start or open a deck"), expanded=draft is None):
        choice = st.selectbox(
            _("Start from"), options=list(choices), format_func=choices.get, key="editor_start"
        )
        if draft is not None and draft.unsaved:
            if draft.title:
                replaces = _("Opening replaces “%(title)s”, which has unsaved changes.") % {
                    "title": literal(draft.title)
                }
            else:
                replaces = _("Opening replaces the deck, which has unsaved changes.")
            st.caption(replaces)
        if st.button(_("Open in the editor"), key="editor_open"):
            _start(choice, decks)
            st.rerun()
        uploaded = st.file_uploader(
            _("Or open a deck file (.toml), even one with problems, to mend it here"),
            type=["toml"],
            key="editor_upload",
        )
        if (text := new_text(uploaded, "editor_uploaded")) is not None:
            try:
                opened, left_out = Draft.from_toml(text, uploaded.name)
            except CurriculumError as error:
                st.error(_("%(file)s cannot be opened:") % {"file": uploaded.name} + f"\n\n{error}")
            else:
                _replace_draft(opened)
                st.session_state["editor_left_out"] = [str(problem) for problem in left_out]
                st.rerun()
    if left_out := st.session_state.pop("editor_left_out", None):
        st.warning(_("Some fields were left out of the editor:") + "\n\n" + "\n\n".join(left_out))


def _start(choice: str, decks: dict[str, DeckListing]) -> None:
    if choice == NEW_DECK:
        _replace_draft(Draft())
        return
    how, deck_id = choice.split(":", 1)
    deck = decks[deck_id].deck
    assert deck is not None
    _replace_draft(Draft.from_deck(deck, copy=how == "copy", taken=set(decks)))


def _replace_draft(draft: Draft) -> None:
    st.session_state[DRAFT] = draft
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state[SELECTED] = draft.activities[0].key if draft.activities else None


def _deck_fields(draft: Draft, prefix: str, slots: ProblemSlots) -> None:
    title_column, id_column = st.columns([2, 1])
    with title_column:
        draft.title = st.text_input(_("Deck title"), value=draft.title, key=f"{prefix}-title")
        slots.here(None, "title")
    with id_column:
        draft.id = st.text_input(
            _("Deck id (its file name)"),
            value=draft.id,
            placeholder=authoring.slug(draft.title) or _("made from the title"),
            help=_("Lowercase letters, digits and hyphens. Left empty, it is made from the title."),
            key=f"{prefix}-id",
        )
        slots.here(None, "id")
    draft.description = st.text_area(
        _("Description (shown in the library)"),
        value=draft.description,
        height=80,
        key=f"{prefix}-description",
    )
    slots.here(None, "description")
    draft.buffer_minutes = st.number_input(
        _("Minutes for joining and moving between activities"),
        value=float(draft.buffer_minutes) if authoring.is_number(draft.buffer_minutes) else 0.0,
        min_value=0.0,
        max_value=60.0,
        step=1.0,
        format="%g",
        help=_(
            "Phones joining at the start and the room moving on take time no activity owns: "
            "about 3 minutes for joining and 20 to 30 seconds for each move."
        ),
        key=f"{prefix}-buffer",
    )
    slots.here(None, "buffer_minutes")


def _selected_index(draft: Draft) -> int | None:
    """The position of the activity being edited: the one last picked, else the first."""
    keys = [activity.key for activity in draft.activities]
    selected = st.session_state.get(SELECTED)
    if selected in keys:
        return keys.index(selected)
    return 0 if keys else None


def _agenda(
    draft: Draft, index: int | None, prefix: str, troubled: set[int | None]
) -> Action | None:
    """The activities in order, to pick one, move it or delete it; and a new one to add.

    An activity with a problem carries a warning sign, so none is missed before saving.
    """
    action: Action | None = None
    count = len(draft.activities)
    agenda = ngettext(
        "**Agenda** · %(count)d activity · %(minutes)s min",
        "**Agenda** · %(count)d activities · %(minutes)s min",
        count,
    )
    st.markdown(agenda % {"count": count, "minutes": f"{draft.minutes:g}"})
    if not draft.activities:
        st.info(_("No activities yet: add the first one below."))
    for number, activity in enumerate(draft.activities, start=1):
        title = str(activity.fields.get("title") or _("(no title)"))
        minutes = activity.fields.get("minutes")
        if is_number(minutes):
            label = _("%(number)d. %(title)s · %(minutes)s min") % {
                "number": number,
                "title": title,
                "minutes": f"{minutes:g}",
            }
        else:
            label = f"{number}. {title}"
        chosen = "primary" if number - 1 == index else "secondary"
        icon = ":material/warning:" if number - 1 in troubled else None
        key = f"{prefix}-pick-{activity.key}"
        if st.button(label, key=key, type=chosen, icon=icon, width="stretch"):
            st.session_state[SELECTED] = activity.key
            st.rerun()
    if index is not None:
        up, down, delete = st.columns(3)
        first, last = index == 0, index == len(draft.activities) - 1
        if up.button(_("Up"), key=f"{prefix}-up", icon=":material/arrow_upward:", disabled=first):
            action = lambda: draft.move(index, -1)  # noqa: E731
        if down.button(
            _("Down"), key=f"{prefix}-down", icon=":material/arrow_downward:", disabled=last
        ):
            action = lambda: draft.move(index, +1)  # noqa: E731
        with delete.popover(_("Delete"), icon=":material/delete:"):
            st.write(_("Delete this activity from the deck?"))
            if st.button(_("Delete it"), key=f"{prefix}-delete", type="primary"):
                action = _delete(draft, index)
    st.markdown(bold(_("Add an activity")))
    # Named once, in this run's language (Streamlit may format an option outside the run).
    names = {name: deck_forms.kind_name(name) for name in sorted(KINDS, key=deck_forms.kind_name)}
    kind = st.selectbox(
        _("Kind"),
        options=list(names),
        format_func=names.__getitem__,
        key=f"{prefix}-new-kind",
    )
    st.caption(deck_forms.describe(kind))
    if st.button(_("Add activity"), key=f"{prefix}-add", icon=":material/add:"):

        def add() -> None:
            added = draft.add(kind)
            st.session_state[SELECTED] = draft.activities[added].key

        action = add
    return action


def _delete(draft: Draft, index: int) -> Action:
    def delete() -> None:
        draft.delete(index)
        remaining = draft.activities
        st.session_state[SELECTED] = (
            remaining[min(index, len(remaining) - 1)].key if remaining else None
        )

    return delete


def _practice(practice_file: Path) -> Practice:
    try:
        return load_practice(practice_file)
    except CurriculumError:
        return Practice()  # the library names the problem; the preview uses general wording


def _phone_preview(spec: ActivitySpec | None, result: Result | None, deck_title: str) -> None:
    """The activity on a phone: its form, and the room's result once answered."""
    st.markdown(
        _("**On a phone** · [on the projector ↓](%(anchor)s)") % {"anchor": "#projector-preview"}
    )
    if spec is None:
        st.caption(_("The preview appears once this activity's problems are fixed."))
        return
    if result is None:  # nobody answers an information slide
        st.iframe(phone_preview(spec, deck_title), width="stretch", height=640)
        return
    after = _("After answering (%(count)d made up)") % {"count": PREVIEW_PEOPLE}
    answering, answered = st.tabs([_("Answering"), after])
    with answering:
        st.iframe(phone_preview(spec, deck_title), width="stretch", height=640)
    with answered:
        st.iframe(phone_preview(spec, deck_title, result), width="stretch", height=640)


def _projector_preview(spec: ActivitySpec, result: Result | None, eyebrow: str) -> None:
    if spec.answerable:
        heading = _("On the projector, once %(count)d made-up participants have answered") % {
            "count": PREVIEW_PEOPLE
        }
    else:
        heading = _("On the projector")
    # h2 under the page's h1: a skipped heading level hides where a section belongs.
    st.header(heading, anchor="projector-preview")
    st.html(text_style(PROJECTOR_SCALE))
    with st.container(border=True):
        activity_heading(spec, eyebrow)
        activity_body(spec, result, chart_key="editor-chart", scale=PROJECTOR_SCALE)


def _save_and_files(
    draft: Draft, deck: Any, problems: list[Problem], folders: DeckFolders, prefix: str
) -> str | None:
    """Save, download, and the way to the library to run the deck; returns a deck to run."""
    save_column, download_column, run_column, delete_column = st.columns(4)
    run = None
    saved_message = None
    with save_column:
        if st.button(_("Save"), key="editor_save", type="primary", icon=":material/save:"):
            try:
                saved = authoring.save(draft, folders)
            except CurriculumError as error:
                said = "\n\n".join(str(problem) for problem in error.problems)
                st.error(_("Not saved:") + "\n\n" + said)
            else:
                saved_message = _("Saved “%(title)s” among your decks (%(file)s).") % {
                    "title": literal(saved.title),
                    "file": f"{saved.id}.toml",
                }
    with download_column:
        st.download_button(
            _("Download the TOML file"),
            data=deck_to_toml(deck) if deck is not None else "",
            file_name=f"{draft.deck_id or 'deck'}.toml",
            mime="application/toml",
            disabled=deck is None,
            key=f"{prefix}-download",
        )
    # Filled before the run button, which must know whether the deck is still in the library.
    if draft.editing is not None:
        with delete_column.popover(_("Delete from your decks"), icon=":material/delete:"):
            st.write(_("The deck leaves the library; it stays open here, and Save brings it back."))
            if st.button(_("Delete it"), key="editor_delete_deck", type="primary"):
                deleted = draft.editing
                authoring.delete(draft, folders)
                saved_message = _("Deleted %(file)s from your decks.") % {"file": f"{deleted}.toml"}
    with run_column:
        can_run = draft.editing is not None and not draft.unsaved
        if st.button(
            _("Run or rehearse it"),
            key="editor_run",
            disabled=not can_run,
            icon=":material/play_arrow:",
        ):
            run = draft.editing
    if saved_message:
        st.success(saved_message)
    elif problems:
        fix = ngettext(
            "%(count)d problem to fix before saving",
            "%(count)d problems to fix before saving",
            len(problems),
        )
        with st.expander(fix % {"count": len(problems)}):
            for problem in problems:
                st.write(str(problem))
    elif draft.unsaved:
        st.caption(_("Unsaved changes."))
    return run
