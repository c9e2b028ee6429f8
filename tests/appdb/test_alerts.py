"""Alerts in app state, on SQLite and PostgreSQL: opened once per anomaly, widened on re-detection,
acknowledged and resolved with who/when, hidden from and refused to roles without metrics rights."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from zhongtai.appdb import AppDB, CreateUserCommand
from zhongtai.appdb.alerts import (
    AlertDraft,
    acknowledge_alert,
    get_alert,
    list_alerts,
    record_alerts,
    resolve_alert,
)
from zhongtai.appdb.models import AuditEvent
from zhongtai.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from zhongtai.policy import Principal
from zhongtai.policy.roles import Role


def draft(**changes: object) -> AlertDraft:
    values: dict[str, object] = {
        "kind": "data_arrival",
        "metric": "arrival.events",
        "dimensions": {"channel": "tmall"},
        "grain": "day",
        "period_start": date(2025, 7, 17),
        "period_end": date(2025, 7, 20),
        "direction": "down",
        "peak_z": -49.0,
        "peak_value": 0.0,
        "expected_value": 1.0,
        "cause": "collection_delayed",
        "lineage": {"loads": [{"load_id": 13, "file_name": "events.parquet", "started_at": date(2025, 7, 23)}]},
        "params": {"threshold": 4.5},
    }
    values.update(changes)
    return AlertDraft(**values)  # type: ignore[arg-type]


def viewer(db: AppDB, owner: Principal) -> Principal:
    from zhongtai.appdb.commands.auth import principal_of
    from zhongtai.appdb.dao import UserDAO

    CreateUserCommand(db, owner, "vera", Role.VIEWER, password="correct horse battery 1").run()
    with db.read() as session:
        return principal_of(UserDAO(session, owner).find_by_username("vera"), via="test")


def test_detection_opens_one_alert_per_anomaly_and_widens_it_when_seen_again(db: AppDB, owner: Principal) -> None:
    opened, updated = record_alerts(db, owner, [draft()], job_run_id=7)
    assert len(opened) == 1
    assert updated == []
    again, widened = record_alerts(db, owner, [draft(period_end=date(2025, 7, 22), peak_z=-50.0)])
    assert again == []
    assert widened == opened
    same, nothing = record_alerts(db, owner, [draft(period_end=date(2025, 7, 21))])
    assert same == []
    assert nothing == []
    alert = get_alert(db, owner, opened[0])
    assert (alert.period_start, alert.period_end, alert.peak_z) == (date(2025, 7, 17), date(2025, 7, 22), -50.0)
    assert alert.status == "open"
    assert alert.job_run_id == 7
    assert [e.action for e in alert.events] == ["opened", "updated"]
    assert alert.lineage["loads"][0]["started_at"] == "2025-07-23"  # stored as JSON text
    assert alert.dimensions == {"channel": "tmall"}


def test_acknowledge_then_resolve_records_who_and_when(db: AppDB, owner: Principal) -> None:
    (alert_id,), _ = record_alerts(db, owner, [draft()])
    acked = acknowledge_alert(db, owner, alert_id, note="looking at the tmall collector")
    assert acked.status == "acknowledged"
    assert acked.acknowledged_by == owner.name
    assert acked.acknowledged_at is not None
    resolved = resolve_alert(db, owner, alert_id, note="collector restarted; data complete")
    assert resolved.status == "resolved"
    assert resolved.resolved_by == owner.name
    assert [(e.action, e.note) for e in resolved.events] == [
        ("opened", None),
        ("acknowledged", "looking at the tmall collector"),
        ("resolved", "collector restarted; data complete"),
    ]
    with pytest.raises(ConflictError) as twice:
        acknowledge_alert(db, owner, alert_id)
    assert twice.value.code == "alerts.bad_transition"
    # a resolved anomaly seen again stays resolved
    assert record_alerts(db, owner, [draft(period_end=date(2025, 7, 25), peak_z=-60.0)]) == ([], [])
    with db.read() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.startswith("alerts.")).order_by(AuditEvent.seq)
        ).all()
    assert actions == ["alerts.detect", "alerts.acknowledged", "alerts.resolved"]


def test_listing_filters_by_status_and_metric(db: AppDB, owner: Principal) -> None:
    record_alerts(db, owner, [draft(), draft(kind="metric", metric="gmv", period_start=date(2025, 8, 1))])
    assert [a.metric for a in list_alerts(db, owner)] == ["gmv", "arrival.events"]  # newest period first
    assert [a.metric for a in list_alerts(db, owner, metric="gmv")] == ["gmv"]
    assert list_alerts(db, owner, status="resolved") == []
    with pytest.raises(InputError):
        list_alerts(db, owner, status="closed")


def test_a_viewer_reads_alerts_but_may_not_change_them(db: AppDB, owner: Principal) -> None:
    (alert_id,), _ = record_alerts(db, owner, [draft()])
    vera = viewer(db, owner)
    assert [a.id for a in list_alerts(db, vera)] == [alert_id]
    with pytest.raises(PermissionDenied):
        acknowledge_alert(db, vera, alert_id)
    with pytest.raises(PermissionDenied):
        record_alerts(db, vera, [draft(period_start=date(2025, 9, 1))])
    with pytest.raises(NotFoundError) as missing:
        get_alert(db, owner, 999)
    assert missing.value.code == "appdb.not_found.alert"
