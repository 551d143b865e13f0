from workshop.room import live
from workshop.room.moderation import FLAGGED, PENDING
from workshop.room.rehearsal import sample_result, start_rehearsal
from workshop.room.results import result_for


def test_a_rehearsal_fills_every_activity_so_every_chart_shows(sqlite_store, deck):
    session = start_rehearsal(sqlite_store, deck, people=8, threshold=5)
    assert session.row.rehearsal
    assert sqlite_store.participant_count(session.id) == 8
    counts = sqlite_store.answer_counts(session.id)
    answerable = [activity for activity in deck.activities if activity.answerable]
    assert counts == {activity.id: 8 for activity in answerable}
    for index, activity in enumerate(deck.activities):
        live.go_to(sqlite_store, session.id, index)
        if activity.sensitive:
            live.close_activity(sqlite_store, session.id, activity.id)
            live.reveal(sqlite_store, session.id, activity.id)
        if activity.kind == "open_text":
            for item in sqlite_store.moderation_queue(session.id, activity.id):
                if item.moderation == PENDING:
                    sqlite_store.moderate(session.id, item.answer_id, "approved")
    session = live.load(sqlite_store, session.id)
    for activity in answerable:
        answers = sqlite_store.answers_for(session.id, activity.id)
        result = result_for(activity, answers, session.state(activity.id), 5)
        assert result.visible, activity.id


def test_the_moderation_queue_shows_a_flagged_example(sqlite_store, deck):
    session = start_rehearsal(sqlite_store, deck, people=6)
    statuses = [item.moderation for item in sqlite_store.moderation_queue(session.id, "say")]
    assert statuses[0] == FLAGGED and set(statuses[1:]) <= {PENDING}


def test_rehearsals_are_reproducible(sqlite_store, deck):
    first = start_rehearsal(sqlite_store, deck, people=5, seed=3)
    second = start_rehearsal(sqlite_store, deck, people=5, seed=3)
    values = [
        sorted(str(answer.value) for answer in sqlite_store.answers_for(session.id, "many"))
        for session in (first, second)
    ]
    assert values[0] == values[1]


def test_the_editor_preview_shows_every_kind_with_made_up_answers(deck):
    for activity in deck.activities:
        result = sample_result(activity, people=12)
        if not activity.answerable:
            assert not result.visible and result.responded == 0
            continue
        assert result.visible, activity.id  # closed and revealed: private ones too
        assert result.answered >= 1
        # A private activity's passes are not counted, so neither is everyone who responded.
        assert result.responded == (None if activity.sensitive else 12)
        assert result.lines, activity.id
