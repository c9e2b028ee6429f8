"""The application factory: :func:`create_app` opens the workspace once and mounts the API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from zhongtai._version import __version__
from zhongtai.server.api import alerts, customers, ingest, metrics, quality, session, users
from zhongtai.server.api import dashboards as dashboards_api
from zhongtai.server.auth import SessionStore
from zhongtai.server.errors import install_error_handlers
from zhongtai.server.pages import install_console
from zhongtai.server.security import API_PREFIX, LoginLimiter, SecurityMiddleware
from zhongtai.server.state import open_state

__all__ = ["API_PREFIX", "ROUTERS", "create_app"]

ROUTERS = (session.router, metrics.router, quality.router, alerts.router, customers.router, ingest.router, users.router,
           dashboards_api.router)  # fmt: skip
"""One router per capability; a later capability adds its module here."""


def create_app(
    workspace_path: str | Path,
    *,
    secure: bool = False,
    login_limit: int = 10,
    login_window: float = 300.0,
) -> FastAPI:
    """The web application over the workspace at ``workspace_path``.

    The workspace is opened here, read-write, for the application's lifetime (closed at shutdown):
    this process then owns the DuckDB warehouse (see :mod:`zhongtai.server.state`). ``secure``
    marks cookies ``Secure`` and adds HSTS (use it behind TLS). ``login_limit`` sign-in attempts
    per client address per ``login_window`` seconds.
    """
    state = open_state(Path(workspace_path), secure_cookies=secure, login_limit=login_limit, login_window=login_window)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="zhongtai API",
        version=__version__,
        description="zhongtai (中台) REST API: metrics, quality, alerts, customers, ingest, users. See docs/en/api.md.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN, which the CSP forbids
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.zhongtai = state
    app.state.sessions = SessionStore()
    app.state.login_limiter = LoginLimiter(login_limit, login_window)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    install_console(app)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)  # 9 costs CPU for ~1 % smaller
    app.add_middleware(SecurityMiddleware, secure=secure)
    return app
