"""Loading one file: read → type and validate → quarantine → one transaction → load record.

A load lands whole or not at all: everything before the final transaction works on temporary
tables that vanish with the process, and the transaction writes every table and the load record
together. Re-loading a file already committed with the same mapping and source is a no-op.

``ingest.memory_limit`` bounds the loading *process*: DuckDB is given what is left of it once
the interpreter's own memory and DuckDB's overhead beyond its buffer pool are set aside, and
larger files spill to the workspace's ``tmp/`` folder (a 2 GB CSV loads in under 1 GiB).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

import duckdb
import psutil

from zhongtai._version import __version__
from zhongtai.errors import ConfigError, EngineError, IngestError, NotFoundError, ZhongtaiError
from zhongtai.progress import NullProgress, Progress
from zhongtai.warehouse._sql import fragment, lit, run, scalar, tbl
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.ingest import files
from zhongtai.warehouse.ingest.mapping import Mapping
from zhongtai.warehouse.ingest.plan import LoadPlan, resolve_plan
from zhongtai.warehouse.ingest.quarantine import finalise, quarantine_file_name, write_quarantine
from zhongtai.warehouse.ingest.readers import stage_file
from zhongtai.warehouse.ingest.records import (
    LoadRecord,
    TableCounts,
    find_committed,
    insert_load,
    next_load_id,
)
from zhongtai.warehouse.ingest.shape import insert_shaped, new_table_name, shape_tables
from zhongtai.warehouse.ingest.upsert import delete_orphaned_children, upsert_table
from zhongtai.warehouse.ingest.validate import Validation, build_parsed, collect_errors
from zhongtai.warehouse.model import TABLES

__all__ = ["IngestTarget", "LoadResult", "duckdb_memory_limit", "ingest_file"]

MIB = 1024 * 1024
DUCKDB_SHARE = 0.55
"""DuckDB's resident size runs 35–60 % above its ``memory_limit`` (allocator slack, reader buffers,
hash tables outside the buffer pool), measured loading a 2 GB CSV: 871 MiB to 1,074 MiB of process
peak at a 70 % share depending on scheduling; so it gets 55 % of what the budget leaves."""
MIN_DUCKDB_MEMORY = 384 * MIB
"""DuckDB's CSV reader alone takes 128 MiB buffers (16 × the 8 MiB line limit), one per thread."""
_DUCKDB_TEMP = re.compile(r"duckdb_temp_(\d+)_")
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]i?b?|b)?\s*", re.IGNORECASE)
_ACTIVE: set[str] = set()
"""Names (``zt_l<id>``) of loads running in this process; any other ``zt_l*`` file in the tmp
folder was left by a load whose process died."""


class IngestTarget(Protocol):
    """What a load needs from a workspace."""

    @property
    def warehouse(self) -> Warehouse: ...
    @property
    def tmp_dir(self) -> Path: ...
    @property
    def quarantine_dir(self) -> Path: ...
    @property
    def timezone(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def max_reject_rate(self) -> float: ...
    @property
    def ingest_memory_limit(self) -> str: ...


@dataclass(slots=True)
class LoadResult:
    """The outcome of :func:`ingest_file`."""

    status: Literal["committed", "unchanged"]
    record: LoadRecord | None
    previous_load_id: int | None = None
    top_rules: list[tuple[str, int]] = field(default_factory=list)
    quarantine_path: Path | None = None

    @property
    def load_id(self) -> int | None:
        return self.record.load_id if self.record else self.previous_load_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "load_id": self.load_id,
            "previous_load_id": self.previous_load_id,
            "record": self.record.to_dict() if self.record else None,
            "top_rules": [{"rule": r, "rows": n} for r, n in self.top_rules],
            "quarantine_path": str(self.quarantine_path) if self.quarantine_path else None,
        }


