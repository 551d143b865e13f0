"""The store: every database access, on SQLite (one laptop) or PostgreSQL (several processes).

database.py holds `Store` and the records it returns, schema.py the tables and migrations,
sqlite_file.py how the SQLite file is kept on disk.
"""

from workshop.store.database import (
    DEFAULT_DATABASE,
    ActivityState,
    Answer,
    Event,
    JoinCodeTaken,
    JoinRefused,
    Observation,
    QueuedText,
    SeededAnswer,
    SessionNotLive,
    SessionRow,
    Store,
    database_url,
    pg_dump_advice,
    sqlite_database_file,
)

__all__ = [
    "DEFAULT_DATABASE",
    "ActivityState",
    "Answer",
    "Event",
    "JoinCodeTaken",
    "JoinRefused",
    "Observation",
    "QueuedText",
    "SeededAnswer",
    "SessionNotLive",
    "SessionRow",
    "Store",
    "database_url",
    "pg_dump_advice",
    "sqlite_database_file",
]
