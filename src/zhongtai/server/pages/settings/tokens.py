"""``/settings/tokens``: API tokens — mine, or everyone's with ``tokens:read`` (the DAO decides, as
for ``GET /api/v1/tokens``); create one (its text is in the answer once, only its hash is kept);
revoke (own tokens; anyone's with ``tokens:write``; someone else's unseen token is *not found*)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response

from zhongtai.appdb import CreateTokenCommand, RevokeTokenCommand, default_scopes, list_tokens
from zhongtai.policy import Action, Capability, Principal
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.settings.common import is_htmx, render_tab
from zhongtai.server.pages.settings.labels import ACTION_LABELS, CAPABILITY_LABELS, TOKEN_STATUS_LABELS
from zhongtai.server.pages.templating import render
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)

MAX_DAYS = 365
"""Longest token lifetime the form offers (the command's own limit)."""


def _context(ws: Workspace, principal: Principal, *, show_all: bool) -> dict[str, Any]:
    now = datetime.now(UTC)
    found = list_tokens(ws.app, principal, include_inactive=show_all)
    defaults = default_scopes(principal.role) & principal.permissions
    return {
        "tokens": [(t, t.status(now)) for t in found],
        "everyone": principal.can(Capability.TOKENS, Action.READ),
        "can_revoke_all": principal.can(Capability.TOKENS, Action.WRITE),
        "me": principal.name,
        "show_all": show_all,
        "scope_choices": [
            (str(p), CAPABILITY_LABELS[p.capability], ACTION_LABELS[p.action], p in defaults)
            for p in sorted(principal.permissions)
        ],
        "max_days": MAX_DAYS,
        "status_labels": TOKEN_STATUS_LABELS,
    }


def _answer(request: Request, principal: Principal, context: dict[str, Any]) -> Response:
    if is_htmx(request):
        return render(request, "settings/tokens_panel.html", context, principal=principal)
    return render_tab(request, principal, "tokens", "settings/tokens.html", context)


@router.get("/settings/tokens")
def tokens(
    request: Request, principal: PagePrincipal, ws: RequestWorkspace, all: Annotated[bool, Query()] = False
) -> Response:
    """Tokens the principal may see (active ones; ``?all=true`` adds revoked and expired)."""
    return render_tab(request, principal, "tokens", "settings/tokens.html", _context(ws, principal, show_all=all))


@router.post("/settings/tokens")
def create(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    name: Annotated[str, Form(max_length=100)] = "",
    days: Annotated[int, Form(ge=1, le=MAX_DAYS)] = 90,
    scope: Annotated[list[str] | None, Form(max_length=100)] = None,
) -> Response:
    """Create a token for myself; no scope ticked means the role's defaults (without ``pii:*``)."""
    created = CreateTokenCommand(ws.app, principal, name, scopes=scope or None, days=days).run()
    context = {**_context(ws, principal, show_all=False), "created": created}
    return _answer(request, principal, context)


@router.post("/settings/tokens/{token_id}/revoke")
def revoke(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    token_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Response:
    revoked = RevokeTokenCommand(ws.app, principal, token_id).run()
    context = {**_context(ws, principal, show_all=False), "revoked": revoked}
    return _answer(request, principal, context)
