"""Boards: tile specs validated against the dictionary (every problem names the tile and field),
tiles grouped into few metric queries, and evaluated numbers equal to hand-written DuckDB SQL on
the demo shop (shop time zone Asia/Shanghai, UTC+8 all year: local midnight = 16:00 UTC the day before)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from zhongtai.errors import InputError, NotFoundError
from zhongtai.metrics import MetricQuery, load_dictionary, query_metrics
from zhongtai.metrics.board_eval import evaluate_board
from zhongtai.metrics.board_plan import plan_board
from zhongtai.metrics.boards import InvalidBoard, check_board, parse_board, resolve_period
from zhongtai.metrics.dashboards import list_templates, load_template, period_range
from zhongtai.metrics.query import Filter
from zhongtai.workspace import Workspace, open_workspace

SINCE, UNTIL = date(2025, 12, 1), date(2025, 12, 8)
# UTC bounds of the local days [2025-12-01, 2025-12-08) and of the previous 7 days
UTC_SINCE, UTC_UNTIL, UTC_PREV = "2025-11-30 16:00:00", "2025-12-07 16:00:00", "2025-11-23 16:00:00"


def tile(visual: str, metrics: list[str], x: int = 0, **query: Any) -> dict[str, Any]:
    return {"visual": visual, "query": {"metrics": metrics, **query}, "position": {"x": x, "y": 0, "w": 3, "h": 2}}


def board(*tiles: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": "t", "tiles": list(tiles), **extra}


@pytest.fixture(scope="module")
def ws(demo_shop: Path) -> Iterator[Workspace]:
    workspace = open_workspace(demo_shop, read_only=True)
    yield workspace
    workspace.close()


# -- validation ---------------------------------------------------------------------------------------


def problems_of(error: InvalidBoard) -> dict[str, str]:
    return {str(p.params["at"]): p.code for p in error.problems}


def test_bad_tiles_are_refused_naming_the_tile_and_field_in_both_languages() -> None:
    spec = parse_board(
        board(
            tile("kpi", ["stockout_rate"], dimensions=["channel"]),
            tile("kpi", ["gmv", "orders"]),
            tile("line", ["gvm"], grain="day"),
            tile("pie", ["uv"], dimensions=["device"], grain="day"),
            tile("bar", ["gmv"], order_by=["-buyers"]),
            filters=["chanel=tmall"],
        )
    )
    with pytest.raises(InvalidBoard) as caught:
        check_board(spec, load_dictionary())
    assert problems_of(caught.value) == {
        "filters[0].dimension": "boards.unknown_dimension",
        "layout[0].query.dimensions[0]": "boards.dimension_not_allowed",
        "layout[0].visual": "boards.kpi_shape",
        "layout[1].visual": "boards.kpi_shape",
        "layout[2].query.metrics[0]": "boards.unknown_metric",
        "layout[3].visual": "boards.pie_shape",
        "layout[4].visual": "boards.bar_needs_axis",
        "layout[4].query.order_by[0]": "boards.bad_order",
    }
    unknown = next(p for p in caught.value.problems if p.code == "boards.unknown_metric")
    assert unknown.params["suggestion"] == "gmv"
    assert unknown.message("en").startswith("layout[2].query.metrics[0]: unknown metric “gvm”")
    assert unknown.message("zh_CN").startswith("layout[2].query.metrics[0]:未知指标“gvm”")
    assert caught.value.status == 422
    assert "8 problem(s)" in caught.value.message("en")


def test_malformed_tiles_are_refused_with_every_problem_at_once() -> None:
    raw = board(
        {"visual": "donut", "query": {"metrics": ["gmv"]}, "position": {"x": 0, "y": 0, "w": 3, "h": 2}},
        {"visual": "kpi", "position": {"x": 10, "y": 0, "w": 4, "h": 2}},
        {"visual": "table", "query": {"metrics": ["gmv"], "limit": 0}, "position": {"x": 0, "y": 0, "w": 3}},
        {"visual": "bar", "query": {"metrics": ["gmv"], "filters": [{"dimension": "channel", "op": "like"}]},
         "position": {"x": 0, "y": 0, "w": 1, "h": 1}, "colour": "red"},
    )  # fmt: skip
    with pytest.raises(InvalidBoard) as caught:
        parse_board(raw)
    assert problems_of(caught.value) == {
        "layout[0].visual": "boards.bad_value",
        "layout[1].query": "boards.missing_field",
        "layout[1].position.w": "boards.bad_position",
        "layout[2].query.limit": "boards.bad_position",
        "layout[2].position.h": "boards.bad_type",
        "layout[3].colour": "boards.unknown_field",
        "layout[3].query.filters[0].op": "boards.bad_value",
    }
    bad_w = next(p for p in caught.value.problems if p.params["at"] == "layout[1].position.w")
    assert bad_w.params["max"] == 2  # x = 10 leaves 2 of the 12 columns


def test_periods_end_with_the_as_of_day() -> None:
    assert resolve_period("7d", date(2025, 12, 7)) == (SINCE, UNTIL)
    assert resolve_period("mtd", date(2025, 12, 7)) == (date(2025, 12, 1), UNTIL)
    assert resolve_period("ytd", date(2025, 2, 28)) == (date(2025, 1, 1), date(2025, 3, 1))
    for bad in ("0d", "367d", "week", "7D"):
        with pytest.raises(InputError) as caught:
            resolve_period(bad, date(2025, 12, 7))
        assert caught.value.code == "boards.bad_period"


def test_built_in_boards_use_only_dictionary_metrics() -> None:
    d = load_dictionary()
    boards = {b.name: b for b in list_templates()}
    assert set(boards) == {"overview", "war_room"}
    for b in boards.values():
        check_board(b, d)
    overview = [t.query.metrics[0] for t in boards["overview"].tiles]
    assert overview == ["gmv", "orders", "aov", "conversion_rate", "uv_value", "repurchase_rate", "nps", "cac"]
    assert len(boards["war_room"].tiles) == 28
    with pytest.raises(NotFoundError) as caught:
        load_template("nope")
    assert caught.value.params["known"] == "overview, war_room"


def test_tiles_sharing_dimensions_grain_and_filters_share_one_query() -> None:
    d = load_dictionary()
    b = parse_board(
        board(
            tile("kpi", ["gmv"]),
            tile("kpi", ["orders"]),
            tile("kpi", ["uv"]),
            tile("bar", ["gmv"], dimensions=["channel"]),
            tile("bar", ["orders"], dimensions=["channel"]),
            tile("bar", ["gmv"], dimensions=["channel"], filters=["channel=tmall"]),
        )
    )
    planned, plans = plan_board(b, d, since=SINCE, until=UNTIL)
    shapes = [(p.role, p.query.metrics, p.query.dimensions, p.tiles) for p in planned]
    # gmv and orders are additive (a rollup can answer them); uv is a distinct count, so it is kept apart
    assert shapes == [
        ("value", ("gmv", "orders"), (), (0, 1)),
        ("series", ("gmv", "orders"), (), (0, 1)),
        ("value", ("uv",), (), (2,)),
        ("series", ("uv",), (), (2,)),
        ("chart", ("gmv", "orders"), ("channel",), (3, 4)),
        ("chart", ("gmv",), ("channel",), (5,)),
    ]
    assert [p.queries for p in plans] == [(0, 1), (0, 1), (2, 3), (4,), (4,), (5,)]


def test_board_filters_skip_tiles_whose_metrics_cannot_take_them() -> None:
    d = load_dictionary()
    b = parse_board(board(tile("kpi", ["gmv"]), tile("kpi", ["stockout_rate"])))
    tmall = Filter("channel", "eq", ("tmall",))
    planned, plans = plan_board(b, d, since=SINCE, until=UNTIL, filters=(tmall,))
    assert plans[0].filters == (tmall,)
    assert plans[0].ignored == ()
    assert plans[1].filters == ()
    assert plans[1].ignored == (tmall,)
    assert planned[plans[1].queries[0]].query.filters == ()


# -- evaluation on the demo shop ------------------------------------------------------------------------


def hand(db: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return db.execute(sql, list(params)).fetchall()


ORDERS_TOTALS = """
    SELECT SUM(paid_amount) FILTER (WHERE paid_at IS NOT NULL),
           COUNT(*) FILTER (WHERE paid_at IS NOT NULL),
           COUNT(DISTINCT member_id) FILTER (WHERE paid_at IS NOT NULL)
    FROM orders WHERE order_time >= CAST(? AS TIMESTAMP) AND order_time < CAST(? AS TIMESTAMP)
