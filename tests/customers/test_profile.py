"""The customer 360: one object across accounts, masked by role, audited, redirected after merges."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from zhongtai.appdb import list_audit, owner_principal
from zhongtai.customers import customer_profile, merge
from zhongtai.errors import NotFoundError, PermissionDenied
from zhongtai.policy import DataScope, Principal, Role
from zhongtai.warehouse.identity import provisional_member_id, resolve_identities
from zhongtai.workspace import Workspace

A = provisional_member_id("tmall", "c1")
B = provisional_member_id("jd", "c2")
C = provisional_member_id("jd", "c3")
ROWS = [
    "INSERT INTO customers (source, customer_id, member_id, name, phone, city, channel_id, registered_at) VALUES "
    f"('tmall', 'c1', '{A}', '张三丰', '13800138001', '北京', 'tmall', '2024-01-01'), "
    f"('jd', 'c2', '{B}', '张三丰', '138-0013-8001', '北京', 'jd', '2024-02-01'), "
    f"('jd', 'c3', '{C}', 'Alice Li', '13900139000', 'London', 'jd', '2024-03-01')",
    "INSERT INTO identities (source, customer_id, member_id, id_type, id_value) VALUES "
    f"('tmall', 'c1', '{A}', 'phone', '13800138001'), ('jd', 'c2', '{B}', 'phone', '138-0013-8001'), "
    f"('jd', 'c3', '{C}', 'phone', '13900139000')",
    "INSERT INTO orders (source, order_id, customer_id, member_id, channel_id, order_time, status, currency, "
    "paid_amount) "
    f"VALUES ('tmall', 'o1', 'c1', '{A}', 'tmall', '2025-03-01', 'paid', 'CNY', 100.50), "
    f"('jd', 'o2', 'c2', '{B}', 'jd', '2025-03-02', 'paid', 'CNY', 20.25), "
    f"('jd', 'o3', 'c2', '{B}', 'jd', '2025-04-02', 'paid', 'CNY', 9.25), "
    f"('jd', 'o4', 'c3', '{C}', 'jd', '2025-04-03', 'paid', 'CNY', 999)",
    "INSERT INTO reviews (source, review_id, customer_id, member_id, rating, text, created_at) VALUES "
    f"('jd', 'r1', 'c2', '{B}', 2, '物流太慢了', '2025-03-05')",
    "INSERT INTO nps_responses (source, response_id, customer_id, member_id, score, responded_at) VALUES "
    f"('tmall', 'n1', 'c1', '{A}', 9, '2025-03-09')",
    "INSERT INTO consents (source, customer_id, member_id, channel, purpose, status, changed_at) VALUES "
    f"('tmall', 'c1', '{A}', 'sms', 'marketing', 'withdrawn', '2025-03-10')",
]


@pytest.fixture
def shop(workspace: Workspace) -> Iterator[Workspace]:
    for statement in ROWS:
        workspace.warehouse.con.execute(statement)
    resolve_identities(workspace.warehouse, mode="full")
    return workspace


def _member(ws: Workspace) -> str:
    return str(
        ws.warehouse.con.execute("SELECT member_id FROM zt_identity.members WHERE customer_id = 'c1'").fetchall()[0][0]
    )


def test_one_object_holds_every_account_and_lifetime_spend_across_channels(shop: Workspace) -> None:
    profile = customer_profile(shop, _member(shop), owner_principal(shop.app, via="test"))
    assert sorted((a["source"], a["customer_id"]) for a in profile.accounts) == [("jd", "c2"), ("tmall", "c1")]
    assert profile.channels == ["jd", "tmall"]
    assert profile.lifetime_orders == 3
    assert profile.lifetime_paid == {"CNY": Decimal("130.00")}  # 100.50 + 20.25 + 9.25, not c3's 999
    assert {(o.channel_id, o.orders) for o in profile.orders} == {("jd", 2), ("tmall", 1)}
    assert [r["rating"] for r in profile.reviews] == [2]
    assert [r["score"] for r in profile.nps_responses] == [9]
    assert [(c["purpose"], c["status"]) for c in profile.consents] == [("marketing", "withdrawn")]
    assert profile.rfm_class is None
    assert profile.clv is None
    assert profile.churn_risk is None


def test_a_viewer_gets_masked_pii_and_no_disclosure_is_audited(shop: Workspace) -> None:
    owner = owner_principal(shop.app, via="test")
    before = len(list_audit(shop.app, owner, action="pii.view", limit=1000))
    viewer = Principal(user_id=None, name="vi", role=Role.VIEWER)
    profile = customer_profile(shop, _member(shop), viewer)
    names = {a["name"] for a in profile.accounts}
    assert names == {"张**"}
    assert all("****" in str(a["phone"]) for a in profile.accounts)
    assert len(list_audit(shop.app, owner, action="pii.view", limit=1000)) == before


def test_an_operator_sees_contact_details_and_the_read_is_audited(shop: Workspace) -> None:
    operator = Principal(user_id=None, name="op", role=Role.OPERATOR)
    profile = customer_profile(shop, _member(shop), operator)
    assert "13800138001" in {a["phone"] for a in profile.accounts}
    events = list_audit(shop.app, owner_principal(shop.app, via="test"), action="pii.view", limit=1000)
    disclosures = [e for e in events if "customers:360" in str(e.target_id)]
    assert disclosures
    assert all(e.actor_name == "op" for e in disclosures)


def test_data_scope_limits_what_the_profile_shows(shop: Workspace) -> None:
    tmall_only = Principal(user_id=None, name="op2", role=Role.OPERATOR, scope=DataScope.of(channels=["tmall"]))
    profile = customer_profile(shop, _member(shop), tmall_only)
    assert [a["channel_id"] for a in profile.accounts] == ["tmall"]
    assert profile.lifetime_orders == 1


def test_an_id_retired_by_a_merge_redirects_and_unknown_ids_are_not_found(shop: Workspace) -> None:
    owner = owner_principal(shop.app, via="test")
    kept = _member(shop)
    other = str(
        shop.warehouse.con.execute("SELECT member_id FROM zt_identity.members WHERE customer_id = 'c3'").fetchall()[0][
            0
        ]
    )
    merge(shop, owner, [kept, other], reason="same person, confirmed by phone call")
    survivor = _member(shop)
    retired = other if survivor == kept else kept
    profile = customer_profile(shop, retired, owner)
    assert profile.redirected
    assert profile.member_id == survivor
    assert profile.lifetime_orders == 4
    assert any(e.action == "identity.merge" for e in list_audit(shop.app, owner))
    with pytest.raises(NotFoundError):
        customer_profile(shop, "Mdoesnotexist0000", owner)


def test_roles_without_customers_read_are_refused(shop: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        customer_profile(shop, _member(shop), Principal(user_id=None, name="s", role=Role.SUPPLY))
    with pytest.raises(PermissionDenied):
        merge(shop, Principal(user_id=None, name="v", role=Role.VIEWER), [A, C])
