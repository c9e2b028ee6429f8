"""The seam to the text generators (:mod:`zhongtai.demo.text`): inputs, calls, and conversion.

The generators are pure functions (numpy Generator in, pandas frames out). This module builds
their input frames from the block's facts, calls them, and turns their canonical frames into
Arrow tables of the exact storage types; a frame that misses a canonical column is refused with
``demo.text_contract`` rather than loaded half-empty.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from zhongtai.demo.tables import canonical_table, schema_of
from zhongtai.errors import EngineError

__all__ = ["TextGenerators", "load_text_generators", "to_canonical", "to_truth"]


class TextGenerators(Protocol):
    """The contract of :mod:`zhongtai.demo.text` (see the module)."""

    def reviews(
        self, rng: np.random.Generator, purchases: pd.DataFrame, *, start_id: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]: ...

    def cs_messages(
        self, rng: np.random.Generator, conversations: pd.DataFrame, *, start_id: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]: ...

    def posts(
        self,
        rng: np.random.Generator,
        *,
        start: Any,
        end: Any,
        daily_volume: float,
        incidents: pd.DataFrame,
        brand: str,
        skus: list[str],
        start_id: int,
    ) -> tuple[pd.DataFrame, pd.DataFrame]: ...

    def nps(
        self, rng: np.random.Generator, respondents: pd.DataFrame, *, start_id: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def load_text_generators() -> TextGenerators | ModuleType:
    """The text generators package (an :class:`EngineError` when it cannot be imported)."""
    try:
        from zhongtai.demo import text
    except ImportError as exc:
        raise EngineError("demo.text_unavailable", detail=str(exc)[:200]) from None
    missing = [f for f in ("reviews", "cs_messages", "posts", "nps") if not hasattr(text, f)]
    if missing:
        raise EngineError("demo.text_unavailable", detail="missing " + ", ".join(missing))
    return text


def to_canonical(name: str, frame: pd.DataFrame) -> pa.Table:
    """A text generator's canonical frame as an Arrow table of the warehouse's types."""
    schema = schema_of(name)
    missing = [f.name for f in schema if f.name not in frame.columns]
    if missing:
        raise EngineError("demo.text_contract", table=name, columns=", ".join(missing))
    columns: dict[str, pa.Array] = {}
    for field in schema:
        series = frame[field.name]
        if pa.types.is_timestamp(field.type):
            series = pd.to_datetime(series)
            if getattr(series.dt, "tz", None) is not None:
                series = series.dt.tz_convert("UTC").dt.tz_localize(None)
            array = pa.array(series.to_numpy(dtype="datetime64[us]"), pa.timestamp("us"), mask=series.isna().to_numpy())
        elif pa.types.is_string(field.type):
            try:
                array = pa.array(series, pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all cells are strings: write them as text
                values = series.astype(object).where(series.notna(), None)
                array = pa.array([None if v is None else str(v) for v in values], pa.string())
        elif pa.types.is_integer(field.type):
            array = pa.array(pd.array(series, dtype="Int64"), pa.int64())
        elif pa.types.is_boolean(field.type):
            array = pa.array(pd.array(series, dtype="boolean"), pa.bool_())
        else:
            array = pa.array(series, from_pandas=True).cast(field.type)
        columns[field.name] = array
    return canonical_table(name, columns)


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def to_truth(frame: pd.DataFrame) -> pa.Table:
    """A truth frame as Arrow. Nested values Arrow can type (lists of ``{aspect, polarity}``) stay
    nested (DuckDB reads them as lists of structs); other nested values become JSON text."""
    out = frame.reset_index(drop=True).copy()
    try:
        table = pa.Table.from_pandas(out, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        for column in out.columns:
            if out[column].dtype == object:
                sample = next(
                    (v for v in out[column] if v is not None and not (isinstance(v, float) and np.isnan(v))), None
                )
                if isinstance(sample, list | tuple | dict | np.ndarray):
                    out[column] = [
                        None if v is None else json.dumps(_jsonable(v), ensure_ascii=False) for v in out[column]
                    ]
        table = pa.Table.from_pandas(out, preserve_index=False)
    fields = [pa.field(f.name, pa.timestamp("us")) if pa.types.is_timestamp(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))
