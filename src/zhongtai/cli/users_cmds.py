"""``zhongtai users`` and ``zhongtai tokens``: accounts, roles, data scopes and API tokens."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.panel import Panel

from zhongtai.cli._auth import ENV_PASSWORD, AsOpt, act_as, read_secret
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

if TYPE_CHECKING:
    from zhongtai.appdb import AdminBootstrap, CreatedUser

app = typer.Typer(help="Accounts, roles and data scopes. / 账号、角色与数据范围。")
tokens_app = typer.Typer(help="API tokens (shown once, scoped, expiring). / API 令牌(仅显示一次、限定范围、会过期)。")

ENV_NEW_PASSWORD = "ZHONGTAI_NEW_PASSWORD"
StoreOpt = Annotated[list[str] | None, typer.Option("--store", help="Limit to this store (repeat) / 限定门店")]
ChannelOpt = Annotated[list[str] | None, typer.Option("--channel", help="Limit to this channel (repeat) / 限定渠道")]
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input")]


def _stdin_password(enabled: bool) -> str | None:
    return sys.stdin.readline().rstrip("\r\n") if enabled else None


def _scope(stores: list[str] | None, channels: list[str] | None) -> Any:
    from zhongtai.policy import DataScope

    return DataScope.of(stores=stores or None, channels=channels or None)


def _show_password(out: Output, created: CreatedUser, code: str) -> None:
    data = {"user": created.user.to_dict(), "one_time_password": created.one_time_password}
    if out.as_json:
        out.json(data)
        return
    out.say(code, username=created.user.username, role=created.user.role.value)
    if created.one_time_password:
        out.console.print(Panel(created.one_time_password, title=out.t("cli.one_time_password"), expand=False))
        out.say("cli.one_time_password_note", username=created.user.username)


def show_first_admin(out: Output, admin: AdminBootstrap | None) -> None:
    """Print the owner admin created by ``zhongtai init`` and, once, its one-time password."""
    if admin is None:
        return
    out.say("cli.owner_created", username=admin.username, source=admin.password_source)
    if admin.one_time_password:
        out.console.print(Panel(admin.one_time_password, title=out.t("cli.one_time_password"), expand=False))
        out.say("cli.one_time_password_note", username=admin.username)


@app.command("add")
@command
def users_add(
    out: Output,
    username: Annotated[str, typer.Argument(help="Sign-in name / 登录名")],
    role: Annotated[str, typer.Option(help="admin, analyst, operator, brand, supply, risk or viewer / 角色")],
    name: Annotated[str | None, typer.Option("--name", help="Display name (encrypted at rest) / 显示名")] = None,
    store: StoreOpt = None,
    channel: ChannelOpt = None,
    password_stdin: StdinOpt = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Add a user; prints a one-time password unless one is given. / 添加用户。"""
    from zhongtai.appdb import CreateUserCommand
    from zhongtai.policy import parse_role

    with open_ws(workspace) as ws:
        created = CreateUserCommand(
            ws.app,
            act_as(ws, as_user),
            username,
            parse_role(role),
            password=_stdin_password(password_stdin),
            display_name=name,
            scope=_scope(store, channel),
        ).run()
    _show_password(out, created, "cli.user_added")


