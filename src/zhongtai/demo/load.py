"""Loading the staged files: canonical tables through the validated ingest path, truth tables
into the ``_truth`` schema."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow.parquet as pq

from zhongtai.progress import Progress
from zhongtai.warehouse._sql import fragment, ident, lit, tbl
from zhongtai.warehouse.ingest import LoadResult, Mapping, ingest_file
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict
from zhongtai.warehouse.model import tables_in_load_order
from zhongtai.workspace import Workspace

__all__ = ["TRUTH_SCHEMA", "demo_mapping", "load_canonical", "load_truth"]

TRUTH_SCHEMA = "_truth"


def demo_mapping(table: str, columns: list[str]) -> Mapping:
    """A mapping whose ``from`` names equal the canonical column names (times are UTC).

    ``currency`` is the one exception: it is given as a constant, because the engine's code parser
    lower-cases cells before comparing them with the model's upper-case ISO codes, so a
    file-mapped ``CNY`` would be rejected (reported to the ingest owners).
    """
    spec = {c: ({"const": "CNY"} if c == "currency" else {"from": c}) for c in columns}
    return mapping_from_dict(
        {
            "name": f"demo.{table}",
            "description": f"zhongtai demo shop: {table}",
            "format": "parquet",
            "timezone": "UTC",
            "currency": "CNY",
            "source": "demo",
            "tables": {table: {"columns": spec}},
        }
    )


class _Quiet:
    """Swallows the inner phases of one file's load (the caller reports per table)."""

    def phase(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None


def load_canonical(
    ws: Workspace, files: dict[str, Path], progress: Progress, job_run_id: int | None = None
) -> tuple[dict[str, LoadResult], dict[str, float]]:
    names = tables_in_load_order([n for n in files if not n.startswith("_truth.")])
    progress.phase("load", len(names))
    results: dict[str, LoadResult] = {}
    seconds: dict[str, float] = {}
    for name in names:
        path = files[name]
        columns = pq.read_schema(path).names
        started = time.perf_counter()
        results[name] = ingest_file(
            ws,
            path,
            mapping=demo_mapping(name, columns),
            source="demo",
            adapter="demo",
            progress=_Quiet(),
            job_run_id=job_run_id,
        )
        seconds[name] = time.perf_counter() - started
        progress.advance(1)
    return results, seconds


def load_truth(ws: Workspace, files: dict[str, Path]) -> dict[str, int]:
    """Replace ``_truth`` with the staged truth tables; returns their row counts."""
    wh = ws.warehouse
    wh.execute(fragment("DROP SCHEMA IF EXISTS :s CASCADE", s=ident(TRUTH_SCHEMA)))
    wh.execute(fragment("CREATE SCHEMA :s", s=ident(TRUTH_SCHEMA)))
    counts: dict[str, int] = {}
    for name, path in sorted(files.items()):
        if not name.startswith("_truth."):
            continue
        table = name.removeprefix("_truth.")
        wh.execute(
            fragment("CREATE TABLE :t AS SELECT * FROM read_parquet(:p)", t=tbl(table, TRUTH_SCHEMA), p=lit(str(path)))
        )
        counts[table] = wh.row_count(table, TRUTH_SCHEMA)
    _experiment_summary(ws)
    counts["experiments"] = wh.row_count("experiments", TRUTH_SCHEMA)
    return counts


def _experiment_summary(ws: Workspace) -> None:
    """``_truth.experiments``: each planted experiment's true effect over the units it exposed."""
    ws.warehouse.execute(
        fragment(
            "CREATE TABLE :out AS SELECT d.experiment_key, d.name, d.source, d.starts_at, d.ends_at, d.split, "
            "d.outcome_days, d.outcome, d.true_relative_lift, d.srm_drop, "
            "COUNT(u.person_id) FILTER (WHERE u.variant = 'control') AS units_control, "
            "COUNT(u.person_id) FILTER (WHERE u.variant = 'treatment') AS units_treatment, "
            "COUNT(u.person_id) FILTER (WHERE u.variant = 'control' AND u.logged) AS logged_control, "
            "COUNT(u.person_id) FILTER (WHERE u.variant = 'treatment' AND u.logged) AS logged_treatment, "
            "AVG(u.p_base) AS expected_control_rate, "
            "AVG(u.p_base) * (1 + ANY_VALUE(d.true_relative_lift)) AS expected_treatment_rate, "
            "AVG(u.p_base) * ANY_VALUE(d.true_relative_lift) AS true_absolute_lift "
            "FROM :design AS d LEFT JOIN :units AS u USING (experiment_key) "
            "GROUP BY ALL ORDER BY d.starts_at",
            out=tbl("experiments", TRUTH_SCHEMA),
            design=tbl("experiment_design", TRUTH_SCHEMA),
            units=tbl("experiment_units", TRUTH_SCHEMA),
        )
    )
