"""Deliver a finished page run whole, even when a fragment run starts before it is sent.

Streamlit 1.67 queues a session's messages for the browser and sends them when its event loop
gets round to it. When a fragment starts running, Streamlit drops that fragment's messages
still waiting in the queue: a run of the fragment cut short must not leave half its elements
behind. But it drops them from a run of the whole page that *finished* too, and keeps that
run's "finished" message. The browser then sees a finished page run without the fragment's
block, removes the block as stale, and places the next deltas by positions that have moved:
"'setIn' cannot be called on an ElementNode", the websocket closes, the page stays white.

The control view has several fragments that refresh themselves every one or two seconds, so
one of them often starts right after a Next redraws the page. Whether the queue was sent in
between depends on how busy the event loop is: under load (2,000 phones on SQLite, two runs
in three) and once in CI (three phones, the first Next) the facilitator's page went blank.

`keep_finished_runs` changes that one step: when a fragment run starts, everything up to the
last finished page run stays in the queue as it is; only what came after it is cleared, as
Streamlit clears it. Like Streamlit's own clearing, nothing queued before the clearing can
be merged with what the fragment sends next (a merged element would be drawn in the wrong run
and vanish). This reaches into Streamlit's private `AppSession._clear_queue` and
`ForwardMsgQueue._queue`; Streamlit is pinned to 1.67.x and tests/web/test_finished_runs.py
checks both what this fixes and what it could break.
"""

from __future__ import annotations

from collections.abc import Callable

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

_PATCHED = "_tandem_keeps_finished_runs"
# Streamlit's own, as imported (this module is imported before it installs anything).
STREAMLIT_CLEAR_QUEUE = AppSession._clear_queue


def finished_part(messages: list[ForwardMsg]) -> int:
    """How many of `messages` belong to page runs that finished: up to and including the last
    "finished successfully" message (a fragment run finishes with a status of its own)."""
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if (
            message.WhichOneof("type") == "script_finished"
            and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        ):
            return index + 1
    return 0


def clear_for_fragment_run(queue: ForwardMsgQueue, streamlit_clear: Callable[[], None]) -> None:
    """Clear `queue` for a fragment run, keeping every message of finished page runs.

    `streamlit_clear()` is Streamlit's own clearing of `queue`, left to what came after them."""
    waiting = queue.flush()
    kept = finished_part(waiting)
    # The rest, as it was queued: enqueue() would merge messages of different runs that
    # Streamlit kept apart (two toasts at one place, say), and Streamlit's clearing only reads
    # the list. Neither part goes back through enqueue(): after a clearing, nothing sent next
    # may be merged into what was queued before it.
    queue._queue = waiting[kept:]
    streamlit_clear()
    rest = queue.flush()
    queue._queue = waiting[:kept] + rest


def keep_finished_runs() -> bool:
    """Install the change in this process (once); False if it was installed already."""
    if getattr(AppSession, _PATCHED, False):
        return False

    def _clear_queue(self: AppSession, fragment_ids_this_run: list[str] | None = None) -> None:
        if not fragment_ids_this_run:
            STREAMLIT_CLEAR_QUEUE(self, fragment_ids_this_run)
            return
        clear_for_fragment_run(
            self._browser_queue, lambda: STREAMLIT_CLEAR_QUEUE(self, fragment_ids_this_run)
        )

    AppSession._clear_queue = _clear_queue
    setattr(AppSession, _PATCHED, True)
    return True
