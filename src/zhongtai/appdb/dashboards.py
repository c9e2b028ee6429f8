"""Dashboards in app state: the DAO with its visibility filter, the commands and frozen read views.

Who may do what (two users are enough to see every rule; tests check each):

- **Reading** needs ``metrics:read`` and sight of the dashboard: its owner, a user it is shared
  with (view or edit), everybody when it is shared with the whole workspace (view), and admins.
  A dashboard outside that set is *not found* (404), so its existence is not revealed.
- **Creating and editing** needs :data:`DASHBOARD_WRITE` (``metrics:export``: a dashboard is a
  saved, shareable extract of metric numbers, so it needs the right to take numbers out; admins,
  analysts and operators hold it, viewers do not). Editing also needs ownership, an ``edit``
  share, or admin; a ``view`` share gets 403 ``dashboards.read_only``.
- **Sharing and deleting** is for the owner and admins only (``dashboards.owner_only``).
- **Admins** are principals holding ``settings:write`` (only the admin role, see ``roles.py``).

Every update names the ``version`` it edits; a different stored version is a 409
``dashboards.stale_version`` (the row is locked while it is checked: ``SELECT … FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite). Sharing does not change the version: it is not content.
Every create, update, share and delete appends an audit row in the same transaction.

Tiles and filters are opaque JSON here (app state does not import the metric layer);
:mod:`zhongtai.metrics.dashboards` validates them against the dictionary before calling these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from zhongtai.appdb.chain import jsonable
from zhongtai.appdb.commands.base import Command, Problems
from zhongtai.appdb.dao import BaseDAO, UserDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import DASHBOARD_ACCESS, Dashboard, DashboardShare
from zhongtai.appdb.types import utcnow
from zhongtai.errors import ConflictError, NotFoundError, PermissionDenied
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability

__all__ = [
    "DASHBOARD_WRITE",
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "MAX_SHARES",
    "CreateDashboardCommand",
    "DashboardDAO",
    "DashboardDraft",
    "DashboardInfo",
    "DeleteDashboardCommand",
    "ShareDashboardCommand",
    "ShareInfo",
    "UpdateDashboardCommand",
    "dashboard_access",
    "get_dashboard",
    "list_dashboards",
]

DASHBOARD_WRITE = (Capability.METRICS, Action.EXPORT)
"""The permission to create and edit dashboards (see the module docstring for why)."""

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_SHARES = 200


def is_admin(principal: Principal) -> bool:
    """Admins see, edit, share and delete every dashboard."""
    return principal.can(Capability.SETTINGS, Action.WRITE)


def dashboard_access(row: Dashboard, principal: Principal) -> str | None:
    """The caller's right on ``row``: ``owner``, ``admin``, ``edit``, ``view`` or ``None`` (none)."""
    if principal.user_id is not None and row.owner_id == principal.user_id:
        return "owner"
    if is_admin(principal):
        return "admin"
    share = next((s for s in row.shares if s.user_id == principal.user_id), None)
    if share is not None and share.access == "edit":
        return "edit"
    if share is not None or row.everyone:
        return "view"
    return None


@dataclass(frozen=True, slots=True)
class ShareInfo:
    username: str
    access: str  # view | edit

    def to_dict(self) -> dict[str, Any]:
        return {"username": self.username, "access": self.access}


