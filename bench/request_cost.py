"""What each kind of phone request costs the server, in CPU milliseconds.

    .venv/bin/python bench/request_cost.py [--phones 500] [--concurrency 20]
        [--database sqlite|postgresql|URL] [--deck codependency-to-interdependency-90]

A Tandem server on 127.0.0.1 with its own database, a session on the deck at its first
question, and phones (each its own cookie jar) that go through the room in steps, every phone
finishing one step before any starts the next:

1. join: the first visit (GET /j/CODE, which sets the cookie);
2. answer: the form sent and the redirect followed (POST, then GET);
0. asset and code form, for comparison: the script file, and the page to type a code in
   (no database);
3. page: the page reloaded after answering (it shows the room's result);
4. results: the results section alone, as the script fetches it when answers arrive;
5. wait: the long poll answered at once (the phone's version is out of date);
6. move + page: the facilitator moves on to the next question, and every phone's long poll
   (saying what its page shows) answers with the new page, the question none of them has
   answered yet; after move: the same page reloaded, as a phone without the script does;
7. projector: the projector's refresh, as the room a facilitator's screen reads
   (live.room, in this process, against the same database, with every answer in): the first
   read of a process that has read none of them, and the refreshes after it.

For each step: the server's CPU time (the process and its children, from /proc) divided by
the requests made, and the latency p50/p95 as the phones saw it. CPU per request is the figure
to watch when optimising: unlike latency, it hardly moves with what else the machine is doing,
and the server's CPU is what runs out first (one Python process, one core's worth at most).

Prints figures; asserts nothing. Only loopback addresses are used. Nothing identifies anyone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).parent))

import harness  # noqa: E402
import room  # noqa: E402

from workshop.room import live  # noqa: E402
from workshop.store import Store  # noqa: E402


async def step(
    name: str,
    phones: list,
    concurrency: int,
    server_pid: int,
    action: Callable[[object], Awaitable[int]],
) -> None:
    """Every phone does `action` (which returns how many requests it made), `concurrency` at
    a time; prints the server CPU per request and the latency percentiles."""
    limit = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    requests = 0

    async def one(phone: object) -> None:
        nonlocal requests
        async with limit:
            started = time.perf_counter()
            made = await action(phone)
            requests += made
            latencies.append(time.perf_counter() - started)

    cpu_before = harness.tree_cpu_seconds(server_pid)
    wall_before = time.perf_counter()
    await asyncio.gather(*(one(phone) for phone in phones))
    wall = time.perf_counter() - wall_before
    cpu = harness.tree_cpu_seconds(server_pid) - cpu_before
    per_request = cpu / requests * 1000 if requests else float("nan")
    print(
        f"  {name:<11} {requests:>6} requests  server CPU {per_request:6.2f} ms/request"
        f"  ({cpu:5.1f} s over {wall:5.1f} s)"
        f"  latency p50 {harness.milliseconds(harness.percentile(latencies, 0.5)):>8}"
        f"  p95 {harness.milliseconds(harness.percentile(latencies, 0.95)):>8}"
    )


async def measure(arguments: argparse.Namespace) -> None:
    deck = harness.built_in_deck(arguments.deck)
    first = next(index for index, activity in enumerate(deck.activities) if activity.answerable)
    chance = random.Random(13)
    with (
        harness.temporary_folder() as folder,
        harness.database(arguments.database, folder) as url,
        harness.running_server(folder, database_url=url) as (server, store),
    ):
        session = harness.start_session(store, deck, index=first, headcount=arguments.phones)
        code = session.row.join_code
        assert server.process is not None
        pid = server.process.pid
        # A phone forgets an idle connection before the server's keep-alive (5 s) closes it.
        clients = [
            httpx2.AsyncClient(
                base_url=server.url, timeout=60, limits=httpx2.Limits(keepalive_expiry=2)
            )
            for _number in range(arguments.phones)
        ]
        pages: dict[int, room.Page] = {}
        print(
            f"{arguments.phones} phones, {arguments.concurrency} at a time, deck {arguments.deck},"
            f" on {arguments.database}"
        )

        async def join(client) -> int:
            reply = await client.get(f"/j/{code}")
            reply.raise_for_status()
            pages[id(client)] = room.Page.read(reply.text)
            return 1

        async def answer(client) -> int:
            page = pages[id(client)]
            assert page.form is not None, "the phone was shown no form"
            reply = await client.post(f"/j/{code}", data=room.as_form(page.form.answer(chance)))
            assert reply.status_code == 303, reply.status_code
            reply = await client.get(f"/j/{code}")
            reply.raise_for_status()
            pages[id(client)] = room.Page.read(reply.text)
            return 2

        async def reload(client) -> int:
            (await client.get(f"/j/{code}")).raise_for_status()
            return 1

        async def results(client) -> int:
            page = pages[id(client)]
            reply = await client.get(f"/j/{code}/results", params={"activity": page.activity})
            reply.raise_for_status()
            return 1

        async def wait(client) -> int:
            page = pages[id(client)]
            reply = await client.get(f"/j/{code}/wait", params={"v": "0", "t": page.taken or "0"})
            reply.raise_for_status()
            return 1

        async def asset(client) -> int:
            (await client.get("/j/assets/tandem.js")).raise_for_status()
            return 1

        async def code_form(client) -> int:
            (await client.get("/j")).raise_for_status()
            return 1

        try:
            await step("asset", clients, arguments.concurrency, pid, asset)
            await step("code form", clients, arguments.concurrency, pid, code_form)
            await step("join", clients, arguments.concurrency, pid, join)
            await step("answer", clients, arguments.concurrency, pid, answer)
            await step("page", clients, arguments.concurrency, pid, reload)
            await step("results", clients, arguments.concurrency, pid, results)
            await step("wait", clients, arguments.concurrency, pid, wait)
            following = next(
                index
                for index, activity in enumerate(deck.activities)
                if index > first and activity.answerable
            )
            moved_from = deck.activities[first].id

            async def moved(client) -> int:
                # The script's long poll, still showing the answered question: the move comes
                # with the new page.
                parameters = {"v": "0", "a": moved_from, "s": "open"}
                reply = await client.get(f"/j/{code}/wait", params=parameters)
                reply.raise_for_status()
                assert "page" in reply.json(), "the move came without the page"
                return 1

            live.go_to(store, session.id, following)
            await step("move + page", clients, arguments.concurrency, pid, moved)
            await step("after move", clients, arguments.concurrency, pid, reload)
        finally:
            await asyncio.gather(*(client.aclose() for client in clients))
        stored = len(store.answers_for(session.id, deck.activities[first].id))
        # Cold: a process that has read none of the answers yet (after every facilitator
        # action, the room's answers are read whole once). Warm: the refreshes after it.
        fresh = Store(store.url)
        try:
            started = time.perf_counter()
            live.room(fresh, session.id)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            refreshes = 20
            for _refresh in range(refreshes):
                live.room(fresh, session.id)
            warm = (time.perf_counter() - started) / refreshes
        finally:
            fresh.close()
        print(
            f"  projector  live.room with {stored} answers stored: {cold * 1000:.1f} ms the"
            f" first time, {warm * 1000:.1f} ms each refresh after"
        )


def main() -> None:
    made = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    made.add_argument("--phones", type=int, default=500)
    made.add_argument("--concurrency", type=int, default=20)
    made.add_argument("--database", default="sqlite", help="sqlite, postgresql or a URL")
    made.add_argument("--deck", default=harness.DEFAULT_DECK, help="a built-in deck's id")
    asyncio.run(measure(made.parse_args()))


if __name__ == "__main__":
    main()
