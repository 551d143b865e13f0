"""What a phone's question page shows, found in a replay of a whole workshop: a form without the
script says the room may have moved on (and never reloads itself), the title is said once, a
"Pick up to N" carries its limit for the script, and open text before any approval says the
texts are on their way instead of a heading over nothing."""

from __future__ import annotations

import re

import pytest

from tests.conftest import small_deck_data
from tests.web.test_phone_results import answer, joined, phone, results_of
from workshop import i18n
from workshop.curriculum.decks import parse_deck
from workshop.room import live

HINT = (
    "The workshop may have moved on since you opened this page: reload it to see the current "
    "activity."
)
SHOWN_SOON = "Written answers appear here once the facilitator shows them on the screen."


@pytest.fixture
def room(sqlite_store, deck):
    session = live.start_session(sqlite_store, deck, threshold=2)
    return sqlite_store, session


def index_of(session: live.Live, activity_id: str) -> int:
    return [activity.id for activity in session.deck.activities].index(activity_id)


def main_of(html: str) -> str:
    return html[html.index("<main>") : html.index("</main>")]


# A form without the script ---------------------------------------------------------------------


@pytest.mark.parametrize("activity_id", ["colour", "reflect", "quiz", "words", "say", "order"])
def test_a_form_says_in_noscript_that_the_room_may_have_moved_on_and_never_reloads(
    room, activity_id
):
    """Radio choices only (a single choice, a battery, a knowledge check) or typed words: no
    form reloads itself (it would wipe half-made choices, and a reflective question has no
    countdown), but each says, where the script is off, to reload for the current activity."""
    store, session = room
    live.go_to(store, session.id, index_of(session, activity_id))
    client = joined(store, session)
    form = client.get(f"/j/{session.row.join_code}").text
    assert '<form method="post"' in form
    assert f'<noscript><p class="quiet no-script-reload">{HINT}</p></noscript>' in form
    assert 'http-equiv="refresh"' not in form
    # Before the form: what a phone left on this page shows first.
    assert form.index(HINT) < form.index('<form method="post"')


def test_the_hint_leaves_with_the_form(room):
    store, session = room
    live.go_to(store, session.id, index_of(session, "colour"))
    client = joined(store, session)
    answered = answer(client, session, activity="colour", choice="0")
    assert HINT not in answered
    assert "Reload to see the next activity" in answered  # the page that reloads itself says so
    changing = client.get(f"/j/{session.row.join_code}", params={"change": "1"}).text
    assert HINT in changing


# The title, said once --------------------------------------------------------------------------


@pytest.mark.parametrize("activity_id", ["colour", "weather"])
def test_the_title_is_the_heading_only_and_names_the_choices(room, activity_id):
    store, session = room
    live.go_to(store, session.id, index_of(session, activity_id))
    title = session.deck.activity(activity_id).title
    page = main_of(joined(store, session).get(f"/j/{session.row.join_code}").text)
    assert re.findall(rf">{title}<", page) == [f">{title}<"]
    assert f'<h1 id="activity-title">{title}</h1>' in page
    # The group of choices is named by that heading, for a screen reader.
    assert '<fieldset aria-labelledby="activity-title"' in page or (
        '<fieldset class="scale" aria-labelledby="activity-title"' in page
    )
    assert "<legend" not in page


# Pick up to N ----------------------------------------------------------------------------------


def test_a_limited_multiple_choice_carries_its_limit_and_the_server_still_refuses_more(room):
    store, session = room
    live.go_to(store, session.id, index_of(session, "many"))  # A, B, C; up to 2
    client = joined(store, session)
    page = client.get(f"/j/{session.row.join_code}").text
    assert '<fieldset data-max-choices="2"' in page
    assert (
        'data-at-limit="You have picked 2, the most for this question. To pick another, '
        'untick one first."'
    ) in page
    assert '<p class="quiet choice-limit" role="status"></p>' in page
    assert '<legend class="quiet">Pick up to 2.</legend>' in page
    # Without the script, three ticks are still refused, with the three kept ticked.
    refused = client.post(
        f"/j/{session.row.join_code}", data={"activity": "many", "choice": ["0", "1", "2"]}
    )
    assert refused.status_code == 422
    assert "Please pick at most 2." in refused.text
    assert refused.text.count(" checked>") == 3
    assert store.answers_for(session.id, "many") == []


