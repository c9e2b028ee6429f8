"""``/api/v1/session``: sign in with an app-state account (a session cookie and a CSRF token),
show who is signed in, sign out. See :mod:`zhongtai.server.auth`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from zhongtai.appdb import change_password
from zhongtai.policy import Principal
from zhongtai.server.auth import (
    COOKIE,
    CurrentPrincipal,
    clear_session_cookie,
    server_state,
    set_session_cookie,
    sign_in,
)
from zhongtai.server.deps import json_response

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


def _who(principal: Principal) -> dict[str, object]:
    return {
        "user_id": principal.user_id,
        "username": principal.name,
        "role": principal.role.value,
        "via": principal.via,
        "permissions": sorted(str(p) for p in principal.permissions),
        "pii_visible": sorted(c.value for c in principal.visible_classes()),
    }


@router.post("/session", status_code=201, summary="Sign in / 登录")
def login(request: Request, body: Credentials) -> Response:
    sid, session = sign_in(request, body.username, body.password)
    response = json_response({**_who(session.principal), "csrf_token": session.csrf}, status=201)
    set_session_cookie(request, response, sid)
    request.state.user_id = session.principal.user_id
    return response


class PasswordChange(BaseModel):
    """Change one's own password: the way out of a one-time password for an API client."""

    username: str = Field(min_length=1, max_length=64)
    current: str = Field(min_length=1, max_length=1024, description="Current or one-time password")
    new: str = Field(min_length=1, max_length=1024, description="New password (the password policy applies)")


@router.post("/session/password", summary="Change your password / 修改密码")
def password(request: Request, body: PasswordChange) -> Response:
    """Same function as ``zhongtai users passwd`` and the console: the per-address sign-in limit
    applies, a wrong current password counts toward the account's lock-out, a weak new password
    is a 422 listing the policy's problems. Starts no session: sign in with the new password."""
    state = server_state(request)
    request.app.state.login_limiter.hit(request.client.host if request.client else "-")
    principal = change_password(state.workspace.app, body.username, body.current, body.new, via="api:password")
    request.state.user_id = principal.user_id
    return json_response({**_who(principal), "password_changed": True})


@router.get("/session", summary="Who is signed in / 当前用户")
def whoami(request: Request, principal: CurrentPrincipal) -> Response:
    data = _who(principal)
    sid = request.cookies.get(COOKIE)
    session = request.app.state.sessions.get(sid) if sid and not request.headers.get("authorization") else None
    if session is not None:
        data["csrf_token"] = session.csrf
    return json_response(data)


@router.delete("/session", summary="Sign out / 退出")
def logout(request: Request, principal: CurrentPrincipal) -> Response:
    sid = request.cookies.get(COOKIE)
    if sid:
        request.app.state.sessions.drop(sid)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response
