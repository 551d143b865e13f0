import pytest
from streamlit.testing.v1 import AppTest

from workshop.dashboard import control
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
    assert "Hello" in [header.value for header in app.header]
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


def _answers(store, session_id, activity_id, values, *, first=0):
    """People join and answer `activity_id` (which must be open): one value each, None passes."""
    for number, value in enumerate(values, start=first):
        person = store.join(session_id, f"{number}" * 64)
        store.record_answer(session_id, activity_id, person, passed=value is None, value=value)


def _small_text(app) -> str:
    return " ".join(block.value for block in app.markdown)


def test_live_counts_in_the_rooms_words(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 1)
    _answers(sqlite_store, session.id, "colour", [0, 0, None])
    app = _app(sqlite_store, session.id)
    assert _metric(app, "Joined") == "3"
    assert _metric(app, "Answered") == "2"  # the pass is counted apart
    assert _metric(app, "Passed") == "1"
    assert app.get("plotly_chart"), "the threshold of 2 is met: the preview chart shows"
    live.set_headcount(sqlite_store, session.id, 4)
    app.run(timeout=20)
    assert "3 of 4 joined" in [caption.value for caption in app.caption]


def test_a_private_activitys_passes_are_never_counted_open_or_revealed(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 5)  # "reflect", private
    _answers(sqlite_store, session.id, "reflect", [[0, 1], [1, 1], None])
    app = _app(sqlite_store, session.id)
    assert _metric(app, "Answered") == "2"
    assert _metric(app, "Passed") == "—"
    assert "passes not counted (private)" in [caption.value for caption in app.caption]


def test_the_facilitator_notes_are_shown(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 1)
    app = _app(sqlite_store, session.id)
    assert app.header[0].value == "Pick a colour"
    assert app.caption[0].value.startswith("Activity 2 of 10 · Single choice · 2 min · open")


def test_the_notes_keep_their_lines(sqlite_store, deck):
    lines = "Read the content note aloud.\nGive quiet time.\nOffer the break early."
    activities = [
        activity.model_copy(update={"notes": lines}) if activity.id == "colour" else activity
        for activity in deck.activities
    ]
    session = live.start_session(sqlite_store, deck.model_copy(update={"activities": activities}))
    live.go_to(sqlite_store, session.id, 1)
    app = _app(sqlite_store, session.id)
    [notes] = [info.value for info in app.info if "quiet time" in info.value]
    # A hard line break after each line (two spaces): not joined into one paragraph.
    assert (
        notes == "Read the content note aloud\\.  \nGive quiet time\\.  \nOffer the break early\\."
    )


def _texts(store, session_id, texts):
    for number, text in enumerate(texts):
        person = store.join(session_id, f"{number}" * 64)
        status = "flagged" if "die" in text else "pending"
        store.record_answer(session_id, "say", person, passed=False, value=text, moderation=status)


def _announcements(app) -> list[str]:
    return [info.value for info in app.info if "approval" in info.value or "flagged" in info.value]


def test_texts_waiting_are_announced_at_the_top_with_their_count(sqlite_store, session):
    from workshop.dashboard.control import QUEUE_ANCHOR

    live.go_to(sqlite_store, session.id, 9)  # open text
    _texts(sqlite_store, session.id, ["My yes", "Slower now", "Quiet helps", "I want to die"])
    app = _app(sqlite_store, session.id)
    [announcement] = _announcements(app)
    assert announcement.startswith("3 texts wait for your approval.")
    assert "1 text was flagged as a possible safety concern" in announcement
    assert f"(#{QUEUE_ANCHOR})" in announcement  # the link down to the queue
    # It stands above the room's buttons, the queue and the notes.
    drawn = list(app.main)
    position = next(
        n for n, element in enumerate(drawn) if getattr(element, "value", None) == announcement
    )
    assert position < next(n for n, element in enumerate(drawn) if element.type == "selectbox")
    assert [header.value for header in app.header if header.value == "Moderation queue"]
    assert "4 waiting · 0 on screen" in _small_text(app)
    queue = sqlite_store.moderation_queue(session.id, "say")
    for item in queue[:3]:
        app.button(key=f"approve-{item.answer_id}").click().run(timeout=20)
    [announcement] = _announcements(app)
    assert "approval" not in announcement and "1 text was flagged" in announcement
    assert "1 waiting · 3 on screen" in _small_text(app)
    app.button(key=f"reject-{queue[3].answer_id}").click().run(timeout=20)
    assert _announcements(app) == []


