"""Open text waits for the facilitator; text that may be a safety concern is flagged to them only.

The flag is a prompt for a human, not a judgement: a short list of phrases that in a support
group deserve a quiet check-in after the session. A flagged text never reaches the projector.
"""

from __future__ import annotations

import re

PENDING, APPROVED, REJECTED, FLAGGED = "pending", "approved", "rejected", "flagged"
# What the facilitator can decide about an answer.
DECISIONS = (APPROVED, REJECTED, FLAGGED)

_CONCERNS = [
    r"kill(ing)? my ?self",
    r"end(ing)? (it all|my life)",
    r"suicid\w*",
    r"want(ed)? to die",
    r"better off (dead|without me)",
    r"self[- ]?harm\w*",
    r"hurt(ing)? my ?self",
    r"cut(ting)? my ?self",
    r"(he|she|they|partner|someone) (hits|hit|beats|beat|chokes|choked) me",
    r"(afraid|scared) (of|for) my (life|safety)",
    r"not safe at home",
    r"(don't|do not|never) feel safe",
    r"abus(e|ed|ing|ive)",
]
_CONCERN = re.compile(r"\b(" + "|".join(_CONCERNS) + r")\b", re.IGNORECASE)


def looks_like_safety_concern(text: str) -> bool:
    return bool(_CONCERN.search(text))


def first_status(text: str) -> str:
    """Where a new open-text answer starts: flagged for the facilitator, or pending approval."""
    return FLAGGED if looks_like_safety_concern(text) else PENDING
