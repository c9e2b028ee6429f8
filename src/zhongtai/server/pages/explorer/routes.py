"""``/explore``: ask the metric layer a question and see the chart, the table and the SQL.

The form submits with HTMX (``hx-get``, the URL is pushed so an exploration is a link one can
share); the answer comes from :func:`zhongtai.metrics.query_metrics`, the same function as
``zhongtai metrics query`` and ``GET /api/v1/metrics/query``, answered from rollups when they cover
the question (the page says which). Exports give the same rows as CSV (formula-safe) or XLSX.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhongtai.errors import InputError
from zhongtai.metrics import Comparison, MetricQuery, MetricResult, load_dictionary, query_metrics
from zhongtai.metrics.query import Grain, parse_where
from zhongtai.policy import Action, Capability, Principal
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.present import chart_spec, label_of, result_table
from zhongtai.server.pages.templating import render
from zhongtai.warehouse.export import neutralise_cell
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)

Metrics = Annotated[list[str] | None, Query(max_length=10)]
DateText = Annotated[str, Query(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
GrainText = Annotated[str, Query(pattern=r"^(day|week|month|quarter|year)?$")]
CompareText = Annotated[str, Query(pattern=r"^(previous_period|previous_year)?$")]
Dims = Annotated[list[str] | None, Query(max_length=3)]
Wheres = Annotated[list[str] | None, Query(max_length=10)]


def _clean(values: list[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for item in (values or []) for v in item.split(",") if v.strip()))


def _day(text: str, field: str) -> date | None:
    """A form's date field: empty means "not given"; anything else must be a real calendar date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("server.invalid_request", field=field, count=1) from None


def _query(
    metric: list[str] | None,
    by: list[str] | None,
    grain: str,
    since: str,
    until: str,
    compare: str,
    where: list[str] | None,
) -> MetricQuery:
    return MetricQuery(
        metrics=_clean(metric),
        dimensions=_clean(by),
        grain=Grain(grain) if grain else None,
        start=_day(since, "query.since"),
        end=_day(until, "query.until"),
        filters=tuple(parse_where(w) for w in _clean(where)),
        compare=Comparison(compare) if compare else None,
        limit=5000,
    )


def _answer(ws: Workspace, principal: Principal, query: MetricQuery, rollups: bool) -> MetricResult:
    principal.require(Capability.METRICS, Action.READ)
    return query_metrics(ws, query, principal=principal, use_rollups=rollups, dictionary=load_dictionary(ws))


def _choices(ws: Workspace, lang: str) -> dict[str, Any]:
    dictionary = load_dictionary(ws)
    metrics = sorted(dictionary.metrics.values(), key=lambda m: m.name)
    dims = sorted(dictionary.dimensions.values(), key=lambda d: d.name)
    return {
        "metric_choices": [(m.name, label_of(dictionary, m.name, lang)) for m in metrics],
        "dimension_choices": [(d.name, label_of(dictionary, d.name, lang)) for d in dims if d.kind != "time"],
        "grains": [g.value for g in Grain],
    }


@router.get("/explore")
def explore(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    metric: Metrics = None,
    by: Dims = None,
    grain: GrainText = "",
    since: DateText = "",
    until: DateText = "",
    compare: CompareText = "",
    where: Wheres = None,
    rollups: bool = True,
) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    lang = str(request.state.lang)
    form = {
        "metric": list(_clean(metric)) or ["gmv"],
        "by": list(_clean(by)),
        "grain": grain or ("month" if not metric else ""),
        "since": since,
        "until": until,
        "compare": compare,
        "where": "\n".join(_clean(where)),
        "rollups": rollups,
    }
    context: dict[str, Any] = {"form": form, **_choices(ws, lang)}
    if metric:
        query = _query(metric, by, grain, since, until, compare, where)
        context.update(_result_context(ws, principal, query, rollups, lang, request))
    template = "explorer/result.html" if request.headers.get("hx-request") == "true" else "explorer/index.html"
    return render(request, template, context, principal=principal)


def _result_context(
    ws: Workspace, principal: Principal, query: MetricQuery, rollups: bool, lang: str, request: Request
) -> dict[str, Any]:
    result = _answer(ws, principal, query, rollups)
    dictionary = load_dictionary(ws)
    columns, rows = result_table(result, dictionary, lang, ws.currency)
    return {
        "result": result,
        "columns": columns,
        "rows": rows,
        "spec": chart_spec(result, dictionary, lang),
        "export_query": request.url.query,
    }


def _table_rows(result: MetricResult) -> tuple[list[str], list[list[Any]]]:
    names = result.table.column_names
    return names, [[record[n] for n in names] for record in result.table.to_pylist()]


@router.get("/explore/export.{fmt}")
def export(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    fmt: Literal["csv", "xlsx"],
    metric: Annotated[list[str], Query(min_length=1, max_length=10)],
    by: Dims = None,
    grain: GrainText = "",
    since: DateText = "",
    until: DateText = "",
    compare: CompareText = "",
    where: Wheres = None,
    rollups: bool = True,
) -> Response:
    """The exploration's rows as a file (column names are the dictionary's stable names)."""
    query = _query(metric, by, grain, since, until, compare, where)
    result = _answer(ws, principal, query, rollups)
    names, rows = _table_rows(result)
    stem = "zhongtai-" + "-".join(query.metrics)[:60]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in rows:
            writer.writerow([neutralise_cell(v) if isinstance(v, str) else v for v in row])
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly
        media = "text/csv; charset=utf-8"
    else:
        data = _xlsx(names, rows)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}
    return Response(data, media_type=media, headers=headers)


def _xlsx(names: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("metrics")
    sheet.append(names)
    for row in rows:
        sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
