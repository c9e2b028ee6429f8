"""App state: users, roles, API tokens and the audit log, in SQLite or PostgreSQL.

``AppDB`` opens (and migrates) the database; commands change it (permission, validation, one
transaction, audit row); DAOs are the only code that queries it; the read functions return
frozen snapshots. Nothing here imports the warehouse: the floor is two separate stores.
"""

from zhongtai.appdb.chain import VerifyResult
from zhongtai.appdb.commands import (
    ENV_ADMIN_PASSWORD,
    ENV_ADMIN_USER,
    AdminBootstrap,
    AuthenticationError,
    CreatedToken,
    CreatedUser,
    CreateTokenCommand,
    CreateUserCommand,
    DisableUserCommand,
    EnableUserCommand,
    InvalidInput,
    KeyUsage,
    ResetPasswordCommand,
    RevokeTokenCommand,
    RotateKeysCommand,
    SetRoleCommand,
    SetScopeCommand,
    authenticate_password,
    authenticate_token,
    change_password,
    default_scopes,
    ensure_owner,
    key_usage,
    owner_principal,
)
from zhongtai.appdb.dao import AuditDAO, TokenDAO, UserDAO
from zhongtai.appdb.database import APP_DB_FILE, ENV_DATABASE_URL, AppDB, database_url, head_revision
from zhongtai.appdb.queries import (
    export_audit,
    get_user,
    list_audit,
    list_tokens,
    list_users,
    parse_anchors,
    verify_audit,
)
from zhongtai.appdb.views import AuditEntry, TokenInfo, UserInfo

__all__ = [
    "APP_DB_FILE",
    "ENV_ADMIN_PASSWORD",
    "ENV_ADMIN_USER",
    "ENV_DATABASE_URL",
    "AdminBootstrap",
    "AppDB",
    "AuditDAO",
    "AuditEntry",
    "AuthenticationError",
    "CreateTokenCommand",
    "CreateUserCommand",
    "CreatedToken",
    "CreatedUser",
    "DisableUserCommand",
    "EnableUserCommand",
    "InvalidInput",
    "KeyUsage",
    "ResetPasswordCommand",
    "RevokeTokenCommand",
    "RotateKeysCommand",
    "SetRoleCommand",
    "SetScopeCommand",
    "TokenDAO",
    "TokenInfo",
    "UserDAO",
    "UserInfo",
    "VerifyResult",
    "authenticate_password",
    "authenticate_token",
    "change_password",
    "database_url",
    "default_scopes",
    "ensure_owner",
    "export_audit",
    "get_user",
    "head_revision",
    "key_usage",
    "list_audit",
    "list_tokens",
    "list_users",
    "owner_principal",
    "parse_anchors",
    "verify_audit",
]
