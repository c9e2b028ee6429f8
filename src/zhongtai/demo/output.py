"""Staging files: one Parquet file per table, written row group by row group as blocks arrive.

Blocks arrive in block order, so the same seed writes the same bytes. Rows are buffered per
table and flushed in groups of ``ROW_GROUP`` rows, which bounds memory whatever the shop size.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["ROW_GROUP", "StagingWriter"]

ROW_GROUP = 250_000


def _normalised(table: pa.Table) -> pa.Table:
    """Truth tables: all-NULL columns become strings so every block has the same schema."""
    fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields)) if fields != list(table.schema) else table


class StagingWriter:
    """Parquet writers for canonical tables (``<dir>/<table>.parquet``) and truth tables
    (``<dir>/_truth/<table>.parquet``)."""

    def __init__(self, folder: Path, *, row_group: int = ROW_GROUP) -> None:
        self.folder = folder
        self.row_group = row_group
        (folder / "_truth").mkdir(parents=True, exist_ok=True)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._schemas: dict[str, pa.Schema] = {}
        self._buffers: dict[str, list[pa.Table]] = {}
        self._buffered: dict[str, int] = {}
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def path(self, name: str) -> Path:
        if name.startswith("_truth."):
            return self.folder / "_truth" / f"{name.removeprefix('_truth.')}.parquet"
        return self.folder / f"{name}.parquet"

    def add(self, name: str, table: pa.Table) -> None:
        if name.startswith("_truth."):
            table = _normalised(table)
        schema = self._schemas.setdefault(name, table.schema)
        if table.schema != schema:
            table = table.cast(schema)
        self._buffers.setdefault(name, []).append(table)
        self._buffered[name] = self._buffered.get(name, 0) + table.num_rows
        self.rows[name] = self.rows.get(name, 0) + table.num_rows
        if self._buffered[name] >= self.row_group:
            self._flush(name)

    def _flush(self, name: str) -> None:
        parts = self._buffers.pop(name, [])
        self._buffered[name] = 0
        if not parts:
            return
        started = time.perf_counter()
        writer = self._writers.get(name)
        if writer is None:
            writer = pq.ParquetWriter(self.path(name), self._schemas[name], compression="lz4")
            self._writers[name] = writer
        writer.write_table(pa.concat_tables(parts), row_group_size=self.row_group)
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def close(self) -> dict[str, Path]:
        for name in list(self._buffers):
            self._flush(name)
        for writer in self._writers.values():
            writer.close()
        return {name: self.path(name) for name in self._writers}
