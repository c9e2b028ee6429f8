"""Helpers shared by the app-state tests and their fixtures (a uniquely named module, importable as such)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest
from argon2 import PasswordHasher
from sqlalchemy import URL, create_engine

REPO = Path(__file__).resolve().parents[2]
PG_SCRIPT = REPO / "scripts" / "pg_test_server.sh"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""argon2 with minimal cost: the tests check behaviour, not hashing strength (STACK.md §6)."""
BACKENDS = ["sqlite", "postgresql"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"PostgreSQL is required for the app-state tests in CI but is unavailable: {reason}", pytrace=False)
    pytest.skip(
        f"PostgreSQL unavailable ({reason}); set ZHONGTAI_TEST_PG_URL or let scripts/pg_test_server.sh "
        "start one (needs the postgresql package)"
    )


def server_url() -> str:
    url = os.environ.get("ZHONGTAI_TEST_PG_URL", "").strip()
    if url:
        return url
    try:
        proc = subprocess.run([str(PG_SCRIPT), "start"], capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        unavailable(f"{PG_SCRIPT.name} could not run: {exc}")
    if proc.returncode != 0 or not proc.stdout.strip():
        unavailable(f"{PG_SCRIPT.name} start exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return proc.stdout.strip().splitlines()[-1]


def admin_engine(url: URL) -> Any:
    return create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
