"""Helpers shared by several test packages (importable from every one: ``tests/`` is on
``sys.path`` through the root conftest).

The outside services some tests need (PostgreSQL, Java for Spark) are found or started once;
missing ones fail the run under ``CI=true`` and skip with the reason elsewhere.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest
from argon2 import PasswordHasher

REPO = Path(__file__).resolve().parents[1]
PG_SCRIPT = REPO / "scripts" / "pg_test_server.sh"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""argon2 with minimal cost: the tests check behaviour, not hashing strength (STACK.md §6)."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(what: str, reason: str, *, needed_by: str, hint: str = "") -> NoReturn:
    """Fail under CI (the service must exist there), skip with the reason anywhere else."""
    if in_ci():
        pytest.fail(f"{what} is required for {needed_by} in CI but is unavailable: {reason}", pytrace=False)
    pytest.skip(f"{what} unavailable ({reason}){'; ' + hint if hint else ''}")


def pg_server_url(*, needed_by: str) -> str:
    """``ZHONGTAI_TEST_PG_URL``, else the server ``scripts/pg_test_server.sh`` starts (or reuses)."""
    url = os.environ.get("ZHONGTAI_TEST_PG_URL", "").strip()
    if url:
        return url
    hint = "set ZHONGTAI_TEST_PG_URL or let scripts/pg_test_server.sh start one (needs the postgresql package)"
    try:
        proc = subprocess.run([str(PG_SCRIPT), "start"], capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        unavailable("PostgreSQL", f"{PG_SCRIPT.name} could not run: {exc}", needed_by=needed_by, hint=hint)
    if proc.returncode != 0 or not proc.stdout.strip():
        reason = f"{PG_SCRIPT.name} start exited {proc.returncode}: {proc.stderr.strip()[-500:]}"
        unavailable("PostgreSQL", reason, needed_by=needed_by, hint=hint)
    return proc.stdout.strip().splitlines()[-1]
