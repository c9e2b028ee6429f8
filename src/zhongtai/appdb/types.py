"""Column types and the declarative base shared by every app-state model.

- :class:`UTCDateTime`: ``DateTime(timezone=True)`` comes back naive from SQLite and aware from
  PostgreSQL; this type stores UTC and always returns an aware UTC ``datetime`` on both, and
  refuses a naive one on the way in (a naive time is a bug, not a local time).
- :class:`SealedText`: a text column encrypted at rest with the keyring from
  ``ZHONGTAI_ENCRYPTION_KEYS`` (AES-256-GCM, bound to its table and column).
- :data:`NAMING`: constraint names that are stable across SQLite and PostgreSQL, so Alembic can
  alter them (SQLite batch mode needs named constraints).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, Text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from zhongtai.errors import ConfigError
from zhongtai.policy.crypto import ENV_KEYS, is_sealed, keyring_from_env

__all__ = ["NAMING", "SEALED_MARK", "Base", "SealedText", "UTCDateTime", "utcnow"]

SEALED_MARK = "[sealed:{kid}]"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class SealedText(TypeDecorator[str]):
    """Text encrypted at rest: the database holds ``zt1:<key id>:<ciphertext>``, Python sees the text.

    Writing needs ``ZHONGTAI_ENCRYPTION_KEYS``. Reading a value whose key is not configured gives
    ``[sealed:<key id>]`` (the application keeps working, nothing is revealed); a value that fails
    authentication (tampered, or moved from another column) is an error.
    """

    impl = Text
    cache_ok = True

    def __init__(self, context: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        keyring = keyring_from_env()
        if keyring is None:
            raise ConfigError("crypto.no_keys", env=ENV_KEYS, column=self.context)
        return keyring.encrypt(value, self.context)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not is_sealed(value):
            return value
        keyring = keyring_from_env()
        if keyring is None or keyring.key_id(value) not in keyring.keys:
            return SEALED_MARK.format(kid=value.split(":")[1])
        return keyring.decrypt(value, self.context)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
