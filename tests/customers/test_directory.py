"""The member directory (members by lifetime paid amount): hand-made orders, the ranking and sums
written out by hand, the caller's data scope, and the permission."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest

from zhongtai.appdb import owner_principal
from zhongtai.customers import top_members
from zhongtai.errors import PermissionDenied
from zhongtai.policy import DataScope, Principal, Role
from zhongtai.warehouse.identity import provisional_member_id, resolve_identities
from zhongtai.workspace import Workspace

A = provisional_member_id("tmall", "c1")
B = provisional_member_id("jd", "c2")
C = provisional_member_id("jd", "c3")
ROWS = [
    "INSERT INTO customers (source, customer_id, member_id, name, phone, channel_id) VALUES "
    f"('tmall', 'c1', '{A}', '张三丰', '13800138001', 'tmall'), ('jd', 'c2', '{B}', '张三丰', '138-0013-8001', 'jd'), "
    f"('jd', 'c3', '{C}', 'Alice Li', '13900139000', 'jd')",
    "INSERT INTO identities (source, customer_id, member_id, id_type, id_value) VALUES "
    f"('tmall', 'c1', '{A}', 'phone', '13800138001'), ('jd', 'c2', '{B}', 'phone', '138-0013-8001'), "
    f"('jd', 'c3', '{C}', 'phone', '13900139000')",
    "INSERT INTO orders (source, order_id, customer_id, member_id, channel_id, order_time, status, currency, "
    "paid_amount) VALUES "
    f"('tmall', 'o1', 'c1', '{A}', 'tmall', '2025-03-01 10:00', 'paid', 'CNY', 100.50), "
    f"('jd', 'o2', 'c2', '{B}', 'jd', '2025-03-02 10:00', 'paid', 'CNY', 20.25), "
    f"('jd', 'o3', 'c2', '{B}', 'jd', '2025-04-02 10:00', 'paid', 'CNY', 9.25), "
    f"('jd', 'o4', 'c3', '{C}', 'jd', '2025-04-03 10:00', 'paid', 'CNY', 999), "
    "('jd', 'o5', 'c9', NULL, 'jd', '2025-04-04 10:00', 'paid', 'CNY', 5000)",
]


@pytest.fixture
def shop(workspace: Workspace) -> Iterator[Workspace]:
    for statement in ROWS:
        workspace.warehouse.con.execute(statement)
    resolve_identities(workspace.warehouse, mode="full")
    return workspace


def _member_of(ws: Workspace, customer_id: str) -> str:
    sql = "SELECT member_id FROM zt_identity.members WHERE customer_id = ?"
    return str(ws.warehouse.con.execute(sql, [customer_id]).fetchall()[0][0])


def test_members_rank_by_lifetime_paid_across_their_accounts(shop: Workspace) -> None:
    # c1 and c2 share a phone (13800138001 written two ways): one member, 100.50 + 20.25 + 9.25 = 130.00
    # over 3 orders; c3 paid 999 once; the order without a member id (5000) is left out.
    found = top_members(shop, owner_principal(shop.app, via="test"))
    merged, alice = _member_of(shop, "c1"), _member_of(shop, "c3")
    assert _member_of(shop, "c2") == merged
    assert [(m.member_id, m.orders, m.paid_amount) for m in found] == [
        (alice, 1, Decimal("999.00")),
        (merged, 3, Decimal("130.00")),
    ]
    assert found[1].last_order_at == datetime(2025, 4, 2, 10, 0)


def test_limit_and_offset_page_the_ranking(shop: Workspace) -> None:
    owner = owner_principal(shop.app, via="test")
    assert [m.member_id for m in top_members(shop, owner, limit=1, offset=1)] == [_member_of(shop, "c1")]
    assert top_members(shop, owner, limit=5, offset=2) == []


def test_data_scope_limits_the_orders_counted(shop: Workspace) -> None:
    tmall_only = Principal(user_id=None, name="op2", role=Role.OPERATOR, scope=DataScope.of(channels=["tmall"]))
    found = top_members(shop, tmall_only)
    assert [(m.member_id, m.orders, m.paid_amount) for m in found] == [(_member_of(shop, "c1"), 1, Decimal("100.50"))]


def test_roles_without_customers_read_are_refused(shop: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        top_members(shop, Principal(user_id=None, name="s", role=Role.SUPPLY))
