"""``/alerts`` and ``/alerts/{id}``: metric alerts, and acknowledging or resolving one.

Reads are :func:`zhongtai.appdb.alerts.list_alerts` / :func:`get_alert` (``metrics:read``), the
transitions :func:`acknowledge_alert` / :func:`resolve_alert` (``metrics:write``, checked there) —
the same calls as ``zhongtai alerts …`` and ``/api/v1/alerts``. Transitions are HTMX posts that
carry the session's CSRF token and answer with the refreshed status block. The detail page charts
the alert's metric by day from four weeks before the episode to a week after it, through
:func:`zhongtai.metrics.query_metrics` with the alert's dimensions as filters.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response

from zhongtai.appdb.alerts import AlertInfo, acknowledge_alert, get_alert, list_alerts, resolve_alert
from zhongtai.errors import ZhongtaiError
from zhongtai.metrics import Filter, Grain, MetricQuery, load_dictionary, query_metrics
from zhongtai.policy import Action, Capability, Principal
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.alerts.severity import severity_of
from zhongtai.server.pages.i18n import gettext
from zhongtai.server.pages.present import chart_spec, label_of
from zhongtai.server.pages.templating import render
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)
AlertId = Annotated[int, Path(ge=1, le=2**62)]
PAGE_SIZE = 25
SEVERITY_SCAN = 2000
"""Alerts read when filtering by severity (severity is derived, not a stored column)."""
DAYS_BEFORE = 28
DAYS_AFTER = 7


def _rows(alerts: list[AlertInfo]) -> list[dict[str, Any]]:
    return [{"alert": a, "severity": severity_of(a.peak_z, a.params)} for a in alerts]


@router.get("/alerts")
def alerts_page(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    status: Literal["open", "acknowledged", "resolved"] | None = None,
    severity: Literal["critical", "warning"] | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    wanted = offset + PAGE_SIZE + 1
    found = _rows(list_alerts(ws.app, principal, status=status, limit=SEVERITY_SCAN if severity else wanted))
    if severity:
        found = [r for r in found if r["severity"] == severity]
    window = found[offset : offset + PAGE_SIZE]
    query = {k: v for k, v in {"status": status, "severity": severity}.items() if v}
    context = {
        "rows": window,
        "form": {"status": status or "", "severity": severity or ""},
        "offset": offset,
        "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
        "next_offset": offset + PAGE_SIZE if len(found) > offset + PAGE_SIZE else None,
        "query": query,
    }
    template = "alerts/list.html" if request.headers.get("hx-request") == "true" else "alerts/index.html"
    return render(request, template, context, principal=principal)


def _chart(ws: Workspace, principal: Principal, alert: AlertInfo, lang: str) -> dict[str, Any] | None:
    """The metric by day around the episode with the expected value at the peak, or ``None``.

    ``None`` for alerts without a dictionary metric (data arrival) or whose metric cannot be
    asked this way any more (e.g. a dimension renamed since): the page then shows the numbers only.
    """
    dictionary = load_dictionary(ws)
    if alert.kind != "metric" or alert.metric not in dictionary.metrics:
        return None
    filters = tuple(Filter(str(k), "eq", (str(v),)) for k, v in alert.dimensions.items())
    query = MetricQuery(
        metrics=(alert.metric,),
        grain=Grain.DAY,
        start=alert.period_start - timedelta(days=DAYS_BEFORE),
        end=alert.period_end + timedelta(days=DAYS_AFTER),
        filters=filters,
    )
    try:
        result = query_metrics(ws, query, principal=principal, dictionary=dictionary)
    except ZhongtaiError:
        return None
    spec = chart_spec(result, dictionary, lang)
    peak = str(alert.params.get("peak_day") or alert.period_start.isoformat())
    expected = [alert.expected_value if x == peak else None for x in spec["x"]]
    spec["series"].append({"name": gettext(lang, "Expected at the peak"), "data": expected})
    return spec


def _detail_context(ws: Workspace, principal: Principal, alert: AlertInfo, lang: str) -> dict[str, Any]:
    dictionary = load_dictionary(ws)
    return {
        "alert": alert,
        "severity": severity_of(alert.peak_z, alert.params),
        "metric_label": label_of(dictionary, alert.metric, lang),
        "can_write": principal.can(Capability.METRICS, Action.WRITE),
    }


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, principal: PagePrincipal, ws: RequestWorkspace, alert_id: AlertId) -> Response:
    lang = str(request.state.lang)
    alert = get_alert(ws.app, principal, alert_id)
    context = _detail_context(ws, principal, alert, lang)
    context["spec"] = _chart(ws, principal, alert, lang)
    return render(request, "alerts/detail.html", context, principal=principal)


def _transitioned(request: Request, ws: Workspace, principal: Principal, alert: AlertInfo) -> Response:
    context = _detail_context(ws, principal, alert, str(request.state.lang))
    context["changed"] = True
    return render(request, "alerts/state.html", context, principal=principal)


Note = Annotated[str | None, Form(max_length=2000)]


@router.post("/alerts/{alert_id}/ack")
def ack(
    request: Request, principal: PagePrincipal, ws: RequestWorkspace, alert_id: AlertId, note: Note = None
) -> Response:
    """Acknowledge an open alert (``metrics:write``, checked by the library)."""
    alert = acknowledge_alert(ws.app, principal, alert_id, note=note or None)
    return _transitioned(request, ws, principal, alert)


@router.post("/alerts/{alert_id}/resolve")
def resolve(
    request: Request, principal: PagePrincipal, ws: RequestWorkspace, alert_id: AlertId, note: Note = None
) -> Response:
    """Resolve an open or acknowledged alert (``metrics:write``, checked by the library)."""
    alert = resolve_alert(ws.app, principal, alert_id, note=note or None)
    return _transitioned(request, ws, principal, alert)
