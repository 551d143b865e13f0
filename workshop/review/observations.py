"""What the facilitator notices, written during the session (control view) or afterwards
(review): checked and kept with the activity it is about, or with the session as a whole.

Apart from the review's statistics and tables, so the control view can keep observations
without loading them.
"""

from __future__ import annotations

from workshop.i18n import N_, ngettext
from workshop.i18n import gettext as _
from workshop.room import live
from workshop.store import Store

MAX_OBSERVATION = 2000
# Marked here, said where it is shown (`gettext(NAMES_REMINDER)`), in that page's language.
NAMES_REMINDER = N_(
    "Write what you noticed, not who: no names or details that would let anyone be recognised."
)


class ObservationError(ValueError):
    """An observation that cannot be kept; the message is for the facilitator, in the language
    spoken where it was refused."""


def add_observation(store: Store, session_id: int, activity_id: str | None, text: str) -> int:
    """Keep what the facilitator noticed (during the session or afterwards)."""
    text = text.strip()
    if not text:
        raise ObservationError(_("Write something first."))
    if len(text) > MAX_OBSERVATION:
        raise ObservationError(
            ngettext(
                "Please keep an observation to %(count)d character.",
                "Please keep an observation to %(count)d characters.",
                MAX_OBSERVATION,
            )
            % {"count": MAX_OBSERVATION}
        )
    session = live.load(store, session_id)
    if session is None:
        raise ObservationError(_("That session does not exist."))
    if activity_id is not None and activity_id not in {a.id for a in session.deck.activities}:
        raise ObservationError(_("That activity is not part of this session."))
    return store.add_observation(session_id, activity_id, text)
