"""Thousands of random and hostile requests to the phone routes, on SQLite and PostgreSQL.

No request may get a server error, and everything stored must be an answer its kind accepts:
what was stored, sent back through the kind's own form, parses to the same value (and holds no
control character). Seeded, so a failure is repeatable.
"""

import random
import re
import unicodedata

from starlette.testclient import TestClient

from tests.web.test_participant import make_app
from workshop.activities import kind_of
from workshop.room import live

REQUESTS_PER_ACTIVITY = 300
PHONES = 4
HOSTILE_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "٣",  # an Arabic-Indic digit
    "²",
    "<script>alert(1)</script>",
    "**bold** [link](http://x)",
    '=HYPERLINK("http://x")',
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "bell\x07 and nul\x00",
    "line\r\nbreak",
    "é" * 10,
    "e\u0301" * 10,
    "😀" * 50,
    "x" * 5000,
    "word " * 400,
    "'; DROP TABLE answers; --",
]


def _random_text(rng: random.Random) -> str:
    alphabet = "abc XYZ 012 \n\t\x00\x1b\u200b\u202e\u0301é😀<>&\"'=%+;"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))


def _field_names(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="([^"]+)"', html)) - {"activity"})


def _hostile_form(rng: random.Random, activity_id: str, names: list[str]) -> list[tuple[str, str]]:
    fields = [("activity", activity_id if rng.random() < 0.9 else _random_text(rng))]
    for _ in range(rng.randint(0, 8)):
        name = rng.choice(names + ["pass", "choice", "rank1", "x" * 300, _random_text(rng)])
        value = rng.choice(HOSTILE_VALUES) if rng.random() < 0.6 else _random_text(rng)
        fields.append((name, value))
    if rng.random() < 0.05:
        fields.extend(("choice", str(n)) for n in range(2000))  # a field repeated 2,000 times
    return fields


def _send(client: TestClient, code: str, rng: random.Random, form) -> int:
    roll = rng.random()
    if roll < 0.8:
        fields: dict[str, list[str]] = {}
        for name, value in form:
            fields.setdefault(name, []).append(value)
        return client.post(f"/j/{code}", data=fields).status_code
    if roll < 0.9:  # raw bytes, any content type
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 400)))
        kind = rng.choice(["application/x-www-form-urlencoded", "multipart/form-data", "text/x"])
        return client.post(f"/j/{code}", content=body, headers={"content-type": kind}).status_code
    path = rng.choice(
        [f"/j/{code}/wait?v=%00", f"/j/{code}?change=%ff", "/j/%2e%2e/", "/j?code=<>"]
    )
    return client.get(path).status_code


def _strings(value) -> list[str]:
    """Every string inside a stored value (lists, dicts, nested)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.items() for text in _strings(list(item))]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _control_characters(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"]


def test_random_and_hostile_answers_never_break_the_server_or_the_store(store, deck):
    rng = random.Random(20261128)
    session = live.start_session(store, deck, threshold=1)
    app = make_app(store)
    phones = [TestClient(app, follow_redirects=False) for _ in range(PHONES)]
    code = session.row.join_code
    for phone in phones:
        assert phone.get(f"/j/{code}").status_code == 200
    statuses: dict[int, int] = {}
    for index, activity in enumerate(deck.activities):
        if not activity.answerable:
            continue
        live.go_to(store, session.id, index)
        names = _field_names(phones[0].get(f"/j/{code}").text)
        for _ in range(REQUESTS_PER_ACTIVITY):
            form = _hostile_form(rng, activity.id, names)
            status = _send(rng.choice(phones), code, rng, form)
            statuses[status] = statuses.get(status, 0) + 1
    assert not [status for status in statuses if status >= 500], statuses
    assert sum(statuses.values()) >= 2500
    assert statuses.get(303, 0) > 0 and statuses.get(422, 0) > 0  # some stored, some refused
    for activity in deck.activities:
        if not activity.answerable:
            continue
        for answer in store.answers_for(session.id, activity.id):
            if answer.passed:
                assert answer.value is None
                continue
            kind = kind_of(activity)
            for text in _strings(answer.value):
                assert not _control_characters(text), (activity.id, text)
            assert kind.parse_answer(activity, kind.form_fields(activity, answer.value)) == (
                answer.value
            ), (activity.id, answer.value)
            kind.tally(activity, [answer.value])  # and it can be counted
