"""A finished page run reaches the browser whole, even when a fragment run starts before the
queue is sent (workshop/web/finished_runs.py), and Streamlit's own clearing still does its work.

The queue is Streamlit's own ForwardMsgQueue and the clearing is AppSession._clear_queue as
installed; `self` is a stand-in holding the queue, the only part of a session it reads.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from workshop.web.finished_runs import STREAMLIT_CLEAR_QUEUE, finished_part, keep_finished_runs

COUNTS = "counts-fragment"  # a self-refreshing fragment, like the control view's counts
TIMER = "timer-fragment"  # another one


def started() -> ForwardMsg:
    message = ForwardMsg()
    message.new_session.SetInParent()
    return message


def finished(status: int = ForwardMsg.FINISHED_SUCCESSFULLY) -> ForwardMsg:
    message = ForwardMsg()
    message.script_finished = status
    return message


def block(path: list[int], fragment: str = "") -> ForwardMsg:
    message = ForwardMsg()
    message.metadata.delta_path[:] = path
    message.delta.add_block.SetInParent()
    message.delta.fragment_id = fragment
    return message


def text(path: list[int], words: str, fragment: str = "") -> ForwardMsg:
    message = ForwardMsg()
    message.metadata.delta_path[:] = path
    message.delta.new_element.markdown.body = words
    message.delta.fragment_id = fragment
    return message


def described(messages: list[ForwardMsg]) -> list[str]:
    said = []
    for message in messages:
        kind = message.WhichOneof("type")
        if kind == "delta":
            content = message.delta.new_element.markdown.body or "block"
            said.append(f"{list(message.metadata.delta_path)} {content}")
        elif kind == "script_finished":
            said.append(f"finished {message.script_finished}")
        else:
            said.append(kind)
    return said


def queued(*messages: ForwardMsg) -> ForwardMsgQueue:
    queue = ForwardMsgQueue()
    for message in messages:
        queue.enqueue(message)
    return queue


def page_run() -> list[ForwardMsg]:
    """A whole run of a page: a title, the counts fragment's block, a column after it."""
    return [
        started(),
        text([0, 0], "title"),
        block([0, 1], COUNTS),
        text([0, 1, 0], "12 joined", COUNTS),
        block([0, 2]),
        text([0, 2, 0], "Next"),
        finished(),
    ]


def clear_for(queue: ForwardMsgQueue, fragment_ids: list[str] | None) -> None:
    keep_finished_runs()
    AppSession._clear_queue(SimpleNamespace(_browser_queue=queue), fragment_ids)


def test_streamlit_alone_drops_a_finished_page_runs_fragment_from_the_queue():
    """What went wrong: the page run's "finished" is kept, its counts block is not, so the
    browser removes the block and the columns after it move up one place."""
    queue = queued(*page_run())
    queue.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=[COUNTS])
    assert "[0, 1] block" not in described(queue.flush())


def test_a_fragment_starting_leaves_a_finished_page_run_whole():
    queue = queued(*page_run())
    clear_for(queue, [COUNTS])
    assert described(queue.flush()) == described(page_run())


def test_a_fragment_run_cut_short_is_still_cleared():
    """What Streamlit's clearing is for: a run of the fragment that never finished leaves no
    half-drawn elements. Another fragment's elements and every run's lifecycle stay."""
    queue = queued(
        *page_run(),
        started(),
        block([0, 1], COUNTS),
        text([0, 1, 0], "13 joined", COUNTS),
        finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN),
        started(),
        block([0, 3], TIMER),
        text([0, 3, 0], "2:59", TIMER),
        finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY),
    )
    clear_for(queue, [COUNTS])
    after_page_run = described(queue.flush())[len(page_run()) :]
    assert after_page_run == [
        "new_session",
        f"finished {ForwardMsg.FINISHED_EARLY_FOR_RERUN}",
        "new_session",
        "[0, 3] block",
        "[0, 3, 0] 2:59",
        # Streamlit's own rule: a fragment run's "finished" no longer cleans up in the browser.
        f"finished {ForwardMsg.FINISHED_EARLY_FOR_RERUN}",
    ]


