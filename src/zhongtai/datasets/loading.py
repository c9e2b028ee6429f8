"""Reading a data set as published and loading it into a workspace.

:func:`load_dataset` does two things with the same files:

1. the canonical load: each file the data set's mapping reads goes through
   :func:`~zhongtai.warehouse.ingest.ingest_file`, the validated path every real export takes,
   so bad rows are quarantined, each file lands whole or not at all and has its load record, and
   loading the same file again is a no-op. Files that need reshaping first are written to a
   temporary CSV in the workspace's ``tmp/`` folder (deterministically, so the no-op holds);
2. the raw tables ``datasets.<name>[_<part>]``, replaced whole when their file changed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from zhongtai.datasets._folder import locate
from zhongtai.datasets._raw import fingerprint, raw_comment, write_raw
from zhongtai.datasets._spec import RAW_SCHEMA, DatasetSpec, Inputs, read_part
from zhongtai.datasets.catalogue import get_spec
from zhongtai.progress import NullProgress, Progress
from zhongtai.warehouse.ingest import LoadResult, ingest_file

if TYPE_CHECKING:
    from zhongtai.workspace import Workspace

__all__ = ["DatasetLoad", "load_dataset", "read_dataset"]

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class DatasetLoad:
    """The outcome of :func:`load_dataset`.

    ``status`` is ``committed`` when anything was written (a canonical load or a raw table) and
    ``unchanged`` when the same files were already loaded. ``load_ids`` are the loads holding the
    canonical rows: new ones when committed, the earlier ones when a file was unchanged. ``rows``
    counts source rows that landed: rows accepted by committed canonical loads, or, for data sets
    with no canonical mapping, rows written to their raw tables. ``raw_rows`` lists the raw tables
    (re)written by this call with their row counts.
    """

    name: str
    status: Literal["committed", "unchanged"]
    load_ids: list[int]
    rows: int
    changed_tables: list[str]
    rows_quarantined: int = 0
    raw_rows: dict[str, int] = field(default_factory=dict)
    loads: list[dict[str, Any]] = field(default_factory=list)
    sample: bool = False
    folder: str | None = None

    @property
    def load_id(self) -> int | None:
        """The last load id, if the data set has a canonical load."""
        return self.load_ids[-1] if self.load_ids else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "rows": self.rows,
            "changed_tables": list(self.changed_tables),
            "load_id": self.load_id,
            "load_ids": list(self.load_ids),
            "rows_quarantined": self.rows_quarantined,
            "raw_rows": dict(self.raw_rows),
            "loads": [dict(d) for d in self.loads],
            "sample": self.sample,
            "folder": self.folder,
        }


def read_dataset(name: str, path: PathLike | None = None) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """The data set as published, typed: one frame, or a frame per file (by part name) for data
    sets of several files. Without a folder (``path``, else ``$ZHONGTAI_DATA``) only Online Retail
    can be read: its bundled sample."""
    spec = get_spec(name)
    with locate(spec, path) as located:
        frames = {p.name: read_part(spec, p, located.files[p.name]) for p in spec.parts}
    if len(spec.parts) == 1:
        return frames[spec.parts[0].name]
    return frames


def load_dataset(
    ws: Workspace,
    name: str,
    *,
    path: PathLike | None = None,
    force: bool = False,
    progress: Progress | None = None,
    job_run_id: int | None = None,
) -> DatasetLoad:
    """Load data set ``name`` into ``ws``: canonical tables through the ingest engine, and its raw
    tables (see the module docstring). ``force`` reloads files already loaded."""
    spec = get_spec(name)
    report = progress or NullProgress()
    with locate(spec, path) as located:
        inputs = Inputs(spec, located.files)
        results = _load_canonical(ws, spec, inputs, force=force, progress=report, job_run_id=job_run_id)
        raw_rows = _write_raw_tables(ws, spec, inputs, force=force, progress=report)
    committed = [r.record for _, r in results if r.status == "committed" and r.record is not None]
    changed = sorted(
        {t for record in committed for t, c in record.table_counts.items() if c.inserted or c.updated or c.deleted}
    )
    rows = sum(r.rows_loaded for r in committed) if spec.canonical is not None else sum(raw_rows.values())
    return DatasetLoad(
        name=spec.name,
        status="committed" if committed or raw_rows else "unchanged",
        load_ids=[r.load_id for _, r in results if r.load_id is not None],
        rows=rows,
        changed_tables=changed,
        rows_quarantined=sum(r.rows_quarantined for r in committed),
        raw_rows=raw_rows,
        loads=[_summary(label, result) for label, result in results],
        sample=located.sample,
        folder=str(located.folder) if located.folder is not None else None,
    )


def _load_canonical(
    ws: Workspace, spec: DatasetSpec, inputs: Inputs, *, force: bool, progress: Progress, job_run_id: int | None
) -> list[tuple[str, LoadResult]]:
    if spec.canonical is None:
        return []
    progress.phase("prepare", None)
    items = spec.canonical(inputs)
    results: list[tuple[str, LoadResult]] = []
    with tempfile.TemporaryDirectory(prefix="datasets-", dir=ws.tmp_dir) as tmp:
        for item in items:
            if item.path is not None:
                file = item.path
            else:
                assert item.frame is not None, "a canonical input needs a path or a frame"
                file = _write_csv(item.frame, Path(tmp) / item.file_name)
            result = ingest_file(
                ws,
                file,
                mapping=item.mapping,
                source=item.mapping.source,
                force=force,
                progress=progress,
                job_run_id=job_run_id,
            )
            results.append((item.label, result))
    return results


def _write_csv(frame: pd.DataFrame, target: Path) -> Path:
    """A UTF-8 CSV with a header and ``\\n`` line ends; the same frame always gives the same bytes."""
    frame.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return target


def _write_raw_tables(
    ws: Workspace, spec: DatasetSpec, inputs: Inputs, *, force: bool, progress: Progress
) -> dict[str, int]:
    written: dict[str, int] = {}
    for part in spec.parts:
        table = spec.raw_table(part)
        comment = fingerprint(inputs.path(part.name))
        if not force and raw_comment(ws.warehouse, table) == comment:
            continue
        frame = inputs.frame(part.name)
        progress.phase("raw", len(frame))
        written[f"{RAW_SCHEMA}.{table}"] = write_raw(
            ws.warehouse, table, frame, comment=comment, date_columns=part.date_columns
        )
        progress.advance(len(frame))
    return written


def _summary(label: str, result: LoadResult) -> dict[str, Any]:
    record = result.record
    return {
        "input": label,
        "status": result.status,
        "load_id": result.load_id,
        "file": record.file_name if record else None,
        "rows_read": record.rows_read if record else 0,
        "rows_loaded": record.rows_loaded if record else 0,
        "rows_quarantined": record.rows_quarantined if record else 0,
        "quarantine_path": str(result.quarantine_path) if result.quarantine_path else None,
    }
