"""Which PII a query's result columns carry, traced through CTEs, subqueries and expressions.

A result column that passes a model column through unchanged (however many subqueries deep)
gets that column's policy, so ``phone`` still masks as ``138****8000``. A column *computed* from
personal columns (``UPPER(name)``, ``phone || email``) is redacted whole unless the principal
sees its classes; counts (``COUNT(DISTINCT phone)``) are not personal. Columns from no model
column are treated as free text when they are strings.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlglot import exp
from sqlglot.lineage import Node, lineage
from sqlglot.optimizer.qualify import qualify

from zhongtai.policy.columns import TEXT_POLICY, ColumnPolicy, MaskKind, table_policies
from zhongtai.warehouse._sql import DIALECT
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import SYSTEM_COLUMNS, PiiClass

__all__ = ["Origin", "qualify_query", "result_lineage", "result_policies"]

_COUNTS = (exp.Count, exp.ApproxDistinct)


@cache
def _schema() -> dict[str, object]:
    return {
        name: {c.name: c.type.sql_type for c in (*table.columns, *SYSTEM_COLUMNS)} for name, table in TABLES.items()
    }


def qualify_query(query: exp.Query) -> exp.Query:
    """Qualify every column and name every output (``*`` expanded from the model), for lineage."""
    result = qualify(
        query.copy(),
        schema=_schema(),
        dialect=DIALECT,
        validate_qualify_columns=False,
        quote_identifiers=True,
        identify=True,
    )
    assert isinstance(result, exp.Query)
    return result


def _hops(node: Node) -> list[Node]:
    return list(node.walk())


Origin = tuple[str, str]


def _policy_of(root: Node) -> tuple[ColumnPolicy, Origin | None]:
    leaves: list[ColumnPolicy] = []
    origins: list[Origin] = []
    passthrough = True
    for node in _hops(root):
        expression: Any = node.expression
        if node.downstream:
            inner = expression.unalias() if isinstance(expression, exp.Alias) else expression
            if not isinstance(inner, exp.Column):
                passthrough = False
            continue
        source = node.source
        if isinstance(source, exp.Table) and source.name in TABLES:
            column = node.name.split(".")[-1].strip('"')
            policy = table_policies(source.name).get(column)
            if policy is not None:
                leaves.append(policy)
                origins.append((source.name, column))
    origin = origins[0] if passthrough and len(origins) == 1 else None
    personal = [p for p in leaves if p.personal]
    top: Any = root.expression.unalias() if isinstance(root.expression, exp.Alias) else root.expression
    if not personal:
        return (leaves[0] if passthrough and len(leaves) == 1 else TEXT_POLICY), origin
    if isinstance(top, _COUNTS):
        return ColumnPolicy(PiiClass.NONE, MaskKind.NONE), None
    if passthrough and len(leaves) == 1:
        return personal[0], origin
    classes = {p.pii for p in personal}
    return ColumnPolicy(classes.pop() if len(classes) == 1 else PiiClass.SENSITIVE, MaskKind.REDACT), None


def result_lineage(query: exp.Query, *, qualified: bool = False) -> dict[str, tuple[ColumnPolicy, Origin | None]]:
    """Per output column: its policy and, when it passes one model column through unchanged, that
    column's ``(table, column)``."""
    tree = query if qualified else qualify_query(query)
    return {name: _policy_of(lineage(name, tree, schema=_schema(), dialect=DIALECT)) for name in tree.named_selects}


def result_policies(query: exp.Query, *, qualified: bool = False) -> dict[str, ColumnPolicy]:
    """The policy of every output column of ``query``, by output name.

    A column computed from personal columns of several classes is classed ``sensitive`` (only a
    role that sees every class sees it).
    """
    return {name: policy for name, (policy, _) in result_lineage(query, qualified=qualified).items()}
