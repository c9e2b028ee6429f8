"""The deterministic identity graph: connected components of accounts under the identifier rules.

Pure core (NumPy + ``scipy.sparse.csgraph``), no I/O: records are ``0 … n-1``; each identifier row
says record ``rec`` holds value ``vid`` of type ``tcode`` (a code into
:data:`~zhongtai.warehouse.identity.rules.ID_TYPES`). Nothing loops over records in Python: every
pass is a handful of array operations and one ``connected_components`` call on a sparse graph whose
edges join each component holding a value to the first component holding it (a star per value, so
the graph has at most as many edges as identifier rows).

Passes (see :mod:`~zhongtai.warehouse.identity.rules`):

1. Values held by more than ``max_accounts`` distinct accounts are blocked (shared or junk).
2. For each priority level, strongest first: a value joins the components of its accounts unless it
   touches more than ``max_anchored`` components that already hold an identifier from an earlier
   level (a conflict: two identified people sharing, say, a family tablet).
3. Over-merge guard: a component with more than ``max_cluster_size`` accounts falls back to what the
   first level alone joined, and is flagged.
4. Pairs joined by a rule other than a shared identifier (near phones) are unioned before step 3.
5. Operator decisions: pinned accounts (manual splits) took part in no identifier edge and are
   grouped by pin; must-link pairs (manual merges, accepted probabilistic candidates) are unioned last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from zhongtai.warehouse.identity.rules import ID_TYPES, ResolutionRules

__all__ = ["Components", "link_components"]


@dataclass(frozen=True, slots=True)
class Components:
    """Result of :func:`link_components`.

    ``labels[i]`` is record ``i``'s component (dense ``0 … k-1``); ``flagged[i]`` is true when the
    record belonged to an over-size component (held back and flagged for review).
    ``blocked_cap[type]`` counts values over ``max_accounts``; ``blocked_conflict[type]`` counts
    values that would have joined identified people; ``blocked_values`` lists each blocked value id
    with its type code, its distinct accounts and the reason (``cap`` or ``conflict``).
    """

    labels: np.ndarray
    flagged: np.ndarray
    blocked_cap: dict[str, int] = field(default_factory=dict)
    blocked_conflict: dict[str, int] = field(default_factory=dict)
    blocked_values: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.empty(0, np.int64), np.empty(0, np.int8), np.empty(0, np.int64), np.empty(0, "U8"))
    )

    @property
    def count(self) -> int:
        return int(self.labels.max()) + 1 if len(self.labels) else 0


def _dense(labels: np.ndarray) -> np.ndarray:
    return np.unique(labels, return_inverse=True)[1].astype(np.int64)


def _union(n: int, labels: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Labels after joining components ``a[j]`` and ``b[j]`` (arrays of component labels)."""
    if len(a) == 0:
        return labels
    graph = sp.coo_matrix((np.ones(len(a), dtype=np.int32), (a, b)), shape=(n, n)).tocsr()
    _, comp = connected_components(graph, directed=False)
    out: np.ndarray = comp[labels].astype(np.int64)
    return out


