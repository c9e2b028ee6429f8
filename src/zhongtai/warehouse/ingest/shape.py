"""Accepted rows → one temporary table per canonical table, shaped exactly like the target.

Line-level files give one record per row; ``group_rows`` tables (an order repeated on each of
its lines) are grouped by key, each column combined by its ``aggregate`` rule, so money that an
export repeats per line is counted once. ``member_id`` is derived here for person-level tables.
"""

from __future__ import annotations

import duckdb
from sqlglot import exp

from zhongtai.warehouse._sql import cast, col, fragment, lit, run, tbl
from zhongtai.warehouse.ddl import storage_type
from zhongtai.warehouse.identity import provisional_member_id_sql
from zhongtai.warehouse.ingest.plan import LoadPlan, TablePlan
from zhongtai.warehouse.ingest.validate import Validation
from zhongtai.warehouse.schema import Column, ColumnType

__all__ = ["new_table_name", "shape_tables"]


def new_table_name(validation: Validation, table: str) -> str:
    return f"{validation.name}_new_{table}"


def shape_query(table: TablePlan, validation: Validation, *, load_id: int, currency: str) -> exp.Select:
    """The accepted rows of one table, shaped exactly like ``main.<table>`` plus load id and hash."""
    query = _grouped(table, validation, currency) if table.spec.group_rows else _rows(table, validation, currency)
    return _finish(table, query, load_id)


def shape_tables(
    con: duckdb.DuckDBPyConnection, plan: LoadPlan, validation: Validation, *, load_id: int, currency: str
) -> dict[str, int]:
    """Create ``<name>_new_<table>`` for every mapped table; return their row counts."""
    counts = {}
    for table in plan.tables:
        name = new_table_name(validation, table.name)
        final = shape_query(table, validation, load_id=load_id, currency=currency)
        run(con, fragment("CREATE OR REPLACE TEMP TABLE :t AS :q", t=tbl(name), q=final))
        counts[table.name] = int(run(con, fragment("SELECT COUNT(*) FROM :t", t=tbl(name)))[0][0])
    return counts


def insert_shaped(
    con: duckdb.DuckDBPyConnection, table: TablePlan, validation: Validation, *, load_id: int, currency: str
) -> int:
    """Insert the shaped rows straight into an empty ``main.<table>``; return how many."""
    columns = [*table.table.names, "_load_id", "_row_hash"]
    final = shape_query(table, validation, load_id=load_id, currency=currency)
    target = exp.Schema(this=tbl(table.name), expressions=[exp.to_identifier(c, quoted=True) for c in columns])
    return int(run(con, exp.Insert(this=target, expression=final))[0][0])


def _accepted(table: TablePlan, validation: Validation) -> exp.Expr:
    return fragment(
        ":r AND NOT _hdr AND NOT _tot AND NOT _dup AND _row NOT IN (SELECT _row FROM :e)",
        r=col(f"r_{table.name}"),
        e=tbl(validation.errors),
    )


def _default(table: TablePlan, column: Column, validation: Validation, currency: str) -> exp.Expr:
    if column.name == "source":
        return lit(validation.source)
    if column.name == "currency" and column.type is ColumnType.CODE:
        return lit(currency)
    return cast(exp.Null(), storage_type(column))


def _rows(table: TablePlan, validation: Validation, currency: str) -> exp.Select:
    select: list[exp.Expr] = [col("_row")]
    parent_key = _parent_key(table, validation)
    for column in table.table.columns:
        ref = validation.values.get((table.name, column.name))
        if ref is None:
            if column.name != "member_id":
                select.append(_default(table, column, validation, currency).as_(column.name))
            continue
        if ref.plan.spec.sequence:
            window = exp.Window(
                this=exp.RowNumber(),
                partition_by=parent_key,
                order=exp.Order(expressions=[exp.Ordered(this=col("_row"))]),
            )
            select.append(window.as_(column.name))
        elif ref.plan.spec.generate == "row_hash":
            select.append(_row_hash_id(table, validation).as_(column.name))
        else:
            select.append(cast(col(ref.value or ""), storage_type(column)).as_(column.name))
    return exp.select(*select).from_(tbl(validation.parsed)).where(_accepted(table, validation))


