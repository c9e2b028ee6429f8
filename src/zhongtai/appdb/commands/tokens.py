"""API-token commands: create (shown once) and revoke.

Everyone may create and revoke their own tokens; ``tokens:write`` is needed for someone else's.
A token's scopes must be permissions its user's role holds; without ``--scope`` a token gets the
role's permissions *except* ``pii:*``, so an integration sees masked data unless asked otherwise.
A token cannot mint tokens unless it carries ``tokens:write`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from zhongtai.appdb.commands.base import Command, Problems
from zhongtai.appdb.dao import TokenDAO, UserDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import ApiToken, User
from zhongtai.appdb.tokens import DEFAULT_DAYS, MAX_DAYS, new_token
from zhongtai.appdb.types import utcnow
from zhongtai.appdb.views import TokenInfo
from zhongtai.errors import PermissionDenied, ZhongtaiError
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import ROLE_PERMISSIONS, Action, Capability, Permission, Role

__all__ = ["CreateTokenCommand", "CreatedToken", "RevokeTokenCommand", "default_scopes"]


def default_scopes(role: Role) -> frozenset[Permission]:
    """A new token's scopes when none are asked for: the role's, without unmasked PII."""
    return frozenset(p for p in ROLE_PERMISSIONS[role] if p.capability is not Capability.PII)


@dataclass(frozen=True, slots=True)
class CreatedToken:
    token: TokenInfo
    text: str
    """The token itself: shown once, never stored."""


class CreateTokenCommand(Command[CreatedToken]):
    def __init__(
        self,
        db: AppDB,
        principal: Principal,
        name: str,
        *,
        username: str | None = None,
        scopes: list[str] | None = None,
        days: int = DEFAULT_DAYS,
    ) -> None:
        super().__init__(db, principal)
        self.name = name.strip()
        self.username = username
        self.scopes = scopes
        self.days = days
        self.user: User

    def check_permission(self) -> None:
        if self.principal.token_id is not None and not self.principal.can(Capability.TOKENS, Action.WRITE):
            raise PermissionDenied("tokens.token_cannot_create", user=self.principal.name)
        if self.username is not None and self.username.strip().lower() != self.principal.name:
            self.principal.require(Capability.TOKENS, Action.WRITE)

    def validate(self, session: Session, problems: Problems) -> None:
        users = UserDAO(session, self.principal)
        if self.username is None:
            if self.principal.user_id is None:
                raise PermissionDenied("tokens.no_user", user=self.principal.name)
            self.user = users.find_by_id(self.principal.user_id)
        else:
            self.user = users.find_by_username(self.username)
        if not self.user.active:
            problems.add("tokens.user_disabled", username=self.user.username)
        if not 1 <= len(self.name) <= 100:
            problems.add("tokens.invalid_name")
        if not 1 <= self.days <= MAX_DAYS:
            problems.add("tokens.invalid_expiry", max=MAX_DAYS)
        role = Role(self.user.role)
        if self.scopes is None:
            self.granted = default_scopes(role)
            return
        granted: set[Permission] = set()
        for text in self.scopes:
            try:
                permission = Permission.parse(text)
            except ZhongtaiError as exc:
                problems.append(exc)
                continue
            if permission not in ROLE_PERMISSIONS[role]:
                problems.add("tokens.scope_not_held", scope=str(permission), role=role.value)
            granted.add(permission)
        if not granted and not problems:
            problems.add("tokens.no_scopes")
        self.granted = frozenset(granted)

    def execute(self, session: Session) -> CreatedToken:
        made = new_token()
        now = utcnow()
        token = ApiToken(
            user_id=self.user.id,
            name=self.name,
            public_id=made.public_id,
            secret_hash=made.secret_hash,
            scopes=sorted(str(p) for p in self.granted),
            created_by_id=self.principal.user_id,
            created_at=now,
            expires_at=now + timedelta(days=self.days),
        )
        TokenDAO(session, self.principal).add(token)
        self.audit(
            session,
            "token.create",
            target_type="token",
            target_id=token.id,
            detail={
                "user": self.user.username,
                "name": token.name,
                "public_id": token.public_id,
                "scopes": token.scopes,
                "expires_at": token.expires_at.isoformat(),
            },
        )
        return CreatedToken(TokenInfo.of(token, self.user.username), made.text)


class RevokeTokenCommand(Command[TokenInfo]):
    """Revoke a token by id (own tokens; anyone's with ``tokens:write``). Revoking twice is a no-op."""

    def __init__(self, db: AppDB, principal: Principal, token_id: int) -> None:
        super().__init__(db, principal)
        self.token_id = token_id
        self.token: ApiToken

    def validate(self, session: Session, problems: Problems) -> None:
        self.token = TokenDAO(session, self.principal).find_by_id(self.token_id)
        if not self.principal.is_self(self.token.user_id):
            self.principal.require(Capability.TOKENS, Action.WRITE)

    def execute(self, session: Session) -> TokenInfo:
        if self.token.revoked_at is None:
            self.token.revoked_at = utcnow()
            self.audit(
                session,
                "token.revoke",
                target_type="token",
                target_id=self.token.id,
                detail={"user": self.token.user.username, "name": self.token.name, "public_id": self.token.public_id},
            )
        return TokenInfo.of(self.token, self.token.user.username)
