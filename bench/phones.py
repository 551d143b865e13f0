"""How a room of phones fares against one Tandem process: latency, wake-up, page weight, memory.

    .venv/bin/python bench/phones.py [--phones 300] [--concurrency 50] [--database-url URL]

Starts a real server on 127.0.0.1 (its own SQLite file unless --database-url is given), starts a
session with the built-in deck, then every simulated phone joins, answers a choice, and parks on
the long poll while the facilitator moves on. The facilitator's action is taken from this
process, so the phones are woken by the server's tenth-of-a-second version check: the slower,
multi-process path (a click in the server's own dashboard wakes them directly). The benchmark's
own client shares the machine's cores with the server, so its latencies are pessimistic; the
last figure uses a lighter client to show what the server itself can serve.
Prints figures; asserts nothing. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import random
import tempfile
import time
from pathlib import Path

import httpx2

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.server import Server


def percentiles(label: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    print(
        f"{label:<28} n={len(ordered):<5} p50={at(0.50):7.1f} ms  p90={at(0.90):7.1f} ms  "
        f"p99={at(0.99):7.1f} ms  max={ordered[-1] * 1000:7.1f} ms"
    )


def page_views_per_second(port: int, code: str, cookie: str, seconds: float = 5.0) -> float:
    """A light client (4 threads, keep-alive, no parsing): the server's capacity for reloads."""
    import http.client
    import threading

    views = []

    def reload_loop() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        deadline = time.perf_counter() + seconds
        count = 0
        while time.perf_counter() < deadline:
            connection.request("GET", f"/j/{code}", headers={"Cookie": cookie})
            connection.getresponse().read()
            count += 1
        views.append(count)
        connection.close()

    threads = [threading.Thread(target=reload_loop) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(views) / seconds


def rss_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_phone(
    client: httpx2.AsyncClient, code: str, gate: asyncio.Semaphore, timings: dict
) -> httpx2.AsyncClient:
    async with gate:
        started = time.perf_counter()
        reply = await client.get(f"/j/{code}")
        timings["join"].append(time.perf_counter() - started)
        assert reply.status_code == 200, reply.status_code
        started = time.perf_counter()
        reply = await client.post(
            f"/j/{code}",
            data={"activity": "agreements-ready", "choice": str(random.randrange(2))},
            follow_redirects=True,
        )
        timings["answer"].append(time.perf_counter() - started)
        assert "your answer is in" in reply.text
    return client


async def run(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder), database_url=arguments.database_url)
        store = Store(server.database_url)
        store.migrate()
        server.start()
        try:
            deck = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
            session = live.start_session(store, deck)
            live.go_to(store, session.id, 1)  # "Ready to begin?": a single choice
            # The facilitator expects the room (and the probe below): they may all join at once.
            live.set_headcount(store, session.id, arguments.phones + 1)
            code = session.row.join_code
            base = server.url
            rss_before = rss_megabytes(server.process.pid)

            async with httpx2.AsyncClient(base_url=base) as probe:
                await probe.get(f"/j/{code}")  # warm the server's imports
                html = (await probe.get(f"/j/{code}")).content
                css = (await probe.get("/j/assets/tandem.css")).content
                script = (await probe.get("/j/assets/tandem.js")).content
            total = len(html) + len(css) + len(script)
            zipped = sum(len(gzip.compress(part)) for part in (html, css, script))
            print(f"phone page weight: html {len(html)} B, css {len(css)} B, js {len(script)} B;")
            print(
                f"  first visit {total / 1024:.1f} KiB uncompressed "
                f"({zipped / 1024:.1f} KiB if gzipped)"
            )

            timings: dict[str, list[float]] = {"join": [], "answer": []}
            gate = asyncio.Semaphore(arguments.concurrency)
            # Each client is a phone with its own cookie jar. Made before the clock starts:
            # building one blocks the benchmark's event loop for a few milliseconds.
            clients = [
                httpx2.AsyncClient(base_url=base, timeout=60) for _ in range(arguments.phones)
            ]
            started = time.perf_counter()
            phones = await asyncio.gather(
                *(one_phone(client, code, gate, timings) for client in clients)
            )
            elapsed = time.perf_counter() - started
            print(
                f"{arguments.phones} phones joined and answered in {elapsed:.1f} s "
                f"({2 * arguments.phones / elapsed:.0f} requests/s, "
                f"concurrency {arguments.concurrency})"
            )
            percentiles("join (GET /j/CODE)", timings["join"])
            percentiles("answer (POST + page)", timings["answer"])

            version = store.versions([session.id])[session.id]

            async def park(client: httpx2.AsyncClient) -> float:
                # As the script asks, saying what its page shows: the move brings the new page.
                showing = {"v": version, "a": "agreements-ready", "s": "open"}
                reply = await client.get(f"/j/{code}/wait", params=showing)
                state = reply.json()
                assert state["activity"] == "check-in" and "page" in state
                return time.perf_counter()

            waiting = [asyncio.create_task(park(client)) for client in phones]
            await asyncio.sleep(2)  # every phone parked
            rss_parked = rss_megabytes(server.process.pid)
            acted = time.perf_counter()
            await asyncio.to_thread(live.next_activity, store, session.id)
            woken = await asyncio.gather(*waiting)
            percentiles("wake-up, other process", [moment - acted for moment in woken])
            print(
                f"server memory (RSS): {rss_before:.0f} MB idle with a session, "
                f"{rss_parked:.0f} MB with {arguments.phones} phones parked"
            )
            cookie = "; ".join(f"{name}={value}" for name, value in phones[0].cookies.items())
            rate = await asyncio.to_thread(page_views_per_second, server.port, code, cookie)
            print(f"capacity: {rate:.0f} phone page views/s (4 keep-alive clients, 5 s)")
            answers = store.answer_counts(session.id)["agreements-ready"]
            print(f"answers stored: {answers} of {arguments.phones}")
            for client in phones:
                await client.aclose()
        finally:
            server.stop()
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
