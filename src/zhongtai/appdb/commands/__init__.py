"""State changes as commands (permission, validation, one transaction, audit row) and authentication."""

from zhongtai.appdb.commands.auth import (
    authenticate_password,
    authenticate_token,
    change_password,
    owner_principal,
    principal_of,
)
from zhongtai.appdb.commands.base import AuthenticationError, Command, InvalidInput, Problems
from zhongtai.appdb.commands.bootstrap import (
    ENV_ADMIN_PASSWORD,
    ENV_ADMIN_USER,
    AdminBootstrap,
    ensure_owner,
    renew_owner_one_time_password,
)
from zhongtai.appdb.commands.keys import KeyUsage, RotateKeysCommand, key_usage
from zhongtai.appdb.commands.tokens import CreatedToken, CreateTokenCommand, RevokeTokenCommand, default_scopes
from zhongtai.appdb.commands.users import (
    CreatedUser,
    CreateUserCommand,
    DisableUserCommand,
    EnableUserCommand,
    ResetPasswordCommand,
    SetRoleCommand,
    SetScopeCommand,
)

__all__ = [
    "ENV_ADMIN_PASSWORD",
    "ENV_ADMIN_USER",
    "AdminBootstrap",
    "AuthenticationError",
    "Command",
    "CreateTokenCommand",
    "CreateUserCommand",
    "CreatedToken",
    "CreatedUser",
    "DisableUserCommand",
    "EnableUserCommand",
    "InvalidInput",
    "KeyUsage",
    "Problems",
    "ResetPasswordCommand",
    "RevokeTokenCommand",
    "RotateKeysCommand",
    "SetRoleCommand",
    "SetScopeCommand",
    "authenticate_password",
    "authenticate_token",
    "change_password",
    "default_scopes",
    "ensure_owner",
    "key_usage",
    "owner_principal",
    "principal_of",
    "renew_owner_one_time_password",
]
