"""Rooms made up for tests, screenshots and benchmarks: a workshop run to its end."""

from __future__ import annotations

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.review.observations import add_observation
from workshop.room import live
from workshop.room.rehearsal import start_rehearsal
from workshop.store import Store


def finished_workshop(database_url: str, people: int = 12, deck_id: str = "") -> str:
    """A rehearsed workshop (the 90-minute deck unless named) run to its end, with enough people
    for its private activities (8 by default) to show: every activity shown, closed and
    revealed, a few written answers approved, one observation. Returns its join code."""
    store = Store(database_url)
    try:
        deck = load_deck(DECK_FOLDER / f"{deck_id or 'codependency-to-interdependency-90'}.toml")
        session = start_rehearsal(store, deck, people=people, threshold=5)
        for index, activity in enumerate(deck.activities):
            live.go_to(store, session.id, index)
            if not activity.answerable:
                continue
            if live.load(store, session.id).state(activity.id).status == "open":
                live.close_activity(store, session.id, activity.id)
            live.reveal(store, session.id, activity.id)
            for item in live.moderation_queue(store, session.id, activity.id)[1:4]:
                live.moderate(store, session.id, item.answer_id, "approved")
        add_observation(
            store, session.id, None, "The room warmed up after the break; two arrived late."
        )
        live.end_session(store, session.id)
        return session.row.join_code
    finally:
        store.close()
