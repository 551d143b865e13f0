"""Issue 10 measured again: each finding's attack, repeated against a real server.

    .venv/bin/python bench/attacks.py [--seconds 10] [--flood 1000] [--clients 4]

Starts a real server on 127.0.0.1 with its own SQLite file in a temporary folder (and, for the
first-run finding, a second one with no passcode; for uploads under a sub-path, a third),
then repeats the requests each finding of issue 10 was measured with. For each it prints the
figure the issue reported before the fix (kept below as constants, quoted from the issue) and
the figure measured now.

    1. fake joins: a flood of cookie-less visits; throw-away cookie jars against the three
       doors a facilitator can have (the library's default, a headcount, none) and a locked
       room                                                                (issue finding 1)
    2. a cookie value chosen by the attacker                               (issue finding 1)
    3. passcode guessing from 25 parallel clients; the lock-out and `workshop unlock`
                                                                           (issue finding 2)
    4. logins at once with the right passcode; ending a facilitator's login: logout,
       `workshop passcode`                                                 (issue finding 3)
    5. 200 MB bodies posted to the login form and to an answer             (issue finding 4)
    6. forms sent from another site (another port of this host)            (issue finding 5)
    7. first-run setup reached through a reverse proxy on the laptop       (issue finding 6)
    8. join-code guessing, new phones joining meanwhile through the QR code's link and by
       a typed code; the wait endpoint                                     (issue finding 7)
    9. security headers                                                    (issue finding 8)
   10. files through Streamlit's own upload route, without and with a login, and with
       Streamlit's server.baseUrlPath set (a third server)                 (not in the issue)

The waits between wrong passcodes grow to a minute, so the lock-out (after 20 wrong ones in a
row) would take 13 minutes to reach honestly; finding 3 reaches it by skipping each wait in the
database (it says so). The benchmark's client shares the machine's cores with the server, so
rates are pessimistic. Rooms other than finding 1's are started as an API caller starts them
(live.start_session's defaults: no headcount, the door left open), so that phones can join
after the first activity opened. Prints figures; asserts nothing. Only loopback addresses are
used.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import harness
import httpx2

from workshop.curriculum.decks import parse_deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.server import PASSCODE, Server, free_port, run_workshop
from workshop.web import door, keys

# What issue 10 measured before the fix, quoted from it.
BEFORE_FLOOD = "1,000 fake joins took 2.6 s, all let in: 'joined' went to 1,005"
BEFORE_STUFFING = "1 real answer + 4 throw-away cookie jars made the result visible (threshold 5)"
BEFORE_FORGED = "any cookie value up to 64 characters was adopted as a participant token"
BEFORE_GUESSES = "25 parallel clients: 30 passcodes checked a second, none refused"
BEFORE_AFTER_200 = "the right passcode still worked right after 200 wrong ones"
BEFORE_SAME_SECOND = "two logins in the same second got identical cookies (expiry.HMAC)"
# Not from the issue: what the fix of the login throttle says it changed (c60921b).
BEFORE_REFUSED_AT_ONCE = (
    "a right passcode that lost the compare-and-swap to one sent at once was refused"
)
BEFORE_LOGOUT = "after logout the old cookie still opened /control"
BEFORE_NEW_PASSCODE = "after a new passcode the old cookie still opened /control"
BEFORE_BODY = "200 MB POST to /facilitator/login: server RSS 519 MB -> 706 MB (+187 MB)"
BEFORE_CROSS_ANSWER = "an auto-submitting form on another port of the host changed the answer"
BEFORE_CROSS_LOGOUT = "a cross-site POST to /facilitator/logout logged the facilitator out"
BEFORE_SETUP = "with Forwarded or X-Real-IP (not X-Forwarded-For), visitors got the setup form"
BEFORE_CODES = "about 28 bits, 1,400 lookups a second, no throttling"
BEFORE_WAIT = "/j/CODE/wait told anyone without a cookie the current activity and status"
BEFORE_HEADERS = "the dashboard shell had no frame-ancestors and no X-Frame-Options"

ACTIVITY = "colour"
OPTIONS = ["Red", "Green", "Blue"]
DECK = {
    "id": "attacks",
    "title": "Attacks",
    "activities": [
        {"id": "hello", "kind": "info", "title": "Hello", "minutes": 1},
        {
            "id": ACTIVITY,
            "kind": "single_choice",
            "title": "Pick a colour",
            "minutes": 2,
            "options": OPTIONS,
        },
    ],
}
PHONE_COOKIE = "tandem"
LOGIN_COOKIE = "tandem_facilitator"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
MEGABYTE = 1024 * 1024
BASE_PATH = "tandem"  # server.baseUrlPath, as a sub-path behind a reverse proxy would set it
SETUP_LINK = re.compile(r"/facilitator/setup\?token=([A-Za-z0-9_-]+)")
RESULT_LINE = re.compile(
    r'<span class="label">([^<]*)</span>\s*(?:<span class="count">(\d+)</span>)?'
)


# Small helpers -------------------------------------------------------------------------------


class Bench:
    """The server under attack, a store beside it, and the passcode as it stands now."""

    def __init__(self, server: Server, store: Store, url: str | None = None) -> None:
        self.server = server
        self.store = store
        self.url = url or server.url
        self.passcode = PASSCODE

    def client(self, **options) -> httpx2.Client:
        """A fresh client: its own cookie jar, redirects not followed."""
        return harness.phone(self.url, timeout=120, **options)

    def room(
        self,
        *,
        threshold: int = 5,
        headcount: int | None = None,
        lock_when_begun: bool = False,
        opened: bool = True,
    ) -> tuple[live.Live, str]:
        """A live session on the one-question deck, with "colour" open if `opened` (else still
        on the join slide); (session, join code). The door's defaults are live.start_session's,
        what an API caller gets: no headcount, and the room left open when the first activity
        opens (the library ticks `lock_when_begun`)."""
        session = harness.start_session(
            self.store,
            parse_deck(DECK),
            index=1 if opened else None,
            threshold=threshold,
            headcount=headcount,
            lock_when_begun=lock_when_begun,
        )
        return session, session.row.join_code

    def proof(self, code: str) -> str:
        """What the QR code on the projector adds to the join link (`?k=`)."""
        return keys.join_proof(keys.cookie_key(self.store), code)

    def rss(self) -> float:
        return harness.rss_megabytes(self.server.process.pid)


def heading(number: int, finding: int | None, title: str) -> None:
    print()
    source = f"issue 10, finding {finding}" if finding else "not in issue 10"
    print(f"{number}. {title} ({source})")


def before(text: str) -> None:
    print(f"   before: {text}")


def now(text: str) -> None:
    print(f"   now:    {text}")


def also(text: str) -> None:
    print(f"           {text}")


def tally(statuses: list[int] | list[str]) -> str:
    counted = collections.Counter(statuses)
    return (
        ", ".join(
            f"{count} x {status}"
            for status, count in sorted(counted.items(), key=lambda item: str(item[0]))
        )
        or "none"
    )


def join(bench: Bench, code: str) -> tuple[httpx2.Client, httpx2.Response]:
    """A phone with a fresh cookie jar opens the join page."""
    phone = bench.client()
    return phone, phone.get(f"/j/{code}")


def answer(phone: httpx2.Client, code: str, choice: int, **headers: str) -> httpx2.Response:
    return phone.post(
        f"/j/{code}", data={"activity": ACTIVITY, "choice": str(choice)}, headers=headers
    )


def stored_choice(bench: Bench, session: live.Live, token: str | None) -> str:
    """The answer the database holds for the phone with this cookie token."""
    if not token:
        return "no cookie"
    hashed = keys.token_hash(keys.participant_key(bench.store), session.id, token)
    participant_id = bench.store.participant(session.id, hashed)
    if participant_id is None:
        return "no participant"
    found = bench.store.answer_of(session.id, ACTIVITY, participant_id)
    return "none" if found is None else OPTIONS[found.value]


def shown_result(page: str) -> list[tuple[str, int | None]] | None:
    """The result lines a phone page shows, or None if it shows no result."""
    if "What the room said" not in page:
        return None
    return [(label, int(count) if count else None) for label, count in RESULT_LINE.findall(page)]


def login(bench: Bench, passcode: str | None = None, **headers: str) -> httpx2.Response:
    with bench.client() as browser:
        return browser.post(
            "/facilitator/login",
            data={"passcode": passcode or bench.passcode, "next": "/control"},
            headers={**SAME_ORIGIN, **headers},
        )


def login_cookie(reply: httpx2.Response) -> str | None:
    return reply.cookies.get(LOGIN_COOKIE)


def control_with(bench: Bench, cookie: str | None) -> str:
    """What GET /control answers to a browser sending this login cookie."""
    with bench.client() as browser:
        headers = {"Cookie": f"{LOGIN_COOKIE}={cookie}"} if cookie else {}
        reply = browser.get("/control", headers=headers)
    if reply.status_code == 200:
        return "200, the dashboard"
    return f"{reply.status_code} to {reply.headers.get('location', '?')}"


def run_threads(count: int, work: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=work, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# 1. Fake joins -------------------------------------------------------------------------------

# The doors a facilitator can have: (label, headcount, lock_when_begun, real phones).
LIBRARY_DEFAULT = (
    "the library's default (lock_when_begun=True, no headcount: the door closes as the first "
    "activity opens)"
)
NO_PROTECTION = (
    "no protection at all (lock_when_begun=False, no headcount: what an API caller of "
    "live.start_session gets; the library starts one only if its box is unticked)"
)
DOORS = (
    (LIBRARY_DEFAULT, None, True, 1),
    ("a headcount of 5, the room not yet full", 5, True, 1),
    ("a headcount of 5, the room full", 5, True, 5),
    (NO_PROTECTION, None, False, 1),
)


def fake_joins(bench: Bench, flood: int, clients: int) -> None:
    heading(1, 1, "Fake joins: cookie-less visits and throw-away cookie jars")
    before(BEFORE_FLOOD)
    for label, lock_when_begun in (
        ("no protection (lock_when_begun=False, no headcount: what the issue measured)", False),
        ("the library's default, after its first activity opened", True),
    ):
        session, code = bench.room(lock_when_begun=lock_when_begun, opened=False)
        bench.client().get(f"/j/{code}").close()  # warm the server (one participant)
        live.go_to(bench.store, session.id, 1)  # the first activity opens
        statuses, elapsed, newcomers = flood_visits(bench, code, flood, clients)
        row = bench.store.session(session.id)
        now(
            f"{label}: {flood} cookie-less GET /j/{code} from {clients} clients took "
            f"{elapsed:.1f} s: {tally(statuses)}"
        )
        also(
            f"'joined' afterwards: {bench.store.participant_count(session.id)} "
            f"(1 warm-up visit + {statuses.count(200)} let in + {newcomers.count(200)} real); "
            f"turned_away = {row.turned_away}"
        )
        also(f"meanwhile, a real phone joining every 0.5 s: {tally(newcomers)}")

    before(BEFORE_STUFFING)
    for label, headcount, lock_when_begun, real_phones in DOORS:
        session, code = bench.room(
            threshold=5, headcount=headcount, lock_when_begun=lock_when_begun, opened=False
        )
        # The people in the room join while the join slide is up; then the activity opens.
        phones = [join(bench, code)[0] for _ in range(real_phones)]
        live.go_to(bench.store, session.id, 1)
        answer(phones[0], code, 1)  # the real person picks Green; the others have not answered
        closed = bench.store.session(session.id).joins_locked
        got_in, jars = stuff(bench, code, jars=10)
        seen = shown_result(jars[-1].get(f"/j/{code}").text) if got_in else None
        row = bench.store.session(session.id)
        now(f"{label}:")
        also(
            f"{real_phones} real phone(s) joined before the activity opened, 1 answered Green; "
            f"door closed when it opened: {'yes' if closed else 'no'}; then 10 fresh cookie "
            f"jars: {got_in} got in and answered, {10 - got_in} turned away; "
            f"'joined' = {bench.store.participant_count(session.id)}, "
            f"turned_away = {row.turned_away}"
        )
        also(f"result visible to the attacker's phone: {describe_result(seen, got_in)}")
        reloaded = phones[0].get(f"/j/{code}").status_code
        also(f"the real phone reloading its page: {reloaded}")
        for client in [*phones, *jars]:
            client.close()

    # What docs/security.md leaves alone: jars that join before the first activity opens.
    session, code = bench.room(threshold=5, lock_when_begun=True, opened=False)
    real, _ = join(bench, code)
    early = [join(bench, code)[0] for _ in range(4)]
    live.go_to(bench.store, session.id, 1)
    answer(real, code, 1)
    got_in = sum(answer(jar, code, 1).status_code == 303 for jar in early)
    seen = shown_result(early[-1].get(f"/j/{code}").text) if got_in else None
    now(
        "the library's default, 4 attacker jars joined with 1 real phone BEFORE the first "
        f"activity opened (left alone in docs/security.md): {got_in} of them answered Green"
    )
    also(f"result visible to the attacker's phone: {describe_result(seen, got_in)}")
    for client in [real, *early]:
        client.close()

    session, code = bench.room(threshold=5)
    real, _ = join(bench, code)
    answer(real, code, 1)
    live.lock_joins(bench.store, session.id, True)
    got_in, jars = stuff(bench, code, jars=10)
    reloaded = real.get(f"/j/{code}").status_code
    now(
        f"live.lock_joins after 1 real phone: 10 fresh cookie jars, {got_in} got in; "
        f"'joined' = {bench.store.participant_count(session.id)}; "
        f"the real phone reloading: {reloaded}"
    )
    for client in [real, *jars]:
        client.close()


def flood_visits(
    bench: Bench, code: str, flood: int, clients: int
) -> tuple[list[int], float, list[int]]:
    """`flood` cookie-less visits to /j/CODE from `clients` clients while a real phone tries to
    join every half second; (the visits' statuses, seconds taken, the real phone's statuses)."""
    statuses: list[int] = []
    newcomers: list[int] = []
    lock = threading.Lock()
    remaining = [flood]

    def visitor(_number: int) -> None:
        with bench.client() as client:
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                client.cookies.clear()  # every visit is a new phone
                status = client.get(f"/j/{code}").status_code
                with lock:
                    statuses.append(status)

    def newcomer() -> None:
        time.sleep(0.2)
        while remaining[0] > 0:
            phone, page = join(bench, code)
            phone.close()
            newcomers.append(page.status_code)
            time.sleep(0.5)

    beside = threading.Thread(target=newcomer)
    beside.start()
    started = time.perf_counter()
    run_threads(clients, visitor)
    elapsed = time.perf_counter() - started
    beside.join()
    return statuses, elapsed, newcomers


def stuff(bench: Bench, code: str, jars: int) -> tuple[int, list[httpx2.Client]]:
    """Throw-away cookie jars join and answer Green; how many got in, and the jars."""
    got_in = 0
    clients = []
    for _ in range(jars):
        jar, page = join(bench, code)
        clients.append(jar)
        if page.status_code == 200 and jar.cookies.get(PHONE_COOKIE):
            if answer(jar, code, 1).status_code == 303:
                got_in += 1
    # The last jar that got in is the attacker's view; keep it last.
    clients.sort(key=lambda jar: jar.cookies.get(PHONE_COOKIE) is not None)
    return got_in, clients


def describe_result(seen: list[tuple[str, int | None]] | None, got_in: int) -> str:
    if seen is None:
        return "no" if got_in else "no (no jar got in to look)"
    lines = ", ".join(f"{label} {count}" if count is not None else label for label, count in seen)
    counts = dict(seen)
    if counts.get("Green") is not None:
        lines += (
            f"; minus the attacker's {got_in} Green, the real person's answer is read off "
            f"(Green {counts['Green'] - got_in} of them)"
        )
    return f"YES: {lines}"


# 2. A forged cookie --------------------------------------------------------------------------


def forged_cookie(bench: Bench) -> None:
    heading(2, 1, "A cookie value chosen by the attacker")
    session, code = bench.room(threshold=1)
    participant_key = keys.participant_key(bench.store)
    before(BEFORE_FORGED)
    for forged in ("attacker-chosen-value", "A" * 32 + "." + "B" * 22):  # the shape of ours
        cookie = {"Cookie": f"{PHONE_COOKIE}={forged}"}
        with bench.client() as client:
            posted = client.post(
                f"/j/{code}", data={"activity": ACTIVITY, "choice": "2"}, headers=cookie
            )
            page = client.get(f"/j/{code}", headers=cookie)
        issued = page.cookies.get(PHONE_COOKIE)
        hashed = keys.token_hash(participant_key, session.id, forged)
        adopted = bench.store.participant(session.id, hashed) is not None
        replaced = issued is not None and issued != forged
        now(
            f"Cookie: {PHONE_COOKIE}={forged[:24]}{'...' if len(forged) > 24 else ''}: "
            f"POST answer {posted.status_code} to {posted.headers.get('location')}, "
            f"GET {page.status_code}; a row with its hash: {'YES' if adopted else 'no'}; "
            f"the server set its own token instead: {'yes' if replaced else 'no'}"
        )
    other, other_code = bench.room(threshold=1)
    phone, _ = join(bench, code)
    token = phone.cookies.get(PHONE_COOKIE)
    with bench.client() as client:
        page = client.get(f"/j/{other_code}", headers={"Cookie": f"{PHONE_COOKIE}={token}"})
    hashed = keys.token_hash(participant_key, other.id, token)
    also(
        f"a token issued for {code} sent to {other_code}: {page.status_code}, adopted there: "
        f"{'YES' if bench.store.participant(other.id, hashed) else 'no'}"
    )
    also(f"answers stored in the session: {bench.store.answer_count(session.id, ACTIVITY)}")
    phone.close()


# 3. Passcode guessing ------------------------------------------------------------------------


def passcode_guessing(bench: Bench, seconds: float) -> None:
    heading(3, 2, "Guessing the facilitator's passcode")
    open_login = login_cookie(login(bench))  # a facilitator already logged in
    replies: list[tuple[float, int]] = []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds

    def guesser(number: int) -> None:
        with bench.client() as client:
            attempt = 0
            while time.monotonic() < deadline:
                attempt += 1
                reply = client.post(
                    "/facilitator/login", data={"passcode": f"wrong-{number}-{attempt}"}
                )
                with lock:
                    replies.append((time.monotonic() - started, reply.status_code))

    run_threads(25, guesser)
    elapsed = time.monotonic() - started
    statuses = [status for _, status in replies]
    checked, refused = statuses.count(401), statuses.count(429)
    before(BEFORE_GUESSES)
    now(
        f"25 parallel clients for {elapsed:.1f} s: {len(statuses)} attempts, "
        f"{checked} checked (401, {checked / elapsed:.1f}/s), "
        f"{refused} refused (429, {refused / elapsed:.0f}/s); all: {tally(statuses)}"
    )
    per_second = collections.Counter(int(at) for at, status in replies if status == 401)
    also(
        "checked in each second: "
        + " ".join(str(per_second.get(second, 0)) for second in range(int(elapsed) + 1))
    )

    # The waits grow to 60 s; skip each in the database so that 200 wrong passcodes can be
    # sent in seconds rather than hours.
    statuses = []
    locked_at = None
    with bench.client() as client:
        for attempt in range(200):
            failures = door.failures(bench.store)
            bench.store.put_setting(door.SETTING, json.dumps({"failures": failures, "next_at": 0}))
            reply = client.post("/facilitator/login", data={"passcode": f"wrong-{attempt}"})
            statuses.append(reply.status_code)
            if locked_at is None and door.is_locked(bench.store):
                locked_at = attempt + 1
    before(BEFORE_AFTER_200)
    now(
        f"200 more wrong passcodes, each wait skipped in the database: {tally(statuses)}; "
        f"locked after {door.failures(bench.store)} wrong in a row "
        f"(at the {locked_at}th of these 200)"
    )
    right = login(bench)
    locked = "logging in is locked" in right.text
    also(
        f"then the right passcode: {right.status_code}"
        f"{', locked' if locked else ''}, cookie set: {'yes' if login_cookie(right) else 'no'}"
    )
    also(f"a login opened before the attack, meanwhile: /control {control_with(bench, open_login)}")
    unlocked = run_workshop(bench.server.database_url, "unlock")
    printed = unlocked.stdout.strip().splitlines()[0] if unlocked.stdout.strip() else ""
    also(f"`workshop unlock`: exit {unlocked.returncode}, {printed!r}")
    right = login(bench)
    also(
        f"then the right passcode: {right.status_code} to {right.headers.get('location')}, "
        f"cookie set: {'yes' if login_cookie(right) else 'no'}"
    )


# 4. Ending a login ---------------------------------------------------------------------------


def ending_logins(bench: Bench) -> None:
    heading(4, 3, "Logins at once; ending a facilitator's login")
    before(BEFORE_SAME_SECOND)
    before(BEFORE_REFUSED_AT_ONCE)
    for size, rounds in ((2, 5), (3, 3), (4, 3)):
        statuses: list[int] = []
        same_second = differ = shared = 0
        refusals: set[str] = set()
        for _round in range(rounds):
            group = logins_at_once(bench, size)  # the right passcode, `size` times at once
            statuses += [reply.status_code for reply in group]
            refusals |= {notice(reply.text) for reply in group if reply.status_code != 303}
            let_in = [reply for reply in group if reply.status_code == 303]
            if len(let_in) >= 2:
                shared += 1
                same_second += len({reply.headers["date"] for reply in let_in}) == 1
                differ += len({login_cookie(reply) for reply in let_in}) == len(let_in)
            time.sleep(1)
        refused = len(statuses) - statuses.count(303)
        now(
            f"{rounds} rounds of {size} logins at once with the right passcode: {refused} of "
            f"{len(statuses)} refused ({tally(statuses)}); of the {shared} rounds with 2 or "
            f"more let in, {same_second} in the same second, {differ} with all cookies different"
        )
        for refusal in sorted(refusals):
            also(f"a refused right passcode was told: {refusal!r}")
    time.sleep(1)  # the throttle's moment passes
    first, second = login(bench), login(bench)
    seconds = [parsedate_to_datetime(reply.headers["date"]).second for reply in (first, second)]
    now(
        f"two logins one after the other: {first.status_code}, {second.status_code}, "
        f"at second :{seconds[0]:02d} and :{seconds[1]:02d} by the Date header; "
        f"cookies differ: {login_cookie(first) != login_cookie(second)}"
    )
    secure = login(bench, **{"X-Forwarded-Proto": "https"}).headers.get("set-cookie", "")
    also(f"behind https (X-Forwarded-Proto: https): Set-Cookie {cookie_flags(secure)}")
    also(f"over http: Set-Cookie {cookie_flags(first.headers.get('set-cookie', ''))}")

    cookie = login_cookie(first)
    opened = control_with(bench, cookie)
    with bench.client() as browser:
        logged_out = browser.post(
            "/facilitator/logout",
            headers={**SAME_ORIGIN, "Cookie": f"{LOGIN_COOKIE}={cookie}"},
        )
    before(BEFORE_LOGOUT)
    now(
        f"/control with the cookie: {opened}; POST /facilitator/logout (same-origin): "
        f"{logged_out.status_code}; then the same cookie value: {control_with(bench, cookie)}"
    )
    also(f"the other login of that pair, meanwhile: {control_with(bench, login_cookie(second))}")

    older = login_cookie(login(bench))
    new_passcode = "a-new-passcode-for-the-bench"
    changed = run_workshop(
        bench.server.database_url, "passcode", stdin=f"{new_passcode}\n{new_passcode}\n"
    )
    before(BEFORE_NEW_PASSCODE)
    now(
        f"`workshop passcode`: exit {changed.returncode}; an older login then: "
        f"{control_with(bench, older)}"
    )
    old, new = login(bench, PASSCODE), login(bench, new_passcode)
    also(f"log in with the old passcode: {old.status_code}; with the new one: {new.status_code}")
    if new.status_code == 303:
        bench.passcode = new_passcode


def logins_at_once(bench: Bench, size: int) -> list[httpx2.Response]:
    """`size` logins with the right passcode, released together."""
    group: list[httpx2.Response] = []
    barrier = threading.Barrier(size)

    def one(_number: int) -> None:
        barrier.wait()
        group.append(login(bench))

    run_threads(size, one)
    return group


def notice(page: str) -> str:
    """The alert a form page shows."""
    found = re.search(r'role="alert">([^<]*)<', page)
    return found.group(1) if found else "(no message)"


def cookie_flags(set_cookie: str) -> str:
    return "; ".join(part.strip() for part in set_cookie.split(";")[1:]) or "(none)"


# 5. Huge bodies ------------------------------------------------------------------------------


def huge_bodies(bench: Bench, megabytes: int = 200) -> None:
    heading(5, 4, f"{megabytes} MB bodies")
    session, code = bench.room(threshold=1)
    phone, _ = join(bench, code)
    token = phone.cookies.get(PHONE_COOKIE)
    phone.close()
    before(BEFORE_BODY)
    for path, cookie in (
        ("/facilitator/login", None),
        (f"/j/{code}", f"{PHONE_COOKIE}={token}"),
    ):
        for declared in (False, True):
            rss_before = bench.rss()
            status, sent, seconds = post_huge(bench, path, megabytes, declared, cookie)
            time.sleep(0.5)
            rss_after = bench.rss()
            how = "with Content-Length" if declared else "chunked, no length"
            now(
                f"POST {path} ({how}): {status} after {sent / MEGABYTE:.1f} MB sent "
                f"in {seconds:.1f} s; server RSS {rss_before:.0f} -> {rss_after:.0f} MB "
                f"({rss_after - rss_before:+.0f} MB)"
            )
    with bench.client() as client:
        health = client.get("/_stcore/health").status_code
    also(f"the server afterwards: /_stcore/health {health}")


def post_huge(
    bench: Bench, path: str, megabytes: int, declared: bool, cookie: str | None
) -> tuple[str, int, float]:
    """Stream `megabytes` of form data; (status or what happened, bytes sent, seconds)."""
    sent = [0]
    chunk = b"passcode=" + b"a" * (MEGABYTE - 9)

    def body() -> Iterator[bytes]:
        for _ in range(megabytes):
            sent[0] += len(chunk)
            yield chunk

    headers = {"Content-Type": "application/x-www-form-urlencoded", **SAME_ORIGIN}
    if declared:
        headers["Content-Length"] = str(megabytes * MEGABYTE)
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    try:
        with bench.client() as client:
            reply = client.post(path, content=body(), headers=headers)
            status = str(reply.status_code)
    except httpx2.HTTPError as error:
        status = f"{type(error).__name__} (the server closed the connection)"
    return status, sent[0], time.perf_counter() - started


# 6. Cross-site forms -------------------------------------------------------------------------


def cross_site(bench: Bench) -> None:
    heading(6, 5, "Forms sent from another site")
    session, code = bench.room(threshold=1)
    phone, _ = join(bench, code)
    token = phone.cookies.get(PHONE_COOKIE)
    answer(phone, code, 0, **SAME_ORIGIN)  # the phone's own choice: Red
    other_port = free_port()
    before(BEFORE_CROSS_ANSWER)
    for label, headers in (
        ("Sec-Fetch-Site: same-site", {"Sec-Fetch-Site": "same-site"}),
        ("Sec-Fetch-Site: cross-site", {"Sec-Fetch-Site": "cross-site"}),
        (f"Origin: http://127.0.0.1:{other_port}", {"Origin": f"http://127.0.0.1:{other_port}"}),
        ("Origin: null", {"Origin": "null"}),
    ):
        reply = answer(phone, code, 2, **headers)
        now(
            f"answer Blue with {label}: {reply.status_code}; "
            f"stored answer: {stored_choice(bench, session, token)}"
        )
    reply = answer(phone, code, 2, **SAME_ORIGIN)
    also(
        f"control, the phone's own page (same-origin): {reply.status_code}; "
        f"stored answer: {stored_choice(bench, session, token)}"
    )
    phone.close()

    before(BEFORE_CROSS_LOGOUT)
    cookie = login_cookie(login(bench))
    for label, headers in (
        ("Sec-Fetch-Site: cross-site", {"Sec-Fetch-Site": "cross-site"}),
        ("Sec-Fetch-Site: same-site", {"Sec-Fetch-Site": "same-site"}),
        (f"Origin: http://127.0.0.1:{other_port}", {"Origin": f"http://127.0.0.1:{other_port}"}),
    ):
        with bench.client() as browser:
            reply = browser.post(
                "/facilitator/logout", headers={**headers, "Cookie": f"{LOGIN_COOKIE}={cookie}"}
            )
        now(
            f"POST /facilitator/logout with {label}: {reply.status_code}; "
            f"/control then: {control_with(bench, cookie)}"
        )
    with bench.client() as browser:
        reply = browser.get("/facilitator/logout", headers={"Cookie": f"{LOGIN_COOKIE}={cookie}"})
    also(
        f"GET /facilitator/logout (a link or image): {reply.status_code}; /control then: "
        f"{control_with(bench, cookie)}"
    )
    with bench.client() as browser:
        reply = browser.post(
            "/facilitator/login",
            data={"passcode": bench.passcode},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
    also(f"a cross-site login POST (login CSRF) with the right passcode: {reply.status_code}")


# 7. First-run setup behind a proxy -----------------------------------------------------------


def first_run_setup(folder: Path) -> None:
    heading(7, 6, "First-run setup through a reverse proxy on the laptop")
    server = Server(folder, passcode=None)
    server.start()
    try:
        before(BEFORE_SETUP)
        with httpx2.Client(base_url=server.url, timeout=60) as visitor:
            for label, headers in (
                ("no proxy header", {}),
                ("Forwarded: for=203.0.113.7", {"Forwarded": "for=203.0.113.7"}),
                ("X-Real-IP: 203.0.113.7", {"X-Real-IP": "203.0.113.7"}),
                ("X-Forwarded-For: 203.0.113.7", {"X-Forwarded-For": "203.0.113.7"}),
            ):
                reply = visitor.get("/facilitator/setup", headers=headers)
                shown = 'name="passcode"' in reply.text
                now(
                    f"GET /facilitator/setup, {label}: {reply.status_code}, "
                    f"form shown: {'YES' if shown else 'no'}"
                )
            guessed = visitor.get("/facilitator/setup", params={"token": "guessed"})
            also(f"with a guessed token: {guessed.status_code}")
            link = setup_link(server.log)
            if link is None:
                also("no setup link found in the server's log")
                return
            reply = visitor.get("/facilitator/setup", params={"token": link})
            shown = 'name="passcode"' in reply.text
            also(
                f"the link from the server's log (/facilitator/setup?token={link[:6]}...): "
                f"{reply.status_code}, form shown: {'yes' if shown else 'no'}"
            )
            chosen = visitor.post(
                "/facilitator/setup",
                data={"token": link, "passcode": "first-passcode", "again": "first-passcode"},
                headers=SAME_ORIGIN,
            )
            also(
                f"choosing a passcode through it: {chosen.status_code}, login cookie set: "
                f"{'yes' if chosen.cookies.get(LOGIN_COOKIE) else 'no'}"
            )
            again = visitor.get("/facilitator/setup", params={"token": link})
            also(
                f"the same link afterwards: {again.status_code} to {again.headers.get('location')}"
            )
    finally:
        server.stop()


def setup_link(log: Path) -> str | None:
    for _ in range(50):
        found = SETUP_LINK.search(log.read_text(errors="replace"))
        if found:
            return found.group(1)
        time.sleep(0.1)
    return None


# 8. Join-code guessing -----------------------------------------------------------------------


def code_guessing(bench: Bench, seconds: float, clients: int) -> None:
    heading(8, 7, "Guessing join codes")
    _, code = bench.room(threshold=1)  # no door: new phones may join all along
    _, other_code = bench.room(threshold=1)
    proof = bench.proof(code)
    member, _ = join(bench, code)  # a phone already in the room
    # Every half second during the guessing, a new phone visits each of these.
    visits = {
        f"through the QR code's link, /j/{code}?k={proof[:4]}...": f"/j/{code}?k={proof}",
        f"by the code typed by hand, /j/{code}": f"/j/{code}",
        "with a forged proof, ?k=forged": f"/j/{code}?k=forged",
        f"with the proof of another session's code ({other_code})": (
            f"/j/{code}?k={bench.proof(other_code)}"
        ),
        "with the right proof on a random code": f"/j/{random_code(code)}?k={proof}",
    }
    before(BEFORE_CODES)
    statuses, elapsed, seen, reloads = guessing(bench, code, member, seconds, clients, visits)
    missed = statuses.count(404)
    now(
        f"{clients} clients for {elapsed:.1f} s: {len(statuses) / elapsed:.0f} lookups/s of "
        f"random codes, {missed} answered 404 ({missed / elapsed:.1f}/s), "
        f"{statuses.count(429)} refused 429; all: {tally(statuses)}"
    )
    also(f"meanwhile, every 0.5 s a new phone joining the real code {code}:")
    for label, results in seen.items():
        also(f"  {label}: {tally(results)}")
    also(f"  and the phone already in, reloading: {tally(reloads)}")

    visits = dict(list(visits.items())[:2])
    statuses, elapsed, seen, reloads = guessing(bench, code, member, seconds, 1, visits, pace=2.0)
    now(f"1 client, 2 lookups/s, for {elapsed:.1f} s: {tally(statuses)}; meanwhile new phones:")
    for label, results in seen.items():
        also(f"  {label}: {tally(results)}")
    also(f"  and the phone already in, reloading: {tally(reloads)}")
    waited = time.monotonic()
    while time.monotonic() - waited < 90:
        newcomer = bench.client()
        page = newcomer.get(f"/j/{code}")
        newcomer.close()
        if page.status_code != 429:
            break
        time.sleep(0.5)
    also(
        f"after the guessing stopped, a new phone typing the code could join again after "
        f"{time.monotonic() - waited:.1f} s ({joined(page)})"
    )

    before(BEFORE_WAIT)
    fake = random_code(code)
    token = member.cookies.get(PHONE_COOKIE)
    with bench.client() as client:
        for label, path, headers in (
            ("real code, no cookie", f"/j/{code}/wait", {}),
            ("unknown code, no cookie", f"/j/{fake}/wait", {}),
            (
                "unknown code, the real code's cookie",
                f"/j/{fake}/wait",
                {"Cookie": f"{PHONE_COOKIE}={token}"},
            ),
            ("real code, the QR code's proof, no cookie", f"/j/{code}/wait?k={proof}", {}),
        ):
            reply = client.get(path, headers=headers)
            now(f"GET /j/CODE/wait, {label}: {reply.status_code} {reply.text.strip()}")
        reply = client.get(f"/j/{code}/wait", headers={"Cookie": f"{PHONE_COOKIE}={token}"})
        also(f"the phone in the room, with its cookie: {reply.status_code} {reply.text.strip()}")
    member.close()


def joined(reply: httpx2.Response) -> str:
    """What a new phone's visit came to: in (a cookie set), or which refusal."""
    if reply.status_code == 200 and reply.cookies.get(PHONE_COOKIE):
        return "200 joined"
    if reply.status_code == 429:
        return "429 guesses throttled" if "Too many tries" in reply.text else "429 joins throttled"
    return str(reply.status_code)


