"""The contract of one public data set: its files, how to read them, how they map onto the model.

A data set module (``online_retail.py``, ``cdnow.py`` …) declares one :class:`DatasetSpec`:

- ``parts``: the published files, each with a reader that returns the file typed and exactly as
  published (no rows dropped, no values changed) and the documented column names;
- ``canonical``: a function that, given the located files, says which files the canonical load
  reads and with which mapping. A published file that the ingest engine can read as it is goes
  in by path; one that needs reshaping (whitespace-separated, headerless, summary rows to expand,
  no ids) becomes a frame that the loader writes to a temporary CSV;
- ``tables``: the canonical tables the mapping fills (shown by ``zhongtai datasets list``).

Every part is also written as a raw table ``datasets.<name>`` or ``datasets.<name>_<part>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import UnexpectedColumns
from zhongtai.errors import InputError
from zhongtai.warehouse.ingest.mapping import Mapping

__all__ = ["RAW_SCHEMA", "CanonicalInput", "DatasetSpec", "Inputs", "Part"]

RAW_SCHEMA = "datasets"
"""DuckDB schema holding every data set as published (labels and outcomes included)."""

Reader = Callable[[Path], pd.DataFrame]


@dataclass(frozen=True, slots=True)
class Part:
    """One published file of a data set."""

    name: str
    file: str  # relative to the data folder, e.g. ``cdnow/CDNOW_master.txt``
    read: Reader
    columns: tuple[str, ...]  # the documented columns, in file order
    date_columns: tuple[str, ...] = ()  # calendar dates, stored as DATE in the raw table


@dataclass(frozen=True, slots=True)
class CanonicalInput:
    """One file the canonical load passes to :func:`~zhongtai.warehouse.ingest.ingest_file`.

    Exactly one of ``path`` (a published file read as it is) and ``frame`` (a reshaped table
    written to the temporary CSV ``file_name``) is set.
    """

    label: str
    mapping: Mapping
    path: Path | None = None
    frame: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    file_name: str = ""


class Inputs:
    """The located files of one data set and their frames, each read at most once."""

    def __init__(self, spec: DatasetSpec, files: dict[str, Path]) -> None:
        self.spec = spec
        self.files = files
        self._frames: dict[str, pd.DataFrame] = {}

    def path(self, part: str) -> Path:
        return self.files[part]

    def frame(self, part: str) -> pd.DataFrame:
        """The part's frame, typed and exactly as published."""
        if part not in self._frames:
            self._frames[part] = read_part(self.spec, self.spec.part(part), self.files[part])
        return self._frames[part]


CanonicalBuilder = Callable[[Inputs], list[CanonicalInput]]


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """Everything zhongtai knows about one public data set."""

    name: str
    en: str
    zh: str
    licence: str
    citation: str
    parts: tuple[Part, ...]
    tables: tuple[str, ...] = ()
    canonical: CanonicalBuilder | None = None
    sample: str | None = None  # bundled sample (``samples/<file>``) standing in for the only part

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(p.file for p in self.parts)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)

    def raw_table(self, part: Part) -> str:
        """``<name>`` for a part named like the data set, else ``<name>_<part>``."""
        return self.name if part.name == self.name else f"{self.name}_{part.name}"

    @property
    def raw_tables(self) -> tuple[str, ...]:
        return tuple(f"{RAW_SCHEMA}.{self.raw_table(p)}" for p in self.parts)


def read_part(spec: DatasetSpec, part: Part, path: Path) -> pd.DataFrame:
    """Read one part and check it has the documented columns (an :class:`InputError` otherwise)."""
    try:
        frame = part.read(path)
    except UnexpectedColumns as exc:
        raise InputError(
            "datasets.bad_file", name=spec.name, file=str(path), detail="columns " + ", ".join(exc.columns)
        ) from None
    except (OSError, ValueError, UnicodeDecodeError, EOFError) as exc:
        raise InputError("datasets.bad_file", name=spec.name, file=str(path), detail=type(exc).__name__) from None
    if tuple(frame.columns) != part.columns:
        raise InputError(
            "datasets.bad_file",
            name=spec.name,
            file=str(path),
            detail="columns " + ", ".join(str(c) for c in frame.columns),
        )
    return frame
