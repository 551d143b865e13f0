"""The JSON archive: a session out of one database and back into another, identical; no token,
no hash, no order of joining; a damaged or newer archive refused with a message."""

import contextlib
import json

import pytest

from tests.conftest import postgres_schema
from workshop.review import archive
from workshop.review.session import add_observation, review_session
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal
from workshop.store import Store


def _finished(store, deck):
    session = start_rehearsal(store, deck, people=7, threshold=3)
    for index, activity in enumerate(deck.activities):
        live.go_to(store, session.id, index)
        if activity.answerable and live.load(store, session.id).state(activity.id).status == "open":
            live.close_activity(store, session.id, activity.id)
    live.reveal(store, session.id, "reflect")
    for item in store.moderation_queue(session.id, "say")[1:3]:
        live.moderate(store, session.id, item.answer_id, "approved")
    add_observation(store, session.id, "colour", "Most chose quickly.")
    store.set_headcount(session.id, 8)
    live.end_session(store, session.id)
    return session


def _comparable(review):
    """Everything a counselor sees of a reviewed session, without database ids."""
    return (
        review.session.row.join_code,
        review.session.row.headcount,
        review.session.deck,
        review.session.states,
        review.joined,
        review.agenda,
        [
            (item.activity.id, item.result, [n.text for n in item.observations])
            for item in review.activities
        ],
        review.comparisons,
    )


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_session_comes_back_identical_in_another_database(sqlite_store, deck, tmp_path, target):
    session = _finished(sqlite_store, deck)
    data = archive.archive(sqlite_store, session.id)
    with postgres_schema() if target == "postgresql" else contextlib.nullcontext() as url:
        other = Store(url or f"sqlite:///{tmp_path / 'other.db'}")
        other.migrate()
        restored, code = archive.restore(other, data)
        assert code == session.row.join_code
        assert _comparable(review_session(other, restored)) == _comparable(
            review_session(sqlite_store, session.id)
        )
        # The same queue of written answers, the same actions at the same times.
        assert sorted(item.text for item in other.moderation_queue(restored, "say")) == sorted(
            item.text for item in sqlite_store.moderation_queue(session.id, "say")
        )
        assert other.events(restored) == sqlite_store.events(session.id)
        other.close()


def test_the_archive_holds_no_token_hash_or_order_of_joining(sqlite_store, deck):
    session = _finished(sqlite_store, deck)
    text = archive.archive(sqlite_store, session.id).decode()
    document = json.loads(text)
    hashes = [
        row[0]
        for row in sqlite_store.engine.connect().exec_driver_sql(
            "SELECT token_hash FROM participants"
        )
    ]
    assert all(value not in text for value in hashes)
    assert "token" not in text and "hash" not in text
    assert document["participants"] == 7
    numbers = {answer["participant"] for answer in document["answers"]}
    assert numbers == set(range(1, 8))
    keys = [(answer["activity_id"], answer["participant"]) for answer in document["answers"]]
    assert keys == sorted(keys)  # listed by activity and number, not as they came in


def test_restoring_beside_the_original_draws_a_new_code(sqlite_store, deck):
    session = _finished(sqlite_store, deck)
    restored, code = archive.restore(sqlite_store, archive.archive(sqlite_store, session.id))
    assert restored != session.id and code != session.row.join_code


def test_a_damaged_or_newer_or_foreign_archive_is_refused_with_a_message(sqlite_store, deck):
    session = _finished(sqlite_store, deck)
    document = json.loads(archive.archive(sqlite_store, session.id))
    damaged = dict(document, participants=3)
    with pytest.raises(archive.ArchiveError, match="damaged"):
        archive.restore(sqlite_store, json.dumps(damaged).encode())
    newer = dict(document, version=archive.VERSION + 1)
    with pytest.raises(archive.ArchiveError, match="newer Tandem"):
        archive.restore(sqlite_store, json.dumps(newer).encode())
    with pytest.raises(archive.ArchiveError, match="not a Tandem session archive"):
        archive.restore(sqlite_store, b'{"format": "something else"}')
    with pytest.raises(archive.ArchiveError, match="not JSON"):
        archive.restore(sqlite_store, b"\x89PNG")
    assert len(sqlite_store.sessions()) == 1  # nothing half restored
