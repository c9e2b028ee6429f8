"""Data-level rules as SQLGlot tree rewrites, run on a real DuckDB warehouse with hand-made rows.

The rows (one line each, on purpose):
  stores S1, S2 (channel offline) and warehouse W1 (channel tmall's fulfilment site)
  o1: S1, offline, customer c1        o2: S2, offline, customer c2
  o3: online (no store), tmall, c3    o4: S1 but sold via tmall, c1
  c4 registered on tmall and never ordered; marketing spend on tmall; two products.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlglot
from sqlglot import exp

from zhongtai.errors import PermissionDenied
from zhongtai.policy import DataScope, Dimension, restrict, row_filter, rule_description
from zhongtai.workspace import Workspace

SETUP = [
    "INSERT INTO locations (location_id, kind, channel_id, source) VALUES "
    "('S1', 'store', 'offline', 't'), ('S2', 'store', 'offline', 't'), ('W1', 'warehouse', 'tmall', 't')",
    "INSERT INTO customers (source, customer_id, member_id, channel_id, phone) VALUES "
    "('t', 'c1', 'm1', 'offline', '13800000001'), ('t', 'c2', 'm2', 'offline', '13800000002'), "
    "('t', 'c3', 'm3', 'tmall', '13800000003'), ('t', 'c4', 'm4', 'tmall', '13800000004')",
    "INSERT INTO orders (source, order_id, customer_id, member_id, store_id, channel_id, order_time, total_amount) "
    "VALUES ('t', 'o1', 'c1', 'm1', 'S1', 'offline', '2025-03-01', 10), "
    "('t', 'o2', 'c2', 'm2', 'S2', 'offline', '2025-03-02', 20), "
    "('t', 'o3', 'c3', 'm3', NULL, 'tmall', '2025-03-03', 30), "
    "('t', 'o4', 'c1', 'm1', 'S1', 'tmall', '2025-03-04', 40)",
    "INSERT INTO order_items (source, order_id, line_no, sku, quantity, amount) VALUES "
    "('t', 'o1', 1, 'p1', 1, 10), ('t', 'o2', 1, 'p1', 1, 20), ('t', 'o3', 1, 'p2', 1, 30), "
    "('t', 'o4', 1, 'p2', 1, 40)",
    "INSERT INTO inventory_snapshots (source, snapshot_date, location_id, sku, on_hand) VALUES "
    "('t', '2025-03-01', 'S1', 'p1', 5), ('t', '2025-03-01', 'S2', 'p1', 6), ('t', '2025-03-01', 'W1', 'p2', 7)",
    "INSERT INTO products (source, sku, name) VALUES ('t', 'p1', 'Tea'), ('t', 'p2', 'Cup')",
    "INSERT INTO marketing_spend (source, spend_date, channel_id, campaign_id, spend) VALUES "
    "('t', '2025-03-01', 'tmall', 'k1', 100)",
]


@pytest.fixture
def shop(workspace: Workspace) -> Iterator[Workspace]:
    for statement in SETUP:
        workspace.warehouse.con.execute(statement)
    return workspace


def _ids(ws: Workspace, sql: str, scope: DataScope) -> list[tuple[object, ...]]:
    tree = restrict(sqlglot.parse_one(sql, read="duckdb"), scope)
    return sorted(ws.warehouse.fetchall(tree))


S1, S2 = DataScope.of(stores=["S1"]), DataScope.of(stores=["S2"])
TMALL = DataScope.of(channels=["tmall"])


@pytest.mark.parametrize(
    ("sql", "s1", "s2"),
    [
        ("SELECT order_id FROM orders", [("o1",), ("o4",)], [("o2",)]),
        ("SELECT order_id, line_no FROM order_items", [("o1", 1), ("o4", 1)], [("o2", 1)]),
        ("SELECT customer_id FROM customers", [("c1",)], [("c2",)]),
        ("SELECT location_id FROM inventory_snapshots", [("S1",)], [("S2",)]),
        ("SELECT location_id FROM locations", [("S1",)], [("S2",)]),
        ("SELECT sku FROM products", [("p1",), ("p2",)], [("p1",), ("p2",)]),
        ("SELECT campaign_id FROM marketing_spend", [], []),
    ],
)
def test_a_store_manager_sees_only_their_stores(shop: Workspace, sql: str, s1: list[object], s2: list[object]) -> None:
    assert _ids(shop, sql, S1) == s1
    assert _ids(shop, sql, S2) == s2


@pytest.mark.parametrize(
    ("sql", "tmall", "offline"),
    [
        ("SELECT order_id FROM orders", [("o3",), ("o4",)], [("o1",), ("o2",)]),
        ("SELECT order_id FROM order_items", [("o3",), ("o4",)], [("o1",), ("o2",)]),
        ("SELECT customer_id FROM customers", [("c3",), ("c4",)], [("c1",), ("c2",)]),
        ("SELECT location_id FROM inventory_snapshots", [("W1",)], [("S1",), ("S2",)]),
        ("SELECT campaign_id FROM marketing_spend", [("k1",)], []),
    ],
)
def test_a_channel_team_sees_only_its_channel(
    shop: Workspace, sql: str, tmall: list[object], offline: list[object]
) -> None:
    assert _ids(shop, sql, TMALL) == tmall
    assert _ids(shop, sql, DataScope.of(channels=["offline"])) == offline


def test_store_and_channel_limits_apply_together(shop: Workspace) -> None:
    both = DataScope.of(stores=["S1"], channels=["tmall"])
    assert _ids(shop, "SELECT order_id FROM orders", both) == [("o4",)]


def test_no_scope_sees_everything_and_an_empty_scope_nothing(shop: Workspace) -> None:
    assert len(_ids(shop, "SELECT order_id FROM orders", DataScope())) == 4
    assert _ids(shop, "SELECT order_id FROM orders", DataScope.of(stores=[])) == []


def test_joins_ctes_and_subqueries_are_all_limited(shop: Workspace) -> None:
    sql = """
        WITH spend AS (SELECT o.customer_id, SUM(i.amount) AS total
                       FROM orders AS o JOIN order_items AS i USING (source, order_id) GROUP BY 1)
        SELECT c.customer_id, s.total FROM customers c JOIN spend s USING (customer_id)
        WHERE c.customer_id IN (SELECT customer_id FROM orders)
    """
    assert _ids(shop, sql, S1) == [("c1", 50)]
    assert _ids(shop, sql, S2) == [("c2", 20)]


def test_a_cte_named_like_a_table_is_not_mistaken_for_it(shop: Workspace) -> None:
    sql = "WITH orders AS (SELECT 'fake' AS order_id) SELECT order_id FROM orders"
    assert _ids(shop, sql, S1) == [("fake",)]


def test_values_enter_as_literals_so_a_hostile_store_id_matches_nothing(shop: Workspace) -> None:
    hostile = DataScope.of(stores=["S1' OR '1'='1"])
    assert _ids(shop, "SELECT order_id FROM orders", hostile) == []
    predicate = row_filter("orders", hostile)
    assert predicate is not None
    assert isinstance(predicate, exp.In)


def test_the_rewritten_query_renders_for_other_engines() -> None:
    tree = restrict(sqlglot.parse_one("SELECT COUNT(*) FROM order_items", read="duckdb"), S1)
    for dialect in ("postgres", "spark", "clickhouse", "trino"):
        rendered = tree.sql(dialect=dialect)
        assert "store_id" in rendered
        assert sqlglot.parse_one(rendered, read=dialect) is not None


def test_only_queries_can_be_limited() -> None:
    with pytest.raises(PermissionDenied):
        restrict(sqlglot.parse_one("DELETE FROM orders", read="duckdb"), S1)  # type: ignore[arg-type]


def test_every_table_has_a_described_rule_per_dimension() -> None:
    from zhongtai.warehouse.model import TABLES

    for name in TABLES:
        for dimension in Dimension:
            assert rule_description(name, dimension)
    assert rule_description("order_items", Dimension.STORE) == "order in scope (orders.store_id)"
    assert rule_description("reviews", Dimension.CHANNEL) == "person ordered in scope (orders.channel_id)"
