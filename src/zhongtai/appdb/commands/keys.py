"""Field-encryption keys in app state: which key sealed how many values, and rotation.

Rotation re-seals every value in every :class:`~zhongtai.appdb.types.SealedText` column with the
keyring's primary key, in one transaction with its audit row. Afterwards the old key can leave
``ZHONGTAI_ENCRYPTION_KEYS``; :func:`key_usage` shows when nothing needs it any more.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, Text, select, type_coerce, update
from sqlalchemy.orm import Session

from zhongtai.appdb.commands.base import Command, Problems
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.types import Base, SealedText
from zhongtai.errors import ConfigError
from zhongtai.policy.crypto import ENV_KEYS, Keyring, is_sealed, keyring_from_env
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability

__all__ = ["KeyUsage", "RotateKeysCommand", "key_usage", "sealed_columns"]


def sealed_columns() -> list[tuple[Table, Column[Any], SealedText]]:
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, SealedText):
                found.append((table, column, column.type))
    return found


@dataclass(frozen=True, slots=True)
class KeyUsage:
    column: str
    by_key: dict[str, int] = field(default_factory=dict)
    plaintext: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "by_key": dict(self.by_key), "plaintext": self.plaintext}


def _raw(session: Session, table: Table, column: Column[Any]) -> list[tuple[Any, str]]:
    pk = next(iter(table.primary_key.columns))
    rows = session.execute(select(pk, type_coerce(column, Text)).where(column.is_not(None)))
    return [(row[0], str(row[1])) for row in rows]


def key_usage(db: AppDB, principal: Principal) -> list[KeyUsage]:
    """How many values each key sealed, per encrypted column (needs ``keys:read``)."""
    principal.require(Capability.KEYS, Action.READ)
    usage = []
    with db.read() as session:
        for table, column, _ in sealed_columns():
            counts: Counter[str] = Counter()
            plain = 0
            for _, value in _raw(session, table, column):
                if is_sealed(value):
                    counts[value.split(":")[1]] += 1
                else:
                    plain += 1
            usage.append(KeyUsage(f"{table.name}.{column.name}", dict(counts), plain))
    return usage


class RotateKeysCommand(Command[dict[str, int]]):
    """Re-seal every encrypted value with the primary key (and seal any left in plain text)."""

    def __init__(self, db: AppDB, principal: Principal) -> None:
        super().__init__(db, principal)
        keyring = keyring_from_env()
        if keyring is None:
            raise ConfigError("crypto.no_keys", env=ENV_KEYS, column="*")
        self.keyring: Keyring = keyring

    def check_permission(self) -> None:
        self.principal.require(Capability.KEYS, Action.WRITE)

    def validate(self, session: Session, problems: Problems) -> None:
        missing: set[str] = set()
        for table, column, _ in sealed_columns():
            for _, value in _raw(session, table, column):
                if is_sealed(value) and self.keyring.key_id(value) not in self.keyring.keys:
                    missing.add(self.keyring.key_id(value))
        for kid in sorted(missing):
            problems.add("crypto.unknown_key", kid=kid, env=ENV_KEYS)

    def execute(self, session: Session) -> dict[str, int]:
        rotated: dict[str, int] = {}
        for table, column, kind in sealed_columns():
            pk = next(iter(table.primary_key.columns))
            count = 0
            for ident, value in _raw(session, table, column):
                if is_sealed(value):
                    if not self.keyring.needs_rotation(value):
                        continue
                    new = self.keyring.rotate(value, kind.context)
                else:
                    new = self.keyring.encrypt(value, kind.context)
                session.execute(update(table).where(pk == ident).values({column.name: type_coerce(new, Text)}))
                count += 1
            rotated[f"{table.name}.{column.name}"] = count
        self.audit(
            session,
            "keys.rotate",
            target_type="keys",
            target_id=self.keyring.primary,
            detail={"primary": self.keyring.primary, "rotated": rotated},
        )
        return rotated
