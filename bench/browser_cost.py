"""What the facilitator's browser spends on the control view and the projector, answers arriving.

    .venv/bin/python bench/browser_cost.py [--seconds 20] [--rate 20] [--views control screen both]
        [--quiet]

A Tandem server on 127.0.0.1 with its own database; for each view, a session on the built-in
90-minute deck at its first single-choice question with twelve answers in (over the response
threshold, so the chart shows), the view open in Debian's Chromium at 1920 x 1080 (`control`:
the control view; `screen`: the projector alone; `both`), then answers stored at `--rate` a
second, as phones would, for `--seconds` (`--quiet`: none, the chart unchanged). Prints the
CPU the browser used (this benchmark's Chromium only: its processes and their children) and the
server's, as shares of one core over the window.

On a laptop running the room, this is what the browser takes from the server's two cores
(docs/performance.md, item 24). Prints figures; asserts nothing. Only loopback addresses are
used; the answers are stored through the store, no phone is involved.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))

import harness  # noqa: E402

from workshop.store import Store  # noqa: E402
from workshop.testing.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    facilitator_logs_in,
    open_screen,
)

ANSWERS_BEFORE = 12  # over the threshold (5): the chart shows from the start


def answering(
    url: str, session_id: int, activity_id: str, rate: float, stop: threading.Event
) -> None:
    """Phones' answers, stored through a store of its own at `rate` a second until `stop`."""
    store = Store(url)
    try:
        number = 0
        while not stop.wait(1 / rate):
            participant = store.join(session_id, secrets.token_hex(32))
            store.record_answer(
                session_id, activity_id, participant, passed=False, value=number % 2
            )
            number += 1
    finally:
        store.close()


def measure(
    arguments: argparse.Namespace, view: str, server, store: Store, browser, root: int
) -> None:
    """One view open, answers arriving: the CPU its browser (the processes under `root`) and
    the server used."""
    deck = harness.built_in_deck()
    index, activity = next(
        (number, activity)
        for number, activity in enumerate(deck.activities)
        if activity.kind == "single_choice"
    )
    session = harness.start_session(store, deck, index=index, threshold=5)
    for number in range(ANSWERS_BEFORE):
        participant = store.join(session.id, secrets.token_hex(32))
        store.record_answer(session.id, activity.id, participant, passed=False, value=number % 2)
    control = facilitator_logs_in(browser, server.url)
    shown: Page = control
    if view in ("control", "both"):
        control.goto(f"{server.url}/control?session={session.id}")
        control.locator(".st-key-next button").wait_for()
    if view in ("screen", "both"):
        shown = open_screen(control, server.url, session.id)
        shown.locator(".st-key-tandem-slide .js-plotly-plot").wait_for()
        if view == "screen":
            control.goto("about:blank")
    shown.wait_for_timeout(3000)  # the first draws over
    stop = threading.Event()
    writer = threading.Thread(
        target=answering,
        args=(server.database_url, session.id, activity.id, arguments.rate, stop),
    )
    browser_before = harness.tree_cpu_seconds(root)
    server_before = harness.tree_cpu_seconds(server.process.pid)
    began = time.monotonic()
    if not arguments.quiet:
        writer.start()
    # The sync API drives the browser only while it is called: wait in the page.
    shown.wait_for_timeout(arguments.seconds * 1000)
    took = time.monotonic() - began
    browser_used = harness.tree_cpu_seconds(root) - browser_before
    server_used = harness.tree_cpu_seconds(server.process.pid) - server_before
    stop.set()
    if writer.is_alive():
        writer.join()
    answers = "no answers arriving" if arguments.quiet else f"{arguments.rate:g} answers a second"
    print(
        f"  {view:<8} browser {100 * browser_used / took:5.1f}% of a core, "
        f"server {100 * server_used / took:5.1f}%  ({answers}, {took:.0f} s)",
        flush=True,
    )
    control.context.close()


def chromium_root() -> int:
    """This benchmark's Chromium: the first of its descendants running Chromium (Debian's
    /usr/bin/chromium starts /usr/lib/chromium/chromium), whose children are the browser's
    other processes. Another test's or benchmark's browser on the machine is not counted."""
    for pid in harness.process_tree(os.getpid())[1:]:
        try:
            program = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if b"chromium" in Path(program.decode(errors="replace")).name.encode():
            return pid
    raise RuntimeError("this benchmark's Chromium was not found among its processes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=20, help="answers stored a second")
    parser.add_argument("--views", nargs="+", default=["control", "screen", "both"])
    parser.add_argument("--quiet", action="store_true", help="no answers arriving")
    arguments = parser.parse_args()
    with (
        harness.temporary_folder() as folder,
        harness.running_server(folder) as (server, store),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        root = chromium_root()
        print(f"The facilitator's browser, {arguments.seconds:g} s per view:")
        for view in arguments.views:
            measure(arguments, view, server, store, browser, root)
        browser.close()


if __name__ == "__main__":
    main()
