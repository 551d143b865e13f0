"""Reading a posted form, for every route: never more than an honest form could hold.

A request body is read in chunks and abandoned as soon as it passes the limit, so one huge POST
cannot grow the server's memory (declared lengths are refused before reading at all).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request

# The longest open-text answer is 1,000 characters; percent-encoded, that is at most 9 KB.
MAX_FORM_BYTES = 16 * 1024


async def bounded_body(request: Request, limit: int = MAX_FORM_BYTES) -> bytes | None:
    """The request body, or None if it is larger than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return body


def parse_form(body: bytes) -> dict[str, list[str]]:
    """Form fields from a urlencoded body; undecodable bytes become replacement characters."""
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
