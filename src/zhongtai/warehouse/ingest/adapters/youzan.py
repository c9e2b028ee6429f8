"""有赞 (Youzan) 微商城 订单 → 订单查询 → 导出 "订单数据" (CSV, one row per order, order dimension).

The order-dimension export has no item lines (全部商品名称 joins the product names, 商品种类数 counts them), so
this adapter fills ``orders`` only. Some exports repeat a header (``分销员`` appears twice in the source below);
unmapped duplicates are harmless.

Header sources:

- srafyhucl-cpu/yunxibakebot@6474fe2aaca17f475b01d8ac8c87603790ac8cda:
  tests/scripts/test_audit_youzan_customer_migration.py (``_write_orders_csv``: the 60-column header of a
  Youzan 订单数据 export, 订单号 … 订单下级卖货提成金额, with status 交易完成) and, in the same repository at
  62597fe7504aa585960b3b0e7fd36be0af90e35c, scripts/audit_youzan_customer_migration.py (reads the real file
  ``docs/有赞导出/订单数据.csv`` by these names: 订单号, 订单创建时间, 买家昵称, 买家手机号, 交易成功时间,
  订单实收金额 …).
- Status words: 交易完成 is in that file; 交易成功 appears in other public Youzan importers' test data. 待付款,
  待发货, 已发货, 已关闭 are the Youzan back-office order states, accepted but unverified in an export file.

Not mapped: the export has no buyer id (买家昵称 is a display name and 买家手机号 a phone), so ``customer_id``
stays empty; ``discount_amount`` is 店铺优惠合计 only (支付优惠合计 would need a sum of two columns).
"""

from __future__ import annotations

from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict

__all__ = ["ADAPTERS", "ORDER_STATUS", "YOUZAN_ORDERS"]

REFERENCE = (
    "srafyhucl-cpu/yunxibakebot@6474fe2aaca17f475b01d8ac8c87603790ac8cda:"
    "tests/scripts/test_audit_youzan_customer_migration.py; "
    "srafyhucl-cpu/yunxibakebot@62597fe7504aa585960b3b0e7fd36be0af90e35c:scripts/audit_youzan_customer_migration.py"
)

ORDER_STATUS = {
    "交易完成": "completed",
    "交易成功": "completed",
    # back-office states not seen in an export file here (unverified)
    "待付款": "created",
    "待发货": "paid",
    "已发货": "shipped",
    "已关闭": "closed",
}

YOUZAN_ORDERS = Adapter(
    name="youzan_orders",
    platform="youzan",
    en="Youzan order export, order dimension (CSV, one row per order)",
    zh="有赞 订单导出(订单维度 CSV,每单一行)",
    reference=REFERENCE,
    formats=("csv", "xlsx"),
    mapping=mapping_from_dict(
        {
            "name": "youzan_orders",
            "version": 1,
            "description": "有赞后台 → 订单 → 订单查询 → 导出 (订单数据)",
            "currency": "CNY",
            "timezone": "Asia/Shanghai",
            "source": "youzan",
            "tables": {
                "orders": {
                    "columns": {
                        "order_id": {"from": "订单号"},
                        "channel_id": {"from": "归属店铺", "optional": True},
                        "order_time": {"from": "订单创建时间"},
                        "paid_at": {"from": "买家付款时间"},
                        "status": {"from": "订单状态", "values": ORDER_STATUS},
                        "goods_amount": {"from": "商品金额合计"},
                        "discount_amount": {"from": "店铺优惠合计"},
                        "shipping_fee": {"from": "运费"},
                        "total_amount": {"from": "应收订单金额"},
                        "paid_amount": {"from": "订单实付金额"},
                        "province": {"from": "收货人省份"},
                        "city": {"from": "收货人城市"},
                        "district": {"from": "收货人地区"},
                        "receiver_name": {"from": "收货人/提货人"},
                        "receiver_phone": {"from": "收货人手机号/提货人手机号"},
                        "receiver_address": {"from": "详细收货地址/提货地址"},
                        "buyer_note": {"from": "买家备注"},
                    },
                },
            },
        }
    ),
)

ADAPTERS: tuple[Adapter, ...] = (YOUZAN_ORDERS,)
