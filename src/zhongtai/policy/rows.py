"""Data-level rules: a store manager sees only their stores, a channel team only its channel.

Rules are SQLGlot predicates applied by rewriting a query's tree, as Superset's
``RLSAsSubqueryTransformer`` does: every reference to a warehouse table is replaced by
``(SELECT * FROM table WHERE <rule>) AS table``, so joins, CTEs and subqueries all see filtered
rows and the caller's SQL is never touched as text. Values enter only as literals.

How a table relates to a store or a channel is derived from the canonical model, in this order:

1. a column naming it (``store_id``/``location_id``/``from_location_id``; ``channel_id``);
2. a reference to ``orders`` (order lines, payments, invoices): rows of orders in scope;
3. a person-level table (``customer_id``): people who ordered in scope;
4. (channel only) a ``location_id``: locations of the channel;
5. reference data shared by everyone (products, public posts, external signals...): not limited;
6. anything else: no rows (a new table is closed until a rule says otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from sqlglot import exp

from zhongtai.errors import PermissionDenied
from zhongtai.policy.principal import DataScope
from zhongtai.warehouse._sql import and_all, col, lit, tbl
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import Table

__all__ = ["Dimension", "restrict", "row_filter", "rule_description"]


class Dimension(StrEnum):
    STORE = "store"
    CHANNEL = "channel"


_DIRECT = {
    Dimension.STORE: ("store_id", "location_id", "from_location_id"),
    Dimension.CHANNEL: ("channel_id",),
}
_ORDERS_COLUMN = {Dimension.STORE: "store_id", Dimension.CHANNEL: "channel_id"}
_OPEN = {
    Dimension.STORE: frozenset({"products", "channels", "posts", "external_signals", "promotions"}),
    Dimension.CHANNEL: frozenset({"products", "posts", "external_signals"}),
}
_INNER = "zt_scope"


def _in(column: exp.Expr, values: frozenset[str]) -> exp.Expr:
    if not values:
        return exp.false()
    return exp.In(this=column, expressions=[lit(v) for v in sorted(values)])


def _exists(
    parent: str, parent_column: str, values: frozenset[str], pairs: tuple[tuple[str, str], ...], outer: str
) -> exp.Expr:
    inner = (
        exp.select(exp.Literal.number(1))
        .from_(tbl(parent, alias=_INNER))
        .where(
            and_all(
                [
                    *(exp.EQ(this=col(p, _INNER), expression=col(o, outer)) for p, o in pairs),
                    _in(col(parent_column, _INNER), values),
                ]
            )
        )
    )
    return exp.Exists(this=inner)


def _rule(table: Table, dimension: Dimension) -> tuple[str, Callable[[frozenset[str], str], exp.Expr] | None]:
    """(description, predicate builder); a ``None`` builder means the table is not limited."""
    for name in _DIRECT[dimension]:
        if table.has(name):
            return f"{name} in scope", lambda values, outer, c=name: _in(col(c, outer), values)
    key = _ORDERS_COLUMN[dimension]
    if table.name != "orders" and any(ref.table == "orders" for ref in table.references):
        return f"order in scope (orders.{key})", lambda values, outer: _exists(
            "orders", key, values, (("source", "source"), ("order_id", "order_id")), outer
        )
    if table.person and table.name != "orders":
        return f"person ordered in scope (orders.{key})", lambda values, outer: _exists(
            "orders", key, values, (("source", "source"), ("customer_id", "customer_id")), outer
        )
    if dimension is Dimension.CHANNEL and table.has("location_id"):
        return "location of the channel (locations.channel_id)", lambda values, outer: _exists(
            "locations", "channel_id", values, (("location_id", "location_id"),), outer
        )
    if table.name in _OPEN[dimension]:
        return "not limited (shared reference data)", None
    return "closed (no rule relates it to a " + dimension.value + ")", lambda values, outer: exp.false()


def rule_description(table: str, dimension: Dimension) -> str:
    """How ``table`` is limited along ``dimension`` (for docs and ``--explain`` output)."""
    return _rule(TABLES[table], dimension)[0]


def row_filter(table: str, scope: DataScope, *, outer: str | None = None) -> exp.Expr | None:
    """The predicate limiting ``table`` to ``scope`` (``None`` when nothing limits it).

    ``outer`` is the name the table's columns are qualified with (default: the table's name).
    """
    model = TABLES.get(table)
    if model is None or scope.unrestricted:
        return None
    conditions = []
    for dimension, values in ((Dimension.STORE, scope.stores), (Dimension.CHANNEL, scope.channels)):
        if values is None:
            continue
        _, build = _rule(model, dimension)
        if build is not None:
            conditions.append(build(values, outer or table))
    return and_all(conditions) if conditions else None


def _model_table(node: exp.Table, ctes: set[str]) -> str | None:
    name = node.name
    if not isinstance(node.this, exp.Identifier) or node.args.get("catalog") is not None:
        return None
    if node.db not in ("", "main") or name not in TABLES:
        return None
    if not node.db and name in ctes:
        return None
    return name


def restrict(query: exp.Query, scope: DataScope) -> exp.Query:
    """``query`` with every warehouse table replaced by its rows in ``scope`` (a new tree)."""
    if not isinstance(query, exp.Query):
        raise PermissionDenied("policy.not_a_query", kind=type(query).__name__)
    if scope.unrestricted:
        return query.copy()
    ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}

    def visit(node: exp.Expr) -> exp.Expr:
        if not isinstance(node, exp.Table):
            return node
        name = _model_table(node, ctes)
        if name is None:
            return node
        predicate = row_filter(name, scope)
        if predicate is None:
            return node
        inner = exp.select(exp.Star()).from_(tbl(name, node.db or None)).where(predicate)
        alias = node.args.get("alias")
        return exp.Subquery(
            this=inner, alias=alias.copy() if alias is not None else exp.TableAlias(this=exp.to_identifier(name, True))
        )

    result = query.transform(visit)
    assert isinstance(result, exp.Query)
    return result
