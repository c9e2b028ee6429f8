"""``/quality``: the data-quality board, filterable by status and table, and "run the checks now".

The board is :func:`zhongtai.metrics.quality.quality_board` and a run is
:func:`zhongtai.metrics.quality.run_quality` — the same calls as ``zhongtai quality board|run`` and
``/api/v1/quality`` — with the API's permissions (reading ``metrics:read``, running
``metrics:write``) and, for a run, the server's write lock (one warehouse writer). A table whose
newest load quarantined rows links to that load's quarantine page (``quarantine:read`` only).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhongtai.metrics.quality import BoardRow, QualityBoard, quality_board, run_quality
from zhongtai.policy import Action, Capability, Principal
from zhongtai.server.auth import server_state
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.i18n import gettext
from zhongtai.server.pages.templating import render
from zhongtai.warehouse.ingest import list_loads
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)

TREND_RUNS = 20
"""Quality runs shown in the trend chart (the board keeps each table's newest run among them)."""
LOADS_SCANNED = 200
"""Recent loads searched for a table's newest quarantine (older quarantines: the ingest page)."""

StatusFilter = Literal["passed", "failed"]


@dataclass(frozen=True)
class TableLine:
    """One board row as the page shows it: ``status`` is ``failed`` when any check failed."""

    row: BoardRow
    status: str
    quarantine_load: int | None


def _quarantine_loads(ws: Workspace, principal: Principal) -> dict[str, int]:
    """Table name → the newest load that quarantined rows while loading it (empty without ``quarantine:read``)."""
    if not principal.can(Capability.QUARANTINE, Action.READ):
        return {}
    found: dict[str, int] = {}
    for record in list_loads(ws.warehouse.con, limit=LOADS_SCANNED):  # newest first
        if record.rows_quarantined and record.quarantine_file:
            for table in record.table_counts:
                found.setdefault(table, record.load_id)
    return found


def _lines(board: QualityBoard, links: dict[str, int], status: str | None, table: str | None) -> list[TableLine]:
    lines = [TableLine(r, "failed" if r.failing else "passed", links.get(r.table)) for r in board.rows]
    return [line for line in lines if (not status or line.status == status) and (not table or line.row.table == table)]


def _trend(board: QualityBoard, lang: str) -> dict[str, Any]:
    """Score per run (oldest first) and the target, as a console.js line spec (fractions → %)."""
    x = [f"#{run_id}" for run_id, _finished, _score in board.runs]
    return {
        "kind": "line",
        "x": x,
        "series": [
            {"name": gettext(lang, "Quality score"), "data": [s for _r, _f, s in board.runs]},
            {"name": gettext(lang, "Quality target"), "data": [board.target for _ in board.runs]},
        ],
        "format": "ratio",
    }


def _context(ws: Workspace, principal: Principal, lang: str, status: str | None, table: str | None) -> dict[str, Any]:
    principal.require(Capability.METRICS, Action.READ)
    board = quality_board(ws, runs=TREND_RUNS)
    lines = _lines(board, _quarantine_loads(ws, principal), status, table)
    return {
        "board": board,
        "lines": lines,
        "failing": [(line, check) for line in lines for check in line.row.failing],
        "tables": [r.table for r in board.rows],
        "spec": _trend(board, lang),
        # A fresh id per answer: htmx's settle step copies the attributes of an old element with the
        # same id (the drawn chart's inline height) onto the new one, which the CSP's style-src refuses.
        "chart_id": "quality-trend-" + secrets.token_hex(4),
        "form": {"status": status or "", "table": table or ""},
        "can_run": principal.can(Capability.METRICS, Action.WRITE),
    }


@router.get("/quality")
def quality_page(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    status: StatusFilter | None = None,
    table: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    context = _context(ws, principal, str(request.state.lang), status, table or None)
    template = "quality/board.html" if request.headers.get("hx-request") == "true" else "quality/index.html"
    return render(request, template, context, principal=principal)


@router.post("/quality/run")
def run_now(request: Request, principal: PagePrincipal, ws: RequestWorkspace) -> Response:
    """Run every check now (``metrics:write``) and answer with the refreshed board."""
    principal.require(Capability.METRICS, Action.WRITE)
    with server_state(request).writing():
        result = run_quality(ws)
    context = _context(ws, principal, str(request.state.lang), None, None)
    context["ran"] = result
    return render(request, "quality/board.html", context, principal=principal)