def random_code(real: str) -> str:
    while True:
        guess = "".join(random.choice(live.JOIN_ALPHABET) for _ in range(live.JOIN_CODE_LENGTH))
        if guess != real:
            return guess


def guessing(
    bench: Bench,
    code: str,
    member: httpx2.Client,
    seconds: float,
    clients: int,
    visits: dict[str, str],
    pace: float | None = None,
) -> tuple[list[int], float, dict[str, list[str]], list[int]]:
    """`clients` look up random codes for `seconds` (each at most `pace` a second); meanwhile,
    every half second, a new phone visits each of `visits` (label: path) and `member` reloads
    its page. (The lookups' statuses, seconds taken, what each visit came to, the member's.)"""
    statuses: list[int] = []
    seen: dict[str, list[str]] = {label: [] for label in visits}
    reloads: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def guesser(_number: int) -> None:
        with bench.client() as client:
            while time.monotonic() < deadline:
                status = client.get(f"/j/{random_code(code)}").status_code
                with lock:
                    statuses.append(status)
                if pace:
                    time.sleep(1 / pace)

    def room_phones() -> None:
        time.sleep(0.2)
        while time.monotonic() < deadline:
            for label, path in visits.items():
                with bench.client() as newcomer:
                    seen[label].append(joined(newcomer.get(path)))
            reloads.append(member.get(f"/j/{code}").status_code)
            time.sleep(0.5)

    beside = threading.Thread(target=room_phones)
    beside.start()
    started = time.monotonic()
    run_threads(clients, guesser)
    elapsed = time.monotonic() - started
    beside.join()
    return statuses, elapsed, seen, reloads


