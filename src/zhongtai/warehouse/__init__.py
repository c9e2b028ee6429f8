"""The warehouse floor: canonical model, DuckDB connection, ingest and identity keys."""

from __future__ import annotations

from pathlib import Path

from zhongtai.warehouse._sql import fragment, lit, tbl
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.meta import LOADS, META_SCHEMA
from zhongtai.warehouse.model import TABLES, table
from zhongtai.warehouse.schema import Check, Column, ColumnType, PiiClass, Reference, Table

__all__ = [
    "TABLES",
    "Check",
    "Column",
    "ColumnType",
    "PiiClass",
    "Reference",
    "Table",
    "Warehouse",
    "quarantine_recovery",
    "table",
]


def quarantine_recovery(warehouse: Warehouse, folder: Path) -> list[str]:
    """Finish or discard quarantine files a crashed process left behind.

    A ``.tmp`` file whose load committed is made visible; any other is deleted (its load never
    happened). Returns the names handled.
    """
    handled = []
    for tmp in sorted(folder.glob("load-*.parquet.tmp")):
        load_id = int(tmp.name.split("-")[1].split(".")[0])
        row = warehouse.fetchall(
            fragment(
                "SELECT COUNT(*) FROM :t WHERE load_id = :i AND status = 'committed'",
                t=tbl(LOADS.name, META_SCHEMA),
                i=lit(load_id),
            )
        )
        if row[0][0]:
            tmp.replace(tmp.with_name(tmp.name.removesuffix(".tmp")))
        else:
            tmp.unlink()
        handled.append(tmp.name)
    return handled
