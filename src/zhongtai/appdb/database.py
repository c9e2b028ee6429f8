"""The app-state database: SQLite file ``app.db`` in the workspace, or PostgreSQL.

``ZHONGTAI_DATABASE_URL`` (``postgresql://user@host/db``) selects PostgreSQL; one database per
workspace. Migrations ship inside the package and run on open (only when the database is behind).

Transactions: :meth:`AppDB.write` is one unit of work (commands: validate, change, audit row);
on SQLite it starts with ``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing
half-way, on PostgreSQL the audit head row is locked by the append. :meth:`AppDB.read` never
writes. Only DAOs use the sessions these hand out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from argon2 import PasswordHasher
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from zhongtai.appdb.passwords import Hasher
from zhongtai.errors import ConfigError, EngineError
from zhongtai.policy.access import Disclosure
from zhongtai.policy.logs import redact
from zhongtai.policy.principal import Principal

__all__ = ["APP_DB_FILE", "ENV_DATABASE_URL", "AppDB", "database_url", "head_revision"]

APP_DB_FILE = "app.db"
ENV_DATABASE_URL = "ZHONGTAI_DATABASE_URL"
_BEGIN = {"deferred": "BEGIN", "immediate": "BEGIN IMMEDIATE"}


def database_url(workspace: Path | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """``ZHONGTAI_DATABASE_URL`` if set, else ``sqlite:///<workspace>/app.db``."""
    text = (os.environ if environ is None else environ).get(ENV_DATABASE_URL, "").strip()
    if text:
        return _normal_url(text)
    if workspace is None:
        raise ConfigError("appdb.no_url", env=ENV_DATABASE_URL)
    return URL.create("sqlite", database=str(Path(workspace) / APP_DB_FILE))


def _normal_url(text: str | URL) -> URL:
    try:
        url = make_url(text)
    except ArgumentError:
        raise ConfigError("appdb.invalid_url", env=ENV_DATABASE_URL) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError("appdb.unsupported", backend=url.get_backend_name())
    return url


def _alembic_config(connection: Any = None) -> Config:
    config = Config(attributes={"connection": connection} if connection is not None else {})
    config.set_main_option("script_location", str(resources.files("zhongtai.appdb") / "migrations"))
    return config


@cache
def head_revision() -> str:
    """The newest migration this release ships."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


class AppDB:
    """An open app-state database.

    ``hasher`` sets the argon2 parameters (the default is argon2-cffi's RFC 9106 low-memory
    profile); tests pass a cheap one. Set ``migrate=False`` to open without upgrading.
    """

    def __init__(self, url: str | URL, *, hasher: PasswordHasher | None = None, migrate: bool = True) -> None:
        self.url = _normal_url(url)
        self.hasher = Hasher(hasher)
        self.engine = _engine(self.url)
        if migrate:
            self.migrate()

    # -- identity --------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        """The URL with any password hidden (for messages)."""
        return self.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"AppDB({self.display_url!r})"

    # -- schema ----------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        with self._connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def migrate(self) -> bool:
        """Upgrade to the newest migration; return whether anything ran."""
        if self.current_revision() == head_revision():
            return False
        with self._connect() as connection, connection.begin():
            command.upgrade(_alembic_config(connection), "head")
        return True

    # -- sessions --------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything it changed is rolled back."""
        session = Session(self.engine, expire_on_commit=False, autoflush=False)
        try:
            yield session
        except SQLAlchemyError as exc:
            raise self._engine_error(exc) from None
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls everything back on any error."""
        bind = self.engine.execution_options(zt_begin="immediate")
        session = Session(bind, expire_on_commit=False)
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            raise self._engine_error(exc) from None
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- access audit (the AccessAudit protocol of zhongtai.policy) -------------------------

    def record_disclosure(self, principal: Principal, disclosure: Disclosure) -> None:
        """Write one ``pii.view`` / ``pii.export`` audit row in its own transaction.

        Call it outside any :meth:`write` block of the same database (on SQLite a second writer
        waits for the first).
        """
        from zhongtai.appdb.dao import AuditDAO

        with self.write() as session:
            AuditDAO(session, principal).append(
                f"pii.{disclosure.purpose.value}",
                target_type="data",
                target_id=disclosure.what,
                detail=disclosure.to_dict(),
                reason=disclosure.reason,
            )

    def record_event(
        self,
        principal: Principal,
        action: str,
        *,
        target_type: str | None = None,
        target_id: str | None = None,
        detail: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        """Write one audit row for a change made outside app state (the EventLog protocol)."""
        from zhongtai.appdb.dao import AuditDAO

        with self.write() as session:
            AuditDAO(session, principal).append(
                action, target_type=target_type, target_id=target_id, detail=detail, reason=reason
            )

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise self._engine_error(exc) from None

    def _engine_error(self, exc: SQLAlchemyError) -> EngineError:
        text = str(getattr(exc, "orig", None) or exc).strip()
        detail = redact(text.splitlines()[0]) if text else type(exc).__name__
        return EngineError("appdb.unavailable", url=self.display_url, detail=detail)


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # transactions are begun below, not by pysqlite
            cursor = dbapi_connection.cursor()
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA synchronous=NORMAL",
                "PRAGMA busy_timeout=30000",
            ):
                cursor.execute(pragma)
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            connection.exec_driver_sql(_BEGIN[connection.get_execution_options().get("zt_begin", "deferred")])

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
