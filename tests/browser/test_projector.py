"""The projector in Chromium, measured: at 1920 x 1080 and at 1280 x 720 nothing is below the
edge for any kind of slide (a revealed answer key included), no text is under 32 pixels on the
1080-line screen, no label of a chart runs into another, a chart is drawn once on its slide, at
the height it keeps, and the join slide's QR code takes at least 40% of the height. Every
information slide of every built-in deck (English and Spanish) fits, a timer running beside it.
The facilitator's controls, awake, cover none of the room's text. Then the facilitator's keys
move the room (the store says so), Reveal is off where it would change nothing, and a screen
link's holder moves nothing.

One server for the module, and the facilitator's screen page open twice, at each size, so that
one move of the room is measured at both at once: a rehearsed room (the 90-minute deck, nine
simulated people), the Spanish 90-minute deck rehearsed with twenty (enough for its private
results), and sessions of every information slide of every built-in deck, stepped through side
by side; the rooms are moved from here, through the store, as the control view would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.curriculum.decks import Deck
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal
from workshop.store import Store
from workshop.testing.browser import PROJECTOR, TIMEOUT, facilitator_logs_in
from workshop.testing.server import PASSCODE, Server
from workshop.web import links

pytestmark = pytest.mark.browser

DECK = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
SPANISH = load_deck(DECK_FOLDER / "de-la-codependencia-a-la-interdependencia-90.toml")
SMALLER = {"width": 1280, "height": 720}
VIEWPORTS = [PROJECTOR["viewport"], SMALLER]
SMALLEST_TEXT = 32  # pixels, at 1080 lines

# What the page shows, measured in the page: whatever is drawn (not hidden, not transparent)
# must end above the window's bottom edge, nothing may scroll, and the smallest text the room
# reads is found from computed styles (plotly's SVG text from its own font-size style). The
# facilitator's small controls (invisible in their corner until the mouse moves) are for the
# facilitator, not the room: below the edge they would count, for the type they do not.
MEASURE = """
() => {
  const shown = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0)
        return false;
    }
    return true;
  };
  const height = window.innerHeight;
  const below = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || box.bottom <= height + 0.5 || !shown(element)) continue;
    below.push(`${element.tagName} ${String(element.className).slice(0, 60)} ${box.bottom}`);
  }
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (!text || !element || !shown(element) || element.closest(".st-key-tandem-controls"))
      continue;
    const box = element.getBoundingClientRect();
    // A 1-pixel box is for screen readers only (Streamlit's "skip to main content").
    if (box.width <= 1 || box.height <= 1 || box.bottom < 0 || box.top > height) continue;
    const size = parseFloat(element.style.fontSize || getComputedStyle(element).fontSize);
    texts.push([size, text.slice(0, 60)]);
  }
  texts.sort((one, other) => one[0] - other[0]);
  // A chart's row labels (plotly's y-axis ticks), top to bottom: none may reach into the next.
  const labels = [...document.querySelectorAll(".js-plotly-plot .ytick text")]
    .map((label) => [label.getBoundingClientRect(), label.textContent.slice(0, 40)])
    .filter(([box, text]) => box.height > 0 && text.replace(/\u200b/g, "").trim())
    .sort((one, other) => one[0].top - other[0].top);
  const overlaps = [];
  for (let number = 1; number < labels.length; number++) {
    const [above, aboveText] = labels[number - 1];
    const [below, belowText] = labels[number];
    if (below.top < above.bottom - 0.5)
      overlaps.push([aboveText, belowText, above.bottom - below.top]);
  }
  const main = document.querySelector('[data-testid="stMain"]');
  const slide = document.querySelector(".st-key-tandem-slide");
  const plot = slide.querySelector(".js-plotly-plot");
  const drawn = [...slide.querySelectorAll(".js-plotly-plot, .stHtml, [data-testid=stImage]")];
  return {
    plot: plot ? plot.getBoundingClientRect().height / height : null,
    lowest: Math.max(...drawn.map((element) => element.getBoundingClientRect().bottom)) / height,
    scrolls: [
      [document.documentElement.scrollHeight, height],
      [main.scrollHeight, main.clientHeight],
      [slide.scrollHeight, slide.clientHeight],
    ],
    below,
    overlaps,
    smallest: texts.slice(0, 3),
    // What the slide is made of, top to bottom, said when a measure fails: each drawn part's
    // kind, first words and height (a share of the window's).
    parts: [...slide.querySelectorAll("[data-testid=stElementContainer]")]
      .filter((part) => part.getBoundingClientRect().height >= 1)
      .map((part) => [
        (part.querySelector("[data-testid]") || part).dataset.testid,
        part.textContent.trim().slice(0, 30),
        Math.round(1000 * part.getBoundingClientRect().height / height) / 1000,
      ]),
  };
}
"""

# The page has redrawn for the window it is in: the run is over (Streamlit marks the elements
# of a run in progress "stale"), the title is the new one at its scaled size, and a chart (if
# any) is laid out again with its caption at the scaled size.
# (`position`, if given: the slide's place in the deck, which its eyebrow starts with.) The
# line of how many answered is under the chart, or beside its legend where it has one.
READY = """
([title, scale, position]) => {
  if (document.querySelector('[data-stale="true"]')) return false;
  const heading = [...document.querySelectorAll(".tandem-title")].find(
    (element) => element.textContent === title);
  if (!heading || Math.abs(parseFloat(getComputedStyle(heading).fontSize) - 64 * scale) > 1)
    return false;
  const eyebrow = document.querySelector(".tandem-eyebrow");
  if (position && !(eyebrow && eyebrow.textContent.startsWith(position))) return false;
  const plot = document.querySelector(".js-plotly-plot");
  if (!plot) return true;
  const tally = document.querySelector(".tandem-tally");
  if (tally) return Math.abs(parseFloat(getComputedStyle(tally).fontSize) - 32 * scale) < 0.5;
  const caption = [...plot.querySelectorAll(".annotation-text")].find(
    (element) => element.textContent.includes("·"));
  return !!caption && Math.abs(parseFloat(caption.style.fontSize) - 32 * scale) < 0.5;
}
"""

# The facilitator's controls, awake: every text of the page they cover (none may be).
COVERED = """
() => {
  const controls = document.querySelector(".st-key-tandem-controls").getBoundingClientRect();
  const covered = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element) continue;
    if (element.closest(".st-key-tandem-controls") || !element.closest(".st-key-tandem-slide"))
      continue;
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const box of range.getClientRects()) {
      if (box.width < 1 || box.height < 1) continue;
      if (box.left < controls.right && controls.left < box.right &&
          box.top < controls.bottom && controls.top < box.bottom)
        covered.push(walker.currentNode.textContent.trim().slice(0, 40));
    }
  }
  return covered;
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("projector"), passcode=PASSCODE)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def room(server):
    """A rehearsal of the 90-minute deck: nine people have answered everything; three of the
    written answers are approved for the screen."""
    store = Store(server.database_url)
    session = start_rehearsal(store, DECK, people=9, threshold=5)
    for item in live.moderation_queue(store, session.id, "practice-insight")[1:4]:
        live.moderate(store, session.id, item.answer_id, "approved")
    yield store, session.id
    store.close()


