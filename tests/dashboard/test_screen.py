from streamlit.testing.v1 import AppTest

from workshop.room import live


def screen_script(
    database_url: str, session_id: int, public_url: str | None, now: float | None = None
) -> None:
    import time

    from workshop.dashboard import screen
    from workshop.store import Store

    clock = time.time if now is None else (lambda: now)
    screen.render(Store(database_url, clock=clock), session_id, public_url)


def _screen(store, session_id, public_url="http://127.0.0.1:8599"):
    app = AppTest.from_function(screen_script, args=(store.url, session_id, public_url))
    app.run(timeout=20)
    assert not app.exception
    return app


def _html(app) -> str:
    return "\n".join(element.proto.body for element in app.html)


def test_the_join_slide_shows_the_qr_code_the_code_and_the_address(sqlite_store, session):
    app = _screen(sqlite_store, session.id)
    html = _html(app)
    assert session.row.join_code in html
    assert "127.0.0.1:8599/j" in html
    assert "0 joined" in html
    assert len(app.image) == 1


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
    for number in range(2):
        person = sqlite_store.join(session.id, f"{number}" * 64)
        sqlite_store.record_answer(session.id, "quiz", person, passed=False, value=[0, 1])
    assert "A boundary is about me. True." not in _html(_screen(sqlite_store, session.id))
    live.reveal(sqlite_store, session.id, "quiz")
    assert "A boundary is about me. True. Yes." in _html(_screen(sqlite_store, session.id))


def test_the_timer_and_the_corner_code_show_during_an_activity(sqlite_store, session):
    sqlite_store.clock = lambda: 1_800_000_000.0
    live.go_to(sqlite_store, session.id, 0)
    live.start_timer(sqlite_store, session.id, 180)
    app = AppTest.from_function(
        screen_script, args=(sqlite_store.url, session.id, None, 1_800_000_075.0)
    )
    app.run(timeout=20)
    html = _html(app)
    assert '<div class="tandem-timer">1:45</div>' in html
    assert f"<b>{session.row.join_code}</b>" in html
    assert "Welcome." in html


def test_an_ended_session_thanks_the_room(sqlite_store, session):
    live.end_session(sqlite_store, session.id)
    assert "Thank you for taking part" in _html(_screen(sqlite_store, session.id))