@app.command("list")
@command
def users_list(
    out: Output,
    active: Annotated[bool, typer.Option("--active", help="Only active accounts / 仅启用的账号")] = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Accounts you may see (display names masked by your role). / 用户列表。"""
    from zhongtai.appdb import list_users, masked_users

    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
        users = masked_users(ws.app, principal, list_users(ws.app, principal, include_disabled=not active))
    if out.as_json:
        out.json(users)
        return
    rows = [
        (
            u["id"],
            u["username"],
            u["display_name"] or "",
            u["role"] + (" *" if u["is_owner"] else ""),
            _scope_text(u["scope"]),
            out.t("cli.active") if u["active"] else out.t("cli.disabled"),
            u["last_login_at"] or "",
        )
        for u in users
    ]
    out.table(
        None,
        [
            "id",
            out.t("cli.username"),
            out.t("cli.display_name"),
            out.t("cli.role"),
            out.t("cli.scope"),
            out.t("cli.status"),
            out.t("cli.last_login"),
        ],
        rows,
    )


def _scope_text(scope: dict[str, list[str] | None]) -> str:
    parts = [f"{k}={','.join(v)}" for k, v in scope.items() if v is not None]
    return "; ".join(parts) or "*"


def _user_change(out: Output, info: Any, code: str) -> None:
    if out.as_json:
        out.json(info.to_dict())
    else:
        out.say(code, username=info.username, role=info.role.value, scope=info.scope.describe())


@app.command("disable")
@command
def users_disable(
    out: Output, username: Annotated[str, typer.Argument()], as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")
) -> None:
    """Disable an account (its tokens stop working). / 停用账号。"""
    from zhongtai.appdb import DisableUserCommand

    with open_ws(workspace) as ws:
        info = DisableUserCommand(ws.app, act_as(ws, as_user), username).run()
    _user_change(out, info, "cli.user_disabled")


@app.command("enable")
@command
def users_enable(
    out: Output, username: Annotated[str, typer.Argument()], as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")
) -> None:
    """Enable an account again (also lifts a lock-out). / 重新启用账号。"""
    from zhongtai.appdb import EnableUserCommand

    with open_ws(workspace) as ws:
        info = EnableUserCommand(ws.app, act_as(ws, as_user), username).run()
    _user_change(out, info, "cli.user_enabled")


@app.command("set-role")
@command
def users_set_role(
    out: Output,
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument()],
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Change a user's role. / 修改角色。"""
    from zhongtai.appdb import SetRoleCommand
    from zhongtai.policy import parse_role

    with open_ws(workspace) as ws:
        info = SetRoleCommand(ws.app, act_as(ws, as_user), username, parse_role(role)).run()
    _user_change(out, info, "cli.user_role_set")


@app.command("set-scope")
@command
def users_set_scope(
    out: Output,
    username: Annotated[str, typer.Argument()],
    store: StoreOpt = None,
    channel: ChannelOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Limit a user to stores and/or channels (no option: everything). / 设置数据范围。"""
    from zhongtai.appdb import SetScopeCommand

    with open_ws(workspace) as ws:
        info = SetScopeCommand(ws.app, act_as(ws, as_user), username, _scope(store, channel)).run()
    _user_change(out, info, "cli.user_scope_set")


@app.command("reset-password")
@command
def users_reset_password(
    out: Output,
    username: Annotated[str, typer.Argument()],
    password_stdin: StdinOpt = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Set a new password for a user (one-time unless given; lifts a lock-out). / 重置密码。"""
    from zhongtai.appdb import ResetPasswordCommand

    with open_ws(workspace) as ws:
        created = ResetPasswordCommand(
            ws.app, act_as(ws, as_user), username, password=_stdin_password(password_stdin)
        ).run()
    _show_password(out, created, "cli.password_reset")


@app.command("passwd")
@command
def users_passwd(
    out: Output,
    username: Annotated[str, typer.Argument(help="Your sign-in name / 登录名")],
    password_stdin: StdinOpt = False,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Change your own password (old from ZHONGTAI_PASSWORD or a prompt). / 修改自己的密码。"""
    from zhongtai.appdb import AuthenticationError, change_password

    old = read_secret(ENV_PASSWORD, "Current password / 当前密码")
    new = _stdin_password(password_stdin) or read_secret(ENV_NEW_PASSWORD, "New password / 新密码", confirm=True)
    if old is None or new is None:
        raise AuthenticationError("auth.password_needed", user=username, env=f"{ENV_PASSWORD}, {ENV_NEW_PASSWORD}")
    with open_ws(workspace) as ws:
        principal = change_password(ws.app, username, old, new, via="cli:password")
    if out.as_json:
        out.json(principal.to_dict())
    else:
        out.say("cli.password_changed", username=principal.name)


@app.command("whoami")
@command
def users_whoami(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Who this command acts as, and what it may do. / 当前身份与权限。"""
    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
    data = {
        **principal.to_dict(),
        "permissions": sorted(str(p) for p in principal.permissions),
        "pii_visible": sorted(c.value for c in principal.visible_classes()),
    }
    if out.as_json:
        out.json(data)
        return
    out.say(
        "cli.whoami",
        username=principal.name,
        role=principal.role.value,
        via=principal.via,
        scope=principal.scope.describe(),
    )
    out.console.print(", ".join(data["permissions"]))


# -- tokens -------------------------------------------------------------------------------------


@tokens_app.command("create")
@command
def tokens_create(
    out: Output,
    name: Annotated[str, typer.Argument(help="What the token is for / 用途")],
    user: Annotated[str | None, typer.Option("--user", help="For another user (needs tokens:write)")] = None,
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="capability:action (repeat); default: your role's, without pii:*"),
    ] = None,
    days: Annotated[int, typer.Option(help="Days until it expires (1-365) / 有效天数")] = 90,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Create an API token; it is printed once. / 创建 API 令牌(仅显示一次)。"""
    from zhongtai.appdb import CreateTokenCommand

    with open_ws(workspace) as ws:
        created = CreateTokenCommand(ws.app, act_as(ws, as_user), name, username=user, scopes=scope, days=days).run()
    if out.as_json:
        out.json({"token": created.text, **created.token.to_dict()})
        return
    out.say(
        "cli.token_created",
        id=created.token.id,
        user=created.token.user,
        expires=created.token.expires_at.isoformat(timespec="seconds"),
    )
    out.console.print(Panel(created.text, title=out.t("cli.token_once"), expand=False))
    out.console.print(", ".join(created.token.scopes))


@tokens_app.command("list")
@command
def tokens_list(
    out: Output,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's / 仅该用户")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include revoked and expired / 含已撤销与过期")] = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Tokens you may see (your own; everyone's with tokens:read). / 令牌列表。"""
    from zhongtai.appdb import list_tokens

    with open_ws(workspace) as ws:
        tokens = list_tokens(ws.app, act_as(ws, as_user), username=user, include_inactive=all_)
    if out.as_json:
        out.json([t.to_dict() for t in tokens])
        return
    now = datetime.now(UTC)
    out.table(
        None,
        [
            "id",
            out.t("cli.username"),
            out.t("cli.name"),
            out.t("cli.status"),
            out.t("cli.expires"),
            out.t("cli.last_used"),
            "scopes",
        ],
        [
            (
                t.id,
                t.user,
                t.name,
                t.status(now),
                t.expires_at.isoformat(timespec="seconds"),
                t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "",
                len(t.scopes),
            )
            for t in tokens
        ],
    )


@tokens_app.command("revoke")
@command
def tokens_revoke(
    out: Output,
    token_id: Annotated[int, typer.Argument(help="Token id / 令牌编号")],
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Revoke a token at once. / 立即撤销令牌。"""
    from zhongtai.appdb import RevokeTokenCommand

    with open_ws(workspace) as ws:
        info = RevokeTokenCommand(ws.app, act_as(ws, as_user), token_id).run()
    if out.as_json:
        out.json(info.to_dict())
    else:
        out.say("cli.token_revoked", id=info.id, user=info.user)
