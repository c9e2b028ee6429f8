"""拼多多 商家后台 订单查询 → 批量导出 (CSV): one row per order (a Pinduoduo order holds one SKU line).

Money columns carry the unit in the header (``商品总价(元)``); some exports write the parentheses full-width
(``商家实收金额（元）``), which header matching folds to the same name. Cells of long numbers start with a tab.

Header sources:

- huaxiexiyan/catguild@63df8f47dc597bd3bf0540121361c68bafe35d12:
  catguild-business/src/main/java/cn/catguild/business/erp/presentation/model/OnlineOrderImportRequest.java
  (the full header of a 2023 export in a comment: 商品, 订单号, 订单状态, 商品数量(件), … 商家编码-规格维度, …
  商品总价(元), 邮费(元), 店铺优惠折扣(元), 平台优惠折扣(元), 多多支付立减金额(元), …, 用户实付金额(元),
  商家实收金额(元), 快递单号, 快递公司, 省, 市, 区, 街道/镇, …), and, at df7fd7d2f31a1edc19a6f864707a9f0607d1ae59,
  .../infrastructure/domain/type/OrderStatus.java (status words 待发货, 待支付, 未发货，退款成功, 已发货，待签收,
  已发货，退款成功, 已签收, 已取消).
- NingAnMe/pinduoduo-ERP@db0b491c87badb34fd1d61922f608f2ab34b7104:lib/dbyingxiao.py (``PddOrder.csv2order``,
  a 2020 export: the older names 商家编码-SKU维度, 收货人, 手机, 详细地址, read by name).

Known variants are header alternatives: 商家编码-规格维度 | 商家编码-SKU维度. The receiver columns (收货人, 手机,
详细地址) exist only in older exports and are optional. ``已签收，退款成功`` is not in the sources above (one public
importer switches on it); it is accepted but unverified.

Not mapped: the export has no buyer id (``customer_id`` stays empty; 用户购买手机号 is a phone, not an id);
``discount_amount`` would be 店铺优惠折扣 + 平台优惠折扣 (+ 多多支付立减), and the mapping language has no
sum of two columns, so it stays empty (goods_amount − paid_amount + shipping_fee gives it); the export has no
unit price and its 用户实付金额 includes postage, so ``order_items`` carries quantity and SKU but no money.
``order_time`` is 下单时间 where a file has it (catguild's importer maps that header, but it is not in the header
list it records: unverified), else 支付时间; a 待支付 order then has no time and is quarantined (required.missing).
"""

from __future__ import annotations

from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict
from zhongtai.warehouse.ingest.adapters.taobao import with_ascii_commas

__all__ = ["ADAPTERS", "ORDER_STATUS", "PINDUODUO_ORDERS"]

REFERENCE = (
    "huaxiexiyan/catguild@63df8f47dc597bd3bf0540121361c68bafe35d12:catguild-business/src/main/java/cn/catguild/"
    "business/erp/presentation/model/OnlineOrderImportRequest.java; "
    "NingAnMe/pinduoduo-ERP@db0b491c87badb34fd1d61922f608f2ab34b7104:lib/dbyingxiao.py"
)


ORDER_STATUS = with_ascii_commas(
    {
        "待支付": "created",
        "待发货": "paid",
        "已发货，待签收": "shipped",
        "已签收": "completed",
        "未发货，退款成功": "refunded",
        "已发货，退款成功": "refunded",
        "已签收，退款成功": "refunded",  # unverified in an export file
        "已取消": "cancelled",
    }
)

PINDUODUO_ORDERS = Adapter(
    name="pinduoduo_orders",
    platform="pinduoduo",
    en="Pinduoduo merchant order export (CSV, one row per order)",
    zh="拼多多 商家后台订单导出(CSV,每单一行)",
    reference=REFERENCE,
    formats=("csv", "xlsx"),
    mapping=mapping_from_dict(
        {
            "name": "pinduoduo_orders",
            "version": 1,
            "description": "拼多多商家后台 → 订单 → 订单查询 → 批量导出",
            "currency": "CNY",
            "timezone": "Asia/Shanghai",
            "source": "pinduoduo",
            "tables": {
                "orders": {
                    "columns": {
                        "order_id": {"from": "订单号"},
                        "channel_id": {"const": "pinduoduo"},
                        "order_time": {"from": ["下单时间", "支付时间"]},
                        "paid_at": {"from": "支付时间"},
                        "status": {"from": "订单状态", "values": ORDER_STATUS},
                        "item_count": {"from": "商品数量(件)"},
                        "goods_amount": {"from": "商品总价(元)"},
                        "shipping_fee": {"from": "邮费(元)"},
                        "total_amount": {"from": "用户实付金额(元)"},
                        "paid_amount": {"from": "用户实付金额(元)"},
                        "province": {"from": "省"},
                        "city": {"from": "市"},
                        "district": {"from": "区"},
                        "receiver_name": {"from": "收货人", "optional": True},
                        "receiver_phone": {"from": "手机", "optional": True},
                        "receiver_address": {"from": "详细地址", "optional": True},
                        "buyer_note": {"from": "买家留言", "optional": True},
                    },
                },
                "order_items": {
                    "columns": {
                        "order_id": {"from": "订单号"},
                        "line_no": {"sequence": True},
                        "sku": {"from": ["商家编码-规格维度", "商家编码-SKU维度"]},
                        "product_name": {"from": "商品"},
                        "quantity": {"from": "商品数量(件)"},
                    },
                },
            },
        }
    ),
)

ADAPTERS: tuple[Adapter, ...] = (PINDUODUO_ORDERS,)
