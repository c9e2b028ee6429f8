"""Dependencies the routes share: the request's workspace view, pagination and JSON answers."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from zhongtai.server.auth import server_state
from zhongtai.workspace import Workspace

__all__ = [
    "MAX_LIMIT",
    "Page",
    "PageParams",
    "RequestWorkspace",
    "cached_json_response",
    "json_response",
    "page_of",
    "request_workspace",
]

MAX_LIMIT = 500


def request_workspace(request: Request) -> Iterator[Workspace]:
    """The workspace view of this request (its own DuckDB cursor; see :mod:`zhongtai.server.state`)."""
    with server_state(request).request_workspace() as ws:
        yield ws


RequestWorkspace = Annotated[Workspace, Depends(request_workspace)]


class Page:
    """``limit`` and ``offset`` of a list route."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page / 每页条数")] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip / 跳过条数")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageParams = Annotated[Page, Depends()]


def page_of(items: Sequence[Any], page: Page, *, windowed: bool = False) -> dict[str, Any]:
    """One page of ``items``.

    ``windowed=False``: ``items`` is the whole list; ``total`` is its length. ``windowed=True``:
    ``items`` already starts at the offset and holds up to ``limit + 1`` items (the extra one
    only tells that more follow); ``total`` is then unknown (``null``).
    """
    if windowed:
        chosen = list(items[: page.limit])
        more = len(items) > page.limit
        total: int | None = None
    else:
        chosen = list(items[page.offset : page.offset + page.limit])
        total = len(items)
        more = page.offset + len(chosen) < total
    return {
        "items": chosen,
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.offset + len(chosen) if more else None,
    }


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return value.name
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as JSON (dates ISO 8601, decimals as strings, non-finite floats as null)."""
    text = json.dumps(_clean(data), ensure_ascii=False, default=_default, allow_nan=False)
    return Response(text, status_code=status, media_type="application/json")


def cached_json_response(data: Any, workspace: Workspace) -> Response:
    """``data`` as JSON, serialised once per object while the workspace's result cache holds it.

    An evaluated board served from the result cache is the same object on every request; turning it
    into ~100 kB of JSON again each time was a quarter of a cached overview's server time.
    """
    cache = workspace.metric_cache
    if cache is None:
        return json_response(data)
    key = ("json", id(data))
    found = cache.get(key)
    if found is not None and found[0] is data:
        return Response(found[1], media_type="application/json")
    response = json_response(data)
    cache.put(key, (data, response.body))
    return response


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
