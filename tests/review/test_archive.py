"""The JSON archive: a session out of one database and back into another, identical; no token,
no hash, no order of joining; a damaged or newer archive refused with a message."""

import contextlib
import json

import pytest

from tests.conftest import postgres_schema, small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.review import archive
from workshop.review.observations import add_observation
from workshop.review.session import review_session
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


def _shown(result):
    """A result as anyone can see it: all of it if visible, else only why it is hidden."""
    if result is None or result.visible:
        return result
    return (result.visible, result.hidden_reason)


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
            (item.activity.id, _shown(item.result), [n.text for n in item.observations])
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

        # The same queue of written answers (the words only of those approved), the same
        # actions at the same times.
        def queue(store, session_id):
            return sorted(
                (item.moderation, item.text if item.moderation == "approved" else "")
                for item in store.moderation_queue(session_id, "say")
            )

        assert queue(other, restored) == queue(sqlite_store, session.id)
        assert other.events(restored) == sqlite_store.events(session.id)
        other.close()


def test_the_archive_holds_no_token_hash_or_order_of_joining(sqlite_store, deck):
    session = _finished(sqlite_store, deck)
    text = archive.archive(sqlite_store, session.id).decode()
    document = json.loads(text)
    with sqlite_store.engine.connect() as connection:
        hashes = [
            row[0] for row in connection.exec_driver_sql("SELECT token_hash FROM participants")
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


def test_unapproved_words_stay_out_of_the_archive(sqlite_store, deck):
    session = _finished(sqlite_store, deck)
    queue = sqlite_store.moderation_queue(session.id, "say")
    flagged = [item.text for item in queue if item.moderation == "flagged"]
    assert flagged  # a rehearsal always holds one flagged example
    text = archive.archive(sqlite_store, session.id).decode()
    assert all(json.dumps(words)[1:-1] not in text for words in flagged)
    written = [
        answer
        for answer in json.loads(text)["answers"]
        if answer["activity_id"] == "say" and not answer["passed"]
    ]
    assert sorted(answer["moderation"] for answer in written) == sorted(
        item.moderation for item in queue
    )
    # Words only where the facilitator approved them.
    assert all(bool(answer["value"]) == (answer["moderation"] == "approved") for answer in written)


def test_a_persons_answers_are_linked_only_between_a_before_and_its_after():
    data = small_deck_data()
    quiz = next(a for a in data["activities"] if a["id"] == "quiz")
    data["activities"].append(
        {**quiz, "id": "quiz-after", "title": "Quiz again", "pairs_with": "quiz"}
    )
    deck = parse_deck(data)
    people = list(range(101, 107))
    contents = {
        "participants": people,
        "answers": [
            {
                "activity_id": activity,
                "participant": person,
                "passed": False,
                "value": person,
                "moderation": None,
            }
            for activity in ("colour", "weather", "quiz", "quiz-after")
            for person in people
        ],
    }
    unlinked = False
    for _ in range(20):
        made = archive._private(contents, deck)
        by_activity = {}
        for answer in made["answers"]:
            by_activity.setdefault(answer["activity_id"], {})[answer["participant"]] = answer[
                "value"
            ]
        assert by_activity["quiz"] == by_activity["quiz-after"]  # pairs survive
        unlinked = unlinked or by_activity["colour"] != by_activity["weather"]
    assert unlinked  # other activities are numbered afresh


def _resigned(document: dict) -> bytes:
    """An archive changed on purpose, with a checksum that matches the change."""
    document = {key: value for key, value in document.items() if key != "checksum"}
    document["checksum"] = archive._checksum(document)
    return json.dumps(document).encode()


def test_an_archive_that_does_not_fit_is_refused_before_anything_is_written(sqlite_store, deck):
    session = _finished(sqlite_store, deck)
    document = json.loads(archive.archive(sqlite_store, session.id))
    strange_deck = json.loads(document["session"]["deck_json"])
    strange_deck["activities"][1]["kind"] = "hologram"
    strange_session = {**document["session"], "deck_json": json.dumps(strange_deck)}
    with pytest.raises(archive.ArchiveError, match="not what this Tandem reads"):
        archive.restore(sqlite_store, _resigned({**document, "session": strange_session}))
    stranger = dict(document["answers"][0], participant=99)
    with pytest.raises(archive.ArchiveError, match="does not belong"):
        archive.restore(sqlite_store, _resigned({**document, "answers": [stranger]}))
    assert len(sqlite_store.sessions()) == 1


def test_a_running_session_comes_back_ended(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    live.go_to(sqlite_store, session.id, 1)
    restored, _ = archive.restore(sqlite_store, archive.archive(sqlite_store, session.id))
    row = sqlite_store.session(restored)
    assert row.status == "ended" and row.ended_at is not None


def test_an_archive_from_before_the_private_threshold_shows_what_its_room_saw(sqlite_store, deck):
    """Written before sessions had a private threshold: its private activities were shown under
    its one threshold, and are again once restored."""
    session = start_rehearsal(sqlite_store, deck, people=6, threshold=3, private_threshold=3)
    live.go_to(sqlite_store, session.id, 5)  # the private battery
    live.close_activity(sqlite_store, session.id, "reflect")
    live.reveal(sqlite_store, session.id, "reflect")
    live.end_session(sqlite_store, session.id)
    document = json.loads(archive.archive(sqlite_store, session.id))
    older = {k: v for k, v in document["session"].items() if k != "private_threshold"}
    new_id, _code = archive.restore(sqlite_store, _resigned({**document, "session": older}))
    restored = live.load(sqlite_store, new_id)
    assert restored.row.private_threshold == 3
    reflect = restored.deck.activity("reflect")
    assert live.result_of(sqlite_store, restored, reflect).visible
