"""Resolution in a real workspace: stable ids, history, incremental runs, operator decisions and undo."""

from __future__ import annotations

from typing import Any

import pytest

from zhongtai.errors import ConflictError, InputError, NotFoundError
from zhongtai.warehouse.identity import (
    current_member_id,
    list_overrides,
    member_accounts,
    merge_members,
    provisional_member_id,
    resolve_identities,
    undo_override,
    unmerge_accounts,
)
from zhongtai.workspace import Workspace

# accounts and their identifiers as exported; comments say why each odd row exists
ACCOUNTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("tmall", "t1", [("phone", "+86 138 1234 5678")]),
    ("jd", "j1", [("phone", "13812345678"), ("email", "Li@QQ.com")]),
    ("miniprogram", "m1", [("email", "li@qq.com "), ("wechat_unionid", "oUaaaaaaaaaaaaaaaaaaaaaaaaaa")]),
    ("douyin", "d1", [("phone", "13912345670;13698765432")]),  # two numbers in one cell
    ("pos", "p1", [("phone", "13698765432")]),
    ("jd", "j2", [("phone", "13800000000")]),  # placeholder: must not join j3
    ("jd", "j3", [("phone", "13800000000")]),
    ("tmall", "t9", [("phone", "138123")]),  # malformed
    ("", "x1", [("phone", "13812345678")]),  # unknown source: never linked
]


def _load(ws: Workspace, accounts: list[tuple[str, str, list[tuple[str, str]]]], load_id: int) -> None:
    con = ws.warehouse.con
    for source, cid, ids in accounts:
        mid = provisional_member_id(source, cid)
        con.execute(
            "INSERT INTO customers (source, customer_id, member_id, _load_id) VALUES (?, ?, ?, ?)",
            [source, cid, mid, load_id],
        )
        con.execute(
            "INSERT INTO orders (source, customer_id, member_id, order_id, order_time, status, _load_id) "
            "VALUES (?, ?, ?, ?, TIMESTAMP '2025-01-01', 'paid', ?)",
            [source, cid, mid, "o-" + cid, load_id],
        )
        for id_type, value in ids:
            con.execute(
                "INSERT INTO identities (source, customer_id, member_id, id_type, id_value, _load_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [source, cid, mid, id_type, value, load_id],
            )


def _member(ws: Workspace, source: str, cid: str) -> str:
    return str(ws.warehouse.con.execute(
        "SELECT member_id FROM zt_identity.members WHERE source = ? AND customer_id = ?", [source, cid]
    ).fetchall()[0][0])  # fmt: skip


def _members_of(ws: Workspace, table: str) -> dict[tuple[str, str], Any]:
    rows = ws.warehouse.con.execute(f"SELECT source, customer_id, member_id FROM {table}").fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def test_first_run_links_people_and_rewrites_member_id_everywhere(workspace: Workspace) -> None:
    _load(workspace, ACCOUNTS, 1)
    result = resolve_identities(workspace.warehouse, mode="full")
    li = _member(workspace, "tmall", "t1")
    assert {_member(workspace, "jd", "j1"), _member(workspace, "miniprogram", "m1")} == {li}
    assert _member(workspace, "douyin", "d1") == _member(workspace, "pos", "p1")  # through the split cell
    assert _member(workspace, "jd", "j2") != _member(workspace, "jd", "j3")
    assert _member(workspace, "", "x1") != li
    # on a tie the cluster keeps the smallest of its accounts' previous (provisional) ids
    assert li == min(
        provisional_member_id(s, c) or "" for s, c in [("tmall", "t1"), ("jd", "j1"), ("miniprogram", "m1")]
    )
    assert result.members == 6
    assert result.unknown_source == 1
    assert result.multi_values == 2
    assert result.statuses["placeholder"] == 2
    assert result.statuses["invalid"] == 1
    for table in ("customers", "orders", "identities"):
        rows = _members_of(workspace, table)
        assert rows[("tmall", "t1")] == rows[("miniprogram", "m1")] == li
    # old ids resolve through the history
    assert current_member_id(workspace.warehouse.con, provisional_member_id("tmall", "t1")) == li


