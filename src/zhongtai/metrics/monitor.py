"""Watching metrics and data arrival for anomalies, and turning episodes into stored alerts.

Thin job around the pure core :func:`zhongtai.metrics.anomaly.detect_anomalies`:

1. **metric monitors**: every dictionary metric with ``monitor: [dimensions]`` in its YAML
   (``monitor: []`` watches the total only) is fetched daily through :func:`query_metrics`, in
   total and per value of each listed dimension; without any flagged metric the defaults
   :data:`DEFAULT_MONITORS` are watched (those that exist in the dictionary);
2. **arrival monitors**: for every table that records arrival times (``events.received_at``), the
   daily completeness per channel (:func:`zhongtai.metrics.lineage.arrival_series`) is watched
   for drops — a delayed collection job shows here even when the final numbers are complete;
3. each episode overlapping the detection window is traced (:func:`trace_alert`) and stored as
   an alert in app state (:func:`zhongtai.appdb.alerts.record_alerts`).

History: the series are fetched from ``history_days`` (default 400, so last year's festivals are
known) before the window. Festival days come from :func:`festival_days` plus the shop's public
holidays in ``external_signals``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import pandas as pd
from sqlglot import exp

from zhongtai.appdb.alerts import AlertDraft, record_alerts
from zhongtai.metrics.anomaly import Detection, DetectionParams, Episode, detect_anomalies
from zhongtai.metrics.dictionary import Dictionary, load_dictionary
from zhongtai.metrics.festivals import festival_days
from zhongtai.metrics.lineage import ArrivalParams, arrival_series, arrival_tables, trace_alert
from zhongtai.metrics.query import Grain, MetricQuery
from zhongtai.metrics.serve import query_metrics
from zhongtai.policy.principal import Principal
from zhongtai.warehouse._sql import col, lit, tbl

__all__ = [
    "DEFAULT_MONITORS",
    "DetectionRun",
    "Monitor",
    "alerts_after_load",
    "detect",
    "monitors_of",
    "run_detection",
]

DEFAULT_MONITORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gmv", ("channel",)),
    ("orders", ("channel",)),
    ("uv", ("channel",)),
    ("add_to_cart_rate", ("channel",)),
    ("conversion_rate", ("channel",)),
)
"""Watched when no metric in the dictionary says ``monitor:`` (each only if it exists)."""

ARRIVAL_PREFIX = "arrival."
"""Data-arrival alerts carry ``metric = "arrival.<table>"`` (e.g. ``arrival.events``)."""


@dataclass(frozen=True, slots=True)
class Monitor:
    metric: str
    dimensions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DetectionRun:
    """What one detection found: drafts (not yet stored) and how much was scored."""

    start: date
    end: date
    drafts: list[AlertDraft]
    series: int
    points: int
    monitors: list[Monitor] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "series": self.series,
            "points": self.points,
            "monitors": [{"metric": m.metric, "dimensions": list(m.dimensions)} for m in self.monitors],
            "found": [
                {
                    "kind": d.kind,
                    "metric": d.metric,
                    "dimensions": d.dimensions,
                    "start": d.period_start,
                    "end": d.period_end,
                    "direction": d.direction,
                    "peak_z": round(d.peak_z, 2),
                    "cause": d.cause,
                }
                for d in self.drafts
            ],
            "opened": self.opened,
            "updated": self.updated,
        }


def monitors_of(dictionary: Dictionary, metrics: Sequence[str] | None = None) -> list[Monitor]:
    """The metrics to watch: ``metrics`` if given (by their ``monitor`` dimensions, else in total),
    else the dictionary's flagged ones, else :data:`DEFAULT_MONITORS`."""
    flagged = {
        name: tuple(m.spec.monitor or ())
        for name, m in dictionary.metrics.items()
        if getattr(m.spec, "monitor", None) is not None
    }
    if metrics:
        return [Monitor(dictionary.metric(n).name, flagged.get(n, ())) for n in metrics]
    if flagged:
        return [Monitor(n, dims) for n, dims in sorted(flagged.items())]
    return [Monitor(n, d) for n, d in DEFAULT_MONITORS if n in dictionary.metrics]


def _holidays(warehouse: Any) -> list[tuple[date, str]]:
    """The shop calendar's public holidays (``external_signals`` rows of kind ``holiday``)."""
    if not warehouse.table_exists("external_signals"):
        return []
    query = (
        exp.select(col("signal_date"), col("key"))
        .from_(tbl("external_signals"))
        .where(exp.EQ(this=col("kind"), expression=lit("holiday")))
    )
    return [(d, str(k)) for d, k in warehouse.fetchall(query)]


def _metric_series(
    ws: Any, dictionary: Dictionary, monitor: Monitor, start: date, end: date, principal: Principal | None
) -> pd.DataFrame:
    """Long frame ``dimension, value, period, y`` for the total and each watched dimension."""
    frames = []
    for dim in (None, *monitor.dimensions):
        query = MetricQuery(
            (monitor.metric,), dimensions=() if dim is None else (dim,), grain=Grain.DAY, start=start, end=end
        )
        table = query_metrics(ws, query, principal=principal, dictionary=dictionary).to_pandas()
        part = pd.DataFrame(
            {
                "dimension": "" if dim is None else dim,
                "dim_value": "" if dim is None else table[dim].astype("string").fillna("(none)"),
                "period": pd.to_datetime(table["period"]),
                "y": pd.to_numeric(table[monitor.metric], errors="coerce").astype("float64"),
            }
        )
        frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _overlapping(detection: Detection, start: date, end: date) -> list[Episode]:
    return [e for e in detection.episodes if e.start < end and e.end > start]