def test_what_the_fragment_sends_next_is_never_merged_into_the_page_run():
    """Streamlit merges a delta into an earlier one for the same place while both wait in the
    queue. Merged into the finished page run, the fragment's new count would be drawn as part
    of that run and removed when the fragment's own run ends."""
    queue = queued(*page_run())
    clear_for(queue, [COUNTS])
    queue.enqueue(started())
    queue.enqueue(text([0, 1, 0], "13 joined", COUNTS))
    said = described(queue.flush())
    assert said[: len(page_run())] == described(page_run())
    assert said[len(page_run()) :] == ["new_session", "[0, 1, 0] 13 joined"]


def test_a_page_run_starting_clears_as_streamlit_does():
    """A run of the whole page redraws everything: every waiting element goes, as before."""
    ours = queued(*page_run(), started(), text([0, 1, 0], "13 joined", COUNTS))
    streamlit = queued(*page_run(), started(), text([0, 1, 0], "13 joined", COUNTS))
    clear_for(ours, None)
    streamlit.clear(retain_lifecycle_msgs=True)
    assert described(ours.flush()) == described(streamlit.flush())


def test_with_no_finished_page_run_waiting_it_clears_as_streamlit_does():
    ours = queued(started(), block([0, 1], COUNTS), text([0, 2], "other"))
    streamlit = queued(started(), block([0, 1], COUNTS), text([0, 2], "other"))
    clear_for(ours, [COUNTS])
    streamlit.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=[COUNTS])
    assert described(ours.flush()) == ["new_session", "[0, 2] other"]
    assert described(streamlit.flush()) == ["new_session", "[0, 2] other"]


def test_the_finished_part_ends_at_the_last_finished_page_run():
    messages = [*page_run(), started(), finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)]
    assert finished_part(messages) == len(page_run())
    assert finished_part([started(), text([0, 0], "title")]) == 0


def test_installed_once_per_process():
    keep_finished_runs()
    installed = AppSession._clear_queue
    assert keep_finished_runs() is False
    assert AppSession._clear_queue is installed


def toast(words: str, fragment: str) -> ForwardMsg:
    message = ForwardMsg()
    message.metadata.delta_path[:] = [2, 0]  # toasts have a place of their own
    message.delta.new_element.toast.body = words
    message.delta.fragment_id = fragment
    return message


def test_messages_after_the_page_run_stay_as_streamlit_queued_them():
    """Two runs of the screen's fragment each raise a toast at the same place: Streamlit keeps
    both (a clearing starts every run, so messages of two runs are never merged), and so do
    we, in their order, with each run's lifecycle messages where they were."""
    after_page_run = [
        started(),
        toast("A private activity is still open", TIMER),
        finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY),
    ]
    queue = queued(*page_run())
    for _ in range(2):
        queue.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=[TIMER])  # a run starts
        for message in after_page_run:
            queue.enqueue(message)
    streamlit = ForwardMsgQueue()
    streamlit._queue = list(queue._queue)
    clear_for(queue, [COUNTS])
    streamlit.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=[COUNTS])
    ours, theirs = queue.flush(), streamlit.flush()
    assert described(ours[len(page_run()) :]) == described(theirs[-6:])
    assert [
        message.delta.new_element.toast.body
        for message in ours
        if message.delta.new_element.toast.body
    ] == ["A private activity is still open"] * 2


def test_an_empty_list_of_fragments_is_streamlits_own_business():
    ours, streamlit = queued(*page_run()), queued(*page_run())
    clear_for(ours, [])
    streamlit.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=[])
    assert described(ours.flush()) == described(streamlit.flush())


def test_streamlit_still_clears_the_queue_the_way_this_replaces():
    """What the change relies on in Streamlit 1.67, checked so that a patch release cannot make
    it do nothing (Streamlit no longer calling _clear_queue when a run starts) or break every
    run (_clear_queue called with other arguments)."""
    handler = inspect.getsource(AppSession._handle_scriptrunner_event_on_event_loop)
    assert "self._clear_queue(fragment_ids_this_run)" in handler
    parameters = inspect.signature(STREAMLIT_CLEAR_QUEUE).parameters
    assert list(parameters) == ["self", "fragment_ids_this_run"]
    assert isinstance(ForwardMsgQueue()._queue, list)
