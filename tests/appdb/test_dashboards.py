"""Dashboards in app state, on SQLite and PostgreSQL: two users for every ownership and sharing rule,
optimistic concurrency by version, and an audit row for every create, update, share and delete."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from zhongtai.appdb import AppDB, CreateUserCommand, InvalidInput
from zhongtai.appdb.commands.auth import principal_of
from zhongtai.appdb.dao import UserDAO
from zhongtai.appdb.dashboards import (
    CreateDashboardCommand,
    DashboardDraft,
    DashboardInfo,
    DeleteDashboardCommand,
    ShareDashboardCommand,
    UpdateDashboardCommand,
    get_dashboard,
    list_dashboards,
)
from zhongtai.appdb.models import AuditEvent, DashboardShare
from zhongtai.errors import ConflictError, NotFoundError, PermissionDenied
from zhongtai.policy import Principal
from zhongtai.policy.roles import Role

LAYOUT = [{"visual": "kpi", "query": {"metrics": ["gmv"]}, "position": {"x": 0, "y": 0, "w": 3, "h": 2}}]


@dataclass
class People:
    admin: Principal
    ana: Principal  # analyst: may build dashboards
    opa: Principal  # operator: may build dashboards
    vic: Principal  # viewer: may only read what is shared


@pytest.fixture
def people(db: AppDB, owner: Principal) -> People:
    made = {}
    for name, role in (("ana", Role.ANALYST), ("opa", Role.OPERATOR), ("vic", Role.VIEWER)):
        CreateUserCommand(db, owner, name, role, password="correct horse battery 1").run()
        with db.read() as session:
            made[name] = principal_of(UserDAO(session, owner).find_by_username(name), via="test")
    return People(owner, made["ana"], made["opa"], made["vic"])


def create(db: AppDB, who: Principal, name: str = "双11 作战室") -> DashboardInfo:
    draft = DashboardDraft(name, LAYOUT, {"period": "7d", "filters": []}, "大促看板")
    return CreateDashboardCommand(db, who, draft).run()


def test_the_owner_creates_reads_and_edits_and_another_user_sees_nothing(db: AppDB, people: People) -> None:
    made = create(db, people.ana)
    assert (made.owner, made.version, made.access, made.layout) == ("ana", 1, "owner", LAYOUT)
    assert made.filters == {"period": "7d", "filters": []}
    assert [d.id for d in list_dashboards(db, people.ana)] == [made.id]
    assert list_dashboards(db, people.opa) == []
    with pytest.raises(NotFoundError) as caught:
        get_dashboard(db, people.opa, made.id)
    assert caught.value.code == "appdb.not_found.dashboard"
    with pytest.raises(NotFoundError):
        UpdateDashboardCommand(db, people.opa, made.id, version=1, name="mine now").run()
    with pytest.raises(NotFoundError):
        DeleteDashboardCommand(db, people.opa, made.id).run()
    edited = UpdateDashboardCommand(db, people.ana, made.id, version=1, name="  双12 作战室 ").run()
    assert (edited.name, edited.version, edited.layout) == ("双12 作战室", 2, LAYOUT)
    assert edited.updated_at >= made.updated_at


def test_a_view_share_reads_but_cannot_edit_share_or_delete(db: AppDB, people: People) -> None:
    made = create(db, people.ana)
    shared = ShareDashboardCommand(db, people.ana, made.id, everyone=False, users=[("opa", "view")]).run()
    assert [(s.username, s.access) for s in shared.shares] == [("opa", "view")]
    assert shared.version == 1  # sharing is not a content edit
    seen = get_dashboard(db, people.opa, made.id)
    assert (seen.access, seen.shares) == ("view", ())  # who else has access is the owner's to know
    assert [d.id for d in list_dashboards(db, people.opa)] == [made.id]
    with pytest.raises(PermissionDenied) as caught:
        UpdateDashboardCommand(db, people.opa, made.id, version=1, name="x").run()
    assert (caught.value.code, caught.value.params["access"]) == ("dashboards.read_only", "view")
    for attempt in (
        lambda: ShareDashboardCommand(db, people.opa, made.id, everyone=True).run(),
        lambda: DeleteDashboardCommand(db, people.opa, made.id).run(),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.code == "dashboards.owner_only"
    assert get_dashboard(db, people.ana, made.id).name == made.name


def test_an_edit_share_edits_and_a_stale_version_is_a_conflict(db: AppDB, people: People) -> None:
    made = create(db, people.ana)
    ShareDashboardCommand(db, people.ana, made.id, everyone=False, users=[("opa", "edit")]).run()
    by_opa = UpdateDashboardCommand(db, people.opa, made.id, version=1, layout=LAYOUT * 2).run()
    assert (by_opa.version, by_opa.access, len(by_opa.layout)) == (2, "edit", 2)
    with pytest.raises(ConflictError) as caught:
        UpdateDashboardCommand(db, people.ana, made.id, version=1, name="overwrites opa?").run()
    assert caught.value.code == "dashboards.stale_version"
    assert caught.value.params == {"id": made.id, "version": 1, "current": 2}
    assert caught.value.status == 409
    assert "version 1" in caught.value.message("en")
    assert "第 1 版" in caught.value.message("zh_CN")
    again = UpdateDashboardCommand(db, people.ana, made.id, version=2, name="重新命名").run()
    assert (again.version, again.name, len(again.layout)) == (3, "重新命名", 2)


def test_everyone_share_lets_a_viewer_read_but_a_viewer_may_not_build(db: AppDB, people: People) -> None:
    made = create(db, people.opa)
    assert list_dashboards(db, people.vic) == []
    ShareDashboardCommand(db, people.opa, made.id, everyone=True).run()
    assert get_dashboard(db, people.vic, made.id).access == "view"
    with pytest.raises(PermissionDenied) as caught:
        create(db, people.vic)
    assert (caught.value.code, caught.value.params["permission"]) == ("policy.denied", "metrics:export")
    ShareDashboardCommand(db, people.opa, made.id, everyone=True, users=[("vic", "edit")]).run()
    with pytest.raises(PermissionDenied) as still:  # an edit share does not give a viewer the right to edit
        UpdateDashboardCommand(db, people.vic, made.id, version=1, name="x").run()
    assert still.value.params["permission"] == "metrics:export"
    ShareDashboardCommand(db, people.opa, made.id, everyone=False).run()
    with pytest.raises(NotFoundError):
        get_dashboard(db, people.vic, made.id)
    with db.read() as session:
        assert session.scalars(select(DashboardShare)).all() == []


def test_an_admin_sees_edits_and_deletes_anyones_dashboard(db: AppDB, people: People) -> None:
    made = create(db, people.ana)
    assert get_dashboard(db, people.admin, made.id).access == "admin"
    assert UpdateDashboardCommand(db, people.admin, made.id, version=1, description="复盘用").run().version == 2
    gone = DeleteDashboardCommand(db, people.admin, made.id).run()
    assert gone.name == made.name
    with pytest.raises(NotFoundError):
        get_dashboard(db, people.ana, made.id)
    mine = create(db, people.opa)
    DeleteDashboardCommand(db, people.opa, mine.id).run()
    assert list_dashboards(db, people.admin) == []


def test_bad_input_is_refused_with_every_problem_and_nothing_changes(db: AppDB, people: People) -> None:
    with pytest.raises(InvalidInput) as caught:
        CreateDashboardCommand(db, people.ana, DashboardDraft("   ", LAYOUT, description="x" * 2001)).run()
    assert [p.code for p in caught.value.problems] == ["dashboards.bad_name", "dashboards.description_too_long"]
    made = create(db, people.ana)
    with pytest.raises(InvalidInput) as bad_share:
        ShareDashboardCommand(
            db, people.ana, made.id, everyone=True,
            users=[("nobody", "view"), ("ana", "view"), ("opa", "own"), ("opa", "edit")],
        ).run()  # fmt: skip
    assert [(p.code, p.params) for p in bad_share.value.problems] == [
        ("dashboards.share_unknown_user", {"username": "nobody"}),
        ("dashboards.share_owner", {"username": "ana"}),
        ("dashboards.bad_access", {"access": "own", "known": "view, edit"}),
        ("dashboards.share_twice", {"username": "opa"}),
    ]
    assert get_dashboard(db, people.ana, made.id).everyone is False


def test_every_change_is_in_the_audit_log(db: AppDB, people: People) -> None:
    made = create(db, people.ana)
    UpdateDashboardCommand(db, people.ana, made.id, version=1, layout=[]).run()
    ShareDashboardCommand(db, people.ana, made.id, everyone=True, users=[("opa", "edit")]).run()
    DeleteDashboardCommand(db, people.admin, made.id).run()
    with db.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.target_type == "dashboard").order_by(AuditEvent.seq)
        ).all()
        steps = [(r.action, r.actor_name, r.target_id) for r in rows]
        details = [dict(r.detail) for r in rows]
    assert steps == [
        ("dashboard.create", "ana", str(made.id)),
        ("dashboard.update", "ana", str(made.id)),
        ("dashboard.share", "ana", str(made.id)),
        ("dashboard.delete", people.admin.name, str(made.id)),
    ]
    assert details[0] == {"name": "双11 作战室", "tiles": 1, "template": None}
    assert details[1] == {"changed": ["layout"], "version": 2, "tiles": 0}
    assert details[2] == {"everyone": True, "users": {"opa": "edit"}}
    assert details[3] == {"name": "双11 作战室", "owner": "ana", "version": 2}


def test_two_editors_of_the_same_version_one_wins_one_gets_a_conflict(db: AppDB, people: People) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    made = create(db, people.ana)
    ShareDashboardCommand(db, people.ana, made.id, everyone=False, users=[("opa", "edit")]).run()
    start = Barrier(2)

    def edit(who: Principal) -> str:
        start.wait()
        try:
            UpdateDashboardCommand(db, who, made.id, version=1, name=f"by {who.name}").run()
        except ConflictError as conflict:
            return conflict.code
        return "saved"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(edit, [people.ana, people.opa]))
    assert outcomes == ["dashboards.stale_version", "saved"]
    final = get_dashboard(db, people.ana, made.id)
    assert final.version == 2
    assert final.name in ("by ana", "by opa")
