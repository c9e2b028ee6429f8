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
import yaml
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


_ORDERS_TABLES = {
    "orders": {
        "group_rows": True,
        "columns": {
            "order_id": {"from": "订单编号"},
            "order_time": {"from": "下单时间"},
            "total_amount": {"from": "订单金额"},
            "customer_id": {"from": "买家"},
        },
    },
    "order_items": {
        "columns": {
            "order_id": {"from": "订单编号"},
            "line_no": {"sequence": True},
            "sku": {"from": "商品编码"},
            "quantity": {"from": "数量"},
            "unit_price": {"from": "单价"},
        },
    },
}


def orders_mapping_yaml(name: str) -> str:
    """The mapping file (YAML) of the small Chinese-headed order export the ingest tests load
    (订单编号, 下单时间, 订单金额, 买家, 商品编码, 数量, 单价), named ``name``."""
    return yaml.safe_dump({"name": name, "tables": _ORDERS_TABLES}, allow_unicode=True)
