"""The screen view for the projector: read-only for the room, large type, redrawn every second.

Before the first activity it is the join slide (a big QR code, the code and the address). Then
it shows the current prompt, the live chart once the response threshold is met, answer keys when
revealed (one explanation at a time), approved open text, and the discussion timer; the join
code stays in a corner for latecomers.

Everything is laid out for a 1920 x 1080 screen, and fits it: the slide is exactly as tall as
the window, the chart is as tall as the room that is left (projector.chart_room's estimate, so
that it is drawn once, at that height), and every size is multiplied by the window's own scale
(a 1280 x 720 projector gets two thirds of each), which the page learns from the browser.
Nothing is ever below the edge: a projector cannot scroll.

A logged-in facilitator also gets the keys of presentation software (→ next, ← previous,
R reveal or hide, B blank screen; a clicker's Page Down and Page Up too) and small controls
that show while the mouse moves, with a way back to the control view: on an activity they sit
in the band beside the slide's place in the deck, above the title, where they cover none of the
room's text. The holder of a screen link sees the room only: no control, no key does anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import streamlit as st

from workshop.activities import ActivitySpec, kind_of
from workshop.activities.base import Reading
from workshop.dashboard import control, language
from workshop.i18n import N_, ngettext
from workshop.i18n import gettext as _
from workshop.renderers import charts, projector
from workshop.room import live, vocabulary
from workshop.room.results import Result
from workshop.store import Store
from workshop.web import keys, links
from workshop.web.facilitator_login import COOKIE
from workshop.web.join import join_url, qr_png, short_url

REFRESH_SECONDS = 1
# The screen everything is drawn for; other windows get every size times their scale.
DESIGN_WIDTH, DESIGN_HEIGHT = 1920, 1080
# The slide's margins at that size: the slide is the window's height less these.
TOP, BOTTOM, SIDES = 24, 16, 48
QR_SIZE = 760  # the join slide's QR code: 70% of the screen's height

# What the page says (whole sentences, for the translation pass) ------------------------------
NO_SESSION = N_("No live session. Start one from the library.")
NOTHING_TO_CONTROL = N_("There is no live session to control.")
ACCESS_ENDED = N_("Your login has ended, or this link was revoked.")
THANKS = N_("Thank you for taking part.")
NO_ADDRESS = N_("No network address found. Set WORKSHOP_PUBLIC_URL and restart Tandem.")
SCAN = N_("Scan the code with your phone camera, or go to")
AND_TYPE = N_("and type")
JOIN_PROMISE = N_("anonymous · you can always pass")
QR_ALT = N_("QR code to join this session: it opens %(address)s with the code %(code)s.")
POSITION = N_("%(number)d / %(total)d")
POSITION_REHEARSAL = N_("%(number)d / %(total)d · rehearsal")
NOTE_POSITION = N_("%(number)d of %(count)d")
PAUSED = N_("Paused. We carry on in a moment.")
WAIT_APPROVED = N_("Answers appear here once the facilitator approves them.")
WAIT_ANSWERS = N_("Answers appear here as people answer.")
# The facilitator's controls.
PREVIOUS = N_("Previous")
NEXT = N_("Next")
REVEAL = N_("Reveal")
HIDE = N_("Hide")
BLANK = N_("Blank")
UNBLANK = N_("Show the room")
BACK = N_("Control view")
REVEAL_HELP = N_("Key R: answer keys, explanations, and a private activity's results.")
BLANK_HELP = N_("Key B: a calm pause screen; press again to show the room.")

# Our own fixed stylesheets (no participant text ever goes near unsafe HTML). Sizes are for
# 1080 lines and multiplied by the window's scale (`text_style`): the dashboard's chrome is
# hidden, the slide fills the window exactly, and the facilitator's controls float in a corner,
# invisible until the mouse moves or a key moves the focus there.
SCREEN_STYLE = f"""
header[data-testid="stHeader"], [data-testid="stSidebar"], footer,
[data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stDecoration"] {{ display: none !important; }}
.block-container, [data-testid="stMainBlockContainer"] {{
  padding: {TOP}px {SIDES}px {BOTTOM}px !important; max-width: 100% !important; }}
.st-key-tandem-slide {{ height: calc(100vh - {TOP + BOTTOM}px) !important;
  max-height: calc(100vh - {TOP + BOTTOM}px) !important; }}
.st-key-tandem-remote {{ position: absolute !important; height: 0 !important;
  overflow: hidden !important; }}
div:has(> .st-key-tandem-controls) {{ position: absolute !important; }}
.st-key-tandem-controls {{ position: fixed !important; left: 12px; bottom: 12px; z-index: 1000;
  width: auto !important; padding: 8px; background: #FFFFFF; border: 1px solid #8C8C8C;
  border-radius: 10px; opacity: 0; transition: opacity 0.3s; }}
.st-key-tandem-controls:hover, .st-key-tandem-controls:focus-within,
.tandem-awake .st-key-tandem-controls {{ opacity: 1; }}
.stApp:has(.st-key-tandem-slide .tandem-eyebrow) .st-key-tandem-controls {{ top: 4px;
  bottom: auto; left: 50%; transform: translateX(-50%); padding: 4px 8px; }}
.tandem-back {{ font-size: 16px; padding: 0 8px; color: #0B4F8A; }}
.stApp:has(.tandem-paused) {{ background: #1E2A36; }}
"""
TEXT_STYLE = """
.tandem-title { font-size: 64px; font-weight: 750; line-height: 1.1; margin: 0; color: #1A1A1A; }
.tandem-prompt { font-size: 40px; line-height: 1.25; color: #1A1A1A; margin: 0; }
.tandem-eyebrow { font-size: 32px; color: #3D3D3D; margin: 0; }
.tandem-code { font-size: 200px; font-weight: 800; letter-spacing: 0.1em; line-height: 1;
  margin: 24px 0; color: #1A1A1A; }
.tandem-url { font-size: 72px; font-weight: 700; margin: 8px 0 32px; color: #1A1A1A; }
.tandem-big { font-size: 44px; color: #1A1A1A; margin: 0; }
.tandem-wait { font-size: 44px; color: #1A1A1A; margin-top: 48px; }
.tandem-corner { font-size: 32px; color: #3D3D3D; text-align: right; line-height: 1.2; }
.tandem-corner b { font-size: 52px; letter-spacing: 0.08em; color: #1A1A1A; }
.tandem-timer { font-size: 96px; font-weight: 800; text-align: right; line-height: 1;
  color: #1A1A1A; }
.tandem-timer.done { color: #8A4500; }
.tandem-note { font-size: 36px; line-height: 1.3; background: #EEF3F8; color: #1A1A1A;
  border-left: 10px solid #0072B2; padding: 12px 24px; margin: 0; }
.tandem-legend { display: flex; flex-wrap: wrap; gap: 8px 48px; font-size: 32px;
  color: #1A1A1A; margin: 0; }
.tandem-tally { margin-left: auto; color: #3D3D3D; }
.tandem-swatch { display: inline-block; width: 30px; height: 30px; margin-right: 14px;
  vertical-align: -4px; border-radius: 4px; }
.tandem-swatch.hatched { background-image: repeating-linear-gradient(135deg, #8C8C8C 0 4px,
  transparent 4px 12px); }
.tandem-page { font-size: 32px; font-weight: 700; color: #3D3D3D; margin-right: 16px; }
.tandem-card { font-size: 40px; line-height: 1.3; background: #F2F2F4; color: #1A1A1A;
  border-radius: 14px; padding: 16px 24px; margin: 0 0 16px; white-space: pre-wrap; }
.tandem-reading { font-size: 44px; line-height: 1.3; color: #1A1A1A; margin: 0 0 20px; }
.tandem-reading.size-40 { font-size: 40px; }
.tandem-reading.size-36 { font-size: 36px; }
.tandem-reading.size-32 { font-size: 32px; }
ul.tandem-reading { padding-left: 48px; }
.tandem-paused { text-align: center; padding-top: 300px; }
.tandem-paused .tandem-title { color: #E8EEF3; }
.tandem-paused .tandem-big { color: #C9D3DC; margin-top: 32px; }
.tandem-title, .tandem-prompt, .tandem-note, .tandem-card, .tandem-big, .tandem-reading {
  overflow-wrap: anywhere; }
"""

# The browser's side: the window's size (for the scale), and for a logged-in facilitator the
# keys Streamlit's own shortcuts cannot take (R is Streamlit's "rerun"; a clicker's Page Down
# and Page Up), and the controls shown while the mouse moves. Our own fixed code.
REMOTE_JS = """
export default function (component) {
  const { data, setStateValue, setTriggerValue } = component;
  const root = document.documentElement;
  const report = () => setStateValue("viewport", [window.innerWidth, window.innerHeight]);
  report();
  window.addEventListener("resize", report);
  if (!data || !data.keys) {
    return () => window.removeEventListener("resize", report);
  }
  const actions = { r: "reveal", R: "reveal", PageDown: "next", PageUp: "previous" };
  const fields = ["INPUT", "TEXTAREA", "SELECT"];
  const typing = (field) => field && (field.isContentEditable || fields.includes(field.tagName));
  const press = (event) => {
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!event.repeat) setTriggerValue("key", action);
  };
  let sleep;
  const wake = () => {
    root.classList.add("tandem-awake");
    clearTimeout(sleep);
    sleep = setTimeout(() => root.classList.remove("tandem-awake"), 2500);
  };
  window.addEventListener("keydown", press, true);
  window.addEventListener("mousemove", wake);
  return () => {
    window.removeEventListener("resize", report);
    window.removeEventListener("keydown", press, true);
    window.removeEventListener("mousemove", wake);
    root.classList.remove("tandem-awake");
  };
}
"""
_remote = st.components.v2.component("tandem_screen_remote", js=REMOTE_JS)


def text_style(scale: float = 1.0) -> str:
    """The projector's type as a <style> element, every size multiplied by `scale`."""
    return _style(TEXT_STYLE, scale)


def _style(css: str, scale: float) -> str:
    sized = re.sub(r"(\d+)px", lambda match: f"{round(int(match.group(1)) * scale)}px", css)
    return f"<style>{sized}</style>"


def render(
    store: Store,
    session_id: int | None,
    public_url: str | None,
    guard: Callable[[], bool] = lambda: True,
    *,
    facilitator: bool | None = None,
) -> None:
    """The projector's view; `guard` runs before each redraw and each action (the dashboard's
    access check). `facilitator`: whether this browser may pace the room from here (None: ask
    the access check); the holder of a screen link may not."""
    if not guard():
        st.html(f'<p class="tandem-wait">{escape(_(ACCESS_ENDED))}</p>')
        return
    if facilitator is None:
        facilitator = _logged_in(store)
    # The control view's guarded actions, with this page's access check: a screen link's
    # holder is refused whatever reaches the server.
    st.session_state[control.GUARD] = guard if facilitator else (lambda: False)
    viewport = _remote(
        key="tandem-remote",
        data={"keys": facilitator},
        on_viewport_change=lambda: None,
        on_key_change=lambda: _pressed(store, session_id),
    )
    scale = window_scale(viewport.viewport)
    # The controls in proportion with the slide, so that they fit the band above the title.
    controls = f"<style>.st-key-tandem-controls {{ zoom: {scale:.3f}; }}</style>"
    st.html(_style(SCREEN_STYLE, scale) + text_style(scale) + controls)
    _live_screen(store, session_id, public_url, guard, facilitator, scale)


def window_scale(viewport: object) -> float:
    """How much smaller (or larger) than 1920 x 1080 the browser's window is: the smaller of
    its two ratios, so that the slide fits both ways. 1 until the browser has said."""
    try:
        width, height = (float(side) for side in viewport)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return 1.0
    if width <= 0 or height <= 0:
        return 1.0
    return max(0.3, min(3.0, width / DESIGN_WIDTH, height / DESIGN_HEIGHT))


def _logged_in(store: Store) -> bool:
    """Whether the one access check says this browser is the facilitator's (not a link's)."""
    access = links.access_for(store, st.context.cookies.get(COOKIE), dict(st.query_params))
    return access is not None and access.facilitator


@st.fragment(run_every=REFRESH_SECONDS)
def _live_screen(
    store: Store,
    session_id: int | None,
    public_url: str | None,
    guard: Callable[[], bool],
    facilitator: bool,
    scale: float,
) -> None:
    language.speak(store)  # a fragment runs in a thread of its own: say the language again
    if not guard():
        st.rerun(scope="app")
    room = live.room(store, session_id)
    if room is None:
        st.html(f'<p class="tandem-wait">{escape(_(NO_SESSION))}</p>')
        return
    session = room.session
    if facilitator and (problem := st.session_state.pop("problem", None)):
        st.toast(_(problem))  # an action refused (a private activity still open, say)
    if facilitator and not session.ended:
        _controls(store, room)
    with st.container(key="tandem-slide", height=_slide_height(scale), border=False):
        if session.ended:
            st.html(f'<p class="tandem-title">{escape(session.row.title)}</p>')
            st.html(f'<p class="tandem-prompt">{escape(_(THANKS))}</p>')
        elif session.row.blanked:
            _paused(session.row.title)
        elif session.current is None:
            _join_slide(store, room, public_url, scale)
        else:
            _activity(store, room, public_url, scale)


def _slide_height(scale: float) -> int:
    return round((DESIGN_HEIGHT - TOP - BOTTOM) * scale)


def _paused(title: str) -> None:
    """The blank screen: the session's title and a calm word, nothing of the room."""
    st.html(
        f'<div class="tandem-paused"><p class="tandem-title">{escape(title)}</p>'
        f'<p class="tandem-big">{escape(_(PAUSED))}</p></div>'
    )


def _join_slide(store: Store, room: live.Room, public_url: str | None, scale: float) -> None:
    session = room.session
    st.html(f'<p class="tandem-title">{escape(session.row.title)}</p>')
    if public_url is None:
        st.error(_(NO_ADDRESS))
        return
    code = session.row.join_code
    address = short_url(public_url)
    qr_column, text_column = st.columns([1, 1.1], gap="large", vertical_alignment="center")
    with qr_column:
        proof = keys.join_proof(keys.cookie_key(store), code)
        st.image(
            qr_png(join_url(public_url, code, proof), box_size=16),
            width=round(QR_SIZE * scale),
            alt=_(QR_ALT) % {"address": address, "code": code},
        )
    with text_column:
        # Only how many joined, never "12 of 15": the whole room reads the projector, and a
        # count against the people expected presses those who would rather not join.
        joined = vocabulary.joined(room.joined, None)
        st.html(
            f'<p class="tandem-big">{escape(_(SCAN))}</p>'
            f'<p class="tandem-url">{escape(address)}</p>'
            f'<p class="tandem-big">{escape(_(AND_TYPE))}</p>'
            f'<p class="tandem-code">{escape(code)}</p>'
            f'<p class="tandem-big">{escape(joined)} · {escape(_(JOIN_PROMISE))}</p>'
        )


def _activity(store: Store, room: live.Room, public_url: str | None, scale: float) -> None:
    session = room.session
    activity = session.current
    assert activity is not None
    heading, corner = st.columns([5, 1])
    with corner:
        code = escape(session.row.join_code)
        where = escape(short_url(public_url)) if public_url else ""
        st.html(f'<div class="tandem-corner">{where}<br><b>{code}</b></div>')
        remaining = session.timer_remaining(store.clock())
        if remaining is not None:
            minutes, seconds = divmod(int(remaining + 0.999), 60)
            done = " done" if remaining <= 0 else ""
            st.html(f'<div class="tandem-timer{done}">{minutes}:{seconds:02d}</div>')
    with heading:
        numbers = {"number": session.row.current_index + 1, "total": len(session.deck.activities)}
        eyebrow = (_(POSITION_REHEARSAL) if session.row.rehearsal else _(POSITION)) % numbers
        # Once notes show under the chart (an answer key's explanations, what a private result
        # withholds), the content note, read before the room answered, gives them its place:
        # projector.chart_room counts on it.
        activity_heading(activity, eyebrow, with_note=not (room.result and room.result.notes))
    still_open = session.state(activity.id).status == "open"
    result = room.result
    shown, count = live.explanations(store, session)
    page = shown if count else None
    activity_body(activity, result, still_open=still_open, scale=scale, note_page=page, fill=True)


def activity_heading(activity: ActivitySpec, eyebrow: str, *, with_note: bool = True) -> None:
    """Where the room is, the activity's title, its prompt and (`with_note`) its content note."""
    parts = [
        f'<p class="tandem-eyebrow">{escape(eyebrow)}</p>',
        f'<p class="tandem-title">{escape(activity.title)}</p>',
    ]
    if activity.prompt:
        parts.append(f'<p class="tandem-prompt">{escape(activity.prompt)}</p>')
    st.html("".join(parts))
    if activity.content_note and with_note:
        st.html(f'<p class="tandem-note">{escape(activity.content_note)}</p>')


def activity_body(
    activity: ActivitySpec,
    result: Result | None,
    *,
    still_open: bool = False,
    chart_key: str = "screen-chart",
    scale: float = 1.0,
    note_page: int | None = None,
    fill: bool = False,
) -> None:
    """A slide's reading, or the room's result: chart, approved cards and revealed notes.

    `scale` multiplies the chart's sizes with the type (a smaller window, or a preview in the
    dashboard). `fill`: the chart is as tall as the room the slide has left (on the screen
    page, whose slide is exactly the window's height). `note_page`: show that one of the notes (an
    explanation at a time, with its number), else all of them.
    """
    reading = kind_of(activity).reading(activity)
    if reading is not None:
        # A long reading in smaller type (never under the wall's smallest), so that it fits.
        _reading(reading, projector.reading_size(activity, reading, scale))
    if result is None or not activity.answerable:
        return
    if not result.visible:
        # Why not, for the state the activity is in: a closed one promises no result.
        st.html(f'<p class="tandem-wait">{escape(vocabulary.waiting_for(result))}</p>')
        return
    figure = projector.figure(result)
    if figure is not None and fill:
        # On the screen a legend is the page's own text, across the whole width (plotly's keeps
        # its spacing when the type shrinks), with how many answered on the same line: the
        # chart keeps the height. Then the figure is made again, as tall as the room it has on
        # the slide (under its heading and legend, above its notes): a word cloud lays its
        # words out for it, pixel for pixel, and a stacked chart wraps its labels so that none
        # runs into the next row.
        keys = projector.legend(figure)
        shown = result.notes
        if note_page is not None:
            shown = [f"{_(NOTE_POSITION)} {result.notes[note_page]}"]
        names = [key.name for key in keys] + ([projector.counted(result)] if keys else [])
        room = projector.chart_room(activity, shown, names, scale)
        figure = projector.figure(result, room, caption=not keys)
        if keys:
            _legend(keys, projector.counted(result))
            figure.update_layout(showlegend=False, margin={"t": 8, "b": 8})
    if figure is not None:
        # The figure's own height (on the screen, its room), never "stretch": a stretched chart
        # is drawn at whatever height its frame has when it arrives, and on a new slide that is
        # the share it has beside the old slide's parts still there (a third of the screen,
        # labels run into each other), until the browser lays the page out again: a frame
        # later, or seconds later in a window the browser draws seldom.
        st.plotly_chart(
            charts.scaled(figure, scale),
            key=chart_key,
            theme=None,  # Streamlit's theme would shrink the projector's type
            height="content",
            config={"displayModeBar": False, "staticPlot": True},
        )
    else:
        _cards(projector.cards(result), kind_of(activity).moderated, fill)
    _notes(result.notes, note_page)


def _legend(keys: list[projector.Key], tally: str) -> None:
    """The chart's legend, and at the end of its line how many answered and passed."""
    entries = "".join(
        f'<span class="tandem-key"><span class="tandem-swatch{" hatched" if key.hatched else ""}"'
        f' style="background-color: {escape(key.colour)}"></span>{escape(key.name)}</span>'
        for key in keys
    )
    tally_html = f'<span class="tandem-tally">{escape(tally)}</span>'
    st.html(f'<p class="tandem-legend">{entries}{tally_html}</p>')


def _notes(notes: tuple[str, ...], page: int | None) -> None:
    """Answer keys and what a private activity withholds: all of them, or the one on screen
    with its number ("2 of 5"), so that a long answer key never runs off the screen."""
    if page is None:
        for note in notes:
            st.html(f'<p class="tandem-note">{escape(note)}</p>')
        return
    number = _(NOTE_POSITION) % {"number": page + 1, "count": len(notes)}
    st.html(
        f'<p class="tandem-note"><span class="tandem-page">{escape(number)}</span>'
        f"{escape(notes[page])}</p>"
    )


def _reading(reading: Reading, size: int = projector.READING_SIZES[0]) -> None:
    """A slide's paragraphs and its titled list (support resources), all escaped, at `size`
    (one of projector.READING_SIZES: the stylesheet has a class for each)."""
    kind = "tandem-reading" if size == projector.READING_SIZES[0] else f"tandem-reading size-{size}"
    parts = [f'<p class="{kind}">{escape(text)}</p>' for text in reading.paragraphs]
    if reading.items:
        items = "".join(f"<li>{escape(item)}</li>" for item in reading.items)
        heading = escape(reading.list_heading)
        parts.append(f'<p class="{kind}"><b>{heading}</b></p>')
        parts.append(f'<ul class="{kind}">{items}</ul>')
    if parts:
        st.html("".join(parts))


# About how many lines of cards fit under a heading on a 1080-line screen, in three columns of
# about 34 characters a line at the cards' size: more cards than that would run off the edge.
CARD_LINES = 30
CARD_LINE_CHARACTERS = 30


def _cards(texts: list[str], moderated: bool, fill: bool = False) -> None:
    """A result without a chart as cards (approved texts), escaped: participant words are
    never markup. On the screen, only the newest cards that fit are shown, and how many not."""
    if not texts:
        waiting = _(WAIT_APPROVED) if moderated else _(WAIT_ANSWERS)
        st.html(f'<p class="tandem-wait">{escape(waiting)}</p>')
        return
    shown = texts
    if fill:
        room, shown = 3 * CARD_LINES, []
        for text in reversed(texts):
            lines = 2 + sum(
                1 + len(line) // CARD_LINE_CHARACTERS for line in text.splitlines() or [""]
            )
            if lines > room:
                break
            room -= lines
            shown.insert(0, text)
    columns = st.columns(3)
    for number, text in enumerate(shown):
        columns[number % 3].html(f'<div class="tandem-card">{escape(text)}</div>')
    if len(shown) < len(texts):
        hidden = len(texts) - len(shown)
        more = ngettext(
            "%(count)d more approved answer is not shown here.",
            "%(count)d more approved answers are not shown here.",
            hidden,
        ) % {"count": hidden}
        st.html(f'<p class="tandem-eyebrow">{escape(more)}</p>')


# The facilitator's keys and controls -----------------------------------------------------------


def forward(store: Store, session_id: int | None) -> None:
    """→: the next explanation of a revealed answer key, else the next activity."""
    live.forward(store, _live_session(store, session_id).id)


def back(store: Store, session_id: int | None) -> None:
    """←: the explanation before, else the activity before."""
    live.back(store, _live_session(store, session_id).id)


def toggle_reveal(store: Store, session_id: int | None) -> None:
    """R: reveal the activity on screen (answer keys, a private activity's results), or hide
    it again; the explanations start again from the first. Nothing where the control view's
    Reveal does nothing either (a question with nothing to reveal)."""
    session = _live_session(store, session_id)
    activity = session.current
    if session.row.blanked or activity is None or not activity.answerable:
        return
    state = session.state(activity.id)
    allowed, _reason = control.reveal_button(
        activity, state, lambda: live.result_of(store, session, activity)
    )
    if allowed:
        live.reveal(store, session.id, activity.id, not state.revealed)


def toggle_blank(store: Store, session_id: int | None) -> None:
    """B: a pause screen on the projector, or the room again."""
    session = _live_session(store, session_id)
    live.blank_screen(store, session.id, not session.row.blanked)


def _live_session(store: Store, session_id: int | None) -> live.Live:
    session = live.pick(store, session_id)
    if session is None or session.ended:
        raise live.LiveError(_(NOTHING_TO_CONTROL))
    return session


KEY_ACTIONS = {"next": forward, "previous": back, "reveal": toggle_reveal}


def _pressed(store: Store, session_id: int | None) -> None:
    """A key the browser passed on (R, Page Down, Page Up): the action, through the control
    view's guarded `_act`, so a screen link's holder or an ended login changes nothing."""
    pressed = getattr(st.session_state.get("tandem-remote"), "key", None)
    action = KEY_ACTIONS.get(pressed) if isinstance(pressed, str) else None
    if action is not None:
        control._act(action, store, session_id)


def _controls(store: Store, room: live.Room) -> None:
    """Small buttons in a corner, shown while the mouse moves or the focus is there: the keys
    of presentation software, each also a button, and the way back to the control view."""
    session = room.session
    activity = session.current
    page, count = live.explanations(store, session)
    index = session.row.current_index
    last = len(session.deck.activities) - 1
    blanked = session.row.blanked
    # Reveal as the control view has it: off where revealing would change nothing.
    revealable, reveal_hint = False, _(REVEAL_HELP)
    if activity is not None and activity.answerable and not blanked:
        revealable, hint = control.reveal_button(
            activity, session.state(activity.id), lambda: room.result
        )
        reveal_hint = _(REVEAL_HELP) if revealable else hint
    with st.container(
        key="tandem-controls", horizontal=True, gap="small", vertical_alignment="center"
    ):
        st.button(
            _(PREVIOUS),
            key="screen_previous",
            icon=":material/arrow_back:",
            shortcut="Left",
            disabled=blanked or (index < 0 and not page),
            on_click=control._act,
            args=(back, store, session.id),
        )
        st.button(
            _(NEXT),
            key="screen_next",
            icon=":material/arrow_forward:",
            shortcut="Right",
            disabled=blanked or (index >= last and page + 1 >= count),
            on_click=control._act,
            args=(forward, store, session.id),
        )
        revealed = activity is not None and session.state(activity.id).revealed
        st.button(
            _(HIDE) if revealed else _(REVEAL),
            key="screen_reveal",
            icon=":material/visibility:",
            disabled=not revealable,
            help=reveal_hint,
            on_click=control._act,
            args=(toggle_reveal, store, session.id),
        )
        st.button(
            _(UNBLANK) if blanked else _(BLANK),
            key="screen_blank",
            icon=":material/pause_presentation:",
            shortcut="B",
            help=_(BLANK_HELP),
            on_click=control._act,
            args=(toggle_blank, store, session.id),
        )
        st.html(
            f'<a class="tandem-back" href="/control?session={session.id}">{escape(_(BACK))}</a>'
        )
