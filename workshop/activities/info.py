"""An information slide: something to read together. Nobody answers it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field

from workshop.activities.base import ActivitySpec, Kind, Reading
from workshop.i18n import N_

SUPPORT_DOCUMENTATION = """\
#### Support resources for your practice

A workshop ends with where to find support, and that differs from one practice and one country
to another, so no phone number is built in. Copy `practice.example.toml` to `practice.toml` (or
point `WORKSHOP_PRACTICE_FILE` at a file) and list your own:

```
[support]
heading = "Where to find support"
resources = ["Our practice: drop-in hours on Tuesdays, 5 to 7 pm.", "..."]
```

When a session starts, every slide marked `support_resources = true` gets these lines, and the
session keeps them with its snapshot. Without a practice file, general wording is used."""


class Spec(ActivitySpec):
    kind: Literal["info"] = "info"
    body: str = Field(
        default="",
        max_length=3000,
        title="Text of the slide (a blank line starts a new paragraph)",
        description="paragraphs separated by a blank line",
    )
    # `support_resources = true` puts the practice's support resources (practice.toml) on the
    # slide when a session starts; a deck may also list `resources` itself.
    support_resources: bool = Field(
        default=False,
        title="Add the practice's support resources (from practice.toml)",
        description="`true` lists the practice's support resources on this slide (below)",
    )
    resources_heading: str = Field(
        default="Where to find support",
        max_length=80,
        title="Heading of the resources",
        description='the heading above them (default "Where to find support")',
    )
    resources: list[str] = Field(
        default_factory=list,
        max_length=12,
        title="Resources, one per line",
        description="resources written in the deck itself, one line each",
    )
    answerable: ClassVar[bool] = False


class Info(Kind[Spec]):
    Spec = Spec
    label = N_("Information slide")
    purpose = "An information slide: something to read together. Nobody answers it."
    starter_minutes = 3
    documentation = "A slide to read together; nobody answers it."
    documentation_after = SUPPORT_DOCUMENTATION
    has_chart = False

    def reading(self, spec: Spec) -> Reading:
        paragraphs = tuple(spec.body.split("\n\n")) if spec.body else ()
        return Reading(paragraphs, spec.resources_heading, tuple(spec.resources))

    def with_support(self, spec: Spec, heading: str, resources: Sequence[str]) -> Spec:
        if not spec.support_resources:
            return spec
        return spec.model_copy(update={"resources": list(resources), "resources_heading": heading})


KIND = Info()