def test_moderation_approves_and_flags(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 9)  # open text
    _texts(sqlite_store, session.id, ["Noticing my yes", "I want to die some days"])
    app = _app(sqlite_store, session.id)
    assert "2 waiting" in _small_text(app)
    assert any("Possible safety concern" in warning.value for warning in app.warning)
    queue = sqlite_store.moderation_queue(session.id, "say")
    # A flagged text can only be kept off the screen.
    assert not [button for button in app.button if button.key == f"approve-{queue[1].answer_id}"]
    app.button(key=f"approve-{queue[0].answer_id}").click().run(timeout=20)
    statuses = [item.moderation for item in sqlite_store.moderation_queue(session.id, "say")]
    assert statuses == ["approved", "flagged"]


def test_no_announcement_where_nothing_waits(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 9)
    app = _app(sqlite_store, session.id)
    assert _announcements(app) == []
    assert "0 waiting · 0 on screen" in _small_text(app)
    live.go_to(sqlite_store, session.id, 1)  # not moderated: no queue at all
    app.run(timeout=20)
    assert "Moderation queue" not in [header.value for header in app.header]


def test_reveal_on_a_private_activity_waits_for_its_close_and_its_threshold(sqlite_store, deck):
    # Private activities wait for their own threshold, larger than the session's.
    session = live.start_session(sqlite_store, deck, threshold=2, private_threshold=3)
    live.go_to(sqlite_store, session.id, 5)  # "reflect", private
    app = _app(sqlite_store, session.id)
    assert any("· private" in caption.value for caption in app.caption)
    assert app.button(key="reveal").disabled
    assert "close it first, then reveal" in _small_text(app)
    app.button(key="close").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["reflect"].status == "closed"
    assert app.button(key="reveal").disabled  # closed, but nobody answered
    assert "Nothing to reveal until 3 people have answered." in _small_text(app)
    assert app.button(key="open").label == "Reopen"
    app.button(key="open").click().run(timeout=20)
    _answers(sqlite_store, session.id, "reflect", [[0, 1], [1, 1], None])
    app.button(key="close").click().run(timeout=20)
    assert app.button(key="reveal").disabled  # two answered: the private threshold is 3
    app.button(key="open").click().run(timeout=20)
    _answers(sqlite_store, session.id, "reflect", [[0, 0]], first=3)
    app.button(key="close").click().run(timeout=20)
    assert not app.button(key="reveal").disabled
    assert "reveals this private activity's results" in _small_text(app)
    app.button(key="reveal").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["reflect"].revealed
    hide = app.button(key="reveal")
    assert hide.label == "Hide" and not hide.disabled
    # A second toggle within a moment of the first is taken for a repeat of it (CI saw one
    # press of R reveal and hide at once): Hide waits a second and a half.
    hide.click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["reflect"].revealed
    app.session_state[control.REVEALED_AT] = {"reflect": 0.0}  # as if revealed long ago
    app.button(key="reveal").click().run(timeout=20)
    assert not sqlite_store.activity_states(session.id)["reflect"].revealed


def test_reveal_is_off_where_it_would_show_nothing(sqlite_store, session):
    from workshop.dashboard.control import reveals_something

    # Only answer keys, explanations and private results are revealed.
    revealing = {activity.id for activity in session.deck.activities if reveals_something(activity)}
    assert revealing == {"reflect", "quiz", "sort"}
    live.go_to(sqlite_store, session.id, 1)  # "colour", a single choice, no key
    _answers(sqlite_store, session.id, "colour", [0, 1, 2])
    app = _app(sqlite_store, session.id)
    assert app.button(key="reveal").disabled
    assert "Nothing to reveal: this activity has no answer key" in _small_text(app)
    # A knowledge check reveals its key once enough people answered for its chart to show.
    live.go_to(sqlite_store, session.id, 6)  # "quiz"
    _answers(sqlite_store, session.id, "quiz", [[0, 1], None])
    app.run(timeout=20)
    assert app.button(key="reveal").disabled, "a pass does not count towards the threshold"
    assert "Nothing to reveal until 2 people have answered." in _small_text(app)
    _answers(sqlite_store, session.id, "quiz", [[1, 1]], first=2)
    app.run(timeout=20)
    assert not app.button(key="reveal").disabled
    assert "correct answers and their explanations" in _small_text(app)
    app.button(key="reveal").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["quiz"].revealed
    # The information slide before it has no such buttons at all.
    live.go_to(sqlite_store, session.id, 0)
    app.run(timeout=20)
    assert not [button for button in app.button if button.key in ("reveal", "open", "close")]


