"""Cookie Cats: a mobile-game A/B test moving the first gate from level 30 to level 40.

Canonical mapping: every player → one ``experiment_exposures`` row, experiment
``cookie_cats_gate``, unit and customer = ``userid``, variant ``gate_30`` or ``gate_40`` (the
file has no exposure time). The outcomes (rounds played, day-1 and day-7 retention) have no
place in the model and stay in the raw table ``datasets.cookie_cats``; join on ``userid = unit_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import PandasType, read_csv
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict

__all__ = ["COLUMNS", "EXPERIMENT_KEY", "SPEC"]

COLUMNS = ("userid", "version", "sum_gamerounds", "retention_1", "retention_7")
EXPERIMENT_KEY = "cookie_cats_gate"
_BOOLEAN = {"TRUE": True, "FALSE": False}


def read(path: Path) -> pd.DataFrame:
    types: dict[str, PandasType] = {
        "userid": "int64",
        "version": str,
        "sum_gamerounds": "int64",
        "retention_1": str,
        "retention_7": str,
    }
    frame = read_csv(path, dtype=types)
    for column in ("retention_1", "retention_7"):
        values = frame[column].map(_BOOLEAN)
        if values.isna().any():
            raise ValueError(f"{column} holds a value other than TRUE/FALSE")
        frame[column] = values.astype(bool)
    return frame


MAPPING = mapping_from_dict(
    {
        "name": "datasets.cookie_cats",
        "description": "Cookie Cats gate test: one exposure per player",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "source": "cookie_cats",
        "tables": {
            "experiment_exposures": {
                "columns": {
                    "customer_id": {"from": "userid"},
                    "experiment_key": {"const": EXPERIMENT_KEY},
                    "unit_id": {"from": "userid"},
                    "variant": {"from": "version"},
                }
            }
        },
    }
)


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    return [CanonicalInput("cookie_cats", MAPPING, path=inputs.path("cookie_cats"))]


SPEC = DatasetSpec(
    name="cookie_cats",
    en="Cookie Cats A/B test: 90,189 players, first gate at level 30 or 40, with 1- and 7-day retention",
    zh="Cookie Cats A/B 测试:90,189 名玩家,首个关卡门槛在第 30 或 40 关,含次日与 7 日留存",
    licence="No explicit licence (DataCamp/Kaggle mirror): research and test use only",
    citation='DataCamp project "Mobile Games A/B Testing with Cookie Cats" (game by Tactile Entertainment)',
    parts=(Part("cookie_cats", "ab_test/cookie_cats.csv", read, COLUMNS),),
    tables=("experiment_exposures",),
    canonical=canonical,
)
