"""``/``: the overview board (:func:`zhongtai.metrics.dashboards.overview`, the same function as
``GET /api/v1/overview``) for a period ending with the newest data day, optionally filtered."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhongtai.metrics import load_dictionary
from zhongtai.metrics.boards import parse_filters
from zhongtai.metrics.dashboards import overview
from zhongtai.policy import Action, Capability
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.present import board_tiles, label_of
from zhongtai.server.pages.templating import render

router = APIRouter(include_in_schema=False)
PERIODS = ("7d", "30d", "90d", "mtd", "ytd")
Period = Annotated[str, Query(pattern=r"^(\d{1,3}d|mtd|ytd)$")]


@router.get("/")
def overview_page(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    period: Period = "7d",
    as_of: date | None = None,
    channel: Annotated[str | None, Query(max_length=40, pattern=r"^[\w-]*$")] = None,
) -> Response:
    principal.require(Capability.METRICS, Action.READ)
    lang = str(request.state.lang)
    filters = parse_filters([f"channel={channel}"], "channel") if channel else None
    result = overview(ws, period=period, as_of=as_of, filters=filters, principal=principal)
    dictionary = load_dictionary(ws)
    tiles = board_tiles(result, dictionary, lang, ws.currency)
    last_day = result.until - timedelta(days=1)
    links = {}
    for tile in result.tiles:
        metric = tile.tile.query.metrics[0]
        query = {"metric": metric, "grain": "day", "since": result.since.isoformat(), "until": result.until.isoformat()}
        links[tile.index] = "/explore?" + urlencode(query)
    channel_dim = dictionary.dimensions.get("channel")
    labels = channel_dim.value_labels if channel_dim else {}
    key = "zh" if lang == "zh_CN" else "en"
    channels = [(value, (labels.get(value) or {}).get(key, value)) for value in sorted(labels)]
    context = {
        "result": result,
        "tiles": tiles,
        "links": links,
        "periods": PERIODS,
        "period": period,
        "channel": channel or "",
        "channels": channels,
        "channel_label": label_of(dictionary, "channel", lang),
        "last_day": last_day,
        "as_of": as_of,
    }
    return render(request, "overview/index.html", context, principal=principal)