def link_components(
    n: int,
    rec: np.ndarray,
    tcode: np.ndarray,
    vid: np.ndarray,
    rules: ResolutionRules,
    *,
    pinned: np.ndarray | None = None,
    must_a: np.ndarray | None = None,
    must_b: np.ndarray | None = None,
    rule_a: np.ndarray | None = None,
    rule_b: np.ndarray | None = None,
) -> Components:
    """Components of ``n`` records linked by identifier rows ``(rec, tcode, vid)`` under ``rules``.

    ``vid`` numbers distinct (type, normalised value) pairs densely from 0. ``pinned[i] >= 0`` puts
    record ``i`` in manual group ``pinned[i]`` and out of identifier linking; ``must_a``/``must_b``
    are record pairs an operator joined. ``rule_a``/``rule_b`` are record pairs a rule other than a
    shared identifier joined (near phones): they are unioned after the identifier passes and
    *before* the over-merge guard, so a chain of them cannot build an oversize member unflagged;
    pairs touching a pinned record are ignored.
    """
    rec = np.asarray(rec, dtype=np.int64)
    vid = np.asarray(vid, dtype=np.int64)
    tcode = np.asarray(tcode, dtype=np.int8)
    width = np.int64(max(n, 1))
    prio = np.array([rules.rule(t).priority if rules.rule(t).links else 0 for t in ID_TYPES], dtype=np.int64)
    cap = np.array([rules.rule(t).max_accounts for t in ID_TYPES], dtype=np.int64)
    anchored_max = np.array([rules.rule(t).max_anchored for t in ID_TYPES], dtype=np.int64)
    pins = np.full(n, -1, dtype=np.int64) if pinned is None else np.asarray(pinned, dtype=np.int64)
    n_values = int(vid.max()) + 1 if len(vid) else 0
    value_type = np.zeros(n_values, dtype=np.int8)
    value_type[vid] = tcode
    # one row per (value, record): duplicate identifier rows count once
    pair = np.unique(vid * width + rec)
    vid, rec = pair // width, pair % width
    accounts = np.bincount(vid, minlength=n_values)
    over = (accounts > cap[value_type]) & (prio[value_type] > 0)
    linking = (prio[value_type[vid]] > 0) & (pins[rec] < 0)
    conflict_all = np.zeros(n_values, dtype=bool)
    labels = np.arange(n, dtype=np.int64)
    anchored_records = np.zeros(n, dtype=bool)
    first_level: np.ndarray | None = None
    for level in sorted({int(p) for p in prio if p > 0}):
        sel = linking & (prio[value_type[vid]] == level) & ~over[vid]
        v, r = vid[sel], rec[sel]
        anchored = np.zeros(n, dtype=bool)
        anchored[labels[anchored_records]] = True
        key = np.unique(v * width + labels[r])
        uv, uc = key // width, key % width
        touched = np.bincount(uv, minlength=n_values)
        conflict = np.bincount(uv[anchored[uc]], minlength=n_values) > anchored_max[value_type]
        conflict_all |= conflict & (touched > 1)
        ok = ~conflict[uv]
        uv, uc = uv[ok], uc[ok]
        if len(uv):
            start = np.r_[True, uv[1:] != uv[:-1]]
            first = uc[np.flatnonzero(start)][np.cumsum(start) - 1]
            labels = _union(n, labels, first, uc)
        anchored_records[r[~conflict[v]]] = True
        if first_level is None:
            first_level = labels.copy()
    if rule_a is not None and rule_b is not None and len(rule_a):
        ra, rb = np.asarray(rule_a, dtype=np.int64), np.asarray(rule_b, dtype=np.int64)
        free = (pins[ra] < 0) & (pins[rb] < 0)
        labels = _union(n, labels, labels[ra[free]], labels[rb[free]])
    labels = _dense(labels)
    flagged = np.zeros(n, dtype=bool)
    sizes = np.bincount(labels, minlength=labels.max() + 1 if n else 0)
    big = sizes[labels] > rules.max_cluster_size if n else flagged
    if big.any() and first_level is not None:
        flagged = big
        labels = _dense(np.where(big, first_level + width, labels))
    # operator decisions: pinned groups, then must-link pairs
    groups = np.flatnonzero(pins >= 0)
    a_parts, b_parts = [], []
    if len(groups):
        order = groups[np.argsort(pins[groups], kind="stable")]
        start = np.r_[True, pins[order][1:] != pins[order][:-1]]
        lead = order[np.flatnonzero(start)][np.cumsum(start) - 1]
        a_parts.append(labels[lead])
        b_parts.append(labels[order])
    if must_a is not None and must_b is not None and len(must_a):
        a_parts.append(labels[np.asarray(must_a, dtype=np.int64)])
        b_parts.append(labels[np.asarray(must_b, dtype=np.int64)])
    if a_parts:
        labels = _dense(_union(n, labels, np.concatenate(a_parts), np.concatenate(b_parts)))
    reason = np.where(over, "cap", np.where(conflict_all, "conflict", ""))
    blocked = np.flatnonzero(over | conflict_all)
    return Components(
        labels=labels,
        flagged=flagged,
        blocked_cap={t: int(np.sum(over & (value_type == i))) for i, t in enumerate(ID_TYPES)},
        blocked_conflict={t: int(np.sum(conflict_all & (value_type == i))) for i, t in enumerate(ID_TYPES)},
        blocked_values=(blocked, value_type[blocked], accounts[blocked], reason[blocked]),
    )
