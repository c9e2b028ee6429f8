"""Errors raised by zhongtai, one tree for every surface.

The hierarchy::

    * ZhongtaiError                 every error zhongtai raises on purpose
      x InputError                  the input is wrong: a file, a row, a column, an argument (422)
        - IngestError               a file cannot be loaded at all (nothing was written)
        - ConfigError               a setting, a mapping file or a workspace is invalid
      x NotFoundError               a named thing does not exist (404)
      x ConflictError               the request clashes with existing state (409)
        - WorkspaceLockedError      another process holds the warehouse for writing
      x PermissionDenied            the caller may not do this (403)
      x EngineError                 the database engine failed in a way the caller cannot fix (500)

Each error carries a stable ``code`` (``ingest.missing_column``) and ``params``; the message a
user reads is looked up in the zh-CN / en catalogue by that code (:mod:`zhongtai.i18n`), so the
same error reads in either language. ``params`` never hold personal data: they name files,
rows, columns and rules, not cell values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "ConfigError",
    "ConflictError",
    "EngineError",
    "IngestError",
    "InputError",
    "NotFoundError",
    "PermissionDenied",
    "WorkspaceLockedError",
    "ZhongtaiError",
]


class ZhongtaiError(Exception):
    """Base of every deliberate zhongtai error.

    ``code`` selects the message in the catalogue; ``params`` fill its placeholders.
    ``status`` is the HTTP status the REST API answers with; ``exit_code`` is the CLI's.
    """

    status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = dict(params)
        super().__init__(code)

    def message(self, lang: str | None = None) -> str:
        """The user-facing message in ``lang`` (``en`` or ``zh_CN``)."""
        from zhongtai.i18n import translate

        return translate(self.code, lang, **self.params)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """A JSON-ready description (used by ``--json`` and problem+json)."""
        return {
            "code": self.code,
            "status": self.status,
            "message": self.message(lang),
            "params": _jsonable(self.params),
        }

    def __str__(self) -> str:
        return self.message("en")


class InputError(ZhongtaiError):
    """The input is wrong; ``file``, ``row`` and ``column`` say where when known."""

    status = 422
    exit_code = 3


class IngestError(InputError):
    """A file cannot be loaded at all; nothing was written to the warehouse."""


class ConfigError(InputError):
    """A setting, mapping file or workspace is invalid."""


class NotFoundError(ZhongtaiError):
    """A named object (workspace, load, job run, data set) does not exist."""

    status = 404
    exit_code = 4


class ConflictError(ZhongtaiError):
    """The request clashes with existing state."""

    status = 409
    exit_code = 5


class WorkspaceLockedError(ConflictError):
    """Another process holds the warehouse file for writing (DuckDB allows one writer)."""


class PermissionDenied(ZhongtaiError):
    """The caller's role may not perform this action."""

    status = 403
    exit_code = 6


class EngineError(ZhongtaiError):
    """The engine failed in a way the caller cannot fix by changing the input."""

    status = 500
    exit_code = 1


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str | int | float | bool) or value is None:
            out[key] = value
        elif isinstance(value, list | tuple):
            out[key] = [str(v) for v in value]
        else:
            out[key] = str(value)
    return out