def detect(
    ws: Any,
    *,
    metrics: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    history_days: int = 400,
    params: DetectionParams | None = None,
    arrival: ArrivalParams | None = None,
    include_arrival: bool = True,
    principal: Principal | None = None,
    dictionary: Dictionary | None = None,
) -> DetectionRun:
    """Score the watched series and trace every episode overlapping ``[since, until)``.

    ``until`` defaults to the day after the newest data; ``since`` to 30 days before ``until``.
    Nothing is stored (see :func:`run_detection`).
    """
    params = params or DetectionParams()
    arrival = arrival or ArrivalParams()
    d = dictionary or load_dictionary(ws)
    warehouse = ws.warehouse
    tz = ws.timezone
    watched = monitors_of(d, metrics)
    end = until or _newest_day(warehouse, tz) + timedelta(days=1)
    start = since or end - timedelta(days=30)
    first = start - timedelta(days=history_days)
    festivals = festival_days(first, end, holidays=_holidays(warehouse))
    drafts: list[AlertDraft] = []
    series = points = 0
    for monitor in watched:
        frame = _metric_series(ws, d, monitor, first, end, principal)
        if frame.empty:
            continue
        found = detect_anomalies(
            frame, keys=("dimension", "dim_value"), time="period", value="y", festivals=festivals, params=params
        )
        series += frame.groupby(["dimension", "dim_value"]).ngroups
        points += int(found.points["z"].notna().sum())
        for episode in _overlapping(found, start, end):
            dimension, value = episode.key
            dims = {dimension: value} if dimension else {}
            trace = trace_alert(
                warehouse,
                d,
                metric=monitor.metric,
                dimensions=dims,
                start=episode.start,
                end=episode.end,
                timezone=tz,
                params=arrival,
            )
            drafts.append(_draft("metric", monitor.metric, dims, episode, trace, params))
    if include_arrival:
        arrival_params = DetectionParams(
            frequency="day",
            periods=params.periods,
            threshold=params.threshold,
            min_history=params.min_history,
            direction="down",
            rel_scale_floor=params.rel_scale_floor,
            scale_window=params.scale_window,
        )
        for table in sorted(arrival_tables()):
            if not warehouse.table_exists(table):
                continue
            frame = arrival_series(warehouse, table, start=first, end=end, timezone=tz, params=arrival)
            if frame.empty:
                continue
            frame["day"] = pd.to_datetime(frame["day"])
            # arrival lateness is not festive: no festival calendar here
            found = detect_anomalies(frame, keys=("channel",), time="day", value="completeness", params=arrival_params)
            series += frame["channel"].nunique()
            points += int(found.points["z"].notna().sum())
            for episode in _overlapping(found, start, end):
                dims = {"channel": episode.key[0]}
                trace = trace_alert(
                    warehouse,
                    d,
                    metric=None,
                    tables=(table,),
                    dimensions=dims,
                    start=episode.start,
                    end=episode.end,
                    timezone=tz,
                    params=arrival,
                )
                drafts.append(_draft("data_arrival", ARRIVAL_PREFIX + table, dims, episode, trace, arrival_params))
    return DetectionRun(start, end, drafts, series, points, watched)


def _draft(
    kind: str, metric: str, dims: dict[str, Any], episode: Episode, trace: dict[str, Any], params: DetectionParams
) -> AlertDraft:
    return AlertDraft(
        kind=kind,
        metric=metric,
        dimensions=dims,
        grain="day",
        period_start=episode.start,
        period_end=episode.end,
        direction=episode.direction,
        peak_z=float(episode.peak_z),
        peak_value=float(episode.peak_value),
        expected_value=float(episode.peak_expected),
        cause=str(trace["cause"]),
        lineage=trace,
        params={**params.to_dict(), "points": episode.points, "peak_day": episode.peak_time},
    )


def _newest_day(warehouse: Any, timezone: str) -> date:
    """The newest shop-local day with orders or events (detection's default end)."""
    newest: date | None = None
    for table, column in (("orders", "order_time"), ("events", "event_time")):
        if not warehouse.table_exists(table):
            continue
        local = exp.ConvertTimezone(source_tz=lit("UTC"), target_tz=lit(timezone), timestamp=col(column))
        query = exp.select(exp.cast(exp.Max(this=local), exp.DataType.Type.DATE)).from_(tbl(table))
        value = warehouse.fetchall(query)[0][0]
        if value is not None and (newest is None or value > newest):
            newest = value
    return newest or date.today()


def run_detection(
    ws: Any,
    principal: Principal,
    *,
    metrics: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    params: DetectionParams | None = None,
    job_run_id: int | None = None,
) -> DetectionRun:
    """Detect and store: open alerts for new episodes, widen open ones (needs ``metrics:write``)."""
    from zhongtai.policy import Action, Capability

    principal.require(Capability.METRICS, Action.WRITE)
    found = detect(ws, metrics=metrics, since=since, until=until, params=params, principal=principal)
    opened, updated = record_alerts(ws.app, principal, found.drafts, job_run_id=job_run_id)
    return DetectionRun(
        found.start, found.end, found.drafts, found.series, found.points, found.monitors, opened, updated
    )


class _HookContext(Protocol):
    workspace: Any
    run_id: int
    load_id: int | None
    changed_tables: set[str]


def alerts_after_load(context: _HookContext) -> dict[str, Any]:
    """Post-load hook (entry point ``anomaly_alerts``): detect on the last 30 days after a load."""
    from zhongtai.appdb import owner_principal

    ws = context.workspace
    principal = owner_principal(ws.app, via="hook:anomaly_alerts")
    run = run_detection(ws, principal, job_run_id=context.run_id)
    return {"series": run.series, "found": len(run.drafts), "opened": run.opened, "updated": run.updated}


alerts_after_load.tables = ("orders", "order_items", "events", "refunds")  # type: ignore[attr-defined]