"""


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[MetricQuery]:
    """Every metric query a board evaluation runs (the real query_metrics still answers each)."""
    import zhongtai.metrics.board_eval as board_eval

    seen: list[MetricQuery] = []

    def counting(workspace: Any, query: MetricQuery, **options: Any) -> Any:
        seen.append(query)
        return query_metrics(workspace, query, **options)

    monkeypatch.setattr(board_eval, "query_metrics", counting)
    return seen


def test_overview_kpis_equal_hand_written_sql(
    ws: Workspace, demo_db: duckdb.DuckDBPyConnection, counted: list[MetricQuery]
) -> None:
    result = evaluate_board(ws, load_template("overview"), since=SINCE, until=UNTIL)
    assert len(counted) == len(result.queries) == 4  # 8 kpi tiles: (value, sparkline) x (rollup-able, not)
    gmv, orders, buyers = hand(demo_db, ORDERS_TOTALS, UTC_SINCE, UTC_UNTIL)[0]
    prev_gmv, prev_orders, prev_buyers = hand(demo_db, ORDERS_TOTALS, UTC_PREV, UTC_SINCE)[0]
    kpi = {t.kpi.metric: t for t in result.tiles if t.kpi is not None}
    assert kpi["gmv"].kpi is not None
    assert kpi["orders"].kpi is not None
    assert kpi["aov"].kpi is not None
    assert (kpi["gmv"].kpi.value, kpi["gmv"].kpi.previous) == (gmv, prev_gmv)
    assert kpi["gmv"].kpi.change == pytest.approx(float(gmv) / float(prev_gmv) - 1, rel=1e-12)
    assert (kpi["orders"].kpi.value, kpi["orders"].kpi.previous) == (orders, prev_orders)
    assert kpi["aov"].kpi.value == pytest.approx(float(gmv) / buyers, rel=1e-12)
    assert kpi["aov"].kpi.previous == pytest.approx(float(prev_gmv) / prev_buyers, rel=1e-12)
    daily = hand(
        demo_db,
        """SELECT CAST(order_time + INTERVAL 8 HOUR AS DATE) AS day, SUM(paid_amount) FILTER (WHERE paid_at IS NOT NULL)
           FROM orders WHERE order_time >= CAST(? AS TIMESTAMP) AND order_time < CAST(? AS TIMESTAMP)
           GROUP BY day ORDER BY day""",
        UTC_SINCE,
        UTC_UNTIL,
    )
    assert kpi["gmv"].kpi.sparkline_grain == "day"
    assert list(kpi["gmv"].kpi.sparkline) == daily
    assert len(daily) == 7
    # gmv and orders are additive and the demo shop's rollups are current; aov needs distinct buyers
    assert kpi["gmv"].source == "rollup"
    assert kpi["aov"].source == "raw"
    assert "rollup" in kpi["gmv"].sql[0]
    assert kpi["gmv"].queries == kpi["orders"].queries


def test_chart_tiles_filters_and_order_equal_hand_written_sql(
    ws: Workspace, demo_db: duckdb.DuckDBPyConnection, counted: list[MetricQuery]
) -> None:
    spec = parse_board(
        board(
            tile("bar", ["gmv"], dimensions=["channel"], order_by=["-gmv"]),
            tile("table", ["gmv", "orders"], dimensions=["channel"], order_by=["-gmv"]),
            tile("kpi", ["gmv"]),
            tile("kpi", ["stockout_rate"]),
        )
    )
    result = evaluate_board(ws, spec, since=SINCE, until=UNTIL)
    by_channel = hand(
        demo_db,
        """SELECT ch.platform, SUM(o.paid_amount) FILTER (WHERE o.paid_at IS NOT NULL) AS gmv,
                  COUNT(*) FILTER (WHERE o.paid_at IS NOT NULL)
           FROM orders o LEFT JOIN channels ch ON ch.channel_id = o.channel_id
           WHERE o.order_time >= CAST(? AS TIMESTAMP) AND o.order_time < CAST(? AS TIMESTAMP)
           GROUP BY ch.platform ORDER BY gmv DESC""",
        UTC_SINCE,
        UTC_UNTIL,
    )
    bar, table = result.tiles[0], result.tiles[1]
    assert bar.columns == ("channel", "gmv")
    assert [(r["channel"], r["gmv"]) for r in bar.rows] == [(c, g) for c, g, _ in by_channel]
    assert [(r["channel"], r["gmv"], r["orders"]) for r in table.rows] == by_channel
    assert bar.queries == table.queries  # one query answered both
    assert len(counted) == 1 + 2 + 2  # the shared chart, gmv's value+sparkline, stock-outs' value+sparkline

    tmall = (Filter("channel", "eq", ("tmall",)),)
    filtered = evaluate_board(ws, spec, since=SINCE, until=UNTIL, filters=tmall)
    tm_gmv = hand(
        demo_db,
        """SELECT SUM(o.paid_amount) FILTER (WHERE o.paid_at IS NOT NULL) FROM orders o
           JOIN channels ch ON ch.channel_id = o.channel_id
           WHERE ch.platform = 'tmall'
             AND o.order_time >= CAST(? AS TIMESTAMP) AND o.order_time < CAST(? AS TIMESTAMP)""",
        UTC_SINCE,
        UTC_UNTIL,
    )[0][0]
    kpi, stock = filtered.tiles[2], filtered.tiles[3]
    assert kpi.kpi is not None
    assert kpi.kpi.value == tm_gmv
    assert [r["channel"] for r in filtered.tiles[0].rows] == ["tmall"]
    assert stock.filters_ignored == tmall  # inventory has no channel: reported, not silently applied
    assert stock.kpi is not None
    assert stock.kpi.value == result.tiles[3].kpi.value


def test_the_war_room_board_evaluates_all_28_tiles_in_14_queries(ws: Workspace, counted: list[MetricQuery]) -> None:
    since, until = period_range(ws, "7d")
    result = evaluate_board(ws, load_template("war_room"), since=since, until=until)
    assert len(result.tiles) == 28
    # 18 kpi tiles -> 2 groups (rollup-able or not) x (value, sparkline); 10 charts -> 10 shapes
    assert len(counted) == len(result.queries) == 14
    for t in result.tiles:
        if t.kpi is not None:
            assert t.kpi.value is not None, t.title
            assert 1 <= len(t.kpi.sparkline) <= 7, t.title  # days without a value (no stock snapshot) are gaps
        else:
            assert t.rows, t.title
        assert t.sql
    assert len(result.tiles[0].kpi.sparkline) == 7  # type: ignore[union-attr]  # gmv: orders every day
    out = result.to_dict()
    assert out["query_count"] == 14
    assert isinstance(out["tiles"][0]["kpi"]["value"], str)  # money as text, exact
    assert Decimal(out["tiles"][0]["kpi"]["value"]) == result.tiles[0].kpi.value  # type: ignore[union-attr]


def test_the_default_as_of_day_is_the_newest_order_day(ws: Workspace, demo_db: duckdb.DuckDBPyConnection) -> None:
    newest = hand(demo_db, "SELECT CAST(MAX(order_time) + INTERVAL 8 HOUR AS DATE) FROM orders")[0][0]
    since, until = period_range(ws, "30d")
    assert until == date.fromordinal(newest.toordinal() + 1)
    assert (until - since).days == 30
    assert isinstance(newest, date)
    assert not isinstance(newest, datetime)
