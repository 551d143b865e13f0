"""The garbage collector as the server sets it: start-up frozen, young collections rarer, and
garbage made afterwards still collected by itself (checked in a fresh interpreter, since the
collector's settings belong to the whole process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

AFTER_SETTLING = textwrap.dedent(
    """
    import gc, weakref
    from workshop.web import collector

    class Node:
        pass

    # Garbage from start-up: a cycle nothing refers to, collected before the freeze.
    before = Node(); before.me = before
    gone_before = weakref.ref(before)
    del before
    collector.settle()
    assert gone_before() is None, "the start-up garbage was frozen instead of collected"
    assert gc.get_freeze_count() > 0, "nothing was frozen"
    assert gc.isenabled()
    assert gc.get_threshold()[0] == collector.YOUNGEST_THRESHOLD

    # A cycle made afterwards is collected without anyone calling gc.collect(): the
    # allocations of a busy server trigger it, as before, only later.
    later = Node(); later.me = later
    gone_later = weakref.ref(later)
    del later
    kept = []
    for number in range(collector.YOUNGEST_THRESHOLD * 20):
        kept.append([number])
        if gone_later() is None:
            break
    assert gone_later() is None, "a cycle made after settling was never collected"
    print("ok")
    """
)


def test_settling_freezes_start_up_and_still_collects_what_comes_after():
    done = subprocess.run(
        [sys.executable, "-c", AFTER_SETTLING], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
