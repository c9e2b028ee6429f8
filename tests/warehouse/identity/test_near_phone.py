"""The recall rules: order phones and near-phone links (one keystroke apart, confirmed by place and no conflict).

Each case is built by hand in a real workspace (DuckDB) so the expected member grouping is known
exactly; the demo-shop effect of the rules is measured in test_identity_quality_demo.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from zhongtai.errors import ConfigError
from zhongtai.warehouse.identity import DEFAULT_RULES, load_rules, provisional_member_id, resolve_identities
from zhongtai.warehouse.identity.graph import link_components
from zhongtai.warehouse.identity.near import near_neighbours
from zhongtai.workspace import Workspace

Profile = dict[str, object]


def _account(
    ws: Workspace,
    source: str,
    cid: str,
    *,
    phone: str | None = None,
    load_id: int = 1,
    orders: list[str | None] | None = None,
    **profile: object,
) -> None:
    """One account: a customers row with ``profile`` fields, its phone identity, and orders shipping to ``orders``."""
    con = ws.warehouse.con
    mid = provisional_member_id(source, cid)
    con.execute(
        "INSERT INTO customers (source, customer_id, member_id, _load_id, name, gender, birth_date, city, district) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [source, cid, mid, load_id, *(profile.get(k) for k in ("name", "gender", "birth_date", "city", "district"))],
    )
    if phone is not None:
        con.execute(
            "INSERT INTO identities (source, customer_id, member_id, id_type, id_value, _load_id) "
            "VALUES (?, ?, ?, 'phone', ?, ?)",
            [source, cid, mid, phone, load_id],
        )
    for k, receiver in enumerate(orders or []):
        con.execute(
            "INSERT INTO orders (source, customer_id, member_id, order_id, order_time, status, receiver_phone, "
            "_load_id) VALUES (?, ?, ?, ?, TIMESTAMP '2025-01-01', 'paid', ?, ?)",
            [source, cid, mid, f"o-{cid}-{k}", receiver, load_id],
        )


def _member(ws: Workspace, source: str, cid: str) -> str:
    rows = ws.warehouse.con.execute(
        "SELECT member_id FROM zt_identity.members WHERE source = ? AND customer_id = ?", [source, cid]
    ).fetchall()
    return str(rows[0][0])


HOME = {"city": "杭州", "district": "西湖区"}


def test_a_one_digit_typo_with_the_same_name_and_district_links(workspace: Workspace) -> None:
    _account(workspace, "tmall", "t1", phone="13812345678", name="李雷", gender="male", **HOME)
    _account(workspace, "jd", "j1", phone="138 1234 5679", name="李雷", **HOME)  # last digit mistyped
    result = resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "tmall", "t1") == _member(workspace, "jd", "j1")
    assert (result.near_phone_pairs, result.near_phone_links, result.members) == (1, 1, 1)


def test_two_swapped_neighbouring_digits_link_without_names(workspace: Workspace) -> None:
    _account(workspace, "tmall", "t1", phone="13812345678", **HOME)
    _account(workspace, "douyin", "d1", phone="13812354678", **HOME)  # 45 -> 54
    result = resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "tmall", "t1") == _member(workspace, "douyin", "d1")
    assert result.near_phone_links == 1


@pytest.mark.parametrize(
    ("other", "why"),
    [
        ({"phone": "13812345679", "name": "韩梅梅", **HOME}, "different names: a family's consecutive numbers"),
        ({"phone": "13812345679", "name": "李雷", "city": "杭州", "district": "滨江区"}, "different district"),
        ({"phone": "13812345679", "name": "李雷", "gender": "female", **HOME}, "different gender"),
        ({"phone": "13812345679", "birth_date": date(1990, 1, 2), **HOME}, "different birth date"),
        ({"phone": "13812345679", "name": "李雷"}, "no place to confirm it"),
        ({"phone": "13812345699", "name": "李雷", **HOME}, "two digits apart"),
        ({"phone": "13812345876", "name": "李雷", **HOME}, "a swap of non-neighbouring digits"),
    ],
)
def test_near_phones_without_corroboration_do_not_link(workspace: Workspace, other: Profile, why: str) -> None:
    _account(workspace, "tmall", "t1", phone="13812345678", name="李雷", gender="male",
             birth_date=date(1990, 1, 1), **HOME)  # fmt: skip
    _account(workspace, "jd", "j1", **other)  # type: ignore[arg-type]
    result = resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "tmall", "t1") != _member(workspace, "jd", "j1"), why
    assert result.near_phone_links == 0


def test_the_near_phone_rule_can_be_switched_off(workspace: Workspace, tmp_path: Path) -> None:
    _account(workspace, "tmall", "t1", phone="13812345678", name="李雷", **HOME)
    _account(workspace, "jd", "j1", phone="13812345679", name="李雷", **HOME)
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text("near_phone = false\norder_phones = false\n", encoding="utf-8")
    rules = load_rules(rules_file)
    assert (rules.near_phone, rules.order_phones) == (False, False)
    result = resolve_identities(workspace.warehouse, mode="full", rules=rules)
    assert _member(workspace, "tmall", "t1") != _member(workspace, "jd", "j1")
    assert (result.near_phone_pairs, result.near_phone_links) == (0, 0)


def test_rule_switches_must_be_booleans(tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('near_phone = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(rules_file)
    assert caught.value.code == "identity.rules_invalid"
    assert caught.value.params["key"] == "near_phone"


def test_the_phone_most_orders_ship_to_is_a_phone_of_the_account(workspace: Workspace) -> None:
    # placeholder phone in the profile, but the parcels go to the real number held by the jd account
    _account(workspace, "tmall", "t1", phone="13800000000", orders=["15011112222", "15011112222"])
    _account(workspace, "jd", "j1", phone="15011112222")
    # three parcels to herself, one gift to a friend: the friend's number is not hers
    _account(workspace, "douyin", "d1", orders=["13511112222", "13511112222", "13511112222", "13699998888"])
    _account(workspace, "pos", "p1", phone="13699998888")
    _account(workspace, "pos", "p2", phone="13511112222")
    # two orders, two numbers: each is on half the orders, so both count (a tie is not a gift)
    _account(workspace, "miniprogram", "m1", orders=["18611112222", "18733334444"])
    _account(workspace, "tmall", "t2", phone="18733334444")
    resolve_identities(workspace.warehouse, mode="full")
    assert _member(workspace, "tmall", "t1") == _member(workspace, "jd", "j1")
    assert _member(workspace, "douyin", "d1") == _member(workspace, "pos", "p2")
    assert _member(workspace, "douyin", "d1") != _member(workspace, "pos", "p1")
    assert _member(workspace, "miniprogram", "m1") == _member(workspace, "tmall", "t2")
    phones = workspace.warehouse.con.execute(
        "SELECT key FROM zt_identity.identifiers WHERE source = 'douyin' AND customer_id = 'd1' AND id_type = 'phone'"
    ).fetchall()
    assert phones == [("+8613511112222",)]


def test_order_phones_can_be_switched_off(workspace: Workspace) -> None:
    _account(workspace, "tmall", "t1", phone="13800000000", orders=["15011112222"])
    _account(workspace, "jd", "j1", phone="15011112222")
    resolve_identities(workspace.warehouse, mode="full", rules=replace(DEFAULT_RULES, order_phones=False))
    assert _member(workspace, "tmall", "t1") != _member(workspace, "jd", "j1")


def test_an_incremental_run_finds_the_near_phone_partner_of_a_new_account(workspace: Workspace) -> None:
    _account(workspace, "tmall", "t1", phone="13812345678", name="李雷", **HOME)
    _account(workspace, "tmall", "t2", phone="15900001111", name="王芳", **HOME)
    _account(workspace, "tmall", "t3", phone="18600002222", name="张伟", **HOME)
    resolve_identities(workspace.warehouse, mode="full")
    workspace.warehouse.con.execute("INSERT INTO zt_meta.loads (load_id, status) VALUES (1, 'committed')")
    resolve_identities(workspace.warehouse, mode="full")  # records max_load_id = 1
    _account(workspace, "jd", "j1", phone="13812345778", name="李雷", load_id=2, **HOME)
    result = resolve_identities(workspace.warehouse, mode="incremental")
    assert result.records == 2  # the new account and its near-phone partner, not t2/t3
    assert result.near_phone_links == 1
    assert _member(workspace, "jd", "j1") == _member(workspace, "tmall", "t1")


def test_every_one_edit_neighbour_is_generated(workspace: Workspace) -> None:
    """13812345678: 11 positions x 9 other digits + 10 neighbour swaps (all pairs differ) = 109;
    13812345677 has one equal neighbouring pair (77), so 99 + 9 = 108."""
    con = workspace.warehouse.con
    for phone, expected in (("+8613812345678", 109), ("+8613812345677", 108)):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _id_norm AS SELECT 0::BIGINT AS rid, 'phone' AS id_type, ? AS key, "
            "'ok' AS status, FALSE AS multi",
            [phone],
        )
        near_neighbours(con)
        keys = {r[0] for r in con.execute("SELECT key FROM _near_nb").fetchall()}
        assert len(keys) == expected
        assert phone not in keys
        assert phone[:-1] + "9" in keys or phone.endswith("9")
        assert "+8613812346578" in keys or phone.endswith("77")


def test_near_phone_links_cannot_build_an_oversize_member_unflagged() -> None:
    """14 records chained by 13 rule pairs, no identifier: over max_cluster_size 12, so held back and flagged."""
    n = 14
    chain = np.arange(n - 1, dtype=np.int64)
    empty = np.empty(0, np.int64)
    comps = link_components(n, empty, np.empty(0, np.int8), empty, DEFAULT_RULES, rule_a=chain, rule_b=chain + 1)
    assert comps.flagged.all()
    assert comps.count == n  # back to what priority-1 identifiers join: nothing
    small = link_components(
        5, empty, np.empty(0, np.int8), empty, DEFAULT_RULES, rule_a=chain[:4], rule_b=chain[:4] + 1
    )
    assert (small.count, bool(small.flagged.any())) == (1, False)
    pinned = np.array([-1, -1, 7, -1, -1], dtype=np.int64)  # an operator split record 2 off
    split = link_components(
        5, empty, np.empty(0, np.int8), empty, DEFAULT_RULES, pinned=pinned, rule_a=chain[:4], rule_b=chain[:4] + 1
    )
    assert split.count == 3  # {0, 1}, {2}, {3, 4}
