"""The store on SQLite and PostgreSQL: what it keeps, and what it refuses to keep."""

import pytest
from sqlalchemy import inspect, select

from workshop.room import live
from workshop.store import JoinCodeTaken
from workshop.store.schema import SCHEMA_VERSION, answers, participants
from workshop.web import keys


def test_migrate_twice_keeps_everything(store, deck):
    session = live.start_session(store, deck)
    store.migrate()
    assert store.session(session.id).join_code == session.row.join_code
    assert store.setting("schema_version") == str(SCHEMA_VERSION)


def test_a_version_1_database_is_migrated_in_place(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    person = store.join(session.id, "p" * 64)
    store.record_answer(session.id, "colour", person, passed=False, value=2)
    # Turn the database back into what version 1 wrote: no rehearsal or headcount column, no
    # observations, events of a kind.
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN rehearsal")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN headcount")
        connection.exec_driver_sql("DROP TABLE observations")
        connection.exec_driver_sql("ALTER TABLE events RENAME COLUMN action TO kind")
        connection.exec_driver_sql("UPDATE settings SET value = '1' WHERE key = 'schema_version'")
    store.migrate()
    assert store.setting("schema_version") == str(SCHEMA_VERSION)
    row = store.session(session.id)
    assert row.join_code == session.row.join_code and row.rehearsal is False
    assert [answer.value for answer in store.answers_for(session.id, "colour")] == [2]
    assert live.start_session(store, deck).row.rehearsal is False
    assert [event.action for event in store.events(session.id)] == ["start", "advance", "open"]
    assert store.session(session.id).headcount is None
    store.add_observation(session.id, None, "Quiet start.")
    assert [note.text for note in store.observations(session.id)] == ["Quiet start."]


def test_a_session_keeps_a_snapshot_of_its_deck(store, deck):
    session = live.start_session(store, deck, threshold=3)
    row = store.session(session.id)
    assert row.deck_id == "every-kind"
    assert row.threshold == 3
    assert row.status == "live"
    assert row.current_index == -1
    assert '"Pick a colour"' in row.deck_json
    assert set(store.activity_states(session.id)) == {a.id for a in deck.activities}


def test_join_codes_are_unique(store, deck):
    session = live.start_session(store, deck)
    with pytest.raises(JoinCodeTaken):
        store.create_session(
            join_code=session.row.join_code,
            deck_id="x",
            title="x",
            deck_json="{}",
            threshold=5,
            activity_ids=[],
        )


def test_joining_twice_with_one_token_is_one_participant(store, deck):
    session = live.start_session(store, deck)
    first = store.join(session.id, "a" * 64)
    assert store.join(session.id, "a" * 64) == first
    store.join(session.id, "b" * 64)
    assert store.participant_count(session.id) == 2


def test_only_a_keyed_hash_of_the_token_is_stored(store, deck):
    session = live.start_session(store, deck)
    token = keys.new_token()
    store.join(session.id, keys.token_hash(keys.server_key(store), session.id, token))
    with store.engine.connect() as connection:
        stored = connection.execute(select(participants.c.token_hash)).scalars().all()
    assert stored and token not in stored[0]
    columns = {column["name"] for column in inspect(store.engine).get_columns("participants")}
    assert columns == {"id", "session_id", "token_hash"}


def test_no_table_has_a_place_for_who_or_when_an_answer_came(store):
    columns = {column["name"] for column in inspect(store.engine).get_columns("answers")}
    assert columns == {
        "id",
        "session_id",
        "activity_id",
        "participant_id",
        "passed",
        "value_json",
        "moderation",
    }


def test_an_answer_is_replaced_while_open_and_refused_once_closed(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)  # opens "colour"
    person = store.join(session.id, "p" * 64)
    assert store.record_answer(session.id, "colour", person, passed=False, value=0)
    assert store.record_answer(session.id, "colour", person, passed=False, value=2)
    assert [a.value for a in store.answers_for(session.id, "colour")] == [2]
    live.close_activity(store, session.id, "colour")
    assert not store.record_answer(session.id, "colour", person, passed=False, value=1)
    assert store.answer_of(session.id, "colour", person).value == 2


def test_an_activity_that_never_opened_takes_no_answer(store, deck):
    session = live.start_session(store, deck)
    person = store.join(session.id, "p" * 64)
    assert not store.record_answer(session.id, "colour", person, passed=False, value=0)
    assert store.answers_for(session.id, "colour") == []


