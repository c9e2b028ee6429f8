"""``/settings/users``: accounts (``users:read`` to list, ``users:write`` to change).

Every change goes through the app-state command the CLI uses (``zhongtai users add|role|scope|
disable|enable|reset``): :class:`~zhongtai.appdb.CreateUserCommand` and friends check the
permission again, validate every field at once, write one transaction and its audit row. A
generated one-time password is in the answer to the request that made it and nowhere else: it
is never stored in clear, so reloading the page cannot show it again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from zhongtai.appdb import (
    CreatedUser,
    CreateUserCommand,
    DisableUserCommand,
    EnableUserCommand,
    ResetPasswordCommand,
    SetRoleCommand,
    SetScopeCommand,
    get_user,
    list_users,
)
from zhongtai.policy import Action, Capability, Principal, Role, parse_role
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.settings.common import is_htmx, masked_users, parse_scope, render_tab, require_tab
from zhongtai.server.pages.templating import render
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)

UserName = Annotated[str, Path(min_length=1, max_length=64)]


def _list_context(ws: Workspace, principal: Principal) -> dict[str, Any]:
    found = list_users(ws.app, principal, include_disabled=True)
    return {
        "users": masked_users(ws, principal, found, what="appdb:users"),
        "roles": [r.value for r in Role],
        "can_write": principal.can(Capability.USERS, Action.WRITE),
    }


@router.get("/settings/users")
def users(request: Request, principal: PagePrincipal, ws: RequestWorkspace) -> Response:
    """Every account (masked display names) and, for ``users:write``, the form to add one."""
    require_tab(principal, "users")
    return render_tab(request, principal, "users", "settings/users.html", _list_context(ws, principal))


@router.post("/settings/users")
def add_user(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    username: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=32)] = "viewer",
    display_name: Annotated[str, Form(max_length=200)] = "",
    stores: Annotated[str, Form(max_length=20_000)] = "",
    channels: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Add an account with a generated one-time password, shown once in this answer."""
    principal.require(Capability.USERS, Action.WRITE)
    created = CreateUserCommand(
        ws.app,
        principal,
        username,
        parse_role(role),
        display_name=display_name or None,
        scope=parse_scope(stores, channels),
    ).run()
    context = {**_list_context(ws, principal), "created": _shown_once(created, ws, principal)}
    return _list_answer(request, principal, context)


def _shown_once(created: CreatedUser, ws: Workspace, principal: Principal) -> dict[str, Any]:
    user = masked_users(ws, principal, [created.user], what="appdb:users")[0]
    return {"username": user["username"], "password": created.one_time_password}


def _list_answer(request: Request, principal: Principal, context: dict[str, Any]) -> Response:
    if is_htmx(request):
        return render(request, "settings/users_panel.html", context, principal=principal)
    return render_tab(request, principal, "users", "settings/users.html", context)


def _user_context(ws: Workspace, principal: Principal, username: str) -> dict[str, Any]:
    user = masked_users(ws, principal, [get_user(ws.app, principal, username)], what="appdb:users")[0]
    scope = user["scope"]
    return {
        "user": user,
        "roles": [r.value for r in Role],
        "stores": ", ".join(scope["stores"] or []),
        "channels": ", ".join(scope["channels"] or []),
        "is_self": user["id"] == principal.user_id,
    }


def _user_answer(request: Request, ws: Workspace, principal: Principal, username: str, **extra: Any) -> Response:
    context = {**_user_context(ws, principal, username), **extra}
    if is_htmx(request):
        return render(request, "settings/user_panel.html", context, principal=principal)
    return render_tab(request, principal, "users", "settings/user.html", context)


@router.get("/settings/users/{username}")
def user(request: Request, principal: PagePrincipal, ws: RequestWorkspace, username: UserName) -> Response:
    """One account with the forms to change its role and data scope, disable or enable it, reset its password."""
    principal.require(Capability.USERS, Action.WRITE)
    return _user_answer(request, ws, principal, username)


@router.post("/settings/users/{username}/role")
def set_role(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    username: UserName,
    role: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    principal.require(Capability.USERS, Action.WRITE)
    SetRoleCommand(ws.app, principal, username, parse_role(role)).run()
    return _user_answer(request, ws, principal, username, saved="role")


@router.post("/settings/users/{username}/scope")
def set_scope(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    username: UserName,
    stores: Annotated[str, Form(max_length=20_000)] = "",
    channels: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    principal.require(Capability.USERS, Action.WRITE)
    SetScopeCommand(ws.app, principal, username, parse_scope(stores, channels)).run()
    return _user_answer(request, ws, principal, username, saved="scope")


@router.post("/settings/users/{username}/disable")
def disable(request: Request, principal: PagePrincipal, ws: RequestWorkspace, username: UserName) -> Response:
    principal.require(Capability.USERS, Action.WRITE)
    DisableUserCommand(ws.app, principal, username).run()
    return _user_answer(request, ws, principal, username, saved="disabled")


@router.post("/settings/users/{username}/enable")
def enable(request: Request, principal: PagePrincipal, ws: RequestWorkspace, username: UserName) -> Response:
    principal.require(Capability.USERS, Action.WRITE)
    EnableUserCommand(ws.app, principal, username).run()
    return _user_answer(request, ws, principal, username, saved="enabled")


@router.post("/settings/users/{username}/reset")
def reset_password(request: Request, principal: PagePrincipal, ws: RequestWorkspace, username: UserName) -> Response:
    """A new one-time password (shown once here); the account must change it at its next sign-in."""
    principal.require(Capability.USERS, Action.WRITE)
    created = ResetPasswordCommand(ws.app, principal, username).run()
    return _user_answer(request, ws, principal, username, created=_shown_once(created, ws, principal))
