import pytest
from streamlit.testing.v1 import AppTest

from workshop.room import live
from workshop.store import JoinRefused


def control_script(database_url: str, session_id: int | None, now: float | None = None) -> None:
    import time

    from workshop.dashboard import control
    from workshop.store import Store

    # A fixed clock when the test gives one: times on the page are then exact.
    clock = time.time if now is None else (lambda: now)
    control.render(Store(database_url, clock=clock), session_id, "http://127.0.0.1:8599")


NOW = 1_800_000_000.0


def _app(store, session_id, now=None):
    app = AppTest.from_function(control_script, args=(store.url, session_id, now))
    app.run(timeout=20)
    assert not app.exception
    return app


def _metric(app, label):
    return next(metric.value for metric in app.metric if metric.label == label)


def test_without_a_session_it_points_to_the_library(sqlite_store):
    app = _app(sqlite_store, None)
    assert "Start one from the library" in app.info[0].value


def test_next_previous_and_jump_move_the_room(sqlite_store, session):
    app = _app(sqlite_store, session.id)
    assert _metric(app, "Join code") == session.row.join_code
    assert app.button(key="previous").disabled
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0
    assert "Hello" in [subheader.value for subheader in app.subheader]
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["colour"].status == "open"
    version = sqlite_store.session(session.id).version
    app.selectbox(key=f"jump_{session.id}_{version}").set_value(4).run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 4
    assert sqlite_store.activity_states(session.id)["colour"].status == "closed"  # left behind
    app.button(key="previous").click().run(timeout=20)
    row = sqlite_store.session(session.id)
    assert row.current_index == 3
    # The list shows where the room is now: it never carries an old position into a click.
    assert app.selectbox(key=f"jump_{session.id}_{row.version}").value == 3
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 4


def test_an_old_on_screen_list_never_moves_the_room_back(sqlite_store, session):
    """An "On screen" list drawn before a move may call back after it (Streamlit does so after
    a server restart): its own position is no pick, and a pick from it is refused."""
    from workshop.dashboard.control import jump

    live.go_to(sqlite_store, session.id, 1)
    drawn = sqlite_store.session(session.id)
    live.next_activity(sqlite_store, session.id)  # another click, another device
    jump(sqlite_store, drawn, drawn.current_index, keep_open=False)
    assert sqlite_store.session(session.id).current_index == 2
    with pytest.raises(live.LiveError, match="moved on meanwhile"):
        jump(sqlite_store, drawn, 0, keep_open=False)
    assert sqlite_store.session(session.id).current_index == 2
    # A pick from the list as drawn now moves the room.
    jump(sqlite_store, sqlite_store.session(session.id), 0, keep_open=False)
    assert sqlite_store.session(session.id).current_index == 0


def test_close_and_reveal_and_the_private_rule(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 5)  # "reflect", private
    app = _app(sqlite_store, session.id)
    assert any("· private" in caption.value for caption in app.caption)
    app.button(key="reveal").click().run(timeout=20)
    assert "close it before revealing" in app.warning[0].value
    assert not sqlite_store.activity_states(session.id)["reflect"].revealed
    app.button(key="close").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["reflect"].status == "closed"
    app.button(key="reveal").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["reflect"].revealed


def test_live_counts_and_the_facilitator_notes(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 1)
    for number in range(3):
        person = sqlite_store.join(session.id, f"{number}" * 64)
        sqlite_store.record_answer(
            session.id, "colour", person, passed=number == 2, value=None if number == 2 else 0
        )
    app = _app(sqlite_store, session.id)
    assert _metric(app, "Joined") == "3"
    assert _metric(app, "Answered") == "2"  # the pass is counted apart
    assert _metric(app, "Passed") == "1"
    assert app.get("plotly_chart"), "the threshold of 2 is met: the preview chart shows"


def test_moderation_approves_and_flags(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 9)  # open text
    texts = ["Noticing my yes", "I want to die some days"]
    for number, text in enumerate(texts):
        person = sqlite_store.join(session.id, f"{number}" * 64)
        status = "flagged" if number else "pending"
        sqlite_store.record_answer(
            session.id, "say", person, passed=False, value=text, moderation=status
        )
    app = _app(sqlite_store, session.id)
    assert "Moderation queue** (2 waiting)" in app.markdown[0].value
    assert "Possible safety concern" in app.error[0].value
    queue = sqlite_store.moderation_queue(session.id, "say")
    # A flagged text can only be kept off the screen.
    assert not [button for button in app.button if button.key == f"approve-{queue[1].answer_id}"]
    app.button(key=f"approve-{queue[0].answer_id}").click().run(timeout=20)
    statuses = [item.moderation for item in sqlite_store.moderation_queue(session.id, "say")]
    assert statuses == ["approved", "flagged"]