@pytest.fixture(scope="module")
def spanish_room(server):
    """The Spanish 90-minute deck, rehearsed by twenty: its private results show."""
    store = Store(server.database_url)
    session = start_rehearsal(store, SPANISH, people=20, threshold=5)
    yield store, session.id
    store.close()


def every_info_slide() -> Deck:
    """Every information slide of every built-in deck, in one deck (ids made unique)."""
    slides = []
    for path in sorted(DECK_FOLDER.glob("*.toml")):
        for activity in load_deck(path).activities:
            if activity.kind == "info":
                unique = f"{len(slides)}-{activity.id}"[:48]
                slides.append(activity.model_copy(update={"id": unique}))
    return Deck(id="every-info-slide", title="Every information slide", activities=slides)


# Sessions of the deck of every information slide, each shown at both sizes and stepped through
# its share of the slides at the same time as the others: a slide waits most of a second for
# the projector's next refresh, and the sessions wait side by side.
INFO_ROOMS = 4


@pytest.fixture(scope="module")
def info_rooms(server):
    store = Store(server.database_url)
    deck = every_info_slide()
    sessions = [live.start_session(store, deck).id for _ in range(INFO_ROOMS)]
    yield store, sessions, live.load(store, sessions[0]).deck
    store.close()


@pytest.fixture(scope="module")
def control(browser, server) -> Iterator[Page]:
    """The facilitator's laptop, logged in: its screen pages show the facilitator's controls."""
    page = facilitator_logs_in(browser, server.url)
    yield page
    page.context.close()


