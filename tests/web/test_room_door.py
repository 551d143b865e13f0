"""The room's door, from the phones' side: the issue 10 findings, reproduced as requests.

Each test first does what the attacker did; it fails on the code before the fix.
"""

import pytest
from starlette.testclient import TestClient

from tests.web.test_participant import make_app
from workshop.room import live
from workshop.store.schema import participants
from workshop.web import keys
from workshop.web.participant import routes
from workshop.web.participant.routes import COOKIE, ParticipantPages
from workshop.web.participant.waiting import Waiters
from workshop.web.throttle import JoinThrottle


@pytest.fixture
def room(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck, threshold=3)
    live.go_to(sqlite_store, session.id, 1)  # "colour": a single choice, open
    return sqlite_store, live.load(sqlite_store, session.id)


def phone(app) -> TestClient:
    return TestClient(app, follow_redirects=True)


def answer(client, session, choice="1", **headers):
    """Answer "colour" as a phone does: joined first (a phone without a cookie is sent to join)."""
    if not client.cookies.get(COOKIE):
        client.get(f"/j/{session.row.join_code}")
    return client.post(
        f"/j/{session.row.join_code}",
        data={"activity": "colour", "choice": choice},
        headers=headers,
    )


def stored_hashes(store) -> set[str]:
    with store.engine.connect() as connection:
        return {row.token_hash for row in connection.execute(participants.select())}


def test_a_cookie_the_server_never_issued_makes_no_participant(room):
    """Finding 1: any cookie value up to 64 characters was adopted as a token."""
    store, session = room
    app = make_app(store)
    chosen = "attacker-chosen-value"
    client = phone(app)
    client.cookies.set(COOKIE, chosen, path=f"/j/{session.row.join_code}")
    forged_answer = answer(client, session)
    assert "Thank you" not in forged_answer.text  # sent to join first, nothing stored
    assert store.answer_count(session.id, "colour") == 0
    key = keys.participant_key(store)
    assert keys.token_hash(key, session.id, chosen) not in stored_hashes(store)
    # Joining replaces it with a token of the server's own.
    fresh = phone(app)
    fresh.cookies.set(COOKIE, chosen, path=f"/j/{session.row.join_code}")
    page = fresh.get(f"/j/{session.row.join_code}", follow_redirects=False)
    issued = page.cookies.get(COOKIE)
    assert issued and issued != chosen
    assert keys.token_issued(keys.cookie_key(store), session.row.join_code, issued)
    assert keys.token_hash(key, session.id, chosen) not in stored_hashes(store)


def test_a_token_issued_for_one_code_opens_no_other(room, deck):
    store, session = room
    other = live.start_session(store, deck)
    client = phone(make_app(store))
    client.get(f"/j/{session.row.join_code}")
    token = client.cookies.get(COOKIE)
    assert not keys.token_issued(keys.cookie_key(store), other.row.join_code, token)


def test_a_locked_or_full_room_cannot_be_stuffed_with_throwaway_phones(room):
    """Finding 1: one real answer plus answers from throw-away cookie jars made a result
    visible. Once the room is locked (or as full as its headcount), a new jar is turned away."""
    store, session = room  # threshold 3
    app = make_app(store)
    real = phone(app)
    assert "Thank you" in answer(real, session, "2").text
    live.lock_joins(store, session.id, True)
    for _ in range(4):
        jar = phone(app)  # a fresh cookie jar each time
        turned_away = jar.get(f"/j/{session.row.join_code}")
        assert turned_away.status_code == 403 and "This workshop is full" in turned_away.text
        assert "Thank you" not in answer(jar, session, "2").text
    assert store.participant_count(session.id) == 1
    assert store.answer_count(session.id, "colour") == 1
    assert store.session(session.id).turned_away >= 4
    assert "Results appear once 3 people" in real.get(f"/j/{session.row.join_code}").text

    live.lock_joins(store, session.id, False)
    live.set_headcount(store, session.id, 2)
    assert phone(app).get(f"/j/{session.row.join_code}").status_code == 200  # the second
    assert phone(app).get(f"/j/{session.row.join_code}").status_code == 403  # a third: full
    assert store.participant_count(session.id) == 2
    # The phone already in is never turned away, however often it reloads.
    assert real.get(f"/j/{session.row.join_code}").status_code == 200


