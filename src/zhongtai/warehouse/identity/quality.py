"""Quality of a resolution: pairwise precision/recall against a labelled sample, and the run report.

Pairwise scores (Christen, *Data Matching*, Springer 2012, §7.3): over all unordered pairs of
accounts, a pair is *predicted* when both accounts share a member and *true* when both belong to
the same person in the reference. precision = correct / predicted, recall = correct / true,
F1 = their harmonic mean. Pairs are counted per group (``k·(k−1)/2``), never enumerated, so a
million accounts score in a second.

The reference is whatever the caller supplies (a reviewed sample, a data set's ground truth); the
library never reads the demo shop's planted truth itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from zhongtai.errors import InputError
from zhongtai.warehouse._sql import fragment, run, scalar
from zhongtai.warehouse.identity.store import has_identity_schema, last_run

__all__ = ["PairwiseScore", "identity_report", "pairwise_scores"]


@dataclass(frozen=True, slots=True)
class PairwiseScore:
    """Pairwise precision, recall and F1 in [0, 1], with the counts they come from."""

    precision: float
    recall: float
    f1: float
    correct_pairs: int
    predicted_pairs: int
    true_pairs: int
    accounts: int
    members: int
    people: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pairs(*keys: np.ndarray) -> int:
    stacked = np.stack(keys, axis=1) if len(keys) > 1 else keys[0][:, None]
    _, counts = np.unique(stacked, axis=0, return_counts=True)
    counts = counts.astype(np.int64)
    return int(np.sum(counts * (counts - 1) // 2))


def pairwise_scores(predicted: np.ndarray, truth: np.ndarray) -> PairwiseScore:
    """Score predicted cluster labels against true labels (two aligned integer arrays)."""
    predicted = np.asarray(predicted)
    truth = np.asarray(truth)
    if predicted.shape != truth.shape:
        raise InputError("identity.truth_misaligned", predicted=len(predicted), truth=len(truth))
    p = np.unique(predicted, return_inverse=True)[1].astype(np.int64)
    t = np.unique(truth, return_inverse=True)[1].astype(np.int64)
    correct = _pairs(p, t) if len(p) else 0
    predicted_pairs = _pairs(p) if len(p) else 0
    true_pairs = _pairs(t) if len(t) else 0
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScore(
        precision, recall, f1, correct, predicted_pairs, true_pairs, len(p),
        int(p.max()) + 1 if len(p) else 0, int(t.max()) + 1 if len(t) else 0,
    )  # fmt: skip


def identity_report(con: Any, truth: pa.Table | None = None) -> dict[str, Any]:
    """The last run, member counts and sizes, identifier statuses, blocked values, flags, pending
    candidates and, with ``truth`` (columns ``source``, ``customer_id``, ``person_id``), pairwise scores.
    """
    if not has_identity_schema(con):
        raise InputError("identity.not_resolved")
    report: dict[str, Any] = {"last_run": last_run(con)}
    report["members"] = int(scalar(con, fragment("SELECT COUNT(DISTINCT member_id) FROM zt_identity.members")) or 0)
    report["accounts"] = int(scalar(con, fragment("SELECT COUNT(*) FROM zt_identity.members")) or 0)
    report["cluster_sizes"] = {
        int(k): int(v)
        for k, v in run(
            con,
            fragment(
                "SELECT size, COUNT(*) FROM (SELECT member_id, COUNT(*) AS size FROM zt_identity.members "
                "GROUP BY member_id) GROUP BY size ORDER BY size"
            ),
        )
    }
    report["identifier_status"] = {
        f"{t}:{s}": int(c)
        for t, s, c in run(
            con, fragment("SELECT id_type, status, COUNT(*) FROM zt_identity.identifiers GROUP BY ALL ORDER BY ALL")
        )
    }
    run_id = report["last_run"]["run_id"] if report["last_run"] else 0
    report["blocked"] = [
        {"id_type": t, "value_ref": v, "accounts": int(a), "reason": r}
        for t, v, a, r in run(
            con,
            fragment(
                "SELECT id_type, value_ref, accounts, reason FROM zt_identity.blocked WHERE run_id = "
                "(SELECT MAX(run_id) FROM zt_identity.blocked) ORDER BY accounts DESC, id_type LIMIT 20"
            ),
        )
    ]
    report["flagged"] = [
        {"member_id": m, "accounts": int(a)}
        for m, a in run(
            con,
            fragment(
                "SELECT member_id, COUNT(*) FROM zt_identity.members WHERE flagged "
                "GROUP BY member_id ORDER BY 2 DESC LIMIT 20"
            ),
        )
    ]
    report["candidates_pending"] = int(
        scalar(con, fragment("SELECT COUNT(*) FROM zt_identity.candidates WHERE status = 'pending'")) or 0
    )
    report["overrides_active"] = int(
        scalar(con, fragment("SELECT COUNT(*) FROM zt_identity.overrides WHERE undone_at IS NULL")) or 0
    )
    report["run_id"] = run_id
    if truth is not None:
        missing = {"source", "customer_id", "person_id"} - set(truth.column_names)
        if missing:
            raise InputError("identity.truth_columns", columns=", ".join(sorted(missing)))
        con.register("_reference_arrow", truth.select(["source", "customer_id", "person_id"]))
        try:
            rows = run(
                con,
                fragment(
                    "SELECT m.member_id, CAST(t.person_id AS VARCHAR) FROM zt_identity.members m "
                    "JOIN _reference_arrow t ON m.source = CAST(t.source AS VARCHAR) "
                    "AND m.customer_id = CAST(t.customer_id AS VARCHAR)"
                ),
            )
        finally:
            con.unregister("_reference_arrow")
        predicted = np.array([r[0] for r in rows], dtype=object).astype(str)
        people = np.array([r[1] for r in rows], dtype=object).astype(str)
        report["scores"] = pairwise_scores(predicted, people).to_dict()
    return report
