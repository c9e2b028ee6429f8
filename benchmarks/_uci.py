"""The mapping every ingest benchmark loads the UCI Online Retail shape with.

Non-cancellation invoices become orders (one per invoice: earliest time, summed amount and
units) and order lines (numbered in file order); ``C…`` invoices become refund lines with
quantity and amount negated. It is kept as plain data so that processes which must not import
zhongtai (the DuckDB and pandas variants) can still read it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAPPING", "SOURCE"]

SOURCE = "uci"

MAPPING: dict[str, Any] = {
    "name": "uci_online_retail",
    "version": 1,
    "timezone": "Europe/London",
    "currency": "GBP",
    "tables": {
        "orders": {
            "group_rows": True,
            "when": [{"column": "InvoiceNo", "not_starts_with": "C"}],
            "columns": {
                "order_id": {"from": "InvoiceNo"},
                "customer_id": {"from": "CustomerID"},
                "order_time": {"from": "InvoiceDate", "aggregate": "min"},
                "country": {"from": "Country"},
                "goods_amount": {"multiply": ["Quantity", "UnitPrice"], "aggregate": "sum"},
                "total_amount": {"multiply": ["Quantity", "UnitPrice"], "aggregate": "sum"},
                "item_count": {"from": "Quantity", "aggregate": "sum"},
            },
        },
        "order_items": {
            "when": [{"column": "InvoiceNo", "not_starts_with": "C"}],
            "columns": {
                "order_id": {"from": "InvoiceNo"},
                "line_no": {"sequence": True},
                "sku": {"from": "StockCode"},
                "product_name": {"from": "Description"},
                "quantity": {"from": "Quantity"},
                "unit_price": {"from": "UnitPrice"},
                "amount": {"multiply": ["Quantity", "UnitPrice"]},
            },
        },
        "refunds": {
            "when": [{"column": "InvoiceNo", "starts_with": "C"}],
            "columns": {
                "refund_id": {"from": "InvoiceNo"},
                "line_no": {"sequence": True},
                "customer_id": {"from": "CustomerID"},
                "sku": {"from": "StockCode"},
                "quantity": {"from": "Quantity", "negate": True},
                "amount": {"multiply": ["Quantity", "UnitPrice"], "negate": True},
                "requested_at": {"from": "InvoiceDate"},
            },
        },
    },
}
