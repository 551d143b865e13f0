"""One session's rows, out of the database and back in: what the JSON archive carries.

`dump_session` reads the rows as they are, with the database's participant ids; what may leave
(no token or hash, participants renumbered, text the facilitator did not approve left out) is
decided by review/archive.py before anything is written. `load_session` puts an archive's rows
back, giving each participant a fresh random value where the keyed hash of its cookie was (a
phone cannot rejoin a restored session; it was never meant to).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import select

from workshop.store.database import JoinCodeTaken, Store
from workshop.store.schema import (
    activity_states,
    answers,
    events,
    observations,
    participants,
    session_decks,
    sessions,
    snapshots,
)

# The session's own columns an archive keeps (its id is the database's business), beside its
# deck (deck_json, from a table of its own).
SESSION_COLUMNS = [column.name for column in sessions.columns if column.name != "id"]


def dump_session(store: Store, session_id: int) -> dict[str, Any] | None:
    """The session's rows as plain data; None if there is no such session."""
    with store.engine.connect() as connection:
        row = connection.execute(select(sessions).where(sessions.c.id == session_id)).first()
        if row is None:
            return None
        deck_json = connection.scalar(
            select(session_decks.c.deck_json).where(session_decks.c.session_id == session_id)
        )
        states = connection.execute(
            select(
                activity_states.c.activity_id, activity_states.c.status, activity_states.c.revealed
            )
            .where(activity_states.c.session_id == session_id)
            .order_by(activity_states.c.activity_id)
        ).all()
        people = list(
            connection.scalars(
                select(participants.c.id).where(participants.c.session_id == session_id)
            )
        )
        stored = connection.execute(
            select(
                answers.c.activity_id,
                answers.c.participant_id,
                answers.c.passed,
                answers.c.value_json,
                answers.c.moderation,
            ).where(answers.c.session_id == session_id)
        ).all()
        logged = connection.execute(
            select(events.c.action, events.c.activity_id, events.c.at)
            .where(events.c.session_id == session_id)
            .order_by(events.c.id)
        ).all()
        notes = connection.execute(
            select(observations.c.activity_id, observations.c.text, observations.c.written_at)
            .where(observations.c.session_id == session_id)
            .order_by(observations.c.id)
        ).all()
        kept = connection.execute(
            select(snapshots.c.name, snapshots.c.payload)
            .where(snapshots.c.session_id == session_id)
            .order_by(snapshots.c.name)
        ).all()
    return {
        "session": {
            **{name: row._mapping[name] for name in SESSION_COLUMNS},
            "deck_json": deck_json,
        },
        "activity_states": [
            {"activity_id": state.activity_id, "status": state.status, "revealed": state.revealed}
            for state in states
        ],
        "participants": people,
        "answers": [
            {
                "activity_id": answer.activity_id,
                "participant": answer.participant_id,
                "passed": bool(answer.passed),
                "value": None if answer.value_json is None else json.loads(answer.value_json),
                "moderation": answer.moderation,
            }
            for answer in stored
        ],
        "events": [
            {"action": event.action, "activity_id": event.activity_id, "at": event.at}
            for event in logged
        ],
        "observations": [
            {"activity_id": note.activity_id, "text": note.text, "written_at": note.written_at}
            for note in notes
        ],
        # A purged session's results as they were (its answers are gone).
        "snapshots": [{"name": row.name, "payload": row.payload} for row in kept],
    }


def load_session(store: Store, data: dict[str, Any], join_code: str) -> int:
    """Insert an archived session under `join_code`, in one transaction; JoinCodeTaken if the
    code is in use. Returns the new session's id."""
    session = {
        name: data["session"][name] for name in SESSION_COLUMNS if name != "private_threshold"
    }
    # An archive from before the private threshold: its private activities were shown under
    # its one threshold, and are again.
    session["private_threshold"] = data["session"].get("private_threshold", session["threshold"])
    session["join_code"] = join_code
    with store.writing() as connection:
        if connection.scalar(select(sessions.c.id).where(sessions.c.join_code == join_code)):
            raise JoinCodeTaken(join_code)
        session_id = connection.execute(sessions.insert().values(**session)).inserted_primary_key[0]
        connection.execute(
            session_decks.insert().values(
                session_id=session_id, deck_json=data["session"]["deck_json"]
            )
        )
        if data["activity_states"]:
            connection.execute(
                activity_states.insert(),
                [{"session_id": session_id, **state} for state in data["activity_states"]],
            )
        ids = {}
        for number in range(1, data["participants"] + 1):
            ids[number] = connection.execute(
                participants.insert().values(
                    session_id=session_id, token_hash=secrets.token_hex(32)
                )
            ).inserted_primary_key[0]
        if data["answers"]:
            connection.execute(
                answers.insert(),
                [
                    {
                        "session_id": session_id,
                        "activity_id": answer["activity_id"],
                        "participant_id": ids[answer["participant"]],
                        "passed": answer["passed"],
                        "value_json": None
                        if answer["passed"]
                        else json.dumps(answer["value"], ensure_ascii=False),
                        "moderation": answer["moderation"],
                    }
                    for answer in data["answers"]
                ],
            )
        if data["events"]:
            connection.execute(
                events.insert(), [{"session_id": session_id, **event} for event in data["events"]]
            )
        if data["observations"]:
            connection.execute(
                observations.insert(),
                [{"session_id": session_id, **note} for note in data["observations"]],
            )
        if data.get("snapshots"):
            connection.execute(
                snapshots.insert(),
                [{"session_id": session_id, **kept} for kept in data["snapshots"]],
            )
    return session_id
