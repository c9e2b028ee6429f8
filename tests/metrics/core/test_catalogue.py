"""Every built-in metric against numbers worked out by hand from the tiny shop (see conftest.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhongtai.metrics import Comparison, Filter, Grain, MetricQuery, load_dictionary, query_metrics
from zhongtai.workspace import Workspace

JAN1, FEB1, MAR1 = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)

# Range [2025-01-01, 2025-03-01) local time. Orders in range: o1 100, o2 50, o8 30 (Jan), o3 200,
# o5 300 (Feb; o3 is Feb by local time), o4 cancelled, o7 unpaid; o6 (40) is 2024-12-31 local.
EXPECTED: dict[str, Any] = {
    # sales
    "gmv": Decimal("680.00"),  # 100 + 50 + 30 + 200 + 300
    "orders": 5,
    "buyers": 3,  # m1, m5, m2
    "aov": 680 / 3,
    "order_value": 680 / 5,
    "units": 9,  # 2 + 1 + 1 + 2 + 3
    "units_per_order": 9 / 5,
    "goods_value": Decimal("710.00"),  # 110 + 50 + 30 + 220 + 300
    "discounts": Decimal("30.00"),  # 10 + 20
    "discount_rate": 30 / 710,
    "placed_gmv": Decimal("750.00"),  # paid orders + o7 (70); o4 cancelled
    "coupon_orders": 2,
    "coupon_order_share": 2 / 5,
    "refund_amount": Decimal("100.00"),  # r1; r2 rejected
    "refund_rate": 100 / 680,
    "refunded_orders": 1,
    "refund_order_rate": 1 / 5,
    "net_sales": Decimal("580.00"),
    "item_revenue": Decimal("680.00"),  # 60 + 40 + 50 + 30 + 200 + 300
    "item_cost": Decimal("170.00"),  # A: (1 + 1 + 3) x 10; B: (1 + 1 + 2) x 30
    "gross_profit": Decimal("510.00"),
    "gross_margin": 510 / 680,
    "units_sold": 9,
    "gmv_mtd": Decimal("500.00"),  # as of 2025-03-01: February's 200 + 300
    "gmv_ytd": Decimal("680.00"),
    # traffic
    "uv": 4,  # m1, m4, device d9, m2
    "pv": 5,
    "sessions": 7,
    "purchasers": 2,
    "conversion_rate": 2 / 4,
    "cart_visitors": 2,
    "add_to_cart_rate": 2 / 4,
    "cart_to_purchase_rate": 1.0,
    "tracked_gmv": Decimal("400.00"),  # purchase events of o1 (100) and o5 (300)
    "uv_value": 400 / 4,
    "visit_to_purchase_7d": 2 / 4,  # m1 (Jan 4 -> Jan 5) and m2 (Feb 14 -> Feb 15) convert
    # customers
    "new_buyers": 2,  # m5 (o8) and m2 (o3); m1's first paid order is o6 in 2024
    "returning_buyers": 1,
    "new_buyer_share": 2 / 3,
    "repeat_buyers": 2,  # m1 (o1, o2) and m2 (o3, o5)
    "repurchase_rate": 2 / 3,
    "retention_90d": 1 / 2,  # m2 rebuys within 90 days of o3, m5 does not
    "buyers_365d": 3,
    "gmv_365d": Decimal("720.00"),  # adds o6 (40)
    "ltv": 720 / 3,
    "ltv_cac": (720 / 3) / (400 / 2),
    # marketing
    "marketing_spend": Decimal("400.00"),
    "cac": 400 / 2,
    "roas": 750 / 400,
    "blended_roas": 680 / 400,
    "ad_revenue": Decimal("750.00"),
    "ad_clicks": 250,
    "ad_impressions": 15000,
    "ctr": 250 / 15000,
    "cpc": 400 / 250,
    # service
    "nps_response_count": 5,
    "nps_promoter_count": 2,  # 10, 9
    "nps_detractor_count": 2,  # 3, 6
    "nps": 0.0,
    "reviews": 4,
    "negative_review_count": 2,
    "negative_review_rate": 2 / 4,
    "rating_total": 12,
    "avg_rating": 3.0,
    "cs_conversations": 3,
    "cs_answered": 2,
    "cs_response_rate": 2 / 3,
    "cs_response_seconds": 780.0,  # 180 (c1: the bot's reply does not count) + 600 (c2)
    "cs_first_response_minutes": 6.5,
    # supply
    "stock_unit_days": 30,  # 10 + 0 + 6 + 4 + 8 + 2
    "stock_snapshot_days": 3,
    "avg_stock_units": 10.0,
    "stock_position_days": 6,
    "stockout_days": 2,
    "stockout_rate": 2 / 6,
    "stock_value": Decimal("420.00"),  # A 24 x 10 + B 6 x 30
    "selling_days": 5,  # Jan 5, Jan 20, Jan 25, Feb 1, Feb 15 (local)
    "inventory_turnover_days": 10 / (9 / 5),
    "sell_through_rate": 9 / (9 + 10),
    "shipped_orders": 3,  # o1, o2, o5 (o3's parcel was lost)
    "fill_rate": 3 / 5,
    "delivered_shipments": 3,
    "delivery_seconds_total": 388800.0,  # (48 + 24 + 36) h
    "avg_delivery_hours": 36.0,
}


def _one(ws: Workspace, query: MetricQuery) -> dict[str, Any]:
    rows = query_metrics(ws, query, use_rollups=False).table.to_pylist()
    assert len(rows) == 1
    return rows[0]


def test_the_catalogue_has_at_least_forty_metrics_and_every_one_is_tested() -> None:
    d = load_dictionary(None)
    assert len(d.metrics) >= 40
    assert sorted(d.metrics) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metric_matches_the_hand_computed_value(tiny_ws: Workspace, name: str) -> None:
    value = _one(tiny_ws, MetricQuery((name,), start=JAN1, end=MAR1))[name]
    expected = EXPECTED[name]
    if isinstance(expected, Decimal):
        assert value == expected
    else:
        assert value == pytest.approx(expected, rel=1e-12)


MONTHLY = {
    # name: (January, February)
    "gmv": (Decimal("180.00"), Decimal("500.00")),
    "orders": (3, 2),
    "buyers": (2, 1),
    "new_buyers": (1, 1),
    "repurchase_rate": (0.5, 1.0),
    "retention_90d": (0.0, 1.0),
    "gmv_ytd": (Decimal("180.00"), Decimal("680.00")),
    "gmv_mtd": (Decimal("180.00"), Decimal("500.00")),
    "ltv": (220 / 2, 720 / 3),  # trailing 365 days: Jan adds o6 (40) to 180, buyers m1, m5
    "nps": (25.0, -100.0),
    "conversion_rate": (1 / 3, 1 / 2),
    "visit_to_purchase_7d": (1 / 3, 1 / 2),  # in Feb m1 only visits (no purchase within 7 days)
    "avg_stock_units": (10.0, 10.0),  # Jan (10 + 0 + 6 + 4) / 2; Feb (8 + 2) / 1
}


@pytest.mark.parametrize("name", sorted(MONTHLY))
def test_monthly_buckets_follow_shop_local_time(tiny_ws: Workspace, name: str) -> None:
    result = query_metrics(tiny_ws, MetricQuery((name,), grain=Grain.MONTH, start=JAN1, end=MAR1), use_rollups=False)
    rows = result.table.to_pylist()
    assert [r["period"] for r in rows] == [JAN1, FEB1]
    assert [r[name] for r in rows] == [pytest.approx(v) if isinstance(v, float) else v for v in MONTHLY[name]]


def test_weeks_start_on_monday_in_shop_time(tiny_ws: Workspace) -> None:
    # o6 is Tue 2024-12-31 23:30 local and o1 Sun 2025-01-05: both in the week of Mon 2024-12-30
    rows = _rows(tiny_ws, MetricQuery(("gmv",), grain=Grain.WEEK, start=date(2024, 12, 30), end=date(2025, 1, 13)))
    assert rows == [{"period": date(2024, 12, 30), "gmv": Decimal("140.00")}]


def test_by_channel_splits_and_missing_denominators_give_null(tiny_ws: Workspace) -> None:
    rows = _rows(tiny_ws, MetricQuery(("gmv", "cac", "uv", "conversion_rate"), ("channel",), start=JAN1, end=MAR1))
    assert rows == [
        # jd: no tracked events (uv 0, conversion undefined); new buyers m5, m2 -> CAC 100 / 2
        {"channel": "jd", "gmv": Decimal("230.00"), "cac": 50.0, "uv": 0, "conversion_rate": None},
        # tmall: no new buyer in the range -> CAC undefined
        {"channel": "tmall", "gmv": Decimal("450.00"), "cac": None, "uv": 4, "conversion_rate": 0.5},
    ]


def test_new_vs_returning_and_member_tier_split_gmv(tiny_ws: Workspace) -> None:
    by_type = _rows(tiny_ws, MetricQuery(("gmv",), ("customer_type",), start=JAN1, end=MAR1))
    assert by_type == [
        {"customer_type": "new", "gmv": Decimal("230.00")},  # o8 30 + o3 200
        {"customer_type": "returning", "gmv": Decimal("450.00")},  # o1 100 + o2 50 + o5 300
        {"customer_type": None, "gmv": Decimal("0.00")},  # o4 cancelled, o7 unpaid: no paid order, no type
    ]
    by_tier = _rows(tiny_ws, MetricQuery(("gmv",), ("member_tier",), start=JAN1, end=MAR1))
    assert by_tier == [
        {"member_tier": "gold", "gmv": Decimal("150.00")},
        {"member_tier": "none", "gmv": Decimal("530.00")},
    ]


def test_category_split_of_margin(tiny_ws: Workspace) -> None:
    rows = _rows(tiny_ws, MetricQuery(("item_revenue", "gross_margin"), ("category_l1",), start=JAN1, end=MAR1))
    assert rows == [
        {"category_l1": "护肤", "item_revenue": Decimal("410.00"), "gross_margin": pytest.approx((410 - 50) / 410)},
        {"category_l1": "服饰", "item_revenue": Decimal("270.00"), "gross_margin": pytest.approx((270 - 120) / 270)},
    ]


def test_previous_period_and_previous_year(tiny_ws: Workspace) -> None:
    monthly = _rows(
        tiny_ws,
        MetricQuery(("gmv",), grain=Grain.MONTH, start=FEB1, end=MAR1, compare=Comparison("previous_period")),
    )
    assert monthly == [
        {
            "period": FEB1,
            "gmv": Decimal("500.00"),
            "gmv__previous": Decimal("180.00"),
            "gmv__change": pytest.approx(320 / 180),
        }
    ]
    # no grain: the 28 days before February are 2025-01-04 .. 2025-01-31 (o1, o2, o8)
    ranged = _rows(tiny_ws, MetricQuery(("gmv", "orders"), start=FEB1, end=MAR1, compare=Comparison("previous_period")))
    assert ranged == [
        {
            "gmv": Decimal("500.00"),
            "orders": 2,
            "gmv__previous": Decimal("180.00"),
            "gmv__change": pytest.approx(320 / 180),
            "orders__previous": 3,
            "orders__change": pytest.approx(-1 / 3),
        }
    ]
    yearly = _rows(tiny_ws, MetricQuery(("gmv",), start=FEB1, end=MAR1, compare=Comparison("previous_year")))
    assert yearly == [{"gmv": Decimal("500.00"), "gmv__previous": Decimal("0.00"), "gmv__change": None}]


def test_filters_take_codes_or_value_labels(tiny_ws: Workspace) -> None:
    def gmv(*filters: Filter) -> Decimal:
        return _one(tiny_ws, MetricQuery(("gmv",), start=JAN1, end=MAR1, filters=filters))["gmv"]

    assert gmv(Filter("channel", "eq", ("tmall",))) == Decimal("450.00")
    assert gmv(Filter("channel", "eq", ("天猫",))) == Decimal("450.00")
    assert gmv(Filter("channel", "ne", ("jd",))) == Decimal("450.00")
    assert gmv(Filter("channel", "in", ("tmall", "JD"))) == Decimal("680.00")
    assert gmv(Filter("channel", "not_in", ("tmall",))) == Decimal("230.00")
    assert gmv(Filter("city", "eq", ("北京",))) == Decimal("530.00")


def test_ordering_and_limit(tiny_ws: Workspace) -> None:
    rows = _rows(tiny_ws, MetricQuery(("gmv",), ("city",), start=JAN1, end=MAR1, order_by=("-gmv",), limit=1))
    assert rows == [{"city": "北京", "gmv": Decimal("530.00")}]


def test_results_carry_freshness_and_sql(tiny_ws: Workspace) -> None:
    result = query_metrics(tiny_ws, MetricQuery(("gmv", "uv"), grain=Grain.MONTH), use_rollups=False)
    assert result.source == "raw"
    assert str(result.freshness) == "2025-03-01 00:00:05"
    assert set(result.tables_freshness) >= {"orders", "events", "channels"}
    assert "AT TIME ZONE 'Asia/Shanghai'" in result.sql


def _rows(ws: Workspace, query: MetricQuery) -> list[dict[str, Any]]:
    return query_metrics(ws, query, use_rollups=False).table.to_pylist()
