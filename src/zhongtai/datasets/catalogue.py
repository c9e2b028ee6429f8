"""The known public data sets and what ``zhongtai datasets list`` says about each."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from zhongtai.datasets import (
    ab_data,
    cdnow,
    cookie_cats,
    donations,
    en_reviews,
    oj,
    online_retail,
    online_shoppers,
    taobao,
    zh_reviews,
)
from zhongtai.datasets._folder import available, resolve_folder
from zhongtai.datasets._spec import DatasetSpec
from zhongtai.errors import NotFoundError

__all__ = ["SPECS", "DatasetInfo", "datasets", "get_spec"]

SPECS: tuple[DatasetSpec, ...] = (
    online_retail.SPEC,
    cdnow.MASTER,
    cdnow.SAMPLE,
    donations.SPEC,
    taobao.SPEC,
    online_shoppers.SPEC,
    cookie_cats.SPEC,
    ab_data.SPEC,
    oj.SPEC,
    zh_reviews.SPEC,
    en_reviews.SPEC,
)
_BY_NAME = {spec.name: spec for spec in SPECS}


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """One data set as ``zhongtai datasets list`` shows it.

    ``files`` are relative to the data folder; ``available`` says whether all of them are under
    the resolved folder (``folder``); ``sample`` whether a bundled sample is loaded when no folder
    is given; ``tables`` are the canonical tables a load fills and ``raw_tables`` the tables of
    schema ``datasets`` holding the files as published.
    """

    name: str
    en: str
    zh: str
    licence: str
    citation: str
    files: tuple[str, ...]
    available: bool
    tables: tuple[str, ...]
    raw_tables: tuple[str, ...]
    sample: bool
    folder: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "en": self.en,
            "zh": self.zh,
            "licence": self.licence,
            "citation": self.citation,
            "files": list(self.files),
            "available": self.available,
            "tables": list(self.tables),
            "raw_tables": list(self.raw_tables),
            "sample": self.sample,
            "folder": self.folder,
        }


def get_spec(name: str) -> DatasetSpec:
    """The data set called ``name`` (:class:`NotFoundError` ``datasets.unknown`` otherwise)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise NotFoundError("datasets.unknown", name=name, known=", ".join(_BY_NAME)) from None


def datasets(path: str | os.PathLike[str] | None = None) -> list[DatasetInfo]:
    """Every known data set, with whether its files are under ``path`` (else ``$ZHONGTAI_DATA``)."""
    folder = resolve_folder(path)
    return [
        DatasetInfo(
            name=spec.name,
            en=spec.en,
            zh=spec.zh,
            licence=spec.licence,
            citation=spec.citation,
            files=spec.files,
            available=available(spec, folder),
            tables=spec.tables,
            raw_tables=spec.raw_tables,
            sample=spec.sample is not None,
            folder=str(folder) if folder is not None else None,
        )
        for spec in SPECS
    ]
