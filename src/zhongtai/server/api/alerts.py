"""``/api/v1/alerts``: metric alerts, the same calls as ``zhongtai alerts list|show|ack|resolve``
(reading needs ``metrics:read``; acknowledging and resolving are checked by :mod:`zhongtai.appdb.alerts`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from zhongtai.appdb.alerts import acknowledge_alert, get_alert, list_alerts, resolve_alert
from zhongtai.server.auth import CurrentPrincipal
from zhongtai.server.deps import PageParams, RequestWorkspace, json_response, page_of

router = APIRouter(tags=["alerts"])
AlertId = Annotated[int, Path(ge=1, le=2**62)]


class Note(BaseModel):
    """An optional note kept with the alert's history."""

    note: str | None = Field(default=None, max_length=2000)


@router.get("/alerts", summary="Alerts, newest period first / 告警列表")
def alerts(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    page: PageParams,
    status: Literal["open", "acknowledged", "resolved"] | None = None,
    metric: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    found = list_alerts(ws.app, principal, status=status, metric=metric, limit=page.offset + page.limit + 1)
    items = found[page.offset :]
    return json_response(page_of(items, page, windowed=True))


@router.get("/alerts/{alert_id}", summary="One alert with its history / 告警详情")
def alert(principal: CurrentPrincipal, ws: RequestWorkspace, alert_id: AlertId) -> Response:
    return json_response(get_alert(ws.app, principal, alert_id))


@router.post("/alerts/{alert_id}/ack", summary="Acknowledge / 确认告警")
def ack(
    principal: CurrentPrincipal, ws: RequestWorkspace, alert_id: AlertId, body: Annotated[Note | None, Body()] = None
) -> Response:
    return json_response(acknowledge_alert(ws.app, principal, alert_id, note=body.note if body else None))


@router.post("/alerts/{alert_id}/resolve", summary="Resolve / 关闭告警")
def resolve(
    principal: CurrentPrincipal, ws: RequestWorkspace, alert_id: AlertId, body: Annotated[Note | None, Body()] = None
) -> Response:
    return json_response(resolve_alert(ws.app, principal, alert_id, note=body.note if body else None))
