"""Errors as RFC 9457 ``application/problem+json``, in the request's language.

Every deliberate error is a :class:`~zhongtai.errors.ZhongtaiError` whose stable ``code`` and
HTTP ``status`` come from :mod:`zhongtai.errors`; the body adds ``detail`` (the catalogue message
in the request's language), ``code`` and ``params``. Framework errors (validation, unknown route,
wrong method) get codes of their own; anything unexpected is a 500 ``server.internal`` without a
traceback (the traceback goes to the server log, scrubbed of PII by :mod:`zhongtai.policy`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhongtai.errors import InputError, PermissionDenied, ZhongtaiError
from zhongtai.i18n import LANGUAGES, resolve_lang

__all__ = [
    "LANG_COOKIE",
    "PROBLEM_JSON",
    "CsrfError",
    "PageErrors",
    "RateLimited",
    "install_error_handlers",
    "problem_response",
    "request_lang",
]

PROBLEM_JSON = "application/problem+json"
LANG_COOKIE = "zt_lang"
"""The console's language choice (set by ``?lang=`` on a page); used when ``?lang=`` is absent."""
_log = logging.getLogger("zhongtai.server")


class RateLimited(ZhongtaiError):
    """Too many sign-in attempts from one client address (HTTP 429)."""

    status = 429
    exit_code = 7


class CsrfError(PermissionDenied):
    """A state-changing request signed in by cookie came without the session's CSRF token."""


def request_lang(request: Request) -> str:
    """The language of the answer: ``?lang=`` (unknown → :class:`InputError`), else the first
    known tag of ``Accept-Language``, else English."""
    explicit = request.query_params.get("lang")
    if explicit is not None:
        return resolve_lang(explicit or "?")
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip()
        if not tag or tag == "*":
            continue
        key = tag.replace("-", "_").lower()
        if key.startswith("zh"):
            return "zh_CN"
        if key.startswith("en"):
            return "en"
    return LANGUAGES[0]


def _lang(request: Request) -> str:
    lang = getattr(request.state, "lang", None)
    if lang:
        return str(lang)
    try:
        return request_lang(request)
    except ZhongtaiError:
        return "en"


def problem_response(request: Request, exc: ZhongtaiError, *, headers: dict[str, str] | None = None) -> JSONResponse:
    """``exc`` as a problem+json response in the request's language."""
    lang = _lang(request)
    body = exc.to_dict(lang)
    problem: dict[str, Any] = {
        "type": f"urn:zhongtai:error:{exc.code}",
        "title": HTTPStatus(exc.status).phrase,
        "status": exc.status,
        "detail": body["message"],
        "code": exc.code,
        "params": body["params"],
        "instance": request.url.path,
    }
    problems = getattr(exc, "problems", None)
    if problems:
        problem["errors"] = [p.to_dict(lang) for p in problems]
    return JSONResponse(problem, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


PageErrors = Callable[[Request, ZhongtaiError], Response]
"""Renders an error as an HTML page; set as ``app.state.page_errors`` by the console."""


def _page_errors(request: Request) -> PageErrors | None:
    """The console's HTML error renderer for a page request (``None`` for the API and static files)."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")):
        return None
    renderer: PageErrors | None = getattr(request.app.state, "page_errors", None)
    return renderer


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through :func:`problem_response` (HTML pages for console requests)."""

    async def zhongtai_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ZhongtaiError)
        page = _page_errors(request)
        if page is not None:
            return page(request, exc)
        headers = {"Retry-After": str(exc.params.get("seconds", 60))} if isinstance(exc, RateLimited) else None
        if exc.status == 401:
            headers = {"WWW-Authenticate": 'Bearer realm="zhongtai"'}
        return problem_response(request, exc, headers=headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        error = InputError("server.invalid_request", field=where or "-", count=len(exc.errors()))
        page = _page_errors(request)
        return page(request, error) if page is not None else problem_response(request, error)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        error = ZhongtaiError("server.http_error", status=exc.status_code)
        error.status = exc.status_code  # type: ignore[misc]  # an instance attribute shadows the ClassVar
        page = _page_errors(request)
        if page is not None:
            return page(request, error)
        return problem_response(request, error, headers=getattr(exc, "headers", None))

    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        error = ZhongtaiError("server.internal")
        page = _page_errors(request)
        return page(request, error) if page is not None else problem_response(request, error)

    app.add_exception_handler(ZhongtaiError, zhongtai_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
