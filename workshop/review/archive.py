"""The JSON archive of one session: for a backup, or to move a session to another machine.

The file says what it is and which version of the format it follows, and carries a checksum of
its contents, so `workshop restore` refuses a damaged file, or one written by a newer Tandem,
with a message instead of restoring something half right.

It holds answers, so results can be recomputed after a move, but nothing more about a person
than results need: no token or hash; participants renumbered at random, afresh for every
activity (only activities paired for before/after share a numbering, so their comparison comes
back), so nobody's answers are linked across the session; answers listed by activity and that
number, so nothing tells who joined or answered first; and the words of text the facilitator
did not approve (waiting, kept off screen, flagged) left out, only their status kept.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from workshop.curriculum.decks import Deck
from workshop.room import live
from workshop.room.moderation import APPROVED
from workshop.store import JoinCodeTaken, Store
from workshop.store.archive import dump_session, load_session

FORMAT = "tandem-session-archive"
VERSION = 1


class ArchiveError(ValueError):
    """An archive that cannot be restored; the message says why."""


def _checksum(contents: dict[str, Any]) -> str:
    canonical = json.dumps(contents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _linked_groups(deck: Deck) -> list[set[str]]:
    """Activities whose answers must stay linked per person: each pair of a before and an
    after; every other activity stands alone."""
    group_of = {activity.id: {activity.id} for activity in deck.activities}
    for activity in deck.activities:
        if activity.pairs_with in group_of:
            joined = group_of[activity.id] | group_of[activity.pairs_with]
            for member in joined:
                group_of[member] = joined
    unique = {id(group): group for group in group_of.values()}
    return list(unique.values())


def _private(contents: dict[str, Any], deck: Deck) -> dict[str, Any]:
    """The rows as they may leave: renumbered per group, unapproved words left out."""
    people = contents["participants"]
    draw = random.SystemRandom()
    numbering: dict[str, dict[int, int]] = {}
    for group in _linked_groups(deck):
        shuffled = draw.sample(people, len(people))
        numbers = {participant: number for number, participant in enumerate(shuffled, start=1)}
        numbering.update({activity_id: numbers for activity_id in group})
    answers = []
    for answer in contents["answers"]:
        moderated_away = answer["moderation"] not in (None, APPROVED)
        answers.append(
            {
                **answer,
                "participant": numbering[answer["activity_id"]][answer["participant"]],
                "value": "" if moderated_away and not answer["passed"] else answer["value"],
            }
        )
    answers.sort(key=lambda answer: (answer["activity_id"], answer["participant"]))
    return {**contents, "participants": len(people), "answers": answers}


def archive(store: Store, session_id: int) -> bytes:
    """The session as one JSON file's bytes."""
    contents = dump_session(store, session_id)
    if contents is None:
        raise ArchiveError("There is no such session.")
    deck = Deck.from_json(contents["session"]["deck_json"])
    document = {"format": FORMAT, "version": VERSION, **_private(contents, deck)}
    document["checksum"] = _checksum(document)
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def read(data: bytes) -> dict[str, Any]:
    """An archive's contents, checked: what it is, its version, and that nothing changed."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(f"This is not a Tandem archive (not JSON: {error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError("This is not a Tandem session archive.")
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ArchiveError(
            f"This archive was written by a newer Tandem (format {version}); this one reads "
            f"format {VERSION}. Update Tandem, then restore it."
        )
    checksum = document.pop("checksum", None)
    if checksum != _checksum(document):
        raise ArchiveError(
            "This archive is damaged: its contents do not match its checksum, so nothing was "
            "restored. Use another copy."
        )
    return document


def _checked(document: dict[str, Any]) -> dict[str, Any]:
    """The archive's contents, made sure of before anything is written: its deck is one this
    Tandem reads, and every row fits it. A restored session has ended: nobody answers it."""
    try:
        session = dict(document["session"])
        deck = Deck.from_json(session["deck_json"])
        ids = {activity.id for activity in deck.activities}
        people = document["participants"]
        rows_fit = all(
            answer["activity_id"] in ids and 1 <= answer["participant"] <= people
            for answer in document["answers"]
        ) and all(state["activity_id"] in ids for state in document["activity_states"])
        if not rows_fit:
            raise ValueError("an answer or an activity does not belong to the session's deck")
        for key in ("events", "observations"):
            if not isinstance(document[key], list):
                raise ValueError(f"{key} is not a list")
    except (KeyError, TypeError, ValueError) as error:
        raise ArchiveError(
            f"This archive cannot be restored: its contents are not what this Tandem reads "
            f"({error}). Nothing was restored."
        ) from None
    if session["status"] != "ended":
        last = max([event["at"] for event in document["events"]] + [session["created_at"]])
        session.update(status="ended", ended_at=session["ended_at"] or last)
    return {**document, "session": session}


def restore(store: Store, data: bytes) -> tuple[int, str]:
    """Bring an archived session back; (its new id, its join code). The code is the one it had,
    unless another session here uses it: then a new one is drawn."""
    document = _checked(read(data))
    wanted = document["session"]["join_code"]
    for code in [wanted] + [live.new_join_code() for _ in range(20)]:
        try:
            return load_session(store, document, code), code
        except JoinCodeTaken:
            continue
    raise ArchiveError("Could not find a free join code; please try again.")
