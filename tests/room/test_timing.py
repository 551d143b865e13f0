from tests.conftest import small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.room import live
from workshop.room.timing import move_allowance, timing
from workshop.store import Event

DECK = parse_deck(small_deck_data())  # hello 1 min, colour 2 min, words 2 min, ...


def _advance(activity_id, at):
    return Event("advance", activity_id, at)


def test_nothing_is_timed_on_the_join_slide():
    result = timing(DECK, [Event("start", None, 0)], now=100)
    assert result.spent == {} and result.behind_seconds is None


def test_time_spent_and_revisits_add_up():
    events = [_advance("hello", 0), _advance("colour", 60), _advance("hello", 200)]
    result = timing(DECK, events, now=230)
    assert result.spent == {"hello": 90, "colour": 140}
    assert result.current_seconds == 30


def test_on_plan_ahead_and_behind():
    # hello planned 60 s, colour 120 s.
    on_time = timing(DECK, [_advance("hello", 0), _advance("colour", 60)], now=100)
    assert on_time.behind_seconds == 0
    early = timing(DECK, [_advance("hello", 0), _advance("colour", 20)], now=30)
    assert early.behind_seconds == -40  # colour began 40 s before its planned start
    overrun = timing(DECK, [_advance("hello", 0), _advance("colour", 60)], now=60 + 120 + 300)
    assert overrun.behind_seconds == 300


def test_the_buffer_after_joining_is_shared_among_the_moves():
    # 10 activities: 9 moves. A buffer of 3 + 9 minutes allows a minute for each move.
    deck = DECK.model_copy(update={"buffer_minutes": 12})
    assert move_allowance(deck) == 1.0
    # colour began 60 s after hello's planned minute: on plan, the move's minute allowed.
    on_time = timing(deck, [_advance("hello", 0), _advance("colour", 120)], now=130)
    assert on_time.behind_seconds == 0
    assert move_allowance(DECK) == 0  # no buffer: nothing allowed


def test_advances_are_logged_with_the_activity_shown(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck)
    live.go_to(sqlite_store, session.id, 1)
    live.go_to(sqlite_store, session.id, -1)
    advances = [e.activity_id for e in sqlite_store.events(session.id) if e.action == "advance"]
    assert advances == ["colour", None]
