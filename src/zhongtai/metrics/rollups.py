"""Rollup tables for serving: pre-aggregated additive measures by dimensions per day (or month).

Declared in the dictionary (``rollups:``), refreshed after each load by the post-load hook
:func:`refresh_after_load` (entry point ``zhongtai.post_load``), stored as
``zt_metrics.rollup_<name>`` with a row in ``zt_metrics.rollup_state`` recording the definition's
fingerprint, the shop time zone, when it was refreshed and the last load it saw.

A query is answered from rollups only when they cover it exactly (:func:`covering_sources`): every
metric reduces to additive measures (sum/count; ratios and derived metrics of them re-aggregate
exactly), a rollup of each model holds those measures and every grouped or filtered dimension, its
grain nests in the query's, the range is aligned to it, its definition and time zone are current
and no load since its refresh touched its tables. Otherwise the raw tables answer, so both paths
always give the same numbers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlglot import exp

from zhongtai.metrics._sources import ROLLUP_SCHEMA, RollupSource
from zhongtai.metrics.compiler import compile_rollup, truncate
from zhongtai.metrics.dictionary import Dictionary, Rollup, load_dictionary
from zhongtai.metrics.query import Grain, MetricQuery, rolls_up_to
from zhongtai.warehouse._sql import fragment, ident, lit, render, tbl
from zhongtai.warehouse.meta import LOADS, META_SCHEMA

__all__ = [
    "LoadLedger",
    "RollupRefresh",
    "covering_sources",
    "read_ledger",
    "refresh_after_load",
    "refresh_rollups",
    "rollup_table",
]

STATE = "rollup_state"


def rollup_table(name: str) -> str:
    return "rollup_" + name


@dataclass(frozen=True, slots=True)
class RollupRefresh:
    """One refreshed rollup: rows written, seconds taken, the last load it includes."""

    name: str
    rows: int
    seconds: float
    last_load_id: int


@dataclass(frozen=True, slots=True)
class LoadLedger:
    """Committed loads: the last load id, and per table its last load id and finish time (UTC)."""

    last_load_id: int
    table_load: dict[str, int]
    table_time: dict[str, datetime]


@cache
def _ledger_sql() -> str:
    """The ledger query, built and rendered once (it runs on every served metric query)."""
    node = fragment(
        "SELECT load_id, table_counts, finished_at FROM :l WHERE status = 'committed' ORDER BY load_id",
        l=tbl(LOADS.name, META_SCHEMA),
    )
    return render(node)


def read_ledger(warehouse: Any) -> LoadLedger:
    """Which committed load last touched each table (from ``zt_meta.loads``, a small table)."""
    rows = warehouse.con.execute(_ledger_sql()).fetchall()
    last = 0
    table_load: dict[str, int] = {}
    table_time: dict[str, datetime] = {}
    for load_id, counts, finished in rows:
        last = max(last, int(load_id))
        try:
            tables = json.loads(counts) if isinstance(counts, str) else (counts or {})
        except ValueError:
            tables = {}
        for table in tables:
            table_load[table] = int(load_id)
            if finished is not None:
                table_time[table] = finished
    return LoadLedger(last, table_load, table_time)


def _fingerprint(dictionary: Dictionary, rollup: Rollup, timezone: str) -> str:
    model = dictionary.semantic_models[rollup.model]
    parts = {
        "rollup": [rollup.model, rollup.grain, list(rollup.dimensions), list(rollup.measures)],
        "model": [model.table, model.time_column, model.time_type, list(model.joins), list(model.computed)],
        "dimensions": {d: model.dimensions[d] for d in rollup.dimensions},
        "measures": {m: repr(dictionary.measures[m]) for m in rollup.measures},
        "timezone": timezone,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _ensure_state(warehouse: Any) -> None:
    warehouse.execute(exp.Create(this=exp.Table(this=ident(ROLLUP_SCHEMA)), kind="SCHEMA", exists=True))
    warehouse.execute(
        fragment(
            "CREATE TABLE IF NOT EXISTS :t (name VARCHAR PRIMARY KEY, fingerprint VARCHAR, timezone VARCHAR, "
            "refreshed_at TIMESTAMP, last_load_id BIGINT, row_count BIGINT)",
            t=tbl(STATE, ROLLUP_SCHEMA),
        )
    )


def _state(warehouse: Any) -> dict[str, tuple[str, str, datetime, int]]:
    if not warehouse.table_exists(STATE, ROLLUP_SCHEMA):
        return {}
    rows = warehouse.fetchall(
        fragment("SELECT name, fingerprint, timezone, refreshed_at, last_load_id FROM :t", t=tbl(STATE, ROLLUP_SCHEMA))
    )
    return {str(r[0]): (str(r[1]), str(r[2]), r[3], int(r[4])) for r in rows}


def refresh_rollups(
    workspace: Any, *, dictionary: Dictionary | None = None, names: list[str] | None = None
) -> list[RollupRefresh]:
    """Rebuild the dictionary's rollup tables (all, or ``names``) from the raw tables, atomically each."""
    import time

    d = dictionary or load_dictionary(workspace)
    warehouse = workspace.warehouse
    timezone = workspace.timezone
    _ensure_state(warehouse)
    done: list[RollupRefresh] = []
    for name in names or sorted(d.rollups):
        rollup = d.rollups[name]
        began = time.perf_counter()
        ledger = read_ledger(warehouse)
        select = compile_rollup(d, rollup, timezone=timezone)
        target = tbl(rollup_table(name), ROLLUP_SCHEMA)
        with warehouse.transaction():
            warehouse.execute(exp.Create(this=target, kind="TABLE", replace=True, expression=select))
            rows = int(warehouse.fetchall(fragment("SELECT COUNT(*) FROM :t", t=target.copy()))[0][0])
            warehouse.execute(fragment("DELETE FROM :t WHERE name = :n", t=tbl(STATE, ROLLUP_SCHEMA), n=lit(name)))
            values = exp.Values(
                expressions=[
                    exp.Tuple(
                        expressions=[
                            lit(name),
                            lit(_fingerprint(d, rollup, timezone)),
                            lit(timezone),
                            lit(datetime.now(UTC).replace(tzinfo=None)),
                            lit(ledger.last_load_id),
                            lit(rows),
                        ]
                    )
                ]
            )
            warehouse.execute(exp.insert(values, tbl(STATE, ROLLUP_SCHEMA)))
        done.append(RollupRefresh(name, rows, round(time.perf_counter() - began, 3), ledger.last_load_id))
    return done


