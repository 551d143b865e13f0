"""The store on SQLite and PostgreSQL: what it keeps, and what it refuses to keep."""

import secrets

import pytest
from sqlalchemy import inspect, select

from workshop.room import live
from workshop.store import JoinCodeTaken, SeededAnswer, SessionNotLive, Store
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
    # Turn the database back into what version 1 wrote: no rehearsal, headcount or purge column,
    # no observations, snapshots or purges, events of a kind.
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN rehearsal")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN headcount")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN purged_at")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN joins_locked")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN turned_away")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN lock_when_begun")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN blanked")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN note_shown")
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN private_threshold")
        connection.exec_driver_sql("ALTER TABLE activity_states DROP COLUMN answers_taken")
        connection.exec_driver_sql("ALTER TABLE sessions ADD COLUMN deck_json TEXT")
        connection.exec_driver_sql(
            "UPDATE sessions SET deck_json = (SELECT deck_json FROM session_decks "
            "WHERE session_decks.session_id = sessions.id)"
        )
        for table in (
            "observations",
            "snapshots",
            "purges",
            "logins",
            "session_links",
            "session_decks",
        ):
            connection.exec_driver_sql(f"DROP TABLE {table}")
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
    assert store.session(session.id).turned_away == 0 and not store.session(session.id).joins_locked
    assert not store.session(session.id).blanked
    assert store.session(session.id).private_threshold == store.session(session.id).threshold
    assert store.answers_taken([session.id]) == {session.id: 0}  # counted from here on
    store.add_observation(session.id, None, "Quiet start.")
    assert [note.text for note in store.observations(session.id)] == ["Quiet start."]


def test_a_version_7_database_keeps_showing_private_results_as_the_room_saw_them(store, deck):
    """A session from before the private threshold showed its private activities under its one
    threshold: after the migration its review shows them under the same one."""
    session = live.start_session(store, deck, threshold=4)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE sessions DROP COLUMN private_threshold")
        connection.exec_driver_sql("ALTER TABLE sessions ADD COLUMN deck_json TEXT")
        connection.exec_driver_sql(
            "UPDATE sessions SET deck_json = (SELECT deck_json FROM session_decks "
            "WHERE session_decks.session_id = sessions.id)"
        )
        connection.exec_driver_sql("DROP TABLE session_decks")
        connection.exec_driver_sql("UPDATE settings SET value = '7' WHERE key = 'schema_version'")
    store.migrate()
    assert store.setting("schema_version") == str(SCHEMA_VERSION)
    assert store.session(session.id).private_threshold == 4
    # Its deck moved to a table of its own (version 9), read here by a process that never saw it.
    fresh = Store(store.url)
    try:
        assert fresh.session(session.id).deck_json == session.row.deck_json
    finally:
        fresh.close()
    # A session started now has its own.
    assert live.start_session(store, deck, threshold=4).row.private_threshold == 8


def test_a_session_keeps_its_private_threshold_never_below_its_threshold(store, deck):
    assert (
        live.start_session(store, deck, threshold=3, private_threshold=10).row.private_threshold
        == 10
    )
    assert (
        live.start_session(store, deck, threshold=6, private_threshold=4).row.private_threshold == 6
    )
    assert live.start_session(store, deck, threshold=5).row.private_threshold == 8
    with pytest.raises(live.LiveError):
        live.start_session(store, deck, threshold=5, private_threshold=0)


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


def test_a_participant_is_read_with_its_own_answer_to_the_activity_asked(store, deck):
    session = live.start_session(store, deck)
    other = live.start_session(store, deck)
    me = store.join(session.id, "a" * 64)
    neighbour = store.join(session.id, "b" * 64)
    store.join(other.id, "a" * 64)  # the same token hash in another session
    live.go_to(store, session.id, 1)  # "colour", open
    live.go_to(store, other.id, 1)
    assert store.record_answer(session.id, "colour", neighbour, passed=False, value=1)
    # Joined, nothing answered: the participant and no answer.
    assert store.participant_and_answer(session.id, "a" * 64, "colour") == (me, None)
    assert store.record_answer(session.id, "colour", me, passed=False, value=2)
    found, answer = store.participant_and_answer(session.id, "a" * 64, "colour")
    assert found == me and answer == store.answer_of(session.id, "colour", me)
    assert answer.value == 2 and answer.passed is False
    live.go_to(store, session.id, 2)  # "words"
    assert store.record_answer(session.id, "words", me, passed=True, value=None)
    passed = store.participant_and_answer(session.id, "a" * 64, "words")[1]
    assert passed.passed is True and passed.value is None
    # No activity on screen, an activity never answered, a token that never joined, the same
    # token hash in the other session (whose participant answered nothing).
    assert store.participant_and_answer(session.id, "a" * 64, None) == (me, None)
    assert store.participant_and_answer(session.id, "a" * 64, "many") == (me, None)
    assert store.participant_and_answer(session.id, "c" * 64, "colour") == (None, None)
    other_me, other_answer = store.participant_and_answer(other.id, "a" * 64, "colour")
    assert other_me not in (None, me) and other_answer is None


