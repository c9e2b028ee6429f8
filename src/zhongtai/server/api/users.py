"""``/api/v1/users`` and ``/api/v1/tokens``: accounts and API tokens, the same calls as
``zhongtai users list`` and ``zhongtai tokens create|list|revoke``. The DAOs filter what a caller
sees (without ``users:read`` only their own account; without ``tokens:read`` only their own
tokens; anything else is *not found*), display names are masked through :func:`zhongtai.policy.mask`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from zhongtai.appdb import CreateTokenCommand, RevokeTokenCommand, list_tokens, list_users, masked_users
from zhongtai.server.auth import CurrentPrincipal
from zhongtai.server.deps import PageParams, RequestWorkspace, json_response, page_of

router = APIRouter(tags=["users"])


class NewToken(BaseModel):
    """A token to create; ``scopes`` narrow the role (default: the role's, without ``pii:*``)."""

    name: str = Field(min_length=1, max_length=100)
    user: str | None = Field(default=None, max_length=64, description="For another user (needs tokens:write)")
    scopes: list[str] | None = Field(default=None, max_length=100)
    days: int = Field(default=90, ge=1, le=365)


@router.get("/users", summary="Accounts you may see / 用户列表")
def users(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    page: PageParams,
    active: bool = False,
) -> Response:
    masked = masked_users(ws.app, principal, list_users(ws.app, principal, include_disabled=not active))
    return json_response(page_of(masked, page))


@router.get("/tokens", summary="API tokens you may see / 令牌列表")
def tokens(
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    page: PageParams,
    user: Annotated[str | None, Query(max_length=64)] = None,
    all: bool = False,
) -> Response:
    found = [t.to_dict() for t in list_tokens(ws.app, principal, username=user, include_inactive=all)]
    return json_response(page_of(found, page))


@router.post("/tokens", status_code=201, summary="Create a token (shown once) / 创建令牌")
def create_token(principal: CurrentPrincipal, ws: RequestWorkspace, body: NewToken) -> Response:
    created = CreateTokenCommand(
        ws.app, principal, body.name, username=body.user, scopes=body.scopes, days=body.days
    ).run()
    return json_response({"token": created.text, **created.token.to_dict()}, status=201)


@router.delete("/tokens/{token_id}", summary="Revoke a token / 撤销令牌")
def revoke_token(
    principal: CurrentPrincipal, ws: RequestWorkspace, token_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Response:
    return json_response(RevokeTokenCommand(ws.app, principal, token_id).run())
