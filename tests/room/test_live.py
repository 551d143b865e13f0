"""The session lifecycle: what each facilitator action does and what it refuses."""

import pytest

from workshop import i18n
from workshop.room import live


def test_join_codes_use_the_unambiguous_alphabet():
    for _ in range(200):
        code = live.new_join_code()
        assert len(code) == 6
        assert set(code) <= set(live.JOIN_ALPHABET)
        assert not set(code) & set("0O1IL2Z5S8B")


def test_typed_codes_are_forgiven_spaces_dashes_and_case():
    assert live.normalise_code(" ac-d 3f9 ") == "ACD3F9"


def test_moving_to_an_activity_opens_it_once(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    moved = live.next_activity(sqlite_store, session.id)
    assert moved.current.id == "hello"
    assert moved.state("hello").status == "waiting"  # info slides never open
    moved = live.next_activity(sqlite_store, session.id)
    assert moved.current.id == "colour" and moved.state("colour").status == "open"
    live.close_activity(sqlite_store, session.id, "colour")
    live.previous_activity(sqlite_store, session.id)
    back = live.next_activity(sqlite_store, session.id)
    # Coming back to a closed poll does not reopen it: a late voter could be exposed.
    assert back.state("colour").status == "closed"


def test_previous_stops_at_the_join_slide_and_next_at_the_end(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    assert live.previous_activity(sqlite_store, session.id).current is None
    last = len(deck.activities) - 1
    live.go_to(sqlite_store, session.id, last)
    assert live.next_activity(sqlite_store, session.id).row.current_index == last
    with pytest.raises(live.LiveError):
        live.go_to(sqlite_store, session.id, last + 1)


def test_a_private_activity_reveals_only_after_closing(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    live.go_to(sqlite_store, session.id, 5)  # "reflect", sensitive
    with pytest.raises(live.LiveError, match="close it"):
        live.reveal(sqlite_store, session.id, "reflect")
    live.close_activity(sqlite_store, session.id, "reflect")
    assert live.reveal(sqlite_store, session.id, "reflect").state("reflect").revealed


def test_ending_closes_what_is_open_and_refuses_further_actions(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    live.go_to(sqlite_store, session.id, 1)
    ended = live.end_session(sqlite_store, session.id)
    assert ended.ended and ended.row.ended_at is not None
    assert ended.state("colour").status == "closed"
    with pytest.raises(live.LiveError, match="ended"):
        live.next_activity(sqlite_store, session.id)


def test_the_timer_counts_down_from_the_stored_start(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    timed = live.start_timer(sqlite_store, session.id, 120)
    started = timed.row.timer_started_at
    assert timed.timer_remaining(now=started + 30) == 90
    assert timed.timer_remaining(now=started + 500) == 0
    assert live.stop_timer(sqlite_store, session.id).timer_remaining(started) is None
    with pytest.raises(live.LiveError):
        live.start_timer(sqlite_store, session.id, 5)


def test_threshold_must_be_sensible(sqlite_store, deck):
    with pytest.raises(live.LiveError):
        live.start_session(sqlite_store, deck, threshold=0)


def test_listeners_hear_every_action(sqlite_store, deck):
    heard = []
    live.on_change(heard.append)
    try:
        session = live.start_session(sqlite_store, deck)
        live.next_activity(sqlite_store, session.id)
        live.start_timer(sqlite_store, session.id, 60)
    finally:
        live._listeners.remove(heard.append)
    assert heard == [session.id, session.id]


def test_moving_on_stops_the_discussion_timer(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    live.start_timer(sqlite_store, session.id, 120)
    moved = live.next_activity(sqlite_store, session.id)
    assert moved.timer_remaining(sqlite_store.clock()) is None


def test_explanations_are_paged_one_at_a_time_and_start_again_on_a_move(store, deck):
    """→ on a revealed answer key shows its next explanation, then moves on; ← goes back the
    same way; a move or a reveal shows the first again. Kept in the store, so a screen link's
    projector shows what the facilitator's keys chose."""
    from workshop.store import SeededAnswer

    session = live.start_session(store, deck, threshold=1)
    quiz = deck.activities.index(deck.activity("quiz"))
    live.go_to(store, session.id, quiz)
    participant = store.join(session.id, "q" * 64)
    statements = len(deck.activity("quiz").statements)
    assert statements >= 2
    store.seed_answers(session.id, [SeededAnswer("quiz", participant, False, [0] * statements)])
    assert live.explanations(store, live.load(store, session.id)) == (0, 0)  # nothing revealed
    live.reveal(store, session.id, "quiz", True)
    assert live.explanations(store, live.load(store, session.id)) == (0, statements)
    live.forward(store, session.id)
    assert live.explanations(store, live.load(store, session.id))[0] == 1
    live.back(store, session.id)
    live.back(store, session.id)  # before the first explanation: the activity before
    assert store.session(session.id).current_index == quiz - 1
    live.forward(store, session.id)
    assert store.session(session.id).current_index == quiz
    assert live.explanations(store, live.load(store, session.id))[0] == 0
    for _ in range(statements - 1):
        live.forward(store, session.id)
    assert store.session(session.id).current_index == quiz
    live.blank_screen(store, session.id, True)
    live.forward(store, session.id)  # nothing moves while the screen is blank
    assert store.session(session.id).current_index == quiz
    live.blank_screen(store, session.id, False)
    live.forward(store, session.id)  # the last explanation shown: the next activity
    assert store.session(session.id).current_index == quiz + 1


def test_a_refusal_is_said_in_the_language_spoken(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    live.end_session(sqlite_store, session.id)
    with i18n.speaking("es"):
        with pytest.raises(live.LiveError) as ended:
            live.next_activity(sqlite_store, session.id)
        with pytest.raises(live.LiveError) as too_many:
            live.start_session(sqlite_store, deck, headcount=live.MOST_PEOPLE + 1)
    assert str(ended.value) == "Esa sesión ha terminado."
    assert str(too_many.value) == (
        f"El número de personas previstas debe estar entre 1 y {live.MOST_PEOPLE}."
    )
    # English is unchanged; and a refusal made where no language was set yet (a Streamlit
    # callback) finds its Spanish when the page says it through gettext.
    with pytest.raises(live.LiveError) as ended:
        live.next_activity(sqlite_store, session.id)
    assert str(ended.value) == "That session has ended."
    with pytest.raises(live.LiveError) as too_many:
        live.set_headcount(sqlite_store, session.id, 0)
    assert str(too_many.value) == f"People expected must be between 1 and {live.MOST_PEOPLE}."
    with i18n.speaking("es"):
        assert i18n.gettext(str(ended.value)) == "Esa sesión ha terminado."
