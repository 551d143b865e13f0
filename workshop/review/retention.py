"""How long answers are kept: after the practice's retention period, a session's answer-level
data (every answer, every participant) is purged and only its aggregates remain.

Before the answers go, the session's results and before/after comparisons are kept as
snapshots (review/snapshots.py), so the review and every export still show exactly what they
showed. Each purge is recorded, with which session and when, never with what it held.
`workshop purge` runs it by hand; the server runs it at start-up when practice.toml sets
`[retention] keep_answers_days`.
"""

from __future__ import annotations

import dataclasses

from workshop.renderers.table import day
from workshop.review import snapshots
from workshop.review.session import SessionReview, review_session
from workshop.store import Store

DAY_SECONDS = 24 * 3600


def kept_of(review: SessionReview) -> dict[str, str]:
    """What a session keeps once its answers are purged: results, comparisons, joined. A result
    the room never saw keeps only why (not even how many answered it)."""
    kept = {"joined": str(review.joined)}
    for item in review.activities:
        if item.result is not None:
            result = item.result
            if not result.visible:
                result = dataclasses.replace(result, answered=0, passed=0)
            kept[f"result:{item.activity.id}"] = snapshots.dumps(result)
    kept["comparisons"] = snapshots.dumps(list(review.comparisons))
    return kept


def purge_session(store: Store, session_id: int) -> bool:
    """Purge one session's answer-level data now; False if it was purged already (or gone)."""
    review = review_session(store, session_id)
    if review is None or review.session.row.purged_at is not None:
        return False
    row = review.session.row
    what = f"answers and participants of session {row.join_code} of {day(row.created_at)}"
    store.purge_answers(session_id, kept_of(review), what)
    return True


def purge_older_than(store: Store, days: int) -> list[str]:
    """Purge every session that ended more than `days` days ago; their join codes. A session
    still running is never purged, however old."""
    if days < 1:
        raise ValueError("Answers are kept for at least a day.")
    cutoff = store.clock() - days * DAY_SECONDS
    purged = []
    for row in store.sessions(include_rehearsals=True):
        ended_long_ago = row.ended_at is not None and row.ended_at < cutoff
        if ended_long_ago and row.purged_at is None and purge_session(store, row.id):
            purged.append(row.join_code)
    return purged
