"""Shopify admin "Export orders" CSV (Orders → Export → "Export orders", UTF-8, one row per line item).

Header sources:

- https://help.shopify.com/zh-CN/manual/fulfillment/managing-orders/exporting-orders ("订单导出 CSV 结构",
  the help page of the same path under /en/): one row per line item, order fields left blank on the line
  items after the first.
- zhangerson/shopify_parsing@7177a96858152423f89ba15a31bf85e9b3428957:orders_export.csv (a real export,
  79 columns, newest header: ends with ``Payment ID, Payment Terms Name, Next Payment Due At, Payment
  References``).
- FelixTellmann/kidsliving-api@7424d1037e9f83f8eec50fbfafe6bd3bbe278e1d:orders_export.csv (a real 2021
  export, 75 columns, ends with ``Billing Province Name, Shipping Province Name``).

What the export does not carry: a customer id (``Email`` is a contact identifier, not a Shopify customer
id, so ``customer_id`` stays empty rather than holding PII in an identity-class column), the amount actually
paid (``paid_amount`` stays empty) and the line amount after discounts (``order_items.amount`` stays empty;
it is ``quantity × unit_price − discount_amount``). A free line at 0.00 has no gift flag, so the zero-price
rule quarantines it with its order.

Known engine issue: Shopify writes times as ``2025-03-01 10:01:58 -0500``; the engine does not yet read a UTC
offset that follows a blank, so a verbatim export is refused (every row fails ``parse.timestamp``) until
``parsers.offset_value`` accepts it. The mapping itself is tested on the same rows with that blank removed.
"""

from __future__ import annotations

from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict
from zhongtai.warehouse.model import CURRENCIES

__all__ = ["ADAPTERS", "SHOPIFY_ORDERS"]

REFERENCE = (
    "https://help.shopify.com/zh-CN/manual/fulfillment/managing-orders/exporting-orders; "
    "zhangerson/shopify_parsing@7177a96858152423f89ba15a31bf85e9b3428957:orders_export.csv; "
    "FelixTellmann/kidsliving-api@7424d1037e9f83f8eec50fbfafe6bd3bbe278e1d:orders_export.csv"
)

# Shopify's "Financial Status" words (lower case in the export) -> canonical order status.
FINANCIAL_STATUS = {
    "pending": "created",
    "authorized": "created",
    "partially_paid": "created",
    "paid": "paid",
    "partially_refunded": "paid",
    "refunded": "refunded",
    "voided": "cancelled",
    "expired": "cancelled",
}


def _first(header: str | list[str], **extra: object) -> dict[str, object]:
    """An order-level column: filled on the first line of an order, blank on the others."""
    return {"from": header, "aggregate": "first", **extra}


SHOPIFY_ORDERS = Adapter(
    name="shopify_orders",
    platform="shopify",
    en="Shopify admin order export (CSV, one row per line item)",
    zh="Shopify 后台订单导出(CSV,每个商品行一行)",
    reference=REFERENCE,
    formats=("csv",),
    mapping=mapping_from_dict(
        {
            "name": "shopify_orders",
            "version": 1,
            "description": "Shopify Orders → Export → Export orders (CSV for Excel or plain CSV)",
            "format": "csv",
            "source": "shopify",
            "tables": {
                "orders": {
                    "group_rows": True,
                    "columns": {
                        "order_id": {"from": "Name"},
                        "channel_id": {"const": "shopify"},
                        "order_time": _first("Created at"),
                        "paid_at": _first("Paid at"),
                        "status": _first("Financial Status", values=FINANCIAL_STATUS),
                        # identity map: unmapped code text is lower-cased before the (upper-case) ISO list
                        # is checked, so "USD" alone would be rejected as parse.code
                        "currency": _first("Currency", values={code: code for code in CURRENCIES}),
                        "item_count": {"from": "Lineitem quantity", "aggregate": "sum"},
                        "goods_amount": {"multiply": ["Lineitem quantity", "Lineitem price"], "aggregate": "sum"},
                        "discount_amount": _first("Discount Amount"),
                        "shipping_fee": _first("Shipping"),
                        "total_amount": _first("Total"),
                        "coupon_code": _first("Discount Code"),
                        "country": _first("Shipping Country"),
                        "province": _first(["Shipping Province Name", "Shipping Province"]),
                        "city": _first("Shipping City"),
                        "receiver_name": _first("Shipping Name"),
                        "receiver_phone": _first("Shipping Phone"),
                        "receiver_address": _first(["Shipping Street", "Shipping Address1"]),
                        "buyer_note": _first("Notes"),
                    },
                },
                "order_items": {
                    "columns": {
                        "order_id": {"from": "Name"},
                        "line_no": {"sequence": True},
                        "sku": {"from": "Lineitem sku"},
                        "product_name": {"from": "Lineitem name"},
                        "quantity": {"from": "Lineitem quantity"},
                        "unit_price": {"from": "Lineitem price"},
                        "discount_amount": {"from": "Lineitem discount", "optional": True},
                    },
                },
            },
        }
    ),
)

ADAPTERS: tuple[Adapter, ...] = (SHOPIFY_ORDERS,)