def test_only_a_keyed_hash_of_the_token_is_stored(store, deck):
    session = live.start_session(store, deck)
    token = secrets.token_urlsafe(24)
    store.join(session.id, keys.token_hash(keys.participant_key(store), session.id, token))
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
    live.go_to(store, session.id, 2, keep_open=True)
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


def test_every_action_bumps_the_version_once_is_logged_and_wakes_the_phones(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, len(deck.activities) - 1)  # "say": open text
    person = store.join(session.id, "p" * 64)
    store.record_answer(session.id, "say", person, passed=False, value="hi", moderation="pending")
    [queued] = store.moderation_queue(session.id, "say")
    heard = []
    live.on_change(heard.append)
    steps = [
        # Moving on closes the activity left behind ("say"), in the same step.
        (live.go_to, (1,), ["close", "advance", "open"]),
        (live.close_activity, ("colour",), ["close"]),
        (live.open_activity, ("colour",), ["open"]),
        (live.reveal, ("colour",), ["reveal"]),
        (live.reveal, ("colour", False), ["hide"]),
        (live.next_activity, (), ["close", "advance", "open"]),
        (live.previous_activity, (), ["close", "advance"]),
        (live.start_timer, (60,), ["timer"]),
        (live.stop_timer, (), ["timer"]),
        (live.moderate, (queued.answer_id, "approved"), ["moderate"]),
        (live.end_session, (), ["end"]),  # nothing was left open
    ]
    # Every facilitator action there is, and no other, is held to this.
    assert {action for action, _, _ in steps} == set(live.ACTIONS)
    for action, arguments, logged in steps:
        before = store.versions([session.id])[session.id]
        count = len(store.events(session.id))
        heard.clear()
        action(store, session.id, *arguments)
        assert store.versions([session.id])[session.id] == before + 1, action.__name__
        assert [event.action for event in store.events(session.id)[count:]] == logged
        assert heard == [session.id], action.__name__
    assert all(event.at > 0 for event in store.events(session.id))


def test_an_ended_session_takes_no_more_actions_even_in_a_race(store, deck):
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)
    store.end_session(session.id)
    version = store.versions([session.id])[session.id]
    # A second tab that read the session before it ended, pressing End now:
    with pytest.raises(SessionNotLive):
        store.end_session(session.id)
    with pytest.raises(SessionNotLive):
        store.set_revealed(session.id, "colour", True)
    assert store.versions([session.id])[session.id] == version
    assert [event.action for event in store.events(session.id)].count("end") == 1
    assert not store.activity_states(session.id)["colour"].revealed  # rolled back
    with pytest.raises(live.LiveError, match="has ended"):
        live.reveal(store, session.id, "colour")


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
    assert store.activity_states_at(session.id, version)["colour"].status == "waiting"
    live.go_to(store, session.id, 1)
    # What a version held never changes (every change makes a new one): still remembered.
    assert store.activity_states_at(session.id, version)["colour"].status == "waiting"
    version = store.versions([session.id])[session.id]
    assert store.activity_states_at(session.id, version)["colour"].status == "open"
    assert live.load(store, session.id).state("colour").status == "open"


def test_a_session_read_as_an_action_lands_shows_one_version(store, deck):
    """The session row is read, then the facilitator moves on, then the states are read: the
    Live built is the one after the move, never the old position with the new states."""
    session = live.start_session(store, deck)
    live.go_to(store, session.id, 1)  # "colour" open, on screen
    # A second process sharing the database, which has not read this session before.
    reader = Store(store.engine.url.render_as_string(hide_password=False))
    row_before_the_move = reader.session(session.id)
    live.go_to(store, session.id, 2)  # "colour" closed, the next one on screen
    assert reader.activity_states_at(session.id, row_before_the_move.version) is None
    seen = live._live(reader, row_before_the_move)
    assert seen.row.current_index == 2
    assert seen.state("colour").status == "closed"
    # The old position was never remembered with the new states.
    assert reader.activity_states_at(session.id, row_before_the_move.version) is None
    reader.close()


