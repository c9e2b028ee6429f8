"""Roles, capabilities and actions: who may do what, and which PII classes each role may see.

A permission is a ``(capability, action)`` pair written ``capability:action`` (``customers:export``).
Each role holds a fixed set of permissions and a set of PII classes it may see unmasked; both
tables below are the single source of truth (``docs/en/security.md`` prints them).

Seeing unmasked PII needs two things: the ``pii:read`` (or ``pii:export``) permission and the
column's class in the role's :data:`ROLE_PII` set. An API token can narrow the permissions (its
scopes) but never widen them, so a token without ``pii:read`` sees everything masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import product

from zhongtai.errors import InputError
from zhongtai.warehouse.schema import PiiClass

__all__ = [
    "ALL_PERMISSIONS",
    "ROLE_PERMISSIONS",
    "ROLE_PII",
    "Action",
    "Capability",
    "Permission",
    "Role",
    "parse_role",
]


class Role(StrEnum):
    """The roles of DESIGN.md's users; a store manager or a channel team is a role plus a data scope."""

    ADMIN = "admin"
    ANALYST = "analyst"
    OPERATOR = "operator"
    BRAND = "brand"
    SUPPLY = "supply"
    RISK = "risk"  # risk and compliance
    VIEWER = "viewer"


class Capability(StrEnum):
    """What a permission is about: a package of DESIGN.md or an app-state aggregate."""

    WAREHOUSE = "warehouse"  # query canonical tables (rows limited by data scope, PII masked)
    METRICS = "metrics"
    CUSTOMERS = "customers"
    EXPERIMENTS = "experiments"
    SUPPLY = "supply"
    BRAND = "brand"
    RISK = "risk"
    TEAM = "team"
    AUTOMATION = "automation"
    INGEST = "ingest"  # load files, read load records
    QUARANTINE = "quarantine"  # rejected rows and reasons; raw cells additionally need PII rights
    JOBS = "jobs"
    PII = "pii"  # see (read) or export unmasked PII of the classes the role is granted
    USERS = "users"  # other users' accounts (everyone may read their own)
    TOKENS = "tokens"  # other users' API tokens (everyone may manage their own)
    AUDIT = "audit"  # the whole audit log (everyone may read their own entries)
    KEYS = "keys"  # field-encryption key rotation
    SETTINGS = "settings"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    EXPORT = "export"


@dataclass(frozen=True, slots=True, order=True)
class Permission:
    """One ``capability:action`` pair."""

    capability: Capability
    action: Action

    def __str__(self) -> str:
        return f"{self.capability.value}:{self.action.value}"

    @classmethod
    def parse(cls, text: str) -> Permission:
        """``"customers:export"`` -> ``Permission(CUSTOMERS, EXPORT)``; unknown names are an :class:`InputError`."""
        capability, _, action = text.strip().lower().partition(":")
        try:
            return cls(Capability(capability), Action(action))
        except ValueError:
            raise InputError(
                "policy.unknown_permission",
                permission=text,
                known=", ".join(str(p) for p in sorted(ALL_PERMISSIONS)),
            ) from None


ALL_PERMISSIONS: frozenset[Permission] = frozenset(Permission(c, a) for c, a in product(Capability, Action))

C, A = Capability, Action
R, W, E = A.READ, A.WRITE, A.EXPORT


def _grant(**caps: str) -> frozenset[Permission]:
    """``_grant(metrics="rw")``: letters r, w, e for read, write, export."""
    letters = {"r": R, "w": W, "e": E}
    return frozenset(Permission(Capability(name), letters[ch]) for name, chars in caps.items() for ch in chars)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: ALL_PERMISSIONS,
    Role.ANALYST: _grant(warehouse="re", metrics="rwe", customers="re", experiments="rwe", supply="r", brand="r",
                         ingest="rw", quarantine="re", jobs="rw", settings="r"),
    Role.OPERATOR: _grant(warehouse="r", metrics="re", customers="rwe", experiments="r", brand="r", automation="rw",
                          ingest="r", quarantine="r", jobs="r", pii="r", settings="r"),
    Role.BRAND: _grant(warehouse="r", metrics="r", customers="r", experiments="r", brand="rwe", automation="r",
                       jobs="r", settings="r"),
    Role.SUPPLY: _grant(warehouse="r", metrics="r", supply="rwe", ingest="rw", quarantine="r", jobs="rw",
                        settings="r"),
    Role.RISK: _grant(warehouse="re", metrics="r", customers="r", risk="rwe", ingest="r", quarantine="re", jobs="r",
                      pii="re", users="r", audit="re", settings="r"),
    Role.VIEWER: _grant(metrics="r", customers="r", experiments="r", supply="r", brand="r"),
}  # fmt: skip
"""Permissions per role. Admin holds all; the others hold what their work needs (least privilege)."""

ROLE_PII: dict[Role, frozenset[PiiClass]] = {
    Role.ADMIN: frozenset({PiiClass.CONTACT, PiiClass.IDENTITY, PiiClass.FINANCIAL}),
    Role.RISK: frozenset({PiiClass.CONTACT, PiiClass.IDENTITY, PiiClass.FINANCIAL, PiiClass.SENSITIVE}),
    Role.OPERATOR: frozenset({PiiClass.CONTACT, PiiClass.IDENTITY}),
    Role.ANALYST: frozenset(),
    Role.BRAND: frozenset(),
    Role.SUPPLY: frozenset(),
    Role.VIEWER: frozenset(),
}
"""PII classes each role may see unmasked (with ``pii:read``) or export (with ``pii:export``).

Only risk/compliance sees ``sensitive`` (PIPL Art. 28: ID numbers, health, precise tracks); an
admin who needs it must take the risk role, which the audit log records.
"""


def parse_role(text: str) -> Role:
    """A role from its code; an unknown one is an :class:`InputError` listing the roles."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InputError("policy.unknown_role", role=text, known=", ".join(r.value for r in Role)) from None
