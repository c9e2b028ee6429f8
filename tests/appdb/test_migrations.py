"""Migrations build exactly the models' schema, on SQLite and PostgreSQL, and run once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, inspect, select, text
from sqlalchemy.exc import DBAPIError, StatementError

from zhongtai.appdb import AppDB, head_revision
from zhongtai.appdb.database import _alembic_config
from zhongtai.appdb.models import User
from zhongtai.appdb.types import Base


def test_a_fresh_database_is_migrated_to_the_newest_revision_on_open(empty_url: URL) -> None:
    db = AppDB(empty_url)
    try:
        assert db.current_revision() == head_revision()
        assert set(inspect(db.engine).get_table_names()) >= {"users", "api_tokens", "audit_log", "audit_head"}
        assert db.migrate() is False  # already at head: nothing runs
    finally:
        db.close()


def test_the_migrated_schema_matches_the_models(db: AppDB) -> None:
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_removes_everything_and_upgrade_restores_it(db: AppDB) -> None:
    with db.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert db.migrate() is True
    with db.engine.connect() as connection:
        head = connection.execute(text("SELECT last_seq, last_hash FROM audit_head")).one()
    assert tuple(head) == (0, "0" * 64)


def test_timestamps_come_back_aware_utc_on_every_backend(db: AppDB) -> None:
    shanghai = timezone(timedelta(hours=8))
    with db.write() as session:
        session.add(
            User(username="tz", role="viewer", scope={}, locked_until=datetime(2025, 3, 8, 18, 30, tzinfo=shanghai))
        )
    with db.read() as session:
        value = session.scalars(select(User.locked_until).where(User.username == "tz")).one()
    assert value == datetime(2025, 3, 8, 10, 30, tzinfo=UTC)
    assert value is not None
    assert value.utcoffset() == timedelta(0)


def test_a_naive_timestamp_is_refused(db: AppDB) -> None:
    with db.write() as session:
        session.add(User(username="naive", role="viewer", scope={}, locked_until=datetime(2025, 3, 8)))
        with pytest.raises(StatementError, match="naive datetime"):
            session.flush()
        session.rollback()


def test_the_role_column_accepts_only_known_roles(db: AppDB) -> None:
    with db.write() as session:
        session.add(User(username="bad", role="superuser", scope={}))
        with pytest.raises(DBAPIError):
            session.flush()
        session.rollback()
