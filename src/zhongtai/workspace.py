"""The workspace: a folder holding settings, the warehouse, app state and quarantined rows.

``zhongtai.open(path)`` is the library's front door::

    import zhongtai
    ws = zhongtai.open("demo-workspace")
    ws.overview().tables[0]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from zhongtai._version import __version__
from zhongtai.errors import ConfigError, ConflictError
from zhongtai.settings import FORMAT_VERSION, SETTINGS_FILE, Settings, ShopSettings, read_settings, write_settings
from zhongtai.warehouse import Warehouse, quarantine_recovery
from zhongtai.warehouse._sql import fragment, tbl
from zhongtai.warehouse.meta import LOADS, META_SCHEMA
from zhongtai.warehouse.model import TABLES

if TYPE_CHECKING:
    from zhongtai.appdb import AdminBootstrap, AppDB
    from zhongtai.metrics.cache import ResultCache
    from zhongtai.metrics.serve import WorkspaceMetrics

__all__ = ["Overview", "TableSummary", "Workspace", "init_workspace", "open_workspace"]

WAREHOUSE_FILE = "warehouse.duckdb"
QUARANTINE_DIR = "quarantine"
TMP_DIR = "tmp"
OLDEST_MIGRATABLE = 1
"""Workspaces of this format and newer open (additive model changes are applied on open by
:meth:`Warehouse.ensure_schema`); older formats are refused with a message saying so."""


@dataclass(frozen=True, slots=True)
class TableSummary:
    name: str
    rows: int
    last_load_id: int | None
    last_loaded_at: datetime | None


@dataclass(frozen=True, slots=True)
class Overview:
    """What is in a workspace (``zhongtai tables`` and ``make run`` print this)."""

    path: str
    shop: ShopSettings
    format_version: int
    version: str
    tables: list[TableSummary]
    loads_committed: int
    loads_refused: int
    rows_quarantined: int
    migrations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "shop": self.shop.model_dump(),
            "format_version": self.format_version,
            "version": self.version,
            "tables": [
                {
                    "name": t.name,
                    "rows": t.rows,
                    "last_load_id": t.last_load_id,
                    "last_loaded_at": t.last_loaded_at.isoformat() if t.last_loaded_at else None,
                }
                for t in self.tables
            ],
            "loads_committed": self.loads_committed,
            "loads_refused": self.loads_refused,
            "rows_quarantined": self.rows_quarantined,
            "migrations": self.migrations,
        }


class Workspace:
    """An open workspace. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, settings: Settings, *, read_only: bool = False) -> None:
        self.path = path
        self.settings = settings
        self.read_only = read_only
        self.migrations: list[str] = []
        self.first_admin: AdminBootstrap | None = None
        """Set by :func:`init_workspace`: the owner admin and its one-time password, to print once."""
        self._app: AppDB | None = None
        self.metric_cache: ResultCache | None = None
        """Metric results by SQL and load; set only by a process that owns the warehouse (the
        server), which clears it after each write (see :mod:`zhongtai.metrics.cache`)."""
        self.tmp_dir.mkdir(exist_ok=True)
        self._warehouse = Warehouse(
            path / WAREHOUSE_FILE,
            read_only=read_only,
            temp_directory=self.tmp_dir,
        )

    @property
    def warehouse(self) -> Warehouse:
        return self._warehouse

    @property
    def app(self) -> AppDB:
        """App state (users, tokens, audit log): ``app.db`` here, or ``ZHONGTAI_DATABASE_URL``.

        Opened and migrated on first use; app state created for an existing workspace gets an
        owner admin without a password (``zhongtai users reset-password`` issues one).
        """
        if self._app is None:
            self._app, _ = _open_app(self.path, generate=False)
        return self._app

    @property
    def metrics(self) -> WorkspaceMetrics:
        """The metric layer on this workspace: ``ws.metrics.query(["gmv"], by="channel", grain="month")``."""
        from zhongtai.metrics.serve import WorkspaceMetrics

        return WorkspaceMetrics(self)

    @property
    def quarantine_dir(self) -> Path:
        return self.path / QUARANTINE_DIR

    @property
    def tmp_dir(self) -> Path:
        return self.path / TMP_DIR

    @property
    def timezone(self) -> str:
        return self.settings.shop.timezone

    @property
    def currency(self) -> str:
        return self.settings.shop.currency

    @property
    def max_reject_rate(self) -> float:
        return self.settings.ingest.max_reject_rate

    @property
    def ingest_memory_limit(self) -> str:
        return self.settings.ingest.memory_limit

    def close(self) -> None:
        self._warehouse.close()
        if self._app is not None:
            self._app.close()

    @contextmanager
    def cursor_view(self) -> Iterator[Workspace]:
        """This workspace for one thread: same settings and app state, its own warehouse cursor.

        The server gives every request such a view (see :mod:`zhongtai.server.state`); the cursor
        is closed when the block ends, the workspace itself stays open.
        """
        _ = self.app  # opened here, once, so every view shares the one AppDB and its pool
        view = object.__new__(Workspace)
        view.__dict__.update(self.__dict__)
        view._warehouse = self._warehouse.cursor_view()
        try:
            yield view
        finally:
            view._warehouse.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def overview(self) -> Overview:
        """Row counts and freshness of every table, and load totals."""
        wh = self._warehouse
        loads = tbl(LOADS.name, META_SCHEMA)
        finished = dict(
            wh.fetchall(fragment("SELECT load_id, finished_at FROM :l WHERE status = 'committed'", l=loads))
        )
        summaries = []
        for name in TABLES:
            rows, last = wh.fetchall(fragment("SELECT COUNT(*), MAX(_load_id) FROM :t", t=tbl(name)))[0]
            summaries.append(TableSummary(name, int(rows), last, finished.get(last)))
        counts = dict(wh.fetchall(fragment("SELECT status, COUNT(*) FROM :l GROUP BY status", l=loads)))
        quarantined = wh.fetchall(
            fragment("SELECT COALESCE(SUM(rows_quarantined), 0) FROM :l WHERE status = 'committed'", l=loads)
        )[0][0]
        return Overview(
            path=str(self.path),
            shop=self.settings.shop,
            format_version=self.settings.workspace.format_version,
            version=__version__,
            tables=summaries,
            loads_committed=int(counts.get("committed", 0)),
            loads_refused=int(counts.get("refused", 0)),
            rows_quarantined=int(quarantined),
            migrations=list(self.migrations),
        )


