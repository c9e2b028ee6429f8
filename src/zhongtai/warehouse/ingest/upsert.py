"""Writing shaped rows into warehouse tables: insert new keys, replace changed rows, keep the rest.

Change detection compares ``_row_hash``; a row whose content is unchanged keeps the load id that
first wrote it, so re-loading a corrected file touches only what changed. When a load carries a
parent (an order) it carries all of the parent's children (its lines): lines of that order that
the new file no longer has are deleted, so a corrected order is never double-counted.
"""

from __future__ import annotations

import duckdb
from sqlglot import exp

from zhongtai.warehouse._sql import and_all, col, fragment, run, scalar, tbl
from zhongtai.warehouse.ingest.records import TableCounts
from zhongtai.warehouse.schema import Reference, Table

__all__ = ["delete_orphaned_children", "upsert_table"]


def _key_match(table: Table, left: str, right: str) -> exp.Expr:
    return and_all(fragment(":a = :b", a=col(k, left), b=col(k, right)) for k in table.key)


def upsert_table(con: duckdb.DuckDBPyConnection, table: Table, new: str, counts: TableCounts) -> None:
    """Apply temporary table ``new`` to ``main.<table>`` (inside the caller's transaction)."""
    changed = new + "_changed"
    columns = [*list(table.names), "_load_id", "_row_hash"]
    select = (
        exp.select(*[col(c, "n") for c in columns], fragment("o._row_hash IS NULL").as_("_is_new"))
        .from_(tbl(new, alias="n"))
        .join(tbl(table.name, alias="o"), on=_key_match(table, "n", "o"), join_type="left")
        .where(fragment("o._row_hash IS DISTINCT FROM n._row_hash"))
    )
    run(con, fragment("CREATE OR REPLACE TEMP TABLE :t AS :q", t=tbl(changed), q=select))
    found = run(con, fragment("SELECT COUNT(*), COUNT(*) FILTER (WHERE _is_new) FROM :t", t=tbl(changed)))
    total_changed, inserted = (int(found[0][0]), int(found[0][1])) if found else (0, 0)
    counts.inserted += inserted
    counts.updated += total_changed - inserted
    counts.unchanged += counts.received - total_changed
    if total_changed - inserted:
        delete = exp.Delete(
            this=tbl(table.name, alias="o"),
            using=[tbl(changed, alias="c")],
            where=exp.Where(this=and_all([_key_match(table, "o", "c"), fragment("NOT c._is_new")])),
        )
        run(con, delete)
    if total_changed:
        insert = exp.Insert(
            this=exp.Schema(this=tbl(table.name), expressions=[exp.to_identifier(c, quoted=True) for c in columns]),
            expression=exp.select(*[col(c) for c in columns]).from_(tbl(changed)),
        )
        run(con, insert)
    run(con, fragment("DROP TABLE :t", t=tbl(changed)))


def delete_orphaned_children(
    con: duckdb.DuckDBPyConnection,
    child: Table,
    reference: Reference,
    new_parent: str,
    new_child: str,
    counts: TableCounts,
) -> None:
    """Delete lines of parents in this load that the load no longer carries."""
    parent_of = exp.Tuple(expressions=[col(c, "o") for c in reference.columns])
    parents = exp.select(*[col(c) for c in reference.parent_columns]).from_(tbl(new_parent))
    kept = exp.select(*[col(c) for c in child.key]).from_(tbl(new_child))
    key_of = exp.Tuple(expressions=[col(c, "o") for c in child.key])
    condition = fragment(":p IN (:parents) AND :k NOT IN (:kept)", p=parent_of, parents=parents, k=key_of, kept=kept)
    orphans = int(
        scalar(con, exp.select(fragment("COUNT(*)")).from_(tbl(child.name, alias="o")).where(condition.copy())) or 0
    )
    if orphans:
        run(con, exp.Delete(this=tbl(child.name, alias="o"), where=exp.Where(this=condition)))
    counts.deleted += orphans