# 9. Security headers -------------------------------------------------------------------------


HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "referrer-policy",
    "x-content-type-options",
    "cache-control",
)


def security_headers(bench: Bench) -> None:
    heading(9, 8, "Security headers")
    before(BEFORE_HEADERS)
    cookie = login_cookie(login(bench))
    session, code = bench.room(threshold=1)
    phone, _ = join(bench, code)
    with bench.client() as client:
        pages = (
            ("/ (no login)", client.get("/")),
            ("/ (logged in)", client.get("/", headers={"Cookie": f"{LOGIN_COOKIE}={cookie}"})),
            ("/j", client.get("/j")),
            ("/j/CODE (a phone)", phone.get(f"/j/{code}")),
            ("/facilitator/login", client.get("/facilitator/login")),
        )
    for label, reply in pages:
        now(f"{label}: {reply.status_code}")
        for name in HEADERS:
            also(f"  {name}: {reply.headers.get(name, '(absent)')}")
    phone.close()


# 10. Files through Streamlit's own upload route ------------------------------------------------


BEFORE_UPLOADS = (
    "not in the issue; until c60921b anyone who opened a websocket could park 100 MB files in "
    "the server's memory (docs/security.md)"
)


def streamlit_uploads(bench: Bench, megabytes: int = 100) -> None:
    """Not in the issue: Streamlit's file-upload route beside ours. Its websocket passes no
    middleware, so anyone who can reach the port gets a session id, and the upload route's
    XSRF check is a double-submit (a cookie and a header the client picks itself): what stands
    in the way is the gate's check of the facilitator's login and server.maxUploadSize."""
    heading(10, None, "Files through Streamlit's own upload route, without and with a login")
    address = f"ws://127.0.0.1:{bench.server.port}/_stcore/stream"
    before(BEFORE_UPLOADS)
    with streamlit_session(address, None) as session_id:
        now(
            f"websocket {address}, no cookie: a session id {'given' if session_id else 'not given'}"
        )
        if session_id is None:
            return
        rss_before = bench.rss()
        status, sent = upload(bench, session_id, "big", megabytes * MEGABYTE, None)
        time.sleep(0.5)
        now(
            f"PUT /_stcore/upload_file/<session>/big ({megabytes} MB, no login): {status} "
            f"after {sent / MEGABYTE:.1f} MB sent; server RSS {rss_before:.0f} -> "
            f"{bench.rss():.0f} MB"
        )
        for label, cookie in (("no login", None), ("a made-up login cookie", "made-up")):
            status, _ = upload(bench, session_id, "small", 10 * 1024, cookie)
            also(f"PUT a 10 KB file, {label}: {status}")
        with bench.client() as client:
            reply = client.delete(
                f"/_stcore/upload_file/{session_id}/small", headers=xsrf_headers(None)
            )
        also(f"DELETE /_stcore/upload_file/<session>/small, no login: {reply.status_code}")

    cookie = login_cookie(login(bench))
    with streamlit_session(address, cookie) as session_id:
        now(
            f"the dashboard's own flow: logged in, websocket with the login cookie: a session "
            f"id {'given' if session_id else 'not given'}"
        )
        if session_id is None:
            return
        for label, size, chunked in (
            ("2 MB, with Content-Length", 2 * MEGABYTE, False),
            ("2 MB, chunked, no length", 2 * MEGABYTE, True),
            ("10 KB (a deck file)", 10 * 1024, False),
            ("900 KB", 900 * 1024, False),
            ("1 MB exactly", MEGABYTE, False),
        ):
            rss_before = bench.rss()
            status, sent = upload(bench, session_id, "deck", size, cookie, chunked=chunked)
            also(
                f"PUT /_stcore/upload_file/<session>/deck, {label}, logged in: {status} "
                f"({sent / 1024:.0f} KB sent; server RSS {rss_before:.0f} -> {bench.rss():.0f} MB)"
            )
    time.sleep(1)
    also(f"a second after the websockets closed: server RSS {bench.rss():.0f} MB")
    anonymous_websockets(bench, address)


