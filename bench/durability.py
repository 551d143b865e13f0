"""What durability costs: answers per second with SQLite's synchronous=NORMAL and FULL, and
the kept-alive request time the TCP_NODELAY start-up step exists for.

    .venv/bin/python bench/durability.py [--answers 400] [--threads 8] [--rounds 3]

1. In process: `--threads` threads record `--answers` answers into a fresh SQLite database on
   this disk, once per setting and round, through the real Store (the write lock included).
2. A real server on 127.0.0.1: a kept-alive request against a fresh connection per request. With
   TCP_NODELAY lost, the kept-alive figure would be about 44 ms.
Prints figures; asserts nothing. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import event

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.server import Server


def at(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def answers_with(synchronous: str, answers: int, threads: int) -> tuple[float, list[float]]:
    """Answers per second and each answer's time, with `synchronous` set on every connection."""
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parents[1]) as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")

        @event.listens_for(store.engine, "connect")
        def _setting(connection, _record) -> None:  # runs after the store's own pragmas
            connection.execute(f"PRAGMA synchronous={synchronous}")

        store.migrate()
        deck = load_deck(DECK_FOLDER / "codependency-to-interdependency-90.toml")
        # The deck's first single-choice activity, shown and so opened.
        index, activity = next(
            (index, activity)
            for index, activity in enumerate(deck.activities)
            if activity.kind == "single_choice"
        )
        session = live.start_session(store, deck, threshold=1)
        live.go_to(store, session.id, index)
        participants = [store.join(session.id, f"phone-{number}") for number in range(answers)]
        times: list[float] = []

        def answer(chunk: list[int]) -> None:
            for participant_id in chunk:
                started = time.perf_counter()
                store.record_answer(
                    session.id, activity.id, participant_id, passed=False, value=participant_id % 2
                )
                times.append(time.perf_counter() - started)

        workers = [
            threading.Thread(target=answer, args=(participants[start::threads],))
            for start in range(threads)
        ]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - began
        store.close()
    return answers / elapsed, sorted(times)


def request_times(port: int, requests: int, keep_alive: bool) -> list[float]:
    times = []
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(requests):
        if not keep_alive:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port)
        started = time.perf_counter()
        connection.request("GET", "/_stcore/health")
        connection.getresponse().read()
        times.append(time.perf_counter() - started)
    connection.close()
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()

    print(f"{arguments.answers} answers from {arguments.threads} threads, SQLite on this disk:")
    for synchronous in ("NORMAL", "FULL"):
        rates, p50s, p95s = [], [], []
        for _ in range(arguments.rounds):
            rate, times = answers_with(synchronous, arguments.answers, arguments.threads)
            rates.append(rate)
            p50s.append(at(times, 0.50))
            p95s.append(at(times, 0.95))
        print(
            f"  synchronous={synchronous:<6} {statistics.median(rates):6.0f} answers/s  "
            f"p50 {statistics.median(p50s):5.2f} ms  p95 {statistics.median(p95s):5.2f} ms  "
            f"(median of {arguments.rounds} rounds)"
        )

    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder))
        server.start()
        try:
            request_times(server.port, 20, keep_alive=True)  # warm up
            for keep_alive in (True, False):
                times = request_times(server.port, 200, keep_alive)
                label = "kept-alive connection" if keep_alive else "new connection each"
                print(
                    f"  health check, {label:<22} p50 {at(times, 0.5):5.1f} ms  "
                    f"p95 {at(times, 0.95):5.1f} ms"
                )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
