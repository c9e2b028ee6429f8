"""The query plan of a board: tiles grouped into as few metric queries as possible.

Pure: the plan depends only on the board, the dictionary and the period. Tiles that share
(dimensions, grain, effective filters, comparison, order, limit) share one query; a kpi tile
needs two (value with the previous period, and the sparkline); within a shape, tiles a declared
rollup could answer are kept apart from those that need the raw tables (:func:`rollup_eligible`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zhongtai.metrics.boards import Board, Visual, sparkline_grain
from zhongtai.metrics.dictionary import Dictionary
from zhongtai.metrics.query import Comparison, Filter, Grain, MetricQuery

__all__ = ["PlannedQuery", "TilePlan", "plan_board", "rollup_eligible"]


def rollup_eligible(dictionary: Dictionary, query: MetricQuery) -> bool:
    """Whether a rollup *declared* in the dictionary covers ``query`` (additive measures only, the
    query's dimensions and filter dimensions, a grain and range the rollup's buckets fit).

    The rule of :func:`zhongtai.metrics.rollups.covering_sources` without the freshness check (which
    needs the warehouse). Tiles whose own query passes are grouped apart from the rest, so a
    distinct count in one tile does not send the others to the raw tables.
    """
    from zhongtai.metrics.rollups import _grain_fits

    if not dictionary.rollups:
        return False
    needed: dict[str, set[str]] = {}
    stack, seen = list(query.metrics), set()
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        m = dictionary.metrics[name]
        if m.kind in ("cumulative", "conversion"):
            return False
        if m.kind == "simple":
            measure = dictionary.measures[m.spec.measure or ""]
            if not measure.additive:
                return False
            needed.setdefault(measure.model, set()).add(measure.name)
        stack.extend(m.inputs)
    dims = set(query.dimensions) | {f.dimension for f in query.filters}
    return all(
        any(
            r.model == model
            and measures <= set(r.measures)
            and dims <= set(r.dimensions)
            and _grain_fits(Grain(r.grain), query)
            for r in dictionary.rollups.values()
        )
        for model, measures in needed.items()
    )


@dataclass(frozen=True, slots=True)
class PlannedQuery:
    """One metric query of a board's plan and the tiles it answers (indexes into the board)."""

    query: MetricQuery
    tiles: tuple[int, ...]
    role: str  # "value" (kpi value + previous), "series" (kpi sparkline) or "chart"


@dataclass(frozen=True, slots=True)
class TilePlan:
    """Which planned queries answer a tile, and the board filters it could not take."""

    queries: tuple[int, ...]
    filters: tuple[Filter, ...]
    ignored: tuple[Filter, ...]
    sparkline: Grain | None = None


def plan_board(
    board: Board,
    dictionary: Dictionary,
    *,
    since: date,
    until: date,
    filters: tuple[Filter, ...] | None = None,
) -> tuple[list[PlannedQuery], list[TilePlan]]:
    """Group the tiles into as few metric queries as possible.

    Tiles that share (dimensions, grain, effective filters, comparison, order, limit) are answered
    by one query holding all their metrics; a kpi tile needs two (its value with the previous
    period, and its sparkline), shared the same way. Within a group, tiles whose metrics a rollup
    could answer (:func:`rollup_eligible`) are kept apart from the others, so each tile is
    answered by exactly one query per role. ``filters`` (default: the board's) apply to each tile
    whose metrics all accept the dimension; the others list them as ignored.
    """
    board_filters = board.filters if filters is None else filters
    groups: dict[tuple[Any, ...], list[int]] = {}
    plans: list[tuple[tuple[tuple[Any, ...], ...], tuple[Filter, ...], tuple[Filter, ...], Grain | None]] = []
    for i, tile in enumerate(board.tiles):
        q = tile.query
        allowed = set.intersection(*(set(dictionary.dimensions_for(m)) for m in q.metrics))
        taken = tuple(f for f in board_filters if f.dimension in allowed)
        ignored = tuple(f for f in board_filters if f.dimension not in allowed)
        effective = tuple(sorted(set(q.filters) | set(taken), key=_filter_key))
        keys: list[tuple[Any, ...]] = []
        spark: Grain | None = None
        shapes: list[tuple[str, tuple[str, ...], Grain | None, str | None, tuple[str, ...], int | None]]
        if tile.visual is Visual.KPI:
            spark = tile.sparkline or sparkline_grain(since, until)
            shapes = [
                ("value", (), None, q.compare or "previous_period", (), None),
                ("series", (), spark, None, (), None),
            ]
        else:
            shapes = [("chart", q.dimensions, q.grain, q.compare, q.order_by, q.limit)]
        for role, dims, grain, compare, order_by, limit in shapes:
            own = MetricQuery(
                metrics=q.metrics, dimensions=dims, grain=grain, start=since, end=until, filters=effective,
                compare=Comparison(compare) if compare else None, order_by=order_by, limit=limit,
            )  # fmt: skip
            keys.append((role, dims, grain, effective, compare, order_by, limit, rollup_eligible(dictionary, own)))
        for key in keys:
            groups.setdefault(key, []).append(i)
        plans.append((tuple(keys), effective, ignored, spark))
    planned: list[PlannedQuery] = []
    index: dict[tuple[Any, ...], int] = {}
    for key, members in groups.items():
        role, dims, grain, effective, compare, order_by, limit, _ = key
        metrics = tuple(dict.fromkeys(m for i in members for m in board.tiles[i].query.metrics))
        query = MetricQuery(
            metrics=metrics, dimensions=dims, grain=grain, start=since, end=until, filters=effective,
            compare=Comparison(compare) if compare else None, order_by=order_by, limit=limit,
        )  # fmt: skip
        index[key] = len(planned)
        planned.append(PlannedQuery(query, tuple(members), role))
    tile_plans = [
        TilePlan(tuple(index[k] for k in keys), effective, ignored, spark) for keys, effective, ignored, spark in plans
    ]
    return planned, tile_plans


def _filter_key(f: Filter) -> tuple[str, str, str]:
    return (f.dimension, f.op, repr(f.values))