def _screens(control: Page, server, session_id: int) -> list[Page]:
    """The projector's page for `session_id` at each size: one move of the room, measured in
    both windows at once. (Not waited for: whoever measures waits for its slide.)"""
    made = []
    for viewport in VIEWPORTS:
        page = control.context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.set_viewport_size(viewport)
        page.goto(f"{server.url}/screen?session={session_id}", wait_until="commit")
        made.append(page)
    return made


@pytest.fixture(scope="module")
def screens(control, server, room) -> list[Page]:
    """The projector at 1080 and at 720 lines, side by side, showing the rehearsed room."""
    return _screens(control, server, room[1])


@pytest.fixture(scope="module")
def screen(screens) -> Page:
    """The projector at 1920 x 1080."""
    return screens[0]


def _on(pages: list[Page], server, session_id: int) -> None:
    """The screen pages, showing this session."""
    for page in pages:
        if not page.url.endswith(f"session={session_id}"):
            page.goto(f"{server.url}/screen?session={session_id}")


def _lines(page: Page) -> int:
    return page.viewport_size["height"]


def _scale(page: Page) -> float:
    return _lines(page) / 1080


def _ready(pages: list[Page], title: str, position: str | None = None) -> None:
    """Wait until every page has redrawn the slide called `title` at its size."""
    for page in pages:
        page.wait_for_function(READY, arg=[title, _scale(page), position])


# How many runs of the page's script Streamlit has finished (the projector's refresh reruns it
# every second): counted from the first call on, by watching the app's run state.
RUNS = """
() => {
  if (window.tandemRuns === undefined) {
    window.tandemRuns = 0;
    new MutationObserver(() => {
      if (document.querySelector('[data-test-script-state="notRunning"]')) window.tandemRuns += 1;
    }).observe(document.body,
      {attributes: true, subtree: true, attributeFilter: ["data-test-script-state"]});
  }
  return window.tandemRuns;
}
"""


# A chart on the slide: its element is there before plotly has drawn into it.
CHART = ".st-key-tandem-slide .st-key-screen-chart"

# Every height plotly has drawn the slide's chart at since the last call (its SVG's height, at
# each drawing, shown or not yet), the first call starting the count. A chart is drawn once, at
# the height it keeps: a chart whose height follows its frame is drawn at whatever its frame
# measures when it arrives, and on a new slide that can be the share it has beside the old
# slide's parts still on the page (a third of the screen, its labels run into each other) until
# the browser next lays the page out, seconds later in a window it draws seldom. Whether the
# room sees that depends on when the browser draws; a second height ever drawn does not.
DRAWN = """
() => {
  if (window.tandemDrawn === undefined) {
    window.tandemDrawn = [];
    const seen = new WeakMap();
    new MutationObserver(() => {
      for (const svg of document.querySelectorAll(
          ".st-key-tandem-slide .js-plotly-plot .main-svg:first-child")) {
        const height = svg.getAttribute("height");
        if (height === null || seen.get(svg) === height) continue;
        seen.set(svg, height);
        window.tandemDrawn.push(parseFloat(height));
      }
    }).observe(document.body,
      {subtree: true, childList: true, attributes: true, attributeFilter: ["height"]});
  }
  const drawn = window.tandemDrawn;
  window.tandemDrawn = [];
  return drawn;
}
"""


# The page is drawn for its window: its first run, before the browser has said the window's size,
# is drawn for 1080 lines (a chart then drawn again for a smaller window is not what DRAWN is
# for). A title at its scaled size, the run over.
SIZED = """
(scale) => {
  if (document.querySelector('[data-stale="true"]')) return false;
  const title = document.querySelector(".tandem-title");
  return !!title && Math.abs(parseFloat(getComputedStyle(title).fontSize) - 64 * scale) <= 1;
}
"""


def _count_draws(pages: list[Page]) -> None:
    """From here on, each page's chart is counted as it is drawn (DRAWN)."""
    for page in pages:
        page.wait_for_function(SIZED, arg=_scale(page))
        page.evaluate(DRAWN)


def _drawn_once(page: Page, measured: dict, where: str) -> None:
    """The slide's chart, if any, was drawn at no height but the one it has now (`measured`)."""
    drawn = page.evaluate(DRAWN)
    if measured["plot"] is None:
        return
    height = measured["plot"] * _lines(page)
    assert all(abs(each - height) <= 1 for each in drawn), (where, height, drawn)


