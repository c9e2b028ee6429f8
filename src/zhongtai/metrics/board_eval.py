"""Evaluate a board on the workspace: :func:`evaluate_board` -> :class:`BoardResult`.

The board is checked against the dictionary, planned into as few metric queries as possible
(:func:`zhongtai.metrics.boards.plan_board`), each query goes through :func:`query_metrics` (so
the caller's data scope, rollups and freshness apply exactly as in the metric explorer), and the
answers are cut back into one result per tile. Every tile says which queries answered it, whether
rollups did, and the SQL that ran.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlglot import exp

from zhongtai.metrics.board_plan import PlannedQuery, plan_board
from zhongtai.metrics.boards import Board, Tile, Visual, check_board, check_filters
from zhongtai.metrics.dictionary import Dictionary, load_dictionary
from zhongtai.metrics.query import Filter, Grain
from zhongtai.metrics.rollups import read_ledger
from zhongtai.metrics.serve import MetricResult, query_metrics
from zhongtai.warehouse._sql import col, render, tbl

if TYPE_CHECKING:
    from zhongtai.policy import Principal

__all__ = ["BoardResult", "KpiValue", "QueryRun", "TileResult", "evaluate_board", "latest_data_day"]


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class QueryRun:
    """One metric query the board ran: what it asked, where it was answered, the SQL, the tiles it fed."""

    role: str
    metrics: tuple[str, ...]
    dimensions: tuple[str, ...]
    grain: str | None
    compare: str | None
    filters: tuple[Filter, ...]
    tiles: tuple[int, ...]
    source: str  # rollup | raw
    rollups: tuple[str, ...]
    sql: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "metrics": list(self.metrics),
            "dimensions": list(self.dimensions),
            "grain": self.grain,
            "compare": self.compare,
            "filters": [{"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in self.filters],
            "tiles": list(self.tiles),
            "source": self.source,
            "rollups": list(self.rollups),
            "sql": self.sql,
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True)
class KpiValue:
    """A kpi tile's numbers: the period's value, the previous period's, the relative change
    (0.12 = +12 %; ``None`` when the previous value is 0 or missing) and the sparkline points
    (periods without a value are left out: the chart shows a gap).
    Money is :class:`~decimal.Decimal` in the shop's currency, counts int, rates fractions."""

    metric: str
    value: Any
    previous: Any
    change: float | None
    compare: str
    sparkline_grain: str
    sparkline: tuple[tuple[date, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": _json(self.value),
            "previous": _json(self.previous),
            "change": self.change,
            "compare": self.compare,
            "sparkline": {
                "grain": self.sparkline_grain,
                "points": [{"period": p.isoformat(), "value": _json(v)} for p, v in self.sparkline],
            },
        }


@dataclass(frozen=True, slots=True)
class TileResult:
    """One tile's answer. Chart tiles fill ``columns``/``rows`` (the tile's own columns only);
    kpi tiles fill ``kpi``. ``source`` is ``rollup`` or ``raw`` when all its queries agree, else
    ``mixed``; ``filters_ignored`` lists board filters the tile's metrics cannot take."""

    index: int
    tile: Tile
    title: dict[str, str]
    metrics: tuple[dict[str, Any], ...]
    source: str
    queries: tuple[int, ...]
    sql: tuple[str, ...]
    filters: tuple[Filter, ...]
    filters_ignored: tuple[Filter, ...]
    columns: tuple[str, ...] = ()
    rows: tuple[dict[str, Any], ...] = ()
    kpi: KpiValue | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "title": self.title,
            "visual": self.tile.visual.value,
            "position": self.tile.position.to_dict(),
            "query": self.tile.query.to_dict(),
            "metrics": list(self.metrics),
            "source": self.source,
            "queries": list(self.queries),
            "sql": list(self.sql),
            "filters": [{"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in self.filters],
            "filters_ignored": [
                {"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in self.filters_ignored
            ],
            "columns": list(self.columns),
            "rows": [{k: _json(v) for k, v in r.items()} for r in self.rows],
            "kpi": self.kpi.to_dict() if self.kpi else None,
        }


@dataclass(frozen=True, slots=True)
class BoardResult:
    """A board evaluated for ``[since, until)`` (shop-local dates, ``until`` exclusive)."""

    board: Board
    since: date
    until: date
    filters: tuple[Filter, ...]
    tiles: tuple[TileResult, ...]
    queries: tuple[QueryRun, ...]
    timezone: str
    freshness: datetime | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "board": self.board.name,
            "title": self.board.title,
            "description": self.board.description,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "filters": [{"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in self.filters],
            "timezone": self.timezone,
            "freshness": self.freshness.isoformat() if self.freshness else None,
            "params": self.params,
            "query_count": len(self.queries),
            "queries": [q.to_dict() for q in self.queries],
            "tiles": [t.to_dict() for t in self.tiles],
        }


@cache
def _newest_order_sql() -> str:
    """``MAX(order_time)`` over orders, built and rendered once (it runs on every overview)."""
    return render(exp.select(exp.Max(this=col("order_time"))).from_(tbl("orders")))


def latest_data_day(workspace: Any) -> date | None:
    """The shop-local date of the newest order (``None`` without orders): the default "as of" day,
    so a shop whose data stops before today still shows its last complete period."""
    rows = workspace.warehouse.con.cursor().execute(_newest_order_sql()).fetchall()
    newest = rows[0][0] if rows else None
    if newest is None:
        return None
    if isinstance(newest, datetime):
        aware = newest if newest.tzinfo else newest.replace(tzinfo=UTC)
        return aware.astimezone(ZoneInfo(workspace.timezone)).date()
    return newest if isinstance(newest, date) else None


def evaluate_board(
    workspace: Any,
    board: Board,
    *,
    since: date,
    until: date,
    filters: tuple[Filter, ...] | None = None,
    principal: Principal | None = None,
    dictionary: Dictionary | None = None,
    use_rollups: bool = True,
) -> BoardResult:
    """Run every tile of ``board`` for ``[since, until)``; ``filters`` replace the board's defaults.

    Raises :class:`~zhongtai.metrics.boards.InvalidBoard` (naming tile and field) when a tile does
    not fit the dictionary, :class:`PermissionDenied` without ``metrics:read``.
    """
    from zhongtai.errors import InputError
    from zhongtai.policy import Action, Capability

    if principal is not None:
        principal.require(Capability.METRICS, Action.READ)
    if since >= until:
        raise InputError("metrics.empty_range", start=str(since), end=str(until))
    d = dictionary or load_dictionary(workspace)
    check_board(board, d)
    if filters is not None:
        check_filters(filters, "where", d)
    cache = getattr(workspace, "metric_cache", None)
    key = _cache_key(workspace, board, d, since, until, filters, principal, use_rollups) if cache is not None else None
    if cache is not None:
        hit: BoardResult | None = cache.get(key)
        if hit is not None:
            return hit
    planned, plans = plan_board(board, d, since=since, until=until, filters=filters)
    results = [
        query_metrics(workspace, p.query, principal=principal, use_rollups=use_rollups, dictionary=d) for p in planned
    ]
    runs = tuple(_run(p, r) for p, r in zip(planned, results, strict=True))
    tiles = []
    for i, (tile, plan) in enumerate(zip(board.tiles, plans, strict=True)):
        answered = [results[q] for q in plan.queries]
        sources = {r.source for r in answered}
        meta = tuple(_metric_meta(d, m) for m in tile.query.metrics)
        title = tile.title or dict(meta[0]["label"])
        common: dict[str, Any] = {
            "index": i, "tile": tile, "title": title, "metrics": meta,
            "source": sources.pop() if len(sources) == 1 else "mixed", "queries": plan.queries,
            "sql": tuple(r.sql for r in answered), "filters": plan.filters, "filters_ignored": plan.ignored,
        }  # fmt: skip
        if tile.visual is Visual.KPI:
            assert plan.sparkline is not None
            tiles.append(TileResult(**common, kpi=_kpi(tile, answered[0], answered[1], plan.sparkline)))
        else:
            columns, rows = _cut(tile, answered[0])
            tiles.append(TileResult(**common, columns=columns, rows=rows))
    known = [r.freshness for r in results if r.freshness is not None]
    result = BoardResult(
        board=board,
        since=since,
        until=until,
        filters=board.filters if filters is None else filters,
        tiles=tuple(tiles),
        queries=runs,
        timezone=workspace.timezone,
        freshness=max(known) if known else None,
        params={"use_rollups": use_rollups, "dictionary": d.fingerprint},
    )
    if cache is not None:
        cache.put(key, result)
    return result


def _cache_key(
    workspace: Any,
    board: Board,
    d: Dictionary,
    since: date,
    until: date,
    filters: tuple[Filter, ...] | None,
    principal: Principal | None,
    use_rollups: bool,
) -> tuple[Any, ...]:
    """What a board's answer depends on: the board, the period, the filters, the caller's data scope,
    the dictionary and the last committed load (see :mod:`zhongtai.metrics.cache`). Repeated views
    of a board then skip planning, compiling and running its queries."""
    scope = None if principal is None else json.dumps(principal.scope.to_dict(), sort_keys=True)
    spec = json.dumps(board.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    last_load = read_ledger(workspace.warehouse).last_load_id
    return ("board", spec, since, until, filters, scope, use_rollups, d.fingerprint, last_load)


def _run(planned: PlannedQuery, result: MetricResult) -> QueryRun:
    q = planned.query
    return QueryRun(
        role=planned.role, metrics=q.metrics, dimensions=q.dimensions, grain=q.grain.value if q.grain else None,
        compare=q.compare.kind if q.compare else None, filters=q.filters, tiles=planned.tiles, source=result.source,
        rollups=tuple(sorted(result.rollups)), sql=result.sql, rows=result.table.num_rows,
    )  # fmt: skip


def _metric_meta(d: Dictionary, name: str) -> dict[str, Any]:
    m = d.metric(name)
    return {
        "name": m.name,
        "label": dict(m.label),
        "format": m.format,
        "unit": m.unit,
        "higher_is_better": m.higher_is_better,
    }


def _kpi(tile: Tile, value: MetricResult, series: MetricResult, grain: Grain) -> KpiValue:
    metric = tile.query.metrics[0]
    row = value.table.to_pylist()[0] if value.table.num_rows else {}
    change = row.get(metric + "__change")
    rows = series.table.select(["period", metric]).to_pylist()
    points = tuple((r["period"], r[metric]) for r in rows if r[metric] is not None)  # as in _cut
    return KpiValue(
        metric=metric,
        value=row.get(metric),
        previous=row.get(metric + "__previous"),
        change=None if change is None else float(change),
        compare=tile.query.compare or "previous_period",
        sparkline_grain=grain.value,
        sparkline=points,
    )


def _cut(tile: Tile, result: MetricResult) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...]]:
    """The tile's own columns from a (possibly shared) answer, without rows where all the tile's
    metrics are empty: such a row says nothing, and in a shared answer it is there only because
    another tile's metric had a value, so dropping it always keeps grouped and per-tile answers equal."""
    q = tile.query
    columns = (["period"] if q.grain else []) + list(q.dimensions) + list(q.metrics)
    if q.compare:
        columns += [c for m in q.metrics for c in (m + "__previous", m + "__change")]
    rows = [r for r in result.table.select(columns).to_pylist() if any(r[m] is not None for m in q.metrics)]
    return tuple(columns), tuple(rows)