def test_timer_and_end_session(sqlite_store, session):
    app = _app(sqlite_store, session.id, now=NOW)
    app.number_input(key="timer_minutes").set_value(2.0)
    app.button(key="timer_start").click().run(timeout=20)
    assert sqlite_store.session(session.id).timer_seconds == 120
    assert sqlite_store.session(session.id).timer_started_at == NOW
    assert _metric(app, "Discussion timer") == "2:00"
    app.button(key="timer_stop").click().run(timeout=20)
    assert sqlite_store.session(session.id).timer_seconds is None
    assert app.button(key="end").disabled
    app.checkbox(key="end_confirm").check().run(timeout=20)
    app.button(key="end").click().run(timeout=20)
    assert sqlite_store.session(session.id).status == "ended"
    assert "has ended" in app.success[0].value


def test_time_against_the_plan_is_shown(sqlite_store, session):
    sqlite_store.clock = lambda: NOW
    live.go_to(sqlite_store, session.id, 0)
    sqlite_store.clock = lambda: NOW + 20
    live.go_to(sqlite_store, session.id, 1)
    app = _app(sqlite_store, session.id, now=NOW + 50)
    [line] = [caption.value for caption in app.caption if caption.value.startswith("On this")]
    # The 1-minute welcome took 20 s: the room is 40 s ahead, which rounds to one minute.
    assert line == ("On this activity 0:30 of 2 min planned · the workshop is 1 min ahead of plan")
    agenda = app.dataframe[0].value
    assert list(agenda["Planned (min)"])[:2] == [1, 2]
    assert list(agenda["Actual"])[:3] == ["0:20", "0:30", ""]


def test_an_observation_noted_during_the_session_is_kept_for_the_review(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 1)
    app = _app(sqlite_store, session.id)
    assert "no names" in " ".join(caption.value for caption in app.caption)
    app.text_area(key="control_observation").input("Quiet at first, then lively.")
    app.button(key="control_observation_keep").click().run(timeout=20)
    [note] = sqlite_store.observations(session.id)
    assert (note.activity_id, note.text) == ("colour", "Quiet at first, then lively.")


def test_the_door_caps_joins_locks_them_and_shows_who_was_turned_away(sqlite_store, session):
    app = _app(sqlite_store, session.id)
    assert _metric(app, "Joined") == "0"
    assert any("People expected" in caption.value for caption in app.caption)
    app.number_input(key=f"door_headcount_{session.id}_None").set_value(2).run(timeout=20)
    assert sqlite_store.session(session.id).headcount == 2
    for number in range(2):
        sqlite_store.join(session.id, f"{number}" * 64)
    app.toggle(key=f"door_locked_{session.id}_False").set_value(True).run(timeout=20)
    assert sqlite_store.session(session.id).joins_locked
    with pytest.raises(JoinRefused) as refused:
        sqlite_store.join(session.id, "x" * 64)
    assert refused.value.reason == "locked"
    app.run(timeout=20)
    assert _metric(app, "Joined") == "2 of 2"
    assert "1 attempt(s) to join turned away: the room is locked" in app.warning[0].value
    assert app.toggle(key=f"door_locked_{session.id}_True").value  # drawn as it is stored


def test_links_are_made_shown_once_and_revoked(sqlite_store, session):
    from workshop.web import links

    app = _app(sqlite_store, session.id)
    app.button(key=f"make_link_screen_{session.id}").click().run(timeout=20)
    shown = next(block.value for block in app.code)
    assert shown.startswith(f"http://127.0.0.1:8599/screen?session={session.id}&key=")
    secret = shown.split("key=", 1)[1]
    assert links.opens(sqlite_store, "/screen", str(session.id), secret) == session.id
    assert secret not in str(sqlite_store.link_hash(session.id, "screen"))  # only its hash
    app.button(key=f"revoke_link_screen_{session.id}").click().run(timeout=20)
    assert links.opens(sqlite_store, "/screen", str(session.id), secret) is None
    assert not app.code


def test_a_remote_control_link_hands_out_no_links(sqlite_store, session):
    def remote_script(database_url: str, session_id: int) -> None:
        from workshop.dashboard import control
        from workshop.store import Store

        control.render(Store(database_url), session_id, None, facilitator=False)

    app = AppTest.from_function(remote_script, args=(sqlite_store.url, session.id))
    app.run(timeout=20)
    assert not app.exception
    assert _metric(app, "Join code") == session.row.join_code
    assert not [button for button in app.button if "link" in (button.key or "")]