@dataclass(frozen=True, slots=True)
class DashboardInfo:
    """A stored dashboard as the caller sees it.

    ``access`` is the caller's right (``owner``, ``admin``, ``edit``, ``view``); ``shares`` is
    filled only for the owner and admins (who else can see it is theirs to know).
    """

    id: int
    name: str
    description: str | None
    owner: str
    owner_id: int
    layout: list[Any]
    filters: dict[str, Any]
    everyone: bool
    shares: tuple[ShareInfo, ...]
    template: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    access: str

    @classmethod
    def of(cls, row: Dashboard, principal: Principal) -> DashboardInfo:
        access = dashboard_access(row, principal) or "view"
        shares = tuple(ShareInfo(s.user.username, s.access) for s in row.shares) if access in ("owner", "admin") else ()
        return cls(
            row.id, row.name, row.description, row.owner.username, row.owner_id, list(row.layout or []),
            dict(row.filters or {}), bool(row.everyone), shares, row.template, row.version, row.created_at,
            row.updated_at, access,
        )  # fmt: skip

    @property
    def can_edit(self) -> bool:
        return self.access in ("owner", "admin", "edit")

    def summary(self) -> dict[str, Any]:
        """The listing's view: everything but the tiles themselves (their count instead)."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "owner": self.owner,
            "everyone": self.everyone,
            "template": self.template,
            "version": self.version,
            "tiles": len(self.layout),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "access": self.access,
        }

    def to_dict(self) -> dict[str, Any]:
        out = self.summary()
        out["layout"] = self.layout
        out["filters"] = self.filters
        out["shares"] = [s.to_dict() for s in self.shares]
        return out


@dataclass(frozen=True, slots=True)
class DashboardDraft:
    """What a new dashboard holds; ``layout`` and ``filters`` already validated by the metric layer."""

    name: str
    layout: list[Any]
    filters: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    template: str | None = None


class DashboardDAO(BaseDAO[Any]):
    """Dashboards; the filter keeps those the principal may read (module docstring)."""

    model = Dashboard
    kind = "dashboard"
    conflict = "dashboards.conflict"

    def base_filter(self, query: Select[Any]) -> Select[Any]:
        if not self.principal.can(Capability.METRICS, Action.READ):
            return query.where(false())
        if is_admin(self.principal):
            return query
        if self.principal.user_id is None:
            return query.where(Dashboard.everyone.is_(True))
        shared = select(DashboardShare.dashboard_id).where(DashboardShare.user_id == self.principal.user_id)
        return query.where(
            or_(Dashboard.owner_id == self.principal.user_id, Dashboard.everyone.is_(True), Dashboard.id.in_(shared))
        )

    def find_for_update(self, ident: int) -> Dashboard:
        """The dashboard, locked until the transaction ends (PostgreSQL; SQLite's writer lock suffices)."""
        query = self._select().where(Dashboard.id == ident)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=Dashboard)
        row: Dashboard | None = self.session.scalars(query).first()
        if row is None:
            raise NotFoundError("appdb.not_found.dashboard", id=ident)
        return row

    def list(self, *, limit: int, offset: int = 0, owned: bool = False) -> list[Dashboard]:
        query = self._select().order_by(Dashboard.updated_at.desc(), Dashboard.id.desc()).limit(limit).offset(offset)
        if owned:
            query = query.where(Dashboard.owner_id == self.principal.user_id)
        return list(self.session.scalars(query))


def _check_text(name: str | None, description: str | None, problems: Problems) -> None:
    if name is not None and not (1 <= len(name.strip()) <= MAX_NAME):
        problems.add("dashboards.bad_name", max=MAX_NAME)
    if description is not None and len(description) > MAX_DESCRIPTION:
        problems.add("dashboards.description_too_long", max=MAX_DESCRIPTION)


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


class CreateDashboardCommand(Command[DashboardInfo]):
    """Save a new dashboard owned by the caller (``metrics:export``)."""

    def __init__(self, db: AppDB, principal: Principal, draft: DashboardDraft) -> None:
        super().__init__(db, principal)
        self.draft = draft

    def check_permission(self) -> None:
        self.principal.require(*DASHBOARD_WRITE)
        if self.principal.user_id is None:
            raise PermissionDenied("dashboards.needs_user", user=self.principal.name)

    def validate(self, session: Session, problems: Problems) -> None:
        _check_text(self.draft.name, self.draft.description, problems)

    def execute(self, session: Session) -> DashboardInfo:
        now = utcnow()
        row = Dashboard(
            owner_id=self.principal.user_id, name=self.draft.name.strip(), description=_clean(self.draft.description),
            layout=jsonable(list(self.draft.layout)), filters=jsonable(dict(self.draft.filters)), everyone=False,
            template=self.draft.template, version=1, created_at=now, updated_at=now,
        )  # fmt: skip
        DashboardDAO(session, self.principal).add(row, name=row.name)
        self.audit(
            session,
            "dashboard.create",
            target_type="dashboard",
            target_id=row.id,
            detail={"name": row.name, "tiles": len(row.layout), "template": row.template},
        )
        session.flush()
        session.refresh(row)
        return DashboardInfo.of(row, self.principal)


class _Change(Command[DashboardInfo]):
    """A change to one stored dashboard the caller can see."""

    needs: tuple[str, ...] = ("owner", "admin", "edit")
    refusal = "dashboards.read_only"

    def __init__(self, db: AppDB, principal: Principal, dashboard_id: int) -> None:
        super().__init__(db, principal)
        self.dashboard_id = dashboard_id
        self.row: Dashboard

    def validate(self, session: Session, problems: Problems) -> None:
        self.row = DashboardDAO(session, self.principal).find_for_update(self.dashboard_id)
        access = dashboard_access(self.row, self.principal)
        if access not in self.needs:
            raise PermissionDenied(self.refusal, id=self.dashboard_id, access=access or "none")