def test_rerun_keeps_every_id_and_rewrites_nothing(workspace: Workspace) -> None:
    _load(workspace, ACCOUNTS, 1)
    first = resolve_identities(workspace.warehouse, mode="full")
    before = _members_of(workspace, "customers")
    again = resolve_identities(workspace.warehouse, mode="full")
    assert _members_of(workspace, "customers") == before
    assert (again.changed_records, again.rows_rewritten, again.merged, again.created) == (0, 0, 0, 0)
    assert first.rows_rewritten > 0


def test_incremental_run_touches_only_the_affected_components(workspace: Workspace) -> None:
    _load(workspace, ACCOUNTS, 1)
    resolve_identities(workspace.warehouse, mode="full")
    workspace.warehouse.con.execute("INSERT INTO zt_meta.loads (load_id, status) VALUES (1, 'committed')")
    resolve_identities(workspace.warehouse, mode="full")  # records max_load_id = 1
    _load(workspace, [("app", "a1", [("email", "LI@qq.com")]), ("app", "a2", [("phone", "15011112222")])], 2)
    result = resolve_identities(workspace.warehouse, mode="incremental")
    # a1 pulls in Li's three accounts and x1 (holds Li's phone; unknown source, kept apart); a2 is
    # alone: 2 seeds + 4 = 6 accounts recomputed out of 11, the other 5 untouched
    assert result.records == 6
    assert result.members == 3
    assert _member(workspace, "", "x1") != _member(workspace, "tmall", "t1")
    assert _member(workspace, "app", "a1") == _member(workspace, "tmall", "t1")
    assert _members_of(workspace, "orders")[("app", "a1")] == _member(workspace, "tmall", "t1")


def test_split_merges_and_undo_survive_later_automatic_runs(workspace: Workspace) -> None:
    _load(workspace, ACCOUNTS, 1)
    resolve_identities(workspace.warehouse, mode="full")
    li = _member(workspace, "tmall", "t1")
    split = unmerge_accounts(workspace.warehouse, li, [("miniprogram", "m1")], actor="op", reason="not the same")
    assert _member(workspace, "miniprogram", "m1") != li
    assert _member(workspace, "tmall", "t1") == _member(workspace, "jd", "j1") == li  # the larger part keeps the id
    resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "miniprogram", "m1") != _member(workspace, "tmall", "t1")  # still split
    history = workspace.warehouse.con.execute(
        "SELECT kind FROM zt_identity.history WHERE old_member_id = ?", [li]
    ).fetchall()
    assert ("split",) in history
    merge = merge_members(workspace.warehouse, [li, _member(workspace, "jd", "j2")], actor="op")
    assert _member(workspace, "jd", "j2") == li
    resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "jd", "j2") == li  # manual merge survives
    undo_override(workspace.warehouse, split.override_id, actor="op")
    assert _member(workspace, "miniprogram", "m1") == li
    undo_override(workspace.warehouse, merge.override_id, actor="op")
    assert _member(workspace, "jd", "j2") != li
    resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "jd", "j2") != li
    assert _member(workspace, "miniprogram", "m1") == li
    assert [o.undone_at is not None for o in list_overrides(workspace.warehouse.con)] == [True, True]
    with pytest.raises(ConflictError):
        undo_override(workspace.warehouse, merge.override_id, actor="op")


def test_bad_decisions_are_refused_with_clear_errors(workspace: Workspace) -> None:
    _load(workspace, ACCOUNTS, 1)
    resolve_identities(workspace.warehouse, mode="full")
    li = _member(workspace, "tmall", "t1")
    with pytest.raises(NotFoundError) as missing:
        merge_members(workspace.warehouse, [li, "Mnope"], actor="op")
    assert missing.value.code == "identity.member_not_found"
    with pytest.raises(InputError) as one:
        merge_members(workspace.warehouse, [li, li], actor="op")
    assert one.value.code == "identity.merge_needs_two"
    with pytest.raises(InputError) as whole:
        unmerge_accounts(workspace.warehouse, li, member_accounts(workspace.warehouse.con, li), actor="op")
    assert whole.value.code == "identity.split_needs_rest"
    with pytest.raises(InputError) as foreign:
        unmerge_accounts(workspace.warehouse, li, [("jd", "j2")], actor="op")
    assert foreign.value.code == "identity.account_not_in_member"
    with pytest.raises(InputError):
        resolve_identities(workspace.warehouse, mode="sometimes")
