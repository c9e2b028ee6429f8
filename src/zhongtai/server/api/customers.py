"""``/api/v1/customers``: the customer 360, PII masked for the caller's role by
:func:`zhongtai.customers.customer_profile` (the same call as ``zhongtai customers show``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from zhongtai.customers import customer_profile
from zhongtai.server.auth import CurrentPrincipal
from zhongtai.server.deps import RequestWorkspace, json_response

router = APIRouter(tags=["customers"])


@router.get("/customers/{member_id}", summary="Customer 360 / 客户 360 画像")
def customer(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    member_id: Annotated[str, Path(min_length=1, max_length=100)],
    recent: Annotated[int, Query(ge=1, le=500, description="Recent rows per section / 每节最近条数")] = 20,
) -> Response:
    return json_response(customer_profile(ws, member_id, principal, recent=recent).to_dict())
