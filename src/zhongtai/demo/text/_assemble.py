"""Small helpers shared by the generators: codes, sentence case, string columns, UTC timestamps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zhongtai.demo.text._grammar import STRING, concat

__all__ = [
    "capitalise",
    "codes",
    "naive_utc",
    "rank_in_group",
    "sign_name",
    "strings",
]

SENTIMENTS = np.array(["negative", "neutral", "positive"], dtype=object)


def sign_name(values: np.ndarray) -> np.ndarray:
    """``negative`` / ``neutral`` / ``positive`` for the sign of each value."""
    return np.asarray(SENTIMENTS[np.sign(values).astype(np.int64) + 1], dtype=object)


def codes(values: pd.Series | np.ndarray, names: Sequence[str], default: int = -1) -> np.ndarray:
    """Index of each value in ``names`` (``default`` for missing or unknown values)."""
    table = {name: i for i, name in enumerate(names)}
    return pd.Series(values, dtype=object).map(table).fillna(default).to_numpy(dtype=np.int64)


def rank_in_group(groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal, sorted ``groups`` (0, 1, 2 …)."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.ones(n, dtype=bool)
    start[1:] = groups[1:] != groups[:-1]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    return np.arange(n) - first


def capitalise(texts: np.ndarray) -> np.ndarray:
    """Upper-case the first character (the rest is left alone, unlike ``str.capitalize``)."""
    texts = np.asarray(texts, dtype=STRING)
    return concat(np.strings.upper(np.strings.slice(texts, 0, 1)), np.strings.slice(texts, 1, None))


def strings(values: np.ndarray, *, none_if_empty: bool = False) -> np.ndarray:
    """A StringDType array as Python strings (object dtype), ``None`` for empty ones if asked."""
    out = np.asarray(values, dtype=STRING).astype(object)
    if none_if_empty:
        out[np.asarray(values, dtype=STRING) == ""] = None
    return out


def naive_utc(values: pd.Series) -> np.ndarray:
    """Timestamps as naive UTC ``datetime64[ns]`` (zone-aware input is converted to UTC first)."""
    series = pd.to_datetime(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[ns]")
