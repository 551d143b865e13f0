"""The screen view for the projector: read-only, large type, redrawn every second.

Before the first activity it is the join slide (a big QR code, the code and the address). Then
it shows the current prompt, the live chart once the response threshold is met, answer keys when
revealed, approved open text, and the discussion timer; the join code stays in a corner for
latecomers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import streamlit as st

from workshop.activities import ActivitySpec, kind_of
from workshop.activities.base import Reading
from workshop.renderers import charts, projector
from workshop.room import live, vocabulary
from workshop.room.results import Result
from workshop.store import Store
from workshop.web import keys
from workshop.web.join import join_url, qr_png, short_url

REFRESH_SECONDS = 1

# Our own fixed stylesheets (no participant text ever goes near unsafe HTML): the projector
# hides the dashboard's chrome; its type is sized for a wall and scaled down for previews.
CHROME_STYLE = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], footer,
[data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important;
  max-width: 100% !important; padding-left: 3rem !important; padding-right: 3rem !important; }
</style>
"""
TEXT_STYLE = """
.tandem-title { font-size: 64px; font-weight: 750; line-height: 1.1; margin: 0 0 0.6rem; }
.tandem-prompt { font-size: 38px; line-height: 1.3; color: #333; margin: 0 0 1rem; }
.tandem-eyebrow { font-size: 26px; color: #666; margin: 0; }
.tandem-code { font-size: 150px; font-weight: 800; letter-spacing: 0.12em; line-height: 1;
  margin: 1rem 0; }
.tandem-url { font-size: 52px; font-weight: 600; }
.tandem-big { font-size: 40px; color: #333; }
.tandem-wait { font-size: 40px; color: #555; margin-top: 3rem; }
.tandem-corner { font-size: 28px; color: #444; text-align: right; }
.tandem-corner b { font-size: 40px; letter-spacing: 0.08em; color: #111; }
.tandem-timer { font-size: 96px; font-weight: 800; text-align: right; line-height: 1; }
.tandem-timer.done { color: #D55E00; }
.tandem-note { font-size: 30px; background: #f2f5f8; border-left: 8px solid #009E73;
  padding: 0.6rem 1rem; margin: 0.5rem 0; }
.tandem-card { font-size: 34px; background: #f6f6f8; border-radius: 14px; padding: 1rem 1.4rem;
  margin: 0 0 1rem; white-space: pre-wrap; }
.tandem-title, .tandem-prompt, .tandem-note, .tandem-card, .tandem-big { overflow-wrap: anywhere; }
"""


def text_style(scale: float = 1.0) -> str:
    """The projector's type as a <style> element, every size multiplied by `scale`."""
    sized = re.sub(r"(\d+)px", lambda match: f"{round(int(match.group(1)) * scale)}px", TEXT_STYLE)
    return f"<style>{sized}</style>"


def render(
    store: Store,
    session_id: int | None,
    public_url: str | None,
    guard: Callable[[], bool] = lambda: True,
) -> None:
    """The projector's view; `guard` runs before each redraw (the dashboard's access check)."""
    st.html(CHROME_STYLE + text_style())
    _live_screen(store, session_id, public_url, guard)


@st.fragment(run_every=REFRESH_SECONDS)
def _live_screen(
    store: Store, session_id: int | None, public_url: str | None, guard: Callable[[], bool]
) -> None:
    if not guard():
        st.rerun(scope="app")
    room = live.room(store, session_id)
    if room is None:
        st.html('<p class="tandem-wait">No live session. Start one from the library.</p>')
        return
    session = room.session
    if session.ended:
        st.html(f'<p class="tandem-title">{escape(session.row.title)}</p>')
        st.html('<p class="tandem-prompt">Thank you for taking part.</p>')
        return
    if session.current is None:
        _join_slide(store, room, public_url)
    else:
        _activity(room, public_url, store.clock())


