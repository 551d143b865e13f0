"""The control view: the facilitator paces the room from here.

Current activity and its notes, open / close / reveal / next / previous / jump, a blank screen,
live counts, the open-text moderation queue, a discussion timer, and the end of the session.
Every click, moderation included, goes through room/live.py, which writes it to the database
(and wakes the phones) before the page shows it.

Laid out for a laptop at 1440×900 without scrolling: the room's controls and, while texts wait,
the moderation queue on the left; the join code, the counts and the timer on the right. A second
device (another logged-in browser, a remote-control link) follows a move made on the first
within a second, and the keys of presentation software work here too: → next, ← previous,
R reveal, B blank screen (never while typing in a field).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from workshop.activities import ActivitySpec, kind_of
from workshop.activities.base import Text
from workshop.dashboard import language
from workshop.dashboard.text import bold, literal
from workshop.i18n import N_, ngettext
from workshop.i18n import gettext as _
from workshop.renderers import projector
from workshop.review.observations import NAMES_REMINDER, ObservationError, add_observation
from workshop.room import live, vocabulary
from workshop.room.moderation import APPROVED, FLAGGED, PENDING, REJECTED
from workshop.room.results import Result
from workshop.room.timing import Timing
from workshop.store import ActivityState, SessionRow, Store
from workshop.web import links
from workshop.web.join import qr_png

REFRESH_SECONDS = 2
# How soon a second device follows a move made on the first.
FOLLOW_SECONDS = 1
# Where render() keeps this browser's access check, for the callbacks: Streamlit runs a
# button's callback before the script, so before the dashboard has asked who is clicking.
GUARD = "control_guard"
# The discussion timer's minutes on the join slide (an activity starts from its own plan).
JOIN_SLIDE_TIMER_MINUTES = 3.0
QUEUE_ANCHOR = "moderation-queue"

# Interface words are marked here (N_) and translated where they are shown (_), in the
# facilitator's language of that run.
# What Reveal does, or why it is off: one sentence each, under the room's buttons.
REVEAL_SHOWS_ANSWERS = N_("R reveals the correct answers and their explanations on the screen.")
REVEAL_SHOWS_PRIVATE = N_("R reveals this private activity's results, now that it is closed.")
REVEAL_HIDES = N_("R hides what was revealed again.")
NOTHING_TO_REVEAL = N_("Nothing to reveal: this activity has no answer key or explanations.")
REVEAL_CLOSE_FIRST = N_("Private activity: close it first, then reveal its results.")
GO_TO_QUEUE = N_("Go to the queue ↓")
NOTHING_APPROVED = N_("No text is on the screen yet: approve some in the queue.")
BLANKED = N_("The screen is blank: the room sees a pause screen. Press B or “Show the room”.")
LOGIN_ENDED = N_("Your login has ended: nothing was changed.")
# When this browser last revealed or hid each activity, and how long after that a toggle waits.
REVEALED_AT = "revealed_at"
REVEAL_PAUSE_SECONDS = 1.5
MOVED_ON = N_("The room moved on meanwhile, so nothing was changed: pick again.")
# An activity's status as the store keeps it, in words.
STATUS = {
    "waiting": N_("waiting"),
    "open": N_("open"),
    "closed": N_("closed"),
    "info": N_("information"),
}


def _reveal_waits(threshold: int) -> str:
    return ngettext(
        "Nothing to reveal until %(threshold)d person has answered.",
        "Nothing to reveal until %(threshold)d people have answered.",
        threshold,
    ) % {"threshold": threshold}


def _pending(count: int) -> str:
    """The moderation announcement at the top of the page: texts waiting."""
    return ngettext(
        "%(count)d text waits for your approval.",
        "%(count)d texts wait for your approval.",
        count,
    ) % {"count": count}


def _flagged(count: int) -> str:
    return ngettext(
        "%(count)d text was flagged as a possible safety concern (for you only).",
        "%(count)d texts were flagged as possible safety concerns (for you only).",
        count,
    ) % {"count": count}


def _status(status: str) -> str:
    return _(STATUS[status]) if status in STATUS else status


def _act(
    action: Callable[..., object],
    *args: object,
    unchanged: Callable[[], bool] = lambda: True,
    **options: object,
) -> None:
    """Run a facilitator action from a button; a refused one becomes a message, not a crash.
    Nothing is done for a browser whose login has ended or whose link was revoked, nor when
    `unchanged()` says the room is no longer as the button was drawn (see `as_drawn`)."""
    # Kept untranslated: a callback runs before the run has set its language; the page says it
    # in the facilitator's language when it is drawn.
    if not st.session_state.get(GUARD, lambda: True)():
        st.session_state["problem"] = LOGIN_ENDED
        return
    if not unchanged():
        return
    try:
        action(*args, **options)
    except live.LiveError as problem:
        st.session_state["problem"] = str(problem)


def as_drawn(
    store: Store, session: live.Live, part: Callable[[live.Live], object]
) -> Callable[[], bool]:
    """Whether `part` of the room is still as it was when a button was drawn from `session`.

    One click must be one step. Streamlit ran one click's callback two or three times while the
    page was redrawing (a replay: one Next moved the room three activities, skipping one no
    phone ever saw), and an old toggle's callback sent its old value back (the door unlocked
    itself a second after the first activity locked it). A button that acts on what it was
    drawn from, and on nothing newer, does each once: the repeat finds the room moved on and
    does nothing, and the page, redrawn, shows the room as it is.
    """
    drawn = part(session)

    def unchanged() -> bool:
        now = live.load(store, session.id)
        return now is not None and part(now) == drawn

    return unchanged


def _place(session: live.Live) -> tuple[int, int, bool]:
    """Where the room is: the activity on screen, the explanation shown, and the blank."""
    return session.row.current_index, session.row.note_shown, session.row.blanked


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
        raise live.LiveError(MOVED_ON)
    live.go_to(store, drawn.id, chosen, keep_open=keep_open)


# What the buttons do --------------------------------------------------------------------------


def reveals_something(activity: ActivitySpec) -> bool:
    """Whether revealing changes what the room sees of this activity, whatever its answers:
    an answer key or explanations (the kind's notes, marks on its chart), or a private
    activity's results. Asked of the kind itself, on an empty tally, so a new kind that
    reveals something is covered without a list to keep."""
    if activity.sensitive:
        return True
    kind = kind_of(activity)
    if not kind.answerable:
        return False
    if kind.notes(activity, True) != kind.notes(activity, False):
        return True
    tally = kind.tally(activity, [])
    if kind.lines(activity, tally, True) != kind.lines(activity, tally, False):
        return True
    return kind.has_chart and kind.chart(activity, tally, True) != kind.chart(
        activity, tally, False
    )


def reveal_button(
    activity: ActivitySpec, state: ActivityState, result: Callable[[], Result | None]
) -> tuple[bool, str]:
    """Whether Reveal (or Hide) does something now, and the sentence saying what, or why not.
    `result` is asked only when the answer depends on how many have answered."""
    if state.revealed:
        return True, _(REVEAL_HIDES)
    if not reveals_something(activity):
        return False, _(NOTHING_TO_REVEAL)
    if activity.sensitive and state.status != "closed":
        return False, _(REVEAL_CLOSE_FIRST)
    shown = result()
    if shown is None or shown.answered < shown.threshold:
        threshold = shown.threshold if shown else live.DEFAULT_THRESHOLD
        return False, _reveal_waits(threshold)
    return True, _(REVEAL_SHOWS_PRIVATE if activity.sensitive else REVEAL_SHOWS_ANSWERS)


def timer_minutes(activity: ActivitySpec | None) -> float:
    """The discussion timer's starting minutes: the activity's plan, within the timer's range."""
    if activity is None:
        return JOIN_SLIDE_TIMER_MINUTES
    return min(max(float(activity.minutes), 0.5), 60.0)


@dataclass(frozen=True)
class Drawn:
    """What the page was drawn from: when any of it changes (a move on another device, the
    screen blanked there, enough answers in for a reveal), the page is drawn again."""

    version: int
    blanked: bool
    explanation: int  # which explanation of a revealed answer key the projector shows
    headcount: int | None
    joins_locked: bool
    can_reveal: bool
    language: str  # the facilitator's language, chosen on any device


def drawn_from(store: Store, session: live.Live) -> Drawn:
    activity = session.current
    can_reveal = False
    if activity is not None and activity.answerable:
        can_reveal, _reason = reveal_button(
            activity,
            session.state(activity.id),
            lambda: live.result_of(store, session, activity),
        )
    row = session.row
    return Drawn(
        row.version,
        row.blanked,
        row.note_shown,
        row.headcount,
        row.joins_locked,
        can_reveal,
        language.chosen(store),
    )


# The page ------------------------------------------------------------------------------------

# Our own fixed stylesheet and script (no participant text comes near them). Less empty space
# above the title, so the room's controls and the queue fit above the fold; and the R key,
# which Streamlit keeps for itself (st.button refuses shortcut="R"): pressed outside a field,
# it clicks Reveal/Hide when that is enabled.
PAGE_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3rem !important; }
.st-key-control_title h1 { font-size: 2rem; padding: 0 0 0.25rem; }
</style>
"""
REVEAL_KEY_SCRIPT = """
<script>
(() => {
  if (window.tandemRevealKey) return;
  window.tandemRevealKey = true;
  window.addEventListener("keydown", (event) => {
    if (event.key !== "r" && event.key !== "R") return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target;
    const typing = target && (target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (typing) return;
    const button = document.querySelector(".st-key-reveal button");
    if (!button || button.disabled) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    // One press, one toggle: a second listener left by a redraw, or a press landing while the
    // page redraws, must not hide straight away what was just revealed.
    const now = Date.now();
    if (now - (window.tandemRevealPressed || 0) < 1000) return;
    window.tandemRevealPressed = now;
    button.click();
  }, true);
})();
</script>
"""


def render(
    store: Store,
    session_id: int | None,
    public_url: str | None,
    *,
    facilitator: bool = True,
    guard: Callable[[], bool] = lambda: True,
    address_problem: str | None = None,
) -> None:
    """The control view; `facilitator` False for the holder of a remote-control link, who
    paces the room but hands out no links. `guard` (the dashboard's access check) runs before
    every action and self-refresh, so a logout or a revoked link ends them at once.
    `address_problem`: why phones may not reach the address in the QR code (see
    web/listening.py), shown to the facilitator only, never on the projector."""
    st.session_state[GUARD] = guard
    if not guard():
        st.warning(_("Your login has ended, or this link was revoked."))
        return
    session = live.pick(store, session_id)
    if session is None:
        st.title(_("Control"))
        st.info(_("No live session yet. Start one from the library."))
        return
    st.html(PAGE_STYLE)
    if problem := st.session_state.pop("problem", None):
        # Said in the language of this run (a refusal's words are kept as written).
        st.warning(_(problem))

    with st.container(key="control_title"):
        st.title(literal(session.row.title))
    if address_problem:
        st.warning(address_problem, icon=":material/wifi_off:")
    if session.row.rehearsal:
        st.info(_("Rehearsal: the answers here come from simulated participants."))
    if session.ended:
        st.success(_("This session has ended. Its results stay in the database for review."))
        return

    _follow(store, session.id, drawn_from(store, session), guard)
    left, right = st.columns([2, 1], gap="large")
    with left:
        _navigation(store, session)
        activity = session.current
        if activity is not None and kind_of(activity).moderated:
            _moderation(store, session.id, activity.id, guard)
        _current_activity(session)
        _observation(store, session)
    with right:
        _counts(store, session.id, guard)
        _join_panel(session, public_url, facilitator)
        _timer_panel(store, session, guard)
        _door_panel(store, session)
        if facilitator:
            _links_panel(store, session, public_url)
    _screen_preview(store, session.id, guard)
    with st.expander(_("End the session")):
        confirm = st.checkbox(_("Yes, the workshop is over"), key="end_confirm")
        st.button(
            _("End session"),
            key="end",
            disabled=not confirm,
            on_click=_act,
            args=(live.end_session, store, session.id),
        )
    st.html(REVEAL_KEY_SCRIPT, unsafe_allow_javascript=True)


@st.fragment(run_every=FOLLOW_SECONDS)
def _follow(store: Store, session_id: int, drawn: Drawn, guard: Callable[[], bool]) -> None:
    """Every second: draw the whole page again if the room moved since it was drawn (a click on
    another device, or enough answers in for Reveal), and announce texts waiting for approval."""
    language.speak(store)  # a fragment runs apart from the page: it says which language
    if not guard():
        st.rerun(scope="app")
    session = live.load(store, session_id)
    if session is None or drawn_from(store, session) != drawn:
        st.rerun(scope="app")
    if session.row.blanked:
        st.info(_(BLANKED), icon=":material/visibility_off:")
    activity = session.current
    if activity is None or not kind_of(activity).moderated:
        return
    queue = live.moderation_queue(store, session_id, activity.id)
    pending = sum(1 for item in queue if item.moderation == PENDING)
    flagged = sum(1 for item in queue if item.moderation == FLAGGED)
    if pending or flagged:
        said = []
        if pending:
            said.append(_pending(pending))
        if flagged:
            said.append(_flagged(flagged))
        st.info(
            " ".join(said) + f" [{_(GO_TO_QUEUE)}](#{QUEUE_ANCHOR})",
            icon=":material/rate_review:",
        )


def _navigation(store: Store, session: live.Live) -> None:
    count = len(session.deck.activities)
    index = session.row.current_index
    # A new widget for every version of the session, showing where the room is. One kept
    # across moves (its value set by the script) could send its old value back with the next
    # click and move the room there: closing the activity just opened.
    jump_key = f"jump_{session.id}_{session.row.version}"
    # Labels made once, in this run's language: Streamlit may format an option again outside
    # the run (AppTest does), where the language of the run is not set.
    labels = {position: _position_label(session, position) for position in range(-1, count)}
    st.selectbox(
        _("On screen"),
        options=list(labels),
        index=index + 1,
        format_func=labels.__getitem__,
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
    activity = session.current
    hint = None
    blanked = session.row.blanked
    # One row of buttons, each as wide as its words and key badge (←, →, B), wrapping onto a
    # second row on a narrow window rather than cutting a word short.
    with st.container(horizontal=True, gap="small", key="room_buttons"):
        # The same steps as the projector's ← and →: a revealed answer key's explanations one
        # at a time, then the activity before or after; nothing while the screen is blank.
        shown, explained = live.explanations(store, session)
        placed = as_drawn(store, session, _place)
        st.button(
            _("Previous explanation") if shown > 0 else _("Previous"),
            key="previous",
            shortcut="Left",
            disabled=blanked or (index < 0 and shown == 0),
            on_click=_act,
            kwargs={"keep_open": keep_open, "unchanged": placed},
            args=(live.back, store, session.id),
        )
        more_explanations = shown + 1 < explained
        st.button(
            _("Next explanation") if more_explanations else _("Next"),
            key="next",
            shortcut="Right",
            type="primary",
            disabled=blanked or (index >= count - 1 and not more_explanations),
            on_click=_act,
            args=(live.forward, store, session.id),
            kwargs={"keep_open": keep_open, "unchanged": placed},
        )
        if activity is not None and activity.answerable:
            hint = _activity_buttons(store, session, activity)
        st.button(
            _("Show the room") if blanked else _("Blank screen"),
            key="blank",
            shortcut="B",
            # While blank, the way back stands out: the room is waiting on it.
            type="primary" if blanked else "secondary",
            on_click=_act,
            args=(live.blank_screen, store, session.id, not blanked),
            kwargs={"unchanged": as_drawn(store, session, lambda now: now.row.blanked)},
        )
    st.checkbox(
        _("Keep this activity open when moving on"),
        key="keep_open",
        help=_("Moving on closes the activity you leave, so phones stop changing its answers."),
    )
    if hint:
        # Where the Reveal button's tooltip was: a tooltip there covered the join code.
        st.markdown(f":small[{hint}]")


def _activity_buttons(store: Store, session: live.Live, activity: ActivitySpec) -> str:
    """Open / close and reveal / hide for an activity people answer; returns what Reveal does
    (or why it is off), to be said under the buttons."""
    state = session.state(activity.id)
    status = as_drawn(store, session, lambda now: now.state(activity.id).status)
    if state.status == "open":
        st.button(
            _("Close"),
            key="close",
            icon=":material/lock:",
            on_click=_act,
            args=(live.close_activity, store, session.id, activity.id),
            kwargs={"unchanged": status},
        )
    else:
        st.button(
            _("Reopen") if state.status == "closed" else _("Open"),
            key="open",
            icon=":material/lock_open:",
            on_click=_act,
            args=(live.open_activity, store, session.id, activity.id),
            kwargs={"unchanged": status},
            help=_("Reopening lets late answers change a result the room has seen.")
            if state.status == "closed"
            else None,
        )
    enabled, hint = reveal_button(activity, state, lambda: live.result_of(store, session, activity))
    st.button(
        _("Hide") if state.revealed else _("Reveal"),
        key="reveal",
        icon=":material/visibility_off:" if state.revealed else ":material/visibility:",
        disabled=not enabled,
        on_click=_act,
        args=(_reveal_once, store, session.id, activity.id, not state.revealed),
        kwargs={"unchanged": as_drawn(store, session, lambda now: now.state(activity.id).revealed)},
    )
    return hint


def _reveal_once(store: Store, session_id: int, activity_id: str, revealed: bool) -> None:
    """Reveal or hide, unless this browser toggled it a moment ago: in CI one press of R was
    seen to reveal and hide at once (the page said Hide, the store not revealed), the second
    toggle coming from the redrawn button. Nobody reveals and hides on purpose within a second
    and a half; the page shows the room as it is."""
    now = store.clock()
    last = st.session_state.get(REVEALED_AT, {})
    if now - last.get(activity_id, float("-inf")) < REVEAL_PAUSE_SECONDS:
        return
    live.reveal(store, session_id, activity_id, revealed)
    st.session_state[REVEALED_AT] = {**last, activity_id: now}


def _position_label(session: live.Live, index: int) -> str:
    if index < 0:
        return _("Join slide (QR code)")
    activity = session.deck.activities[index]
    status = session.state(activity.id).status if activity.answerable else "info"
    return f"{index + 1}. {activity.title} · {_status(status)}"


def _current_activity(session: live.Live) -> None:
    activity = session.current
    if activity is None:
        st.header(_("The join slide is on screen"))
        st.write(_("Phones scan the QR code and wait. Press Next (→) to begin."))
        return
    status = session.state(activity.id).status if activity.answerable else "info"
    said = {
        "number": session.row.current_index + 1,
        "total": len(session.deck.activities),
        "kind": _(kind_of(activity).label),
        "minutes": f"{activity.minutes:g}",
        "status": _status(status),
    }
    if activity.sensitive:
        line = _(
            "Activity %(number)d of %(total)d · %(kind)s · %(minutes)s min · %(status)s · private"
        )
    else:
        line = _("Activity %(number)d of %(total)d · %(kind)s · %(minutes)s min · %(status)s")
    st.caption(line % said)
    st.header(literal(activity.title))
    if activity.prompt:
        st.text(activity.prompt)
    if activity.notes:
        st.info(literal(activity.notes), icon=":material/sticky_note_2:")


def _observation(store: Store, session: live.Live) -> None:
    """Note what you notice as it happens; the review keeps it with the activity on screen."""
    activity = session.current
    if activity is not None:
        label = _("Note an observation about “%(title)s”") % {"title": literal(activity.title)}
    else:
        label = _("Note an observation about the session")
    with st.popover(label):
        st.caption(_(NAMES_REMINDER))
        text = st.text_area(_("What you noticed"), key="control_observation")
        if st.button(_("Keep it"), key="control_observation_keep"):
            try:
                add_observation(store, session.id, activity.id if activity else None, text)
            except ObservationError as problem:
                st.error(_(str(problem)))
            else:
                st.session_state.pop("control_observation", None)
                st.toast(_("Kept for the review."))


# The right-hand column ------------------------------------------------------------------------


@st.fragment(run_every=REFRESH_SECONDS)
def _counts(store: Store, session_id: int, guard: Callable[[], bool]) -> None:
    """The join code and the room's counts in its words (room/vocabulary.py), and time against
    the plan: refreshed every 2 seconds."""
    language.speak(store)
    if not guard():
        st.rerun(scope="app")
    room = live.room(store, session_id)
    if room is None or room.session.ended:
        return
    session, result = room.session, room.result
    # The code on a row of its own: six letters never cut short, however narrow the window.
    st.metric(_("Join code"), session.row.join_code)
    # Each count as wide as its label, side by side where they fit: a longer word (Spanish
    # "No respondieron") moves to a row of its own rather than being cut short.
    # A private activity's passes are never counted: not while it is open either, so the
    # control view says the same before and after its reveal, as the exports do.
    private = result is not None and (result.passed is None or result.activity.sensitive)
    with st.container(horizontal=True, gap="small", key="room_counts"):
        st.metric(_(vocabulary.JOINED), room.joined, width="content")
        if result is not None:
            st.metric(_(vocabulary.ANSWERED), result.answered, width="content")
            st.metric(_(vocabulary.PASSED), "—" if private else result.passed, width="content")
    expected = session.row.headcount
    if private:
        st.caption(vocabulary.passed(None))
    if expected is not None:
        st.caption(vocabulary.joined(room.joined, expected))
    if session.row.turned_away:
        st.warning(
            _turned_away(session.row.turned_away, session.row.joins_locked),
            icon=":material/door_front:",
        )
    _time_against_plan(session, live.schedule(store, session, store.clock()))


def _turned_away(count: int, locked: bool) -> str:
    """How many phones the door turned away, and why: one whole sentence for each reason."""
    if locked:
        said = ngettext(
            "%(count)d attempt to join was turned away: the room is locked. If someone is "
            "missing, raise “People expected” or unlock joining.",
            "%(count)d attempts to join were turned away: the room is locked. If someone is "
            "missing, raise “People expected” or unlock joining.",
            count,
        )
    else:
        said = ngettext(
            "%(count)d attempt to join was turned away: the room is full. If someone is "
            "missing, raise “People expected” or unlock joining.",
            "%(count)d attempts to join were turned away: the room is full. If someone is "
            "missing, raise “People expected” or unlock joining.",
            count,
        )
    return said % {"count": count}


def _minutes_and_seconds(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _time_against_plan(session: live.Live, measured: Timing) -> None:
    """Time on this activity against its plan, and the whole room against the agenda."""
    activity = session.current
    if activity is None or measured.current_seconds is None:
        return
    said = {
        "spent": _minutes_and_seconds(measured.current_seconds),
        "planned": f"{activity.minutes:g}",
    }
    behind = measured.behind_seconds
    # Whole minutes, as the room would say them: under half a minute either way is on plan.
    minutes = None if behind is None else round(abs(behind) / 60)
    if minutes is None:
        line = _(
            "On this activity %(spent)s of %(planned)s min planned · the workshop has not begun"
        )
    elif minutes == 0:
        line = _("On this activity %(spent)s of %(planned)s min planned · the workshop is on plan")
    elif behind > 0:
        line = _(
            "On this activity %(spent)s of %(planned)s min planned · "
            "the workshop is %(minutes)d min behind plan"
        )
    else:
        line = _(
            "On this activity %(spent)s of %(planned)s min planned · "
            "the workshop is %(minutes)d min ahead of plan"
        )
    st.caption(line % {**said, "minutes": minutes or 0})


def _join_panel(session: live.Live, public_url: str | None, facilitator: bool) -> None:
    if public_url:
        # Not a caption: a link drawn at a caption's faded colour fails contrast.
        joining = _("Phones join at %(address)s") % {"address": f"{public_url}/j"}
        st.markdown(f":small[{joining}]")
    else:
        st.caption(_("No network address found: set WORKSHOP_PUBLIC_URL."))
    if facilitator:  # a remote-control link opens nothing else
        st.link_button(
            _("Open screen view (projector)"),
            f"/screen?session={session.id}",
            key="screen_link",
            icon=":material/co_present:",
        )


def _timer_panel(store: Store, session: live.Live, guard: Callable[[], bool]) -> None:
    remaining = session.timer_remaining(store.clock())
    # The countdown refreshes itself every second only while a timer runs. Starting or stopping
    # one, here or on another device, moves the room's version and `_follow` draws the page
    # again, with or without it. Without a timer it was a script run a second (a login check
    # and the session read) that showed nothing.
    if remaining is not None:
        _timer_metric(store, session.id, guard)
    activity = session.current
    # One field per activity: it starts from that activity's planned minutes, and follows the
    # room to the next activity instead of keeping the last one's number.
    minutes_key = f"timer_minutes_{session.id}_{activity.id if activity else 'join'}"
    # One row where it fits; the buttons wrap under the field on a narrow window.
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    row.number_input(
        _("Timer minutes"),
        min_value=0.5,
        max_value=60.0,
        value=timer_minutes(activity),
        step=0.5,
        format="%g",
        key=minutes_key,
        width=110,
    )
    row.button(
        _("Start"),
        key="timer_start",
        icon=":material/timer:",
        # Read the widget in the callback: the value at render time may be a click behind.
        on_click=lambda: _act(
            live.start_timer, store, session.id, int(st.session_state[minutes_key] * 60)
        ),
    )
    row.button(
        _("Stop"),
        key="timer_stop",
        disabled=remaining is None,
        on_click=_act,
        args=(live.stop_timer, store, session.id),
    )


@st.fragment(run_every=1)
def _timer_metric(store: Store, session_id: int, guard: Callable[[], bool]) -> None:
    """The discussion timer as the projector shows it, counting down every second."""
    language.speak(store)
    if not guard():
        st.rerun(scope="app")
    session = live.load(store, session_id)
    remaining = session.timer_remaining(store.clock()) if session else None
    if remaining is not None:
        minutes, seconds = divmod(int(remaining + 0.999), 60)
        # Translators: the discussion timer's value once it runs out, as a referee calls it.
        shown = f"{minutes}:{seconds:02d}" if remaining > 0 else _("Time")
        st.metric(_("Discussion timer"), shown)


def _door_panel(store: Store, session: live.Live) -> None:
    """Who may still join: the people expected (also the most phones that may join) and a lock
    once everyone is in, so nobody can fill the room with extra phones to see small results."""
    # The keys carry what is stored: a change made elsewhere (the remote, another tab) draws a
    # new widget showing it, instead of this tab's stale value.
    headcount_key = f"door_headcount_{session.id}_{session.row.headcount}"
    locked_key = f"door_locked_{session.id}_{session.row.joins_locked}"
    with st.expander(_("The door: who may join"), expanded=session.row.headcount is None):
        if session.row.joins_locked:
            st.caption(
                _("Joining is closed; phones already in carry on. Unlock to let someone in.")
            )
        elif session.row.lock_when_begun and session.row.headcount is None:
            st.caption(
                _("Without a number of people, joining closes when the first activity opens.")
            )
        elif session.row.headcount is None:
            st.caption(_("Set “People expected” so nobody can add phones to see small results."))
        st.number_input(
            _("People expected (no more phones may join)"),
            min_value=1,
            max_value=live.MOST_PEOPLE,
            value=session.row.headcount,
            step=1,
            key=headcount_key,
            on_change=lambda: _act(
                live.set_headcount,
                store,
                session.id,
                st.session_state[headcount_key],
                unchanged=as_drawn(store, session, lambda now: now.row.headcount),
            ),
            help=_("Phones beyond this number are turned away, and you see how many were."),
        )
        st.toggle(
            _("Lock joining"),
            value=session.row.joins_locked,
            key=locked_key,
            on_change=lambda: _act(
                live.lock_joins,
                store,
                session.id,
                st.session_state[locked_key],
                unchanged=as_drawn(store, session, lambda now: now.row.joins_locked),
            ),
            help=_(
                "Once everyone is in: no new phone may join. Phones already in are not affected."
            ),
        )


def _links_panel(store: Store, session: live.Live, public_url: str | None) -> None:
    """Links to hand out: a read-only screen for the projector's browser, a remote control for
    your phone. Each is shown once when made; making another (or revoking) ends the old one."""
    base = public_url or ""
    with st.expander(_("Links: projector and remote control")):
        buttons = {
            "screen": (_("New screen link"), _("Revoke screen link")),
            "remote": (_("New remote-control link"), _("Revoke remote-control link")),
        }
        for purpose, (make_label, revoke_label) in buttons.items():
            made_key = f"link_{purpose}_{session.id}"
            make_column, revoke_column = st.columns(2)
            if make_column.button(make_label, key=f"make_{made_key}"):
                secret = links.new_link_secret(store, session.id, purpose)
                st.session_state[made_key] = base + links.link_path(session.id, purpose, secret)
            if revoke_column.button(revoke_label, key=f"revoke_{made_key}"):
                links.revoke(store, session.id, purpose)
                st.session_state.pop(made_key, None)
            made = st.session_state.get(made_key)
            # Shown in the tab that made it, while it still works (not after a newer one).
            if made and links.opens(
                store, links.PAGES[purpose], str(session.id), made.rsplit("key=", 1)[-1]
            ):
                st.code(made, language=None)
                if purpose == "remote" and public_url:
                    st.image(qr_png(made, box_size=5), caption=_("Scan with your phone"))
        st.caption(
            _(
                "Anyone with a link can use it until you revoke it or make a new one: "
                "the screen link only shows the screen; the remote link controls this session."
            )
        )


# Below the columns ----------------------------------------------------------------------------


@st.fragment(run_every=REFRESH_SECONDS)
def _screen_preview(store: Store, session_id: int, guard: Callable[[], bool]) -> None:
    """What the projector shows now, and the agenda: refreshed every 2 seconds."""
    language.speak(store)
    if not guard():
        st.rerun(scope="app")
    room = live.room(store, session_id)
    if room is None or room.session.ended:
        return
    session, result = room.session, room.result
    if result is not None:
        st.markdown(bold(_("On the screen now")))
        if result.visible:
            figure = projector.figure(result)
            if figure is not None:
                # A preview, not the projector: same figure, laptop-sized type.
                figure.update_layout(font={"size": 15}, height=figure.layout.height * 0.6)
                st.plotly_chart(figure, key="preview", theme=None, config={"displayModeBar": False})
            else:
                # Cards, not a chart (open text): the approved texts the projector shows.
                texts = [line.text for line in result.lines if isinstance(line, Text)]
                for text in texts:
                    st.text(f"“{text}”")  # participant words: never read as Markdown
                if not texts:
                    st.markdown(_(NOTHING_APPROVED))
            for note in result.notes:
                st.text(note)
        else:
            st.caption(vocabulary.waiting_for(result) if result.hidden_reason else "")
    measured = live.schedule(store, session, store.clock())
    with st.expander(_("Agenda: planned and actual time")):
        st.dataframe(
            [
                {
                    "#": number,
                    _("Activity"): item.title,
                    _("Planned (min)"): item.minutes,
                    _("Actual"): _minutes_and_seconds(measured.spent[item.id])
                    if item.id in measured.spent
                    else "",
                }
                for number, item in enumerate(session.deck.activities, start=1)
            ],
            hide_index=True,
            width="stretch",
        )


@st.fragment(run_every=REFRESH_SECONDS)
def _moderation(store: Store, session_id: int, activity_id: str, guard: Callable[[], bool]) -> None:
    """Texts waiting for approval, right under the room's buttons: refreshed every 2 seconds."""
    language.speak(store)
    if not guard():
        st.rerun(scope="app")
    queue = live.moderation_queue(store, session_id, activity_id)
    waiting = [item for item in queue if item.moderation in (PENDING, FLAGGED)]
    shown = sum(1 for item in queue if item.moderation == APPROVED)
    # The heading's anchor (#moderation-queue, the same in every language) is where the
    # announcement at the top leads.
    st.header(_("Moderation queue"), anchor=QUEUE_ANCHOR)
    st.markdown(
        _("%(waiting)d waiting · %(shown)d on screen") % {"waiting": len(waiting), "shown": shown}
    )
    for item in waiting:
        with st.container(border=True):
            if item.moderation == FLAGGED:
                st.warning(
                    _(
                        "Possible safety concern. Never shown on screen. You cannot know who "
                        "wrote it: restate the support resources to the whole room and say "
                        "you are available to anyone afterwards (docs/facilitation.md)."
                    ),
                    icon=":material/health_and_safety:",
                )
            # The text, then its two buttons side by side, moving under the text together
            # when the window is too narrow for one row.
            with st.container(horizontal=True, vertical_alignment="center"):
                st.text(item.text, width="stretch")  # never read as Markdown
                with st.container(horizontal=True, wrap=False, width="content"):
                    if item.moderation == PENDING:
                        st.button(
                            _("Show on screen"),
                            key=f"approve-{item.answer_id}",
                            on_click=_act,
                            args=(live.moderate, store, session_id, item.answer_id, APPROVED),
                        )
                    st.button(
                        _("Keep off screen"),
                        key=f"reject-{item.answer_id}",
                        on_click=_act,
                        args=(live.moderate, store, session_id, item.answer_id, REJECTED),
                    )
