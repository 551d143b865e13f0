"""The room's answers read on from where a process last read them, never out of date.

`answers_for(..., version=)` remembers each activity's answers per process and reads only the
new ones; these tests hold it to what a full read returns, whichever process wrote.
"""

import pytest

from workshop.room import live
from workshop.store import SeededAnswer, Store


@pytest.fixture
def other_process(store: Store) -> Store:
    """A second store on the same database: another app process's view of it."""
    made = Store(store.url)
    yield made
    made.close()


def full_read(store: Store, session_id: int, activity_id: str) -> list:
    return store.answers_for(session_id, activity_id)


def room_read(store: Store, session_id: int, activity_id: str) -> list:
    version = store.session(session_id).version
    return store.answers_for(session_id, activity_id, version=version)


def test_answers_stored_by_another_process_are_read_on(store, other_process, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    people = [store.join(session.id, f"{number:064d}") for number in range(6)]
    assert room_read(other_process, session.id, "colour") == []
    for number, person in enumerate(people):
        store.record_answer(session.id, "colour", person, passed=False, value=number % 3)
        assert room_read(other_process, session.id, "colour") == full_read(
            store, session.id, "colour"
        )
    assert sorted(answer.value for answer in room_read(other_process, session.id, "colour")) == [
        0,
        0,
        1,
        1,
        2,
        2,
    ]


def test_a_changed_answer_is_never_read_as_it_was(store, other_process, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    first, second = (store.join(session.id, f"{number:064d}") for number in range(2))
    store.record_answer(session.id, "colour", first, passed=False, value=0)
    store.record_answer(session.id, "colour", second, passed=False, value=1)
    assert [answer.value for answer in room_read(other_process, session.id, "colour")] == [0, 1]
    store.record_answer(session.id, "colour", first, passed=False, value=2)
    assert [answer.value for answer in room_read(other_process, session.id, "colour")] == [1, 2]
    store.record_answer(session.id, "colour", second, passed=True)
    read = room_read(other_process, session.id, "colour")
    assert [(answer.passed, answer.value) for answer in read] == [(True, None), (False, 2)]


def test_a_moderation_decision_is_read_at_the_new_version(store, other_process, deck):
    session = live.start_session(store, deck)
    words = next(index for index, activity in enumerate(deck.activities) if activity.id == "words")
    live.go_to(store, session.id, words)
    person = store.join(session.id, "p" * 64)
    store.record_answer(
        session.id, "words", person, passed=False, value="calm", moderation="pending"
    )
    assert [answer.moderation for answer in room_read(other_process, session.id, "words")] == [
        "pending"
    ]
    queued = live.moderation_queue(store, session.id, "words")
    live.moderate(store, session.id, queued[0].answer_id, "approved")
    assert [answer.moderation for answer in room_read(other_process, session.id, "words")] == [
        "approved"
    ]


def test_seeded_answers_are_read_on(store, other_process, deck):
    session = live.start_session(store, deck, rehearsal=True)
    live.go_to(store, session.id, 1)
    assert room_read(other_process, session.id, "colour") == []
    people = [store.join(session.id, f"{number:064d}") for number in range(3)]
    store.seed_answers(
        session.id,
        [SeededAnswer("colour", person, False, 1, None) for person in people],
    )
    assert [answer.value for answer in room_read(other_process, session.id, "colour")] == [1, 1, 1]


def test_purged_answers_are_gone_from_every_process(store, other_process, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    person = store.join(session.id, "p" * 64)
    store.record_answer(session.id, "colour", person, passed=False, value=1)
    live.end_session(store, session.id)
    assert len(room_read(other_process, session.id, "colour")) == 1  # read at the last version
    store.purge_answers(session.id, {}, "test")
    assert room_read(other_process, session.id, "colour") == []


def test_a_session_read_without_its_deck_gets_it_back(store, other_process, deck):
    session = live.start_session(store, deck)
    for reader in (store, other_process):
        assert reader.session(session.id).deck_json == session.row.deck_json
        assert reader.session_by_code(session.row.join_code).deck_json == session.row.deck_json
        assert [row.deck_json for row in reader.sessions()] == [session.row.deck_json]


def test_reads_sharing_one_connection_see_writes_made_meanwhile(store, other_process, deck):
    """A phone's request reads through one connection (`one_connection`) while its own write,
    and other processes' writes, go through others: each read still sees every write committed
    before it, on SQLite (no transaction held open by reads) and PostgreSQL (read committed)."""
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    person = store.join(session.id, "p" * 64)
    with store.one_connection():
        assert store.answer_of(session.id, "colour", person) is None
        version = store.session(session.id).version
        store.record_answer(session.id, "colour", person, passed=False, value=1)
        assert store.answer_of(session.id, "colour", person).value == 1
        other_process.record_answer(session.id, "colour", person, passed=False, value=2)
        assert store.answer_of(session.id, "colour", person).value == 2
        live.next_activity(other_process, session.id)
        assert store.session(session.id).version > version
        assert store.session_by_code(session.row.join_code).current_index == 2
    # Outside the block, reads take connections of their own again.
    assert store.answer_of(session.id, "colour", person).value == 2


def test_a_deleted_sessions_answers_are_never_read_as_a_new_sessions(store, deck):
    """SQLite may give a deleted session's id to the next one, whose version starts again."""
    old = live.start_session(store, deck)
    live.go_to(store, old.id, 1)
    people = [store.join(old.id, f"{number:064d}") for number in range(3)]
    for person in people:
        store.record_answer(old.id, "colour", person, passed=False, value=0)
    assert len(room_read(store, old.id, "colour")) == 3
    store.delete_session(old.id)
    new = live.start_session(store, deck)
    live.go_to(store, new.id, 1)
    person = store.join(new.id, "q" * 64)
    store.record_answer(new.id, "colour", person, passed=False, value=2)
    assert [answer.value for answer in room_read(store, new.id, "colour")] == [2]
