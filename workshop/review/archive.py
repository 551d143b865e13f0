"""The JSON archive of one session: for a backup, or to move a session to another machine.

The file says what it is and which version of the format it follows, and carries a checksum of
its contents, so `workshop restore` refuses a damaged file, or one written by a newer Tandem,
with a message instead of restoring something half right. What it holds is store/archive.py's:
answer-level data without any token or hash, participants renumbered at random.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from workshop.room import live
from workshop.store import JoinCodeTaken, Store
from workshop.store.archive import dump_session, load_session

FORMAT = "tandem-session-archive"
VERSION = 1


class ArchiveError(ValueError):
    """An archive that cannot be restored; the message says why."""


def _checksum(contents: dict[str, Any]) -> str:
    canonical = json.dumps(contents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def archive(store: Store, session_id: int) -> bytes:
    """The session as one JSON file's bytes."""
    contents = dump_session(store, session_id)
    if contents is None:
        raise ArchiveError("There is no such session.")
    document = {"format": FORMAT, "version": VERSION, **contents}
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


def restore(store: Store, data: bytes) -> tuple[int, str]:
    """Bring an archived session back; (its new id, its join code). The code is the one it had,
    unless another session here uses it: then a new one is drawn."""
    document = read(data)
    wanted = document["session"]["join_code"]
    for code in [wanted] + [live.new_join_code() for _ in range(20)]:
        try:
            return load_session(store, document, code), code
        except JoinCodeTaken:
            continue
    raise ArchiveError("Could not find a free join code; please try again.")
