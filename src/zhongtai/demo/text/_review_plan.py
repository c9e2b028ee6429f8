"""The plan of a review: which clauses it has, in what order, about what, and how strongly.

A review of level ``L`` (−2 … +2) is laid out as up to nine units: an opener (context), a verdict
in front, up to four aspect clauses, a neutral information clause (还没用, in neutral reviews) or a
usage note (早晚各用一次, in polar ones), a verdict at the back and a closing. Polar reviews take one of four shapes:

- *uniform*: every aspect leans the verdict's way (some are neutral);
- *concede*: one mild opinion against the verdict, then the main ones (物流慢了点，不过质量很好);
- *minor*: the main opinions, then one mild point against them after a marker that says it is
  minor (质量很好，就是物流慢了点); the main opinion is strong;
- *but* (mildly positive or negative reviews only): two mild opinions joined by 但是 / but, about
  aspects of equal weight; the second decides. This is the
  contrastive-conjunction rule of Socher et al. (2013, §5.4): in "X but Y" the sentiment of Y
  dominates. A bag of words sees the same words in both orders, so only word order tells.

Honesty rules: an opinion against the verdict is never stronger than the strongest main one and
never about a weightier aspect (质量, 成分/安全 and 售后 weigh more than 物流 or 包装) unless an explicit
verdict says how the reviewer weighs it; a review without a verdict always has a main clause of
its direction; a neutral review has only mild opinions, balanced, or a single one-sided one
next to a neutral verdict. The planted issue is always mentioned and always negative: a main
complaint in a negative review, the conceded or minor point in a positive one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.text._categories import ASPECT_WEIGHTS, ASPECTS

__all__ = ["BUT", "COLUMNS", "CONCEDE", "MAX_ASPECTS", "MINOR", "UNIFORM", "ReviewPlan", "UnitKind", "plan_reviews"]

MAX_ASPECTS = 4
COLUMNS = 3 + MAX_ASPECTS + 2  # opener, verdict (front), aspects…, info, verdict (back), closing
_FRONT, _ASPECT0, _INFO, _BACK, _CLOSING = 1, 2, 2 + MAX_ASPECTS, 3 + MAX_ASPECTS, 4 + MAX_ASPECTS
# aspects that weigh more in a verdict: the product itself, its safety, and a return gone wrong
_CORE = np.isin(np.arange(len(ASPECTS)), [ASPECTS.index(a) for a in ("quality", "safety", "after_sales")])

UNIFORM, CONCEDE, MINOR, BUT = range(4)


class UnitKind:
    """Unit kinds (template key stems: ``opener``, ``overall:<L>``, ``<aspect>:<L>`` …)."""

    OPENER, OVERALL, ASPECT, INFO, CLOSING, SARCASM, SHORT, USAGE = range(8)


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    """Units of ``m`` reviews as (m × COLUMNS) arrays; ``kind`` is −1 where a cell is empty."""

    kind: np.ndarray
    value: np.ndarray  # level of the unit, −2 … +2 (the review's level for verdicts)
    aspect: np.ndarray  # aspect index for aspect units
    shape: np.ndarray  # UNIFORM, CONCEDE, MINOR or BUT per review (UNIFORM for short and neutral)
    long: np.ndarray  # boolean: a long review

    def aspects(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(review row, aspect index, level) of every aspect clause, in written order."""
        rows, cols = np.nonzero(self.kind == UnitKind.ASPECT)
        return rows, self.aspect[rows, cols], self.value[rows, cols]


def _swap(a: np.ndarray, where: np.ndarray, i: np.ndarray, j: np.ndarray) -> None:
    """Swap ``a[r, i[r]]`` and ``a[r, j[r]]`` for the rows ``where``."""
    rows = np.flatnonzero(where)
    first = a[rows, i[rows]].copy()
    a[rows, i[rows]] = a[rows, j[rows]]
    a[rows, j[rows]] = first