def init_workspace(
    path: str | os.PathLike[str],
    *,
    shop_name: str | None = None,
    currency: str = "CNY",
    timezone: str = "Asia/Shanghai",
    language: str = "zh_CN",
    bootstrap_owner: bool = False,
) -> Workspace:
    """Create a workspace folder (it may exist but must be empty) and open it for writing.

    ``bootstrap_owner`` (what ``zhongtai init`` does) also creates app state and its owner admin
    with a one-time password (or ``ZHONGTAI_ADMIN_PASSWORD``), left in ``ws.first_admin`` for
    the caller to show once; otherwise app state is created on first use, the owner without a
    password.
    """
    folder = Path(path).expanduser().resolve()
    if (folder / SETTINGS_FILE).exists():
        raise ConflictError("workspace.exists", path=str(folder))
    if folder.exists() and any(folder.iterdir()):
        raise ConflictError("workspace.folder_not_empty", path=str(folder))
    try:
        shop = ShopSettings.model_validate(
            {"name": shop_name or folder.name, "currency": currency, "timezone": timezone, "language": language}
        )
    except ValueError as exc:
        raise ConfigError("workspace.invalid_settings", file=SETTINGS_FILE, problems=str(exc)) from None
    settings = Settings(shop=shop)
    settings.workspace.created_with = __version__
    folder.mkdir(parents=True, exist_ok=True)
    (folder / QUARANTINE_DIR).mkdir()
    (folder / QUARANTINE_DIR).chmod(0o700)
    write_settings(folder, settings)
    ws = open_workspace(folder)
    if bootstrap_owner:
        try:
            ws._app, ws.first_admin = _open_app(folder, generate=True)
        except BaseException:
            ws.close()
            raise
    return ws


def _open_app(folder: Path, *, generate: bool) -> tuple[AppDB, AdminBootstrap | None]:
    from zhongtai.appdb import AppDB, database_url, ensure_owner

    app = AppDB(database_url(folder))
    try:
        return app, ensure_owner(app, generate=generate)
    except BaseException:
        app.close()
        raise


def open_workspace(path: str | os.PathLike[str], *, read_only: bool = False) -> Workspace:
    """Open an existing workspace, migrating an older layout or refusing a newer one."""
    folder = Path(path).expanduser().resolve()
    settings = read_settings(folder)
    version = settings.workspace.format_version
    if version > FORMAT_VERSION:
        raise ConfigError("workspace.too_new", path=str(folder), found=version, supported=FORMAT_VERSION)
    if version < OLDEST_MIGRATABLE:
        raise ConfigError("workspace.too_old", path=str(folder), found=version, oldest=OLDEST_MIGRATABLE)
    (folder / QUARANTINE_DIR).mkdir(exist_ok=True)
    ws = Workspace(folder, settings, read_only=read_only)
    if not read_only:
        try:
            ws.migrations = ws.warehouse.ensure_schema()
            ws.warehouse.set_info("format_version", str(FORMAT_VERSION))
            quarantine_recovery(ws.warehouse, ws.quarantine_dir)
            ws.warehouse.fail_interrupted_runs()
        except BaseException:
            ws.close()
            raise
    else:
        _check_read_only_schema(ws)
    return ws


def _check_read_only_schema(ws: Workspace) -> None:
    if not ws.warehouse.table_exists(LOADS.name, META_SCHEMA):
        ws.close()
        raise ConfigError("workspace.needs_migration", path=str(ws.path))
