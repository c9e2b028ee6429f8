"""Building Arrow columns of the exact canonical types, fast.

Money is DECIMAL(18,2) and prices DECIMAL(18,4), built straight from integer cents (no float
rounding); identifiers are fixed-width strings written by a numba kernel (casting 10M integers
to text in Arrow takes seconds); timestamps are naive UTC microseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import njit

__all__ = [
    "dates",
    "fixed_ids",
    "join",
    "money",
    "nulls",
    "pick",
    "plain",
    "price",
    "strings",
    "timestamps",
    "with_nulls",
]

MONEY = pa.decimal128(18, 2)
PRICE = pa.decimal128(18, 4)


def _decimal(units: np.ndarray, kind: pa.DataType, mask: np.ndarray | None) -> pa.Array:
    values = np.ascontiguousarray(units, dtype=np.int64)
    words = np.empty((len(values), 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63  # sign extension to 128 bits (little-endian two's complement)
    validity = None
    if mask is not None and mask.any():
        validity = pa.array(~mask).buffers()[1]
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(words)])


def money(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """DECIMAL(18,2) from integer cents (fen); ``mask`` marks NULLs."""
    return _decimal(cents, MONEY, mask)


def price(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """DECIMAL(18,4) from integer cents (a price keeps four places; ours are whole cents)."""
    return _decimal(np.asarray(cents, dtype=np.int64) * 100, PRICE, mask)


@njit(cache=True, nogil=True)
def _write_digits(numbers: np.ndarray, prefix: np.ndarray, width: int, out: np.ndarray) -> None:  # pragma: no cover
    size = prefix.shape[0] + width
    for i in range(numbers.shape[0]):
        base = i * size
        for j in range(prefix.shape[0]):
            out[base + j] = prefix[j]
        value = numbers[i]
        for k in range(width - 1, -1, -1):
            out[base + prefix.shape[0] + k] = 48 + value % 10
            value //= 10


def fixed_ids(prefix: str, numbers: np.ndarray, width: int, mask: np.ndarray | None = None) -> pa.Array:
    """``prefix`` + ``numbers`` zero-padded to ``width`` digits, as one Arrow string array."""
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    values = np.ascontiguousarray(numbers, dtype=np.int64)
    if len(values) and (values.min() < 0 or values.max() >= 10**width):
        raise ValueError(f"id numbers do not fit in {width} digits")
    size = len(head) + width
    body = np.empty(len(values) * size, dtype=np.uint8)
    _write_digits(values, head, width, body)
    offsets = np.arange(0, len(values) * size + 1, size, dtype=np.int32)
    validity = pa.array(~mask).buffers()[1] if mask is not None and mask.any() else None
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(body), validity)


def pick(values: Sequence[str] | pa.Array, index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """``values[index]`` as a dictionary-encoded string array (NULL where ``mask``).

    No string is copied: the column is the index plus the (small or shared) dictionary, which is
    also how Parquet stores it. Readers see plain strings (DuckDB reads it as VARCHAR).
    """
    source = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    if source.null_count:
        source = pc.fill_null(source, "")  # never referenced: rows pointing here are masked
    positions = np.asarray(index, dtype=np.int32)
    unique = pc.unique(source)  # in order of first appearance
    if len(unique) != len(source):
        # a dictionary must not repeat a value (Parquet writers then re-encode it unpredictably)
        positions = pc.index_in(source, value_set=unique).to_numpy(zero_copy_only=False).astype(np.int32)[positions]
        source = unique
    valid = None if mask is None or not mask.any() else mask
    return pa.DictionaryArray.from_arrays(pa.array(positions, pa.int32(), mask=valid), source)


def plain(array: pa.Array) -> pa.Array:
    """A dictionary-encoded array as plain strings (for string functions that need them)."""
    return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array


def strings(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A numpy array of ``str`` as an Arrow string array."""
    return pa.array(values, pa.string(), mask=mask)


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and constants."""
    return pc.binary_join_element_wise(*[plain(p) if isinstance(p, pa.Array) else p for p in parts], "")


def with_nulls(array: pa.Array, mask: np.ndarray) -> pa.Array:
    """``array`` with NULL where ``mask`` is true."""
    if not mask.any():
        return array
    array = plain(array)
    return pc.if_else(pa.array(mask), pa.nulls(len(array), array.type), array)


def nulls(count: int, kind: pa.DataType) -> pa.Array:
    return pa.nulls(count, kind)


def timestamps(micros: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """TIMESTAMP (naive UTC) from integer microseconds since 1970-01-01."""
    return pa.array(np.asarray(micros, dtype=np.int64).astype("datetime64[us]"), pa.timestamp("us"), mask=mask)


def dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """DATE from days since 1970-01-01."""
    return pa.array(np.asarray(days, dtype=np.int64).astype("datetime64[D]"), pa.date32(), mask=mask)
