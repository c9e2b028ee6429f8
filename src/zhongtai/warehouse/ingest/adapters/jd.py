"""京东 POP 商家后台 订单导出 (订单管理 → 订单查询与跟踪 → 导出): one row per SKU of an order.

Every line repeats the ORDER's money (订单金额, 结算金额, 余额支付, 应付金额, 运费金额) and the order's buyer,
times and status, so the orders table groups the lines of an order and requires those values to agree
(``aggregate: agree``): a file whose lines disagree is quarantined, and money is counted once per order,
never once per line. Quantities are summed over the lines.

Header sources:

- howenx/sharp-admin@219d7acfea9baf3a3a7692b21e59dfec3912049d:app/domain/sale/SaleJdOrderLineInfo.java
  ("京东订单每行采集的数据": 订单号, 商品ID, 商品名称, 订购数量, 支付方式, 下单时间, 京东价, 订单金额,
  结算金额, 余额支付, 应付金额, 订单状态, 订单类型, 下单帐号, 客户姓名, 客户地址, 联系电话, 订单备注,
  发票类型, 发票抬头, 发票内容, 商家备注, 商家备注等级（等级1-5为由高到低）, 运费金额, 付款确认时间,
  增值税发票, 货号, 订单完成时间, 订单来源, 订单渠道).
  The same project's sales controller prints one real 2015 row column by column (订单金额 1097.00 on a
  line whose 京东价 is 758.00: the order money is order-level), with the status ``(删除)等待出库``.
- Meaning of the money columns: the JD open-platform order fields (orderTotalPrice "订单总金额 = 订单金额
  (不减优惠,不加运费服务费税费)", orderPayment "用户应付金额 = 货款 − 用户优惠 − 余额 + 运费 + 税费 + 服务费").
- Status words: ``等待出库`` (and its ``(删除)`` form) is seen in the export above. The other words are the
  Chinese names of the JD order states (WAIT_SELLER_STOCK_OUT 等待出库, WAIT_GOODS_RECEIVE_CONFIRM 等待确认收货,
  WAIT_SELLER_DELIVERY 等待发货, PAUSE 暂停, FINISHED_L 完成, TRADE_CANCELED 取消, LOCKED 已锁定) as public JD
  order tools list them; their exact spelling in an export file is unverified.

``下单帐号`` is the buyer's JD account (a channel-scoped id) and feeds ``customer_id``. The export is an
Excel workbook (.xlsx); its order ids are numeric cells (read back exactly below 2^53).
"""

from __future__ import annotations

from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict

__all__ = ["ADAPTERS", "JD_ORDERS", "ORDER_STATUS"]

REFERENCE = "howenx/sharp-admin@219d7acfea9baf3a3a7692b21e59dfec3912049d:app/domain/sale/SaleJdOrderLineInfo.java"

_STATES = {
    "等待出库": "paid",
    "等待发货": "paid",
    "暂停": "paid",
    "已锁定": "paid",
    "等待确认收货": "shipped",
    "完成": "completed",
    "取消": "cancelled",
}
# "(删除)" marks an order the buyer removed from their own order list; the order itself is unchanged.
ORDER_STATUS = {**_STATES, **{f"(删除){word}": code for word, code in _STATES.items()}}


def _agree(header: str) -> dict[str, object]:
    """An order-level column repeated on every SKU line: the lines must carry the same value."""
    return {"from": header, "aggregate": "agree"}


def _first(header: str) -> dict[str, object]:
    return {"from": header, "aggregate": "first"}


JD_ORDERS = Adapter(
    name="jd_orders",
    platform="jd",
    en="JD (京东) POP order export (.xlsx, one row per SKU, order money repeated on every line)",
    zh="京东 POP 订单导出(.xlsx,每个 SKU 一行,订单金额在每行重复)",
    reference=REFERENCE,
    formats=("xlsx", "csv"),
    mapping=mapping_from_dict(
        {
            "name": "jd_orders",
            "version": 1,
            "description": "京东商家后台 → 订单管理 → 订单查询与跟踪 → 订单导出",
            "currency": "CNY",
            "timezone": "Asia/Shanghai",
            "source": "jd",
            "tables": {
                "orders": {
                    "group_rows": True,
                    "columns": {
                        "order_id": {"from": "订单号"},
                        "customer_id": _agree("下单帐号"),
                        "channel_id": {"const": "jd"},
                        "order_time": _agree("下单时间"),
                        "paid_at": _agree("付款确认时间"),
                        "status": {"from": "订单状态", "aggregate": "agree", "values": ORDER_STATUS},
                        "item_count": {"from": "订购数量", "aggregate": "sum"},
                        "goods_amount": _agree("订单金额"),
                        "shipping_fee": _agree("运费金额"),
                        "total_amount": _agree("应付金额"),
                        "receiver_name": _first("客户姓名"),
                        "receiver_phone": _first("联系电话"),
                        "receiver_address": _first("客户地址"),
                        "buyer_note": _first("订单备注"),
                    },
                },
                "order_items": {
                    "columns": {
                        "order_id": {"from": "订单号"},
                        "line_no": {"sequence": True},
                        "sku": {"from": "货号"},
                        "product_name": {"from": "商品名称"},
                        "quantity": {"from": "订购数量"},
                        "unit_price": {"from": "京东价"},
                    },
                },
            },
        }
    ),
)

ADAPTERS: tuple[Adapter, ...] = (JD_ORDERS,)
