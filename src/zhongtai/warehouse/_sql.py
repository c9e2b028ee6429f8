"""Small helpers to build SQLGlot expression trees (never SQL strings with values pasted in).

Values enter trees as literals (:func:`lit`); constant SQL fragments written in this package
are parsed once with :func:`fragment`, whose ``:name`` placeholders are filled with expression
nodes, so no user value is ever concatenated into SQL text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

DIALECT = "duckdb"


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def tbl(name: str, schema: str | None = None, alias: str | None = None) -> exp.Table:
    node = exp.Table(this=ident(name), db=ident(schema) if schema else None)
    if alias:
        node.set("alias", exp.TableAlias(this=ident(alias)))
    return node


def lit(value: Any) -> exp.Expr:
    """A literal for a Python value (strings are escaped by SQLGlot, never pasted)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float | Decimal):
        return exp.Literal.number(value)
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.Type.TIMESTAMP)
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.Type.DATE)
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[lit(v) for v in value])
    return exp.Literal.string(str(value))


def fn(name: str, *args: exp.Expr) -> exp.Expr:
    """A function call rendered verbatim (DuckDB names such as ``try_strptime``)."""
    return exp.Anonymous(this=name, expressions=list(args))


def cast(node: exp.Expr, sql_type: str) -> exp.Cast:
    return exp.cast(node, exp.DataType.build(sql_type, dialect=DIALECT))


def try_cast(node: exp.Expr, sql_type: str) -> exp.TryCast:
    return exp.TryCast(this=node, to=exp.DataType.build(sql_type, dialect=DIALECT))


def and_all(conditions: Iterable[exp.Expr]) -> exp.Expr:
    items = list(conditions)
    return exp.and_(*items) if items else exp.true()


def or_all(conditions: Iterable[exp.Expr]) -> exp.Expr:
    items = list(conditions)
    return exp.or_(*items) if items else exp.false()


@lru_cache(maxsize=512)
def _parse(text: str) -> exp.Expr:
    return sqlglot.parse_one(text, read=DIALECT)


def fragment(text: str, **values: exp.Expr) -> exp.Expr:
    """Parse a constant SQL fragment and fill its ``:name`` placeholders with expressions.

    ``text`` must be a literal written in zhongtai's source; user values go in ``values`` (as
    :func:`lit` literals or identifiers). A value is inserted as is at its first placeholder and
    copied for any further one, which keeps building large queries cheap.
    """
    tree = _parse(text).copy()
    if not values:
        return tree
    used: set[str] = set()
    for node in list(tree.find_all(exp.Placeholder)):
        name = node.name
        if name not in values:
            continue
        value = values[name]
        replacement = _fit(node, value.copy() if name in used else value)
        used.add(name)
        if node is tree:
            return replacement
        node.replace(replacement)
    return tree


def _fit(placeholder: exp.Placeholder, value: exp.Expr) -> exp.Expr:
    """Parenthesise an operator or wrap a query where the placeholder sits (as SQLGlot does)."""
    from sqlglot.expressions.builders import _replace_placeholder

    return _replace_placeholder(placeholder, value)


def render(node: exp.Expr, dialect: str = DIALECT) -> str:
    return node.sql(dialect=dialect)


def run(con: Any, node: exp.Expr) -> list[tuple[Any, ...]]:
    """Execute a statement and drain its result (DuckDB 2 keeps unfinished results open)."""
    return list(con.execute(render(node)).fetchall())


def scalar(con: Any, node: exp.Expr) -> Any:
    """The single value a query returns (``None`` for no rows)."""
    rows = run(con, node)
    return rows[0][0] if rows else None


SMALL_ROWS = 5_000
"""Up to this many rows travel as SQL literals; more go through Arrow (which makes DuckDB import
pandas, a second of start-up in a fresh process)."""


def temp_table(con: Any, name: str, columns: dict[str, str], rows: list[tuple[Any, ...]]) -> None:
    """Create temporary table ``name`` (``column -> SQL type``) holding ``rows``."""
    definition = exp.Schema(
        this=tbl(name),
        expressions=[
            exp.ColumnDef(this=ident(c), kind=exp.DataType.build(t, dialect=DIALECT)) for c, t in columns.items()
        ],
    )
    run(
        con,
        exp.Create(
            this=definition,
            kind="TABLE",
            replace=True,
            properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
        ),
    )
    if len(rows) > SMALL_ROWS:
        import pyarrow as pa

        arrow = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        con.register("zt_arrow_rows", arrow)
        run(con, fragment("INSERT INTO :t SELECT * FROM zt_arrow_rows", t=tbl(name)))
        con.unregister("zt_arrow_rows")
        return
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        values = exp.Values(expressions=[exp.Tuple(expressions=[lit(v) for v in row]) for row in chunk])
        run(con, exp.insert(values, tbl(name)))
