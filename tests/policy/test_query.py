"""query_warehouse: permission, row rules, masking by lineage and the access audit, on real stores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlglot

from zhongtai.appdb import list_audit, owner_principal
from zhongtai.errors import PermissionDenied
from zhongtai.policy import (
    ColumnPolicy,
    DataScope,
    MaskKind,
    Principal,
    Purpose,
    Role,
    query_warehouse,
    result_policies,
)
from zhongtai.warehouse.schema import PiiClass
from zhongtai.workspace import Workspace

ROWS = [
    "INSERT INTO customers (source, customer_id, member_id, name, phone, id_number, city, channel_id) VALUES "
    "('t', 'c1', 'M1a2b3c4d5e6f7g8', '张三丰', '13800138000', '110101199003071234', '北京', 'tmall'), "
    "('t', 'c2', 'M9z8y7x6w5v4u3t2', 'Alice Li', '+86 139-0013-9000', NULL, 'London', 'web')",
    "INSERT INTO orders (source, order_id, customer_id, member_id, channel_id, order_time, total_amount) VALUES "
    "('t', 'o1', 'c1', 'M1a2b3c4d5e6f7g8', 'tmall', '2025-03-01', 10), "
    "('t', 'o2', 'c2', 'M9z8y7x6w5v4u3t2', 'web', '2025-03-02', 20)",
]
SQL = "SELECT customer_id, name, phone, id_number, city FROM customers ORDER BY customer_id"


@pytest.fixture
def shop(workspace: Workspace) -> Iterator[Workspace]:
    for statement in ROWS:
        workspace.warehouse.con.execute(statement)
    return workspace


def _run(ws: Workspace, principal: Principal, sql: str = SQL, **kwargs: object) -> list[dict[str, object]]:
    tree = sqlglot.parse_one(sql, read="duckdb")
    return query_warehouse(ws.warehouse, tree, principal, audit=ws.app, **kwargs).to_pylist()  # type: ignore[arg-type]


def _who(role: Role, **scope: list[str]) -> Principal:
    return Principal(user_id=None, name=f"a_{role.value}", role=role, scope=DataScope.of(**scope))


def test_an_analyst_sees_every_personal_column_masked_and_nothing_is_audited(shop: Workspace) -> None:
    rows = _run(shop, _who(Role.ANALYST))
    assert rows[0] == {
        "customer_id": "****",
        "name": "张**",
        "phone": "138****8000",
        "id_number": "1****************4",
        "city": "北京",
    }
    assert rows[1]["phone"] == "139****9000"
    assert list_audit(shop.app, owner_principal(shop.app), action="pii.") == []


def test_an_operator_sees_contact_and_identity_but_not_sensitive_and_is_audited(shop: Workspace) -> None:
    rows = _run(shop, _who(Role.OPERATOR), reason="win-back call list")
    assert rows[0]["phone"] == "13800138000"
    assert rows[0]["name"] == "张三丰"
    assert rows[0]["id_number"] == "1****************4"
    (entry,) = list_audit(shop.app, owner_principal(shop.app), action="pii.")
    assert (entry.action, entry.actor_name, entry.reason) == ("pii.view", "a_operator", "win-back call list")
    assert entry.detail["columns"] == ["customer_id", "name", "phone"]
    assert "13800138000" not in str(entry.to_dict())


def test_exporting_needs_export_rights_for_the_pii(shop: Workspace) -> None:
    with pytest.raises(PermissionDenied):  # operators may not export from the warehouse at all
        _run(shop, _who(Role.OPERATOR), purpose=Purpose.EXPORT)
    analyst = _run(shop, _who(Role.ANALYST), purpose=Purpose.EXPORT)
    assert analyst[0]["id_number"] == "1****************4"
    rows = _run(shop, _who(Role.RISK), purpose=Purpose.EXPORT)
    assert rows[0]["id_number"] == "110101199003071234"
    assert list_audit(shop.app, owner_principal(shop.app), action="pii.")[0].action == "pii.export"


def test_a_viewer_may_not_query_the_warehouse(shop: Workspace) -> None:
    with pytest.raises(PermissionDenied) as caught:
        _run(shop, _who(Role.VIEWER))
    assert caught.value.params["permission"] == "warehouse:read"


def test_a_channel_team_gets_only_its_rows(shop: Workspace) -> None:
    rows = _run(shop, _who(Role.ANALYST, channels=["web"]))
    assert [r["customer_id"] for r in rows] == ["****"]
    assert rows[0]["city"] == "London"


def test_derived_columns_are_redacted_and_counts_are_not(shop: Workspace) -> None:
    sql = (
        "SELECT COUNT(DISTINCT phone) AS phones, MAX(phone) AS top, MAX(UPPER(name)) AS shout, "
        "SUM(LENGTH(city)) AS letters FROM customers"
    )
    (row,) = _run(shop, _who(Role.ANALYST), sql)
    assert row == {"phones": 2, "top": "***", "shout": "***", "letters": 8}


def test_sources_other_than_warehouse_tables_are_refused(shop: Workspace) -> None:
    for sql in (
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM zt_meta.loads",
        "SELECT read_text('/etc/hostname') AS t",
        "SELECT * FROM information_schema.tables",
    ):
        with pytest.raises(PermissionDenied):
            _run(shop, _who(Role.RISK), sql)


def test_lineage_follows_columns_through_ctes_and_subqueries() -> None:
    sql = (
        "WITH x AS (SELECT c.phone AS p, c.customer_id, c.city FROM customers c) "
        "SELECT p, (SELECT MAX(name) FROM customers) AS n, city, p || customer_id AS combo, 1 AS one FROM x"
    )
    policies = result_policies(sqlglot.parse_one(sql, read="duckdb"))
    assert policies["p"] == ColumnPolicy(PiiClass.CONTACT, MaskKind.PHONE)
    assert policies["n"] == ColumnPolicy(PiiClass.IDENTITY, MaskKind.REDACT)
    assert policies["city"] == ColumnPolicy(PiiClass.NONE, MaskKind.TEXT)
    assert policies["combo"] == ColumnPolicy(PiiClass.SENSITIVE, MaskKind.REDACT)
    assert not policies["one"].personal
