"""Lineage of an alert: metric -> measures -> semantic models -> tables -> loads, plus data arrival.

An anomaly is either a change in the business or an artefact of how data reached the warehouse.
:func:`trace_alert` answers which, from the warehouse itself:

- **what fed the number**: the dictionary's lineage (metrics, measures, semantic models,
  tables), and per table the loads (``zt_meta.loads``: file, source, adapter, times) whose rows
  (``_load_id`` on every warehouse row) fall in the affected period and dimension value;
- **how the data arrived**: for tables with an arrival time (``received_at``, e.g. ``events``),
  per channel and shop-local day, the share of the day's rows that had arrived by
  ``grace_hours`` after the day ended (*completeness* — what a dashboard refreshed then would
  have seen) and the median arrival lag in hours, for the affected period and a baseline of the
  ``baseline_days`` before it.

The verdict (``cause``): ``collection_delayed`` when completeness in the affected period fell
clearly below the baseline (by more than ``delay_margin``) for the alert's dimension value;
``no_data_issue_found`` when arrival data exists and looks normal (so the change is in the data
itself — demand, prices, a real drop); ``no_arrival_data`` when no table behind the metric
records arrival times.

:func:`arrival_series` gives the same completeness per channel and day for a whole range, which
detection monitors like a metric (a delayed collection job shows up there first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlglot import exp

from zhongtai.metrics._sources import RawSource, to_utc
from zhongtai.metrics.dictionary import Dictionary
from zhongtai.warehouse._sql import and_all, col, ident, lit, tbl
from zhongtai.warehouse.meta import META_SCHEMA
from zhongtai.warehouse.model import TABLES

__all__ = [
    "ARRIVAL_COLUMN",
    "ArrivalParams",
    "arrival_series",
    "arrival_tables",
    "trace_alert",
]

ARRIVAL_COLUMN = "received_at"
"""The canonical column holding when a row reached the warehouse (UTC)."""

CAUSES = ("collection_delayed", "no_data_issue_found", "no_arrival_data")


@dataclass(frozen=True, slots=True)
class ArrivalParams:
    """``grace_hours``: hours after a local day's end by which its rows count as on time;
    ``baseline_days``: days before the affected period used as normal; ``delay_margin``: drop of
    completeness (fraction, 0.2 = 20 points) below the baseline that means collection was late."""

    grace_hours: float = 2.0
    baseline_days: int = 28
    delay_margin: float = 0.2


def arrival_tables() -> dict[str, str]:
    """Canonical tables that record an arrival time, with that column (``events -> received_at``)."""
    return {t.name: ARRIVAL_COLUMN for t in TABLES.values() if any(c.name == ARRIVAL_COLUMN for c in t.columns)}


def _channel_expr() -> tuple[exp.Expr, exp.Join]:
    """The ``channel`` dimension of a row (the platform of its shop), as the metric layer defines it."""
    join = exp.Join(
        this=tbl("channels", alias="ch"),
        kind="LEFT",
        on=exp.EQ(this=col("channel_id", "ch"), expression=col("channel_id", "t")),
    )
    return exp.Coalesce(this=col("platform", "ch"), expressions=[col("channel_id", "t")]), join


def arrival_series(
    warehouse: Any,
    table: str,
    *,
    start: date | None,
    end: date | None,
    timezone: str,
    params: ArrivalParams | None = None,
    channel: str | None = None,
) -> pd.DataFrame:
    """Per channel and shop-local day: ``rows``, ``on_time`` rows, ``completeness`` (on_time / rows,
    fraction) and ``median_lag_hours`` of ``table``'s rows by their event time.

    A row is on time when its arrival is at most ``grace_hours`` after the end of its local day.
    """
    params = params or ArrivalParams()
    arrival = arrival_tables().get(table)
    if arrival is None:
        return pd.DataFrame(columns=["channel", "day", "rows", "on_time", "completeness", "median_lag_hours"])
    time_column = _time_column(table)
    utc = col(time_column, "t")
    local = exp.ConvertTimezone(source_tz=lit("UTC"), target_tz=lit(timezone), timestamp=utc)
    day = exp.cast(local, exp.DataType.Type.DATE)
    channel_expr, join = _channel_expr()
    # deadline (local): the next local midnight + grace; compare in local time on both sides
    arrived_local = exp.ConvertTimezone(source_tz=lit("UTC"), target_tz=lit(timezone), timestamp=col(arrival, "t"))
    deadline = exp.Add(
        this=exp.cast(
            exp.Add(this=day.copy(), expression=exp.Interval(this=lit("1"), unit=exp.var("DAY"))), "TIMESTAMP"
        ),
        expression=exp.Interval(this=lit(str(round(params.grace_hours * 60))), unit=exp.var("MINUTE")),
    )
    lag_hours = exp.Div(
        this=exp.paren(
            exp.Sub(this=exp.TimeToUnix(this=col(arrival, "t")), expression=exp.TimeToUnix(this=utc.copy())),
            copy=False,
        ),
        expression=lit(3600.0),
    )
    on_time = exp.Sum(
        this=exp.Case(ifs=[exp.If(this=exp.LTE(this=arrived_local, expression=deadline), true=lit(1))], default=lit(0))
    )
    conditions: list[exp.Expr] = [exp.Not(this=exp.Is(this=col(arrival, "t"), expression=exp.Null()))]
    if start is not None:
        conditions.append(exp.GTE(this=utc.copy(), expression=lit(to_utc(start, timezone))))
    if end is not None:
        conditions.append(exp.LT(this=utc.copy(), expression=lit(to_utc(end, timezone))))
    if channel is not None:
        conditions.append(exp.EQ(this=channel_expr.copy(), expression=lit(channel)))
    query = (
        exp.select(
            exp.alias_(channel_expr, "channel"),
            exp.alias_(day, "day"),
            exp.alias_(exp.Count(this=exp.Star()), "rows"),
            exp.alias_(on_time, "on_time"),
            exp.alias_(exp.Median(this=lag_hours), "median_lag_hours"),
        )
        .from_(tbl(table, alias="t"))
        .join(join)
        .where(and_all(conditions))
    )
    query.set("group", exp.Group(expressions=[exp.Literal.number(1), exp.Literal.number(2)]))
    query.set(
        "order",
        exp.Order(expressions=[exp.Ordered(this=exp.Literal.number(1)), exp.Ordered(this=exp.Literal.number(2))]),
    )
    frame: pd.DataFrame = warehouse.arrow(query).to_pandas()
    for name in ("rows", "on_time"):
        frame[name] = frame[name].astype("int64")
    frame["median_lag_hours"] = frame["median_lag_hours"].astype("float64")
    frame["completeness"] = frame["on_time"] / frame["rows"]
    return frame[["channel", "day", "rows", "on_time", "completeness", "median_lag_hours"]]


def _time_column(table: str) -> str:
    """The event-time column of a canonical table with an arrival column (the first required timestamp)."""
    spec = TABLES[table]
    for column in spec.columns:
        if column.type.value == "timestamp" and column.name != ARRIVAL_COLUMN and column.required:
            return column.name
    return next(c.name for c in spec.columns if c.type.value == "timestamp" and c.name != ARRIVAL_COLUMN)


def _loads(
    warehouse: Any,
    dictionary: Dictionary,
    model_name: str,
    *,
    start: date,
    end: date,
    timezone: str,
    dimensions: dict[str, Any],
) -> list[dict[str, Any]]:
    """The loads whose rows of ``model_name``'s table fall in [start, end) and match ``dimensions``."""
    model = dictionary.semantic_models[model_name]
    source = RawSource(model, timezone)
    base, joins = source.from_clause()
    conditions = source.range_condition(start, end)
    for name, value in dimensions.items():
        if name in model.dimensions:
            conditions.append(exp.EQ(this=source.dimension(name), expression=lit(value)))
    load_id = exp.Column(this=ident("_load_id"), table=ident("t"))
    inner = exp.select(
        exp.alias_(load_id, "load_id"),
        exp.alias_(exp.Count(this=exp.Star()), "rows"),
    ).from_(base)
    for join in joins:
        inner = inner.join(join)
    inner = inner.where(and_all(conditions)).group_by(load_id.copy())
    loads = tbl("loads", META_SCHEMA, alias="l")
    query = (
        exp.select(
            col("load_id", "r"),
            col("rows", "r"),
            col("source", "l"),
            col("adapter", "l"),
            col("file_name", "l"),
            col("file_path", "l"),
            col("status", "l"),
            col("started_at", "l"),
            col("finished_at", "l"),
        )
        .from_(exp.Subquery(this=inner, alias=exp.TableAlias(this=ident("r"))))
        .join(exp.Join(this=loads, kind="LEFT", on=exp.EQ(this=col("load_id", "l"), expression=col("load_id", "r"))))
        .order_by(col("load_id", "r"))
    )
    rows = warehouse.arrow(query).to_pylist()
    return [{**r, "table": model.table, "semantic_model": model_name} for r in rows]


