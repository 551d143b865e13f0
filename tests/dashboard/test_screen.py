from streamlit.testing.v1 import AppTest

from workshop.room import live
from workshop.web import keys


def screen_script(
    database_url: str,
    session_id: int,
    public_url: str | None,
    now: float | None = None,
    facilitator: bool | None = None,
    login: str | None = None,
) -> None:
    import time

    from workshop.dashboard import gate, screen
    from workshop.store import Store
    from workshop.web.facilitator_login import COOKIE
    from workshop.web.links import Access

    clock = time.time if now is None else (lambda: now)
    store = Store(database_url, clock=clock)
    # With a login: the dashboard's own access check, asked again before every action.
    guard = (
        (lambda: True)
        if login is None
        else (lambda: gate.still_allowed(store, {COOKIE: login}, {}, Access()))
    )
    screen.render(store, session_id, public_url, guard, facilitator=facilitator)


def _screen(store, session_id, public_url="http://127.0.0.1:8599", **options):
    app = AppTest.from_function(
        screen_script,
        args=(
            store.url,
            session_id,
            public_url,
            options.get("now"),
            options.get("facilitator"),
            options.get("login"),
        ),
    )
    app.run(timeout=20)
    assert not app.exception
    return app


def _html(app) -> str:
    return "\n".join(element.proto.body for element in app.html)


def _keys(app) -> set[str]:
    return {button.key for button in app.button}


CONTROLS = {"screen_previous", "screen_next", "screen_reveal", "screen_blank"}


def test_the_join_slide_shows_the_qr_code_the_code_and_the_address(sqlite_store, session):
    app = _screen(sqlite_store, session.id)
    html = _html(app)
    assert session.row.join_code in html
    assert "127.0.0.1:8599/j" in html
    assert "0 joined" in html
    [image] = app.image
    # The QR code says what it is to a screen reader: the address and the code.
    [alt] = [item.alt for item in image.proto.imgs]
    assert "127.0.0.1:8599/j" in alt and session.row.join_code in alt


def test_without_an_address_the_join_slide_says_what_to_set(sqlite_store, session):
    app = _screen(sqlite_store, session.id, public_url=None)
    assert "WORKSHOP_PUBLIC_URL" in app.error[0].value
    assert not app.image


def test_nothing_is_charted_below_the_threshold(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 1)
    person = sqlite_store.join(session.id, "a" * 64)
    sqlite_store.record_answer(session.id, "colour", person, passed=False, value=1)
    app = _screen(sqlite_store, session.id)
    html = _html(app)
    assert "Pick a colour" in html
    # The room's words: a pass is counted as a pass, and does not count towards the threshold.
    passer = sqlite_store.join(session.id, "p" * 64)
    sqlite_store.record_answer(session.id, "colour", passer, passed=True)
    html = _html(_screen(sqlite_store, session.id))
    assert (
        "1 answered · 1 passed. Results appear once 2 people have answered "
        "(passes do not count)." in html
    )
    assert not app.get("plotly_chart")
    other = sqlite_store.join(session.id, "b" * 64)
    sqlite_store.record_answer(session.id, "colour", other, passed=False, value=1)
    app = _screen(sqlite_store, session.id)
    [chart] = app.get("plotly_chart")
    assert '"x":[0,2,0]' in chart.proto.spec.replace(" ", "")


def _answer_the_quiz(store, session_id, people=2):
    for number in range(people):
        person = store.join(session_id, f"q{number}".ljust(64, "0"))
        store.record_answer(session_id, "quiz", person, passed=False, value=[0, 1])


def test_revealed_answer_keys_and_approved_text_are_shown_escaped(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 9)
    for number, text in enumerate(["<b>bold</b> move", "second"]):
        person = sqlite_store.join(session.id, f"{number}" * 64)
        sqlite_store.record_answer(
            session.id, "say", person, passed=False, value=text, moderation="approved"
        )
    html = _html(_screen(sqlite_store, session.id))
    assert "&lt;b&gt;bold&lt;/b&gt; move" in html and "<b>bold</b>" not in html
    live.go_to(sqlite_store, session.id, 6)  # knowledge check
    _answer_the_quiz(sqlite_store, session.id)
    assert "A boundary is about me. True." not in _html(_screen(sqlite_store, session.id))
    live.reveal(sqlite_store, session.id, "quiz")
    html = _html(_screen(sqlite_store, session.id))
    # One explanation at a time, with where it is in the answer key.
    assert "1 of 2" in html and "A boundary is about me. True. Yes." in html
    assert "Codependency is a diagnosis. False." not in html


def test_the_timer_and_the_corner_code_show_during_an_activity(sqlite_store, session):
    sqlite_store.clock = lambda: 1_800_000_000.0
    live.go_to(sqlite_store, session.id, 0)
    live.start_timer(sqlite_store, session.id, 180)
    html = _html(_screen(sqlite_store, session.id, None, now=1_800_000_075.0))
    assert '<div class="tandem-timer">1:45</div>' in html
    assert f"<b>{session.row.join_code}</b>" in html
    assert "Welcome." in html