@contextlib.contextmanager
def streamlit_session(address: str, cookie: str | None) -> Iterator[str | None]:
    """A websocket as the dashboard's page opens it (with the login cookie if given), held open
    while the block runs; Streamlit's session id for it, or None."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    headers = {"Cookie": f"{LOGIN_COOKIE}={cookie}"} if cookie else None
    with connect(address, subprotocols=["streamlit"], additional_headers=headers) as websocket:
        websocket.send(rerun_message())
        session_id = None
        deadline = time.monotonic() + 30
        while session_id is None and time.monotonic() < deadline:
            message = ForwardMsg()
            message.ParseFromString(websocket.recv(timeout=30))
            if message.WhichOneof("type") == "new_session":
                session_id = message.new_session.initialize.session_id
        yield session_id


def rerun_message() -> bytes:
    """What the dashboard's page sends first: run the script."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    rerun = BackMsg()
    rerun.rerun_script.query_string = ""
    rerun.rerun_script.page_script_hash = ""
    return rerun.SerializeToString()


def xsrf_headers(cookie: str | None) -> dict[str, str]:
    """Streamlit's double-submit XSRF check, passed with a value the client chose, and the
    facilitator's login cookie if given."""
    xsrf = secrets.token_hex(32)
    cookies = [f"_streamlit_xsrf={xsrf}"] + ([f"{LOGIN_COOKIE}={cookie}"] if cookie else [])
    return {"X-Xsrftoken": xsrf, "Cookie": "; ".join(cookies)}


