"""Platform adapters load their real export shapes and give the numbers a person computes by hand.

Fixtures are written by ``tests/fixtures/adapters/make_fixtures.py``; the expected numbers below are summed
by hand from the rows there (each test says which rows).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zhongtai.errors import IngestError, InputError
from zhongtai.warehouse.ingest import LoadResult, ingest_file, read_quarantine
from zhongtai.warehouse.ingest.adapters import Adapter, adapters, get_adapter
from zhongtai.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "adapters"


def _load(ws: Workspace, adapter: str, file: str | Path, source: str) -> LoadResult:
    found = get_adapter(adapter)
    return ingest_file(ws, FIXTURES / file, mapping=found.mapping, source=source, adapter=found.name)


def _value(ws: Workspace, sql: str, *params: object) -> Any:
    row = ws.warehouse.con.execute(sql, list(params)).fetchone()
    assert row is not None
    return row[0]


def _pairs(ws: Workspace, sql: str, *params: object) -> dict[Any, Any]:
    return dict(ws.warehouse.con.execute(sql, list(params)).fetchall())


def _quarantined(result: LoadResult) -> set[tuple[int, str, str]]:
    """(file row, table, rule) of every quarantined problem."""
    assert result.quarantine_path is not None
    return {(int(q["row"]), str(q["table"]), str(q["rule"])) for q in read_quarantine(result.quarantine_path)}


# --- registry ------------------------------------------------------------------------------------------


def test_every_platform_adapter_is_registered_with_a_citation() -> None:
    names = {a.name for a in adapters()}
    assert names >= {
        "shopify_orders",
        "taobao_orders",
        "taobao_items",
        "jd_orders",
        "douyin_orders",
        "pinduoduo_orders",
        "youzan_orders",
    }
    for adapter in adapters():
        # repository@commit:path or a URL, never an empty or vague pointer
        assert "@" in adapter.reference or adapter.reference.startswith("http"), adapter.name


def test_a_platform_name_finds_its_only_adapter_and_refuses_when_it_has_two() -> None:
    assert get_adapter("jd").name == "jd_orders"
    assert get_adapter("douyin").name == "douyin_orders"
    with pytest.raises(InputError):
        get_adapter("taobao")  # order report and item report


# --- Shopify -------------------------------------------------------------------------------------------

SHOPIFY = "shopify_orders_export.csv"


@pytest.fixture
def shopify_file() -> Path:
    """The export verbatim: times carry a blank before the UTC offset (``2025-03-01 10:01:58 -0500``)."""
    return FIXTURES / SHOPIFY


def test_shopify_groups_line_items_into_orders_and_counts_order_money_once(
    workspace: Workspace, shopify_file: Path
) -> None:
    result = _load(workspace, "shopify_orders", shopify_file, "shopify")
    assert result.record is not None
    assert result.record.table_counts["orders"].inserted == 4  # #1001..#1004; #1005 is quarantined
    assert result.record.table_counts["order_items"].inserted == 6  # 2 + 1 + 2 + 1 lines
    # Total is on the first line of each order only: 55 + 30 + 45 + 30
    assert _value(workspace, "SELECT SUM(total_amount) FROM orders") == Decimal("160.00")
    # goods = Σ quantity × price over the lines: #1001 2×15 + 1×20, #1003 1×40 + 2×5
    assert _pairs(workspace, "SELECT order_id, goods_amount FROM orders") == {
        "#1001": Decimal("50.00"),
        "#1002": Decimal("30.00"),
        "#1003": Decimal("50.00"),
        "#1004": Decimal("25.00"),
    }
    assert _pairs(workspace, "SELECT order_id, item_count FROM orders") == {
        "#1001": 3,
        "#1002": 1,
        "#1003": 3,
        "#1004": 1,
    }


def test_shopify_takes_order_fields_from_the_first_line_and_keeps_the_shop_currency(
    workspace: Workspace, shopify_file: Path
) -> None:
    _load(workspace, "shopify_orders", shopify_file, "shopify")
    row = workspace.warehouse.con.execute(
        "SELECT coupon_code, discount_amount, receiver_name, currency, order_time, customer_id "
        "FROM orders WHERE order_id = '#1003'"
    ).fetchone()
    # the second line of #1003 leaves every order column blank; the first line's values win
    assert row == ("WELCOME10", Decimal("5.00"), "Test Customer 3", "USD", datetime(2025, 3, 4, 2, 15), None)
    assert (
        _value(workspace, "SELECT buyer_note FROM orders WHERE order_id = '#1001'") == "Please gift wrap,\nthank you!"
    )


def test_shopify_financial_status_maps_to_order_status(workspace: Workspace, shopify_file: Path) -> None:
    _load(workspace, "shopify_orders", shopify_file, "shopify")
    assert _pairs(workspace, "SELECT order_id, status FROM orders") == {
        "#1001": "paid",
        "#1002": "refunded",
        "#1003": "paid",
        "#1004": "created",
    }


def test_shopify_free_sample_line_quarantines_its_whole_order(workspace: Workspace, shopify_file: Path) -> None:
    """A 0.00 line with no gift flag (Shopify has none) breaks range.zero_price; its order goes with it."""
    result = _load(workspace, "shopify_orders", shopify_file, "shopify")
    assert _quarantined(result) == {(9, "order_items", "range.zero_price"), (8, "orders", "group.incomplete")}
    assert _value(workspace, "SELECT COUNT(*) FROM orders WHERE order_id = '#1005'") == 0


# --- Taobao / Tmall ------------------------------------------------------------------------------------

TAOBAO_ORDERS = "taobao_ExportOrderList202503081200.csv"
TAOBAO_ITEMS = "taobao_ExportOrderDetailList202503081200.csv"


def test_taobao_order_report_reads_gb18030_with_padded_headers_and_keeps_19_digit_ids(workspace: Workspace) -> None:
    result = _load(workspace, "taobao_orders", TAOBAO_ORDERS, "taobao")
    assert result.record is not None
    assert result.record.encoding == "gb18030"
    assert result.record.rows_quarantined == 0
    ids = [r[0] for r in workspace.warehouse.con.execute("SELECT order_id FROM orders ORDER BY order_id").fetchall()]
    assert ids == [f"202503081234567890{n}" for n in range(1, 7)]  # ="…" unwrapped, not one digit lost
    # 订单付款时间 has a trailing space in the header and still feeds paid_at
    assert _value(workspace, "SELECT paid_at FROM orders WHERE order_id = '2025030812345678901'") == datetime(
        2025, 3, 8, 2, 6
    )  # 2025/3/8 10:06 in Shanghai


def test_taobao_order_money_and_status_words(workspace: Workspace) -> None:
    _load(workspace, "taobao_orders", TAOBAO_ORDERS, "taobao")
    # 总金额: 158 + "1,244.50" + 99 + 67.90 + 200 + 45
    assert _value(workspace, "SELECT SUM(total_amount) FROM orders") == Decimal("1814.40")
    # 买家实际支付金额: the closed and the unpaid order paid nothing
    assert _value(workspace, "SELECT SUM(paid_amount) FROM orders") == Decimal("1647.50")
    assert _pairs(workspace, "SELECT RIGHT(order_id, 1), status FROM orders") == {
        "1": "completed",
        "2": "shipped",
        "3": "closed",
        "4": "created",
        "5": "paid",
        "6": "completed",
    }
    assert _value(workspace, "SELECT item_count FROM orders WHERE order_id = '2025030812345678905'") == 2  # "２"


def test_taobao_buyer_nick_is_the_customer_id_and_links_repeat_orders(workspace: Workspace) -> None:
    _load(workspace, "taobao_orders", TAOBAO_ORDERS, "taobao")
    members = _pairs(workspace, "SELECT order_id, member_id FROM orders WHERE customer_id = 'tb_测试用户甲'")
    assert set(members) == {"2025030812345678901", "2025030812345678906"}
    assert len(set(members.values())) == 1
    assert _value(workspace, "SELECT COUNT(DISTINCT member_id) FROM orders") == 5
    # the phone never becomes an identifier
    assert _value(workspace, "SELECT COUNT(*) FROM orders WHERE customer_id LIKE '%1000000000%'") == 0


def test_taobao_item_report_attaches_lines_to_loaded_orders(workspace: Workspace) -> None:
    _load(workspace, "taobao_orders", TAOBAO_ORDERS, "taobao")
    result = _load(workspace, "taobao_items", TAOBAO_ITEMS, "taobao")
    assert result.record is not None
    assert result.record.table_counts["order_items"].inserted == 7
    # the 0.00 gift line of order 2 (file row 5) is quarantined alone: items have no parent group here
    assert _quarantined(result) == {(5, "order_items", "range.zero_price")}
    line_goods = _pairs(workspace, "SELECT order_id, SUM(quantity * unit_price) FROM order_items GROUP BY order_id")
    order_goods = _pairs(workspace, "SELECT order_id, goods_amount FROM orders")
    assert {k: Decimal(v).quantize(Decimal("0.01")) for k, v in line_goods.items()} == order_goods


def test_taobao_item_report_before_its_orders_is_refused(workspace: Workspace) -> None:
    with pytest.raises(IngestError) as refused:
        _load(workspace, "taobao_items", TAOBAO_ITEMS, "taobao")
    assert "ref.missing_parent" in str(refused.value.params.get("rules"))
    assert _value(workspace, "SELECT COUNT(*) FROM order_items") == 0


# --- JD ------------------------------------------------------------------------------------------------

JD = "jd_orders.xlsx"


def test_jd_order_money_repeated_on_every_sku_line_is_counted_once(workspace: Workspace) -> None:
    result = _load(workspace, "jd_orders", JD, "jd")
    assert result.record is not None
    assert result.record.table_counts["orders"].inserted == 4
    assert result.record.table_counts["order_items"].inserted == 8  # 2 + 3 + 1 + 2 SKU lines
    # 应付金额 of the distinct orders: 932.45 + 230.00 + 88.00 + 90.00; summing lines would give 2822.90
    assert _value(workspace, "SELECT SUM(total_amount) FROM orders") == Decimal("1340.45")
    # 订单金额: 1097 + 220 + 88 + 100; quantities are summed over the lines: 2 + 4 + 1 + 2
    assert _value(workspace, "SELECT SUM(goods_amount) FROM orders") == Decimal("1505.00")
    assert _value(workspace, "SELECT SUM(item_count) FROM orders") == 9
    assert _value(workspace, "SELECT SUM(shipping_fee) FROM orders") == Decimal("10.00")


def test_jd_reads_numeric_order_ids_exactly_and_maps_status_words(workspace: Workspace) -> None:
    _load(workspace, "jd_orders", JD, "jd")
    assert _pairs(workspace, "SELECT order_id, status FROM orders") == {
        "11729384072": "paid",
        "11729384073": "completed",
        "11729384074": "cancelled",
        "11729384075": "paid",  # (删除)等待出库: deleted from the buyer's list, still waiting to ship
    }
    assert _pairs(workspace, "SELECT order_id, customer_id FROM orders WHERE order_id = '11729384072'") == {
        "11729384072": "jd_test_buyer_01"
    }
    # a date cell, read in Shanghai time and stored as UTC
    assert _value(workspace, "SELECT order_time FROM orders WHERE order_id = '11729384072'") == datetime(
        2025, 3, 8, 1, 15
    )


def test_jd_lines_that_disagree_on_order_money_quarantine_the_order(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(FIXTURES / JD)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("应付金额") + 1, value=900.00)  # 2nd line of 11729384072 (932.45 above)
    variant = tmp_path / "jd_orders_disagreeing.xlsx"
    book.save(variant)

    result = _load(workspace, "jd_orders", variant, "jd")
    rules = _quarantined(result)
    assert {(row, rule) for row, _, rule in rules} >= {(2, "conflict.values"), (3, "conflict.values")}
    assert {row for row, _, _ in rules} == {2, 3}
    assert _value(workspace, "SELECT SUM(total_amount) FROM orders") == Decimal("408.00")  # 1340.45 − 932.45
    assert _value(workspace, "SELECT COUNT(*) FROM order_items WHERE order_id = '11729384072'") == 0


# --- Douyin --------------------------------------------------------------------------------------------

DOUYIN = "douyin_orders.csv"


def test_douyin_sums_sub_orders_into_their_main_order(workspace: Workspace) -> None:
    result = _load(workspace, "douyin_orders", DOUYIN, "douyin")
    assert result.record is not None
    assert result.record.table_counts["orders"].inserted == 5
    assert result.record.table_counts["order_items"].inserted == 6
    two_subs = workspace.warehouse.con.execute(
        "SELECT total_amount, goods_amount, discount_amount, item_count FROM orders "
        "WHERE order_id = '6917926768823643760'"
    ).fetchone()
    # sub-orders 34.80 + 9.90 payable; 2×19.90 + 1×9.90 goods; 5.00 discount; 2 + 1 units
    assert two_subs == (Decimal("44.70"), Decimal("49.70"), Decimal("5.00"), 3)
    # 28.90 + 44.70 + 58.00 + 29.90 + 45.00 (…790 is quarantined)
    assert _value(workspace, "SELECT SUM(total_amount) FROM orders") == Decimal("206.50")
    assert _value(workspace, "SELECT shipping_fee FROM orders WHERE order_id = '6917926768823643770'") == Decimal(
        "8.00"
    )


def test_douyin_tab_prefixed_ids_and_dash_empties(workspace: Workspace) -> None:
    _load(workspace, "douyin_orders", DOUYIN, "douyin")
    subs = [
        r[0]
        for r in workspace.warehouse.con.execute(
            "SELECT sub_order_id FROM order_items WHERE order_id = '6917926768823643760' ORDER BY line_no"
        ).fetchall()
    ]
    assert subs == ["69179267688236437601", "69179267688236437602"]
    # 支付完成时间 "-" on the order closed before payment is empty, not an error
    closed = workspace.warehouse.con.execute(
        "SELECT status, paid_at FROM orders WHERE order_id = '6917926768823643780'"
    ).fetchone()
    assert closed == ("closed", None)
    assert _pairs(workspace, "SELECT RIGHT(order_id, 2), status FROM orders") == {
        "51": "completed",
        "60": "shipped",
        "70": "paid",
        "80": "closed",
        "99": "completed",
    }


def test_douyin_zero_price_gift_sub_order_quarantines_its_main_order(workspace: Workspace) -> None:
    """The gift sub-order (file row 8) has 商品单价 0.00 and no gift flag in the export."""
    result = _load(workspace, "douyin_orders", DOUYIN, "douyin")
    assert _quarantined(result) == {(8, "order_items", "range.zero_price"), (7, "orders", "group.incomplete")}
    assert _value(workspace, "SELECT COUNT(*) FROM orders WHERE order_id = '6917926768823643790'") == 0


def test_douyin_has_no_buyer_id_so_customer_id_stays_empty(workspace: Workspace) -> None:
    _load(workspace, "douyin_orders", DOUYIN, "douyin")
    # 达人ID is the seller-side creator and the receiver fields are ciphertext: neither is a buyer id
    assert _value(workspace, "SELECT COUNT(*) FROM orders WHERE customer_id IS NOT NULL") == 0


# --- Pinduoduo -----------------------------------------------------------------------------------------

PINDUODUO = "pinduoduo_orders.csv"
PINDUODUO_2020 = "pinduoduo_orders_2020.csv"


def test_pinduoduo_order_money_and_status_words(workspace: Workspace) -> None:
    result = _load(workspace, "pinduoduo_orders", PINDUODUO, "pinduoduo")
    assert result.record is not None
    assert result.record.rows_quarantined == 0  # the 0元试用 order has no unit price to trip on
    # 用户实付金额(元): 31.90 + 59.80 + 19.90 + 25.00 + 0.00
    assert _value(workspace, "SELECT SUM(paid_amount) FROM orders") == Decimal("136.60")
    # 商品总价(元): before the 5.00 shop and 3.00 platform discounts of order 01
    assert _value(workspace, "SELECT SUM(goods_amount) FROM orders") == Decimal("144.60")
    assert _pairs(workspace, "SELECT RIGHT(order_id, 2), status FROM orders") == {
        "01": "paid",
        "02": "shipped",
        "03": "completed",
        "04": "refunded",
        "05": "completed",
    }
    assert _pairs(workspace, "SELECT order_id, sku FROM order_items WHERE line_no = 1 AND order_id LIKE '%01'") == {
        "250308-100000000000001": "PDD-01"  # tab prefixes dropped
    }


def test_pinduoduo_2020_header_variant_loads_through_the_alternatives(workspace: Workspace) -> None:
    result = _load(workspace, "pinduoduo_orders", PINDUODUO_2020, "pinduoduo")
    assert result.record is not None
    assert result.record.rows_quarantined == 0
    assert _pairs(workspace, "SELECT order_id, sku FROM order_items") == {
        "200715-100000000000101": "PDD2020-01",
        "200715-100000000000102": "PDD2020-02",  # 商家编码-SKU维度
    }
    assert (
        _value(workspace, "SELECT receiver_name FROM orders WHERE order_id = '200715-100000000000101'") == "测试用户庚"
    )


# --- Youzan --------------------------------------------------------------------------------------------

YOUZAN = "youzan_orders.csv"


def test_youzan_order_money_status_and_repeated_header(workspace: Workspace) -> None:
    result = _load(workspace, "youzan_orders", YOUZAN, "youzan")
    assert result.record is not None
    assert result.record.rows_quarantined == 0  # 分销员 twice in the header is not mapped, so not ambiguous
    # 应收订单金额: 90 + 210 + 50 + 30 + 1234.50; 订单实付金额: the closed and the unpaid order paid 0
    assert _value(workspace, "SELECT SUM(total_amount) FROM orders") == Decimal("1614.50")
    assert _value(workspace, "SELECT SUM(paid_amount) FROM orders") == Decimal("1534.50")
    assert _value(workspace, "SELECT goods_amount FROM orders WHERE order_id LIKE '%05'") == Decimal(
        "1234.50"
    )  # ¥1,234.50
    assert _pairs(workspace, "SELECT RIGHT(order_id, 1), status FROM orders") == {
        "1": "completed",
        "2": "paid",
        "3": "closed",
        "4": "created",
        "5": "completed",
    }
    assert _value(workspace, "SELECT COUNT(*) FROM orders WHERE paid_at IS NULL") == 2
    assert _value(workspace, "SELECT DISTINCT channel_id FROM orders") == "测试烘焙店"


# --- every adapter -------------------------------------------------------------------------------------

RELOADS = [
    ("taobao_orders", TAOBAO_ORDERS, "taobao", ()),
    ("taobao_items", TAOBAO_ITEMS, "taobao", (("taobao_orders", TAOBAO_ORDERS),)),
    ("jd_orders", JD, "jd", ()),
    ("douyin_orders", DOUYIN, "douyin", ()),
    ("pinduoduo_orders", PINDUODUO, "pinduoduo", ()),
    ("youzan_orders", YOUZAN, "youzan", ()),
]


@pytest.mark.parametrize(("adapter", "file", "source", "before"), RELOADS, ids=[r[0] for r in RELOADS])
def test_reloading_the_same_export_is_a_no_op(
    workspace: Workspace, adapter: str, file: str, source: str, before: tuple[tuple[str, str], ...]
) -> None:
    for name, prerequisite in before:
        _load(workspace, name, prerequisite, source)
    first = _load(workspace, adapter, file, source)
    counts = {t: workspace.warehouse.row_count(t) for t in ("orders", "order_items")}
    again = _load(workspace, adapter, file, source)
    assert first.status == "committed"
    assert again.status == "unchanged"
    assert again.previous_load_id == first.load_id
    assert {t: workspace.warehouse.row_count(t) for t in ("orders", "order_items")} == counts


def test_reloading_shopify_is_a_no_op(workspace: Workspace) -> None:
    file = FIXTURES / SHOPIFY
    first = _load(workspace, "shopify_orders", file, "shopify")
    again = _load(workspace, "shopify_orders", file, "shopify")
    assert (first.status, again.status) == ("committed", "unchanged")
    assert workspace.warehouse.row_count("orders") == 4


def test_every_adapter_declares_the_platform_of_its_model() -> None:
    from zhongtai.warehouse.model import PLATFORMS

    found: list[Adapter] = adapters()
    assert all(a.platform in PLATFORMS for a in found)
    assert all(a.mapping.source == a.platform for a in found)