def test_timer_and_end_session(sqlite_store, session):
    app = _app(sqlite_store, session.id, now=NOW)
    app.number_input(key=f"timer_minutes_{session.id}_join").set_value(2.0)
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


def test_the_countdown_is_drawn_only_while_a_timer_runs(sqlite_store, session):
    """No timer, no self-refreshing countdown; one started or stopped on another device shows
    or goes with the page drawn again (which `_follow` does when the room's version moves)."""
    app = _app(sqlite_store, session.id)  # the store's own clock, as the remote's
    assert "Discussion timer" not in [metric.label for metric in app.metric]
    live.start_timer(sqlite_store, session.id, 90)  # from the remote, say
    app.run(timeout=20)
    assert _metric(app, "Discussion timer") in {"1:30", "1:29", "1:28"}
    live.stop_timer(sqlite_store, session.id)
    app.run(timeout=20)
    assert "Discussion timer" not in [metric.label for metric in app.metric]


def test_the_timer_starts_from_the_activity_on_screen(sqlite_store, session):
    app = _app(sqlite_store, session.id, now=NOW)
    assert app.number_input(key=f"timer_minutes_{session.id}_join").value == 3.0
    app.button(key="next").click().run(timeout=20)  # "hello", planned for 1 minute
    assert app.number_input(key=f"timer_minutes_{session.id}_hello").value == 1.0
    app.button(key="next").click().run(timeout=20)  # "colour", 2 minutes
    assert app.number_input(key=f"timer_minutes_{session.id}_colour").value == 2.0
    app.button(key="timer_start").click().run(timeout=20)
    assert sqlite_store.session(session.id).timer_seconds == 120
    app.button(key="next").click().run(timeout=20)  # "words", 2 minutes
    app.button(key="next").click().run(timeout=20)  # "many", 1 minute
    assert app.number_input(key=f"timer_minutes_{session.id}_many").value == 1.0


def test_the_built_in_breaks_plan_the_minutes_their_notes_say():
    """The timer starts from an activity's planned minutes: a break whose notes say to start
    "the 5-minute timer" must be planned for 5 minutes."""
    import re

    from workshop.curriculum.deck_files import DECK_FOLDER, load_deck

    for path in sorted(DECK_FOLDER.glob("*.toml")):
        for activity in load_deck(path).activities:
            said = re.search(r"the (\d+)-minute timer", activity.notes)
            if said:
                assert activity.minutes == float(said.group(1)), (path.name, activity.id)


def test_blank_screen_toggles_what_the_projector_shows(sqlite_store, session):
    app = _app(sqlite_store, session.id)
    blank = app.button(key="blank")
    assert blank.label == "Blank screen"
    blank.click().run(timeout=20)
    assert sqlite_store.session(session.id).blanked
    assert app.button(key="blank").label == "Show the room"
    assert any("The screen is blank" in info.value for info in app.info)
    app.button(key="blank").click().run(timeout=20)
    assert not sqlite_store.session(session.id).blanked
    assert not any("The screen is blank" in info.value for info in app.info)


def test_next_and_previous_page_a_revealed_answer_key_as_the_projector_keys_do(
    sqlite_store, session
):
    """Driving from the control view with the projector on a screen link shows every
    explanation: Next pages them one at a time before the activity after, as → does."""
    from workshop.store import SeededAnswer

    quiz = session.deck.activity("quiz")
    position = session.deck.activities.index(quiz)
    live.go_to(sqlite_store, session.id, position)
    answers = [  # the session's threshold is 2
        SeededAnswer("quiz", sqlite_store.join(session.id, token * 64), False, [0, 1])
        for token in "qr"
    ]
    sqlite_store.seed_answers(session.id, answers)
    live.close_activity(sqlite_store, session.id, "quiz")
    live.reveal(sqlite_store, session.id, "quiz", True)
    app = _app(sqlite_store, session.id)
    assert app.button(key="next").label == "Next explanation"
    assert app.button(key="previous").label == "Previous"
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).note_shown == 1
    assert sqlite_store.session(session.id).current_index == position
    assert app.button(key="previous").label == "Previous explanation"
    app.button(key="previous").click().run(timeout=20)
    assert sqlite_store.session(session.id).note_shown == 0
    for _statement in quiz.statements[1:]:
        app.button(key="next").click().run(timeout=20)
    assert app.button(key="next").label == "Next"  # the last explanation is on screen
    app.button(key="blank").click().run(timeout=20)
    assert app.button(key="next").disabled and app.button(key="previous").disabled
    app.button(key="blank").click().run(timeout=20)
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == position + 1


