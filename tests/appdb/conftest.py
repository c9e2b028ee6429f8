"""App-state fixtures: every test runs on a real SQLite file and on a real PostgreSQL database.

Migrations run once per session per backend into a *template*; each test gets a copy (a file
copy of the migrated SQLite file; ``CREATE DATABASE t_… TEMPLATE zt_template_…`` on PostgreSQL),
so no test pays for a migration and none sees another's rows.

PostgreSQL comes from ``ZHONGTAI_TEST_PG_URL`` (a server URL; the tests create and drop their own
databases) or is started by ``scripts/pg_test_server.sh``. If it cannot be had, the PostgreSQL
half fails with the reason under ``CI=true`` and is skipped with the reason elsewhere.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from appdb_support import BACKENDS, FAST_HASHER, admin_engine, server_url, unavailable
from sqlalchemy import URL, make_url, text

from zhongtai.appdb import AppDB, ensure_owner, owner_principal
from zhongtai.policy import Principal


@pytest.fixture(scope="session")
def pg_server() -> URL:
    """The URL of a PostgreSQL server's maintenance database (``postgres``)."""
    url = make_url(server_url())
    engine = admin_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        unavailable(f"cannot connect to {url.render_as_string(hide_password=True)}: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def pg_template(pg_server: URL) -> Iterator[str]:
    """A database migrated once, the template of every test database of this session."""
    name = f"zt_template_{secrets.token_hex(4)}"
    engine = admin_engine(pg_server)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    AppDB(pg_server.set(database=name)).close()
    yield name
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("appdb-template") / "app.db"
    AppDB(URL.create("sqlite", database=str(path))).close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture
def pg_database(pg_server: URL, pg_template: str) -> Iterator[URL]:
    """A fresh PostgreSQL database cloned from the migrated template."""
    name = f"t_{secrets.token_hex(6)}"
    engine = admin_engine(pg_server)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    try:
        yield pg_server.set(database=name)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def app_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """A migrated, empty app-state database on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "app.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return URL.create("sqlite", database=str(target))
    url: URL = request.getfixturevalue("pg_database")
    return url


@pytest.fixture
def db(app_url: URL) -> Iterator[AppDB]:
    app = AppDB(app_url, hasher=FAST_HASHER)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def owner(db: AppDB) -> Principal:
    """The owner admin (created without a password, as for a workspace that predates app state)."""
    ensure_owner(db, generate=False, environ={})
    return owner_principal(db)


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """An empty (never migrated) database on each backend."""
    if request.param == "sqlite":
        yield URL.create("sqlite", database=str(tmp_path / "fresh" / "app.db"))
        return
    server: URL = request.getfixturevalue("pg_server")
    name = f"t_{secrets.token_hex(6)}"
    engine = admin_engine(server)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def unguard(db: AppDB) -> None:
    """What an attacker with database access does first: switch off the audit log's triggers."""
    with db.engine.begin() as connection:
        if db.dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
