"""UCI Online Retail (dataset 352): a UK online retailer's invoices, 2010-12-01 to 2011-12-09.

Canonical mapping (one pass over the published CSV, times in Europe/London, money in GBP):

- invoices not starting with ``C`` → ``orders`` (one per invoice, lines summed, earliest time)
  and ``order_items`` (one per line, numbered in file order);
- invoices starting with ``C`` (cancellations) → ``refunds``, quantities and amounts negated to
  positive, reason ``cancelled``;
- every line → ``products`` (first description, last price per stock code); lines with a
  CustomerID → ``customers`` (last country per customer).

The engine's rules quarantine what a careful analyst would drop by hand: exact duplicate lines,
zero-price lines, negative quantities outside cancellations, the three ``A`` bad-debt
adjustments, and the other lines of any invoice one of whose lines was rejected.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pv

from zhongtai.datasets._read import UnexpectedColumns
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict

__all__ = ["COLUMNS", "MAPPING", "SPEC", "read"]

COLUMNS = ("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")
_TYPES = {
    "InvoiceNo": pa.string(),
    "StockCode": pa.string(),
    "Description": pa.string(),
    "Quantity": pa.int64(),
    "InvoiceDate": pa.timestamp("s"),
    "UnitPrice": pa.float64(),
    "CustomerID": pa.int64(),
    "Country": pa.string(),
}
_NOT_CANCELLED = [{"column": "InvoiceNo", "not_starts_with": "C"}]
_LINE_AMOUNT = ["Quantity", "UnitPrice"]


def read(path: Path) -> pd.DataFrame:
    """The published CSV (or the bundled sample): InvoiceDate as a local timestamp, CustomerID
    as a nullable integer, empty Description as missing."""
    table = pv.read_csv(
        path,
        convert_options=pv.ConvertOptions(column_types=_TYPES, null_values=[""], strings_can_be_null=True),
    )
    if tuple(table.column_names) != COLUMNS:
        raise UnexpectedColumns(table.column_names)
    frame: pd.DataFrame = table.to_pandas()
    frame["Quantity"] = frame["Quantity"].astype("int64")
    frame["CustomerID"] = table.column("CustomerID").to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return frame


MAPPING = mapping_from_dict(
    {
        "name": "datasets.online_retail",
        "description": "UCI Online Retail: invoices, cancellations, products and customers",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "timezone": "Europe/London",
        "currency": "GBP",
        "source": "online_retail",
        "tables": {
            "orders": {
                "group_rows": True,
                "when": _NOT_CANCELLED,
                "columns": {
                    "order_id": {"from": "InvoiceNo"},
                    "customer_id": {"from": "CustomerID"},
                    "order_time": {"from": "InvoiceDate", "aggregate": "min"},
                    "status": {"const": "completed"},
                    "item_count": {"from": "Quantity", "aggregate": "sum"},
                    "goods_amount": {"multiply": _LINE_AMOUNT, "aggregate": "sum"},
                    "total_amount": {"multiply": _LINE_AMOUNT, "aggregate": "sum"},
                    "paid_amount": {"multiply": _LINE_AMOUNT, "aggregate": "sum"},
                    "country": {"from": "Country"},
                },
            },
            "order_items": {
                "when": _NOT_CANCELLED,
                "columns": {
                    "order_id": {"from": "InvoiceNo"},
                    "line_no": {"sequence": True},
                    "sku": {"from": "StockCode"},
                    "product_name": {"from": "Description"},
                    "quantity": {"from": "Quantity"},
                    "unit_price": {"from": "UnitPrice"},
                    "amount": {"multiply": _LINE_AMOUNT},
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
                    "amount": {"multiply": _LINE_AMOUNT, "negate": True},
                    "reason_code": {"const": "cancelled"},
                    "requested_at": {"from": "InvoiceDate"},
                    "refunded_at": {"from": "InvoiceDate"},
                    "status": {"const": "completed"},
                },
            },
            "products": {
                "group_rows": True,
                "columns": {
                    "sku": {"from": "StockCode"},
                    "name": {"from": "Description", "aggregate": "first"},
                    "price": {"from": "UnitPrice", "aggregate": "last"},
                },
            },
            "customers": {
                "group_rows": True,
                "when": [{"column": "CustomerID", "empty": False}],
                "columns": {
                    "customer_id": {"from": "CustomerID"},
                    "country": {"from": "Country", "aggregate": "last"},
                },
            },
        },
    }
)


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    return [CanonicalInput("online_retail", MAPPING, path=inputs.path("online_retail"))]


SPEC = DatasetSpec(
    name="online_retail",
    en="UCI Online Retail: 541,909 invoice lines of a UK online retailer, Dec 2010 - Dec 2011",
    zh="UCI 在线零售:英国某线上零售商 2010-12 至 2011-12 的 541,909 条发票明细",
    licence="CC BY 4.0",
    citation=(
        "D. Chen, S. L. Sain, K. Guo (2012), Data mining for the online retail industry: a case study of "
        "RFM model-based customer segmentation using data mining, J. Database Marketing & Customer "
        "Strategy Management 19(3); UCI ML Repository dataset 352"
    ),
    parts=(Part("online_retail", "online_retail_uci/Online_Retail.csv.gz", read, COLUMNS),),
    tables=("orders", "order_items", "refunds", "products", "customers"),
    canonical=canonical,
    sample="online_retail_sample.csv.gz",
)