def _settled(pages: list[Page]) -> list[dict]:
    """Each page measured once it holds still: a chart is drawn a moment after its element
    arrives, and the rest of a new slide can take until the next refresh. A page holds still
    when two measurements at least 400 ms apart agree; on a slide with a chart, once it is
    drawn and with a whole run of the page between the two. The pages are waited for side by
    side."""
    charted = [page.locator(CHART).count() > 0 for page in pages]
    for page, chart in zip(pages, charted, strict=True):
        if chart:
            page.locator(f"{CHART} .js-plotly-plot").wait_for()
    runs = [page.evaluate(RUNS) for page in pages]
    measured = [page.evaluate(MEASURE) for page in pages]
    still = [False] * len(pages)
    for _ in range(10):
        pages[0].wait_for_timeout(400)
        for number, page in enumerate(pages):
            if still[number]:
                continue
            if charted[number]:
                page.wait_for_function(f"() => ({RUNS})() > {runs[number]}")
                runs[number] = page.evaluate(RUNS)
            again = page.evaluate(MEASURE)
            still[number] = again == measured[number]
            measured[number] = again
        if all(still):
            return measured
    unsettled = [measured[number] for number in range(len(pages)) if not still[number]]
    raise AssertionError(f"the page never held still: {unsettled}")


def _index(activity_id: str, deck: Deck = DECK) -> int:
    return next(n for n, activity in enumerate(deck.activities) if activity.id == activity_id)


def _show(
    store: Store, session_id: int, activity_id: str | None, *, reveal=False, deck: Deck = DECK
) -> str:
    """Put an activity on screen (closed and revealed if asked); the title the screen shows.

    An activity to reveal is opened, closed and revealed before it goes on screen: the title
    is all the page is waited for, and a refresh between the move and the reveal would show
    (and have measured) the activity still open."""
    index = -1 if activity_id is None else _index(activity_id, deck)
    if reveal:
        state = live.load(store, session_id).state(activity_id)
        if state.status == "waiting":
            live.open_activity(store, session_id, activity_id)
        if state.status in ("waiting", "open"):
            live.close_activity(store, session_id, activity_id)
        if not state.revealed:
            live.reveal(store, session_id, activity_id)
    live.go_to(store, session_id, index)
    return deck.title if activity_id is None else deck.activities[index].title


# One of each kind of slide, the long ones included: the teaching and skills slides,
# a revealed knowledge check (five explanations), a revealed private battery.
SLIDES = [
    (None, False),  # the join slide
    ("welcome", False),
    ("agreements-ready", False),
    ("check-in", False),
    ("knowledge-before", True),
    ("support-words", False),
    ("what-the-words-mean", False),  # the teaching slides, the longest of the deck
    ("side-by-side", False),
    ("private-reflection", True),
    ("asking-and-holding", False),
    ("practice-insight", False),
    ("check-out", False),
]


def _fits(measured: dict, where: str, scale: float) -> None:
    for scrolled, shown in measured["scrolls"]:
        assert scrolled <= shown, (where, measured["scrolls"])
    assert measured["below"] == [], (where, measured["parts"])
    assert measured["overlaps"] == [], (where, measured["parts"])
    if scale == 1:
        assert measured["smallest"][0][0] >= SMALLEST_TEXT, (where, measured["smallest"])


def test_nothing_is_below_the_edge_and_type_reads_from_the_back(screens: list[Page], server, room):
    """At 1080 and at 720 lines."""
    store, session_id = room
    _on(screens, server, session_id)
    _count_draws(screens)
    for activity_id, reveal in SLIDES:
        title = _show(store, session_id, activity_id, reveal=reveal)
        _ready(screens, title)
        for page, measured in zip(screens, _settled(screens), strict=True):
            where = f"{activity_id or 'join slide'} at {_lines(page)} lines"
            _fits(measured, where, _scale(page))
            _drawn_once(page, measured, where)
            if measured["plot"] is not None:
                # A chart fills the screen: no half-empty wall, no chart squeezed to fit.
                assert measured["plot"] >= 0.45 and measured["lowest"] >= 0.8, (where, measured)
            if activity_id is None:
                qr_code = page.locator("[data-testid=stImage] img").bounding_box()
                assert qr_code["height"] >= 0.4 * _lines(page)
            if activity_id == "knowledge-before":
                # Explanations one at a time.
                expect(page.get_by_text(re.compile(r"^1 of \d"))).to_be_visible()
    live.blank_screen(store, session_id, True)
    for page in screens:
        expect(page.get_by_text("Paused")).to_be_visible()
        assert page.evaluate(MEASURE)["below"] == []
    live.blank_screen(store, session_id, False)