def test_a_multiple_choice_without_a_limit_has_no_limit_line(sqlite_store):
    data = small_deck_data()
    [many] = [activity for activity in data["activities"] if activity["id"] == "many"]
    del many["max_choices"]
    session = live.start_session(sqlite_store, parse_deck(data), threshold=2)
    live.go_to(sqlite_store, session.id, index_of(session, "many"))
    page = joined(sqlite_store, session).get(f"/j/{session.row.join_code}").text
    assert "Pick as many as fit." in page
    assert "data-max-choices" not in page and "choice-limit" not in page


# Open text before any approval -----------------------------------------------------------------


def test_open_text_before_any_approval_says_texts_come_once_shown_and_no_empty_heading(room):
    store, session = room
    live.go_to(store, session.id, index_of(session, "say"))
    first, second = joined(store, session), joined(store, session)
    answer(first, session, activity="say", text="Listening helped")
    page = answer(second, session, activity="say", text="Taking turns")
    # Two answered (the threshold): visible, but nothing approved yet.
    assert "What the room said" not in page
    assert f"2 answered · 0 passed. {SHOWN_SOON}" in page
    section = results_of(second, session, "say").text
    assert "What the room said" not in section and SHOWN_SOON in section

    [queued, _other] = sorted(
        live.moderation_queue(store, session.id, "say"), key=lambda item: item.text
    )
    live.moderate(store, session.id, queued.answer_id, "approved")
    section = results_of(second, session, "say").text
    assert "What the room said" in section and "Listening helped" in section
    assert SHOWN_SOON not in section and "Taking turns" not in section


def test_open_text_below_the_threshold_still_says_what_it_waits_for(room):
    store, session = room
    live.go_to(store, session.id, index_of(session, "say"))
    page = answer(joined(store, session), session, activity="say", text="Alone so far")
    assert "Results appear once 2 people have answered" in page
    assert SHOWN_SOON not in page and "What the room said" not in page


def test_the_open_text_sentence_speaks_spanish(room):
    store, session = room
    live.go_to(store, session.id, index_of(session, "say"))
    clients = [phone(store) for _number in range(2)]
    headers = {"accept-language": "es"}
    for client in clients:
        client.get(f"/j/{session.row.join_code}", headers=headers)
    for client, text in zip(clients, ("Uno", "Dos"), strict=True):
        page = client.post(
            f"/j/{session.row.join_code}", data={"activity": "say", "text": text}, headers=headers
        ).text
    with i18n.speaking("es"):
        assert i18n.gettext(SHOWN_SOON) in page
        assert i18n.gettext("What the room said") not in page


# A battery's per-statement pass, without the script -------------------------------------------


def test_a_battery_statement_is_passed_alone_in_spanish_with_a_plain_form(room):
    store, session = room
    live.go_to(store, session.id, index_of(session, "reflect"))
    client = joined(store, session)
    headers = {"accept-language": "es"}
    page = client.get(f"/j/{session.row.join_code}", headers=headers).text
    assert page.count("<span>Prefiero no decirlo</span>") == 2
    assert "Puedes dejar sin responder cualquier afirmación: elige «Prefiero no decirlo»" in page
    # The form a browser without the script sends: one statement passed, the other answered.
    sent = client.post(
        f"/j/{session.row.join_code}",
        data={"activity": "reflect", "s0": "pass", "s1": "1", "send": "1"},
        headers=headers,
    )
    assert sent.status_code == 200
    [stored] = store.answers_for(session.id, "reflect")
    assert not stored.passed and stored.value == [None, 1]
