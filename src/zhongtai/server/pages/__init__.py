"""The web console: server-rendered pages (Jinja2 + HTMX + ECharts), one folder per capability.

Each capability folder (``overview/``, ``explorer/``, ``settings/`` …) holds its routes, its
templates under ``templates/<capability>/`` and its Chinese catalogue under ``locale/``; it
registers its navigation entry at import. A later capability adds a folder and one line to
:data:`PAGE_MODULES`. Pages call the same library functions as the CLI and the REST API.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from zhongtai.server.pages.access import LoginRequired, error_page, login_redirect

__all__ = ["PAGE_MODULES", "STATIC_DIR", "install_console"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_MODULES = (
    "session",
    "overview",
    "explorer",
    "dashboards",
    "settings",
    "quality",
    "alerts",
    "ingest",
    "customers",
)
"""Capability folders, in navigation order; each module exposes ``router``."""


class CachedStatic(StaticFiles):
    """Static files with caching headers: versioned URLs (``?v=``) are immutable for a year."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        versioned = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = (
            "public, max-age=31536000, immutable" if versioned else "public, max-age=3600"
        )
        return response


def install_console(app: FastAPI) -> None:
    """Mount the static files and every capability's pages on ``app``."""
    app.mount("/static", CachedStatic(directory=STATIC_DIR), name="static")
    for name in PAGE_MODULES:
        module = import_module(f"zhongtai.server.pages.{name}")
        app.include_router(module.router)
    app.state.page_errors = error_page

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return login_redirect(request, exc.next_path)

    app.add_exception_handler(LoginRequired, login_required)