def test_an_ended_session_thanks_the_room(sqlite_store, session):
    live.end_session(sqlite_store, session.id)
    assert "Thank you for taking part" in _html(_screen(sqlite_store, session.id))


def test_a_screen_link_holder_gets_the_room_and_no_control(sqlite_store, session):
    """Read-only: no button, no way to the control view, whether the page is told so or asks
    the access check itself (no login here)."""
    for facilitator in (False, None):
        app = _screen(sqlite_store, session.id, facilitator=facilitator)
        assert session.row.join_code in _html(app)
        assert not _keys(app) & CONTROLS
        assert "/control?session=" not in _html(app)


def test_the_facilitator_has_the_keys_of_presentation_software(sqlite_store, session):
    app = _screen(sqlite_store, session.id, facilitator=True)
    assert CONTROLS <= _keys(app)
    shortcuts = {key: app.button(key=key).proto.shortcut for key in CONTROLS}
    # R is Streamlit's own "rerun" key: the page's script takes it (and a clicker's keys).
    assert shortcuts == {
        "screen_previous": "left",
        "screen_next": "right",
        "screen_reveal": "",
        "screen_blank": "b",
    }
    assert f'href="/control?session={session.id}"' in _html(app)  # the way back
    assert app.button(key="screen_previous").disabled  # nothing before the join slide


def test_next_and_previous_move_the_room_and_page_through_explanations(sqlite_store, session):
    app = _screen(sqlite_store, session.id, facilitator=True)
    app.button(key="screen_next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0
    app.button(key="screen_previous").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == -1

    live.go_to(sqlite_store, session.id, 6)
    _answer_the_quiz(sqlite_store, session.id)
    live.reveal(sqlite_store, session.id, "quiz")
    app = _screen(sqlite_store, session.id, facilitator=True)
    assert "1 of 2" in _html(app)
    # → shows the next explanation before it moves on; ← goes back through them first.
    app.button(key="screen_next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 6
    assert "2 of 2" in _html(app) and "Codependency is a diagnosis. False." in _html(app)
    # The projector's own browser (a screen link's) shows the explanation that is on.
    assert "2 of 2" in _html(_screen(sqlite_store, session.id, facilitator=False))
    app.button(key="screen_previous").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 6
    assert "1 of 2" in _html(app)
    app.button(key="screen_next").click().run(timeout=20)
    app.button(key="screen_next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 7
    # Another browser showing the screen (a screen link's) shows what this one moved to.
    assert '<p class="tandem-title">Sort</p>' in _html(
        _screen(sqlite_store, session.id, facilitator=False)
    )


def test_r_reveals_and_hides_what_is_on_screen(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 6)
    _answer_the_quiz(sqlite_store, session.id)
    app = _screen(sqlite_store, session.id, facilitator=True)
    assert app.button(key="screen_reveal").label == "Reveal"
    app.button(key="screen_reveal").click().run(timeout=20)
    assert sqlite_store.activity_states(session.id)["quiz"].revealed
    assert app.button(key="screen_reveal").label == "Hide"
    app.button(key="screen_reveal").click().run(timeout=20)
    assert not sqlite_store.activity_states(session.id)["quiz"].revealed
    # An information slide has nothing to reveal: the button does nothing there.
    live.go_to(sqlite_store, session.id, 0)
    assert _screen(sqlite_store, session.id, facilitator=True).button(key="screen_reveal").disabled


def test_the_blank_screen_shows_a_pause_and_nothing_of_the_room(sqlite_store, session):
    live.go_to(sqlite_store, session.id, 1)
    app = _screen(sqlite_store, session.id, facilitator=True)
    app.button(key="screen_blank").click().run(timeout=20)
    assert sqlite_store.session(session.id).blanked
    for viewer in (app, _screen(sqlite_store, session.id, facilitator=False)):
        html = _html(viewer)
        assert "Paused" in html and session.row.title in html
        assert "Pick a colour" not in html and session.row.join_code not in html
        assert not viewer.get("plotly_chart")
    # At a pause, → and ← move nothing; B again shows the room.
    assert app.button(key="screen_next").disabled and app.button(key="screen_previous").disabled
    app.button(key="screen_blank").click().run(timeout=20)
    assert not sqlite_store.session(session.id).blanked
    assert "Pick a colour" in _html(app)


def test_an_action_after_the_login_ended_changes_nothing(sqlite_store, session):
    keys.set_passcode(sqlite_store, "correct-horse")
    login = keys.new_login(sqlite_store)
    app = _screen(sqlite_store, session.id, facilitator=True, login=login)
    app.button(key="screen_next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0
    keys.end_login(sqlite_store, login)
    app.button(key="screen_next").click().run(timeout=20)
    assert sqlite_store.session(session.id).current_index == 0  # nothing moved
    assert "login has ended" in _html(app)
