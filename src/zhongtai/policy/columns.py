"""Which masker applies to which column: the canonical model's PII classes plus the column's kind.

The PII class (``none``/``contact``/``identity``/``financial``/``sensitive``) comes from the model
(:mod:`zhongtai.warehouse.model`) and decides *who* sees a column unmasked; the :class:`MaskKind`
decides *how* it is masked for everyone else (a phone keeps its head and tail, a name its first
character, an address its district). Columns of class ``none`` holding free text are scrubbed of
PII written inside them (a phone number in a customer-service message).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from zhongtai.errors import NotFoundError
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import Column, ColumnType, PiiClass, Table

__all__ = [
    "ACCOUNT_COLUMNS",
    "TEXT_POLICY",
    "ColumnPolicy",
    "MaskKind",
    "column_policy",
    "table_policies",
]


class MaskKind(StrEnum):
    NONE = "none"  # left as is (numbers, codes, ids that are not personal)
    TEXT = "text"  # free text: embedded phones, e-mails, ID and card numbers are scrubbed
    PHONE = "phone"  # 138****8000
    EMAIL = "email"  # a***@x.com
    NAME = "name"  # 张*, J***
    ID_NUMBER = "id_number"  # 1****************4
    ADDRESS = "address"  # 北京市朝阳区****
    IDENTIFIER = "identifier"  # ab****yz
    DATE = "date"  # 1990-**-**
    CODE = "code"  # *
    REDACT = "redact"  # *** (a value derived from PII by an expression)


@dataclass(frozen=True, slots=True)
class ColumnPolicy:
    """How one column is protected: its PII class and its masker."""

    pii: PiiClass
    kind: MaskKind

    @property
    def personal(self) -> bool:
        return self.pii is not PiiClass.NONE


TEXT_POLICY = ColumnPolicy(PiiClass.NONE, MaskKind.TEXT)
ACCOUNT_COLUMNS = {
    "display_name": ColumnPolicy(PiiClass.IDENTITY, MaskKind.NAME),
    "*": ColumnPolicy(PiiClass.NONE, MaskKind.NONE),
}
"""How app-state account rows are masked: the display name names a person (identity class)."""
"""The policy of a string column nobody declared: scrub PII written inside it."""

_KIND_BY_NAME: Mapping[str, MaskKind] = {
    "phone": MaskKind.PHONE,
    "receiver_phone": MaskKind.PHONE,
    "email": MaskKind.EMAIL,
    "name": MaskKind.NAME,
    "receiver_name": MaskKind.NAME,
    "nickname": MaskKind.NAME,
    "title": MaskKind.NAME,  # invoice title: a buyer's or a company's name
    "id_number": MaskKind.ID_NUMBER,
    "address": MaskKind.ADDRESS,
    "receiver_address": MaskKind.ADDRESS,
}

_FREE_TEXT_TYPES = (ColumnType.STRING, ColumnType.JSON)


def column_policy(column: Column) -> ColumnPolicy:
    """The policy of a model column (a personal column the table does not name gets an identifier masker)."""
    if column.pii is PiiClass.NONE:
        return ColumnPolicy(PiiClass.NONE, MaskKind.TEXT if column.type in _FREE_TEXT_TYPES else MaskKind.NONE)
    kind = _KIND_BY_NAME.get(column.name)
    if kind is None:
        if column.type in (ColumnType.DATE, ColumnType.TIMESTAMP):
            kind = MaskKind.DATE
        elif column.type is ColumnType.CODE:
            kind = MaskKind.CODE
        else:
            kind = MaskKind.IDENTIFIER
    return ColumnPolicy(column.pii, kind)


def table_policies(table: str | Table) -> dict[str, ColumnPolicy]:
    """Policies for every column of a warehouse table, by column name."""
    if isinstance(table, str):
        found = TABLES.get(table)
        if found is None:
            raise NotFoundError("warehouse.unknown_table", table=table, known=", ".join(TABLES))
        table = found
    return {column.name: column_policy(column) for column in table.columns}
