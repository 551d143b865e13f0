"""The one Store and the one set of phone waiters of this app process.

The participant routes (on the server's event loop) and the dashboard pages (in Streamlit's
script threads) run in the same process and share these, so a facilitator's click wakes the
phones at once.
"""

from __future__ import annotations

import functools
import sys

from workshop.room import live
from workshop.store import Store
from workshop.web import keys
from workshop.web.participant.waiting import Waiters


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
