"""App-state tables: users, API tokens and the hash-chained audit log.

Migrations in :mod:`zhongtai.appdb.migrations` create exactly these tables (a test compares them);
only the DAOs in :mod:`zhongtai.appdb.dao` query them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zhongtai.appdb.types import Base, SealedText, UTCDateTime, utcnow
from zhongtai.policy.roles import Role

__all__ = [
    "ALERT_STATUSES",
    "DASHBOARD_ACCESS",
    "GENESIS_HASH",
    "Alert",
    "AlertEvent",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Dashboard",
    "DashboardShare",
    "User",
]

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first audit event."""


class User(Base):
    """A person who signs in. Never deleted (audit rows refer to them); disabled instead."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(column("role").in_([r.value for r in Role]), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(SealedText("users.display_name"))
    role: Mapped[str] = mapped_column(String(32))
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", foreign_keys="ApiToken.user_id", order_by="ApiToken.id"
    )

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class ApiToken(Base):
    """An API token: shown once, stored as a SHA-256 of its secret, scoped, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens", foreign_keys=[user_id])


class AuditEvent(Base):
    """One audit entry. Append-only (database triggers refuse UPDATE and DELETE); each row's
    ``hash`` covers its content and the previous row's hash, so any edit breaks the chain."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_actor_at", "actor_id", "at"), Index("ix_audit_log_action", "action"))

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The last sequence number and hash of the chain, one row; appends lock it to stay in order."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


ALERT_STATUSES = ("open", "acknowledged", "resolved")
"""An alert's life: opened by detection, acknowledged by a person, resolved by a person."""


class Alert(Base):
    """An anomaly found on a metric series (or on data arrival) for one dimension value.

    ``fingerprint`` identifies what is anomalous (kind, metric, dimension values, first period),
    so running detection again extends an open alert instead of opening a duplicate. ``lineage``
    holds the trace from the metric to the loads that fed the period (see
    :mod:`zhongtai.metrics.lineage`), ``cause`` its verdict.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(column("status").in_(ALERT_STATUSES), name="status"),
        Index("ix_alerts_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    metric: Mapped[str] = mapped_column(String(128), index=True)
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    grain: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(8))
    peak_z: Mapped[float] = mapped_column(Float)
    peak_value: Mapped[float | None] = mapped_column(Float)
    expected_value: Mapped[float | None] = mapped_column(Float)
    cause: Mapped[str] = mapped_column(String(32))
    lineage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")
    job_run_id: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(64))

    events: Mapped[list[AlertEvent]] = relationship(back_populates="alert", order_by="AlertEvent.id")


class AlertEvent(Base):
    """One step of an alert's history: opened, updated, acknowledged, resolved (who, when, note)."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    alert: Mapped[Alert] = relationship(back_populates="events")


DASHBOARD_ACCESS = ("view", "edit")
"""What a dashboard shared with one user allows: reading it, or reading and editing it."""


class Dashboard(Base):
    """A dashboard a user built: a layout of metric tiles plus default filters.

    ``layout`` is the list of tiles and ``filters`` the default period and metric-layer filters,
    both as JSON validated by :mod:`zhongtai.metrics.boards` before they are stored (app state does
    not know the dictionary). ``everyone`` lets every user of the workspace read it; single users
    get view or edit rights through :class:`DashboardShare`. ``version`` counts content edits: an
    update names the version it edits, so a stale editor gets a conflict instead of overwriting.
    """

    __tablename__ = "dashboards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    layout: Mapped[list[Any]] = mapped_column(JSON, default=list)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    everyone: Mapped[bool] = mapped_column(Boolean, default=False)
    template: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    shares: Mapped[list[DashboardShare]] = relationship(
        back_populates="dashboard", cascade="all, delete-orphan", order_by="DashboardShare.user_id"
    )


class DashboardShare(Base):
    """One user's right on a dashboard someone else owns: ``view`` or ``edit``."""

    __tablename__ = "dashboard_shares"
    __table_args__ = (CheckConstraint(column("access").in_(DASHBOARD_ACCESS), name="access"),)

    dashboard_id: Mapped[int] = mapped_column(ForeignKey("dashboards.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    access: Mapped[str] = mapped_column(String(8))

    dashboard: Mapped[Dashboard] = relationship(back_populates="shares")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
