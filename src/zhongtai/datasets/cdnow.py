"""CDNOW: purchases of the customers who first bought in Q1 1997, tracked to June 1998.

The standard benchmark for BG/NBD and Pareto/NBD (Fader, Hardie & Lee 2005). Two data sets:
``cdnow`` (the master file, 23,570 customers) and ``cdnow_sample`` (its 10% sample, 2,357).

Canonical mapping: every transaction line → one ``orders`` row (USD, status ``completed``,
``item_count`` = CDs, amounts = dollar value) with order id ``<customer_id>-<k>`` (the customer's
k-th line in file order; the file has several lines for some customer-days, and 255 lines that
repeat another line exactly, so a date is not an id); every customer → ``customers``. The files
carry dates only: they are read as midnight in the workspace's time zone, so the local date is
the published one whatever the shop's zone.

The sample file's first column is the customer's id in the master file (5 digits, up to 23,569:
its lines match the master file's lines of that customer) and the second its id in the sample
(1..2357). ``../shared/data/cdnow/README.md`` names them the other way round; zhongtai follows the
data. The canonical ``customer_id`` is the master id in both data sets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import PandasType, read_csv
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict

__all__ = ["MASTER", "MASTER_COLUMNS", "SAMPLE", "SAMPLE_COLUMNS", "orders_frame"]

MASTER_COLUMNS = ("customer_id", "date", "number_of_cds", "dollar_value")
SAMPLE_COLUMNS = ("customer_id", "sample_customer_id", "date", "number_of_cds", "dollar_value")
_TYPES: dict[str, PandasType] = {
    "customer_id": str,
    "sample_customer_id": str,
    "number_of_cds": "int64",
    "dollar_value": "float64",
}

_LICENCE = "MIT (lifetimes package); data by Fader & Hardie, research use"
_CITATION = (
    "P. S. Fader, B. G. S. Hardie, K. L. Lee (2005), Counting Your Customers the Easy Way: An Alternative "
    "to the Pareto/NBD Model, Marketing Science 24(2); files from the lifetimes 0.11.3 wheel"
)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["date"] = pd.to_datetime(frame["date"].astype("int64").astype(str), format="%Y%m%d")
    return frame


def read_master(path: Path) -> pd.DataFrame:
    """``CDNOW_master.txt``: whitespace-separated, one header line, dates as yyyymmdd."""
    types = {k: v for k, v in _TYPES.items() if k in MASTER_COLUMNS}
    return _typed(read_csv(path, dtype={**types, "date": "int64"}, sep=r"\s+"))


def read_sample(path: Path) -> pd.DataFrame:
    """``CDNOW_sample.txt``: no header, five whitespace-separated columns (see module docstring)."""
    frame = read_csv(path, dtype={**_TYPES, "date": "int64"}, sep=r"\s+", header=False, names=SAMPLE_COLUMNS)
    return _typed(frame)


def _mapping(source: str) -> dict[str, object]:
    return {
        "name": f"datasets.{source}",
        "description": "CDNOW transactions: one order per line, customers",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "currency": "USD",
        "source": source,
        "tables": {
            "orders": {
                "columns": {
                    "order_id": {"from": "order_id"},
                    "customer_id": {"from": "customer_id"},
                    "order_time": {"from": "date", "format": "%Y-%m-%d"},
                    "status": {"const": "completed"},
                    "item_count": {"from": "number_of_cds"},
                    "goods_amount": {"from": "dollar_value"},
                    "total_amount": {"from": "dollar_value"},
                    "paid_amount": {"from": "dollar_value"},
                }
            },
            "customers": {"group_rows": True, "columns": {"customer_id": {"from": "customer_id"}}},
        },
    }


MASTER_MAPPING = mapping_from_dict(_mapping("cdnow"))
SAMPLE_MAPPING = mapping_from_dict(_mapping("cdnow_sample"))


def orders_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per transaction line with its order id ``<customer_id>-<k>``."""
    k = frame.groupby("customer_id", sort=False).cumcount() + 1
    return pd.DataFrame(
        {
            "order_id": frame["customer_id"] + "-" + k.astype(str),
            "customer_id": frame["customer_id"],
            "date": frame["date"].dt.strftime("%Y-%m-%d"),
            "number_of_cds": frame["number_of_cds"],
            "dollar_value": frame["dollar_value"],
        }
    )


def _canonical_master(inputs: Inputs) -> list[CanonicalInput]:
    frame = orders_frame(inputs.frame("cdnow"))
    return [CanonicalInput("cdnow", MASTER_MAPPING, frame=frame, file_name="CDNOW_master.orders.csv")]


def _canonical_sample(inputs: Inputs) -> list[CanonicalInput]:
    frame = orders_frame(inputs.frame("cdnow_sample"))
    return [CanonicalInput("cdnow_sample", SAMPLE_MAPPING, frame=frame, file_name="CDNOW_sample.orders.csv")]


MASTER = DatasetSpec(
    name="cdnow",
    en="CDNOW master: 69,659 CD purchases of 23,570 customers, Jan 1997 - Jun 1998 (CLV benchmark)",
    zh="CDNOW 主数据:23,570 名客户 1997-01 至 1998-06 的 69,659 笔 CD 购买(CLV 基准数据)",
    licence=_LICENCE,
    citation=_CITATION,
    parts=(Part("cdnow", "cdnow/CDNOW_master.txt", read_master, MASTER_COLUMNS, date_columns=("date",)),),
    tables=("orders", "customers"),
    canonical=_canonical_master,
)

SAMPLE = DatasetSpec(
    name="cdnow_sample",
    en="CDNOW 10% sample: 6,919 purchases of 2,357 customers",
    zh="CDNOW 10% 样本:2,357 名客户的 6,919 笔购买",
    licence=_LICENCE,
    citation=_CITATION,
    parts=(Part("cdnow_sample", "cdnow/CDNOW_sample.txt", read_sample, SAMPLE_COLUMNS, date_columns=("date",)),),
    tables=("orders", "customers"),
    canonical=_canonical_sample,
)
