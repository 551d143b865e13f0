"""The reference part of docs/decks.md, written from the kinds themselves.

Every field's help is its `description` in the Spec, and every kind's section is its
`documentation`: a new kind or field is documented by writing it, and a test fails when
docs/decks.md is behind. Rewrite the file's generated part with:

    .venv/bin/python -m workshop.curriculum.deck_docs
"""

from __future__ import annotations

import textwrap
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from workshop import PROJECT_FOLDER
from workshop.activities import KINDS, ActivitySpec

DOCUMENT = PROJECT_FOLDER / "docs" / "decks.md"
BEGIN = "<!-- Written by `python -m workshop.curriculum.deck_docs` from the kinds: edit them. -->"
END = "<!-- End of the written part. -->"
WIDTH = 100

NO_SCORES = (
    'Every question automatically offers "Prefer not to answer", counted as its own category. '
    "There is no field for scores, weights or cut-offs: the decks teach, they never diagnose."
)


def _row_model(info: FieldInfo) -> type[BaseModel] | None:
    """The model of a list of small records (statements, vignettes), if the field is one."""
    for argument in typing.get_args(info.annotation):
        if isinstance(argument, type) and issubclass(argument, BaseModel):
            return argument
    return None


def _rows(model: type[BaseModel], skip: set[str], required: bool) -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        written = info.alias or name
        cells = [f"`{written}`"]
        if required:
            cells.append("yes" if info.is_required() else "no")
        cells.append(info.description or "")
        lines.append("| " + " | ".join(cells) + " |")
        rows = _row_model(info)
        if rows is not None:
            for row_name, row_info in rows.model_fields.items():
                inner = row_info.alias or row_name
                lines.append(f"| `{written}.{inner}` | {row_info.description or ''} |")
    return lines


def _paragraph(text: str) -> str:
    return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)


def reference() -> str:
    """The generated part: the fields of every activity, then each kind and its fields."""
    parts = [
        "## Every activity",
        "",
        "| field | required | meaning |",
        "|---|---|---|",
        *_rows(ActivitySpec, set(), required=True),
        "",
        _paragraph(NO_SCORES),
        "",
        "## Kinds and their fields",
    ]
    common = set(ActivitySpec.model_fields)
    for name, kind in KINDS.items():
        parts += ["", f"### `{name}`", _paragraph(kind.documentation), ""]
        parts += ["| field | meaning |", "|---|---|", *_rows(kind.Spec, common, required=False)]
        if kind.documentation_after:
            parts += ["", kind.documentation_after]
    return "\n".join(parts) + "\n"


def written_part(document: str) -> str | None:
    """The generated part of the document as it stands, or None if it has no markers."""
    if BEGIN not in document or END not in document:
        return None
    return document.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def rewrite(path: Path = DOCUMENT) -> bool:
    """Write the reference into the document between its markers; True if anything changed."""
    document = path.read_text(encoding="utf-8")
    before, rest = document.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    updated = f"{before}{BEGIN}\n\n{reference()}\n{END}{after}"
    if updated == document:
        return False
    path.write_text(updated, encoding="utf-8")
    return True


if __name__ == "__main__":
    print("docs/decks.md " + ("rewritten" if rewrite() else "already up to date"))
