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

    class Hiccup:
        """The store, but its first three version checks fail as a dropped connection would."""

        def __init__(self) -> None:
            self.failed = 0

        def versions(self, session_ids):
            if self.failed < 3:
                self.failed += 1
                raise ConnectionError("the database went away for a moment")
            return sqlite_store.versions(session_ids)

    async def scenario():
        waiters = Waiters()
        parked = asyncio.create_task(waiters.wait(session.id, version, timeout=5))
        watching = asyncio.create_task(waiters.watch(Hiccup(), interval=0.02))
        await asyncio.sleep(0.15)  # the first checks failed; the watcher carries on
        sqlite_store.show_activity(session.id, 0, session.deck.activities[0].id)
        woken = await parked
        watching.cancel()
        return woken

    assert run(scenario) is True
    # Said once with the reason while it lasts, and once when it is over.
    failing, recovered = [record for record in caplog.records if record.name.endswith("waiting")]
    assert "trying again" in failing.getMessage() and failing.exc_info
    assert "(3 checks failed)" in recovered.getMessage()


def test_phones_showing_a_result_are_woken_by_new_answers_at_most_once_per_interval(
    sqlite_store, deck
):
    """Answers stored by any process move the session's count of answers taken; the watcher
    wakes the phones following that session's result, but not more often than the throttle
    allows, and never a phone that follows only the facilitator (one still answering)."""
    session = live.start_session(sqlite_store, deck)
    live.go_to(sqlite_store, session.id, 1)  # single choice, open
    version = sqlite_store.versions([session.id])[session.id]
    voters = [sqlite_store.join(session.id, f"hash-{number}") for number in range(3)]
    now = [100.0]

    def answer(voter, choice):
        assert sqlite_store.record_answer(session.id, "colour", voter, passed=False, value=choice)
        return sqlite_store.answers_taken([session.id])[session.id]

    async def scenario():
        waiters = Waiters(results_interval=2.0, clock=lambda: now[0])
        taken = answer(voters[0], 0)
        following = asyncio.create_task(waiters.wait(session.id, version, 5, taken=taken))
        answering = asyncio.create_task(waiters.wait(session.id, version, 5))
        await asyncio.sleep(0.02)
        await waiters.check(sqlite_store)  # nothing new: both still parked
        assert not following.done() and not answering.done()

        taken = answer(voters[1], 1)
        await waiters.check(sqlite_store)
        first_wake = await following
        assert not answering.done()  # a phone mid-answer is never disturbed by answers

        # Back at once with the new count; two more answers (one a change) within the interval.
        again = asyncio.create_task(waiters.wait(session.id, version, 5, taken=taken))
        await asyncio.sleep(0.02)
        answer(voters[2], 2)
        answer(voters[2], 0)
        now[0] += 1.0
        await waiters.check(sqlite_store)
        held_back = not again.done()
        now[0] += 1.0  # the interval has passed: one wake for both answers
        await waiters.check(sqlite_store)
        second_wake = await again
        answering.cancel()
        return first_wake, held_back, second_wake

    assert run(scenario) == (True, True, True)


def test_a_bigger_room_refreshes_each_phone_less_often(sqlite_store, deck):
    """Phones following a result are refreshed no faster than the process can afford: with
    four phones following and two refreshes a second allowed, two seconds pass between wakes."""
    session = live.start_session(sqlite_store, deck)
    live.go_to(sqlite_store, session.id, 1)
    version = sqlite_store.versions([session.id])[session.id]
    voter = sqlite_store.join(session.id, "hash-voter")
    now = [100.0]

    async def scenario():
        waiters = Waiters(results_interval=0.5, refreshes_per_second=2, clock=lambda: now[0])
        followers = [
            asyncio.create_task(waiters.wait(session.id, version, 5, taken=0)) for _ in range(4)
        ]
        answering = asyncio.create_task(waiters.wait(session.id, version, 5))
        await asyncio.sleep(0.02)
        interval = waiters.results_interval(session.id)
        sqlite_store.record_answer(session.id, "colour", voter, passed=False, value=0)
        await waiters.check(sqlite_store)
        await asyncio.sleep(0.02)
        woken = [follower.done() for follower in followers]
        taken = sqlite_store.answers_taken([session.id])[session.id]
        again = [
            asyncio.create_task(waiters.wait(session.id, version, 5, taken=taken)) for _ in range(4)
        ]
        await asyncio.sleep(0.02)
        sqlite_store.record_answer(session.id, "colour", voter, passed=False, value=1)
        now[0] += 1.0  # past the half-second floor, short of the room's two seconds
        await waiters.check(sqlite_store)
        await asyncio.sleep(0.02)
        held_back = not any(task.done() for task in again)
        now[0] += 1.0
        await waiters.check(sqlite_store)
        woken_again = await asyncio.gather(*again)
        disturbed = answering.done()
        answering.cancel()
        return interval, woken + woken_again, held_back and not disturbed

    interval, woken, held_back = run(scenario)
    assert interval == 2.0  # 4 phones following, 2 refreshes a second
    assert woken == [True] * 8 and held_back


def test_a_phone_following_the_result_still_hears_the_facilitator_at_once(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    version = sqlite_store.versions([session.id])[session.id]

    async def scenario():
        waiters = Waiters()
        parked = asyncio.create_task(waiters.wait(session.id, version, 5, taken=0))
        await asyncio.sleep(0.02)
        # A reveal or an approved text: an action, so no throttle and no waiting for the watcher.
        threading.Thread(target=waiters.wake, args=(session.id,)).start()
        return await parked

    assert run(scenario) is True
