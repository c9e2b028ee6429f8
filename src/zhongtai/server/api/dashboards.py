"""``/api/v1/overview``, ``/api/v1/dashboards`` and ``/api/v1/boards/templates``: the overview KPIs,
dashboards users build, save and share, and the built-in boards.

The same functions as ``zhongtai dashboards …`` (:mod:`zhongtai.metrics.dashboards`); permission
rules live in :mod:`zhongtai.appdb.dashboards` (reading needs ``metrics:read``, creating and
editing ``metrics:export``, sharing and deleting ownership or admin).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from zhongtai.appdb.dashboards import get_dashboard, list_dashboards
from zhongtai.metrics.boards import GRID_COLUMNS, MAX_TILE_HEIGHT, MAX_TILES, parse_filters
from zhongtai.metrics.dashboards import (
    copy_template,
    create_dashboard,
    delete_dashboard,
    evaluate_dashboard,
    list_templates,
    load_template,
    overview,
    period_range,
    share_dashboard,
    update_dashboard,
)
from zhongtai.metrics.query import Grain
from zhongtai.policy import Action, Capability
from zhongtai.server.auth import CurrentPrincipal
from zhongtai.server.deps import PageParams, RequestWorkspace, cached_json_response, json_response, page_of

router = APIRouter(tags=["dashboards"])
DashboardId = Annotated[int, Path(ge=1, le=2**62)]
TemplateName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
Period = Annotated[str, Query(pattern=r"^(\d{1,3}d|mtd|ytd)$", description="7d, 30d (1–366 days), mtd, ytd / 统计周期")]
AsOf = Annotated[date | None, Query(description="Last day included (default: newest order day) / 截止日(含)")]
Where = Annotated[list[str] | None, Query(max_length=10, description="channel=tmall; replaces default filters / 筛选")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=100)]
FilterValue = str | int | float | bool
TitleText = Annotated[str, Field(max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FilterIn(_Strict):
    """``dimension op values``: ``{"dimension": "channel", "op": "in", "values": ["tmall", "jd"]}``."""

    dimension: Text
    op: Literal["eq", "ne", "in", "not_in", "gt", "ge", "lt", "le"] = "eq"
    values: list[FilterValue] = Field(min_length=1, max_length=100)


class TileQueryIn(_Strict):
    """The tile's metric query (the period comes from the dashboard or the request)."""

    metrics: list[Text] = Field(min_length=1, max_length=20)
    dimensions: list[Text] = Field(default_factory=list, max_length=5)
    grain: Grain | None = None
    filters: list[FilterIn | Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=10)
    compare: Literal["previous_period", "previous_year"] | None = None
    order_by: list[Text] = Field(default_factory=list, max_length=5)
    limit: int | None = Field(default=None, ge=1, le=10_000)


class PositionIn(_Strict):
    """Top-left grid cell and size on the 12-column grid (``x + w`` ≤ 12)."""

    x: int = Field(ge=0, le=GRID_COLUMNS - 1)
    y: int = Field(ge=0, le=10_000)
    w: int = Field(ge=1, le=GRID_COLUMNS)
    h: int = Field(ge=1, le=MAX_TILE_HEIGHT)


class TileIn(_Strict):
    """A tile: title (free text or ``{zh, en}``; empty = the metric's label), visual, query, position."""

    title: TitleText | dict[Literal["zh", "en"], TitleText] | None = None
    visual: Literal["kpi", "line", "bar", "table", "pie"]
    query: TileQueryIn
    position: PositionIn
    sparkline: Grain | None = None


class DefaultsIn(_Strict):
    """The dashboard's default period and filters."""

    period: Annotated[str, Field(pattern=r"^(\d{1,3}d|mtd|ytd)$")] = "30d"
    filters: list[FilterIn | Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=10)


class DashboardIn(_Strict):
    name: Name
    description: Annotated[str, Field(max_length=2000)] | None = None
    layout: list[TileIn] = Field(default_factory=list, max_length=MAX_TILES)
    filters: DefaultsIn = Field(default_factory=DefaultsIn)


class DashboardUpdate(_Strict):
    """A change to version ``version``; omitted fields stay as they are."""

    version: int = Field(ge=1, le=2**31)
    name: Name | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    layout: list[TileIn] | None = Field(default=None, max_length=MAX_TILES)
    filters: DefaultsIn | None = None


class ShareUser(_Strict):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    access: Literal["view", "edit"] = "view"


class ShareIn(_Strict):
    """Who else sees the dashboard: ``everyone`` (view) and single users; replaces the old list."""

    everyone: bool = False
    users: list[ShareUser] = Field(default_factory=list, max_length=200)


class CopyIn(_Strict):
    name: Name | None = None


def _layout(tiles: list[TileIn]) -> list[dict[str, Any]]:
    return [t.model_dump(exclude_none=True) for t in tiles]


