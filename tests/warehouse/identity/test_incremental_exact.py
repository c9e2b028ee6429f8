"""An incremental run gives exactly the grouping a full run gives (demo shop, seed 20251111).

The incremental path recomputes only the closure of the new accounts (shared identifiers that are
not blocked, their members, near-phone neighbours, decisions). If that closure missed an account,
the recomputed components would differ from a full run's, so the test compares the partitions of
accounts (member ids may differ: a full run from scratch numbers them afresh).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.identity import resolve_identities
from zhongtai.workspace import Workspace

LATE = 0.03  # share of accounts held back and loaded later (about 280 of 9,175)
NEXT_LOAD = 1000


def _partition(wh: Warehouse) -> set[frozenset[str]]:
    rows = wh.con.execute(
        "SELECT LIST(source || ':' || customer_id) FROM zt_identity.members GROUP BY member_id"
    ).fetchall()
    return {frozenset(r[0]) for r in rows}


def test_incremental_equals_full_on_the_demo_shop(demo_shop: Path, tmp_path: Path) -> None:
    full_path, incr_path = tmp_path / "full.duckdb", tmp_path / "incr.duckdb"
    shutil.copy(demo_shop / "warehouse.duckdb", full_path)
    shutil.copy(demo_shop / "warehouse.duckdb", incr_path)
    full = Warehouse(full_path)
    try:
        resolve_identities(full, mode="full")
        expected = _partition(full)
    finally:
        full.close()
    wh = Warehouse(incr_path)
    try:
        con = wh.con
        # hold back a deterministic sample of accounts: their customers, identities and orders rows
        con.execute(
            "CREATE TABLE late AS SELECT source, customer_id FROM main.customers "
            "WHERE HASH(source, customer_id) % 1000 < ?",
            [int(LATE * 1000)],
        )
        held = int(con.execute("SELECT COUNT(*) FROM late").fetchall()[0][0])
        assert held > 150
        for table in ("customers", "identities", "orders"):
            con.execute(
                f"CREATE TABLE late_{table} AS SELECT * FROM main.{table} SEMI JOIN late USING (source, customer_id)"
            )
            con.execute(
                f"DELETE FROM main.{table} t USING late l WHERE t.source = l.source AND t.customer_id = l.customer_id"
            )
        first = resolve_identities(wh, mode="full")
        for table in ("customers", "identities", "orders"):
            con.execute(f"UPDATE late_{table} SET _load_id = ?", [NEXT_LOAD])
            con.execute(f"INSERT INTO main.{table} SELECT * FROM late_{table}")
        con.execute("INSERT INTO zt_meta.loads (load_id, status) VALUES (?, 'committed')", [NEXT_LOAD])
        second = resolve_identities(wh, mode="incremental")
        assert second.mode == "incremental"
        assert held <= second.records < first.records  # recomputed the affected part only
        assert _partition(wh) == expected
        # re-running on a resolved warehouse changes nothing
        again = resolve_identities(wh, mode="incremental", seed_accounts=(("tmall", "t_0685107678"),))
        assert (again.changed_records, again.rows_rewritten) == (0, 0)
        assert _partition(wh) == expected
    finally:
        wh.close()


def test_a_warehouse_resolved_before_the_hash_columns_is_upgraded(workspace: Workspace) -> None:
    con = workspace.warehouse.con
    for source, cid, phone in (("tmall", "t1", "13812345678"), ("jd", "j1", "13812345678")):
        con.execute(
            "INSERT INTO identities (source, customer_id, id_type, id_value, _load_id) VALUES (?, ?, 'phone', ?, 1)",
            [source, cid, phone],
        )
    con.execute("INSERT INTO zt_meta.loads (load_id, status) VALUES (1, 'committed')")
    resolve_identities(workspace.warehouse, mode="full")  # records max_load_id = 1
    con.execute("ALTER TABLE zt_identity.identifiers DROP COLUMN khash")
    con.execute("ALTER TABLE zt_identity.identifiers DROP COLUMN ahash")
    con.execute(
        "INSERT INTO identities (source, customer_id, id_type, id_value, _load_id) "
        "VALUES ('douyin', 'd1', 'phone', '+86 138 1234 5678', 2)"
    )
    result = resolve_identities(workspace.warehouse, mode="incremental")
    assert result.records == 3  # the new account found the old two through the back-filled hashes
    assert result.members == 1
    hashes = con.execute(
        "SELECT COUNT(*) FROM zt_identity.identifiers WHERE khash = HASH(id_type, key) "
        "AND ahash = HASH(source, customer_id)"
    ).fetchall()
    assert hashes == [(3,)]


def test_an_incremental_run_keeps_a_value_over_its_cap_blocked(workspace: Workspace) -> None:
    """A front-desk phone on 9 accounts (phone cap 8) links nobody; a 10th sign-up with it and with
    the e-mail of account a0 joins a0 only, and the run recomputes just those two accounts."""
    con = workspace.warehouse.con
    desk = "021-6234 5678"
    for k in range(9):
        for id_type, value in (("phone", desk), ("email", f"guest{k}@qq.com")):
            con.execute(
                "INSERT INTO identities (source, customer_id, id_type, id_value, _load_id) VALUES ('pos', ?, ?, ?, 1)",
                [f"a{k}", id_type, value],
            )
    con.execute("INSERT INTO zt_meta.loads (load_id, status) VALUES (1, 'committed')")
    first = resolve_identities(workspace.warehouse, mode="full")
    assert first.members == 9
    assert first.blocked_cap["phone"] == 1
    for id_type, value in (("phone", desk), ("email", "GUEST0@qq.com")):
        con.execute(
            "INSERT INTO identities (source, customer_id, id_type, id_value, _load_id) VALUES ('pos', 'n1', ?, ?, 2)",
            [id_type, value],
        )
    second = resolve_identities(workspace.warehouse, mode="incremental")
    assert second.records == 2
    assert second.statuses.get("shared") == 2  # the desk phone of both recomputed accounts
    members = dict(con.execute("SELECT customer_id, member_id FROM zt_identity.members").fetchall())
    assert members["n1"] == members["a0"]
    assert len(set(members.values())) == 9
