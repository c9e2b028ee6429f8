"""Rollups answer covered queries with exactly the raw tables' numbers, and step aside otherwise."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from zhongtai.jobs.registry import post_load_hooks
from zhongtai.jobs.runner import HookContext
from zhongtai.metrics import Comparison, Filter, Grain, MetricQuery, query_metrics
from zhongtai.metrics.rollups import refresh_after_load, refresh_rollups
from zhongtai.workspace import Workspace, open_workspace


@pytest.fixture
def tiny_rw(tiny_shop: Path, tmp_path: Path) -> Iterator[Workspace]:
    target = tmp_path / "tiny"
    shutil.copytree(tiny_shop, target)
    ws = open_workspace(target)
    try:
        yield ws
    finally:
        ws.close()


def _both(ws: Workspace, query: MetricQuery) -> tuple[list[dict[str, object]], list[dict[str, object]], str]:
    fast = query_metrics(ws, query, use_rollups=True)
    slow = query_metrics(ws, query, use_rollups=False)
    assert slow.source == "raw"
    return fast.table.to_pylist(), slow.table.to_pylist(), fast.source


COVERED = [
    MetricQuery(("gmv", "order_value", "orders"), ("channel",), Grain.MONTH),
    MetricQuery(("gmv", "order_value", "units_per_order", "discount_rate"), ("channel", "city"), Grain.WEEK),
    MetricQuery(("gross_margin", "item_revenue"), ("category_l1",), Grain.QUARTER, start=date(2025, 1, 1)),
    MetricQuery(("net_sales", "refund_rate"), ("channel",), Grain.DAY, filters=(Filter("channel", "eq", ("tmall",)),)),
    MetricQuery(("nps", "negative_review_rate", "blended_roas"), ("channel",), Grain.YEAR),
    MetricQuery(("gmv", "orders"), ("customer_type",), Grain.MONTH, compare=Comparison("previous_year")),
    MetricQuery(("gmv", "pv", "roas", "ctr")),
]


def test_the_hook_is_registered_as_an_entry_point() -> None:
    assert "metrics_rollups" in {hook.name for hook in post_load_hooks()}


def test_rollups_are_used_only_once_refreshed(tiny_rw: Workspace) -> None:
    query = COVERED[0]
    assert query_metrics(tiny_rw, query).source == "raw"
    done = refresh_rollups(tiny_rw)
    assert {r.name for r in done} >= {"orders_daily", "events_daily"}
    result = query_metrics(tiny_rw, query)
    assert result.source == "rollup"
    assert "orders_daily" in result.rollups
    assert str(result.freshness) == "2025-03-01 00:00:05"


@pytest.mark.parametrize("index", range(len(COVERED)))
def test_rollup_answers_equal_raw_answers_on_the_tiny_shop(tiny_rw: Workspace, index: int) -> None:
    refresh_rollups(tiny_rw)
    fast, slow, source = _both(tiny_rw, COVERED[index])
    assert source == "rollup"
    assert fast == slow
    assert fast


@pytest.mark.parametrize(
    "query",
    [
        MetricQuery(("buyers",), ("channel",)),  # distinct counts do not add up
        MetricQuery(("gmv_mtd",), grain=Grain.MONTH),  # cumulative
        MetricQuery(("retention_90d",), grain=Grain.MONTH),  # conversion
        MetricQuery(("gmv",), ("campaign",)),  # no rollup keeps the order's campaign
    ],
)
def test_queries_rollups_cannot_answer_exactly_go_to_raw_tables(tiny_rw: Workspace, query: MetricQuery) -> None:
    refresh_rollups(tiny_rw)
    assert query_metrics(tiny_rw, query).source == "raw"


def test_a_load_after_the_refresh_makes_the_rollup_stale_until_the_hook_runs(tiny_rw: Workspace) -> None:
    refresh_rollups(tiny_rw)
    tiny_rw.warehouse.con.execute(
        "INSERT INTO zt_meta.loads (load_id, status, source, table_counts, finished_at) "
        "VALUES (2, 'committed', 'tiny', '{\"orders\": {\"inserted\": 1}}', TIMESTAMP '2025-03-02 00:00:00')"
    ).fetchall()
    query = COVERED[0]
    assert query_metrics(tiny_rw, query).source == "raw"  # the orders rollup is behind load 2
    report = refresh_after_load(HookContext(tiny_rw, run_id=1, load_id=2, changed_tables={"orders"}))
    # every rollup whose model reads orders (events, refunds and reviews join it), not marketing's
    assert "orders_daily" in report["refreshed"]
    assert "marketing_daily" not in report["refreshed"]
    result = query_metrics(tiny_rw, query)
    assert result.source == "rollup"
    assert str(result.freshness) == "2025-03-02 00:00:00"


def test_a_principal_limited_to_a_channel_never_reads_shop_wide_rollups(tiny_rw: Workspace) -> None:
    from zhongtai.policy import DataScope, Principal, Role

    refresh_rollups(tiny_rw)
    who = Principal(user_id=7, name="tmall team", role=Role.ANALYST, scope=DataScope.of(channels={"tmall_shop"}))
    result = query_metrics(tiny_rw, MetricQuery(("gmv",), start=date(2025, 1, 1), end=date(2025, 3, 1)), principal=who)
    assert result.source == "raw"
    assert str(result.table.column("gmv")[0].as_py()) == "450.00"  # tmall orders only


def test_rollups_equal_raw_on_the_demo_shop(demo_shop: Path, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    shutil.copytree(demo_shop, target)
    ws = open_workspace(target)
    try:
        refresh_rollups(ws)
        for query in [
            MetricQuery(("gmv", "order_value", "orders"), ("channel",), Grain.MONTH),
            MetricQuery(("gross_margin", "units_sold"), ("category_l1", "channel"), Grain.WEEK, start=date(2025, 1, 6)),
            MetricQuery(("refund_rate", "net_sales", "roas"), ("channel",), Grain.QUARTER),
            MetricQuery(("gmv", "discount_rate"), ("member_tier",), Grain.MONTH, compare=Comparison("previous_period")),
        ]:
            fast, slow, source = _both(ws, query)
            assert source == "rollup"
            assert fast == slow
            assert len(fast) > 5
    finally:
        ws.close()
