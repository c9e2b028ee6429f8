"""Arrow schemas of the canonical tables, exactly as the warehouse stores them.

Every column of the model is written except ``member_id``, which ingest derives from
``source`` + ``customer_id`` (:mod:`zhongtai.warehouse.identity`); a table missing a column is a
programming error, so nothing is silently left empty.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import ColumnType

__all__ = ["ARROW_TYPES", "DERIVED", "canonical_table", "schema_of"]

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    ColumnType.ID: pa.string(),
    ColumnType.STRING: pa.string(),
    ColumnType.CODE: pa.string(),
    ColumnType.INTEGER: pa.int64(),
    ColumnType.MONEY: pa.decimal128(18, 2),
    ColumnType.PRICE: pa.decimal128(18, 4),
    ColumnType.NUMBER: pa.float64(),
    ColumnType.RATE: pa.float64(),
    ColumnType.BOOLEAN: pa.bool_(),
    ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("us"),
    ColumnType.JSON: pa.string(),
}
DERIVED = frozenset({"member_id"})
DICTIONARY = pa.dictionary(pa.int32(), pa.string())
"""String columns may also be dictionary-encoded (Parquet's own encoding; read back as text)."""


def schema_of(name: str) -> pa.Schema:
    table = TABLES[name]
    return pa.schema([(c.name, ARROW_TYPES[c.type]) for c in table.columns if c.name not in DERIVED])


def canonical_table(name: str, columns: Mapping[str, pa.Array | np.ndarray]) -> pa.Table:
    """One canonical table from named columns (cast to the exact storage types)."""
    schema = schema_of(name)
    missing = [f.name for f in schema if f.name not in columns]
    extra = [k for k in columns if k not in schema.names]
    if missing or extra:
        raise ValueError(f"{name}: missing {missing}, unexpected {extra}")
    arrays = []
    for field in schema:
        value = columns[field.name]
        array = value if isinstance(value, pa.Array | pa.ChunkedArray) else pa.array(value)
        if array.type != field.type and not (field.type == pa.string() and array.type == DICTIONARY):
            array = array.cast(field.type)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=schema.names)