def test_a_pass_is_stored_as_a_pass(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    person = store.join(session.id, "p" * 64)
    store.record_answer(session.id, "colour", person, passed=True)
    [answer] = store.answers_for(session.id, "colour")
    assert answer.passed and answer.value is None


def test_answer_counts_come_from_one_group_by(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    live.go_to(store, session.id, 2)
    for number in range(3):
        person = store.join(session.id, f"{number}" * 64)
        store.record_answer(session.id, "colour", person, passed=False, value=number)
        if number:
            store.record_answer(session.id, "words", person, passed=False, value=["calm"])
    assert store.answer_counts(session.id) == {"colour": 3, "words": 2}


def test_text_with_unicode_and_markup_comes_back_unchanged(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 9)
    person = store.join(session.id, "p" * 64)
    text = "<script>alert('x')</script> ça va? 🙂"
    store.record_answer(session.id, "say", person, passed=False, value=text, moderation="pending")
    [queued] = store.moderation_queue(session.id, "say")
    assert queued.text == text and queued.moderation == "pending"
    store.moderate(session.id, queued.answer_id, "approved")
    assert store.answers_for(session.id, "say")[0].moderation == "approved"


def test_every_action_bumps_the_version_once_and_is_logged(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, len(deck.activities) - 1)  # "say": open text
    person = store.join(session.id, "p" * 64)
    store.record_answer(session.id, "say", person, passed=False, value="hi", moderation="pending")
    [queued] = store.moderation_queue(session.id, "say")
    actions = [
        (lambda: live.go_to(store, session.id, 1), ["advance", "open"]),
        (lambda: live.close_activity(store, session.id, "colour"), ["close"]),
        (lambda: live.open_activity(store, session.id, "colour"), ["open"]),
        (lambda: live.reveal(store, session.id, "colour"), ["reveal"]),
        (lambda: live.reveal(store, session.id, "colour", False), ["hide"]),
        (lambda: live.next_activity(store, session.id), ["advance", "open"]),
        (lambda: live.previous_activity(store, session.id), ["advance"]),
        (lambda: live.start_timer(store, session.id, 60), ["timer"]),
        (lambda: live.stop_timer(store, session.id), ["timer"]),
        (lambda: live.moderate(store, session.id, queued.answer_id, "approved"), ["moderate"]),
        (lambda: live.end_session(store, session.id), ["close", "close", "close", "end"]),
    ]
    for action, logged in actions:
        before = store.versions([session.id])[session.id]
        count = len(store.events(session.id))
        action()
        assert store.versions([session.id])[session.id] == before + 1, logged
        assert [event.action for event in store.events(session.id)[count:]] == logged
    assert all(event.at > 0 for event in store.events(session.id))
    names = {name for name in dir(live) if not name.startswith("_")}
    facilitator_actions = {
        "go_to",
        "next_activity",
        "previous_activity",
        "open_activity",
        "close_activity",
        "reveal",
        "start_timer",
        "stop_timer",
        "moderate",
        "end_session",
    }
    assert facilitator_actions <= names


def test_settings_are_created_once(store):
    first = store.setting_or_create("server_key", lambda: "one")
    assert store.setting_or_create("server_key", lambda: "two") == first == "one"
    store.put_setting("server_key", "three")
    assert store.setting("server_key") == "three"


def test_deleting_a_session_takes_its_answers_with_it(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    person = store.join(session.id, "p" * 64)
    store.record_answer(session.id, "colour", person, passed=False, value=1)
    from workshop.store.schema import sessions

    with store.engine.begin() as connection:
        connection.execute(sessions.delete().where(sessions.c.id == session.id))
    with store.engine.connect() as connection:
        assert connection.execute(select(answers)).all() == []


def test_remembered_activity_states_follow_the_version(store, deck):
    session = live.start_session(store, deck)
    version = store.versions([session.id])[session.id]
    assert store.activity_states(session.id, version)["colour"].status == "waiting"
    live.go_to(store, session.id, 1)
    version = store.versions([session.id])[session.id]
    assert store.activity_states(session.id, version)["colour"].status == "open"
    assert live.load(store, session.id).state("colour").status == "open"


def test_rehearsals_can_be_left_out_of_listings(store, deck):
    real = live.start_session(store, deck)
    practice = live.start_session(store, deck, rehearsal=True)
    assert practice.row.rehearsal
    assert [row.id for row in store.sessions(include_rehearsals=False)] == [real.id]
    assert {row.id for row in store.sessions()} == {real.id, practice.id}


def test_seeded_answers_ignore_the_activity_state(store, deck):
    session = live.start_session(store, deck, rehearsal=True)
    person = store.join(session.id, "p" * 64)
    rows = [{"activity_id": "colour", "participant_id": person, "passed": False, "value": 1}]
    assert store.seed_answers(session.id, rows) == 1
    assert [answer.value for answer in store.answers_for(session.id, "colour")] == [1]


def test_decks_are_listed_by_their_latest_use(store, deck):
    ticks = iter(range(1000, 2000, 10))
    store.clock = lambda: float(next(ticks))  # one session every ten seconds
    other = deck.model_copy(update={"id": "other-deck"})
    live.start_session(store, deck)
    live.start_session(store, other)
    live.start_session(store, deck)
    assert store.deck_ids_by_recency() == ["every-kind", "other-deck"]
