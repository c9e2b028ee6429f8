"""``/api/v1/quality``: the data-quality board (``metrics:read``) and runs (``metrics:write``),
the same calls as ``zhongtai quality board|run``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhongtai.metrics.quality import quality_board, run_quality
from zhongtai.policy import Action, Capability
from zhongtai.server.auth import CurrentPrincipal, server_state
from zhongtai.server.deps import RequestWorkspace, json_response

router = APIRouter(tags=["quality"])


@router.get("/quality/board", summary="Quality board / 数据质量看板")
def board(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    runs: Annotated[int, Query(ge=1, le=200, description="Runs in the trend / 趋势包含的运行次数")] = 10,
) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    return json_response(quality_board(ws, runs=runs).to_dict())


@router.post("/quality/runs", status_code=201, summary="Run the checks now / 立即运行检查")
def run(
    request: Request,
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    table: Annotated[list[str] | None, Query(max_length=50, description="Only these tables / 仅检查这些表")] = None,
) -> Response:
    principal.require(Capability.METRICS, Action.WRITE)
    with server_state(request).writing():
        result = run_quality(ws, tables=table or None)
    return json_response(result.to_dict(), status=201)
