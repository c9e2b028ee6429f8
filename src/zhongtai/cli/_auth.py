"""Who a CLI command acts as.

In order:

1. ``ZHONGTAI_TOKEN`` set: the API token's principal (its scopes apply); ``--as`` must match it.
2. ``--as USER`` (or ``ZHONGTAI_AS``): that user, with the password from ``ZHONGTAI_PASSWORD``
   or typed at a hidden prompt; failures count towards the lock-out.
3. Otherwise the workspace owner (the first admin). Whoever can run the CLI on the workspace
   folder can read its files anyway, so the owner default adds no power; the audit log records
   ``cli:owner:<os user>`` so it is visible who acted. Set ``ZHONGTAI_REQUIRE_LOGIN=1`` to turn
   the default off (e.g. on a shared host where app state is in PostgreSQL).
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from zhongtai.policy import Principal

__all__ = ["ENV_PASSWORD", "ENV_REQUIRE_LOGIN", "ENV_TOKEN", "AsOpt", "ReasonOpt", "act_as", "read_secret"]

ENV_TOKEN = "ZHONGTAI_TOKEN"
ENV_PASSWORD = "ZHONGTAI_PASSWORD"
ENV_REQUIRE_LOGIN = "ZHONGTAI_REQUIRE_LOGIN"

AsOpt = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="ZHONGTAI_AS",
        help="Act as this user (password from ZHONGTAI_PASSWORD or a prompt) / 以该用户身份执行",
    ),
]
ReasonOpt = Annotated[str | None, typer.Option("--reason", help="Why (kept in the audit log) / 原因(记入审计日志)")]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def read_secret(env: str, prompt: str, *, confirm: bool = False) -> str | None:
    """A secret from ``env``, else a hidden prompt when a person is at the terminal, else ``None``."""
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))
    return None


def act_as(ws: Any, as_user: str | None) -> Principal:
    """The principal for this command (see the module docstring)."""
    from zhongtai.appdb import AuthenticationError, authenticate_password, authenticate_token, owner_principal

    app = ws.app
    token = os.environ.get(ENV_TOKEN, "").strip()
    if token:
        principal = authenticate_token(app, token, via="cli:token")
        if as_user and as_user.strip().lower() != principal.name:
            raise AuthenticationError("auth.token_user_mismatch", user=as_user, env=ENV_TOKEN)
        return principal
    if as_user:
        password = read_secret(ENV_PASSWORD, f"Password for {as_user} / 密码")
        if password is None:
            raise AuthenticationError("auth.password_needed", user=as_user, env=ENV_PASSWORD)
        return authenticate_password(app, as_user, password, via="cli:password")
    if os.environ.get(ENV_REQUIRE_LOGIN, "").strip().lower() in ("1", "true", "yes", "on"):
        raise AuthenticationError("auth.login_required", env=ENV_REQUIRE_LOGIN)
    return owner_principal(app, via=f"cli:owner:{_os_user()}"[:64])
