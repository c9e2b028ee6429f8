"""Reading published files faithfully: no value is guessed to be missing, no row is skipped.

pandas' defaults turn ``NA``, ``null`` or ``nan`` inside a review into a missing value; these
helpers read only an empty cell as missing, and only in the columns that may be empty.
"""

from __future__ import annotations

import gzip
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

__all__ = ["PandasType", "UnexpectedColumns", "read_csv", "read_lines"]

PandasType = str | type[str]
"""A pandas dtype name (``int64``, ``float64``) or ``str`` for text."""


class UnexpectedColumns(ValueError):
    """The file's header is not the documented one."""

    def __init__(self, columns: Sequence[str]) -> None:
        super().__init__("unexpected columns")
        self.columns = tuple(str(c) for c in columns)


def read_csv(
    path: Path,
    *,
    dtype: Mapping[str, PandasType],
    nullable: Sequence[str] = (),
    header: bool = True,
    names: Sequence[str] | None = None,
    sep: str = ",",
    quoting: Literal[0, 1, 2, 3] = 0,
) -> pd.DataFrame:
    """A CSV file with the given column types; only empty cells of ``nullable`` columns are missing.

    With a header, the file must have exactly the columns of ``dtype`` (:class:`UnexpectedColumns`).
    """
    types: dict[Hashable, PandasType] = {}
    types.update(dtype)
    frame: pd.DataFrame = pd.read_csv(
        path,
        sep=sep,
        header=0 if header else None,
        names=list(names) if names is not None else None,
        dtype=types,
        keep_default_na=False,
        na_values={c: [""] for c in nullable},
        quoting=quoting,
        encoding="utf-8",
    )
    if header and set(frame.columns) != set(dtype):
        raise UnexpectedColumns(list(frame.columns))
    return frame


def read_lines(path: Path, column: str) -> pd.DataFrame:
    """A text file with one record per line (``\\n``), every line kept, blank or not."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        text = handle.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return pd.DataFrame({column: pd.Series(lines, dtype=object)})
