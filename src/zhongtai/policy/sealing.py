"""Identity-class warehouse columns encrypted at rest, and decrypted only on the way to a principal.

Which columns: every ``identity``-class text column of the canonical model that is neither part of
a natural key nor a link between tables (``name``, ``nickname``, ``member_card``,
``receiver_name``, invoice ``title`` and ``tax_id``, post ``author_id``). Keys and links
(``customer_id``, ``member_id``) stay joinable; typed columns (``birth_date``, ``gender``) cannot
hold ciphertext and are masked but not encrypted.

:func:`seal_warehouse` seals values still in clear and re-seals values of an older key, in one
DuckDB transaction; ``_row_hash`` is left as ingest computed it, so re-loading the same file
still finds every row unchanged. Ingest writes clear text; run sealing after loads (``zhongtai keys
seal``, or :func:`seal_after_load` as a post-load hook). Reading goes through
:func:`~zhongtai.policy.query.query_warehouse` or :func:`~zhongtai.policy.masking.mask` with the
table named, which decrypt first and then mask by role, so a restricted role sees ``张*`` and an
allowed one ``张三丰``. Expressions computed *in SQL* over a sealed column (``UPPER(name)``) see
ciphertext: compute on decrypted results instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
from sqlglot import exp

from zhongtai.policy.access import EventLog
from zhongtai.policy.crypto import PREFIX, Keyring, is_sealed, keyring_from_env
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability
from zhongtai.warehouse._sql import col, lit, tbl
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import ColumnType, PiiClass

__all__ = [
    "SealResult",
    "context_of",
    "seal_after_load",
    "seal_for",
    "seal_warehouse",
    "sealed_columns",
    "unseal_array",
    "unseal_table",
    "warehouse_key_usage",
]

_LINKS = frozenset({"customer_id", "member_id", "source"})
_STAGE = "zt_seal"


@cache
def sealed_columns() -> dict[str, tuple[str, ...]]:
    """Table -> the columns sealed at rest (see the module docstring for the rule)."""
    found: dict[str, tuple[str, ...]] = {}
    for table in TABLES.values():
        keyish = set(table.key) | {c for ref in table.references for c in ref.columns} | _LINKS
        names = tuple(
            c.name
            for c in table.columns
            if c.pii is PiiClass.IDENTITY and c.type in (ColumnType.STRING, ColumnType.ID) and c.name not in keyish
        )
        if names:
            found[table.name] = names
    return found


def context_of(table: str, column: str) -> str:
    """The associated data a sealed warehouse value is bound to."""
    return f"warehouse:{table}.{column}"


SealResult = dict[str, int]


def _pending(warehouse: Warehouse, table: str, column: str, primary: str) -> list[tuple[Any, ...]]:
    value = col(column)
    query = (
        exp.select(exp.column("rowid"), value)
        .from_(tbl(table))
        .where(
            exp.and_(
                value.is_(exp.null()).not_(),
                exp.Like(this=value.copy(), expression=lit(PREFIX + primary + ":%")).not_(),
            )
        )
    )
    return warehouse.fetchall(query)


def seal_warehouse(warehouse: Warehouse, keyring: Keyring, *, tables: Iterable[str] | None = None) -> SealResult:
    """Seal identity values in clear and re-seal those of non-primary keys; return counts per column.

    A value sealed with a key the keyring lacks is left as it is (it cannot be read to re-seal).
    """
    wanted = set(tables) if tables is not None else None
    counts: SealResult = {}
    with warehouse.transaction():
        for table, columns in sealed_columns().items():
            if wanted is not None and table not in wanted:
                continue
            for column in columns:
                context = context_of(table, column)
                ids, values = [], []
                for rowid, value in _pending(warehouse, table, column, keyring.primary):
                    text = str(value)
                    if is_sealed(text):
                        if keyring.key_id(text) not in keyring.keys:
                            continue
                        text = keyring.rotate(text, context)
                    else:
                        text = keyring.encrypt(text, context)
                    ids.append(rowid)
                    values.append(text)
                counts[f"{table}.{column}"] = len(ids)
                if ids:
                    _write(warehouse, table, column, ids, values)
    return counts


def _write(warehouse: Warehouse, table: str, column: str, ids: list[Any], values: list[str]) -> None:
    staged = pa.table({"rid": pa.array(ids, pa.int64()), "v": pa.array(values, pa.string())})
    warehouse.con.register(_STAGE, staged)
    try:
        update = exp.Update(
            this=tbl(table),
            expressions=[exp.EQ(this=col(column), expression=col("v", _STAGE))],
            from_=exp.From(this=tbl(_STAGE)),
            where=exp.Where(
                this=exp.EQ(
                    this=exp.column("rowid", table=exp.to_identifier(table, True)), expression=col("rid", _STAGE)
                )
            ),
        )
        warehouse.execute(update)
    finally:
        warehouse.con.unregister(_STAGE)


def warehouse_key_usage(warehouse: Warehouse) -> dict[str, dict[str, int]]:
    """Per sealed column: values per key id, and ``"clear"`` for values not sealed."""
    usage: dict[str, dict[str, int]] = {}
    for table, columns in sealed_columns().items():
        for column in columns:
            value = col(column)
            kid = exp.Case(
                ifs=[
                    exp.If(
                        this=exp.Like(this=value.copy(), expression=lit(PREFIX + "%")),
                        true=exp.func("split_part", value.copy(), lit(":"), lit(2)),
                    )
                ],
                default=lit("clear"),
            )
            query = (
                exp.select(kid.as_("kid"), exp.Count(this=exp.Star()).as_("n"))
                .from_(tbl(table))
                .where(value.copy().is_(exp.null()).not_())
                .group_by(exp.column("kid"))
            )
            usage[f"{table}.{column}"] = {str(k): int(n) for k, n in warehouse.fetchall(query)}
    return usage


def unseal_array(values: Any, context: str, keyring: Keyring | None = None) -> Any:
    """An Arrow string column with its sealed values decrypted (unknown keys left sealed)."""
    keyring = keyring or keyring_from_env()
    if keyring is None or not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return values
    sealed = pc.fill_null(pc.starts_with(values, PREFIX), False)
    if not pc.any(sealed).as_py():
        return values
    tokens = pc.filter(values, sealed).to_pylist()
    opened = [keyring.decrypt(t, context) if keyring.key_id(t) in keyring.keys else t for t in tokens]
    return pc.replace_with_mask(values, sealed, pa.array(opened, values.type))


def unseal_table(table: pa.Table, sources: Mapping[str, tuple[str, str]], keyring: Keyring | None = None) -> pa.Table:
    """``table`` with the output columns that come straight from sealed columns decrypted.

    ``sources`` maps an output column to its (table, column) origin.
    """
    keyring = keyring or keyring_from_env()
    if keyring is None:
        return table
    sealed = sealed_columns()
    arrays = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        origin = sources.get(name)
        if origin is not None and origin[1] in sealed.get(origin[0], ()):
            column = unseal_array(column.combine_chunks(), context_of(*origin), keyring)
        arrays.append(column)
    return pa.table(arrays, names=table.column_names)


def seal_for(principal: Principal, warehouse: Warehouse, keyring: Keyring, *, audit: EventLog) -> SealResult:
    """:func:`seal_warehouse` for a principal with ``keys:write``; the counts go to the audit log."""
    principal.require(Capability.KEYS, Action.WRITE)
    counts = seal_warehouse(warehouse, keyring)
    audit.record_event(
        principal,
        "keys.seal",
        target_type="warehouse",
        target_id=keyring.primary,
        detail={"primary": keyring.primary, "sealed": {k: v for k, v in counts.items() if v}},
    )
    return counts


class _HookContext(Protocol):
    workspace: Any


def seal_after_load(context: _HookContext) -> dict[str, Any]:
    """A post-load hook: seal what the load wrote (does nothing without ``ZHONGTAI_ENCRYPTION_KEYS``)."""
    keyring = keyring_from_env()
    if keyring is None:
        return {"sealed": 0, "skipped": "no keys"}
    counts = seal_warehouse(context.workspace.warehouse, keyring)
    return {"sealed": sum(counts.values()), "columns": {k: v for k, v in counts.items() if v}}


seal_after_load.tables = tuple(sealed_columns())  # type: ignore[attr-defined]
