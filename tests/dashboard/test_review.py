"""The review page through AppTest: past sessions, one opened, observations, side by side."""

from streamlit.testing.v1 import AppTest

from workshop.room import live
from workshop.room.rehearsal import start_rehearsal

TIMEOUT = 30


def review_script(database_url: str) -> None:
    from workshop.dashboard import review
    from workshop.store import Store

    review.render(Store(database_url))


def _app(store) -> AppTest:
    app = AppTest.from_function(review_script, args=(store.url,))
    app.run(timeout=TIMEOUT)
    assert not app.exception, app.exception
    return app


def _answered_session(store, deck, people: int):
    session = live.start_session(store, deck, threshold=3)
    live.go_to(store, session.id, 1)  # colour
    for number in range(people):
        person = store.join(session.id, f"{number:064d}")
        store.record_answer(session.id, "colour", person, passed=False, value=number % 3)
    live.end_session(store, session.id)
    return session


def test_sessions_are_listed_and_rehearsals_shown_only_when_asked(sqlite_store, deck):
    held = _answered_session(sqlite_store, deck, people=4)
    start_rehearsal(sqlite_store, deck, people=5)
    app = _app(sqlite_store)
    listing = app.dataframe[0].value
    assert list(listing["Code"]) == [held.row.join_code]
    assert list(listing["Joined"]) == [4]
    app.checkbox(key="review_rehearsals").check().run(timeout=TIMEOUT)
    assert list(app.dataframe[0].value["Status"]) == ["rehearsal", "ended"]


def test_an_opened_session_shows_its_results_with_the_rooms_suppression(sqlite_store, deck):
    _answered_session(sqlite_store, deck, people=4)
    app = _app(sqlite_store)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Joined"] == "4" and metrics["Headcount"] == "—"
    charts = app.get("plotly_chart")
    assert len(charts) == 1  # only "colour" was answered by enough people
    assert '"x":[2,1,1]' in charts[0].proto.spec.replace(" ", "")
    captions = [caption.value for caption in app.caption]
    assert "Results appear once 3 people have answered (passes do not count)." in captions
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["Report (HTML)", "Workbook (Excel)", "Aggregates (CSV)", "Archive (JSON)"]


def test_observations_and_the_headcount_are_kept(sqlite_store, deck):
    session = _answered_session(sqlite_store, deck, people=4)
    app = _app(sqlite_store)
    key = f"{session.id}-colour"
    app.text_area(key=f"observation-{key}").input("Most chose quickly.")
    app.button(key=f"keep-{key}").click().run(timeout=TIMEOUT)
    assert [note.text for note in sqlite_store.observations(session.id)] == ["Most chose quickly."]
    assert "Most chose quickly." in [text.value for text in app.text]
    app.button(key=f"keep-{session.id}-session").click().run(timeout=TIMEOUT)
    assert "Write something first." in [error.value for error in app.error]
    app.number_input(key=f"headcount-{session.id}").set_value(7)
    app.button(key=f"save-headcount-{session.id}").click().run(timeout=TIMEOUT)
    assert sqlite_store.session(session.id).headcount == 7


def test_two_sessions_of_one_deck_side_by_side(sqlite_store, deck):
    _answered_session(sqlite_store, deck, people=4)
    _answered_session(sqlite_store, deck, people=5)
    app = _app(sqlite_store)
    # The opened session's own chart, then both sessions' charts side by side.
    specs = [chart.proto.spec.replace(" ", "") for chart in app.get("plotly_chart")]
    assert len(specs) == 3
    assert '"x":[2,2,1]' in specs[1] and '"x":[2,1,1]' in specs[2]


def test_a_session_is_deleted_only_once_confirmed(sqlite_store, deck):
    session = _answered_session(sqlite_store, deck, people=4)
    app = _app(sqlite_store)
    assert app.button(key=f"delete-{session.id}").disabled
    app.checkbox(key=f"delete-sure-{session.id}").check().run(timeout=TIMEOUT)
    app.button(key=f"delete-{session.id}").click().run(timeout=TIMEOUT)
    assert sqlite_store.session(session.id) is None
    assert "No sessions here yet" in app.info[0].value


def test_an_observation_is_kept_once_and_can_be_taken_back(sqlite_store, deck):
    session = _answered_session(sqlite_store, deck, people=4)
    app = _app(sqlite_store)
    key = f"{session.id}-session"
    app.text_area(key=f"observation-{key}").input("Anna seemed upset.")  # a name, by mistake
    app.button(key=f"keep-{key}").click().run(timeout=TIMEOUT)
    assert app.text_area(key=f"observation-{key}").value == ""  # nothing left to keep twice
    app.button(key=f"keep-{key}").click().run(timeout=TIMEOUT)
    [note] = sqlite_store.observations(session.id)
    app.button(key=f"remove-observation-{note.id}").click().run(timeout=TIMEOUT)
    assert sqlite_store.observations(session.id) == []


def test_deck_text_is_shown_as_written_never_as_markdown(sqlite_store, deck):
    odd = deck.model_copy(
        update={
            "activities": [
                activity.model_copy(
                    update={"title": "Costs $5 and $10 ![x](http://example.invalid/x.png)"}
                )
                if activity.id == "colour"
                else activity
                for activity in deck.activities
            ]
        }
    )
    _answered_session(sqlite_store, odd, people=4)
    app = _app(sqlite_store)
    [heading] = [md.value for md in app.markdown if "Costs" in md.value]
    assert heading == (
        "**2. Costs \\$5 and \\$10 \\!\\[x\\]\\(http\\://example\\.invalid/x\\.png\\)**"
    )


class _Column:
    """Stands in for a Streamlit column: keeps what each download button was given."""

    def __init__(self, offered: dict) -> None:
        self.offered = offered

    def download_button(self, label, *, data, file_name, **options) -> None:
        self.offered[file_name.rsplit(".", 1)[-1]] = data


def test_a_download_made_later_keeps_the_pages_language(sqlite_store, deck, monkeypatch):
    """Streamlit makes a download's file after the run, in a thread where no language is set:
    the file still speaks the language the page spoke."""
    from workshop import i18n
    from workshop.dashboard import review
    from workshop.review.session import review_session

    session = _answered_session(sqlite_store, deck, people=4)
    offered = {}
    monkeypatch.setattr(review.st, "columns", lambda count: [_Column(offered)] * count)
    with i18n.speaking("es"):
        review._downloads(sqlite_store, review_session(sqlite_store, session.id))
    assert set(offered) == {"html", "xlsx", "csv", "json"}
    report = offered["html"]().decode()  # made outside the block, as Streamlit does
    assert '<html lang="es">' in report and "<h2>Lo que respondió el grupo</h2>" in report
