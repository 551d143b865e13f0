"""Before and after: an activity asked again later in the session (`pairs_with` in the deck),
compared with honest statistics for small groups (../shared/CURRICULUM.md).

- Knowledge items (binary: right, or wrong/unsure): the proportion right before and after with
  Wilson 95% intervals; exact McNemar on the people who answered both, Fisher's exact test on
  those who answered only one of the two.
- Scale items (ordinal): both distributions side by side; Wilcoxon signed-rank with the
  matched-pairs rank-biserial correlation for the pairs, Mann-Whitney with Cliff's delta for
  the rest.

Only aggregates leave this module: no pair, no per-person change, no total score. A comparison
is shown only when both activities' results could be shown (the threshold and the private rule
of room/results.py), and each test only when its groups reach the threshold too. Every result
says in plain words what it can and cannot tell: one small group, no comparison group. The
words are said in the language spoken, in whole sentences; the numbers in them (shares,
p-values, r and delta) are written the same in every language.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from workshop.activities import ActivitySpec, kind_of
from workshop.i18n import N_, ngettext
from workshop.i18n import gettext as _
from workshop.room import live
from workshop.store import Answer, Store

# A paired test needs at least this many pairs, whatever the threshold: with fewer, its result
# is one or two people's change (CURRICULUM.md: exact tests for groups of 6 to 20).
MIN_PAIRS = 6
# Up to this many arrangements of the answers, permutation tests enumerate them all (exact).
EXACT_LIMIT = 200_000
# Romano et al. (2006): where Cliff's delta stops being negligible, small, medium. The words
# are marked here and said in plain_words, where "effect size:" stands before them.
CLIFF_SIZES = (
    (0.147, N_("negligible")),
    (0.33, N_("small")),
    (0.474, N_("medium")),
    (1.01, N_("large")),
)
NO_CAUSE = N_(
    "This is one group with no comparison group, so it cannot show that the workshop caused "
    "any difference; people may also answer differently the second time for other reasons."
)
SMALL_P = N_(
    "With so few people, a large p does not show that nothing changed, and a small one is "
    "only a hint."
)


@dataclass(frozen=True)
class Proportion:
    right: int
    answered: int
    low: float  # Wilson 95% interval
    high: float

    @property
    def share(self) -> float:
        return self.right / self.answered


@dataclass(frozen=True)
class BinaryItem:
    item: str
    before: Proportion
    after: Proportion
    pairs: int
    mcnemar_p: float | None  # None when there were too few pairs to test
    unpaired: tuple[int, int]  # how many answered only before, only after
    fisher_p: float | None  # None when too few answered only once


@dataclass(frozen=True)
class OrdinalItem:
    item: str
    points: tuple[str, ...]
    before: tuple[int, ...]  # how many chose each point
    after: tuple[int, ...]
    pairs: int
    wilcoxon_p: float | None
    rank_biserial: float | None
    unpaired: tuple[int, int]
    mann_whitney_p: float | None
    cliffs_delta: float | None


@dataclass(frozen=True)
class Comparison:
    before: ActivitySpec
    after: ActivitySpec
    visible: bool
    hidden_reason: str | None = None
    items: tuple[BinaryItem | OrdinalItem, ...] = ()


# The statistics themselves: small functions, each tested against published values ---------


def wilson(right: int, answered: int) -> Proportion:
    """The proportion right with its Wilson score 95% interval (Newcombe 1998)."""
    interval = stats.binomtest(right, answered).proportion_ci(method="wilson")
    return Proportion(right, answered, float(interval.low), float(interval.high))


def exact_mcnemar(right_to_wrong: int, wrong_to_right: int) -> float:
    """Two-sided exact McNemar: a binomial test on the pairs that changed."""
    changed = right_to_wrong + wrong_to_right
    if changed == 0:
        return 1.0
    return float(stats.binomtest(min(right_to_wrong, wrong_to_right), changed, 0.5).pvalue)


def fisher(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Fisher's exact test (two-sided) on (right, not right) before and after."""
    return float(stats.fisher_exact([list(before), list(after)]).pvalue)


def _exact_when_small(arrangements: int) -> object:
    """Answers on a scale always tie, and with ties scipy's exact tables do not apply: it falls
    back on a normal approximation, poor for a small group. Enumerating every arrangement is
    exact with ties too; beyond EXACT_LIMIT of them, the approximation is good enough."""
    if arrangements <= EXACT_LIMIT:
        return stats.PermutationMethod(n_resamples=np.inf)
    return "auto"


