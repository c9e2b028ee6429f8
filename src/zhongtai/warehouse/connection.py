"""The warehouse: the workspace's DuckDB file and the operations every package needs on it.

DuckDB allows one writing process per file. A second process gets a clear
:class:`~zhongtai.errors.WorkspaceLockedError` naming the holder; threads of one process share
the connection through cursors (:meth:`Warehouse.cursor`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlglot import exp

from zhongtai.errors import EngineError, WorkspaceLockedError
from zhongtai.warehouse._sql import fragment, ident, lit, render, tbl
from zhongtai.warehouse.ddl import add_column, create_table, storage_type
from zhongtai.warehouse.meta import INFO, JOB_RUNS, META_SCHEMA, META_TABLES
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import SYSTEM_COLUMNS, Table

__all__ = ["Warehouse"]

_PID = re.compile(r"PID (\d+)")


class Warehouse:
    """An open warehouse file."""

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        temp_directory: Path | None = None,
        threads: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        config: dict[str, Any] = {}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if temp_directory:
            config["temp_directory"] = str(temp_directory)
        if threads:
            config["threads"] = threads
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                match = _PID.search(text)
                raise WorkspaceLockedError(
                    "warehouse.locked", path=str(self.path), pid=match.group(1) if match else "?"
                ) from None
            raise EngineError("warehouse.cannot_open", path=str(self.path), detail=text.splitlines()[0]) from None
        except duckdb.Error as exc:
            raise EngineError("warehouse.cannot_open", path=str(self.path), detail=str(exc).splitlines()[0]) from None
        self._lock = threading.RLock()

    # -- connection ------------------------------------------------------------------------

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The process's connection (use :meth:`cursor` from other threads)."""
        return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def cursor_view(self) -> Warehouse:
        """This warehouse seen through a new cursor of the same connection, for another thread.

        DuckDB lets one process hold one connection per file and share it between threads only
        through cursors; the view has the same file, catalogue and transaction lock, but its own
        cursor, which :meth:`close` on the view closes (the connection stays open).
        """
        view = object.__new__(Warehouse)
        view.path = self.path
        view.read_only = self.read_only
        view._con = self._con.cursor()
        view._lock = self._lock
        return view

    def close(self) -> None:
        self._con.close()

    def execute(self, node: exp.Expr, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one SQLGlot statement (never a hand-made string) and return its rows."""
        result = self._con.execute(render(node), params) if params else self._con.execute(render(node))
        return list(result.fetchall())

    def fetchall(self, node: exp.Expr) -> list[tuple[Any, ...]]:
        return self.execute(node)

    def arrow(self, node: exp.Expr) -> pa.Table:
        return self._con.sql(render(node)).to_arrow_table()

    def set_memory_limit(self, limit: str) -> None:
        self.execute(fragment("SET memory_limit = :v", v=lit(limit)))

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One atomic unit: commits on success, rolls back on any exception."""
        with self._lock:
            self._con.execute("BEGIN TRANSACTION").fetchall()
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK").fetchall()
                raise
            self._con.execute("COMMIT").fetchall()

    # -- catalogue -------------------------------------------------------------------------

    def existing_columns(self, table: str, schema: str = "main") -> dict[str, str]:
        rows = self.fetchall(
            fragment(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position",
                s=lit(schema),
                t=lit(table),
            )
        )
        return {str(name): str(kind) for name, kind in rows}

    def table_exists(self, table: str, schema: str = "main") -> bool:
        return bool(self.existing_columns(table, schema))

    def ensure_schema(self) -> list[str]:
        """Create missing tables and add columns a newer model declares; return what changed.

        Additive changes are applied in place. A column whose stored type differs from the
        declaration is not converted silently: :class:`EngineError` names it.
        """
        actions: list[str] = []
        self.execute(exp.Create(this=exp.Table(this=ident(META_SCHEMA)), kind="SCHEMA", exists=True))
        for seq in ("load_seq", "run_seq"):
            self.execute(exp.Create(this=tbl(seq, META_SCHEMA), kind="SEQUENCE", exists=True))
        for table in META_TABLES:
            actions += self._ensure_table(table, META_SCHEMA, system_columns=False)
        for table in TABLES.values():
            actions += self._ensure_table(table, "main", system_columns=True)
        return actions

    def _ensure_table(self, table: Table, schema: str, *, system_columns: bool) -> list[str]:
        existing = self.existing_columns(table.name, schema)
        if not existing:
            self.execute(create_table(table, schema=schema, system_columns=system_columns))
            return [f"created {schema}.{table.name}"]
        actions = []
        declared = list(table.columns) + (list(SYSTEM_COLUMNS) if system_columns else [])
        for column in declared:
            stored = existing.get(column.name)
            if stored is None:
                self.execute(add_column(table, column, schema=schema))
                actions.append(f"added {schema}.{table.name}.{column.name}")
            elif _normal_type(stored) != _normal_type(storage_type(column)):
                raise EngineError(
                    "warehouse.type_mismatch",
                    table=table.name,
                    column=column.name,
                    stored=stored,
                    declared=storage_type(column),
                )
        return actions

    def info(self) -> dict[str, str]:
        rows = self.fetchall(fragment("SELECT key, value FROM :t", t=tbl(INFO.name, META_SCHEMA)))
        return {str(k): str(v) for k, v in rows}

    def set_info(self, key: str, value: str) -> None:
        self.execute(fragment("DELETE FROM :t WHERE key = :k", t=tbl(INFO.name, META_SCHEMA), k=lit(key)))
        self.execute(
            fragment("INSERT INTO :t VALUES (:k, :v)", t=tbl(INFO.name, META_SCHEMA), k=lit(key), v=lit(value))
        )

    def fail_interrupted_runs(self) -> int:
        """Mark job runs a dead process left ``running`` as failed (the writer calls this on open)."""
        rows = self.fetchall(
            fragment(
                "UPDATE :t SET status = 'failed', error_code = 'jobs.interrupted' WHERE status = 'running' "
                "RETURNING run_id",
                t=tbl(JOB_RUNS.name, META_SCHEMA),
            )
        )
        return len(rows)

    def row_count(self, table: str, schema: str = "main") -> int:
        row = self.fetchall(fragment("SELECT COUNT(*) FROM :t", t=tbl(table, schema)))
        return int(row[0][0])


def _normal_type(name: str) -> str:
    text = name.upper().replace(" ", "")
    return {"TEXT": "VARCHAR", "STRING": "VARCHAR", "INT64": "BIGINT", "INT8": "BIGINT"}.get(text, text)
