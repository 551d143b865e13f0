"""The library: the decks on disk, a preview of each, and the button that starts a session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from workshop import i18n
from workshop.activities import kind_of
from workshop.curriculum.deck_files import DeckFolders, DeckListing, list_decks, save_custom_deck
from workshop.curriculum.decks import CurriculumError, Deck
from workshop.curriculum.practice import Practice, load_practice
from workshop.dashboard.text import bold, literal
from workshop.dashboard.uploads import new_text
from workshop.i18n import gettext as _
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal
from workshop.room.timing import BUFFER
from workshop.store import Store
from workshop.web.participant.render import phone_preview

# CURRICULUM.md's outline runs 90 minutes; the 60- and 120-minute variants adapt it.
STANDARD_MINUTES = 90
# Set to a deck's id to show that deck next time the library is drawn (one just added or saved).
SELECT_DECK = "select_deck"


def render(
    store: Store,
    folders: DeckFolders,
    practice_file: Path,
    on_edit: Callable[[str], None] | None = None,
) -> int | None:
    """Draw the library of the decks in `folders`, with the practice's settings from
    `practice_file`; returns the id of a session to open (just started or resumed).

    `on_edit` opens the deck editor on "copy:<deck id>" or "edit:<deck id>".
    """
    st.title(_("Workshop library"))
    listings = list_decks(folders)
    broken = [listing for listing in listings if listing.error]
    for listing in broken:
        # The deck check's own words follow (curriculum/decks.py), as `workshop decks` says them.
        st.error(
            _("%(file)s cannot be used:") % {"file": listing.path.name}
            + "\n\n"
            + str(listing.error)
        )
    try:
        practice = load_practice(practice_file)
    except CurriculumError as error:
        st.error(
            _("The practice settings cannot be used, so general wording is shown:") + f"\n\n{error}"
        )
        practice = Practice()
    # Variants of one workshop share a title: group them, shortest first.
    usable = sorted(
        (listing.deck for listing in listings if listing.deck),
        key=lambda each: (each.title, each.minutes),
    )
    decks = {deck.id: deck for deck in usable}
    if not decks:
        st.warning(
            _("No usable deck in %(built_in)s or %(custom)s.")
            % {"built_in": folders.built_in, "custom": folders.custom}
        )
        return None

    if (chosen := st.session_state.pop(SELECT_DECK, None)) in decks:
        st.session_state["deck"] = chosen  # a deck just added: show it
    # Named once, in this run's language (Streamlit may format an option outside the run).
    names = {
        key: _("%(title)s (%(minutes)s min)")
        % {"title": deck.title, "minutes": f"{deck.minutes:g}"}
        for key, deck in decks.items()
    }
    deck_id = st.selectbox(
        _("Deck"),
        options=list(decks),
        index=list(decks).index(_first_choice(store, usable)),
        format_func=names.__getitem__,
        key="deck",
    )
    deck = decks[deck_id]
    listing = next(item for item in listings if item.deck and item.deck.id == deck_id)
    if deck.description:
        st.write(literal(deck.description))
    if listing.built_in:
        where = _("Built-in deck (read-only) · %(file)s")
    else:
        where = _("Your practice's deck · %(file)s")
    st.caption(where % {"file": listing.path.name})
    if on_edit is not None:
        copy_column, edit_column = st.columns(2)
        if copy_column.button(_("Edit a copy in the deck editor"), key="edit_copy"):
            on_edit(f"copy:{deck.id}")
        if not listing.built_in and edit_column.button(
            _("Change it in the deck editor"), key="edit"
        ):
            on_edit(f"edit:{deck.id}")
    st.dataframe(_agenda(deck), hide_index=True, width="stretch")

    _activity_preview(practice.fill(deck))  # as phones will see it, resources included

    threshold = st.number_input(
        _("Show results once this many people have answered"),
        min_value=1,
        max_value=50,
        value=live.DEFAULT_THRESHOLD,
        key="threshold",
        help=_("Protects small groups: below it, neither the screen nor the phones show a result."),
    )
    private_threshold = live.DEFAULT_PRIVATE_THRESHOLD
    if any(activity.sensitive for activity in deck.activities):
        private_threshold = st.number_input(
            _("Private activities: show results once this many people have answered"),
            min_value=1,
            max_value=50,
            value=live.DEFAULT_PRIVATE_THRESHOLD,
            key="private_threshold",
            help=_(
                "Private reflections are about the people in the room, so their totals need a "
                "larger group before they show. Never below the number above: a smaller one is "
                "raised to it."
            ),
        )
    people_expected = st.number_input(
        _("People expected (optional)"),
        min_value=1,
        max_value=live.MOST_PEOPLE,
        value=None,
        key="people_expected",
        help=_(
            "No more phones than this may join, so nobody can add phones to see what a few "
            "people answered. Change it any time in the control view."
        ),
    )
    lock_when_begun = st.checkbox(
        _("Without a number of people, close the room to new phones when the first activity opens"),
        value=True,
        key="lock_when_begun",
        help=_("A latecomer is let in from the control view (The door)."),
    )
    started = None
    if st.button(_("Start session"), key="start", type="primary"):
        try:
            session = live.start_session(
                store,
                deck,
                int(threshold),
                practice=practice,
                headcount=None if people_expected is None else int(people_expected),
                lock_when_begun=lock_when_begun,
                private_threshold=int(private_threshold),
            )
        except live.LiveError as problem:
            st.error(_(str(problem)))  # said to the facilitator, never a crash of the page
        else:
            st.success(_("Session started. Join code: %(code)s") % {"code": session.row.join_code})
            started = session.id

    with st.expander(_("Rehearse this deck before the group arrives")):
        st.write(
            _(
                "Simulated participants answer every activity, so you can step through every "
                "chart, reveal and the moderation queue. Rehearsals are marked as such."
            )
        )
        people = st.number_input(
            _("Simulated participants"),
            min_value=1,
            max_value=200,
            value=12,
            key="rehearsal_people",
        )
        if st.button(_("Start rehearsal"), key="rehearse"):
            try:
                rehearsal = start_rehearsal(
                    store,
                    deck,
                    int(people),
                    int(threshold),
                    practice=practice,
                    private_threshold=int(private_threshold),
                )
            except live.LiveError as problem:
                st.error(_(str(problem)))
            else:
                started = rehearsal.id

    _deck_files(listing, folders)

    running = live.running(store)
    if running:
        # A level below the page's title (h2): a skipped level hides where a section belongs.
        st.header(_("Live sessions"))
        for row in running:
            if row.rehearsal:
                label = _("Open control view: %(title)s (rehearsal) · code %(code)s")
            else:
                label = _("Open control view: %(title)s · code %(code)s")
            label %= {"title": literal(row.title), "code": row.join_code}
            if st.button(label, key=f"resume-{row.id}"):
                started = row.id
    return started


def _deck_files(listing: DeckListing, folders: DeckFolders) -> None:
    """Download the chosen deck's TOML; upload a deck of the practice's own."""
    with st.expander(_("Deck files: download, or add your own")):
        st.download_button(
            _("Download %(file)s") % {"file": listing.path.name},
            data=listing.path.read_bytes(),
            file_name=listing.path.name,
            mime="application/toml",
            key="download_deck",
        )
        uploaded = st.file_uploader(
            _("Add a deck file (.toml); docs/decks.md describes the format"),
            type=["toml"],
            key="upload_deck",
        )
        if added := st.session_state.pop("added_deck", None):
            st.success(_("Added “%(title)s”: it is now chosen above.") % {"title": literal(added)})
        if (text := new_text(uploaded, "handled_upload")) is None:
            return
        try:
            saved = save_custom_deck(text, uploaded.name, folders)
        except CurriculumError as error:
            st.error(_("%(file)s was not added:") % {"file": uploaded.name} + f"\n\n{error}")
        else:
            st.session_state["added_deck"] = saved.title
            st.session_state[SELECT_DECK] = saved.id
            st.rerun()


def _agenda(deck: Deck) -> list[dict[str, object]]:
    """The deck's plan: its activities, then the minutes no activity owns (phones joining, the
    room moving on), so the minutes add up to the length the deck promises."""
    private = _("yes")
    rows: list[dict[str, object]] = [
        {
            "#": str(number),
            _("Activity"): activity.title,
            _("Kind"): _(kind_of(activity).label),
            _("Minutes"): activity.minutes,
            _("Private"): private if activity.sensitive else "",
        }
        for number, activity in enumerate(deck.activities, start=1)
    ]
    if deck.buffer_minutes:
        rows.append(
            {
                "#": "",
                _("Activity"): _(BUFFER),
                _("Kind"): "",
                _("Minutes"): deck.buffer_minutes,
                _("Private"): "",
            }
        )
    return rows


def _first_choice(store: Store, decks: list[Deck]) -> str:
    """The deck last used for a session, else the one nearest the standard length in the
    dashboard's language (the 90-minute workshop exists in English and in Spanish)."""
    known = {deck.id for deck in decks}
    for deck_id in store.deck_ids_by_recency():
        if deck_id in known:
            return deck_id
    language = i18n.current_language()
    return min(
        decks,
        key=lambda deck: (deck.language != language, abs(deck.minutes - STANDARD_MINUTES)),
    ).id


def _activity_preview(deck: Deck) -> None:
    """One activity at a time, as the phones will see it, beside the facilitator's notes."""
    with st.expander(_("Preview the activities as phones will see them")):
        index = st.selectbox(
            _("Activity"),
            options=list(range(len(deck.activities))),
            format_func=lambda number: f"{number + 1}. {deck.activities[number].title}",
            key="preview_activity",
        )
        activity = deck.activities[index]
        phone, notes = st.columns([1, 1], gap="large")
        with phone:
            st.iframe(phone_preview(activity, deck.title), width=390, height=640)
        with notes:
            said = {"kind": _(kind_of(activity).label), "minutes": f"{activity.minutes:g}"}
            if activity.sensitive:
                st.caption(_("%(kind)s · %(minutes)s min · private until closed") % said)
            else:
                st.caption(_("%(kind)s · %(minutes)s min") % said)
            if activity.notes:
                st.markdown(bold(_("Facilitator notes")))
                st.text(activity.notes)