def test_rehearsals_can_be_left_out_of_listings(store, deck):
    real = live.start_session(store, deck)
    practice = live.start_session(store, deck, rehearsal=True)
    assert practice.row.rehearsal
    assert [row.id for row in store.sessions(include_rehearsals=False)] == [real.id]
    assert {row.id for row in store.sessions()} == {real.id, practice.id}


def test_seeded_answers_ignore_the_activity_state(store, deck):
    session = live.start_session(store, deck, rehearsal=True)
    person = store.join(session.id, "p" * 64)
    assert store.seed_answers(session.id, [SeededAnswer("colour", person, False, 1)]) == 1
    assert [answer.value for answer in store.answers_for(session.id, "colour")] == [1]


def test_decks_are_listed_by_their_latest_use(store, deck):
    ticks = iter(range(1000, 2000, 10))
    store.clock = lambda: float(next(ticks))  # one session every ten seconds
    other = deck.model_copy(update={"id": "other-deck"})
    live.start_session(store, deck)
    live.start_session(store, other)
    live.start_session(store, deck)
    assert store.deck_ids_by_recency() == ["every-kind", "other-deck"]


def test_a_blank_screen_is_kept_and_moves_no_phone(store, deck):
    session = live.start_session(store, deck)
    version = store.versions([session.id])[session.id]
    live.blank_screen(store, session.id, True)
    assert store.session(session.id).blanked
    assert store.versions([session.id])[session.id] == version  # phones are not woken
    live.blank_screen(store, session.id, False)
    assert not store.session(session.id).blanked


def test_answers_taken_moves_with_every_stored_answer_and_only_then(store, deck):
    session = live.start_session(store, deck)
    participant = store.join(session.id, "a" * 64)
    assert store.answers_taken([session.id]) == {session.id: 0}
    # Closed: nothing stored, nothing counted.
    assert not store.record_answer(session.id, "colour", participant, passed=False, value=0)
    assert store.answers_taken([session.id]) == {session.id: 0}
    live.go_to(store, session.id, 1)
    assert store.record_answer(session.id, "colour", participant, passed=False, value=0)
    assert store.record_answer(session.id, "colour", participant, passed=False, value=1)  # changed
    assert store.answers_taken([session.id]) == {session.id: 2}
    assert store.answers_taken([]) == {}


def test_processes_starting_together_on_a_new_database_migrate_it_once(tmp_path):
    """Several app processes behind a proxy start at once on one new PostgreSQL database:
    each migrates, and none fails on tables another is creating (seen: UniqueViolation)."""
    import concurrent.futures

    from tests.conftest import postgres_schema

    with postgres_schema() as url:
        stores = [Store(url) for _ in range(4)]
        try:
            with concurrent.futures.ThreadPoolExecutor(len(stores)) as pool:
                list(pool.map(lambda store: store.migrate(), stores))
            assert stores[0].setting("schema_version") == str(SCHEMA_VERSION)
        finally:
            for store in stores:
                store.close()


def test_the_pool_size_is_a_setting_with_a_clear_refusal(monkeypatch):
    from workshop.store.database import database_pool_size

    monkeypatch.delenv("WORKSHOP_DATABASE_POOL", raising=False)
    assert database_pool_size() == 10
    monkeypatch.setenv("WORKSHOP_DATABASE_POOL", "4")
    assert database_pool_size() == 4
    for wrong in ("0", "many", "-3", "500"):
        monkeypatch.setenv("WORKSHOP_DATABASE_POOL", wrong)
        with pytest.raises(ValueError, match="WORKSHOP_DATABASE_POOL"):
            database_pool_size()


def test_sqlite_hands_out_the_connection_handed_back_last(sqlite_store):
    """A few pooled connections stay in use, each with the room's pages in its own cache,
    instead of forty taking turns (SQLite's page cache is per connection)."""
    engine = sqlite_store.engine
    held = [engine.connect() for _ in range(3)]
    opened = [connection.connection.driver_connection for connection in held]
    for connection in held:
        connection.close()  # handed back in order: the third one last
    with engine.connect() as again:
        assert again.connection.driver_connection is opened[-1]