# The Spanish deck's charts, whose statements run longest: revealed, an explanation showing.
SPANISH_SLIDES = [
    ("support-words", False),
    ("private-reflection", True),
    ("self-worth", True),
    ("knowledge-after", True),
    ("small-step", True),
]


def test_long_statements_keep_to_their_rows(screens: list[Page], server, spanish_room):
    """At 1080 and at 720 lines, each chart drawn once, at its height (never first squashed
    into the room the old slide's parts left it)."""
    store, session_id = spanish_room
    _on(screens, server, session_id)
    _count_draws(screens)
    for activity_id, reveal in SPANISH_SLIDES:
        title = _show(store, session_id, activity_id, reveal=reveal, deck=SPANISH)
        _ready(screens, title)
        for page in screens:
            page.locator(".st-key-tandem-slide .js-plotly-plot").wait_for()
        for page, measured in zip(screens, _settled(screens), strict=True):
            where = f"{activity_id} (Spanish) at {_lines(page)} lines"
            _fits(measured, where, _scale(page))
            assert measured["plot"] is not None, where
            _drawn_once(page, measured, where)
            # Every chart, a word cloud and a private poll included, takes the room it has.
            assert measured["lowest"] >= 0.8, (where, measured)


def test_the_spanish_private_before_check_keeps_to_its_rows(
    screens: list[Page], server, spanish_room
):
    """The fullest slide of all: a two-line prompt, five statements of two lines each and an
    explanation of three. Its content note, read before the room answered, gives the
    explanations its place once they show. At 1080 and at 720 lines."""
    store, session_id = spanish_room
    _on(screens, server, session_id)
    title = _show(store, session_id, "knowledge-before", reveal=True, deck=SPANISH)
    _ready(screens, title)
    for page in screens:
        page.locator(".st-key-tandem-slide .js-plotly-plot").wait_for()
    for page, measured in zip(screens, _settled(screens), strict=True):
        _fits(measured, f"knowledge-before (Spanish) at {_lines(page)} lines", _scale(page))


def test_every_information_slide_of_every_deck_fits(
    control: Page, screens: list[Page], server, info_rooms
):
    """English and Spanish, with a timer running beside each (the corner at its tallest): a
    long reading is set smaller, never under 32 pixels on a 1080-line screen. At 1080 and at
    720 lines."""
    store, sessions, deck = info_rooms
    # The module's pair of screens shows the first session; each other session gets its own.
    _on(screens, server, sessions[0])
    windows = {sessions[0]: screens}
    for session_id in sessions[1:]:
        windows[session_id] = _screens(control, server, session_id)
    total = len(deck.activities)
    try:
        for first in range(0, total, len(sessions)):
            # Each session moves to its next slide, all at once.
            shown: list[tuple[Page, int]] = []
            for session_id, index in zip(sessions, range(first, total), strict=False):
                live.go_to(store, session_id, index)
                live.start_timer(store, session_id, 600)
                shown.extend((page, index) for page in windows[session_id])
            for page, index in shown:
                title = deck.activities[index].title
                _ready([page], title, f"{index + 1} / {total}")
                expect(page.locator(".tandem-timer")).to_be_visible()
            pages = [page for page, _index in shown]
            for (page, index), measured in zip(shown, _settled(pages), strict=True):
                where = f"{deck.activities[index].id} at {_lines(page)} lines"
                _fits(measured, where, _scale(page))
    finally:
        for session_id in sessions[1:]:
            for page in windows[session_id]:
                page.close()


def test_the_controls_cover_none_of_the_rooms_text(screens: list[Page], server, room):
    """Awake (the mouse moving), on a revealed answer key with its explanation, on the longest
    teaching slide and on the join slide, at both sizes."""
    store, session_id = room
    _on(screens, server, session_id)
    for activity_id, reveal in [
        ("knowledge-before", True),
        ("side-by-side", False),
        (None, False),
    ]:
        title = _show(store, session_id, activity_id, reveal=reveal)
        _ready(screens, title)
        _settled(screens)
        for page in screens:
            viewport = page.viewport_size
            controls = page.locator(".st-key-tandem-controls")
            page.mouse.move(viewport["width"] / 2, viewport["height"] / 2)
            page.mouse.move(viewport["width"] / 2 + 20, viewport["height"] / 2 + 20)
            expect(controls).to_have_css("opacity", "1")
            where = f"{activity_id or 'join slide'} at {viewport['height']} lines"
            assert page.evaluate(COVERED) == [], where
            box = controls.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], where


