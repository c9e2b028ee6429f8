"""Resolution quality on the demo shop's planted truth, at two seeds (tests may read ``_truth``).

Pairwise precision must be >= 0.99 and pairwise recall >= 0.97 (issue 7). With identifiers alone
(the order-phone and near-phone rules off) raw recall is about 0.90: about 9 % of same-person pairs
share no clean identifier because a planted trap broke the only link — a mistyped phone (~0.05 of
pairs), a placeholder phone (~0.02), a phone-less account (~0.025), name-and-address-only store
sign-ups and front-desk phones (< 0.005 each). Two rules a shop would accept recover most of it
(docs/identity.md): the phone an account's parcels go to (``orders.receiver_phone``) and phones one
keystroke apart confirmed by the same city and district with no disagreeing name, gender or birth
date. Measured (2026-11-25): seed 20251111 precision 1.0000 recall 0.9736 (before 0.9981 / 0.9014);
seed 7 precision 1.0000 recall 0.9740 (before 0.9987 / 0.8984). What is left: phone-less accounts
with no orders (~0.0125 of pairs), placeholder phones with no orders (~0.008), typos whose accounts
give no common district (~0.003), family devices and front-desk phones (< 0.001 each).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from demo.shop_fixture import build_cached_shop
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.identity import (
    DEFAULT_RULES,
    ResolutionRules,
    identity_report,
    pairwise_scores,
    resolve_identities,
)

IDENTIFIERS_ONLY = replace(DEFAULT_RULES, order_phones=False, near_phone=False)

SECOND_SEED = 7


def _score(shop: Path, tmp_path: Path, rules: ResolutionRules = DEFAULT_RULES) -> dict[str, float]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(shop / "warehouse.duckdb", target)
    wh = Warehouse(target)
    try:
        resolve_identities(wh, mode="full", rules=rules)
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


def _check(shop: Path, tmp_path: Path) -> None:
    before = _score(shop, tmp_path / "before", IDENTIFIERS_ONLY)
    after = _score(shop, tmp_path / "after")
    assert before["precision"] >= 0.99
    assert 0.85 <= before["recall"] < 0.93  # identifiers alone: the traps cap recall near 0.90
    assert before["ceiling"] >= 0.88  # the generator keeps multi-account people findable (was 0.53 in v1)
    assert before["findable_recall"] >= 0.97
    assert after["precision"] >= 0.99
    assert after["recall"] >= 0.97


def test_resolution_quality_on_the_cached_demo_shop(demo_shop: Path, tmp_path: Path) -> None:
    _check(demo_shop, tmp_path)


@pytest.mark.timeout(900)
def test_resolution_quality_at_a_second_seed(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    shop = build_cached_shop(request.config, seed=SECOND_SEED, customers=5000)
    _check(shop, tmp_path)
