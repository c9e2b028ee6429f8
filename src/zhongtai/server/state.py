"""What the server process owns: the one open workspace, a cursor per request, the write lock.

DuckDB allows one writing process per file, and one ``DuckDBPyConnection`` must not be used by
two threads at once. So the server opens the workspace **once** at start-up (read-write), and
every request works on a *view* of it whose warehouse connection is a fresh cursor of the shared
connection (``con.cursor()``): requests run in parallel threads without sharing a connection
object. Writes to the warehouse (ingest, quality runs) additionally hold :attr:`ServerState.write_lock`
(through :meth:`ServerState.writing`, which also clears the metric result cache afterwards)
so that at most one write transaction is in flight; reads go on meanwhile. The CLI cannot open the
warehouse for writing while the server runs (DuckDB's file lock gives ``warehouse.locked``);
writes then go through the API.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhongtai.metrics.cache import ResultCache
from zhongtai.workspace import Workspace, open_workspace

__all__ = ["ServerState", "open_state"]


@dataclass
class ServerState:
    """The process-wide state of one server (one per :func:`~zhongtai.server.create_app`)."""

    workspace: Workspace
    secure_cookies: bool = False
    login_limit: int = 10
    """Sign-in attempts one client address may make per :attr:`login_window` seconds."""
    login_window: float = 300.0
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock for one warehouse write, then forget cached metric results."""
        with self.write_lock:
            try:
                yield
            finally:
                if self.workspace.metric_cache is not None:
                    self.workspace.metric_cache.clear()

    @contextmanager
    def request_workspace(self) -> Iterator[Workspace]:
        """A view of the workspace for one request: same settings and app state, own DuckDB cursor."""
        with self.workspace.cursor_view() as view:
            yield view

    def close(self) -> None:
        self.workspace.close()


def open_state(path: Path, **options: Any) -> ServerState:
    """Open the workspace at ``path`` for the server's lifetime (app state opened eagerly so that
    every request view shares the one :class:`~zhongtai.appdb.AppDB` and its connection pool)."""
    ws = open_workspace(path)
    ws.metric_cache = ResultCache()
    try:
        _ = ws.app
    except BaseException:
        ws.close()
        raise
    return ServerState(ws, **options)
