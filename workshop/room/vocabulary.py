"""The room's words for who took part, defined once: the projector, the control view, the
phones and the exports all say them from here, so "answered" never means two things.

- *joined*: phones that scanned the code into this session.
- *answered*: gave an answer other than passing. The response threshold counts these only.
- *passed*: chose "Prefer not to answer", an answer of its own and never a missing one.
- *responded*: answered + passed.

A revealed private activity withholds its passes (they could tell who passed): its passes are
"not counted", and so is the number who responded. A count it holds back is "not shown", in the
legend of the projector, the phone and the report alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.i18n import N_, ngettext
from workshop.i18n import gettext as _

if TYPE_CHECKING:
    from workshop.room.results import Result

__all__ = [
    "ANSWERED",
    "JOINED",
    "NOT_SHOWN",
    "PASSED",
    "PASS_LABEL",
    "RESPONDED",
    "answered",
    "hidden_because",
    "joined",
    "passed",
    "tally",
    "threshold_reason",
    "waiting_for",
]

# The choice every answerable activity offers, counted as an answer of its own.
PASS_LABEL = N_("Prefer not to answer")

# The column names and metric labels of the same four counts: marked here, translated where
# they are shown (`gettext(vocabulary.ANSWERED)`).
JOINED = N_("Joined")
ANSWERED = N_("Answered")
PASSED = N_("Passed")
RESPONDED = N_("Responded")
# What stands where a private activity holds a count back, and names that part of its bars.
NOT_SHOWN = N_("not shown")


def joined(count: int, expected: int | None = None) -> str:
    """'12 joined', or '12 of 15 joined' when the facilitator said how many to expect."""
    if expected is None:
        return ngettext("%(count)d joined", "%(count)d joined", count) % {"count": count}
    return ngettext(
        "%(count)d of %(expected)d joined", "%(count)d of %(expected)d joined", expected
    ) % {"count": count, "expected": expected}


def answered(count: int) -> str:
    return ngettext("%(count)d answered", "%(count)d answered", count) % {"count": count}


def passed(count: int | None) -> str:
    """'2 passed', or what a revealed private activity says instead of its passes."""
    if count is None:
        return _("passes not counted (private)")
    return ngettext("%(count)d passed", "%(count)d passed", count) % {"count": count}


def tally(result: Result) -> str:
    """'6 answered · 2 passed': the line under every result the room sees."""
    return f"{answered(result.answered)} · {passed(result.passed)}"


def waiting_for(result: Result) -> str:
    """Why a result is not shown, with the counts that decide it.

    A private activity says only how many answered before its reveal, never its passes: the
    number would let the room work out how many passed once the result appears.
    """
    reason = hidden_because(result)
    counts = answered(result.answered) if result.activity.sensitive else tally(result)
    return f"{counts}. {reason}".strip()


def hidden_because(result: Result) -> str:
    """Why a hidden result is hidden, said for the state its activity is in now: once it has
    closed, no more answers can come, so the room is not promised a result that cannot."""
    if result.status == "closed":
        if result.answered < result.threshold:
            return threshold_reason(result.threshold, result.activity.sensitive, closed=True)
        if result.activity.sensitive and not result.revealed:
            return _("Private activity: its results are shown once the facilitator reveals them.")
    return result.hidden_reason or ""


def threshold_reason(threshold: int, private: bool = False, closed: bool = False) -> str:
    """The hidden reason below the response threshold: passes do not count towards it. A
    private activity says that its threshold is its own (the session's private threshold).
    `closed`: no more answers can come, so the result stays hidden, to protect the group."""
    if closed and private:
        return ngettext(
            "Private activity: fewer than %(threshold)d person answered, so its results stay "
            "hidden to protect the group.",
            "Private activity: fewer than %(threshold)d people answered, so its results stay "
            "hidden to protect the group.",
            threshold,
        ) % {"threshold": threshold}
    if closed:
        return ngettext(
            "Fewer than %(threshold)d person answered, so the results stay hidden to protect "
            "the group.",
            "Fewer than %(threshold)d people answered, so the results stay hidden to protect "
            "the group.",
            threshold,
        ) % {"threshold": threshold}
    if private:
        return ngettext(
            "Private activity: results appear once %(threshold)d person has answered "
            "(passes do not count).",
            "Private activity: results appear once %(threshold)d people have answered "
            "(passes do not count).",
            threshold,
        ) % {"threshold": threshold}
    return ngettext(
        "Results appear once %(threshold)d person has answered (passes do not count).",
        "Results appear once %(threshold)d people have answered (passes do not count).",
        threshold,
    ) % {"threshold": threshold}
