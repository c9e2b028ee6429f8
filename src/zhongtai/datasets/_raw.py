"""Raw tables: every data set as published, in schema ``datasets`` of the warehouse.

A raw table holds ``row_no`` (the record's 1-based position in the published file, the number
canonical ids built from positions use) followed by the documented columns, typed as
:func:`~zhongtai.datasets.read_dataset` returns them. It is written with one Arrow bulk insert
(``CREATE OR REPLACE TABLE … AS SELECT``), so re-running replaces it whole; the table's comment
records the file's SHA-256 and the reader version, and a table whose comment already matches is
left as it is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
from sqlglot import exp

from zhongtai._version import __version__
from zhongtai.datasets._spec import RAW_SCHEMA
from zhongtai.warehouse import Warehouse
from zhongtai.warehouse._sql import fragment, ident, lit, run, tbl

__all__ = ["RAW_FORMAT", "fingerprint", "raw_comment", "to_arrow", "write_raw"]

RAW_FORMAT = 1
"""Bump when a reader changes what a raw table holds (it forces a rewrite on the next load)."""

ROW_NO = "row_no"
_VIEW = "zt_dataset_raw"


def fingerprint(path: Path) -> str:
    """What a raw table was written from: the file's SHA-256 and the reader version."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(4 * 1024 * 1024), b""):
            digest.update(block)
    return f"zhongtai datasets raw v{RAW_FORMAT} ({__version__}); sha256 {digest.hexdigest()}"


def raw_comment(warehouse: Warehouse, table: str) -> str | None:
    """The comment of ``datasets.<table>``; ``None`` when the table does not exist."""
    rows = warehouse.fetchall(
        fragment(
            "SELECT comment FROM duckdb_tables() WHERE schema_name = :s AND table_name = :t",
            s=lit(RAW_SCHEMA),
            t=lit(table),
        )
    )
    return str(rows[0][0] or "") if rows else None


def to_arrow(frame: pd.DataFrame, *, date_columns: tuple[str, ...] = ()) -> pa.Table:
    """``row_no`` + the frame's columns; timestamps in microseconds, ``date_columns`` as dates."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for field in table.schema:
        if field.name in date_columns:
            fields.append(pa.field(field.name, pa.date32()))
        elif pa.types.is_timestamp(field.type):
            fields.append(pa.field(field.name, pa.timestamp("us")))
        else:
            fields.append(pa.field(field.name, field.type))
    table = table.cast(pa.schema(fields))
    row_no = pa.array(range(1, table.num_rows + 1), pa.int64())
    return table.add_column(0, ROW_NO, row_no)


def write_raw(
    warehouse: Warehouse, table: str, frame: pd.DataFrame, *, comment: str, date_columns: tuple[str, ...] = ()
) -> int:
    """Replace ``datasets.<table>`` with ``frame`` in one transaction; return its row count."""
    arrow = to_arrow(frame, date_columns=date_columns)
    target = tbl(table, RAW_SCHEMA)
    with warehouse.transaction() as con:
        run(con, exp.Create(this=exp.Table(this=ident(RAW_SCHEMA)), kind="SCHEMA", exists=True))
        con.register(_VIEW, arrow)
        try:
            run(con, fragment("CREATE OR REPLACE TABLE :t AS SELECT * FROM :v", t=target, v=tbl(_VIEW)))
        finally:
            con.unregister(_VIEW)
        run(con, exp.Comment(this=target.copy(), kind="TABLE", expression=lit(comment)))
    return int(arrow.num_rows)
