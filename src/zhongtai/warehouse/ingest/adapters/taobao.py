"""淘宝/天猫 卖家中心 "已卖出的宝贝" → 批量导出: the order report and the item report.

The seller back office exports two CSV files per download (GB18030, ``ExportOrderList<时间>.csv`` and
``ExportOrderDetailList<时间>.csv``). Long numbers are written as ``="2025030812345678901"`` so Excel keeps
their digits, and several order-report headers end with a space (``收货地址 ``, ``联系电话 ``, ``订单付款时间 ``,
``宝贝标题 ``, ``宝贝种类 ``, ``物流单号 ``); the ingest engine handles all three.

Header sources:

- 订单报表: c2003070110/TBTool@870679f0a83a73c501987bf9f3c7adfd870d346b:
  src/com/walk_nie/taobao/print/PrintUtil.java (line 186: the header copied from a real export, trailing
  spaces included, with a sample row on line 187) and src/com/walk_nie/taobao/util/TaobaoUtil.java
  (``readTaobaoSaledIn``: the same 41 columns in order, ``=\"`` unwrapping).
- 宝贝报表: c2003070110/TBTool@870679f0a83a73c501987bf9f3c7adfd870d346b:
  src/com/walk_nie/taobao/object/OrderDetailObject.java (订单编号, 标题, 价格, 购买数量, 外部系统编号, 商品属性,
  套餐信息, 备注, 订单状态, 商家编码).
- Status words: the same TBTool files (``买家已付款，等待卖家发货`` in the sample row; ``交易关闭``, ``交易成功``,
  ``卖家已发货，等待买家确认`` compared in PrintUtil.java). ``等待买家付款`` and the rarer words marked below
  (cash on delivery, partial shipment, ``交易被淘宝关闭``) are Taobao trade-status words that public order
  importers map (e.g. a ``STATUS_MAP`` of the Taobao trade states) but that no export file seen here
  contains: they are accepted so a real file does not quarantine on them, and are unverified in an export.

``买家会员名`` (a nick, or an OAID-style hash in recent exports) is the buyer's id on Taobao, so it feeds
``customer_id``; the phone is a contact column only. Load the order report before the item report, with the
same ``source`` (the items reference the orders already in the warehouse).
"""

from __future__ import annotations

from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict

__all__ = ["ADAPTERS", "ORDER_STATUS", "TAOBAO_ITEMS", "TAOBAO_ORDERS", "with_ascii_commas"]

REFERENCE_ORDERS = (
    "c2003070110/TBTool@870679f0a83a73c501987bf9f3c7adfd870d346b:src/com/walk_nie/taobao/print/PrintUtil.java "
    "(header line 186, sample row line 187); "
    "c2003070110/TBTool@870679f0a83a73c501987bf9f3c7adfd870d346b:src/com/walk_nie/taobao/util/TaobaoUtil.java"
)
REFERENCE_ITEMS = (
    "c2003070110/TBTool@870679f0a83a73c501987bf9f3c7adfd870d346b:src/com/walk_nie/taobao/object/OrderDetailObject.java"
)


def with_ascii_commas(words: dict[str, str]) -> dict[str, str]:
    """Status words with a full-width comma (``买家已付款，等待卖家发货``, as Taobao and Pinduoduo write them),
    plus the same words with the ASCII comma that files re-saved by other tools carry."""
    out = dict(words)
    for word, code in words.items():
        out.setdefault(word.replace("，", ","), code)
    return out


ORDER_STATUS = with_ascii_commas(
    {
        "等待买家付款": "created",
        "买家已付款，等待卖家发货": "paid",
        "卖家已发货，等待买家确认": "shipped",
        "交易成功": "completed",
        "交易关闭": "closed",
        # Taobao trade-status words not seen in an export file here (see module docstring)
        "没有创建支付宝交易": "created",
        "等待买家确认货到付款订单信息": "created",
        "买家已确认，等待卖家发货": "paid",
        "卖家部分发货": "shipped",
        "卖家已发货，等待买家确认收货并付款": "shipped",
        "买家已签收": "shipped",
        "交易被淘宝关闭": "closed",
    }
)

TAOBAO_ORDERS = Adapter(
    name="taobao_orders",
    platform="taobao",
    en="Taobao/Tmall order report (订单报表, GB18030 CSV, one row per order)",
    zh="淘宝/天猫 订单报表(GB18030 CSV,每单一行)",
    reference=REFERENCE_ORDERS,
    formats=("csv",),
    mapping=mapping_from_dict(
        {
            "name": "taobao_orders",
            "version": 1,
            "description": "卖家中心 → 已卖出的宝贝 → 批量导出 → 订单报表 (ExportOrderList*.csv)",
            "format": "csv",
            "currency": "CNY",
            "timezone": "Asia/Shanghai",
            "source": "taobao",
            "tables": {
                "orders": {
                    "columns": {
                        "order_id": {"from": "订单编号"},
                        "customer_id": {"from": "买家会员名"},
                        "channel_id": {"from": "店铺名称", "optional": True},
                        "order_time": {"from": "订单创建时间"},
                        "paid_at": {"from": "订单付款时间"},
                        "status": {"from": "订单状态", "values": ORDER_STATUS},
                        "item_count": {"from": "宝贝总数量"},
                        "goods_amount": {"from": "买家应付货款"},
                        "shipping_fee": {"from": "买家应付邮费"},
                        "total_amount": {"from": "总金额"},
                        "paid_amount": {"from": "买家实际支付金额"},
                        "receiver_name": {"from": "收货人姓名"},
                        "receiver_phone": {"from": "联系手机"},
                        "receiver_address": {"from": "收货地址"},
                        "buyer_note": {"from": "买家留言", "optional": True},
                    },
                },
            },
        }
    ),
)

TAOBAO_ITEMS = Adapter(
    name="taobao_items",
    platform="taobao",
    en="Taobao/Tmall item report (宝贝报表, GB18030 CSV, one row per item line)",
    zh="淘宝/天猫 宝贝报表(GB18030 CSV,每个宝贝行一行)",
    reference=REFERENCE_ITEMS,
    formats=("csv",),
    mapping=mapping_from_dict(
        {
            "name": "taobao_items",
            "version": 1,
            "description": "卖家中心 → 已卖出的宝贝 → 批量导出 → 宝贝报表 (ExportOrderDetailList*.csv)",
            "format": "csv",
            "currency": "CNY",
            "timezone": "Asia/Shanghai",
            "source": "taobao",
            "tables": {
                "order_items": {
                    "columns": {
                        "order_id": {"from": "订单编号"},
                        "line_no": {"sequence": True},
                        "sku": {"from": "商家编码"},
                        "product_name": {"from": "标题"},
                        "quantity": {"from": "购买数量"},
                        "unit_price": {"from": "价格"},
                    },
                },
            },
        }
    ),
)

ADAPTERS: tuple[Adapter, ...] = (TAOBAO_ORDERS, TAOBAO_ITEMS)
