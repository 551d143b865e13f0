"""Retention: after the practice's period a session's answers go and its aggregates stay, so
the review and every file show what they showed; each purge is recorded, never its content."""

import json

import pytest

from tests.review.test_archive import _comparable, _finished
from workshop.cli import main
from workshop.renderers.exports import EXPORTS
from workshop.review import archive
from workshop.review.retention import DAY_SECONDS, purge_older_than
from workshop.review.session import review_session
from workshop.room import live
from workshop.store import Store
from workshop.web import runtime

NOW = 1_800_000_000.0


@pytest.fixture
def old_session(sqlite_store, deck):
    """A finished session of 40 days ago; the store's clock then moves to today."""
    sqlite_store.clock = lambda: NOW - 40 * DAY_SECONDS
    session = _finished(sqlite_store, deck)
    sqlite_store.clock = lambda: NOW
    return session


def _answer_rows(store) -> int:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()


def test_a_purged_session_keeps_exactly_what_its_review_showed(sqlite_store, old_session):
    before = review_session(sqlite_store, old_session.id)
    files_before = {name: export.make(before) for name, export in EXPORTS.items()}
    assert purge_older_than(sqlite_store, 30) == [old_session.row.join_code]
    assert _answer_rows(sqlite_store) == 0 and sqlite_store.participant_count(old_session.id) == 0
    after = review_session(sqlite_store, old_session.id)
    assert after.session.row.purged_at == NOW
    assert _comparable(after) == _comparable(before)
    assert EXPORTS["csv"].make(after) == files_before["csv"]
    assert "were purged" in EXPORTS["html"].make(after).decode()
    assert purge_older_than(sqlite_store, 30) == []  # once is enough
    [(what, when)] = sqlite_store.purges()
    assert when == NOW and old_session.row.join_code in what
    assert "Most chose quickly" not in what


def test_a_recent_session_is_not_purged(sqlite_store, old_session):
    assert purge_older_than(sqlite_store, 60) == []
    assert _answer_rows(sqlite_store) > 0
    with pytest.raises(ValueError):
        purge_older_than(sqlite_store, 0)


def test_a_purged_session_moves_in_its_archive_with_what_it_kept(
    sqlite_store, old_session, tmp_path
):
    purge_older_than(sqlite_store, 30)
    data = archive.archive(sqlite_store, old_session.id)
    assert json.loads(data)["answers"] == []
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    other.migrate()
    restored, _ = archive.restore(other, data)
    assert _comparable(review_session(other, restored)) == _comparable(
        review_session(sqlite_store, old_session.id)
    )
    other.close()


def test_workshop_purge_and_the_start_up_purge_follow_the_practice(
    sqlite_store, old_session, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", sqlite_store.url)
    monkeypatch.setenv("WORKSHOP_PRACTICE_FILE", str(tmp_path / "practice.toml"))
    assert main(["purge"]) == 1
    assert "--older-than DAYS" in capsys.readouterr().out
    assert main(["purge", "--older-than", "60"]) == 0
    assert "No session older than 60 days" in capsys.readouterr().out
    (tmp_path / "practice.toml").write_text("[retention]\nkeep_answers_days = 30\n", "utf-8")
    runtime._purge_by_retention(sqlite_store)  # what the server does as it starts
    assert sqlite_store.session(old_session.id).purged_at == NOW


def test_a_session_still_running_is_never_purged(sqlite_store, deck):
    sqlite_store.clock = lambda: NOW - 90 * DAY_SECONDS
    running = live.start_session(sqlite_store, deck)
    sqlite_store.clock = lambda: NOW
    assert purge_older_than(sqlite_store, 30) == []
    assert sqlite_store.session(running.id).purged_at is None


def test_age_counts_from_the_end_of_a_session(sqlite_store, deck):
    sqlite_store.clock = lambda: NOW - 90 * DAY_SECONDS
    session = live.start_session(sqlite_store, deck)
    sqlite_store.clock = lambda: NOW - 10 * DAY_SECONDS  # ended ten days ago, after 80 days
    live.end_session(sqlite_store, session.id)
    sqlite_store.clock = lambda: NOW
    assert purge_older_than(sqlite_store, 30) == []
