"""Acceptance on the demo shop, two seeds: the planted delayed load is found as a data-arrival
anomaly on its channel, exactly over its days, traced to the load of the events file, and its
cause is "collection delayed" — while a metric anomaly elsewhere is not blamed on collection.

The test reads ``_truth.anomalies`` only to score (src never does)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from demo.shop_fixture import build_cached_shop
from zhongtai.metrics.dictionary import load_dictionary
from zhongtai.metrics.lineage import trace_alert
from zhongtai.metrics.monitor import detect
from zhongtai.workspace import Workspace, open_workspace

SECOND_SEED = 4242


@pytest.fixture(scope="module", params=["cached", "second"])
def shop(request: pytest.FixtureRequest) -> Iterator[tuple[Workspace, dict[str, object]]]:
    if request.param == "cached":
        folder: Path = request.getfixturevalue("demo_shop")
    else:
        folder = build_cached_shop(request.config, seed=SECOND_SEED, customers=3_000)
    ws = open_workspace(folder, read_only=True)  # one configuration for every connection to the file
    try:
        source, starts, ends = ws.warehouse.con.execute(
            "SELECT source, starts_on, ends_before FROM _truth.anomalies WHERE kind = 'delayed_load'"
        ).fetchone()
        yield ws, {"channel": source, "start": starts, "end": ends}
    finally:
        ws.close()


def _days(start: date, end: date) -> set[date]:
    return {start + timedelta(days=i) for i in range((end - start).days)}


def test_the_delayed_load_is_found_on_its_channel_and_traced_to_its_load(
    shop: tuple[Workspace, dict[str, object]],
) -> None:
    ws, truth = shop
    run = detect(ws, metrics=["orders"], since=date(2024, 3, 1), until=date(2026, 1, 1))
    arrival = [d for d in run.drafts if d.kind == "data_arrival"]
    truth_days = _days(truth["start"], truth["end"])  # type: ignore[arg-type]
    flagged = {(str(d.dimensions["channel"]), day) for d in arrival for day in _days(d.period_start, d.period_end)}
    hits = {day for channel, day in flagged if channel == truth["channel"] and day in truth_days}
    precision = len(hits) / len(flagged)
    recall = len(hits) / len(truth_days)
    assert (precision, recall) == (1.0, 1.0), sorted(flagged)
    (alert,) = arrival
    assert alert.metric == "arrival.events"
    assert alert.direction == "down"
    assert alert.cause == "collection_delayed"
    loads = alert.lineage["loads"]
    assert {x["file_name"] for x in loads} == {"events.parquet"}
    assert all(x["table"] == "events" and x["status"] == "committed" for x in loads)
    view = alert.lineage["arrival"][0]
    assert view["baseline_completeness"] > 0.99
    assert view["completeness"] < 0.1
    assert view["median_lag_hours"] > 20  # the demo delays by 22 … 30 hours
    assert view["baseline_median_lag_hours"] < 0.1


def test_a_metric_alert_in_the_delay_window_is_blamed_on_collection_and_one_elsewhere_is_not(
    shop: tuple[Workspace, dict[str, object]],
) -> None:
    ws, truth = shop
    d = load_dictionary(ws)
    dims = {"channel": truth["channel"]}
    start, end = truth["start"], truth["end"]
    delayed = trace_alert(ws.warehouse, d, metric="uv", dimensions=dims, start=start, end=end, timezone=ws.timezone)  # type: ignore[arg-type]
    assert delayed["cause"] == "collection_delayed"
    assert "events" in delayed["tables"]
    assert delayed["loads"]
    later = trace_alert(
        ws.warehouse,
        d,
        metric="uv",
        dimensions=dims,
        start=end + timedelta(days=40),  # type: ignore[operator]
        end=end + timedelta(days=43),  # type: ignore[operator]
        timezone=ws.timezone,
    )
    assert later["cause"] == "no_data_issue_found"
    orders_only = trace_alert(
        ws.warehouse,
        d,
        metric="gmv",
        dimensions=dims,
        start=start,
        end=end,
        timezone=ws.timezone,  # type: ignore[arg-type]
    )
    assert orders_only["cause"] == "no_arrival_data"  # orders record no arrival time
    assert {x["file_name"] for x in orders_only["loads"]} == {"orders.parquet"}