class UpdateDashboardCommand(_Change):
    """Edit name, description, tiles or default filters of version ``version`` (owner, admin, edit share)."""

    def __init__(
        self,
        db: AppDB,
        principal: Principal,
        dashboard_id: int,
        *,
        version: int,
        name: str | None = None,
        description: str | None = None,
        layout: list[Any] | None = None,
        filters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(db, principal, dashboard_id)
        self.version = version
        self.changes: dict[str, Any] = {
            k: v
            for k, v in {"name": name, "description": description, "layout": layout, "filters": filters}.items()
            if v is not None
        }

    def check_permission(self) -> None:
        self.principal.require(*DASHBOARD_WRITE)

    def validate(self, session: Session, problems: Problems) -> None:
        super().validate(session, problems)
        if self.row.version != self.version:
            raise ConflictError(
                "dashboards.stale_version", id=self.dashboard_id, version=self.version, current=self.row.version
            )
        _check_text(self.changes.get("name"), self.changes.get("description"), problems)

    def execute(self, session: Session) -> DashboardInfo:
        row = self.row
        if "name" in self.changes:
            row.name = self.changes["name"].strip()
        if "description" in self.changes:
            row.description = _clean(self.changes["description"])
        if "layout" in self.changes:
            row.layout = jsonable(list(self.changes["layout"]))
        if "filters" in self.changes:
            row.filters = jsonable(dict(self.changes["filters"]))
        row.version = self.version + 1
        row.updated_at = utcnow()
        self.audit(
            session,
            "dashboard.update",
            target_type="dashboard",
            target_id=row.id,
            detail={"changed": sorted(self.changes), "version": row.version, "tiles": len(row.layout)},
        )
        session.flush()
        return DashboardInfo.of(row, self.principal)


class ShareDashboardCommand(_Change):
    """Set who else sees the dashboard: everyone (view) and/or single users (view or edit).

    The given user list replaces the stored one (owner and admins only).
    """

    needs = ("owner", "admin")
    refusal = "dashboards.owner_only"

    def __init__(
        self,
        db: AppDB,
        principal: Principal,
        dashboard_id: int,
        *,
        everyone: bool,
        users: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(db, principal, dashboard_id)
        self.everyone = everyone
        self.users = [(u.strip().lower(), a) for u, a in users]
        self.resolved: dict[int, tuple[str, str]] = {}

    def check_permission(self) -> None:
        self.principal.require(Capability.METRICS, Action.READ)

    def validate(self, session: Session, problems: Problems) -> None:
        super().validate(session, problems)
        if len(self.users) > MAX_SHARES:
            problems.add("dashboards.too_many_shares", max=MAX_SHARES)
            return
        seen: set[str] = set()
        users = UserDAO(session, self.principal)
        for username, access in self.users:
            if access not in DASHBOARD_ACCESS:
                problems.add("dashboards.bad_access", access=access, known=", ".join(DASHBOARD_ACCESS))
            if username in seen:
                problems.add("dashboards.share_twice", username=username)
            seen.add(username)
            user = users.find_for_auth(username)
            if user is None or not user.active:
                problems.add("dashboards.share_unknown_user", username=username)
            elif user.id == self.row.owner_id:
                problems.add("dashboards.share_owner", username=username)
            else:
                self.resolved[user.id] = (username, access)

    def execute(self, session: Session) -> DashboardInfo:
        row = self.row
        row.everyone = self.everyone
        row.shares.clear()
        session.flush()
        for user_id, (_, access) in sorted(self.resolved.items()):
            row.shares.append(DashboardShare(dashboard_id=row.id, user_id=user_id, access=access))
        self.audit(
            session,
            "dashboard.share",
            target_type="dashboard",
            target_id=row.id,
            detail={"everyone": self.everyone, "users": dict(sorted(self.resolved.values()))},
        )
        session.flush()
        session.refresh(row)
        return DashboardInfo.of(row, self.principal)


class DeleteDashboardCommand(_Change):
    """Delete a dashboard and its shares (owner and admins only); the audit row keeps its name."""

    needs = ("owner", "admin")
    refusal = "dashboards.owner_only"

    def check_permission(self) -> None:
        self.principal.require(Capability.METRICS, Action.READ)

    def execute(self, session: Session) -> DashboardInfo:
        info = DashboardInfo.of(self.row, self.principal)
        self.audit(
            session,
            "dashboard.delete",
            target_type="dashboard",
            target_id=self.row.id,
            detail={"name": self.row.name, "owner": info.owner, "version": self.row.version},
        )
        session.delete(self.row)
        session.flush()
        return info


def list_dashboards(
    db: AppDB, principal: Principal, *, limit: int = 50, offset: int = 0, owned: bool = False
) -> list[DashboardInfo]:
    """Dashboards the caller may read, most recently changed first (``metrics:read``)."""
    principal.require(Capability.METRICS, Action.READ)
    with db.read() as session:
        rows = DashboardDAO(session, principal).list(limit=limit, offset=offset, owned=owned)
        return [DashboardInfo.of(r, principal) for r in rows]


def get_dashboard(db: AppDB, principal: Principal, dashboard_id: int) -> DashboardInfo:
    """One dashboard with its tiles (``metrics:read`` and sight of it, else 404)."""
    principal.require(Capability.METRICS, Action.READ)
    with db.read() as session:
        return DashboardInfo.of(DashboardDAO(session, principal).find_by_id(dashboard_id), principal)
