"""A tiny hand-made warehouse for the metric dictionary's hand-computed tests.

Shop time zone Asia/Shanghai (UTC+8); warehouse times are naive UTC. Every expected number in
``test_catalogue.py`` is worked out by hand from these rows. The odd rows and why they exist:

* ``o6`` is placed 2024-12-31 15:30 UTC = 23:30 local on New Year's Eve: it stays in 2024, and it
  makes m1's January orders *returning* (m1's first paid order is o6);
* ``o3`` is placed 2025-01-31 17:00 UTC = 2025-02-01 01:00 local: it belongs to **February**
  (bucketing in UTC would put it in January);
* ``o4`` is cancelled and ``o7`` never paid: neither counts in GMV, ``o7`` counts in placed value;
* refund ``r2`` was rejected (not counted); shipment ``s3`` was lost (not a filled order);
* ``e5``/``e10`` come from a device without a member id (visitor = device id);
* conversation ``c1`` has a bot reply before the agent's: first response is the agent's (180 s);
  ``c3`` is never answered;
* SKU B at W1 has 0 on hand on 2025-01-10 and 4 on hand but 4 reserved on 2025-01-20: both are
  stock-outs (available = on hand - reserved <= 0).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from zhongtai.workspace import Workspace, init_workspace, open_workspace

D = Decimal


def _insert(ws: Workspace, table: str, rows: list[dict[str, Any]], load_id: int = 1) -> None:
    has_source = "source" in ws.warehouse.existing_columns(table)
    for row in rows:
        row.setdefault("_load_id", load_id)
        if has_source:
            row.setdefault("source", "erp")
    arrow = pa.Table.from_pylist(rows)
    con = ws.warehouse.con
    con.register("zt_rows", arrow)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM zt_rows").fetchall()
    con.unregister("zt_rows")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _order(
    oid: str,
    source: str,
    member: str,
    channel: str,
    at: str,
    *,
    paid: str | None,
    goods: str,
    disc: str = "0",
    total: str | None = None,
    items: int = 1,
    status: str = "completed",
    coupon: str | None = None,
    city: str = "上海",
) -> dict[str, Any]:
    t = _utc(at)
    paid_amount = D(paid) if paid is not None else D("0")
    return {
        "source": source,
        "customer_id": member,
        "member_id": member,
        "order_id": oid,
        "channel_id": channel,
        "order_time": t,
        "paid_at": t + timedelta(minutes=5) if paid is not None else None,
        "status": status,
        "currency": "CNY",
        "item_count": items,
        "goods_amount": D(goods),
        "discount_amount": D(disc),
        "shipping_fee": D("0"),
        "total_amount": D(total) if total else paid_amount,
        "paid_amount": paid_amount,
        "coupon_code": coupon,
        "city": city,
    }


def build_tiny_shop(folder: Path) -> Path:
    ws = init_workspace(folder, shop_name="tiny")
    try:
        _insert(
            ws,
            "channels",
            [
                {
                    "channel_id": "tmall_shop",
                    "name": "天猫店",
                    "platform": "tmall",
                    "kind": "marketplace",
                    "source": "erp",
                },
                {"channel_id": "jd_shop", "name": "京东店", "platform": "jd", "kind": "marketplace", "source": "erp"},
            ],
        )
        _insert(ws, "locations", [{"location_id": "W1", "kind": "warehouse", "city": "杭州", "source": "erp"}])
        _insert(
            ws,
            "products",
            [
                {
                    "sku": "A",
                    "spu": "SA",
                    "category_l1": "护肤",
                    "category_l2": "面部护理",
                    "price": D("60"),
                    "cost": D("10"),
                    "source": "erp",
                },
                {
                    "sku": "B",
                    "spu": "SB",
                    "category_l1": "服饰",
                    "category_l2": "女装",
                    "price": D("100"),
                    "cost": D("30"),
                    "source": "erp",
                },
            ],
        )
        _insert(
            ws,
            "orders",
            [
                _order("o6", "tmall", "m1", "tmall_shop", "2024-12-31 15:30:00", paid="40", goods="40"),
                _order(
                    "o1",
                    "tmall",
                    "m1",
                    "tmall_shop",
                    "2025-01-05 02:00:00",
                    paid="100",
                    goods="110",
                    disc="10",
                    items=2,
                    coupon="C1",
                ),
                _order("o2", "tmall", "m1", "tmall_shop", "2025-01-20 03:00:00", paid="50", goods="50"),
                _order("o8", "jd", "m5", "jd_shop", "2025-01-25 02:00:00", paid="30", goods="30", city="北京"),
                _order(
                    "o3",
                    "jd",
                    "m2",
                    "jd_shop",
                    "2025-01-31 17:00:00",
                    paid="200",
                    goods="220",
                    disc="20",
                    items=2,
                    coupon="C2",
                    city="北京",
                ),
                _order(
                    "o4",
                    "jd",
                    "m3",
                    "jd_shop",
                    "2025-02-10 04:00:00",
                    paid=None,
                    goods="80",
                    total="80",
                    status="cancelled",
                    city="北京",
                ),
                _order(
                    "o5",
                    "tmall",
                    "m2",
                    "tmall_shop",
                    "2025-02-15 06:00:00",
                    paid="300",
                    goods="300",
                    items=3,
                    city="北京",
                ),
                _order(
                    "o7",
                    "tmall",
                    "m4",
                    "tmall_shop",
                    "2025-02-20 02:00:00",
                    paid=None,
                    goods="70",
                    total="70",
                    status="created",
                ),
            ],
        )
        lines = [
            ("tmall", "o6", 1, "A", 1, "40"),
            ("tmall", "o1", 1, "A", 1, "60"),
            ("tmall", "o1", 2, "B", 1, "40"),
            ("tmall", "o2", 1, "A", 1, "50"),
            ("jd", "o8", 1, "B", 1, "30"),
            ("jd", "o3", 1, "B", 2, "200"),
            ("jd", "o4", 1, "A", 1, "80"),
            ("tmall", "o5", 1, "A", 3, "300"),
            ("tmall", "o7", 1, "A", 1, "70"),
        ]
        _insert(
            ws,
            "order_items",
            [
                {
                    "source": s,
                    "order_id": o,
                    "line_no": n,
                    "sku": k,
                    "quantity": q,
                    "unit_price": D(a) / q,
                    "amount": D(a),
                }
                for s, o, n, k, q, a in lines
            ],
        )
        _insert(
            ws,
            "refunds",
            [
                {
                    "source": "tmall",
                    "member_id": "m2",
                    "customer_id": "m2",
                    "refund_id": "r1",
                    "line_no": 1,
                    "order_id": "o5",
                    "sku": "A",
                    "quantity": 1,
                    "amount": D("100"),
                    "status": "completed",
                    "reason_code": "size",
                    "requested_at": _utc("2025-02-19 02:00:00"),
                    "refunded_at": _utc("2025-02-20 02:00:00"),
                },
                {
                    "source": "tmall",
                    "member_id": "m1",
                    "customer_id": "m1",
                    "refund_id": "r2",
                    "line_no": 1,
                    "order_id": "o1",
                    "sku": "B",
                    "quantity": 1,
                    "amount": D("40"),
                    "status": "rejected",
                    "reason_code": "changed_mind",
                    "requested_at": _utc("2025-01-10 02:00:00"),
                    "refunded_at": None,
                },
            ],
        )
        ev = [
            ("e1", "m1", None, "page_view", "2025-01-04 01:00:00", "s1", None),
            ("e2", "m1", None, "add_to_cart", "2025-01-04 01:05:00", "s1", None),
            ("e3", "m1", None, "purchase", "2025-01-05 02:00:00", "s2", "o1"),
            ("e4", "m4", None, "page_view", "2025-01-06 02:00:00", "s3", None),
            ("e5", None, "d9", "page_view", "2025-01-07 02:00:00", "s4", None),
            ("e10", None, "d9", "search", "2025-01-07 02:01:00", "s4", None),
            ("e6", "m2", None, "page_view", "2025-02-14 06:00:00", "s5", None),
            ("e7", "m2", None, "add_to_cart", "2025-02-14 06:10:00", "s5", None),
            ("e8", "m2", None, "purchase", "2025-02-15 06:00:00", "s6", "o5"),
            ("e9", "m1", None, "page_view", "2025-02-03 02:00:00", "s7", None),
        ]
        _insert(
            ws,
            "events",
            [
                {
                    "source": "tmall",
                    "event_id": e,
                    "member_id": m,
                    "customer_id": m,
                    "device_id": dev,
                    "event_type": t,
                    "event_time": _utc(at),
                    "session_id": s,
                    "channel_id": "tmall_shop",
                    "order_id": o,
                }
                for e, m, dev, t, at, s, o in ev
            ],
        )
        _insert(
            ws,
            "marketing_spend",
            [
                {
                    "source": "ads",
                    "spend_date": date(2025, 1, 10),
                    "channel_id": "tmall_shop",
                    "campaign_id": "K1",
                    "spend": D("300"),
                    "impressions": 10000,
                    "clicks": 200,
                    "conversions": 3,
                    "attributed_revenue": D("500"),
                },
                {
                    "source": "ads",
                    "spend_date": date(2025, 2, 1),
                    "channel_id": "jd_shop",
                    "campaign_id": "K2",
                    "spend": D("100"),
                    "impressions": 5000,
                    "clicks": 50,
                    "conversions": 1,
                    "attributed_revenue": D("250"),
                },
            ],
        )
        _insert(
            ws,
            "reviews",
            [
                {
                    "source": s,
                    "review_id": r,
                    "order_id": o,
                    "sku": k,
                    "rating": g,
                    "created_at": _utc(at),
                    "member_id": m,
                    "customer_id": m,
                }
                for s, r, o, k, g, at, m in [
                    ("tmall", "rv1", "o1", "A", 5, "2025-01-08 02:00:00", "m1"),
                    ("tmall", "rv2", "o1", "B", 2, "2025-01-09 02:00:00", "m1"),
                    ("jd", "rv3", "o3", "B", 1, "2025-02-05 02:00:00", "m2"),
                    ("tmall", "rv4", "o5", "A", 4, "2025-02-18 02:00:00", "m2"),
                ]
            ],
        )
        _insert(
            ws,
            "nps_responses",
            [
                {"source": "survey", "response_id": r, "score": s, "responded_at": _utc(at), "channel_id": "tmall_shop"}
                for r, s, at in [
                    ("n1", 10, "2025-01-11 02:00:00"),
                    ("n2", 9, "2025-01-12 02:00:00"),
                    ("n3", 7, "2025-01-13 02:00:00"),
                    ("n4", 3, "2025-01-14 02:00:00"),
                    ("n5", 6, "2025-02-11 02:00:00"),
                ]
            ],
        )
        msgs = [
            ("c1", "m1", "customer", "2025-01-12 02:00:00"),
            ("c1", None, "bot", "2025-01-12 02:00:30"),
            ("c1", None, "agent", "2025-01-12 02:03:00"),
            ("c1", "m1", "customer", "2025-01-12 02:05:00"),
            ("c1", None, "agent", "2025-01-12 02:06:00"),
            ("c2", "m2", "customer", "2025-01-15 08:00:00"),
            ("c2", None, "agent", "2025-01-15 08:10:00"),
            ("c3", "m4", "customer", "2025-01-16 08:00:00"),
        ]
        _insert(
            ws,
            "cs_messages",
            [
                {
                    "source": "tmall",
                    "message_id": "msg" + str(i),
                    "conversation_id": c,
                    "member_id": m,
                    "customer_id": m,
                    "sender": s,
                    "sent_at": _utc(at),
                    "channel_id": "tmall_shop",
                }
                for i, (c, m, s, at) in enumerate(msgs)
            ],
        )
        _insert(
            ws,
            "inventory_snapshots",
            [
                {"snapshot_date": d, "location_id": "W1", "sku": k, "on_hand": h, "reserved": r, "in_transit": 0}
                for d, k, h, r in [
                    (date(2025, 1, 10), "A", 10, 2),
                    (date(2025, 1, 10), "B", 0, 0),
                    (date(2025, 1, 20), "A", 6, 0),
                    (date(2025, 1, 20), "B", 4, 4),
                    (date(2025, 2, 10), "A", 8, 1),
                    (date(2025, 2, 10), "B", 2, 0),
                ]
            ],
        )
        _insert(
            ws,
            "shipments",
            [
                {
                    "source": s,
                    "shipment_id": sid,
                    "order_id": o,
                    "shipped_at": _utc(a),
                    "delivered_at": _utc(b) if b else None,
                    "status": st,
                }
                for s, sid, o, a, b, st in [
                    ("tmall", "s1", "o1", "2025-01-05 04:00:00", "2025-01-07 04:00:00", "delivered"),
                    ("tmall", "s2", "o2", "2025-01-21 00:00:00", "2025-01-22 00:00:00", "delivered"),
                    ("jd", "s3", "o3", "2025-02-02 00:00:00", None, "lost"),
                    ("tmall", "s4", "o5", "2025-02-16 00:00:00", "2025-02-17 12:00:00", "delivered"),
                ]
            ],
        )
        _insert(
            ws,
            "member_tiers",
            [
                {
                    "source": "tmall",
                    "customer_id": "m1",
                    "member_id": "m1",
                    "tier": "gold",
                    "valid_from": _utc("2024-06-01 00:00:00"),
                }
            ],
        )
        tables = [
            "channels",
            "locations",
            "products",
            "orders",
            "order_items",
            "refunds",
            "events",
            "marketing_spend",
            "reviews",
            "nps_responses",
            "cs_messages",
            "inventory_snapshots",
            "shipments",
            "member_tiers",
        ]
        counts = json.dumps({t: {"inserted": 1} for t in tables})
        ws.warehouse.con.execute(
            "INSERT INTO zt_meta.loads (load_id, status, source, table_counts, started_at, finished_at) "
            "VALUES (1, 'committed', 'tiny', ?, TIMESTAMP '2025-03-01 00:00:00', TIMESTAMP '2025-03-01 00:00:05')",
            [counts],
        ).fetchall()
    finally:
        ws.close()
    return folder


@pytest.fixture(scope="session")
def tiny_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the tiny hand-made workspace (built once per run; open it read-only)."""
    return build_tiny_shop(tmp_path_factory.mktemp("tiny") / "ws")


@pytest.fixture
def tiny_ws(tiny_shop: Path) -> Iterator[Workspace]:
    ws = open_workspace(tiny_shop, read_only=True)
    try:
        yield ws
    finally:
        ws.close()
