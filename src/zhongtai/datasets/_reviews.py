"""Shared by the review corpora: canonical ``reviews`` rows from a labelled text table.

The corpora have no review ids, so ``review_id`` is ``<part>-<n>`` with ``n`` the record's
1-based position in the published file (the ``row_no`` column of the raw table), which lets an
analyst join a label back to its canonical review.
"""

from __future__ import annotations

import pandas as pd

from zhongtai.warehouse.ingest.adapters.base import mapping_from_dict
from zhongtai.warehouse.ingest.mapping import Mapping

__all__ = ["review_ids", "reviews_mapping"]


def review_ids(part: str, rows: int) -> pd.Series:
    """``<part>-1`` … ``<part>-<rows>``."""
    return pd.Series([f"{part}-{n}" for n in range(1, rows + 1)], dtype=object)


def reviews_mapping(
    source: str, language: str, *, with_rating: bool = False, with_title: bool = False, with_sku: bool = False
) -> Mapping:
    """A mapping from the temporary CSV ``review_id, text[, rating, title, sku]`` onto ``reviews``."""
    columns: dict[str, object] = {
        "review_id": {"from": "review_id"},
        "text": {"from": "text"},
        "language": {"const": language},
    }
    if with_rating:
        columns["rating"] = {"from": "rating"}
    if with_title:
        columns["title"] = {"from": "title"}
    if with_sku:
        columns["sku"] = {"from": "sku"}
    return mapping_from_dict(
        {
            "name": f"datasets.{source}",
            "description": "labelled review corpus: one canonical review per record",
            "format": "csv",
            "encoding": "utf-8",
            "delimiter": ",",
            "source": source,
            "tables": {"reviews": {"columns": columns}},
        }
    )