def wilcoxon_signed_rank(before: list[int], after: list[int]) -> tuple[float, float]:
    """Wilcoxon's signed-rank test (two-sided) and the matched-pairs rank-biserial correlation
    (Kerby 2014): the share of rank-weighted pairs that moved up minus those that moved down.
    Pairs that did not move are set aside, as Wilcoxon did."""
    differences = [later - earlier for earlier, later in zip(before, after, strict=True)]
    moved = [difference for difference in differences if difference != 0]
    if not moved:
        return 1.0, 0.0
    ranks = stats.rankdata([abs(difference) for difference in moved])
    up = sum(rank for rank, difference in zip(ranks, moved, strict=True) if difference > 0)
    down = sum(rank for rank, difference in zip(ranks, moved, strict=True) if difference < 0)
    arrangements = 2 ** len(moved)  # every way the signs could have fallen
    test = stats.wilcoxon(moved, method=_exact_when_small(arrangements))
    return float(test.pvalue), float((up - down) / (up + down))


def mann_whitney(before: list[int], after: list[int]) -> tuple[float, float]:
    """Mann-Whitney's U test (two-sided) and Cliff's delta: how much more often an after
    answer is higher than a before answer than it is lower (-1 to 1)."""
    arrangements = math.comb(len(before) + len(after), len(before))
    test = stats.mannwhitneyu(
        after, before, alternative="two-sided", method=_exact_when_small(arrangements)
    )
    delta = 2 * float(test.statistic) / (len(before) * len(after)) - 1
    return float(test.pvalue), delta


def cliffs_size(delta: float) -> str:
    """Romano et al.'s words for |delta|: negligible, small, medium or large (in English, as
    marked: `gettext` says them in the language spoken)."""
    return next(word for limit, word in CLIFF_SIZES if abs(delta) < limit)


# Comparing two activities of one session ----------------------------------------------------


def paired_activities(activities: list[ActivitySpec]) -> list[tuple[ActivitySpec, ActivitySpec]]:
    """(before, after) for every activity the deck says repeats an earlier one."""
    by_id = {activity.id: activity for activity in activities}
    return [
        (by_id[activity.pairs_with], activity)
        for activity in activities
        if activity.pairs_with and activity.pairs_with in by_id
    ]


def comparisons(store: Store, session: live.Live) -> list[Comparison]:
    return [
        compare(store, session, before, after)
        for before, after in paired_activities(list(session.deck.activities))
    ]


def compare(
    store: Store, session: live.Live, before: ActivitySpec, after: ActivitySpec
) -> Comparison:
    shown = tuple(
        live.result_of(store, session, activity, afterwards=True) for activity in (before, after)
    )
    # A private before or after waits for the private threshold: so do its tests.
    threshold = max(result.threshold for result in shown)
    for result in shown:
        if not result.visible:
            return Comparison(before, after, False, result.hidden_reason or _("Not shown."))
    answered = [
        (_given(first), _given(second))
        for first, second in store.answer_pairs(session.id, before.id, after.id)
    ]
    kind = kind_of(after)
    items: list[BinaryItem | OrdinalItem] = []
    for number, item in enumerate(kind.compared_items(after)):

        def scores(value: object, number: int = number) -> int | None:
            return None if value is None else kind.item_scores(after, value)[number]

        scored = [(scores(first), scores(second)) for first, second in answered]
        if kind.comparison == "binary":
            items.append(_binary(item, scored, threshold))
        else:
            items.append(_ordinal(item, tuple(kind.item_points(after)), scored, threshold))
    return Comparison(before, after, True, None, tuple(items))


def _given(answer: Answer | None) -> object:
    """An answer's value, or None for no answer and for a pass."""
    return None if answer is None or answer.passed else answer.value


def _pairs_may_be_tested(pairs: int, only_before: int, only_after: int, threshold: int) -> bool:
    """Whether a paired test may be shown. Beside enough pairs, those who answered only once
    must be none or a group of their own: with one person leaving between the two, a test on
    the pairs set against the two results the room saw would give away that person's answer."""
    few = [count for count in (only_before, only_after) if 0 < count < threshold]
    return pairs >= max(threshold, MIN_PAIRS) and not few


