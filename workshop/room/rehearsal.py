"""Rehearse a deck before the group arrives: simulated participants answer every activity.

The facilitator then steps through the session as on the day and sees every chart, every
reveal and the moderation queue (with one example of a flagged answer). Rehearsal sessions are
marked as such and left out of reviews unless asked for.
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from workshop.activities import ActivitySpec, kind_of
from workshop.curriculum.decks import Deck
from workshop.curriculum.practice import Practice
from workshop.i18n import gettext as _
from workshop.room import live
from workshop.room.moderation import APPROVED, FLAGGED, first_status, flag_list_for
from workshop.room.results import Result, result_for
from workshop.store import ActivityState, Answer, SeededAnswer, Store

PASS_SHARE = 0.1
FLAGGED_EXAMPLE = "Example of a flagged answer: I don't feel safe at home."


def start_rehearsal(
    store: Store,
    deck: Deck,
    people: int,
    threshold: int = live.DEFAULT_THRESHOLD,
    practice: Practice | None = None,
    seed: int = 0,
    private_threshold: int = live.DEFAULT_PRIVATE_THRESHOLD,
) -> live.Live:
    """A rehearsal session whose `people` simulated participants have answered everything.
    Its thresholds are the day's: a rehearsal with fewer people than the private threshold
    shows what such a room will see of its private activities (nothing)."""
    if not 1 <= people <= 200:
        raise live.LiveError(_("A rehearsal has between 1 and 200 simulated participants."))
    session = live.start_session(
        store,
        deck,
        threshold,
        rehearsal=True,
        practice=practice,
        private_threshold=private_threshold,
    )
    rng = random.Random(seed)
    flags = flag_list_for(practice)
    # A simulated participant has no cookie: a random value stands where its token's keyed
    # hash would be (the same length, so it looks like any other participant).
    participants = [store.join(session.id, secrets.token_hex(32)) for _person in range(people)]
    seeds = []
    for activity in deck.activities:
        if not activity.answerable:
            continue
        for number, participant_id in enumerate(participants):
            passed, value = _made_up_answer(activity, number, rng)
            moderation = None
            if not passed and kind_of(activity).moderated:
                # One written answer shows what a flagged one looks like in the queue, whatever
                # phrases the practice flags.
                if number == 0 and isinstance(value, str):
                    value, moderation = FLAGGED_EXAMPLE, FLAGGED
                else:
                    moderation = first_status(str(value), flags)
            seeds.append(SeededAnswer(activity.id, participant_id, passed, value, moderation))
    store.seed_answers(session.id, seeds)
    return session


def sample_result(activity: ActivitySpec, people: int = 12, seed: int = 0) -> Result:
    """What the projector shows once `people` made-up participants have answered and the
    activity is closed and revealed: the deck editor's preview. Nothing is stored."""
    rng = random.Random(seed)
    answers = []
    # Made-up open text shows as the facilitator would have approved it.
    moderation = APPROVED if kind_of(activity).moderated else None
    if activity.answerable:
        for number in range(people):
            passed, value = _made_up_answer(activity, number, rng)
            answers.append(Answer(passed=passed, value=value, moderation=moderation))
    return result_for(activity, answers, ActivityState("closed", revealed=True), threshold=1)


def _made_up_answer(activity: ActivitySpec, number: int, rng: random.Random) -> tuple[bool, Any]:
    """(passed, value) for simulated participant `number`; the first one never passes."""
    if number and rng.random() < PASS_SHARE:
        return True, None
    return False, kind_of(activity).sample_answer(activity, rng)
