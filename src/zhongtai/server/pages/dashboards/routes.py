"""``/dashboards``: list, view, build, share and delete dashboards.

Every action calls :mod:`zhongtai.metrics.dashboards` (the functions behind ``/api/v1/dashboards``
and ``zhongtai dashboards``), so the ownership and sharing rules of
:mod:`zhongtai.appdb.dashboards` apply unchanged: reading needs ``metrics:read`` and sight of the
dashboard (owner, admin, shared with the user, or shared with everyone), editing needs
``metrics:export`` plus owner/admin/edit access, sharing and deleting need owner or admin. Each
edit names the version it changes, so two people editing at once get a clear "changed since you
opened it" instead of losing work. Edits are HTMX requests (CSRF token in the header).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response

from zhongtai.appdb.dashboards import DASHBOARD_WRITE, DashboardInfo, get_dashboard, list_dashboards
from zhongtai.errors import InputError
from zhongtai.metrics import load_dictionary
from zhongtai.metrics.dashboards import (
    copy_template,
    create_dashboard,
    delete_dashboard,
    evaluate_dashboard,
    list_templates,
    share_dashboard,
    update_dashboard,
)
from zhongtai.metrics.query import Grain
from zhongtai.policy import Principal
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.dashboards.layout import moved, new_tile, reflow, without
from zhongtai.server.pages.present import board_tiles, label_of
from zhongtai.server.pages.templating import render
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)
DashboardId = Annotated[int, Path(ge=1, le=2**62)]
TemplateName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
PERIODS = ("7d", "30d", "90d", "mtd", "ytd")
VISUALS = ("kpi", "line", "bar", "pie", "table")
WIDTHS = (3, 4, 6, 8, 12)


def _redirect(url: str) -> Response:
    """Send the browser to ``url`` after an HTMX action (a full page load)."""
    return Response(status_code=200, headers={"HX-Redirect": url})


def _lang(request: Request) -> str:
    return str(request.state.lang)


def _title(info: dict[str, str], lang: str) -> str:
    return info.get("zh" if lang == "zh_CN" else "en") or info.get("en") or info.get("zh") or ""


@router.get("/dashboards")
def dashboards(request: Request, principal: PagePrincipal, ws: RequestWorkspace) -> Response:
    lang = _lang(request)
    found = list_dashboards(ws.app, principal, limit=200)
    templates = [
        {"name": b.name, "title": _title(b.title, lang), "description": _title(b.description, lang),
         "tiles": len(b.tiles)}
        for b in list_templates()
    ]  # fmt: skip
    context = {
        "mine": [d for d in found if d.access == "owner"],
        "shared": [d for d in found if d.access != "owner"],
        "templates": templates,
        "can_create": principal.can(*DASHBOARD_WRITE),
    }
    return render(request, "dashboards/index.html", context, principal=principal)


@router.post("/dashboards")
def create(principal: PagePrincipal, ws: RequestWorkspace, name: Annotated[str, Form(max_length=200)] = "") -> Response:
    info = create_dashboard(ws, principal, name=name, layout=[], filters={"period": "30d", "filters": []})
    return _redirect(f"/dashboards/{info.id}/edit")


@router.post("/dashboards/from-template/{name}")
def from_template(principal: PagePrincipal, ws: RequestWorkspace, name: TemplateName) -> Response:
    info = copy_template(ws, principal, name)
    return _redirect(f"/dashboards/{info.id}")


@router.get("/dashboards/{dashboard_id}")
def view(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    period: Annotated[str | None, Query(pattern=r"^(\d{1,3}d|mtd|ytd)$")] = None,
    as_of: date | None = None,
    where: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    lang = _lang(request)
    filters = [w.strip() for w in where.replace(";", "\n").splitlines() if w.strip()]
    result = evaluate_dashboard(ws, principal, dashboard_id, period=period, as_of=as_of, where=filters or None)
    info = get_dashboard(ws.app, principal, dashboard_id)
    tiles = board_tiles(result, load_dictionary(ws), lang, ws.currency)
    context = {
        "info": info,
        "result": result,
        "tiles": tiles,
        "periods": PERIODS,
        "period": period or result.board.period,
        "where": "\n".join(filters),
        "as_of": as_of,
        "can_edit": info.access in ("owner", "admin", "edit") and principal.can(*DASHBOARD_WRITE),
        "can_share": info.access in ("owner", "admin"),
    }
    template = "dashboards/board.html" if request.headers.get("hx-request") == "true" else "dashboards/view.html"
    return render(request, template, context, principal=principal)


def _editor_context(ws: Workspace, principal: Principal, info: DashboardInfo, lang: str) -> dict[str, Any]:
    dictionary = load_dictionary(ws)
    metrics = sorted(dictionary.metrics.values(), key=lambda m: m.name)
    dims = sorted((d for d in dictionary.dimensions.values() if d.kind != "time"), key=lambda d: d.name)
    rows = []
    for i, tile in enumerate(info.layout):
        query = tile.get("query", {})
        rows.append(
            {
                "index": i,
                "title": _title(tile.get("title") or {}, lang)
                or " · ".join(label_of(dictionary, m, lang) for m in query.get("metrics", [])),
                "visual": tile.get("visual"),
                "dimensions": [label_of(dictionary, d, lang) for d in query.get("dimensions", [])],
                "grain": query.get("grain"),
                "width": (tile.get("position") or {}).get("w"),
            }
        )
    return {
        "info": info,
        "rows": rows,
        "metric_choices": [(m.name, label_of(dictionary, m.name, lang)) for m in metrics],
        "dimension_choices": [(d.name, label_of(dictionary, d.name, lang)) for d in dims],
        "grains": [g.value for g in Grain],
        "visuals": VISUALS,
        "widths": WIDTHS,
        "periods": PERIODS,
        "period": (info.filters or {}).get("period", "30d"),
    }


@router.get("/dashboards/{dashboard_id}/edit")
def edit(request: Request, principal: PagePrincipal, ws: RequestWorkspace, dashboard_id: DashboardId) -> Response:
    info = get_dashboard(ws.app, principal, dashboard_id)
    context = _editor_context(ws, principal, info, _lang(request))
    return render(request, "dashboards/edit.html", context, principal=principal)


def _saved(request: Request, ws: Workspace, principal: Principal, info: DashboardInfo) -> Response:
    """The editor fragment after a saved change (it carries the new version for the next edit)."""
    context = {**_editor_context(ws, principal, info, _lang(request)), "saved": True}
    return render(request, "dashboards/editor.html", context, principal=principal)


@router.post("/dashboards/{dashboard_id}/tiles")
def add_tile(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    version: Annotated[int, Form(ge=1)],
    visual: Annotated[str, Form(pattern=r"^(kpi|line|bar|pie|table)$")],
    metric: Annotated[list[str], Form(min_length=1, max_length=6)],
    dimension: Annotated[str, Form(max_length=64)] = "",
    grain: Annotated[str, Form(max_length=10)] = "",
    width: Annotated[int, Form(ge=1, le=12)] = 3,
    title_zh: Annotated[str, Form(max_length=200)] = "",
    title_en: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if grain and grain not in {g.value for g in Grain}:
        raise InputError("metrics.bad_grain", grain=grain, known=", ".join(g.value for g in Grain))
    info = get_dashboard(ws.app, principal, dashboard_id)
    tile = new_tile(visual, metric, [dimension] if dimension else [], grain or None, width, title_zh, title_en)
    layout = reflow([*info.layout, tile])
    saved = update_dashboard(ws, principal, dashboard_id, version=version, layout=layout)
    return _saved(request, ws, principal, saved)


@router.post("/dashboards/{dashboard_id}/tiles/{index}/remove")
def remove_tile(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    index: Annotated[int, Path(ge=0, le=1000)],
    version: Annotated[int, Form(ge=1)],
) -> Response:
    info = get_dashboard(ws.app, principal, dashboard_id)
    layout = reflow(without(info.layout, index))
    return _saved(request, ws, principal, update_dashboard(ws, principal, dashboard_id, version=version, layout=layout))


@router.post("/dashboards/{dashboard_id}/tiles/{index}/move")
def move_tile(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    index: Annotated[int, Path(ge=0, le=1000)],
    version: Annotated[int, Form(ge=1)],
    step: Annotated[int, Form(ge=-1, le=1)],
) -> Response:
    info = get_dashboard(ws.app, principal, dashboard_id)
    layout = reflow(moved(info.layout, index, step))
    return _saved(request, ws, principal, update_dashboard(ws, principal, dashboard_id, version=version, layout=layout))


@router.post("/dashboards/{dashboard_id}/settings")
def rename(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    version: Annotated[int, Form(ge=1)],
    name: Annotated[str, Form(max_length=200)],
    period: Annotated[str, Form(pattern=r"^(\d{1,3}d|mtd|ytd)$")] = "30d",
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    info = get_dashboard(ws.app, principal, dashboard_id)
    filters = {**(info.filters or {}), "period": period}
    saved = update_dashboard(
        ws, principal, dashboard_id, version=version, name=name, description=description or None, filters=filters
    )
    return _saved(request, ws, principal, saved)


@router.get("/dashboards/{dashboard_id}/share")
def share_page(request: Request, principal: PagePrincipal, ws: RequestWorkspace, dashboard_id: DashboardId) -> Response:
    info = get_dashboard(ws.app, principal, dashboard_id)
    lines = "\n".join(f"{s.username} {s.access}" for s in info.shares)
    return render(request, "dashboards/share.html", {"info": info, "lines": lines}, principal=principal)


@router.post("/dashboards/{dashboard_id}/share")
def share(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    dashboard_id: DashboardId,
    everyone: Annotated[bool, Form()] = False,
    users: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """``users``: one ``username view|edit`` per line (a bare user name means ``view``)."""
    pairs = []
    for number, line in enumerate(users.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2:
            raise InputError("dashboards.bad_share_line", line=number, text=line.strip()[:80])
        pairs.append((parts[0], parts[1] if len(parts) == 2 else "view"))
    share_dashboard(ws, principal, dashboard_id, everyone=everyone, users=pairs)
    return _redirect(f"/dashboards/{dashboard_id}")


@router.post("/dashboards/{dashboard_id}/delete")
def delete(principal: PagePrincipal, ws: RequestWorkspace, dashboard_id: DashboardId) -> Response:
    delete_dashboard(ws, principal, dashboard_id)
    return _redirect("/dashboards")