def plan_reviews(rng: np.random.Generator, level: np.ndarray, issue: np.ndarray, family: np.ndarray) -> ReviewPlan:
    """Plan ``len(level)`` reviews; ``issue`` is an aspect index or −1, ``family`` a category family index."""
    m = len(level)
    sign = np.sign(level)
    strength = np.abs(level)
    polar = sign != 0
    has_issue = issue >= 0
    u = rng.random((m, 10))
    slot = np.arange(MAX_ASPECTS)[None, :]

    # -- length and shape ----------------------------------------------------------------------
    short = (u[:, 0] < 0.07) & ~has_issue
    long = ~short & (u[:, 0] >= 0.62)
    n = np.where(long, rng.integers(2, MAX_ASPECTS + 1, m), np.where(short, 0, 1 + (u[:, 1] < 0.45)))
    n = np.where(has_issue & (n == 0), 1, n)
    shape = np.full(m, UNIFORM)
    pick = u[:, 2]
    mild = strength == 1
    # shares by mildness: mild reviews are mixed more often (but 45%, minor 10%, concede 25%)
    cut = np.where(mild[:, None], [[0.45, 0.55, 0.8]], [[0.0, 0.15, 0.3]])
    shape = np.where(polar & ~short & mild & (pick < cut[:, 0]), BUT, shape)
    several = polar & (shape == UNIFORM) & (n >= 2)
    shape = np.where(several & (pick >= cut[:, 0]) & (pick < cut[:, 1]), MINOR, shape)
    shape = np.where(several & (pick >= cut[:, 1]) & (pick < cut[:, 2]), CONCEDE, shape)
    # a positive review that mentions its planted problem concedes it (or calls it minor)
    happy_issue = has_issue & (level > 0)
    shape = np.where(happy_issue & (shape == UNIFORM), np.where(u[:, 3] < 0.6, CONCEDE, MINOR), shape)
    n = np.where(shape == BUT, 2, n)
    n = np.where((shape == MINOR) & (n < 2), 2, n)
    present = slot < n[:, None]
    last = np.maximum(n - 1, 0)

    # roles in written order: which position argues against the verdict
    against_pos = np.where(shape == MINOR, last, 0)
    against = present & (shape[:, None] != UNIFORM) & (slot == against_pos[:, None])
    against &= polar[:, None]

    # -- aspects: weighted sampling without replacement (Efraimidis & Spirakis 2006) ------------
    keys = np.log(rng.random((m, len(ASPECTS)))) / ASPECT_WEIGHTS[family]
    keys[has_issue, issue[has_issue]] = np.inf
    chosen = np.argsort(-keys, axis=1)  # a permutation of all aspects: the tail is spare
    issue_pos = np.where(happy_issue, against_pos, np.where((level < 0) & (shape == BUT), 1,
                         np.where((level < 0) & (shape == CONCEDE), last, 0)))  # fmt: skip
    _swap(chosen, has_issue, np.zeros(m, dtype=np.int64), issue_pos)
    # "but" pairs weigh the same (both core or both not), so either order is as likely for both labels
    core = _CORE[chosen]
    positions = np.arange(len(ASPECTS))[None, :]
    mismatch = (shape == BUT) & (core[:, 0] != core[:, 1])
    fix_pos = np.where(has_issue & (issue_pos == 0), 1, np.where(has_issue & (issue_pos == 1), 0,
                       np.where(core[:, 0], 0, 1)))  # fmt: skip
    keep_core = core[np.arange(m), 1 - fix_pos]
    same = np.argmax((core == keep_core[:, None]) & (positions >= 2), axis=1)
    _swap(chosen, mismatch, fix_pos, same)
    # an opinion against the verdict may not be about a weightier aspect than every main one
    core = _CORE[chosen]
    main_core = (core[:, :MAX_ASPECTS] & present & ~against).any(axis=1)
    against_core = core[np.arange(m), against_pos] & against.any(axis=1)
    heavier = against_core & ~main_core
    spare = np.argmax(~core & (positions >= n[:, None]), axis=1)
    fixable = heavier & ~(has_issue & (issue_pos == against_pos))
    _swap(chosen, fixable, against_pos, spare)
    needs_verdict = heavier & ~fixable  # a core planted problem in a happy review: the verdict weighs it

    # -- levels ----------------------------------------------------------------------------------
    r = rng.random((m, MAX_ASPECTS))
    main = np.where(strength[:, None] == 2, np.where(r < 0.7, 2, 1), np.where(r < 0.7, 1, 2))
    main[:, 0] = np.where(shape == MINOR, 2, main[:, 0])  # a minor point needs a strong main one
    uniform_cdf = np.where(strength[:, None] == 2, [[0.1, 0.4, 1.0]], [[0.3, 0.85, 1.0]])
    uniform = (rng.random((m, MAX_ASPECTS, 1)) > uniform_cdf[:, None, :]).sum(axis=2)
    issue_strength = np.where(rng.random(m) < 0.6, 2, 1)
    uniform[:, 0] = np.where(has_issue & (level < 0), issue_strength, uniform[:, 0])
    magnitude = np.where((shape == UNIFORM)[:, None], uniform, main)
    magnitude = np.where((shape == BUT)[:, None], 1, magnitude)  # two mild opinions, the second decides
    magnitude = np.where(against & (shape != BUT)[:, None], 1, magnitude)
    value = magnitude * np.where(against, -1, 1) * sign[:, None]
    # neutral reviews: mild opinions only; one-sided ones are kept to a single clause
    neutral_value = (rng.random((m, MAX_ASPECTS, 1)) > np.array([0.25, 0.75])[None, None, :]).sum(axis=2) - 1
    neutral_value[:, 0] = np.where(has_issue, -1, neutral_value[:, 0])
    value = np.where(polar[:, None], value, neutral_value)
    value = np.where(present, value, 0)
    positives = np.cumsum(value > 0, axis=1)
    negatives = np.cumsum(value < 0, axis=1)
    value = np.where(~polar[:, None] & (((value > 0) & (positives > 1) & (negatives[:, -1:] == 0)) |
                     ((value < 0) & (negatives > 1) & (positives[:, -1:] == 0))), 0, value)  # fmt: skip

    # -- verdict, opener, closing ----------------------------------------------------------------
    leaning = present & (np.sign(value) == sign[:, None]) & polar[:, None]
    opinionated_neutral = ~polar & (value != 0).any(axis=1)
    verdict = np.where(short, True, u[:, 4] < np.where(shape == UNIFORM, np.where(long, 0.75, 0.55), 0.35))
    verdict |= (polar & ~leaning.any(axis=1)) | opinionated_neutral | needs_verdict
    verdict &= shape != BUT
    front = verdict & ~short & leaning.any(axis=1) & (u[:, 5] < 0.3) & (shape != CONCEDE)
    sarcasm = verdict & ~short & (level < 0) & (u[:, 6] < 0.04)

    kind = np.full((m, COLUMNS), -1, dtype=np.int64)
    cell_value = np.zeros((m, COLUMNS), dtype=np.int64)
    aspect = np.zeros((m, COLUMNS), dtype=np.int64)
    verdict_kind = np.where(sarcasm, UnitKind.SARCASM, np.where(short, UnitKind.SHORT, UnitKind.OVERALL))
    kind[:, 0] = np.where(~short & (u[:, 7] < np.where(long, 0.7, 0.2)), UnitKind.OPENER, -1)
    kind[:, _FRONT] = np.where(front | short, verdict_kind, -1)
    kind[:, _ASPECT0:_INFO] = np.where(present, UnitKind.ASPECT, -1)
    cell_value[:, _ASPECT0:_INFO] = value
    aspect[:, _ASPECT0:_INFO] = chosen[:, :MAX_ASPECTS]
    kind[:, _INFO] = np.where(~short & ~polar & (u[:, 8] < 0.35), UnitKind.INFO, -1)
    # how the reviewer uses it (neutral context) sits among the opinions of longer reviews
    kind[:, _INFO] = np.where(polar & ~short & (u[:, 8] < np.where(long, 0.45, 0.15)), UnitKind.USAGE, kind[:, _INFO])
    kind[:, _BACK] = np.where(verdict & ~front & ~short, verdict_kind, -1)
    kind[:, _CLOSING] = np.where(~short & (shape != BUT) & (u[:, 9] < np.where(long, 0.5, 0.15)), UnitKind.CLOSING, -1)
    for column in (_FRONT, _BACK):
        cell_value[:, column] = np.where(kind[:, column] == UnitKind.SARCASM, -2, level)
    cell_value[:, _CLOSING] = sign
    return ReviewPlan(kind=kind, value=cell_value, aspect=aspect, shape=np.where(short, UNIFORM, shape), long=long)