def test_a_flood_of_cookie_less_visits_is_throttled(room):
    """Finding 1: 1,000 fake joins took 2.6 s and set "joined" to 1,005."""
    store, session = room
    pages = ParticipantPages(store, Waiters())
    now = [0.0]
    pages.joins = JoinThrottle(burst=40, per_second=3.0, clock=lambda: now[0])
    from starlette.applications import Starlette

    app = Starlette(routes=pages.routes())
    statuses = [phone(app).get(f"/j/{session.row.join_code}").status_code for _ in range(200)]
    assert statuses.count(200) == 40 and statuses.count(429) == 160
    assert store.participant_count(session.id) == 40
    waiting = phone(app).get(f"/j/{session.row.join_code}")
    assert waiting.headers["retry-after"] == "3"
    assert '<meta http-equiv="refresh" content="3">' in waiting.text  # tries again by itself
    now[0] += 1.0  # a second later, three more may join
    statuses = [phone(app).get(f"/j/{session.row.join_code}").status_code for _ in range(5)]
    assert statuses.count(200) == 3


def test_moving_on_closes_the_activity_left_behind(room):
    """Finding 1: Next did not close the previous activity; phones kept changing it."""
    store, session = room
    client = phone(make_app(store))
    assert "Thank you" in answer(client, session, "1").text
    live.next_activity(store, session.id)
    assert live.load(store, session.id).state("colour").status == "closed"
    late = answer(client, session, "2")
    assert late.status_code == 409 and "This activity has closed" in late.text
    assert store.answers_for(session.id, "colour")[0].value == 1
    # Kept open on purpose, it stays open.
    live.open_activity(store, session.id, "colour")
    live.next_activity(store, session.id, keep_open=True)
    assert live.load(store, session.id).state("colour").status == "open"


def test_the_wait_endpoint_tells_nothing_without_the_sessions_cookie(room):
    """Finding 7: /j/CODE/wait told anyone the current activity and its status."""
    store, session = room
    stranger = phone(make_app(store))
    real_code = stranger.get(f"/j/{session.row.join_code}/wait")
    unknown_code = stranger.get("/j/ZZZZZZ/wait")
    assert real_code.status_code == unknown_code.status_code == 403
    assert real_code.json() == unknown_code.json() == {"gone": True}
    member = phone(make_app(store))
    member.get(f"/j/{session.row.join_code}")
    assert member.get(f"/j/{session.row.join_code}/wait?v=0").json()["activity"] == "colour"


def test_guessing_codes_is_throttled_but_a_phone_in_the_room_never_waits(room, monkeypatch):
    """Finding 7: about 28 bits of code, 1,400 lookups a second, no throttling."""
    store, session = room
    member = phone(make_app(store))
    member.get(f"/j/{session.row.join_code}")
    app = make_app(store)
    guesser = phone(app)
    statuses = [guesser.get(f"/j/GUESS{n:02d}").status_code for n in range(40)]
    assert statuses[: routes.MISSES_AT_ONCE] == [404] * routes.MISSES_AT_ONCE
    assert set(statuses[routes.MISSES_AT_ONCE :]) == {429}
    # Throttled without looking: a real code answers the same way to a phone without a cookie.
    assert guesser.get(f"/j/{session.row.join_code}").status_code == 429
    # The member's cookie shows it belongs to this code, so it goes straight through.
    member_on_app = phone(app)
    member_on_app.cookies = member.cookies
    assert member_on_app.get(f"/j/{session.row.join_code}").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-site"},  # a page on another port of this host
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://testserver:9999"},
        {"Origin": "null"},
    ],
)
def test_an_answer_sent_from_another_sites_page_is_refused(room, headers):
    """Finding 5: an auto-submitting form on another port changed a participant's answer."""
    store, session = room
    client = phone(make_app(store))
    assert "Thank you" in answer(client, session, "1", **{"Sec-Fetch-Site": "same-origin"}).text
    refused = answer(client, session, "2", **headers)
    assert refused.status_code == 403 and "another site" in refused.text
    assert store.answers_for(session.id, "colour")[0].value == 1
    # The page's own form (same origin) still works, as does a typed address ("none").
    assert "Thank you" in answer(client, session, "0", Origin="http://testserver").text


