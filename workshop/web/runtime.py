"""The one Store and the one set of phone waiters of this app process.

The participant routes (on the server's event loop) and the dashboard pages (in Streamlit's
script threads) run in the same process and share these, so a facilitator's click wakes the
phones at once.
"""

from __future__ import annotations

import functools
import sys

from workshop.curriculum.decks import CurriculumError
from workshop.curriculum.practice import load_practice, practice_file
from workshop.room import live
from workshop.room.moderation import DEFAULT_FLAGS, FlagList, flag_list_for
from workshop.store import Store, database_url
from workshop.store.sqlite_file import DatabaseLocationError
from workshop.web import keys
from workshop.web.faults import is_database_trouble, startup_problem
from workshop.web.participant.waiting import Waiters


@functools.cache
def shared_store() -> Store:
    """The store, opened and migrated at start-up.

    A database that cannot be used (a folder that cannot be written, a full disk, a network
    share, PostgreSQL not answering) stops the server with one sentence saying what to do,
    instead of a traceback: SystemExit(1).
    """
    try:
        return _open_store()
    except DatabaseLocationError as problem:
        message = str(problem)
    except Exception as error:
        if not is_database_trouble(error):
            raise
        message = startup_problem(database_url(), error)
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(1)


def _open_store() -> Store:
    store = Store()
    try:
        store.migrate()
        keys.adopt_environment_passcode(store)
    except Exception:
        store.close()
        raise
    for warning in store.storage_warnings():
        print(f"Warning: {warning}", file=sys.stderr, flush=True)
    _purge_by_retention(store)
    return store


def _purge_by_retention(store: Store) -> None:
    """At start-up: purge answers older than the practice's retention period, if it sets one."""
    try:
        days = load_practice(practice_file()).retention.keep_answers_days
    except CurriculumError:
        return  # the library names the problem with the practice file
    if days is not None:
        # Imported here, not at the top: the review's statistics and tables (scipy, pandas)
        # would otherwise be loaded into every server, retention or not (about 130 MB).
        from workshop.review.retention import purge_older_than

        purged = purge_older_than(store, days)
        if purged:
            print(f"Retention: kept only the aggregates of {len(purged)} session(s).", flush=True)


@functools.cache
def safety_flags() -> FlagList:
    """The practice's list of phrases that flag open text for a quiet check-in."""
    try:
        return flag_list_for(load_practice(practice_file()))
    except CurriculumError:
        return DEFAULT_FLAGS  # a broken practice file must never switch flagging off


@functools.cache
def shared_waiters() -> Waiters:
    waiters = Waiters()
    live.on_change(waiters.wake)
    return waiters