def trace_alert(
    warehouse: Any,
    dictionary: Dictionary | None,
    *,
    metric: str | None,
    dimensions: dict[str, Any],
    start: date,
    end: date,
    timezone: str,
    tables: tuple[str, ...] = (),
    params: ArrivalParams | None = None,
) -> dict[str, Any]:
    """The lineage and data-arrival view of an anomaly of ``metric`` (or of ``tables`` directly,
    for a data-arrival alert) for ``dimensions`` over local dates ``[start, end)``; JSON-ready."""
    params = params or ArrivalParams()
    out: dict[str, Any] = {"metric": metric, "dimensions": dict(dimensions), "start": start, "end": end}
    models: tuple[str, ...] = ()
    if dictionary is not None and metric is not None:
        lineage = dictionary.lineage(metric)
        models = lineage.semantic_models
        tables = tuple(sorted(set(tables) | set(lineage.tables)))
        out.update(
            metrics=list(lineage.metrics),
            measures=list(lineage.measures),
            semantic_models=list(models),
        )
    out["tables"] = list(tables)
    loads: list[dict[str, Any]] = []
    if dictionary is not None:
        wanted = models or tuple(n for n, m in dictionary.semantic_models.items() if m.table in tables)
        for name in wanted:
            loads.extend(
                _loads(warehouse, dictionary, name, start=start, end=end, timezone=timezone, dimensions=dimensions)
            )
    out["loads"] = loads
    channel = dimensions.get("channel")
    arrival: list[dict[str, Any]] = []
    verdicts: list[bool] = []
    for table in tables:
        if table not in arrival_tables():
            continue
        window = arrival_series(
            warehouse,
            table,
            start=start - timedelta(days=params.baseline_days),
            end=end,
            timezone=timezone,
            params=params,
            channel=None if channel is None else str(channel),
        )
        if window.empty:
            continue
        by_day = window.groupby("day", as_index=False)[["rows", "on_time"]].sum()
        by_day["completeness"] = by_day["on_time"] / by_day["rows"]
        inside = by_day[by_day["day"] >= start]
        before = by_day[by_day["day"] < start]
        base_level = float(before["completeness"].median()) if len(before) else 1.0
        affected = float(inside["on_time"].sum() / inside["rows"].sum()) if inside["rows"].sum() else float("nan")
        lags = window[window["day"] >= start]["median_lag_hours"]
        base_lags = window[window["day"] < start]["median_lag_hours"]
        delayed = bool(inside["rows"].sum()) and affected < base_level - params.delay_margin
        verdicts.append(delayed)
        arrival.append(
            {
                "table": table,
                "column": arrival_tables()[table],
                "channel": channel,
                "grace_hours": params.grace_hours,
                "baseline_completeness": round(base_level, 4),
                "completeness": None if affected != affected else round(affected, 4),
                "baseline_median_lag_hours": None if base_lags.empty else round(float(base_lags.median()), 3),
                "median_lag_hours": None if lags.empty else round(float(lags.median()), 3),
                "delayed": delayed,
                "days": [
                    {
                        "day": r["day"],
                        "rows": int(r["rows"]),
                        "on_time": int(r["on_time"]),
                        "completeness": round(float(r["completeness"]), 4),
                    }
                    for r in inside.to_dict(orient="records")
                ],
            }
        )
    out["arrival"] = arrival
    if not verdicts:
        out["cause"] = "no_arrival_data"
    else:
        out["cause"] = "collection_delayed" if any(verdicts) else "no_data_issue_found"
    return out