def _reveal(screen: Page):
    """The projector's Reveal button (the page's newest, where a redraw has left two)."""
    return screen.locator(".st-key-screen_reveal button").last


def _eventually(check: Callable[[], bool], what: str) -> None:
    """Wait for the server to have acted on a key (it writes to the store), up to 15 s."""
    deadline = time.monotonic() + 15
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.2)


def test_the_facilitators_keys_move_the_room(screen: Page, server, room):
    store, session_id = room
    _on([screen], server, session_id)
    title = _show(store, session_id, "check-in")
    expect(screen.locator(".tandem-title", has_text=title)).to_be_visible()
    # The controls are there for the keys, and wait invisible in their corner.
    controls = screen.locator(".st-key-tandem-controls")
    expect(controls).to_have_css("opacity", "0")

    def now():
        return live.load(store, session_id)

    screen.keyboard.press("ArrowRight")
    _eventually(lambda: now().row.current_index == _index("check-in") + 1, "→ moved on")
    expect(screen.locator(".tandem-title", has_text="What do we already know?")).to_be_visible()
    screen.keyboard.press("ArrowLeft")
    _eventually(lambda: now().row.current_index == _index("check-in"), "← moved back")
    expect(screen.locator(".tandem-title", has_text=title)).to_be_visible()
    # A scale has nothing to reveal: the projector's Reveal is off, as the control view's is.
    expect(_reveal(screen)).to_be_disabled()
    screen.keyboard.press("b")
    _eventually(lambda: now().row.blanked, "B blanked the screen")
    expect(screen.get_by_text("Paused")).to_be_visible()
    expect(screen.locator(".tandem-title", has_text=title)).to_have_count(0)
    screen.keyboard.press("b")
    _eventually(lambda: not now().row.blanked, "B showed the room again")
    expect(screen.locator(".tandem-title", has_text=title)).to_be_visible()
    screen.keyboard.press("PageDown")  # a presentation clicker's "next"
    _eventually(lambda: now().row.current_index == _index("check-in") + 1, "Page Down")
    # A sort reveals its answers' discussion: R does.
    title = _show(store, session_id, "scenario-sort")
    expect(screen.locator(".tandem-title", has_text=title)).to_be_visible()
    expect(_reveal(screen)).to_be_enabled()
    screen.keyboard.press("r")
    _eventually(lambda: now().state("scenario-sort").revealed, "R revealed")
    # A poll with nothing to reveal: off, as in the control view.
    title = _show(store, session_id, "agreements-ready")
    expect(screen.locator(".tandem-title", has_text=title)).to_be_visible()
    expect(_reveal(screen)).to_be_disabled()
    # The mouse wakes the controls, and with them the way back to the control view.
    screen.mouse.move(200, 900)
    expect(controls).to_have_css("opacity", "1")
    back = screen.get_by_role("link", name="Control view")
    expect(back).to_have_attribute("href", f"/control?session={session_id}")


def test_a_screen_link_shows_the_room_and_its_keys_move_nothing(browser, server, room):
    store, session_id = room
    title = _show(store, session_id, "check-in")
    secret = links.new_link_secret(store, session_id, "screen")
    projector = browser.new_context(**PROJECTOR).new_page()
    projector.goto(server.url + links.link_path(session_id, "screen", secret))
    expect(projector.locator(".tandem-title", has_text=title)).to_be_visible()
    expect(projector.locator(".st-key-tandem-controls")).to_have_count(0)
    expect(projector.get_by_role("link", name="Control view")).to_have_count(0)
    version = store.session(session_id).version
    for key in ("ArrowRight", "r", "b", "PageDown"):
        projector.keyboard.press(key)
    projector.wait_for_timeout(2000)  # time for any action to land; none may
    assert store.session(session_id).version == version
    assert not store.session(session_id).blanked
    expect(projector.locator(".tandem-title", has_text=title)).to_be_visible()
    projector.context.close()