def _join_slide(store: Store, room: live.Room, public_url: str | None) -> None:
    session = room.session
    st.html(f'<p class="tandem-title">{escape(session.row.title)}</p>')
    if public_url is None:
        st.error("No network address found. Set WORKSHOP_PUBLIC_URL and restart Tandem.")
        return
    code = session.row.join_code
    qr_column, text_column = st.columns([1, 1.3], gap="large")
    with qr_column:
        proof = keys.join_proof(keys.cookie_key(store), code)
        st.image(qr_png(join_url(public_url, code, proof), box_size=16), width=620)
    with text_column:
        joined = room.joined
        st.html(
            '<p class="tandem-big">Scan the code with your phone camera, or go to</p>'
            f'<p class="tandem-url">{escape(short_url(public_url))}</p>'
            '<p class="tandem-big">and type</p>'
            f'<p class="tandem-code">{escape(code)}</p>'
            f'<p class="tandem-big">{joined} joined · anonymous · you can always pass</p>'
        )


def _activity(room: live.Room, public_url: str | None, now: float) -> None:
    session = room.session
    activity = session.current
    assert activity is not None
    heading, corner = st.columns([4, 1])
    with corner:
        code = escape(session.row.join_code)
        where = escape(short_url(public_url)) if public_url else ""
        st.html(f'<div class="tandem-corner">{where}<br><b>{code}</b></div>')
        remaining = session.timer_remaining(now)
        if remaining is not None:
            minutes, seconds = divmod(int(remaining + 0.999), 60)
            done = " done" if remaining <= 0 else ""
            st.html(f'<div class="tandem-timer{done}">{minutes}:{seconds:02d}</div>')
    with heading:
        number = session.row.current_index + 1
        total = len(session.deck.activities)
        marker = " · rehearsal" if session.row.rehearsal else ""
        activity_heading(activity, f"{number} / {total}{marker}")
    still_open = session.state(activity.id).status == "open"
    activity_body(activity, room.result, still_open=still_open)


def activity_heading(activity: ActivitySpec, eyebrow: str) -> None:
    """Where the room is, the activity's title, its prompt and its content note."""
    st.html(f'<p class="tandem-eyebrow">{escape(eyebrow)}</p>')
    st.html(f'<p class="tandem-title">{escape(activity.title)}</p>')
    if activity.prompt:
        st.html(f'<p class="tandem-prompt">{escape(activity.prompt)}</p>')
    if activity.content_note:
        st.html(f'<p class="tandem-note">{escape(activity.content_note)}</p>')


def activity_body(
    activity: ActivitySpec,
    result: Result | None,
    *,
    still_open: bool = False,
    chart_key: str = "screen-chart",
    scale: float = 1.0,
) -> None:
    """A slide's reading, or the room's result: chart, approved cards and revealed notes.

    `scale` shrinks the chart with the type, for a preview of the projector in the dashboard.
    """
    reading = kind_of(activity).reading(activity)
    if reading is not None:
        _reading(reading)
    if result is None or not activity.answerable:
        return
    if not result.visible:
        waiting = vocabulary.waiting_for(result) if still_open else result.hidden_reason or ""
        st.html(f'<p class="tandem-wait">{escape(waiting)}</p>')
        return
    figure = projector.figure(result)
    if figure is not None:
        st.plotly_chart(
            charts.scaled(figure, scale),
            key=chart_key,
            theme=None,  # Streamlit's theme would shrink the projector's type
            config={"displayModeBar": False, "staticPlot": True},
        )
    else:
        _cards(projector.cards(result), kind_of(activity).moderated)
    for note in result.notes:
        st.html(f'<p class="tandem-note">{escape(note)}</p>')


def _reading(reading: Reading) -> None:
    """A slide's paragraphs and its titled list (support resources), all escaped."""
    for paragraph in reading.paragraphs:
        st.html(f'<p class="tandem-prompt">{escape(paragraph)}</p>')
    if reading.items:
        items = "".join(f"<li>{escape(item)}</li>" for item in reading.items)
        heading = escape(reading.list_heading)
        st.html(f'<p class="tandem-big"><b>{heading}</b></p><ul class="tandem-prompt">{items}</ul>')


def _cards(texts: list[str], moderated: bool) -> None:
    """A result without a chart as cards (approved texts), escaped: participant words are
    never markup."""
    if not texts:
        waiting = "once the facilitator approves them" if moderated else "as people answer"
        st.html(f'<p class="tandem-wait">Answers appear here {waiting}.</p>')
        return
    columns = st.columns(3)
    for number, text in enumerate(texts):
        columns[number % 3].html(f'<div class="tandem-card">{escape(text)}</div>')
