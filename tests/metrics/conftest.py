"""Engines for the metric layer's tests: one PostgreSQL database and ONE Spark session per run.

PostgreSQL comes from ``ZHONGTAI_TEST_PG_URL`` (a server URL) or is started by
``scripts/pg_test_server.sh``; Spark runs in local mode (``local[2]``, 2 shuffle partitions, log
level FATAL, session time zone UTC — STACK.md §3). When either is missing the tests that need it
fail with the reason under ``CI=true`` and are skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest

import support

NEEDED_BY = "the engine parity tests"


def unavailable(what: str, reason: str) -> NoReturn:
    support.unavailable(what, reason, needed_by=NEEDED_BY)


@pytest.fixture(scope="session")
def pg_metrics_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this test run (dropped at the end)."""
    import psycopg

    server = support.pg_server_url(needed_by=NEEDED_BY).replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"zt_metrics_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(server, autocommit=True)
    except psycopg.Error as exc:
        unavailable("PostgreSQL", f"cannot connect: {str(exc).strip().splitlines()[0]}")
    with admin:
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(
                psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """The one local Spark session of the test run."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("Java (for Spark)", "no `java` on PATH and no JAVA_HOME")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        unavailable("pyspark", str(exc))
    session = (
        SparkSession.builder.master("local[2]")
        .appName("zt-metrics-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("FATAL")
    try:
        yield session
    finally:
        session.stop()
