"""Errors as RFC 9457 ``application/problem+json``, in the request's language.

Every deliberate error is a :class:`~zhongtai.errors.ZhongtaiError` whose stable ``code`` and
HTTP ``status`` come from :mod:`zhongtai.errors`; the body adds ``detail`` (the catalogue message
in the request's language), ``code`` and ``params``. Framework errors (validation, unknown route,
wrong method) get codes of their own; anything unexpected is a 500 ``server.internal`` without a
traceback (the traceback goes to the server log, scrubbed of PII by :mod:`zhongtai.policy`).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhongtai.errors import InputError, PermissionDenied, ZhongtaiError
from zhongtai.i18n import LANGUAGES, resolve_lang

__all__ = [
    "PROBLEM_JSON",
    "CsrfError",
    "RateLimited",
    "install_error_handlers",
    "problem_response",
    "request_lang",
]

PROBLEM_JSON = "application/problem+json"
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


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through :func:`problem_response`."""

    async def zhongtai_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ZhongtaiError)
        headers = {"Retry-After": str(exc.params.get("seconds", 60))} if isinstance(exc, RateLimited) else None
        if exc.status == 401:
            headers = {"WWW-Authenticate": 'Bearer realm="zhongtai"'}
        return problem_response(request, exc, headers=headers)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return problem_response(
            request, InputError("server.invalid_request", field=where or "-", count=len(exc.errors()))
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        error = ZhongtaiError("server.http_error", status=exc.status_code)
        error.status = exc.status_code  # type: ignore[misc]  # an instance attribute shadows the ClassVar
        return problem_response(request, error, headers=getattr(exc, "headers", None))

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(request, ZhongtaiError("server.internal"))

    app.add_exception_handler(ZhongtaiError, zhongtai_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
