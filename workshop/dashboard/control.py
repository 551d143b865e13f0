"""The control view: the facilitator paces the room from here.

Current activity and its notes, open / close / reveal / next / previous / jump, live counts,
the open-text moderation queue, a discussion timer, and the end of the session. Every click,
moderation included, goes through room/live.py, which writes it to the database (and wakes the
phones) before the page shows it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from workshop.activities import kind_of
from workshop.dashboard.text import literal
from workshop.renderers import projector
from workshop.review.observations import NAMES_REMINDER, ObservationError, add_observation
from workshop.room import live
from workshop.room.moderation import APPROVED, FLAGGED, PENDING, REJECTED
from workshop.room.timing import Timing, describe_schedule
from workshop.store import SessionRow, Store
from workshop.web import links
from workshop.web.join import qr_png

REFRESH_SECONDS = 2
# Where render() keeps this browser's access check, for the callbacks: Streamlit runs a
# button's callback before the script, so before the dashboard has asked who is clicking.
GUARD = "control_guard"


def _act(action: Callable[..., object], *args: object, **options: object) -> None:
    """Run a facilitator action from a button; a refused one becomes a message, not a crash.
    Nothing is done for a browser whose login has ended or whose link was revoked."""
    if not st.session_state.get(GUARD, lambda: True)():
        st.session_state["problem"] = "Your login has ended: nothing was changed."
        return
    try:
        action(*args, **options)
    except live.LiveError as problem:
        st.session_state["problem"] = str(problem)


def jump(store: Store, drawn: SessionRow, chosen: int | None, *, keep_open: bool) -> None:
    """Move the room to `chosen`, picked in the "On screen" list drawn at session row `drawn`.

    Streamlit can run an old list's callback after the room has moved on (seen in CI after a
    server restart: a list drawn before Next sent its own position back and moved the room
    back, closing the activity just opened). A pick of where the room already was is no pick,
    and a pick from a list drawn before the last move is refused rather than obeyed.
    """
    if chosen is None or chosen == drawn.current_index:
        return
    now = store.session(drawn.id)
    if now is not None and now.version != drawn.version:
        raise live.LiveError("The room moved on meanwhile, so nothing was changed: pick again.")
    live.go_to(store, drawn.id, chosen, keep_open=keep_open)


def _position_label(session: live.Live, index: int) -> str:
    if index < 0:
        return "Join slide (QR code)"
    activity = session.deck.activities[index]
    status = session.state(activity.id).status if activity.answerable else "info"
    return f"{index + 1}. {activity.title} · {status}"


def render(
    store: Store,
    session_id: int | None,
    public_url: str | None,
    *,
    facilitator: bool = True,
    guard: Callable[[], bool] = lambda: True,
) -> None:
    """The control view; `facilitator` False for the holder of a remote-control link, who
    paces the room but hands out no links. `guard` (the dashboard's access check) runs before
    every action and self-refresh, so a logout or a revoked link ends them at once."""
    st.session_state[GUARD] = guard
    if not guard():
        st.warning("Your login has ended, or this link was revoked.")
        return
    session = live.pick(store, session_id)
    if session is None:
        st.title("Control")
        st.info("No live session yet. Start one from the library.")
        return
    if problem := st.session_state.pop("problem", None):
        st.warning(problem)

    st.title(literal(session.row.title))
    if session.row.rehearsal:
        st.info("Rehearsal: the answers here come from simulated participants.")
    if session.ended:
        st.success("This session has ended. Its results stay in the database for review.")
        return

    left, right = st.columns([2, 1], gap="large")
    with right:
        _join_panel(session, public_url, facilitator)
        _door_panel(store, session)
        _timer_panel(store, session, guard)
        if facilitator:
            _links_panel(store, session, public_url)
    with left:
        _navigation(store, session)
        _current_activity(session)
        _observation(store, session)
    _live_panel(store, session.id, guard)
    with st.expander("End the session"):
        confirm = st.checkbox("Yes, the workshop is over", key="end_confirm")
        st.button(
            "End session",
            key="end",
            disabled=not confirm,
            on_click=_act,
            args=(live.end_session, store, session.id),
        )


def _join_panel(session: live.Live, public_url: str | None, facilitator: bool) -> None:
    st.metric("Join code", session.row.join_code)
    if public_url:
        st.caption(f"Phones: {public_url}/j")
    else:
        st.caption("No network address found: set WORKSHOP_PUBLIC_URL.")
    if facilitator:  # a remote-control link opens nothing else
        st.link_button(
            "Open screen view (projector)", f"/screen?session={session.id}", key="screen_link"
        )


def _door_panel(store: Store, session: live.Live) -> None:
    """Who may still join: the people expected (also the most phones that may join) and a lock
    once everyone is in, so nobody can fill the room with extra phones to see small results."""
    # The keys carry what is stored: a change made elsewhere (the remote, another tab) draws a
    # new widget showing it, instead of this tab's stale value.
    headcount_key = f"door_headcount_{session.id}_{session.row.headcount}"
    locked_key = f"door_locked_{session.id}_{session.row.joins_locked}"
    with st.expander("The door: who may join", expanded=session.row.headcount is None):
        if session.row.joins_locked:
            st.caption("Joining is closed; phones already in carry on. Unlock to let someone in.")
        elif session.row.lock_when_begun and session.row.headcount is None:
            st.caption("Without a number of people, joining closes when the first activity opens.")
        st.number_input(
            "People expected (no more phones may join)",
            min_value=1,
            max_value=live.MOST_PEOPLE,
            value=session.row.headcount,
            step=1,
            key=headcount_key,
            on_change=lambda: _act(
                live.set_headcount, store, session.id, st.session_state[headcount_key]
            ),
            help="Phones beyond this number are turned away, and you see how many were.",
        )
        st.toggle(
            "Lock joining",
            value=session.row.joins_locked,
            key=locked_key,
            on_change=lambda: _act(
                live.lock_joins, store, session.id, st.session_state[locked_key]
            ),
            help="Once everyone is in: no new phone may join. Phones already in are not affected.",
        )


def _links_panel(store: Store, session: live.Live, public_url: str | None) -> None:
    """Links to hand out: a read-only screen for the projector's browser, a remote control for
    your phone. Each is shown once when made; making another (or revoking) ends the old one."""
    base = public_url or ""
    with st.expander("Links: projector and remote control"):
        for purpose, label in (("screen", "Screen link"), ("remote", "Remote-control link")):
            made_key = f"link_{purpose}_{session.id}"
            make_column, revoke_column = st.columns(2)
            if make_column.button(f"New {label.lower()}", key=f"make_{made_key}"):
                secret = links.new_link_secret(store, session.id, purpose)
                st.session_state[made_key] = base + links.link_path(session.id, purpose, secret)
            if revoke_column.button(f"Revoke {label.lower()}", key=f"revoke_{made_key}"):
                links.revoke(store, session.id, purpose)
                st.session_state.pop(made_key, None)
            made = st.session_state.get(made_key)
            # Shown in the tab that made it, while it still works (not after a newer one).
            if made and links.opens(
                store, links.PAGES[purpose], str(session.id), made.rsplit("key=", 1)[-1]
            ):
                st.code(made, language=None)
                if purpose == "remote" and public_url:
                    st.image(qr_png(made, box_size=5), caption="Scan with your phone")
        st.caption(
            "Anyone with a link can use it until you revoke it or make a new one: "
            "the screen link only shows the screen; the remote link controls this session."
        )


def _navigation(store: Store, session: live.Live) -> None:
    count = len(session.deck.activities)
    index = session.row.current_index
    # A new widget for every version of the session, showing where the room is. One kept
    # across moves (its value set by the script) could send its old value back with the next
    # click and move the room there: closing the activity just opened.
    jump_key = f"jump_{session.id}_{session.row.version}"
    st.selectbox(
        "On screen",
        options=list(range(-1, count)),
        index=index + 1,
        format_func=lambda position: _position_label(session, position),
        key=jump_key,
        on_change=lambda: _act(
            jump,
            store,
            session.row,
            st.session_state.get(jump_key),
            keep_open=st.session_state.get("keep_open", False),
        ),
    )
    keep_open = st.session_state.get("keep_open", False)
    previous_column, next_column, open_column, close_column, reveal_column = st.columns(5)
    previous_column.button(
        "◀ Previous",
        key="previous",
        disabled=index < 0,
        on_click=_act,
        kwargs={"keep_open": keep_open},
        args=(live.previous_activity, store, session.id),
        width="stretch",
    )
    next_column.button(
        "Next ▶",
        key="next",
        type="primary",
        disabled=index >= count - 1,
        on_click=_act,
        args=(live.next_activity, store, session.id),
        kwargs={"keep_open": keep_open},
        width="stretch",
    )
    activity = session.current
    if activity is None or not activity.answerable:
        return
    state = session.state(activity.id)
    open_column.button(
        "Reopen" if state.status == "closed" else "Open",
        key="open",
        disabled=state.status == "open",
        on_click=_act,
        args=(live.open_activity, store, session.id, activity.id),
        width="stretch",
        help="Reopening lets late answers change a result the room has seen.",
    )
    close_column.button(
        "Close",
        key="close",
        disabled=state.status != "open",
        on_click=_act,
        args=(live.close_activity, store, session.id, activity.id),
        width="stretch",
    )
    reveal_column.button(
        "Hide" if state.revealed else "Reveal",
        key="reveal",
        on_click=_act,
        args=(live.reveal, store, session.id, activity.id, not state.revealed),
        width="stretch",
        help="Shows answer keys, explanations, and the results of a private activity.",
    )
    st.checkbox(
        "Keep this activity open when moving on",
        key="keep_open",
        help="Moving on closes the activity you leave, so phones stop changing its answers.",
    )


def _current_activity(session: live.Live) -> None:
    activity = session.current
    if activity is None:
        st.subheader("The join slide is on screen")
        st.write("Phones scan the QR code and wait. Press Next to begin.")
        return
    number = session.row.current_index + 1
    kind = kind_of(activity).label
    status = session.state(activity.id).status if activity.answerable else "information"
    private = " · private" if activity.sensitive else ""
    st.caption(
        f"Activity {number} of {len(session.deck.activities)} · {kind} · "
        f"{activity.minutes:g} min · {status}{private}"
    )
    st.subheader(literal(activity.title))
    if activity.prompt:
        st.text(activity.prompt)
    if activity.notes:
        st.info(literal(activity.notes), icon=":material/sticky_note_2:")


def _observation(store: Store, session: live.Live) -> None:
    """Note what you notice as it happens; the review keeps it with the activity on screen."""
    activity = session.current
    about = f"about “{literal(activity.title)}”" if activity else "about the session"
    with st.popover(f"Note an observation {about}"):
        st.caption(NAMES_REMINDER)
        text = st.text_area("What you noticed", key="control_observation")
        if st.button("Keep it", key="control_observation_keep"):
            try:
                add_observation(store, session.id, activity.id if activity else None, text)
            except ObservationError as problem:
                st.error(str(problem))
            else:
                st.session_state.pop("control_observation", None)
                st.toast("Kept for the review.")


def _timer_panel(store: Store, session: live.Live, guard: Callable[[], bool]) -> None:
    remaining = session.timer_remaining(store.clock())
    _timer_metric(store, session.id, guard)
    st.number_input(
        "Timer minutes", min_value=0.5, max_value=60.0, value=3.0, step=0.5, key="timer_minutes"
    )
    start_column, stop_column = st.columns(2)
    start_column.button(
        "Start timer",
        key="timer_start",
        # Read the widget in the callback: the value at render time may be a click behind.
        on_click=lambda: _act(
            live.start_timer, store, session.id, int(st.session_state["timer_minutes"] * 60)
        ),
        width="stretch",
    )
    stop_column.button(
        "Stop timer",
        key="timer_stop",
        disabled=remaining is None,
        on_click=_act,
        args=(live.stop_timer, store, session.id),
        width="stretch",
    )


@st.fragment(run_every=1)
def _timer_metric(store: Store, session_id: int, guard: Callable[[], bool]) -> None:
    """The discussion timer as the projector shows it, counting down every second."""
    if not guard():
        st.rerun(scope="app")
    session = live.load(store, session_id)
    remaining = session.timer_remaining(store.clock()) if session else None
    if remaining is not None:
        minutes, seconds = divmod(int(remaining + 0.999), 60)
        st.metric("Discussion timer", f"{minutes}:{seconds:02d}" if remaining > 0 else "Time")


@st.fragment(run_every=REFRESH_SECONDS)
def _live_panel(store: Store, session_id: int, guard: Callable[[], bool]) -> None:
    """Counts, the moderation queue and a preview of the screen: refreshed every 2 seconds."""
    if not guard():
        st.rerun(scope="app")
    room = live.room(store, session_id)
    if room is None or room.session.ended:
        return
    session, result = room.session, room.result
    activity = session.current
    _time_against_plan(session, live.schedule(store, session, store.clock()))
    columns = st.columns(3)
    _joined(columns[0], session, room.joined)
    if activity is None or result is None:
        return
    columns[1].metric("Answered", result.answered)
    # A revealed private activity withholds its passes, here as on the projector.
    columns[2].metric("Passed", "not counted" if result.passed is None else result.passed)
    if kind_of(activity).moderated:
        _moderation(store, session_id, activity.id)
    st.markdown("**On the screen now**")
    if result.visible:
        figure = projector.figure(result)
        if figure is not None:
            # A preview, not the projector: same figure, laptop-sized type.
            figure.update_layout(font={"size": 15}, height=figure.layout.height * 0.6)
            st.plotly_chart(figure, key="preview", theme=None, config={"displayModeBar": False})
        for note in result.notes:
            st.text(note)
    else:
        st.caption(result.hidden_reason or "")


def _joined(column: DeltaGenerator, session: live.Live, joined: int) -> None:
    """Phones joined against the people expected, and any the door turned away."""
    expected = session.row.headcount
    column.metric("Joined", joined if expected is None else f"{joined} of {expected}")
    if session.row.turned_away:
        column.warning(
            f"{session.row.turned_away} attempt(s) to join turned away: the room is "
            f"{'locked' if session.row.joins_locked else 'full'}. If someone is missing, raise "
            "“People expected” or unlock joining.",
            icon=":material/door_front:",
        )
    if expected is None and not session.row.joins_locked:
        column.caption("Set “People expected” so nobody can add phones to see small results.")


def _minutes_and_seconds(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _time_against_plan(session: live.Live, measured: Timing) -> None:
    """Time on this activity against its plan, and the whole room against the agenda."""
    activity = session.current
    if activity is not None and measured.current_seconds is not None:
        st.caption(
            f"On this activity {_minutes_and_seconds(measured.current_seconds)} "
            f"of {activity.minutes:g} min planned · "
            f"the workshop is {describe_schedule(measured.behind_seconds)}"
        )
    with st.expander("Agenda: planned and actual time"):
        st.dataframe(
            [
                {
                    "#": number,
                    "Activity": item.title,
                    "Planned (min)": item.minutes,
                    "Actual": _minutes_and_seconds(measured.spent[item.id])
                    if item.id in measured.spent
                    else "",
                }
                for number, item in enumerate(session.deck.activities, start=1)
            ],
            hide_index=True,
            width="stretch",
        )


def _moderation(store: Store, session_id: int, activity_id: str) -> None:
    queue = live.moderation_queue(store, session_id, activity_id)
    waiting = [item for item in queue if item.moderation in (PENDING, FLAGGED)]
    st.markdown(f"**Moderation queue** ({len(waiting)} waiting)")
    for item in waiting:
        with st.container(border=True):
            if item.moderation == FLAGGED:
                st.error(
                    "Possible safety concern. Never shown on screen; "
                    "consider a quiet check-in with the group after the session.",
                    icon=":material/warning:",
                )
            st.text(item.text)  # st.text: participant words are never read as Markdown
            approve, reject = st.columns(2)
            if item.moderation == PENDING:
                approve.button(
                    "Show on screen",
                    key=f"approve-{item.answer_id}",
                    on_click=_act,
                    args=(live.moderate, store, session_id, item.answer_id, APPROVED),
                )
            reject.button(
                "Keep off screen",
                key=f"reject-{item.answer_id}",
                on_click=_act,
                args=(live.moderate, store, session_id, item.answer_id, REJECTED),
            )
