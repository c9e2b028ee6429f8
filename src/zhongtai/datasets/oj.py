"""Dominick's Finer Foods refrigerated orange juice: weekly store-level sales, price and feature.

The ``oj`` table of Taddy, *Business Data Science* (2019): 28,947 rows of three brands. It has
no store, week or product ids (they were dropped upstream), so it cannot be keyed onto the
canonical model; it is loaded as the raw table ``datasets.oj`` for price-response work.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import read_csv
from zhongtai.datasets._spec import DatasetSpec, Part

__all__ = ["COLUMNS", "SPEC"]

COLUMNS = ("No", "sales", "price", "brand", "feat")


def read(path: Path) -> pd.DataFrame:
    """``No`` (row index from R) and ``feat`` (0/1) as integers, sales (units) and price (USD) as floats."""
    return read_csv(path, dtype={"No": "int64", "sales": "float64", "price": "float64", "brand": str, "feat": "int64"})


SPEC = DatasetSpec(
    name="oj",
    en="Dominick's orange juice: 28,947 weekly store sales with price and feature ads, 3 brands",
    zh="Dominick's 橙汁:3 个品牌 28,947 条门店周销量、价格与促销广告",
    licence="Kilts Center (Chicago Booth) Dominick's terms: academic research use with acknowledgment",
    citation=(
        "Data courtesy of the Kilts Center for Marketing, University of Chicago Booth School of Business; "
        "M. Taddy (2019), Business Data Science"
    ),
    parts=(Part("oj", "demand/oj.csv", read, COLUMNS),),
)
