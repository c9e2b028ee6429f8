"""Udacity "Analyze A/B Test Results": an e-commerce landing-page test (old_page vs new_page).

Canonical mapping, one pass over ``ab_data.csv.gz`` (times read as UTC):

- every row → ``experiment_exposures``: experiment ``udacity_landing_page``, unit and customer
  = ``user_id``, variant = ``group`` (``control``/``treatment``, the assignment), exposed at
  ``timestamp``;
- rows with ``converted = 1`` → one ``events`` row of type ``purchase`` at the same time with
  ``page`` = the landing page seen (the file has no separate conversion time).

3,894 users appear on two rows; the exposure key (experiment, unit) must be unique, so both rows
of each such user are quarantined (``key.duplicate``), as the course asks analysts to drop them.
The 3,893 rows whose group and page disagree are kept (the raw table has both columns).
``countries.csv`` has no canonical place and becomes the raw table ``datasets.ab_data_countries``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import PandasType, read_csv
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part
from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict

__all__ = ["COLUMNS", "COUNTRY_COLUMNS", "EXPERIMENT_KEY", "SPEC"]

COLUMNS = ("user_id", "timestamp", "group", "landing_page", "converted")
COUNTRY_COLUMNS = ("user_id", "country")
EXPERIMENT_KEY = "udacity_landing_page"


def read(path: Path) -> pd.DataFrame:
    """``timestamp`` as a timestamp with microseconds, ``converted`` as 0/1 integers."""
    types: dict[str, PandasType] = {
        "user_id": "int64",
        "timestamp": str,
        "group": str,
        "landing_page": str,
        "converted": "int64",
    }
    frame = read_csv(path, dtype=types)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format="ISO8601")
    return frame


def read_countries(path: Path) -> pd.DataFrame:
    return read_csv(path, dtype={"user_id": "int64", "country": str})


MAPPING = mapping_from_dict(
    {
        "name": "datasets.ab_data",
        "description": "Udacity landing-page test: exposures and purchase conversions",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "timezone": "UTC",
        "source": "ab_data",
        "tables": {
            "experiment_exposures": {
                "columns": {
                    "customer_id": {"from": "user_id"},
                    "experiment_key": {"const": EXPERIMENT_KEY},
                    "unit_id": {"from": "user_id"},
                    "variant": {"from": "group"},
                    "exposed_at": {"from": "timestamp"},
                }
            },
            "events": {
                "when": [{"column": "converted", "equals": "1"}],
                "columns": {
                    "event_id": {"generate": "row_hash"},
                    "customer_id": {"from": "user_id"},
                    "event_type": {"const": "purchase"},
                    "event_time": {"from": "timestamp"},
                    "page": {"from": "landing_page"},
                },
            },
        },
    }
)


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    return [CanonicalInput("ab_data", MAPPING, path=inputs.path("ab_data"))]


SPEC = DatasetSpec(
    name="ab_data",
    en="Udacity landing-page A/B test: 294,478 visits of 290,584 users with conversion, plus their countries",
    zh="Udacity 落地页 A/B 测试:290,584 名用户的 294,478 次访问及是否转化,另附用户国家",
    licence="No explicit licence (Udacity course material): research and test use only",
    citation='Udacity Data Analyst Nanodegree, project "Analyze A/B Test Results"',
    parts=(
        Part("ab_data", "ab_test/ab_data.csv.gz", read, COLUMNS),
        Part("countries", "ab_test/countries.csv", read_countries, COUNTRY_COLUMNS),
    ),
    tables=("experiment_exposures", "events"),
    canonical=canonical,
)
