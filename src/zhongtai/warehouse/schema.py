"""The vocabulary of the canonical model: column types, PII classes, columns and tables.

A :class:`Table` is pure data. DDL (:mod:`zhongtai.warehouse.ddl`), the data-model reference and
the JSON Schema (:mod:`zhongtai.warehouse.docs`) and the ingest validator are all derived from
these declarations, so a column is described in exactly one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "SYSTEM_COLUMNS",
    "Check",
    "Column",
    "ColumnType",
    "PiiClass",
    "Reference",
    "Table",
]


class PiiClass(StrEnum):
    """How personal a column is; roles are granted classes, masking follows them.

    - ``none``: not personal (amounts, SKUs, timestamps, coarse regions).
    - ``contact``: reaches or locates a person: phone, e-mail, address, WeChat ids, device ids.
    - ``identity``: names a person: name, nickname, birthday, member card, invoice title.
    - ``financial``: payment accounts and transaction references.
    - ``sensitive``: PIPL Art. 28 sensitive data: ID-card numbers, health, precise tracks.
    """

    NONE = "none"
    CONTACT = "contact"
    IDENTITY = "identity"
    FINANCIAL = "financial"
    SENSITIVE = "sensitive"


class ColumnType(StrEnum):
    """Logical column types and how they are stored in the warehouse."""

    ID = "id"  # identifier kept as text: never a float, never scientific notation
    STRING = "string"
    CODE = "code"  # a stable ASCII code from a closed list (``values``)
    INTEGER = "integer"
    MONEY = "money"  # DECIMAL(18,2) in the row's currency
    PRICE = "price"  # DECIMAL(18,4): unit prices may carry sub-cent precision
    NUMBER = "number"  # DOUBLE
    RATE = "rate"  # DOUBLE fraction in [0, 1]
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"  # UTC, without zone; the shop's zone is in settings
    JSON = "json"

    @property
    def sql_type(self) -> str:
        """The DuckDB/ANSI storage type."""
        return _SQL_TYPES[self]


_SQL_TYPES = {
    ColumnType.ID: "VARCHAR",
    ColumnType.STRING: "VARCHAR",
    ColumnType.CODE: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.MONEY: "DECIMAL(18,2)",
    ColumnType.PRICE: "DECIMAL(18,4)",
    ColumnType.NUMBER: "DOUBLE",
    ColumnType.RATE: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMP",
    ColumnType.JSON: "JSON",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One warehouse column.

    ``minimum``/``maximum`` are inclusive bounds for numbers; ``past_only`` rejects dates and
    timestamps later than the load time (plus one day of clock skew); ``values`` lists the
    allowed codes of a ``code`` column.
    """

    name: str
    type: ColumnType
    en: str
    zh: str
    pii: PiiClass = PiiClass.NONE
    required: bool = False
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    past_only: bool = True
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """Rows of this table point at a parent row (e.g. an order line at its order)."""

    columns: tuple[str, ...]
    table: str
    parent_columns: tuple[str, ...]
    replace_children: bool = False  # a load that carries a parent carries all its children


@dataclass(frozen=True, slots=True)
class Check:
    """A row rule over canonical columns; ``condition`` must hold (NULLs pass)."""

    code: str
    condition: str  # a constant SQL boolean expression over this table's columns
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """One warehouse table: its columns, natural key and rules."""

    name: str
    en: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    person: bool = False  # carries source + customer_id + member_id
    references: tuple[Reference, ...] = ()
    checks: tuple[Check, ...] = ()
    grain_en: str = ""
    grain_zh: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name}.{name}")

    def has(self, name: str) -> bool:
        return any(col.name == name for col in self.columns)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)

    def pii_columns(self) -> Iterator[Column]:
        return (col for col in self.columns if col.pii is not PiiClass.NONE)


SYSTEM_COLUMNS: tuple[Column, ...] = (
    Column("_load_id", ColumnType.INTEGER, "Load that last wrote this row", "最后写入该行的加载批次"),
    Column(
        "_row_hash", ColumnType.INTEGER, "Hash of the row's values, for change detection", "行内容哈希,用于变更检测"
    ),
)
