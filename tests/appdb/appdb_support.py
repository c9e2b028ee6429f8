"""Helpers shared by the app-state tests and their fixtures (a uniquely named module, importable as such)."""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import URL, create_engine

import support

FAST_HASHER = support.FAST_HASHER
BACKENDS = ["sqlite", "postgresql"]


NEEDED_BY = "the app-state tests"


def unavailable(reason: str) -> NoReturn:
    support.unavailable("PostgreSQL", reason, needed_by=NEEDED_BY)


def server_url() -> str:
    return support.pg_server_url(needed_by=NEEDED_BY)


def admin_engine(url: URL) -> Any:
    return create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