def upload(
    bench: Bench,
    session_id: str,
    name: str,
    size: int,
    cookie: str | None,
    chunked: bool = False,
    prefix: str = "",
) -> tuple[str, int]:
    """PUT a file of `size` bytes as the file uploader does (multipart); (status or what
    happened, bytes sent)."""
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="deck.toml"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    sent = [0]

    def body() -> Iterator[bytes]:
        for part in (head, *file_chunks(size), tail):
            sent[0] += len(part)
            yield part

    headers = {
        **xsrf_headers(cookie),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    if not chunked:
        headers["Content-Length"] = str(len(head) + size + len(tail))
    try:
        with bench.client() as client:
            reply = client.put(
                f"{prefix}/_stcore/upload_file/{session_id}/{name}",
                content=body(),
                headers=headers,
            )
            status = f"{reply.status_code} {reply.text.strip()[:40]}".strip()
    except httpx2.HTTPError as error:
        status = f"{type(error).__name__} (the server closed the connection)"
    return status, sent[0]


def file_chunks(size: int) -> Iterator[bytes]:
    while size > 0:
        step = min(size, MEGABYTE)
        size -= step
        yield b"\0" * step


def anonymous_websockets(bench: Bench, address: str, count: int = 100) -> None:
    """What is still open to anyone: the websocket itself, each running the dashboard's script
    (which shows only the way to log in)."""
    from websockets.sync.client import connect

    rss_before = bench.rss()
    opened = 0
    with contextlib.ExitStack() as stack:
        try:
            for _ in range(count):
                websocket = stack.enter_context(connect(address, subprotocols=["streamlit"]))
                websocket.send(rerun_message())
                opened += 1
            time.sleep(2)
            also(
                f"{opened} websockets held open without a login, each running the script: "
                f"server RSS {rss_before:.0f} -> {bench.rss():.0f} MB"
            )
        except Exception as error:  # a benchmark reports, never stops
            also(f"after {opened} websockets without a login: {type(error).__name__}: {error}")


def base_path_uploads(folder: Path, files: int = 50) -> None:
    """Streamlit's own option for serving under a sub-path behind a reverse proxy,
    server.baseUrlPath: Streamlit's routes move under it, the phones' and the login's do not."""
    print()
    print(f"10b. The same, with server.baseUrlPath = {BASE_PATH} (not in issue 10)")
    os.environ["STREAMLIT_SERVER_BASE_URL_PATH"] = BASE_PATH
    try:
        server = Server(folder)
        server.url = f"{server.url}/{BASE_PATH}"  # where its health check answers
        server.start()
    finally:
        del os.environ["STREAMLIT_SERVER_BASE_URL_PATH"]
    bench = Bench(server, Store(server.database_url), server.url.removesuffix(f"/{BASE_PATH}"))
    try:
        with bench.client() as client:
            for path in ("/control", f"/{BASE_PATH}/control"):
                reply = client.get(path)
                where = reply.headers.get("location")
                now(
                    f"GET {path}, no login: {reply.status_code}"
                    + (f" to {where}" if where else " (Streamlit's shell)")
                )
        address = f"ws://127.0.0.1:{server.port}/{BASE_PATH}/_stcore/stream"
        with streamlit_session(address, None) as session_id:
            also(f"websocket {address}, no cookie: a session id {'given' if session_id else 'not'}")
            if session_id is None:
                return
            for prefix in ("", f"/{BASE_PATH}"):
                status, _ = upload(bench, session_id, "deck", 10 * 1024, None, prefix=prefix)
                also(f"PUT {prefix}/_stcore/upload_file/<session>/deck (10 KB, no login): {status}")
            rss_before = bench.rss()
            statuses = [
                upload(
                    bench, session_id, f"file-{number}", 900 * 1024, None, prefix=f"/{BASE_PATH}"
                )[0]
                for number in range(files)
            ]
            time.sleep(0.5)
            also(
                f"{files} files of 900 KB to /{BASE_PATH}/_stcore/upload_file/<session>/file-N, "
                f"no login: {tally(statuses)}; server RSS {rss_before:.0f} -> "
                f"{bench.rss():.0f} MB while the websocket stays open"
            )
    finally:
        server.stop()
        bench.store.close()


# Running it ----------------------------------------------------------------------------------


def section(action: Callable[[], None]) -> None:
    """One finding; a failure is printed and the next finding still runs."""
    try:
        action()
    except Exception as error:  # a benchmark reports, never stops
        print(f"   FAILED to measure: {type(error).__name__}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of guessing, each time")
    parser.add_argument("--flood", type=int, default=1000, help="cookie-less visits")
    parser.add_argument("--clients", type=int, default=4, help="clients for floods")
    arguments = parser.parse_args()
    started = time.monotonic()
    with (
        harness.temporary_folder("tandem-attacks-") as folder,
        harness.running_server(folder) as (server, store),
    ):
        bench = Bench(server, store)
        print(f"Server on {server.url} (pid {server.process.pid}), database {server.database}")
        section(lambda: fake_joins(bench, arguments.flood, arguments.clients))
        section(lambda: forged_cookie(bench))
        section(lambda: passcode_guessing(bench, arguments.seconds))
        section(lambda: ending_logins(bench))
        section(lambda: huge_bodies(bench))
        section(lambda: cross_site(bench))
        first_run = Path(folder) / "first-run"
        first_run.mkdir()
        section(lambda: first_run_setup(first_run))
        section(lambda: code_guessing(bench, arguments.seconds, arguments.clients))
        section(lambda: security_headers(bench))
        section(lambda: streamlit_uploads(bench))
        base_path = Path(folder) / "base-path"
        base_path.mkdir()
        section(lambda: base_path_uploads(base_path))
    print()
    print(f"Done in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
