"""抖店 (Douyin shop) 订单管理 → 批量导出 → "导出查询订单", 商品维度: one row per sub-order (子订单).

A main order (主订单编号) with several products has one row per sub-order (子订单编号); each row carries its own
quantity, unit price, discount, payable amount (订单应付金额) and freight share, so the orders table groups the
rows of a main order and SUMS them (unlike JD, Douyin does not repeat order money on every line). The export
is UTF-8 CSV; long ids are written with a leading tab (``"\t6917926768823643751"``) so Excel keeps them as
text, and empty fields are written as ``-``. Receiver name, phone and address are ciphertext in exports made
without decryption rights; they load as the text they are.

Header sources:

- KevinFan1/FinEngine@147024663d3c628abd52d998bb3a9d8e229f3b58:backend/app/tasks/processors/douyin.py
  (``DOUYIN_ORDER_HEADERS``: the 72 columns of the order export, 主订单编号 … 物流IMEI码2).
- ReginaldZeng/accounting-workbench@15d4fa68509c88a23951438334172d7d463bfcdb:
  01_Current_Deliverables/app/backend/kernels/ec_douyin.py (``_platform_row``: "抖店后台「订单导出」的一行＝一个
  子订单"; sums 订单应付金额 and 运费 over the sub-orders of a main order; status words 已发货, 已完成, 已关闭;
  after-sale words 退款成功, 售后关闭 …; "0 元子订单（赠品）": gift sub-orders exported at 0.00).
- http://gtc8.cn/baike/i103939.html (抖音订单报表使用说明: 导出查询订单 → 标准报表 or 自定义报表; 商品维度 puts each
  子订单 on its own row, 订单维度 one row per 主订单).
- Status words 待支付, 备货中, 待发货, 部分发货 are Douyin back-office order states not seen in an export file
  here; they are accepted but unverified.

What is not mapped: the export has no buyer id (``customer_id`` stays empty; 达人ID is the creator who sold the
item, not the buyer), and 售后状态 (after-sale) is a separate dimension the ``orders.status`` code cannot hold:
an order 已完成 with 售后状态 退款成功 loads as ``completed``; load the refund export for the refund itself.
"""

from __future__ import annotations

from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict

__all__ = ["ADAPTERS", "DOUYIN_ORDERS", "ORDER_STATUS"]

REFERENCE = (
    "KevinFan1/FinEngine@147024663d3c628abd52d998bb3a9d8e229f3b58:backend/app/tasks/processors/douyin.py; "
    "ReginaldZeng/accounting-workbench@15d4fa68509c88a23951438334172d7d463bfcdb:"
    "01_Current_Deliverables/app/backend/kernels/ec_douyin.py; http://gtc8.cn/baike/i103939.html"
)

ORDER_STATUS = {
    "已发货": "shipped",
    "已完成": "completed",
    "已关闭": "closed",
    # back-office states not seen in an export file here (unverified)
    "待支付": "created",
    "备货中": "paid",
    "待发货": "paid",
    "部分发货": "shipped",
}


def _first(header: str) -> dict[str, object]:
    """A main-order column repeated on each sub-order row (the first non-empty value wins)."""
    return {"from": header, "aggregate": "first"}


def _sum(header: str) -> dict[str, object]:
    """A sub-order amount: the main order's value is the sum over its sub-orders."""
    return {"from": header, "aggregate": "sum"}


DOUYIN_ORDERS = Adapter(
    name="douyin_orders",
    platform="douyin",
    en="Douyin shop (抖店) order export, product dimension (CSV, one row per sub-order)",
    zh="抖店 订单导出(商品维度 CSV,每个子订单一行)",
    reference=REFERENCE,
    formats=("csv", "xlsx"),
    mapping=mapping_from_dict(
        {
            "name": "douyin_orders",
            "version": 1,
            "description": "抖店 → 订单管理 → 导出查询订单 → 标准报表 (商品维度)",
            "currency": "CNY",
            "timezone": "Asia/Shanghai",
            "source": "douyin",
            "tables": {
                "orders": {
                    "group_rows": True,
                    "columns": {
                        "order_id": {"from": "主订单编号"},
                        "channel_id": {"const": "douyin"},
                        "order_time": _first("订单提交时间"),
                        "paid_at": _first("支付完成时间"),
                        # a gift sub-order can be 已关闭 while the main item is 已完成: the first row speaks
                        "status": {"from": "订单状态", "aggregate": "first", "values": ORDER_STATUS},
                        "item_count": _sum("商品数量"),
                        "goods_amount": {"multiply": ["商品数量", "商品单价"], "aggregate": "sum"},
                        "discount_amount": _sum("优惠总金额"),
                        "shipping_fee": _sum("运费"),
                        "total_amount": _sum("订单应付金额"),
                        "province": _first("省"),
                        "city": _first("市"),
                        "district": _first("区"),
                        "receiver_name": _first("收件人"),
                        "receiver_phone": _first("收件人手机号"),
                        "receiver_address": _first("详细地址"),
                        "buyer_note": _first("买家留言"),
                    },
                },
                "order_items": {
                    "columns": {
                        "order_id": {"from": "主订单编号"},
                        "line_no": {"sequence": True},
                        "sub_order_id": {"from": "子订单编号"},
                        "sku": {"from": "商家编码"},
                        "product_name": {"from": "选购商品"},
                        "quantity": {"from": "商品数量"},
                        "unit_price": {"from": "商品单价"},
                        "discount_amount": {"from": "优惠总金额"},
                        "amount": {"from": "订单应付金额"},
                    },
                },
            },
        }
    ),
)

ADAPTERS: tuple[Adapter, ...] = (DOUYIN_ORDERS,)
