"""Donations: the 1995 cohort of 11,104 first-time supporters of a US non-profit (BG/BB data).

Fader, Hardie & Shang (2010) observed each donor for six annual opportunities, 1996–2001; the
published table keeps only the 22 distinct patterns ``(frequency x, recency t_x, periods n)`` with
the number of donors (``weights``) showing each.

Canonical expansion (so that order-based analytics can run on it): every donor gets an id
``D00001`` … ``D11104`` (patterns in file order, donors numbered within), a first gift in 1995
and ``x`` repeat gifts in 1996–2001: one in year ``1995 + t_x`` and the other ``x - 1`` in the
first ``x - 1`` years (1996, 1997, …). Each gift is an ``orders`` row dated 1 January of its year
(midnight in the workspace's time zone), without amounts. Only ``x``, ``t_x`` and ``n`` of each
donor are real; the years of the gifts before the last one and every amount are not in the data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import read_csv
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part
from zhongtai.errors import InputError
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict

__all__ = ["COLUMNS", "FIRST_YEAR", "SPEC", "expand_patterns"]

COLUMNS = ("frequency", "recency", "periods", "weights")
FIRST_YEAR = 1995


def read(path: Path) -> pd.DataFrame:
    return read_csv(path, dtype=dict.fromkeys(COLUMNS, "int64"))


def repeat_periods(x: int, t_x: int) -> list[int]:
    """The periods (1 = 1996) of ``x`` repeat gifts whose last falls in period ``t_x``."""
    if x == 0:
        return []
    return [*range(1, x), t_x]


def expand_patterns(patterns: pd.DataFrame) -> pd.DataFrame:
    """One row per gift: ``order_id, customer_id, order_date`` (see module docstring)."""
    order_ids: list[str] = []
    donors: list[str] = []
    dates: list[str] = []
    number = 0
    for x, t_x, n, weight in patterns[list(COLUMNS)].itertuples(index=False):
        periods = [0, *repeat_periods(int(x), int(t_x))]
        if periods[-1] > int(n):
            raise ValueError("recency beyond the number of periods")
        for _ in range(int(weight)):
            number += 1
            donor = f"D{number:05d}"
            for period in periods:
                year = FIRST_YEAR + period
                order_ids.append(f"{donor}-{year}")
                donors.append(donor)
                dates.append(f"{year}-01-01")
    return pd.DataFrame({"order_id": order_ids, "customer_id": donors, "order_date": dates})


MAPPING = mapping_from_dict(
    {
        "name": "datasets.donations",
        "description": "BG/BB donation patterns expanded to one order per donor and year",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "currency": "USD",
        "source": "donations",
        "tables": {
            "orders": {
                "columns": {
                    "order_id": {"from": "order_id"},
                    "customer_id": {"from": "customer_id"},
                    "order_time": {"from": "order_date", "format": "%Y-%m-%d"},
                    "status": {"const": "completed"},
                }
            },
            "customers": {"group_rows": True, "columns": {"customer_id": {"from": "customer_id"}}},
        },
    }
)


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    try:
        frame = expand_patterns(inputs.frame("donations"))
    except ValueError:
        raise InputError(
            "datasets.bad_file", name="donations", file=str(inputs.path("donations")), detail="recency beyond periods"
        ) from None
    return [CanonicalInput("donations", MAPPING, frame=frame, file_name="donations.orders.csv")]


SPEC = DatasetSpec(
    name="donations",
    en="Donations: 11,104 donors' repeat gifts 1996-2001 as 22 (x, t_x, n) patterns (BG/BB benchmark)",
    zh="捐赠数据:11,104 名捐赠者 1996-2001 年的重复捐赠,汇总为 22 种 (x, t_x, n) 模式(BG/BB 基准)",
    licence="MIT (lifetimes package)",
    citation=(
        "P. S. Fader, B. G. S. Hardie, J. Shang (2010), Customer-Base Analysis in a Discrete-Time "
        "Noncontractual Setting, Marketing Science 29(6); file from the lifetimes 0.11.3 wheel"
    ),
    parts=(Part("donations", "donations/donations.csv", read, COLUMNS),),
    tables=("orders", "customers"),
    canonical=canonical,
)
