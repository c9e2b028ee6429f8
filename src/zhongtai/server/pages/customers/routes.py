"""``/customers`` and ``/customers/{member_id}``: find a member and read their 360.

The 360 is :func:`zhongtai.customers.customer_profile` — the same call as ``zhongtai customers
show`` and ``GET /api/v1/customers/{id}`` — which masks PII for the caller's role and writes every
unmasked read to the audit log. A member id retired by a merge answers with a redirect to the
surviving member (checked with :func:`zhongtai.warehouse.identity.current_member_id` first, so the
retired id's page is not read, and audited, twice). The finder takes a member id; next to it the
members ranked by lifetime paid amount (:func:`zhongtai.customers.top_members`).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhongtai.customers import customer_profile, top_members
from zhongtai.errors import NotFoundError
from zhongtai.policy import Action, Capability
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.customers.sections import LABELS, SECTIONS, is_time, section_rows
from zhongtai.server.pages.templating import render
from zhongtai.warehouse.identity import current_member_id

router = APIRouter(include_in_schema=False)
MemberId = Annotated[str, Path(min_length=1, max_length=100)]
PAGE_SIZE = 25
RECENT = 20
"""Rows per section of the 360 (events, reviews, messages, NPS answers)."""


def _member_url(member_id: str) -> str:
    return "/customers/" + quote(member_id, safe="")


@router.get("/customers")
def customers_page(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    member: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    principal.require(Capability.CUSTOMERS, Action.READ)
    if member and member.strip():
        return RedirectResponse(_member_url(member.strip()), status_code=303)
    found = top_members(ws, principal, limit=PAGE_SIZE + 1, offset=offset)
    context = {
        "members": found[:PAGE_SIZE],
        "offset": offset,
        "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
        "next_offset": offset + PAGE_SIZE if len(found) > PAGE_SIZE else None,
    }
    return render(request, "customers/index.html", context, principal=principal)


@router.get("/customers/{member_id}")
def customer_page(request: Request, principal: PagePrincipal, ws: RequestWorkspace, member_id: MemberId) -> Response:
    principal.require(Capability.CUSTOMERS, Action.READ)
    current = current_member_id(ws.warehouse.con, member_id)
    if current is None:
        raise NotFoundError("identity.member_not_found", member_id=member_id)
    if current != member_id:
        return RedirectResponse(_member_url(current) + "?from=" + quote(member_id, safe=""), status_code=303)
    profile = customer_profile(ws, member_id, principal, recent=RECENT)
    sections: list[dict[str, Any]] = []
    for section in SECTIONS:
        rows = getattr(profile, section.key)
        sections.append(
            {
                "id": section.key,
                "title": section.title,
                "labels": [LABELS.get(c, c) for c in section.columns],
                "rows": section_rows(rows, section.columns),
            }
        )
    context = {
        "profile": profile,
        "sections": sections,
        "is_time": is_time,
        "retired": request.query_params.get("from", "")[:100],
    }
    return render(request, "customers/profile.html", context, principal=principal)
