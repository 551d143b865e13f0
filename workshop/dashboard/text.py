"""Deck and participant text inside Streamlit's Markdown: shown as written, never interpreted.

Streamlit renders Markdown (and $...$ as mathematics) in titles, captions and markdown
elements; a deck title like "![x](http://...)" would load an image, and "$5 and $10" would be
typeset. `literal` escapes every character Markdown gives a meaning to.
"""

from __future__ import annotations

import re

# Backslash-escaping these makes CommonMark (and Streamlit's maths) show them as they are.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$<&:])")


def bold(text: str) -> str:
    """Our own words (never deck or participant text) in bold: written as a call, not inside an
    f-string, so Babel finds the `_("...")` inside it."""
    return f"**{text}**"


def literal(text: str) -> str:
    """`text` for a Markdown string, to be shown exactly as written, its line breaks kept
    (Markdown would join lines into one paragraph: a facilitator's notes are written in lines)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
