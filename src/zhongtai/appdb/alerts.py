"""Anomaly alerts in app state: the DAO, the lifecycle commands and frozen read views.

An alert is opened by detection (``metrics:write``), read by anyone with ``metrics:read``, and
acknowledged or resolved by a person with ``metrics:write``; every step is an
:class:`~zhongtai.appdb.models.AlertEvent` (who, when, note) and an audit-log row in the same
transaction. Re-running detection on the same anomaly (same fingerprint) widens an open alert's
period instead of opening a second one; a resolved alert stays resolved.

This module imports nothing above app state: detection hands in plain :class:`AlertDraft` values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, false

from zhongtai.appdb.dao import AuditDAO, BaseDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import ALERT_STATUSES, Alert, AlertEvent
from zhongtai.appdb.types import utcnow
from zhongtai.errors import ConflictError, InputError
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability

__all__ = [
    "AlertDAO",
    "AlertDraft",
    "AlertEventInfo",
    "AlertInfo",
    "acknowledge_alert",
    "alert_fingerprint",
    "get_alert",
    "list_alerts",
    "record_alerts",
    "resolve_alert",
]


def alert_fingerprint(kind: str, metric: str, dimensions: dict[str, Any], period_start: date) -> str:
    """SHA-256 of what is anomalous: kind, metric, dimension values and first anomalous period."""
    text = json.dumps([kind, metric, sorted((k, str(v)) for k, v in dimensions.items()), period_start.isoformat()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """An anomaly episode as detection found it, before it is stored.

    ``period_end`` is exclusive. ``peak_z`` is the robust z of the worst point; ``cause`` is the
    lineage verdict (``collection_delayed``, ``no_data_issue_found`` …).
    """

    kind: str  # "metric" | "data_arrival"
    metric: str
    dimensions: dict[str, Any]
    grain: str
    period_start: date
    period_end: date
    direction: str
    peak_z: float
    peak_value: float | None
    expected_value: float | None
    cause: str
    lineage: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return alert_fingerprint(self.kind, self.metric, self.dimensions, self.period_start)


@dataclass(frozen=True, slots=True)
class AlertEventInfo:
    at: datetime
    action: str
    actor: str
    note: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "action": self.action, "actor": self.actor, "note": self.note, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class AlertInfo:
    """A stored alert with its history (oldest step first)."""

    id: int
    kind: str
    metric: str
    dimensions: dict[str, Any]
    grain: str
    period_start: date
    period_end: date
    direction: str
    peak_z: float
    peak_value: float | None
    expected_value: float | None
    cause: str
    status: str
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    lineage: dict[str, Any]
    params: dict[str, Any]
    job_run_id: int | None
    events: tuple[AlertEventInfo, ...] = ()

    @classmethod
    def of(cls, row: Alert, *, with_events: bool = True) -> AlertInfo:
        events = (
            tuple(AlertEventInfo(e.at, e.action, e.actor_name, e.note, dict(e.detail or {})) for e in row.events)
            if with_events
            else ()
        )
        return cls(
            row.id, row.kind, row.metric, dict(row.dimensions or {}), row.grain, row.period_start, row.period_end,
            row.direction, row.peak_z, row.peak_value, row.expected_value, row.cause, row.status, row.opened_at,
            row.acknowledged_at, row.acknowledged_by, row.resolved_at, row.resolved_by, dict(row.lineage or {}),
            dict(row.params or {}), row.job_run_id, events,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "metric": self.metric,
            "dimensions": self.dimensions,
            "grain": self.grain,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "direction": self.direction,
            "peak_z": self.peak_z,
            "peak_value": self.peak_value,
            "expected_value": self.expected_value,
            "cause": self.cause,
            "status": self.status,
            "opened_at": self.opened_at,
            "acknowledged_at": self.acknowledged_at,
            "acknowledged_by": self.acknowledged_by,
            "resolved_at": self.resolved_at,
            "resolved_by": self.resolved_by,
            "job_run_id": self.job_run_id,
            "params": self.params,
            "lineage": self.lineage,
            "events": [e.to_dict() for e in self.events],
        }


class AlertDAO(BaseDAO[Any]):
    """Alerts; the filter hides every alert from a principal without ``metrics:read``."""

    model = Alert
    kind = "alert"
    conflict = "alerts.conflict"

    def base_filter(self, query: Select[Any]) -> Select[Any]:
        if self.principal.can(Capability.METRICS, Action.READ):
            return query
        return query.where(false())

    def find_by_fingerprint(self, fingerprint: str) -> Alert | None:
        row: Alert | None = self.session.scalars(self._select().where(Alert.fingerprint == fingerprint)).first()
        return row

    def list(self, *, status: str | None = None, metric: str | None = None, limit: int = 50) -> list[Alert]:
        query = self._select().order_by(Alert.period_start.desc(), Alert.id.desc()).limit(limit)
        if status is not None:
            query = query.where(Alert.status == status)
        if metric is not None:
            query = query.where(Alert.metric == metric)
        return list(self.session.scalars(query))

    def add_event(
        self, alert: Alert, action: str, *, note: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        self.session.add(
            AlertEvent(
                alert_id=alert.id,
                at=utcnow(),
                action=action,
                actor_id=self.principal.user_id,
                actor_name=self.principal.name,
                note=note.strip() if note and note.strip() else None,
                detail=detail or {},
            )
        )


def record_alerts(
    db: AppDB, principal: Principal, drafts: list[AlertDraft], *, job_run_id: int | None = None
) -> tuple[list[int], list[int]]:
    """Store detection's findings in one transaction; returns (opened ids, updated ids).

    A draft whose fingerprint is stored already widens that alert's period and peak if it is not
    resolved (event ``updated``); otherwise it opens a new alert (event ``opened``).
    """
    principal.require(Capability.METRICS, Action.WRITE)
    opened: list[int] = []
    updated: list[int] = []
    with db.write() as session:
        dao = AlertDAO(session, principal)
        for draft in drafts:
            row = dao.find_by_fingerprint(draft.fingerprint)
            if row is None:
                row = dao.add(
                    Alert(
                        fingerprint=draft.fingerprint, kind=draft.kind, metric=draft.metric,
                        dimensions=_jsonable(draft.dimensions), grain=draft.grain, period_start=draft.period_start,
                        period_end=draft.period_end, direction=draft.direction, peak_z=float(draft.peak_z),
                        peak_value=draft.peak_value, expected_value=draft.expected_value, cause=draft.cause,
                        lineage=_jsonable(draft.lineage), params=_jsonable(draft.params), status="open",
                        job_run_id=job_run_id, opened_at=utcnow(),
                    ),
                    fingerprint=draft.fingerprint,
                )  # fmt: skip
                dao.add_event(row, "opened", detail={"peak_z": round(float(draft.peak_z), 3), "cause": draft.cause})
                opened.append(row.id)
                continue
            if row.status == "resolved" or (
                draft.period_end <= row.period_end and abs(draft.peak_z) <= abs(row.peak_z)
            ):
                continue
            row.period_end = max(row.period_end, draft.period_end)
            if abs(draft.peak_z) > abs(row.peak_z):
                row.peak_z, row.peak_value, row.expected_value = draft.peak_z, draft.peak_value, draft.expected_value
            row.cause, row.lineage = draft.cause, _jsonable(draft.lineage)
            dao.add_event(row, "updated", detail={"period_end": row.period_end.isoformat(), "peak_z": row.peak_z})
            updated.append(row.id)
        if opened or updated:
            AuditDAO(session, principal).append(
                "alerts.detect", target_type="alert", detail={"opened": opened, "updated": updated, "run": job_run_id}
            )
    return opened, updated


def _transition(
    db: AppDB, principal: Principal, alert_id: int, *, to: str, allowed_from: tuple[str, ...], note: str | None
) -> AlertInfo:
    principal.require(Capability.METRICS, Action.WRITE)
    with db.write() as session:
        dao = AlertDAO(session, principal)
        row: Alert = dao.find_by_id(alert_id)
        if row.status not in allowed_from:
            raise ConflictError("alerts.bad_transition", id=alert_id, status=row.status, action=to)
        now = utcnow()
        if to == "acknowledged":
            row.acknowledged_at, row.acknowledged_by = now, principal.name
        else:
            row.resolved_at, row.resolved_by = now, principal.name
        row.status = to
        dao.add_event(row, to, note=note)
        AuditDAO(session, principal).append(f"alerts.{to}", target_type="alert", target_id=alert_id, reason=note)
        session.flush()
        session.refresh(row)
        return AlertInfo.of(row)


def acknowledge_alert(db: AppDB, principal: Principal, alert_id: int, *, note: str | None = None) -> AlertInfo:
    """Mark an open alert as seen and being looked at (``metrics:write``)."""
    return _transition(db, principal, alert_id, to="acknowledged", allowed_from=("open",), note=note)


def resolve_alert(db: AppDB, principal: Principal, alert_id: int, *, note: str | None = None) -> AlertInfo:
    """Close an open or acknowledged alert, with an optional note on what it was (``metrics:write``)."""
    return _transition(db, principal, alert_id, to="resolved", allowed_from=("open", "acknowledged"), note=note)


def list_alerts(
    db: AppDB, principal: Principal, *, status: str | None = None, metric: str | None = None, limit: int = 50
) -> list[AlertInfo]:
    """Alerts newest period first (``metrics:read``); ``status`` one of open, acknowledged, resolved."""
    principal.require(Capability.METRICS, Action.READ)
    if status is not None and status not in ALERT_STATUSES:
        raise InputError("alerts.bad_status", status=status, known=", ".join(ALERT_STATUSES))
    with db.read() as session:
        return [AlertInfo.of(r, with_events=False) for r in AlertDAO(session, principal).list(
            status=status, metric=metric, limit=limit
        )]  # fmt: skip


def get_alert(db: AppDB, principal: Principal, alert_id: int) -> AlertInfo:
    """One alert with its history and lineage (``metrics:read``)."""
    principal.require(Capability.METRICS, Action.READ)
    with db.read() as session:
        row = AlertDAO(session, principal).find_by_id(alert_id)
        return AlertInfo.of(row)


def _jsonable(value: Any) -> Any:
    """Dates and numpy scalars as JSON-ready values (the JSON column stores plain types)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value
