"""DDL generated from the table declarations (SQLGlot trees, rendered per engine)."""

from __future__ import annotations

from sqlglot import exp

from zhongtai.warehouse._sql import DIALECT, ident, render, tbl
from zhongtai.warehouse.schema import SYSTEM_COLUMNS, Column, Table

__all__ = ["add_column", "create_table", "create_table_sql", "storage_type"]

_SYSTEM_TYPES = {"_load_id": "BIGINT", "_row_hash": "UBIGINT"}


def storage_type(column: Column) -> str:
    """The SQL type a column is stored as (system columns have their own)."""
    return _SYSTEM_TYPES.get(column.name, column.type.sql_type)


def _column_def(column: Column, dialect: str) -> exp.ColumnDef:
    sql_type = storage_type(column)
    if dialect != DIALECT and sql_type == "UBIGINT":
        sql_type = "DECIMAL(20,0)"
    constraints = []
    if column.required:
        constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    return exp.ColumnDef(
        this=ident(column.name),
        kind=exp.DataType.build(sql_type, dialect=DIALECT),
        constraints=constraints or None,
    )


def create_table(
    table: Table, *, schema: str | None = None, system_columns: bool = True, dialect: str = DIALECT
) -> exp.Create:
    """``CREATE TABLE IF NOT EXISTS`` for ``table`` (keys are enforced by ingest, not indexes).

    DuckDB keeps an in-memory index per PRIMARY KEY, which costs memory and slows bulk loads;
    the natural key is enforced by the load path (duplicates are quarantined, loads upsert).
    """
    columns = list(table.columns) + (list(SYSTEM_COLUMNS) if system_columns else [])
    return exp.Create(
        this=exp.Schema(
            this=tbl(table.name, schema),
            expressions=[_column_def(c, dialect) for c in columns],
        ),
        kind="TABLE",
        exists=True,
    )


def create_table_sql(table: Table, *, schema: str | None = None, dialect: str = DIALECT) -> str:
    return render(create_table(table, schema=schema, dialect=dialect), dialect)


def add_column(table: Table, column: Column, *, schema: str | None = None) -> exp.Alter:
    """``ALTER TABLE … ADD COLUMN`` for a column a newer model declares (nullable on add)."""
    definition = exp.ColumnDef(this=ident(column.name), kind=exp.DataType.build(storage_type(column), dialect=DIALECT))
    return exp.Alter(this=tbl(table.name, schema), kind="TABLE", actions=[definition])
