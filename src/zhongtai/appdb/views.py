"""What app-state functions return: frozen snapshots, never live ORM rows (sessions end inside appdb)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from zhongtai.appdb.models import ApiToken, AuditEvent, User
from zhongtai.policy.principal import DataScope
from zhongtai.policy.roles import Role

__all__ = ["AuditEntry", "TokenInfo", "UserInfo"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    display_name: str | None
    role: Role
    scope: DataScope
    active: bool
    is_owner: bool
    must_change_password: bool
    has_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=Role(user.role),
            scope=DataScope.from_dict(user.scope),
            active=user.active,
            is_owner=user.is_owner,
            must_change_password=user.must_change_password,
            has_password=user.password_hash is not None,
            locked_until=user.locked_until,
            last_login_at=user.last_login_at,
            created_at=user.created_at,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "scope": self.scope.to_dict(),
            "active": self.active,
            "is_owner": self.is_owner,
            "must_change_password": self.must_change_password,
            "has_password": self.has_password,
            "locked_until": _iso(self.locked_until),
            "last_login_at": _iso(self.last_login_at),
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user: str
    name: str
    public_id: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken, username: str) -> TokenInfo:
        return cls(
            token.id,
            username,
            token.name,
            token.public_id,
            tuple(token.scopes),
            token.created_at,
            token.expires_at,
            token.last_used_at,
            token.revoked_at,
        )

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["scopes"] = list(self.scopes)
        for key in ("created_at", "expires_at", "last_used_at", "revoked_at"):
            out[key] = _iso(getattr(self, key))
        return out


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    via: str
    action: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]
    reason: str | None
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEntry:
        return cls(
            event.seq,
            event.at,
            event.actor_id,
            event.actor_name,
            event.actor_role,
            event.via,
            event.action,
            event.target_type,
            event.target_id,
            dict(event.detail or {}),
            event.reason,
            event.prev_hash,
            event.hash,
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["at"] = self.at.isoformat(timespec="microseconds")
        return out
