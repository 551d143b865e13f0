"""The one Store and the one set of phone waiters of this app process.

The participant routes (on the server's event loop) and the dashboard pages (in Streamlit's
script threads) run in the same process and share these, so a facilitator's click wakes the
phones at once.
"""

from __future__ import annotations

import functools
import sys

from workshop import keys, live
from workshop.participant.waiting import Waiters
from workshop.store import Store


@functools.cache
def shared_store() -> Store:
    store = Store()
    store.migrate()
    keys.adopt_environment_passcode(store)
    for warning in store.storage_warnings():
        print(f"Warning: {warning}", file=sys.stderr, flush=True)
    return store


@functools.cache
def shared_waiters() -> Waiters:
    waiters = Waiters()
    live.on_change(waiters.wake)
    return waiters
