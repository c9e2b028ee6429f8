"""Account commands: add, change role or data scope, disable/enable, reset a password."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from zhongtai.appdb.commands.base import Command, Problems
from zhongtai.appdb.dao import UserDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import User
from zhongtai.appdb.passwords import generate_password, password_problems
from zhongtai.appdb.types import utcnow
from zhongtai.appdb.views import UserInfo
from zhongtai.policy.crypto import ENV_KEYS, keyring_from_env
from zhongtai.policy.principal import DataScope, Principal
from zhongtai.policy.roles import Action, Capability, Role

__all__ = [
    "CreateUserCommand",
    "CreatedUser",
    "DisableUserCommand",
    "EnableUserCommand",
    "ResetPasswordCommand",
    "SetRoleCommand",
    "SetScopeCommand",
    "check_username",
]

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_RESERVED = frozenset({"system", "root", "anonymous", "owner"})
MAX_DISPLAY_NAME = 100


def check_username(username: str, problems: Problems) -> str:
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name) or name in _RESERVED:
        problems.add("users.invalid_username", username=username)
    return name


def _password_check(password: str, username: str, problems: Problems) -> None:
    for code in password_problems(password, username=username):
        problems.add(code, min=12, max=128)


@dataclass(frozen=True, slots=True)
class CreatedUser:
    user: UserInfo
    one_time_password: str | None
    """Shown to the caller once when zhongtai generated the password; ``None`` when one was given."""


class _UserChange(Command[UserInfo]):
    """A change to an existing account, which needs ``users:write``."""

    def __init__(self, db: AppDB, principal: Principal, username: str) -> None:
        super().__init__(db, principal)
        self.username = username
        self.user: User

    def check_permission(self) -> None:
        self.principal.require(Capability.USERS, Action.WRITE)

    def validate(self, session: Session, problems: Problems) -> None:
        self.user = UserDAO(session, self.principal).find_by_username(self.username)

    def _last_admin(self, session: Session) -> bool:
        return (
            self.user.role == Role.ADMIN.value
            and self.user.active
            and UserDAO(session, self.principal).count_active_admins() <= 1
        )


class CreateUserCommand(Command[CreatedUser]):
    def __init__(
        self,
        db: AppDB,
        principal: Principal,
        username: str,
        role: Role,
        *,
        password: str | None = None,
        display_name: str | None = None,
        scope: DataScope | None = None,
    ) -> None:
        super().__init__(db, principal)
        self.username = username
        self.role = role
        self.password = password
        self.display_name = display_name.strip() if display_name and display_name.strip() else None
        self.scope = scope or DataScope()

    def check_permission(self) -> None:
        self.principal.require(Capability.USERS, Action.WRITE)

    def prepare(self) -> None:
        self.one_time = generate_password() if self.password is None else None
        self.password_hash = self.db.hasher.hash(self.password or self.one_time or "")

    def validate(self, session: Session, problems: Problems) -> None:
        self.username = check_username(self.username, problems)
        if UserDAO(session, self.principal).find_for_auth(self.username) is not None:
            problems.add("users.exists", username=self.username)
        if self.password is not None:
            _password_check(self.password, self.username, problems)
        if self.display_name is not None:
            if len(self.display_name) > MAX_DISPLAY_NAME:
                problems.add("users.display_name_too_long", max=MAX_DISPLAY_NAME)
            if keyring_from_env() is None:
                problems.add("crypto.no_keys", env=ENV_KEYS, column="users.display_name")

    def execute(self, session: Session) -> CreatedUser:
        one_time = self.one_time
        now = utcnow()
        user = User(
            username=self.username,
            display_name=self.display_name,
            role=self.role.value,
            scope=self.scope.to_dict(),
            password_hash=self.password_hash,
            must_change_password=one_time is not None,
            password_changed_at=now,
            failed_logins=0,
            is_owner=False,
        )
        UserDAO(session, self.principal).add(user, username=self.username)
        self.audit(
            session,
            "user.create",
            target_type="user",
            target_id=user.id,
            detail={
                "username": user.username,
                "role": user.role,
                "scope": self.scope.to_dict(),
                "display_name_set": self.display_name is not None,
                "password": "one_time" if one_time else "given",
            },
        )
        return CreatedUser(UserInfo.of(user), one_time)


class SetRoleCommand(_UserChange):
    def __init__(self, db: AppDB, principal: Principal, username: str, role: Role) -> None:
        super().__init__(db, principal, username)
        self.role = role

    def validate(self, session: Session, problems: Problems) -> None:
        super().validate(session, problems)
        if self.role is not Role.ADMIN and self._last_admin(session):
            problems.add("users.last_admin", username=self.user.username)

    def execute(self, session: Session) -> UserInfo:
        before = self.user.role
        self.user.role = self.role.value
        self.audit(
            session,
            "user.set_role",
            target_type="user",
            target_id=self.user.id,
            detail={"username": self.user.username, "from": before, "to": self.role.value},
        )
        return UserInfo.of(self.user)


class SetScopeCommand(_UserChange):
    def __init__(self, db: AppDB, principal: Principal, username: str, scope: DataScope) -> None:
        super().__init__(db, principal, username)
        self.scope = scope

    def execute(self, session: Session) -> UserInfo:
        before = DataScope.from_dict(self.user.scope)
        self.user.scope = self.scope.to_dict()
        self.audit(
            session,
            "user.set_scope",
            target_type="user",
            target_id=self.user.id,
            detail={"username": self.user.username, "from": before.to_dict(), "to": self.scope.to_dict()},
        )
        return UserInfo.of(self.user)


class DisableUserCommand(_UserChange):
    def validate(self, session: Session, problems: Problems) -> None:
        super().validate(session, problems)
        if self.principal.is_self(self.user.id):
            problems.add("users.cannot_disable_self")
        elif self._last_admin(session):
            problems.add("users.last_admin", username=self.user.username)

    def execute(self, session: Session) -> UserInfo:
        if self.user.disabled_at is None:
            self.user.disabled_at = utcnow()
            self.audit(
                session,
                "user.disable",
                target_type="user",
                target_id=self.user.id,
                detail={"username": self.user.username},
            )
        return UserInfo.of(self.user)


class EnableUserCommand(_UserChange):
    def execute(self, session: Session) -> UserInfo:
        if self.user.disabled_at is not None or self.user.locked_until is not None:
            self.user.disabled_at = None
            self.user.locked_until = None
            self.user.failed_logins = 0
            self.audit(
                session,
                "user.enable",
                target_type="user",
                target_id=self.user.id,
                detail={"username": self.user.username},
            )
        return UserInfo.of(self.user)


class ResetPasswordCommand(Command[CreatedUser]):
    """Set a new password for someone (admin). Without ``password`` a one-time password is generated
    and must be changed at the next sign-in. Also lifts a lock-out."""

    def __init__(self, db: AppDB, principal: Principal, username: str, *, password: str | None = None) -> None:
        super().__init__(db, principal)
        self.username = username
        self.password = password
        self.user: User

    def check_permission(self) -> None:
        self.principal.require(Capability.USERS, Action.WRITE)

    def prepare(self) -> None:
        self.one_time = generate_password() if self.password is None else None
        self.password_hash = self.db.hasher.hash(self.password or self.one_time or "")

    def validate(self, session: Session, problems: Problems) -> None:
        self.user = UserDAO(session, self.principal).find_by_username(self.username)
        if self.password is not None:
            _password_check(self.password, self.user.username, problems)

    def execute(self, session: Session) -> CreatedUser:
        one_time = self.one_time
        self.user.password_hash = self.password_hash
        self.user.must_change_password = one_time is not None
        self.user.password_changed_at = utcnow()
        self.user.failed_logins = 0
        self.user.locked_until = None
        self.audit(
            session,
            "user.reset_password",
            target_type="user",
            target_id=self.user.id,
            detail={"username": self.user.username, "password": "one_time" if one_time else "given"},
        )
        return CreatedUser(UserInfo.of(self.user), one_time)
