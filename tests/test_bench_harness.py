"""bench/room.py, the benchmark harness, run with five phones against a real server and the
plain-app floor, its phones in one worker process and then in two: every phone joins and
answers both questions, the store holds their answers, both moves reach every phone, and the
report has each of its parts. Then with eight phones on two processes behind nginx on
PostgreSQL (`--processes 2`). Behaviour only: no figure of time is asserted."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import types
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "bench"


@pytest.fixture
def room(monkeypatch):
    sys.path.insert(0, str(BENCH))
    # The harness starts its phone workers with multiprocessing's "spawn", which runs the
    # parent's __main__ again in each worker. In the whole suite __main__ is whichever script
    # Streamlit's AppTest ran last (its script runner takes that name), so a worker died
    # running a dashboard page. A __main__ with no file makes the workers import only the
    # harness, as they do when `python bench/room.py` is what runs.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    try:
        import room as module

        yield module
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.parametrize("workers", [1, 2])
def test_five_phones_join_answer_and_the_report_has_every_part(room, tmp_path, capsys, workers):
    # No browser: both moves from another process, no projector (the browser tests cover those).
    arguments = room.parser().parse_args(
        ["--phones", "5", "--workers", str(workers), "--spread", "1", "--think", "0.3"]
        + ["--settle", "0.5", "--facilitator", "other", "--no-projector"]
    )
    figures = asyncio.run(room.run(arguments, folder=tmp_path))

    assert figures.workers == workers
    assert len(figures.worker_lag) == workers  # each worker sent its measurements back
    assert figures.joined == 5
    assert dict(figures.answered) == {"agreements-ready": 5, "check-in": 5}
    assert len(figures.advance) == 2
    assert all(len(shown) == 5 for shown in figures.advance.values())
    assert not figures.errors
    # What the server's database holds, read apart from the harness.
    with contextlib.closing(sqlite3.connect(tmp_path / "tandem.db")) as database:
        stored = dict(
            database.execute(
                "SELECT activity_id, count(*) FROM answers GROUP BY activity_id"
            ).fetchall()
        )
    assert stored == {"agreements-ready": 5, "check-in": 5}
    report = capsys.readouterr().out
    lines = report.splitlines()
    for heading in room.HEADINGS:
        assert any(line.startswith(heading) for line in lines), heading
    plural = "es" if workers > 1 else ""
    assert f"5 phones in {workers} worker process{plural}" in report
    assert "floor: joined 5, answered first 5, second 5" in report
    assert "each worker's event loop late by at worst: 1:" in report


def test_several_processes_behind_nginx_share_the_room(room, tmp_path, capsys, postgres_store):
    """`--processes 2`: two servers on one PostgreSQL schema behind nginx. The phones' requests
    are spread over both, every phone follows both moves, and the database counts each answer
    once. (`postgres_store`: skipped where PostgreSQL is not running, failed in CI.)"""
    from workshop.testing.proxy import nginx_binary

    if nginx_binary() is None:
        pytest.skip("needs nginx: apt-get install -y nginx")
    arguments = room.parser().parse_args(
        ["--phones", "8", "--workers", "1", "--spread", "1", "--think", "0.3"]
        + ["--settle", "0.5", "--facilitator", "other", "--no-projector", "--no-floor"]
        + ["--database", "postgresql", "--processes", "2"]
    )
    figures = asyncio.run(room.run(arguments, folder=tmp_path))

    assert figures.processes == 2
    assert figures.joined == 8
    assert dict(figures.answered) == {"agreements-ready": 8, "check-in": 8}
    assert figures.stored == {"agreements-ready": 8, "check-in": 8}
    assert all(len(shown) == 8 for shown in figures.advance.values())
    assert not figures.errors
    # nginx's log: both processes answered phones, parked long polls among them.
    assert len(figures.spread) == 2
    for counts in figures.spread.values():
        assert counts.get("phone requests (long polls among them)", 0) > 0
        assert counts.get("long polls", 0) > 0
    report = capsys.readouterr().out
    assert "Tandem: 2 processes on one database behind nginx" in report
    assert "nginx's CPU, mean" in report