def covering_sources(
    workspace: Any, dictionary: Dictionary, query: MetricQuery, ledger: LoadLedger
) -> tuple[dict[str, RollupSource], dict[str, datetime]] | None:
    """Rollup sources answering ``query`` exactly (model -> source, and rollup -> refreshed_at), or None."""
    if not dictionary.rollups:
        return None
    needed: dict[str, set[str]] = {}
    stack = list(query.metrics)
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        metric = dictionary.metrics[name]
        if metric.kind in ("cumulative", "conversion"):
            return None
        if metric.kind == "simple":
            measure = dictionary.measures[metric.spec.measure or ""]
            if not measure.additive:
                return None
            needed.setdefault(measure.model, set()).add(measure.name)
        stack.extend(metric.inputs)
    dims = set(query.dimensions) | {f.dimension for f in query.filters}
    state = _state(workspace.warehouse)
    chosen: dict[str, RollupSource] = {}
    refreshed: dict[str, datetime] = {}
    for model, measures in needed.items():
        candidates = [
            r
            for r in dictionary.rollups.values()
            if r.model == model
            and measures <= set(r.measures)
            and dims <= set(r.dimensions)
            and _grain_fits(Grain(r.grain), query)
            and _is_current(dictionary, r, state, ledger, workspace.timezone)
        ]
        if not candidates:
            return None
        best = min(candidates, key=lambda r: (len(r.dimensions), r.grain != "month", r.name))
        chosen[model] = RollupSource(
            dictionary.semantic_models[model],
            workspace.timezone,
            table=rollup_table(best.name),
            grain=Grain(best.grain),
        )
        refreshed[best.name] = state[best.name][2]
    return chosen, refreshed


def _grain_fits(grain: Grain, query: MetricQuery) -> bool:
    if query.grain is not None and not rolls_up_to(grain, query.grain):
        return False
    for day in (query.start, query.end):
        if day is not None and truncate(day, grain) != day:
            return False
    # shifted ranges (e.g. 30-day periods) need not align to months
    return query.compare is None or grain == Grain.DAY


def _is_current(
    dictionary: Dictionary,
    rollup: Rollup,
    state: dict[str, tuple[str, str, datetime, int]],
    ledger: LoadLedger,
    tz: str,
) -> bool:
    found = state.get(rollup.name)
    if found is None:
        return False
    fingerprint, timezone, _, last_load = found
    if fingerprint != _fingerprint(dictionary, rollup, tz) or timezone != tz:
        return False
    tables = dictionary.semantic_models[rollup.model].tables
    return all(ledger.table_load.get(t, 0) <= last_load for t in tables)


def refresh_after_load(context: Any) -> dict[str, Any]:
    """Post-load hook: refresh the rollups whose model reads a table the load changed."""
    d = load_dictionary(context.workspace)
    changed = set(context.changed_tables)
    names = [r.name for r in d.rollups.values() if changed & set(d.semantic_models[r.model].tables)]
    if not names:
        return {"refreshed": []}
    done = refresh_rollups(context.workspace, dictionary=d, names=names)
    return {"refreshed": [r.name for r in done], "rows": sum(r.rows for r in done)}


def _rollup_tables() -> tuple[str, ...]:
    try:
        d = load_dictionary(None)
    except Exception:  # a broken catalogue must not stop the hook registry from loading
        return ()
    return tuple(sorted({t for r in d.rollups.values() for t in d.semantic_models[r.model].tables}))


refresh_after_load.tables = _rollup_tables()  # type: ignore[attr-defined]