def _parent_key(table: TablePlan, validation: Validation) -> list[exp.Expr]:
    """Columns a sequence restarts on: the table key without the sequence column itself."""
    keys: list[exp.Expr] = []
    for name in table.table.key:
        ref = validation.values.get((table.name, name))
        if ref is not None and ref.value is not None:
            keys.append(col(ref.value))
    return keys


def _row_hash_id(table: TablePlan, validation: Validation) -> exp.Expr:
    """A deterministic id from a row's mapped values (for exports without one, e.g. event logs).

    Rows whose mapped values are all equal (they differ only in unmapped columns) get ``-2``,
    ``-3`` … in file order, so they stay separate rows and a reload gives the same ids.
    """
    values = [
        fragment("COALESCE(CAST(:v AS VARCHAR), '')", v=col(ref.value))
        for (t, _), ref in validation.values.items()
        if t == table.name and ref.value is not None
    ]
    joined = exp.func("concat_ws", lit("\x1f"), *values) if values else lit("")
    digest = fragment("SUBSTR(MD5(:j), 1, 20)", j=joined)
    ordinal = exp.Window(
        this=exp.RowNumber(),
        partition_by=[digest.copy()],
        order=exp.Order(expressions=[exp.Ordered(this=col("_row"))]),
    )
    return fragment("CASE WHEN :n = 1 THEN :d ELSE :d || '-' || CAST(:n AS VARCHAR) END", n=ordinal, d=digest)


def _grouped(table: TablePlan, validation: Validation, currency: str) -> exp.Select:
    key_columns = set(table.table.key)
    select: list[exp.Expr] = [fragment("MIN(_row)").as_("_row")]
    group: list[exp.Expr] = []
    for column in table.table.columns:
        ref = validation.values.get((table.name, column.name))
        if ref is None:
            if column.name != "member_id":
                select.append(_default(table, column, validation, currency).as_(column.name))
            continue
        value = col(ref.value or "")
        if column.name in key_columns:
            group.append(value)
            select.append(cast(value.copy(), storage_type(column)).as_(column.name))
            continue
        rule = ref.plan.spec.aggregate
        combined = {
            "agree": fragment("ARG_MIN(:v, _row) FILTER (WHERE :v IS NOT NULL)", v=value),
            "first": fragment("ARG_MIN(:v, _row) FILTER (WHERE :v IS NOT NULL)", v=value),
            "last": fragment("ARG_MAX(:v, _row) FILTER (WHERE :v IS NOT NULL)", v=value),
            "min": fragment("MIN(:v)", v=value),
            "max": fragment("MAX(:v)", v=value),
            "sum": fragment("SUM(:v)", v=value),
            "count": fragment("COUNT(:v)", v=value),
        }[rule]
        select.append(cast(combined, storage_type(column)).as_(column.name))
    query = exp.select(*select).from_(tbl(validation.parsed)).where(_accepted(table, validation))
    return query.group_by(*group) if group else query


def _finish(table: TablePlan, query: exp.Select, load_id: int) -> exp.Select:
    """Add member_id, the load id and the row hash; order columns like the target table."""
    names = [c.name for c in table.table.columns]
    member_mapped = any(p.column.name == "member_id" for p in table.columns)
    with_member: list[exp.Expr] = [col("_row")]
    for name in names:
        if name == "member_id" and not member_mapped:
            with_member.append(provisional_member_id_sql(col("source"), col("customer_id")).as_("member_id"))
        else:
            with_member.append(col(name))
    middle = exp.select(*with_member).from_(query.subquery("s"))
    outer: list[exp.Expr] = [col(n) for n in names]
    outer += [lit(load_id).as_("_load_id"), exp.func("hash", *[col(n) for n in names]).as_("_row_hash")]
    return exp.select(*outer).from_(middle.subquery("m"))
