"""Taobao UserBehavior (Alibaba Tianchi dataset 649): the first 4,321 lines of the 100M-line log.

Canonical mapping: every line → one ``events`` row: ``pv`` → ``page_view``, ``cart`` →
``add_to_cart``, ``fav`` → ``favorite``, ``buy`` → ``purchase``; unix seconds → UTC; item →
``sku``, category id → ``category``, user → ``customer_id``. The log has no event id, so the
engine generates one from the row's values (``generate: row_hash``); two identical lines would be
one event, so exact duplicate lines are quarantined as duplicates by design (this excerpt has none).
The headerless file is given a header in a temporary CSV; its row ``k + 1`` is published line ``k``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import PandasType, read_csv
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict

__all__ = ["BEHAVIOURS", "COLUMNS", "SPEC"]

COLUMNS = ("user_id", "item_id", "category_id", "behavior_type", "timestamp")
BEHAVIOURS = {"pv": "page_view", "cart": "add_to_cart", "fav": "favorite", "buy": "purchase"}


def read(path: Path) -> pd.DataFrame:
    """No header; ids and unix-second timestamps as integers, behaviour as text."""
    types: dict[str, PandasType] = {
        "user_id": "int64",
        "item_id": "int64",
        "category_id": "int64",
        "behavior_type": str,
        "timestamp": "int64",
    }
    return read_csv(path, dtype=types, header=False, names=COLUMNS)


MAPPING = mapping_from_dict(
    {
        "name": "datasets.taobao_userbehavior",
        "description": "Taobao UserBehavior events",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "source": "taobao_userbehavior",
        "tables": {
            "events": {
                "columns": {
                    "event_id": {"generate": "row_hash"},
                    "customer_id": {"from": "user_id"},
                    "event_type": {"from": "behavior_type", "values": BEHAVIOURS},
                    "event_time": {"from": "timestamp", "format": "unix"},
                    "sku": {"from": "item_id"},
                    "category": {"from": "category_id"},
                }
            }
        },
    }
)


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    frame = inputs.frame("taobao_userbehavior")
    return [CanonicalInput("taobao_userbehavior", MAPPING, frame=frame, file_name="UserBehavior.events.csv")]


SPEC = DatasetSpec(
    name="taobao_userbehavior",
    en="Taobao UserBehavior excerpt: 4,321 page views, carts, favourites and purchases of 43 users, 2017",
    zh="淘宝用户行为数据节选:43 名用户 2017 年的 4,321 条浏览、加购、收藏与购买",
    licence="Alibaba Tianchi terms: non-commercial research use with citation",
    citation=(
        "H. Zhu et al. (2018), Learning Tree-based Deep Model for Recommender Systems, KDD; Alibaba Tianchi dataset 649"
    ),
    parts=(Part("taobao_userbehavior", "clickstream/taobao_UserBehavior_sample.csv", read, COLUMNS),),
    tables=("events",),
    canonical=canonical,
)
