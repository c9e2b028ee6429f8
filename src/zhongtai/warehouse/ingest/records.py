"""Load records in ``zt_meta.loads``: what every load attempt read, wrote and rejected."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import duckdb
from sqlglot import exp

from zhongtai.errors import NotFoundError
from zhongtai.warehouse._sql import col, fragment, lit, run, scalar, tbl
from zhongtai.warehouse.meta import LOADS, META_SCHEMA

__all__ = ["LoadRecord", "TableCounts", "find_committed", "get_load", "insert_load", "list_loads", "next_load_id"]


@dataclass(slots=True)
class TableCounts:
    """What one load did to one table."""

    received: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass(slots=True)
class LoadRecord:
    load_id: int
    status: str
    source: str | None = None
    adapter: str | None = None
    mapping_version: int | None = None
    mapping_hash: str | None = None
    file_name: str | None = None
    file_path: str | None = None
    file_hash: str | None = None
    file_bytes: int | None = None
    file_format: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    table_counts: dict[str, TableCounts] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    quarantine_file: str | None = None
    error_code: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)
    version: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_s: float | None = None
    job_run_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("started_at", "finished_at"):
            value = getattr(self, key)
            out[key] = value.isoformat() if value else None
        return out


def _loads() -> exp.Table:
    return tbl(LOADS.name, META_SCHEMA)


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    value = scalar(con, fragment("SELECT NEXTVAL(:s)", s=lit(f"{META_SCHEMA}.load_seq")))
    return int(value) if value is not None else 1


def insert_load(con: duckdb.DuckDBPyConnection, record: LoadRecord) -> None:
    values: list[exp.Expr] = []
    for column in LOADS.columns:
        value = getattr(record, column.name)
        if column.name == "table_counts":
            value = json.dumps({k: asdict(v) for k, v in value.items()})
        elif column.name in ("ignored_columns", "error_params"):
            value = json.dumps(value, ensure_ascii=False, default=str)
        values.append(lit(value))
    run(con, exp.insert(exp.Values(expressions=[exp.Tuple(expressions=values)]), _loads()))


def _from_row(row: tuple[Any, ...]) -> LoadRecord:
    data = dict(zip([c.name for c in LOADS.columns], row, strict=True))
    counts = json.loads(data["table_counts"]) if data["table_counts"] else {}
    data["table_counts"] = {k: TableCounts(**v) for k, v in counts.items()}
    data["ignored_columns"] = json.loads(data["ignored_columns"]) if data["ignored_columns"] else []
    data["error_params"] = json.loads(data["error_params"]) if data["error_params"] else {}
    return LoadRecord(**data)


def _select() -> exp.Select:
    return exp.select(*[col(c.name) for c in LOADS.columns]).from_(_loads())


def find_committed(con: duckdb.DuckDBPyConnection, *, file_hash: str, mapping_hash: str, source: str) -> int | None:
    """The committed load of this exact file with this exact mapping and source, if any."""
    value = scalar(
        con,
        fragment(
            "SELECT MAX(load_id) FROM :t WHERE status = 'committed' AND file_hash = :h AND mapping_hash = :m "
            "AND source = :s",
            t=_loads(),
            h=lit(file_hash),
            m=lit(mapping_hash),
            s=lit(source),
        ),
    )
    return int(value) if value is not None else None


def list_loads(con: duckdb.DuckDBPyConnection, *, limit: int = 50) -> list[LoadRecord]:
    query = _select().order_by(exp.Ordered(this=col("load_id"), desc=True)).limit(limit)
    return [_from_row(r) for r in run(con, query)]


def get_load(con: duckdb.DuckDBPyConnection, load_id: int) -> LoadRecord:
    found = run(con, _select().where(fragment("load_id = :i", i=lit(load_id))))
    if not found:
        raise NotFoundError("loads.not_found", load_id=load_id)
    return _from_row(found[0])
