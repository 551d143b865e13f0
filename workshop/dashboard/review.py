"""The review: past sessions, one opened (what happened, what the room said, the facilitator's
observations, the files to download), and sessions of one deck side by side.

Thin: workshop.review builds what is shown, the projector's renderer draws the charts, and the
exports come from workshop.renderers.exports. Nothing here can show more than the room saw.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workshop.dashboard.text import bold, literal
from workshop.i18n import N_
from workshop.i18n import gettext as _
from workshop.renderers import charts, projector, table
from workshop.renderers.exports import EXPORTS, file_name
from workshop.renderers.table import day
from workshop.review import archive
from workshop.review.before_after import BinaryItem, plain_words
from workshop.review.observations import NAMES_REMINDER, ObservationError, add_observation
from workshop.review.session import (
    SessionReview,
    SessionSummary,
    list_sessions,
    review_session,
)
from workshop.room import vocabulary
from workshop.room.results import Result
from workshop.store import Observation, Store

# A preview of the projector's figures at laptop size.
CHART_SCALE = 0.55
NOT_SHOWN = N_("Not shown.")
# A session's status as the store keeps it, in words (a rehearsal says so instead).
STATUS = {"live": N_("live"), "ended": N_("ended"), "rehearsal": N_("rehearsal")}


def _duration(summary: SessionSummary) -> str:
    seconds = summary.duration_seconds
    if seconds is None:
        return _("running")
    return _("%(minutes)d min") % {"minutes": round(seconds / 60)}


def _status(summary: SessionSummary) -> str:
    status = "rehearsal" if summary.row.rehearsal else summary.row.status
    return _(STATUS[status]) if status in STATUS else status


def _label(summary: SessionSummary) -> str:
    row = summary.row
    said = {
        "day": day(row.created_at),
        "title": row.title,
        "code": row.join_code,
        "joined": vocabulary.joined(summary.joined),
    }
    if row.rehearsal:
        return _("%(day)s · %(title)s · %(code)s · %(joined)s · rehearsal") % said
    return _("%(day)s · %(title)s · %(code)s · %(joined)s") % said


def render(store: Store) -> None:
    st.title(_("Review"))
    with st.container(border=True):
        rehearsals = st.checkbox(_("Show rehearsals too"), key="review_rehearsals")
        everything = list_sessions(store, include_rehearsals=rehearsals)
        decks = sorted({summary.row.deck_id for summary in everything})
        deck_column, dates_column = st.columns(2)
        # None stands for every deck: a word in the list, never a deck id to compare with. The
        # words are made in this run's language (Streamlit may format an option outside it).
        every_deck = _("Every deck")
        deck = deck_column.selectbox(
            _("Deck"),
            [None, *decks],
            format_func=lambda choice: every_deck if choice is None else choice,
            key="review_deck",
            help=_("Only sessions of this deck."),
        )
        dates = dates_column.date_input(_("Held between"), value=(), key="review_dates")
    since, until = _day_range(dates)
    listed = list_sessions(
        store,
        include_rehearsals=rehearsals,
        deck_id=deck,
        since=since,
        until=until,
    )
    if not listed:
        st.info(_("No sessions here yet. Sessions appear once they have been started."))
        return
    st.dataframe(
        [
            {
                _("Date"): day(summary.row.created_at),
                _("Workshop"): summary.row.title,
                _("Deck"): summary.row.deck_id,
                _("Code"): summary.row.join_code,
                _(vocabulary.JOINED): summary.joined,
                _("Duration"): _duration(summary),
                _("Status"): _status(summary),
            }
            for summary in listed
        ],
        hide_index=True,
        width="stretch",
    )
    labels = {summary.row.id: _label(summary) for summary in listed}
    chosen = st.selectbox(
        _("Open a session"), list(labels), format_func=labels.__getitem__, key="review_open"
    )
    review = review_session(store, chosen)
    if review is None:
        return
    opened, compared = st.tabs([_("The session"), _("Side by side")])
    with opened:
        _session(store, review)
    with compared:
        _side_by_side(store, review, listed)


def _day_range(dates: object) -> tuple[float | None, float | None]:
    """The chosen days as [since, until) timestamps (UTC), either end open."""
    chosen = list(dates) if isinstance(dates, list | tuple) else []
    if not chosen:
        return None, None
    first, last = chosen[0], chosen[-1]
    start = dt.datetime.combine(first, dt.time(), dt.UTC).timestamp()
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC).timestamp()
    return start, end


def _session(store: Store, review: SessionReview) -> None:
    row = review.session.row
    summary = review.summary
    # h2 under the page's h1, so that "Before and after" (h3) sits inside it.
    st.header(literal(row.title))
    if row.rehearsal:
        st.info(_("Rehearsal: the answers come from simulated participants."))
    if row.purged_at is not None:
        st.info(
            _(
                "Its answers were purged on %(day)s (the practice's retention period): these "
                "are its results as they were."
            )
            % {"day": day(row.purged_at)}
        )
    columns = st.columns(4)
    columns[0].metric(_("Date"), day(row.created_at))
    columns[1].metric(_("Duration"), _duration(summary))
    columns[2].metric(_(vocabulary.JOINED), review.joined)
    columns[3].metric(_("Headcount"), "—" if row.headcount is None else row.headcount)
    _downloads(store, review)
    with st.expander(_("Agenda: planned and as it ran")):
        agenda = table.agenda(review)
        if "Kind" in agenda:
            agenda["Kind"] = agenda["Kind"].map(_)
        st.dataframe(agenda.rename(columns=_), hide_index=True, width="stretch")
    for number, item in enumerate(review.activities, start=1):
        with st.container(border=True):
            st.markdown(f"**{number}. {literal(item.activity.title)}**")
            if item.result is not None:
                _result(item.result, key=f"review-{row.id}-{item.activity.id}")
            if item.activity.notes:
                st.caption(
                    _("Facilitator notes: %(notes)s") % {"notes": literal(item.activity.notes)}
                )
            _observations(store, row.id, item.observations)
            _observation_form(store, row.id, item.activity.id, f"{row.id}-{item.activity.id}")
    if review.comparisons:
        _comparisons(review)
    st.markdown(bold(_("Observations about the whole session")))
    _observations(store, row.id, review.observations)
    _observation_form(store, row.id, None, f"{row.id}-session")
    _headcount(store, review)
    _delete(store, review)


def _comparisons(review: SessionReview) -> None:
    st.subheader(_("Before and after"))
    for comparison in review.comparisons:
        with st.container(border=True):
            st.markdown(
                f"**{literal(comparison.before.title)} → {literal(comparison.after.title)}**"
            )
            if not comparison.visible:
                st.caption(_(comparison.hidden_reason or NOT_SHOWN))
                continue
            for item in comparison.items:
                st.markdown(f"*{literal(item.item)}*")
                if isinstance(item, BinaryItem):
                    st.dataframe(
                        [
                            {
                                "": label,
                                _("Answered rightly"): _("%(right)d of %(answered)d")
                                % {"right": share.right, "answered": share.answered},
                                _("Share"): f"{share.share:.0%}",
                                _("Interval (95%)"): _("%(low)s to %(high)s")
                                % {"low": f"{share.low:.0%}", "high": f"{share.high:.0%}"},
                            }
                            for label, share in (
                                (_("Before"), item.before),
                                (_("After"), item.after),
                            )
                        ],
                        hide_index=True,
                    )
                else:
                    st.dataframe(
                        [
                            {_("Point"): point, _("Before"): before, _("After"): after}
                            for point, before, after in zip(
                                item.points, item.before, item.after, strict=True
                            )
                        ],
                        hide_index=True,
                    )
                st.caption(literal(_(plain_words(item))))


def _result(result: Result, key: str) -> None:
    if not result.visible:
        st.caption(result.hidden_reason or _(NOT_SHOWN))
        return
    figure = projector.figure(result)
    if figure is not None:
        st.plotly_chart(
            charts.scaled(figure, CHART_SCALE),
            key=key,
            theme=None,
            config={"displayModeBar": False, "staticPlot": True},
        )
    for text in projector.cards(result):
        st.text(text)
    for note in result.notes:
        st.caption(note)


def _observations(store: Store, session_id: int, notes: tuple[Observation, ...]) -> None:
    """The facilitator's observations, each with a way to take it back (a name written by
    mistake must not reach every export)."""
    for note in notes:
        words, remove = st.columns([6, 1])
        words.text(note.text)  # the facilitator's words, never read as Markdown
        if remove.button(_("Remove"), key=f"remove-observation-{note.id}"):
            store.delete_observation(session_id, note.id)
            st.rerun()


def _observation_form(store: Store, session_id: int, activity_id: str | None, key: str) -> None:
    with st.popover(_("Add an observation")):
        st.caption(_(NAMES_REMINDER))
        text = st.text_area(_("What you noticed"), key=f"observation-{key}")
        if st.button(_("Keep it"), key=f"keep-{key}"):
            try:
                add_observation(store, session_id, activity_id, text)
            except ObservationError as problem:
                st.error(_(str(problem)))
            else:
                # An empty box afterwards: a second click cannot keep it twice.
                st.session_state.pop(f"observation-{key}", None)
                st.rerun()


def _headcount(store: Store, review: SessionReview) -> None:
    row = review.session.row
    with st.expander(_("Headcount")):
        st.caption(
            _("How many people were in the room, by your own count (phones may not all join).")
        )
        counted = st.number_input(
            _("People in the room"),
            min_value=0,
            max_value=500,
            value=row.headcount,
            step=1,
            key=f"headcount-{row.id}",
        )
        if st.button(_("Save the headcount"), key=f"save-headcount-{row.id}"):
            store.set_headcount(row.id, None if counted is None else int(counted))
            st.rerun()


def _downloads(store: Store, review: SessionReview) -> None:
    columns = st.columns(len(EXPORTS) + 1)
    for column, (name, export) in zip(columns, EXPORTS.items(), strict=False):
        column.download_button(
            _(export.label),
            # Made when asked for, in a thread of Streamlit's own: in this page's language.
            data=export.made_later(review),
            file_name=file_name(review, export.extension),
            mime=export.media_type,
            key=f"download-{name}-{review.session.id}",
            on_click="ignore",
            width="stretch",
        )
    columns[-1].download_button(
        _("Archive (JSON)"),
        data=lambda: archive.archive(store, review.session.id),
        file_name=file_name(review, "json"),
        mime="application/json",
        key=f"download-json-{review.session.id}",
        on_click="ignore",
        width="stretch",
        help=_(
            "The whole session, for a backup or to restore it on another machine "
            "(`workshop restore`). It holds answers without anyone's name or token."
        ),
    )


def _delete(store: Store, review: SessionReview) -> None:
    row = review.session.row
    with st.expander(_("Delete this session")):
        if row.status == "live":
            st.warning(_("This session is still running: end it from the control view first."))
            return
        st.caption(
            _(
                "Its answers, notes and observations go too. Download the archive first if you "
                "may want it back."
            )
        )
        sure = st.checkbox(
            _("Yes, delete %(code)s for good") % {"code": row.join_code},
            key=f"delete-sure-{row.id}",
        )
        if st.button(
            _("Delete session"), key=f"delete-{row.id}", disabled=not sure, type="primary"
        ):
            store.delete_session(row.id)
            st.session_state.pop("review_open", None)
            st.rerun()


def _side_by_side(store: Store, review: SessionReview, listed: list[SessionSummary]) -> None:
    same_deck = [
        summary
        for summary in listed
        if summary.row.deck_id == review.session.row.deck_id and summary.row.id != review.session.id
    ]
    if not same_deck:
        st.info(_("No other session of this deck to compare with (check the filters above)."))
        return
    labels = {summary.row.id: _label(summary) for summary in same_deck}
    others = st.multiselect(
        _("Compare with"),
        list(labels),
        default=list(labels)[:1],
        format_func=labels.__getitem__,
        key=f"compare-{review.session.id}",
    )
    reviews = [review] + [found for key in others if (found := review_session(store, key))]
    for number, activity in enumerate(review.session.deck.activities, start=1):
        if not activity.answerable:
            continue
        st.markdown(f"**{number}. {literal(activity.title)}**")
        columns = st.columns(len(reviews))
        for column, each in zip(columns, reviews, strict=True):
            with column:
                st.caption(f"{day(each.session.row.created_at)} · {each.session.row.join_code}")
                # Matched by id: a deck changed between two sessions may have moved things.
                found = {item.activity.id: item for item in each.activities}.get(activity.id)
                if found is None or found.result is None:
                    st.caption(_("Not part of this session."))
                else:
                    _result(found.result, key=f"compare-{each.session.id}-{activity.id}")
