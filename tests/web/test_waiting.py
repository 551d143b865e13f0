"""Phones parked on a long poll are woken by this process at once, or by the watcher."""

import asyncio
import threading

from workshop.room import live
from workshop.web.participant.waiting import Waiters


def run(scenario):
    """asyncio.run in a thread of its own: unaffected by any loop another test left behind."""
    outcome = {}

    def target():
        outcome["value"] = asyncio.run(scenario())

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome["value"]


def test_a_wake_from_another_thread_releases_every_waiter():
    async def scenario():
        waiters = Waiters()
        parked = [asyncio.create_task(waiters.wait(7, 3, timeout=5)) for _ in range(50)]
        await asyncio.sleep(0.05)
        assert waiters.count == 50
        # A facilitator's click arrives on a Streamlit script thread, not on the loop.
        threading.Thread(target=waiters.wake, args=(7,)).start()
        woken = await asyncio.gather(*parked)
        return woken, waiters.count

    woken, left = run(scenario)
    assert woken == [True] * 50
    assert left == 0


def test_a_wait_times_out_and_tidies_up():
    async def scenario():
        waiters = Waiters()
        result = await waiters.wait(1, 1, timeout=0.05)
        return result, waiters.count, waiters._events

    assert run(scenario) == (False, 0, {})


def test_waking_one_session_leaves_the_others_waiting():
    async def scenario():
        waiters = Waiters()
        mine = asyncio.create_task(waiters.wait(1, 1, timeout=0.3))
        other = asyncio.create_task(waiters.wait(2, 1, timeout=0.3))
        await asyncio.sleep(0.02)
        waiters.wake(1)
        return await mine, await other

    assert run(scenario) == (True, False)


def test_the_watcher_wakes_phones_for_a_change_made_by_another_process(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    version = sqlite_store.versions([session.id])[session.id]

    async def scenario():
        waiters = Waiters()
        parked = asyncio.create_task(waiters.wait(session.id, version, timeout=5))
        await asyncio.sleep(0.02)
        await waiters.check(sqlite_store)  # nothing changed yet: still parked
        assert not parked.done()
        # Another process writes straight to the database; no listener here hears it.
        sqlite_store.show_activity(session.id, 0, session.deck.activities[0].id)
        await waiters.check(sqlite_store)
        return await parked

    assert run(scenario) is True


def test_the_watcher_survives_a_failing_database_and_says_so(sqlite_store, deck, caplog):
    session = live.start_session(sqlite_store, deck)
    version = sqlite_store.versions([session.id])[session.id]

    class HiccupOnce:
        """The store, but its first version check fails as a dropped connection would."""

        def __init__(self) -> None:
            self.failed = False

        def versions(self, session_ids):
            if not self.failed:
                self.failed = True
                raise ConnectionError("the database went away for a moment")
            return sqlite_store.versions(session_ids)

    async def scenario():
        waiters = Waiters()
        parked = asyncio.create_task(waiters.wait(session.id, version, timeout=5))
        watching = asyncio.create_task(waiters.watch(HiccupOnce(), interval=0.02))
        await asyncio.sleep(0.1)  # the first check failed; the watcher carries on
        sqlite_store.show_activity(session.id, 0, session.deck.activities[0].id)
        woken = await parked
        watching.cancel()
        return woken

    assert run(scenario) is True
    [record] = [record for record in caplog.records if record.name.endswith("waiting")]
    assert "trying again" in record.getMessage() and record.exc_info