def ingest_file(
    target: IngestTarget,
    path: str | Path,
    *,
    mapping: Mapping,
    source: str | None = None,
    adapter: str | None = None,
    force: bool = False,
    max_reject_rate: float | None = None,
    progress: Progress | None = None,
    job_run_id: int | None = None,
) -> LoadResult:
    """Load ``path`` into the warehouse with ``mapping`` (see module docstring).

    Raises :class:`IngestError` when the file cannot be loaded at all (nothing is written but the
    refusal's load record); rows that break rules are quarantined, not raised.
    """
    file = Path(path)
    report = progress or NullProgress()
    started = datetime.now(UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    con = target.warehouse.con
    if not file.exists() or not file.is_file():
        raise NotFoundError("ingest.file_not_found", file=str(file))
    source_name = source or mapping.source
    if not source_name:
        raise IngestError("ingest.no_source", file=file.name)
    record = LoadRecord(
        load_id=0,
        status="refused",
        source=source_name,
        adapter=adapter or mapping.name,
        mapping_version=mapping.version,
        mapping_hash=mapping.fingerprint(),
        file_name=file.name,
        file_path=str(file),
        file_bytes=file.stat().st_size,
        version=__version__,
        started_at=started,
        job_run_id=job_run_id,
    )
    if record.file_bytes == 0:
        _refuse(con, record, IngestError("ingest.empty_file", file=file.name), clock)
    record.file_hash = files.sha256_file(file)
    previous = find_committed(
        con, file_hash=record.file_hash, mapping_hash=record.mapping_hash or "", source=source_name
    )
    if previous is not None and not force:
        return LoadResult("unchanged", None, previous_load_id=previous)
    duckdb_limit = duckdb_memory_limit(target.ingest_memory_limit)
    record.load_id = next_load_id(con)
    name = f"zt_l{record.load_id}"
    quarantine_tmp = target.quarantine_dir / (quarantine_file_name(record.load_id) + ".tmp")
    target.quarantine_dir.mkdir(exist_ok=True)
    _remove_stale_files(target.tmp_dir)
    _ACTIVE.add(name)
    target.warehouse.set_memory_limit(duckdb_limit)
    try:
        return _load(
            target,
            file,
            mapping,
            record,
            name,
            quarantine_tmp,
            report,
            started,
            clock,
            max_reject_rate if max_reject_rate is not None else target.max_reject_rate,
        )
    except ZhongtaiError as exc:
        if record.status != "committed":
            _refuse(con, record, exc, clock, raise_it=False)
        quarantine_tmp.unlink(missing_ok=True)
        raise
    except duckdb.Error as exc:
        failure = (
            EngineError("ingest.out_of_memory", file=file.name, limit=target.ingest_memory_limit)
            if isinstance(exc, duckdb.OutOfMemoryException)
            else EngineError("ingest.engine_failure", file=file.name, detail=type(exc).__name__)
        )
        _refuse(con, record, failure, clock, raise_it=False, status="failed")
        quarantine_tmp.unlink(missing_ok=True)
        raise failure from exc
    finally:
        _ACTIVE.discard(name)
        _drop_temporaries(con, name)
        for leftover in target.tmp_dir.glob(f"{name}.*"):
            leftover.unlink(missing_ok=True)
        with contextlib.suppress(duckdb.Error):
            con.execute("RESET memory_limit").fetchall()


def _load(
    target: IngestTarget,
    file: Path,
    mapping: Mapping,
    record: LoadRecord,
    name: str,
    quarantine_tmp: Path,
    report: Progress,
    started: datetime,
    clock: float,
    max_reject_rate: float,
) -> LoadResult:
    con = target.warehouse.con
    report.phase("read", None)
    staged = stage_file(con, file, mapping, name=name, tmp_dir=target.tmp_dir, progress=report.advance)
    record.file_format, record.encoding = staged.format, staged.encoding
    record.rows_read = staged.rows + staged.reader_rejects
    if record.rows_read == 0:
        raise IngestError("ingest.no_data_rows", file=file.name, row=staged.header_row)
    plan = resolve_plan(mapping, staged, file.name)
    record.ignored_columns = plan.ignored_columns
    report.phase("validate", record.rows_read)
    validation = build_parsed(
        con,
        plan,
        name=name,
        source=record.source or "",
        timezone=target.timezone,
        currency=mapping.currency or target.currency,
        now=started,
    )
    record.rows_read -= validation.blank_rows
    if record.rows_read == 0:
        raise IngestError("ingest.no_data_rows", file=file.name, row=staged.header_row)
    collect_errors(con, plan, validation)
    report.advance(record.rows_read)
    top = _top_rules(con, validation.errors, staged.rejects_table)
    rejected = _count_rejected(con, validation.errors, staged.rejects_table) if top else 0
    record.rows_quarantined = rejected
    if rejected:
        write_quarantine(
            con,
            errors=validation.errors,
            staged=name,
            rejects=staged.rejects_table,
            headers=staged.headers,
            load_id=record.load_id,
            file_name=file.name,
            target=quarantine_tmp,
        )
        record.quarantine_file = quarantine_file_name(record.load_id)
    if record.rows_read and rejected / record.rows_read > max_reject_rate:
        finalise(quarantine_tmp)
        refusal = IngestError(
            "ingest.too_many_rejects",
            file=file.name,
            rejected=rejected,
            rows=record.rows_read,
            rate=f"{rejected / record.rows_read:.1%}",
            limit=f"{max_reject_rate:.0%}",
            rules=", ".join(f"{r} ({n})" for r, n in top[:3]),
        )
        raise refusal
    record.rows_loaded = record.rows_read - rejected
    currency = mapping.currency or target.currency
    if all(target.warehouse.row_count(t.name) == 0 for t in plan.tables):
        _write_into_empty(target, plan, validation, record, currency, report, clock)
    else:
        _write_with_upsert(target, plan, validation, record, currency, report, clock)
    quarantine_path = finalise(quarantine_tmp) if rejected else None
    return LoadResult("committed", record, top_rules=top, quarantine_path=quarantine_path)


def _write_into_empty(
    target: IngestTarget,
    plan: LoadPlan,
    validation: Validation,
    record: LoadRecord,
    currency: str,
    report: Progress,
    clock: float,
) -> None:
    """First load of these tables: every accepted row is new, so insert straight from the parsed rows."""
    con = target.warehouse.con
    report.phase("write", record.rows_loaded)
    with target.warehouse.transaction():
        for table_plan in plan.tables:
            inserted = insert_shaped(con, table_plan, validation, load_id=record.load_id, currency=currency)
            record.table_counts[table_plan.name] = TableCounts(received=inserted, inserted=inserted)
            report.advance(inserted)
        _commit_record(con, record, clock)


def _write_with_upsert(
    target: IngestTarget,
    plan: LoadPlan,
    validation: Validation,
    record: LoadRecord,
    currency: str,
    report: Progress,
    clock: float,
) -> None:
    """Tables already hold rows: shape, then insert new keys, replace changed rows, drop orphans."""
    con = target.warehouse.con
    counts = shape_tables(con, plan, validation, load_id=record.load_id, currency=currency)
    record.table_counts = {t: TableCounts(received=n) for t, n in counts.items()}
    report.phase("write", sum(counts.values()))
    with target.warehouse.transaction():
        for table_plan in plan.tables:
            upsert_table(
                con, table_plan.table, new_table_name(validation, table_plan.name), record.table_counts[table_plan.name]
            )
            report.advance(counts[table_plan.name])
        for table_plan in plan.tables:
            for ref in table_plan.table.references:
                if ref.replace_children and ref.table in counts:
                    delete_orphaned_children(
                        con,
                        TABLES[table_plan.name],
                        ref,
                        new_table_name(validation, ref.table),
                        new_table_name(validation, table_plan.name),
                        record.table_counts[table_plan.name],
                    )
        _commit_record(con, record, clock)


def _commit_record(con: duckdb.DuckDBPyConnection, record: LoadRecord, clock: float) -> None:
    record.status = "committed"
    _close_record(record, clock)
    insert_load(con, record)


def _top_rules(con: duckdb.DuckDBPyConnection, errors: str, rejects: str) -> list[tuple[str, int]]:
    rows = run(
        con,
        fragment(
            "SELECT rule, COUNT(DISTINCT _row) AS n FROM (SELECT _row, rule FROM :e UNION ALL "
            "SELECT _row, rule FROM :r) GROUP BY rule ORDER BY n DESC, rule LIMIT 10",
            e=tbl(errors),
            r=tbl(rejects),
        ),
    )
    return [(str(r), int(n)) for r, n in rows]


def _count_rejected(con: duckdb.DuckDBPyConnection, errors: str, rejects: str) -> int:
    rejected = scalar(
        con,
        fragment(
            "SELECT COUNT(DISTINCT _row) FROM (SELECT _row FROM :e UNION ALL SELECT _row FROM :r)",
            e=tbl(errors),
            r=tbl(rejects),
        ),
    )
    return int(rejected or 0)


def _close_record(record: LoadRecord, clock: float) -> None:
    record.finished_at = datetime.now(UTC).replace(tzinfo=None)
    record.duration_s = round(time.perf_counter() - clock, 3)


def _refuse(
    con: duckdb.DuckDBPyConnection,
    record: LoadRecord,
    error: ZhongtaiError,
    clock: float,
    *,
    raise_it: bool = True,
    status: str = "refused",
) -> None:
    """Record a load that wrote nothing, then (by default) raise its error."""
    if record.load_id == 0:
        record.load_id = next_load_id(con)
    record.status = status
    record.error_code = error.code
    record.error_params = dict(error.params)
    record.rows_loaded = 0
    record.table_counts = {}
    _close_record(record, clock)
    insert_load(con, record)
    if raise_it:
        raise error


def duckdb_memory_limit(setting: str) -> str:
    """DuckDB's ``memory_limit`` for a load whose process may use ``setting`` in all.

    ``setting`` is a size as DuckDB writes it (``1GB`` = 10⁹ bytes, ``1GiB`` = 2³⁰ bytes, ``512MB``)
    or a share of the machine's memory (``25%``). DuckDB gets :data:`DUCKDB_SHARE` of what the
    process does not already hold, and never less than 128 MiB.
    """
    text = setting.strip()
    total: float
    if text.endswith("%"):
        try:
            share = float(text[:-1])
        except ValueError:
            raise ConfigError("ingest.bad_memory_limit", value=setting) from None
        total = psutil.virtual_memory().total * share / 100
    else:
        match = _SIZE.fullmatch(text)
        if match is None:
            raise ConfigError("ingest.bad_memory_limit", value=setting)
        unit = (match.group(2) or "").lower()
        base = 1024 if unit[1:2] == "i" else 1000
        power = {"": 0, "b": 0, "k": 1, "m": 2, "g": 3, "t": 4}[unit[:1]]
        total = float(match.group(1)) * base**power
    if total <= 0:
        raise ConfigError("ingest.bad_memory_limit", value=setting)
    free = total - psutil.Process().memory_info().rss
    return f"{max(int(free * DUCKDB_SHARE), MIN_DUCKDB_MEMORY) // MIB}MiB"


def _remove_stale_files(folder: Path) -> None:
    """Delete what loads killed mid-way left in the tmp folder: transcoded copies (never a running
    load's) and DuckDB's spill files of processes that no longer exist (GBs after a large load)."""
    for leftover in folder.glob("zt_l*.*"):
        if leftover.name.split(".", 1)[0] not in _ACTIVE:
            leftover.unlink(missing_ok=True)
    for spill in folder.glob("duckdb_temp_*"):
        match = _DUCKDB_TEMP.match(spill.name)
        if match and int(match.group(1)) != os.getpid() and not psutil.pid_exists(int(match.group(1))):
            spill.unlink(missing_ok=True)


def _drop_temporaries(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    views = run(
        con,
        fragment("SELECT view_name FROM duckdb_views() WHERE temporary AND STARTS_WITH(view_name, :p)", p=lit(prefix)),
    )
    for (view_name,) in views:
        run(con, fragment("DROP VIEW IF EXISTS :t", t=tbl(str(view_name))))
    rows = run(
        con,
        fragment(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND STARTS_WITH(table_name, :p)", p=lit(prefix)
        ),
    )
    for (table_name,) in rows:
        run(con, fragment("DROP TABLE IF EXISTS :t", t=tbl(str(table_name))))