def test_a_click_replayed_while_the_page_redraws_moves_the_room_once(sqlite_store, session):
    """Streamlit ran one click's callback two or three times while the page redrew: each
    button acts on the room as it was drawn, so the repeats find it moved and do nothing."""
    from workshop.dashboard import control

    drawn = live.load(sqlite_store, session.id)
    placed = control.as_drawn(sqlite_store, drawn, control._place)
    for _replay in range(3):
        control._act(live.forward, sqlite_store, session.id, unchanged=placed)
    assert sqlite_store.session(session.id).current_index == 0
    # An old "Lock joining" toggle sending its old value back leaves the lock alone.
    unlocked = live.load(sqlite_store, session.id)
    live.lock_joins(sqlite_store, session.id, True)
    stale = control.as_drawn(sqlite_store, unlocked, lambda now: now.row.joins_locked)
    control._act(live.lock_joins, sqlite_store, session.id, False, unchanged=stale)
    assert sqlite_store.session(session.id).joins_locked


def test_a_page_drawn_before_another_device_moved_the_room_moves_it_no_further(
    sqlite_store, session
):
    app = _app(sqlite_store, session.id)
    live.next_activity(sqlite_store, session.id)  # another device: "Hello" is on screen
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0
    assert "Hello" in [header.value for header in app.header]  # the page shows the room now
    app.button(key="next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 1


def follow_script(database_url: str, session_id: int, moved_elsewhere: bool) -> None:
    """The control view's follower as the page runs it: drawn at one state of the room; in the
    first run, another device moves the room after the page was drawn."""
    import streamlit as st

    from workshop.dashboard import control
    from workshop.room import live
    from workshop.store import Store

    store = Store(database_url)
    runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    drawn = control.drawn_from(store, live.load(store, session_id))
    if runs == 1 and moved_elsewhere:
        live.next_activity(store, session_id)
    control._follow(store, session_id, drawn, lambda: True)
    st.write(f"drawn at version {drawn.version}")


@pytest.mark.parametrize("moved_elsewhere", [False, True])
def test_a_second_device_redraws_when_the_room_moves(sqlite_store, session, moved_elsewhere):
    app = AppTest.from_function(follow_script, args=(sqlite_store.url, session.id, moved_elsewhere))
    app.run(timeout=20)
    assert not app.exception
    version = sqlite_store.session(session.id).version
    # Moved elsewhere: the follower saw it and drew the whole page again, at the new version.
    assert app.session_state["runs"] == (2 if moved_elsewhere else 1)
    assert app.markdown[-1].value == f"drawn at version {version}"


def test_what_the_page_was_drawn_from_moves_with_the_room(sqlite_store, session):
    """Each change another device can make moves it: a move, a blank screen, the door, and
    enough answers in for Reveal to do something."""
    from workshop.dashboard.control import drawn_from

    def now():
        return drawn_from(sqlite_store, live.load(sqlite_store, session.id))

    live.go_to(sqlite_store, session.id, 6)  # "quiz"
    before = now()
    assert not before.can_reveal
    _answers(sqlite_store, session.id, "quiz", [[0, 1]])
    assert now() == before  # one answer: Reveal is still off, nothing to redraw
    _answers(sqlite_store, session.id, "quiz", [[1, 1]], first=1)
    assert now().can_reveal and now() != before
    changes = [
        lambda: live.blank_screen(sqlite_store, session.id, True),
        lambda: live.set_headcount(sqlite_store, session.id, 9),
        lambda: live.lock_joins(sqlite_store, session.id, True),
        lambda: live.next_activity(sqlite_store, session.id),
    ]
    for change in changes:
        before = now()
        change()
        assert now() != before


def test_the_facilitator_is_warned_when_phones_cannot_reach_the_qr_address(sqlite_store, session):
    def script(database_url: str, session_id: int) -> None:
        from workshop.dashboard import control
        from workshop.store import Store

        control.render(
            Store(database_url),
            session_id,
            "http://192.0.2.7:8501",
            address_problem="Phones cannot reach the address in the QR code (192.0.2.7:8501).",
        )

    app = AppTest.from_function(script, args=(sqlite_store.url, session.id))
    app.run(timeout=20)
    assert not app.exception
    assert "Phones cannot reach" in app.warning[0].value


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
    assert _metric(app, "Joined") == "2"
    assert "2 of 2 joined" in [caption.value for caption in app.caption]
    assert "1 attempt to join was turned away: the room is locked." in app.warning[0].value
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
