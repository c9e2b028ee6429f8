"""The principal: who is acting. Every surface (CLI, API, pages, notebooks) passes one to domain code.

A :class:`Principal` is built by authentication in :mod:`zhongtai.appdb` (password, API token, or
the workspace owner on the CLI) and is immutable. Domain functions ask it, never a user row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhongtai.errors import InputError, PermissionDenied
from zhongtai.policy.roles import ROLE_PERMISSIONS, ROLE_PII, Action, Capability, Permission, Role
from zhongtai.warehouse.schema import PiiClass

__all__ = ["SYSTEM", "DataScope", "Principal"]

_MAX_SCOPE_VALUES = 1000


@dataclass(frozen=True, slots=True)
class DataScope:
    """Which rows a principal may see: ``None`` means every store (channel); a set limits to those.

    A store manager has ``stores={"S01"}``; a channel team ``channels={"tmall"}``. Both limits
    apply together when both are set. An empty set means no store (channel) at all.
    """

    stores: frozenset[str] | None = None
    channels: frozenset[str] | None = None

    @property
    def unrestricted(self) -> bool:
        return self.stores is None and self.channels is None

    @classmethod
    def of(cls, *, stores: Iterable[str] | None = None, channels: Iterable[str] | None = None) -> DataScope:
        return cls(_values(stores, "stores"), _values(channels, "channels"))

    def to_dict(self) -> dict[str, list[str] | None]:
        return {
            "stores": sorted(self.stores) if self.stores is not None else None,
            "channels": sorted(self.channels) if self.channels is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> DataScope:
        data = data or {}
        return cls.of(stores=data.get("stores"), channels=data.get("channels"))

    def describe(self) -> str:
        parts = []
        if self.stores is not None:
            parts.append("stores=" + ",".join(sorted(self.stores)))
        if self.channels is not None:
            parts.append("channels=" + ",".join(sorted(self.channels)))
        return "; ".join(parts) or "all"


def _values(items: Iterable[str] | None, what: str) -> frozenset[str] | None:
    if items is None:
        return None
    values = frozenset(str(v).strip() for v in items)
    if "" in values or len(values) > _MAX_SCOPE_VALUES:
        raise InputError("policy.invalid_scope", dimension=what, limit=_MAX_SCOPE_VALUES)
    return values


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated actor.

    ``token_scopes`` is ``None`` for a person (password or workspace owner) and the token's
    scopes for an API token; effective permissions are the role's, narrowed by the scopes.
    ``via`` says how the principal was established (``cli:owner``, ``cli:password``,
    ``token``, ``system``) and is written to the audit log with every action.
    """

    user_id: int | None
    name: str
    role: Role
    scope: DataScope = field(default_factory=DataScope)
    token_scopes: frozenset[Permission] | None = None
    via: str = "library"
    token_id: int | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        granted = ROLE_PERMISSIONS[self.role]
        return granted if self.token_scopes is None else granted & self.token_scopes

    def can(self, capability: Capability, action: Action) -> bool:
        return Permission(capability, action) in self.permissions

    def require(self, capability: Capability, action: Action) -> None:
        """Raise :class:`PermissionDenied` (naming role and permission) unless allowed."""
        if not self.can(capability, action):
            raise PermissionDenied(
                "policy.denied",
                user=self.name,
                role=self.role.value,
                permission=str(Permission(capability, action)),
            )

    def visible_classes(self, action: Action = Action.READ) -> frozenset[PiiClass]:
        """PII classes this principal sees unmasked when it ``read``s (views) or ``export``s data."""
        if action is Action.WRITE or not self.can(Capability.PII, action):
            return frozenset()
        return ROLE_PII[self.role]

    def sees(self, pii: PiiClass, action: Action = Action.READ) -> bool:
        return pii is PiiClass.NONE or pii in self.visible_classes(action)

    def is_self(self, user_id: int | None) -> bool:
        return self.user_id is not None and self.user_id == user_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "role": self.role.value,
            "scope": self.scope.to_dict(),
            "via": self.via,
            "token_id": self.token_id,
            "token_scopes": sorted(str(p) for p in self.token_scopes) if self.token_scopes is not None else None,
        }


SYSTEM = Principal(user_id=None, name="system", role=Role.ADMIN, via="system")
"""zhongtai itself (first-run bootstrap, authentication bookkeeping); recorded as such in the audit log."""
