"""The tables Tandem keeps, and how an older database is brought up to date.

What is kept is deliberately little: no IP address, no user agent, no name, no time on any
answer; a participant is a keyed hash of a random cookie token, scoped to one session.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 9


def _false(dialect: str) -> str:
    return "0" if dialect == "sqlite" else "false"


# How to bring a database written by an older Tandem up to date, one version at a time. A new
# database is created whole from the tables below and starts at SCHEMA_VERSION.
MIGRATIONS: dict[int, list[Callable[[str], str]]] = {
    2: [
        lambda dialect: (
            f"ALTER TABLE sessions ADD COLUMN rehearsal BOOLEAN NOT NULL DEFAULT {_false(dialect)}"
        )
    ],
    # "kind" names activity kinds; an event records a facilitator's action.
    3: [lambda dialect: "ALTER TABLE events RENAME COLUMN kind TO action"],
    # The facilitator's own count of the room; the observations table is new (made whole).
    4: [lambda dialect: "ALTER TABLE sessions ADD COLUMN headcount INTEGER"],
    # Retention: when a session's answers were purged; the snapshots and purges tables are new.
    5: [lambda dialect: "ALTER TABLE sessions ADD COLUMN purged_at FLOAT"],
    # The room's door: joins locked, phones turned away; the logins and session_links tables
    # are new.
    6: [
        lambda dialect: (
            "ALTER TABLE sessions ADD COLUMN joins_locked BOOLEAN NOT NULL "
            f"DEFAULT {_false(dialect)}"
        ),
        lambda dialect: "ALTER TABLE sessions ADD COLUMN turned_away INTEGER NOT NULL DEFAULT 0",
        lambda dialect: (
            "ALTER TABLE sessions ADD COLUMN lock_when_begun BOOLEAN NOT NULL "
            f"DEFAULT {_false(dialect)}"
        ),
    ],
    # The projector's blank screen and which explanation it shows; how many answers each
    # activity has taken (phones showing a result follow it).
    7: [
        lambda dialect: (
            f"ALTER TABLE sessions ADD COLUMN blanked BOOLEAN NOT NULL DEFAULT {_false(dialect)}"
        ),
        lambda dialect: (
            "ALTER TABLE activity_states ADD COLUMN answers_taken INTEGER NOT NULL DEFAULT 0"
        ),
        lambda dialect: "ALTER TABLE sessions ADD COLUMN note_shown INTEGER NOT NULL DEFAULT 0",
    ],
    # A larger response threshold for private activities. A session that ran before it showed
    # its private activities under its one threshold, and its review keeps showing what the
    # room saw: its private threshold is that threshold.
    8: [
        lambda dialect: (
            "ALTER TABLE sessions ADD COLUMN private_threshold INTEGER NOT NULL DEFAULT 0"
        ),
        lambda dialect: "UPDATE sessions SET private_threshold = threshold",
    ],
    # A session's deck snapshot moves to a table of its own (session_decks, made whole): in
    # the session's row, SQLite walked its 28 KB on every read of the columns after it, and
    # every phone's request reads the row (profiled: 18% of a 1,000-phone room's server time).
    9: [
        lambda dialect: (
            "INSERT INTO session_decks (session_id, deck_json) SELECT id, deck_json FROM sessions"
        ),
        lambda dialect: "ALTER TABLE sessions DROP COLUMN deck_json",
    ],
}

metadata = MetaData()

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("join_code", String(12), nullable=False, unique=True),
    Column("deck_id", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("status", String(16), nullable=False, default="live"),
    Column("current_index", Integer, nullable=False, default=-1),
    Column("version", Integer, nullable=False, default=1),
    Column("threshold", Integer, nullable=False, default=5),
    # The response threshold of its private (sensitive) activities: never below `threshold`.
    Column("private_threshold", Integer, nullable=False, default=8),
    Column("created_at", Float, nullable=False),
    Column("ended_at", Float),
    Column("timer_started_at", Float),
    Column("timer_seconds", Integer),
    # A practice run with simulated participants: kept out of reviews unless asked for.
    Column("rehearsal", Boolean, nullable=False, default=False),
    # How many people the facilitator counted in the room, if they said (phones may not all join).
    Column("headcount", Integer),
    # When its answer-level data was purged (retention): only its snapshots remain.
    Column("purged_at", Float),
    # No new phone may join (the facilitator locked the door); the headcount, when given, is
    # also the most phones that may join.
    Column("joins_locked", Boolean, nullable=False, default=False),
    # How many phones were refused because the room was locked or full: a sign for the
    # facilitator, never who they were.
    Column("turned_away", Integer, nullable=False, default=0),
    # Close the room to new phones when the first activity opens, if no headcount was given.
    Column("lock_when_begun", Boolean, nullable=False, default=False),
    # The projector shows a blank pause screen (presentation software's B key), whatever is on.
    Column("blanked", Boolean, nullable=False, default=False),
    # Which of a revealed answer key's explanations the projector shows (0: the first), one at
    # a time so none falls below the screen's edge; back to the first on every move and reveal.
    Column("note_shown", Integer, nullable=False, default=0),
)

# The deck a session runs on, as it was when the session started (never changed afterwards):
# kept apart from the session's row, which every phone's request reads.
session_decks = Table(
    "session_decks",
    metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("deck_json", Text, nullable=False),
)

activity_states = Table(
    "activity_states",
    metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("activity_id", String(48), primary_key=True),
    Column("status", String(16), nullable=False, default="waiting"),
    Column("revealed", Boolean, nullable=False, default=False),
    # Answers stored for it so far, changes included: phones showing its result compare this,
    # not the answers, to know the result moved. A count, never who or when.
    Column("answers_taken", Integer, nullable=False, default=0),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False),
    UniqueConstraint("session_id", "token_hash"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("activity_id", String(48), nullable=False),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("passed", Boolean, nullable=False, default=False),
    Column("value_json", Text),
    # Open text only: pending, approved, rejected or flagged (a possible safety concern).
    Column("moderation", String(16)),
    UniqueConstraint("session_id", "activity_id", "participant_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("activity_id", String(48)),
    Column("at", Float, nullable=False),
)

# What the facilitator noticed, during the session or afterwards: about one activity, or about
# the whole session (activity_id empty). Written by the facilitator, never by a participant.
observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("activity_id", String(48)),
    Column("text", Text, nullable=False),
    Column("written_at", Float, nullable=False),
)

# What a purged session keeps: its results and comparisons as they were, and how many joined.
snapshots = Table(
    "snapshots",
    metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(64), primary_key=True),  # "joined", "result:<activity id>", ...
    Column("payload", Text, nullable=False),
)

# That a purge happened, and when: never what was purged beyond which session it was.
purges = Table(
    "purges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("what", Text, nullable=False),
    Column("at", Float, nullable=False),
)

# The facilitator's logins: a random id in the cookie, only its SHA-256 here, so a copy of the
# database opens nothing. Logging out deletes one row; a new passcode deletes them all.
logins = Table(
    "logins",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("expires_at", Float, nullable=False),
)

# Links the facilitator hands out for one session: a read-only screen for the projector, a
# remote control for their phone. Only a SHA-256 of each secret is kept; a new one replaces it.
session_links = Table(
    "session_links",
    metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("purpose", String(16), primary_key=True),  # "screen" or "remote"
    Column("secret_hash", String(64), nullable=False),
)