def test_the_phone_cookie_is_secure_behind_https(room):
    store, session = room
    client = TestClient(make_app(store), follow_redirects=False)
    page = client.get(f"/j/{session.row.join_code}", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in page.headers["set-cookie"]
    plain = TestClient(make_app(store), follow_redirects=False).get(f"/j/{session.row.join_code}")
    assert "Secure" not in plain.headers["set-cookie"]


def test_a_huge_answer_is_refused_without_being_read(room):
    """Finding 4, on the phones' side: every route reads a bounded body."""
    store, session = room
    client = phone(make_app(store))
    client.get(f"/j/{session.row.join_code}")

    def chunks():
        for _ in range(2000):
            yield b"x" * 10_000

    huge = client.post(
        f"/j/{session.row.join_code}",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413 and "too long" in huge.text
    assert store.answer_count(session.id, "colour") == 0


def test_the_last_place_cannot_be_taken_twice_by_several_processes(store, deck):
    """Several app processes (here: several stores, each with its own connections and write
    lock) joining at once never pass the headcount, on SQLite or PostgreSQL."""
    import threading

    from workshop.store import JoinRefused, Store

    session = live.start_session(store, deck)
    live.set_headcount(store, session.id, 10)
    processes = [Store(store.url) for _ in range(6)]
    barrier = threading.Barrier(30)
    refused, errors = [], []

    def phone(number: int) -> None:
        barrier.wait()
        try:
            processes[number % 6].join(session.id, f"{number:064d}")
        except JoinRefused:
            refused.append(number)
        except Exception as error:  # noqa: BLE001 (a thread's error would vanish otherwise)
            errors.append(error)

    threads = [threading.Thread(target=phone, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in processes:
        other.close()
    assert errors == []
    assert store.participant_count(session.id) == 10
    assert len(refused) == 20 and store.session(session.id).turned_away == 20


def test_without_a_headcount_the_room_closes_when_the_first_activity_opens(sqlite_store, deck):
    """The library's default: no number of people given, so the door closes as the workshop
    begins, and the facilitator lets a latecomer in."""
    session = live.start_session(sqlite_store, deck, threshold=5, lock_when_begun=True)
    app = make_app(sqlite_store)
    early = phone(app)
    early.get(f"/j/{session.row.join_code}")
    live.go_to(sqlite_store, session.id, 0)  # an info slide opens nothing: still open
    assert phone(app).get(f"/j/{session.row.join_code}").status_code == 200
    live.go_to(sqlite_store, session.id, 1)  # the first activity opens: the door closes
    assert live.load(sqlite_store, session.id).row.joins_locked
    for _ in range(4):  # the finding's four throw-away jars
        assert phone(app).get(f"/j/{session.row.join_code}").status_code == 403
    assert early.get(f"/j/{session.row.join_code}").status_code == 200
    live.lock_joins(sqlite_store, session.id, False)  # a latecomer, let in
    assert phone(app).get(f"/j/{session.row.join_code}").status_code == 200
    live.go_to(sqlite_store, session.id, 2)  # only the first opening closes the door
    assert not live.load(sqlite_store, session.id).row.joins_locked
    # With a headcount, the count is the door instead.
    counted = live.start_session(sqlite_store, deck, headcount=3, lock_when_begun=True)
    live.go_to(sqlite_store, counted.id, 1)
    assert not live.load(sqlite_store, counted.id).row.joins_locked


def test_the_qr_codes_link_joins_while_guesses_are_throttled(room):
    store, session = room
    app = make_app(store)
    guesser = phone(app)
    for number in range(routes.MISSES_AT_ONCE + 5):
        guesser.get(f"/j/GUESS{number:02d}")
    code = session.row.join_code
    assert phone(app).get(f"/j/{code}").status_code == 429  # typed by hand: waits
    proof = keys.join_proof(keys.cookie_key(store), code)
    assert phone(app).get(f"/j/{code}?k={proof}").status_code == 200  # scanned: joins
    assert phone(app).get(f"/j/{code}?k=forged").status_code == 429


def test_a_phone_that_joined_before_tokens_were_signed_keeps_its_place(room):
    store, session = room
    old_token = "a-token-from-before-signing"
    person = store.join(
        session.id, keys.token_hash(keys.participant_key(store), session.id, old_token)
    )
    client = phone(make_app(store))
    client.cookies.set(COOKIE, old_token, path=f"/j/{session.row.join_code}")
    assert "Thank you" in answer(client, session, "2").text
    assert store.answer_of(session.id, "colour", person).value == 2
    waited = client.get(f"/j/{session.row.join_code}/wait?v=0")
    assert waited.status_code == 200 and waited.json()["activity"] == "colour"  # no reload loop


def test_a_phone_is_told_about_its_privacy_when_it_joins(room):
    store, session = room  # an activity is already on screen
    client = phone(make_app(store))
    first = client.get(f"/j/{session.row.join_code}").text
    assert '<details class="privacy" open>' in first and "no name, no account" in first
    again = client.get(f"/j/{session.row.join_code}").text
    assert '<details class="privacy">' in again  # folded once it has been read