@router.get("/overview", summary="Overview KPIs / 经营概览")
def get_overview(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    period: Period = "7d",
    as_of: AsOf = None,
    where: Where = None,
) -> Response:
    filters = parse_filters(list(where), "where") if where else None
    return cached_json_response(overview(ws, period=period, as_of=as_of, filters=filters, principal=principal), ws)


@router.get("/boards/templates", summary="Built-in boards / 内置看板")
def templates(principal: CurrentPrincipal, page: PageParams) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    return json_response(page_of([b.to_dict() for b in list_templates()], page))


@router.get("/boards/templates/{name}/data", summary="A built-in board evaluated / 内置看板数据")
def template_data(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    name: TemplateName,
    period: Annotated[str | None, Query(pattern=r"^(\d{1,3}d|mtd|ytd)$")] = None,
    as_of: AsOf = None,
    where: Where = None,
) -> Response:
    from zhongtai.metrics import evaluate_board

    principal.require(Capability.METRICS, Action.READ)
    board = load_template(name)
    since, until = period_range(ws, period or board.period, as_of=as_of)
    filters = parse_filters(list(where), "where") if where else None
    return json_response(evaluate_board(ws, board, since=since, until=until, filters=filters, principal=principal))


@router.get("/dashboards", summary="Dashboards I may see / 看板列表")
def dashboards(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    page: PageParams,
    owned: Annotated[bool, Query(description="Only mine / 只看我的")] = False,
) -> Response:
    found = list_dashboards(ws.app, principal, limit=page.limit + 1, offset=page.offset, owned=owned)
    return json_response(page_of([d.summary() for d in found], page, windowed=True))


@router.post("/dashboards", status_code=201, summary="Save a new dashboard / 新建看板")
def create(principal: CurrentPrincipal, ws: RequestWorkspace, body: DashboardIn) -> Response:
    info = create_dashboard(
        ws, principal, name=body.name, description=body.description, layout=_layout(body.layout),
        filters=body.filters.model_dump(exclude_none=True),
    )  # fmt: skip
    return json_response(info, status=201)


@router.post("/dashboards/from-template/{name}", status_code=201, summary="Copy a built-in board / 复制内置看板")
def from_template(
    principal: CurrentPrincipal, ws: RequestWorkspace, name: TemplateName, body: Annotated[CopyIn | None, Body()] = None
) -> Response:
    return json_response(copy_template(ws, principal, name, name=body.name if body else None), status=201)


@router.get("/dashboards/{dashboard_id}", summary="One dashboard / 看板详情")
def read(principal: CurrentPrincipal, ws: RequestWorkspace, dashboard_id: DashboardId) -> Response:
    return json_response(get_dashboard(ws.app, principal, dashboard_id))


@router.put("/dashboards/{dashboard_id}", summary="Edit a dashboard (names its version) / 编辑看板")
def update(
    principal: CurrentPrincipal, ws: RequestWorkspace, dashboard_id: DashboardId, body: DashboardUpdate
) -> Response:
    info = update_dashboard(
        ws, principal, dashboard_id, version=body.version, name=body.name, description=body.description,
        layout=_layout(body.layout) if body.layout is not None else None,
        filters=body.filters.model_dump(exclude_none=True) if body.filters is not None else None,
    )  # fmt: skip
    return json_response(info)


@router.delete("/dashboards/{dashboard_id}", summary="Delete a dashboard / 删除看板")
def delete(principal: CurrentPrincipal, ws: RequestWorkspace, dashboard_id: DashboardId) -> Response:
    info = delete_dashboard(ws, principal, dashboard_id)
    return json_response({"deleted": info.id, "name": info.name})


@router.post("/dashboards/{dashboard_id}/share", summary="Share a dashboard / 分享看板")
def share(principal: CurrentPrincipal, ws: RequestWorkspace, dashboard_id: DashboardId, body: ShareIn) -> Response:
    users = [(u.username, u.access) for u in body.users]
    return json_response(share_dashboard(ws, principal, dashboard_id, everyone=body.everyone, users=users))


@router.get("/dashboards/{dashboard_id}/data", summary="A dashboard evaluated / 看板数据")
def data(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    period: Annotated[str | None, Query(pattern=r"^(\d{1,3}d|mtd|ytd)$")] = None,
    as_of: AsOf = None,
    since: Annotated[date | None, Query(description="Start date, inclusive / 开始日期(含)")] = None,
    until: Annotated[date | None, Query(description="End date, exclusive / 结束日期(不含)")] = None,
    where: Where = None,
) -> Response:
    result = evaluate_dashboard(
        ws, principal, dashboard_id, period=period, as_of=as_of, since=since, until=until, where=where
    )
    return json_response(result)
