"""``/api/v1/metrics``: the dictionary, metric queries and questions in plain language.

The same calls as ``zhongtai metrics list|query`` and ``zhongtai ask`` (``metrics:read``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhongtai.metrics import Comparison, MetricQuery, load_dictionary, query_metrics
from zhongtai.metrics.query import Grain, parse_where
from zhongtai.policy import Action, Capability
from zhongtai.server.auth import CurrentPrincipal
from zhongtai.server.deps import PageParams, RequestWorkspace, json_response, page_of

router = APIRouter(tags=["metrics"])


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(n.strip() for item in (values or []) for n in item.split(",") if n.strip())


@router.get("/metrics", summary="Metrics of the dictionary / 指标字典")
def list_metrics(principal: CurrentPrincipal, ws: RequestWorkspace, page: PageParams) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    d = load_dictionary(ws)
    items = [m.summary() for m in sorted(d.metrics.values(), key=lambda m: m.name)]
    return json_response(page_of(items, page))


@router.get("/dimensions", summary="Dimensions of the dictionary / 维度")
def list_dimensions(principal: CurrentPrincipal, ws: RequestWorkspace, page: PageParams) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    d = load_dictionary(ws)
    items = [
        {"name": x.name, "label": x.label, "synonyms": x.synonyms, "models": list(x.sources)}
        for x in sorted(d.dimensions.values(), key=lambda x: x.name)
    ]
    return json_response(page_of(items, page))


@router.get("/metrics/query", summary="Query metrics / 查询指标")
def metric_query(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    metric: Annotated[list[str], Query(min_length=1, max_length=20, description="Metric names / 指标名")],
    by: Annotated[list[str] | None, Query(max_length=5, description="Dimensions / 维度")] = None,
    grain: Grain | None = None,
    since: Annotated[date | None, Query(description="Start date, inclusive / 开始日期(含)")] = None,
    until: Annotated[date | None, Query(description="End date, exclusive / 结束日期(不含)")] = None,
    compare: Literal["previous_period", "previous_year"] | None = None,
    where: Annotated[list[str] | None, Query(max_length=10, description="channel=tmall / 筛选")] = None,
    order: Annotated[list[str] | None, Query(max_length=5)] = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    rollups: bool = True,
) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    query = MetricQuery(
        metrics=_split(metric),
        dimensions=_split(by),
        grain=grain,
        start=since,
        end=until,
        filters=tuple(parse_where(w) for w in (where or [])),
        compare=Comparison(compare) if compare else None,
        order_by=tuple(order or ()),
        limit=limit,
    )
    result = query_metrics(ws, query, principal=principal, use_rollups=rollups, dictionary=load_dictionary(ws))
    return json_response(result.to_dict())


@router.get("/metrics/ask", summary="Ask in Chinese or English / 自然语言问数")
def metric_ask(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    q: Annotated[str, Query(min_length=1, max_length=500, description="The question / 问题")],
    today: date | None = None,
) -> Response:
    from zhongtai.metrics.ask import ask, dimension_values

    principal.require(Capability.METRICS, Action.READ)
    dictionary = load_dictionary(ws)
    values = dimension_values(ws, dictionary, principal=principal)
    answer = ask(dictionary, q, today=today, values=values, timezone=ws.timezone)
    result = query_metrics(ws, answer.query, principal=principal) if answer.understood and answer.query else None
    return json_response({"answer": answer, "result": result})