def _split(
    scored: list[tuple[int | None, int | None]],
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs, and the scores of those who answered only before, only after."""
    pairs = [
        (first, second) for first, second in scored if first is not None and second is not None
    ]
    only_before = [first for first, second in scored if first is not None and second is None]
    only_after = [second for first, second in scored if first is None and second is not None]
    return pairs, only_before, only_after


def _binary(item: str, scored: list[tuple[int | None, int | None]], threshold: int) -> BinaryItem:
    pairs, only_before, only_after = _split(scored)
    before = [first for first, _second in scored if first is not None]
    after = [second for _first, second in scored if second is not None]
    mcnemar_p = None
    if _pairs_may_be_tested(len(pairs), len(only_before), len(only_after), threshold):
        right_to_wrong = sum(1 for first, second in pairs if first and not second)
        wrong_to_right = sum(1 for first, second in pairs if not first and second)
        mcnemar_p = exact_mcnemar(right_to_wrong, wrong_to_right)
    fisher_p = None
    if min(len(only_before), len(only_after)) >= threshold:
        fisher_p = fisher(
            (sum(only_before), len(only_before) - sum(only_before)),
            (sum(only_after), len(only_after) - sum(only_after)),
        )
    return BinaryItem(
        item,
        wilson(sum(before), len(before)),
        wilson(sum(after), len(after)),
        len(pairs),
        mcnemar_p,
        (len(only_before), len(only_after)),
        fisher_p,
    )


def _ordinal(
    item: str,
    points: tuple[str, ...],
    scored: list[tuple[int | None, int | None]],
    threshold: int,
) -> OrdinalItem:
    pairs, only_before, only_after = _split(scored)
    before = Counter(first for first, _second in scored if first is not None)
    after = Counter(second for _first, second in scored if second is not None)
    wilcoxon_p = rank_biserial = None
    if _pairs_may_be_tested(len(pairs), len(only_before), len(only_after), threshold):
        wilcoxon_p, rank_biserial = wilcoxon_signed_rank(
            [first for first, _second in pairs], [second for _first, second in pairs]
        )
    mann_whitney_p = cliffs_delta = None
    if min(len(only_before), len(only_after)) >= threshold:
        mann_whitney_p, cliffs_delta = mann_whitney(only_before, only_after)
    return OrdinalItem(
        item,
        points,
        tuple(before[index] for index in range(len(points))),
        tuple(after[index] for index in range(len(points))),
        len(pairs),
        wilcoxon_p,
        rank_biserial,
        (len(only_before), len(only_after)),
        mann_whitney_p,
        cliffs_delta,
    )


# What a comparison says, in words and as a table --------------------------------------------


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _p(value: float) -> str:
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}".rstrip("0").rstrip(".")


def _binary_words(item: BinaryItem) -> tuple[list[str], bool]:
    """The sentences about a knowledge item, and whether any test was shown."""
    before, after = item.before, item.after
    said = [
        ngettext(
            "Before, %(right)d of %(answered)d answered correctly (%(share)s, 95%% interval "
            "%(low)s to %(high)s); after, %(right_after)d of %(answered_after)d "
            "(%(share_after)s, %(low_after)s to %(high_after)s).",
            "Before, %(right)d of %(answered)d answered correctly (%(share)s, 95%% interval "
            "%(low)s to %(high)s); after, %(right_after)d of %(answered_after)d "
            "(%(share_after)s, %(low_after)s to %(high_after)s).",
            before.right,
        )
        % {
            "right": before.right,
            "answered": before.answered,
            "share": _percent(before.share),
            "low": _percent(before.low),
            "high": _percent(before.high),
            "right_after": after.right,
            "answered_after": after.answered,
            "share_after": _percent(after.share),
            "low_after": _percent(after.low),
            "high_after": _percent(after.high),
        }
    ]
    tested = False
    if item.mcnemar_p is not None:
        tested = True
        said.append(
            ngettext(
                "%(count)d person answered both; for them the exact McNemar test gives %(p)s.",
                "%(count)d people answered both; for them the exact McNemar test gives %(p)s.",
                item.pairs,
            )
            % {"count": item.pairs, "p": _p(item.mcnemar_p)}
        )
    else:
        said.append(
            ngettext(
                "%(count)d person answered both: too few for a test that could not point at "
                "anyone's answer (a test needs at least %(least)d pairs, and either nobody or a "
                "group answering only once).",
                "%(count)d people answered both: too few for a test that could not point at "
                "anyone's answer (a test needs at least %(least)d pairs, and either nobody or a "
                "group answering only once).",
                item.pairs,
            )
            % {"count": item.pairs, "least": MIN_PAIRS}
        )
    if item.fisher_p is not None:
        tested = True
        said.append(
            _("For those who answered only once, Fisher's exact test gives %(p)s.")
            % {"p": _p(item.fisher_p)}
        )
    return said, tested


def _ordinal_words(item: OrdinalItem) -> tuple[list[str], bool]:
    """The sentences about a scale item, and whether any test was shown."""
    before = sum(item.before)
    said = [
        ngettext(
            "%(before)d person answered before and %(after)d after; %(both)d answered both.",
            "%(before)d people answered before and %(after)d after; %(both)d answered both.",
            before,
        )
        % {"before": before, "after": sum(item.after), "both": item.pairs}
    ]
    tested = False
    if item.wilcoxon_p is None or item.rank_biserial is None:
        said.append(
            _(
                "No test of the change: too few for a test that could not point at anyone's "
                "answer (a test needs at least %(least)d pairs, and either nobody or a group "
                "answering only once)."
            )
            % {"least": MIN_PAIRS}
        )
    elif item.rank_biserial == 0 and item.wilcoxon_p == 1.0:
        tested = True
        said.append(_("Of those who answered both, nobody's answer moved on balance."))
    else:
        tested = True
        numbers = {"r": f"{item.rank_biserial:.2f}", "p": _p(item.wilcoxon_p)}
        if item.rank_biserial > 0:
            sentence = _(
                "For those who answered both, answers after were higher on balance "
                "(matched-pairs rank-biserial r = %(r)s, from -1, all lower, to 1, all higher; "
                "Wilcoxon signed-rank %(p)s)."
            )
        else:
            sentence = _(
                "For those who answered both, answers after were lower on balance "
                "(matched-pairs rank-biserial r = %(r)s, from -1, all lower, to 1, all higher; "
                "Wilcoxon signed-rank %(p)s)."
            )
        said.append(sentence % numbers)
    if item.cliffs_delta is not None and item.mann_whitney_p is not None:
        tested = True
        said.append(
            # Translators: %(size)s is one of "negligible", "small", "medium" or "large",
            # translated on their own: the size of the difference (an effect size).
            _(
                "For those who answered only once, Cliff's delta is %(delta)s (above 0: higher "
                "after; %(size)s; Mann-Whitney %(p)s)."
            )
            % {
                "delta": f"{item.cliffs_delta:.2f}",
                "size": _(cliffs_size(item.cliffs_delta)),
                "p": _p(item.mann_whitney_p),
            }
        )
    return said, tested


def plain_words(item: BinaryItem | OrdinalItem) -> str:
    """What one compared item shows, and what it cannot: for the counselor reading the report,
    in the language spoken."""
    if isinstance(item, BinaryItem):
        said, tested = _binary_words(item)
    else:
        said, tested = _ordinal_words(item)
    if tested:
        said.append(_(SMALL_P))
    said.append(_(NO_CAUSE))
    return " ".join(said)


def as_table(found: list[Comparison]) -> pd.DataFrame:
    """Every compared item as a row, for the workbook's Before-after sheet. The column names
    are the sheet's fixed names (the workbook formats its shares by them); what each row
    shows is said in the language spoken."""
    records = []
    for comparison in found:
        head = {"before": comparison.before.title, "after": comparison.after.title}
        if not comparison.visible:
            records.append({**head, "what it shows": comparison.hidden_reason})
            continue
        for item in comparison.items:
            record = {**head, "item": item.item, "pairs": item.pairs}
            if isinstance(item, BinaryItem):
                record |= {
                    "right before": item.before.share,
                    "right after": item.after.share,
                    "exact McNemar p": item.mcnemar_p,
                    "Fisher p (answered once)": item.fisher_p,
                }
            else:
                record |= {
                    "rank-biserial r": item.rank_biserial,
                    "Wilcoxon p": item.wilcoxon_p,
                    "Cliff's delta (answered once)": item.cliffs_delta,
                    "Mann-Whitney p": item.mann_whitney_p,
                }
            records.append({**record, "what it shows": plain_words(item)})
    return pd.DataFrame.from_records(records)
