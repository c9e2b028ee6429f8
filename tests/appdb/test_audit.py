"""The audit log: one row per write, append-only in the database, hash-chained so tampering shows."""

from __future__ import annotations

import csv
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from zhongtai.appdb import (
    AppDB,
    AuditDAO,
    CreateUserCommand,
    SetRoleCommand,
    authenticate_password,
    export_audit,
    list_audit,
    verify_audit,
)
from zhongtai.appdb.chain import event_hash
from zhongtai.errors import PermissionDenied
from zhongtai.policy import Disclosure, Principal, Purpose, Role
from zhongtai.warehouse.schema import PiiClass

GOOD = "correct horse battery staple"


def _history(db: AppDB, owner: Principal, n: int = 3) -> None:
    for i in range(n):
        CreateUserCommand(db, owner, f"user{i}", Role.VIEWER, password=GOOD).run()


def test_each_command_appends_exactly_one_row_naming_actor_and_action(db: AppDB, owner: Principal) -> None:
    CreateUserCommand(db, owner, "alice", Role.ANALYST, password=GOOD).run()
    SetRoleCommand(db, owner, "alice", Role.BRAND).run()
    entries = list_audit(db, owner)
    assert [(e.seq, e.action) for e in entries] == [(3, "user.set_role"), (2, "user.create"), (1, "user.create")]
    latest = entries[0]
    assert (latest.actor_name, latest.actor_role, latest.via) == ("admin", "admin", "cli:owner")
    assert latest.detail == {"username": "alice", "from": "analyst", "to": "brand"}
    assert entries[-1].actor_name == "system"
    assert entries[-1].prev_hash == "0" * 64
    assert latest.prev_hash == entries[1].hash
    result = verify_audit(db, owner)
    assert result.ok
    assert result.rows == 3
    assert result.anchor == f"3:{latest.hash}"


def test_the_database_refuses_updates_and_deletes_of_audit_rows(db: AppDB, owner: Principal) -> None:
    _history(db, owner, 1)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert verify_audit(db, owner).ok


def test_editing_a_row_is_detected_at_that_row(db: AppDB, owner: Principal, request: pytest.FixtureRequest) -> None:
    _history(db, owner)
    request.getfixturevalue("unguard")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2"))
    result = verify_audit(db, owner)
    assert not result.ok
    assert [(p.seq, p.code) for p in result.problems] == [(2, "hash_mismatch")]


def test_removing_a_row_is_detected_where_the_chain_breaks(
    db: AppDB, owner: Principal, request: pytest.FixtureRequest
) -> None:
    _history(db, owner)
    request.getfixturevalue("unguard")
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    codes = {(p.seq, p.code) for p in verify_audit(db, owner).problems}
    assert codes == {(3, "gap"), (3, "prev_mismatch")}


def test_a_forged_row_with_a_correct_own_hash_still_breaks_the_next_link(
    db: AppDB, owner: Principal, request: pytest.FixtureRequest
) -> None:
    _history(db, owner)
    request.getfixturevalue("unguard")
    with db.engine.begin() as connection:
        row = dict(connection.execute(text("SELECT * FROM audit_log WHERE seq = 2")).mappings().one())
        row["detail"] = json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]
        row["detail"]["role"] = "admin"
        if isinstance(row["at"], str):  # SQLite hands back the stored text
            row["at"] = datetime.fromisoformat(row["at"])
        row["at"] = row["at"] if row["at"].tzinfo else row["at"].replace(tzinfo=UTC)
        forged = event_hash(row)
        connection.execute(
            text("UPDATE audit_log SET detail = :d, hash = :h WHERE seq = 2"),
            {"d": json.dumps(row["detail"]), "h": forged},
        )
    problems = [(p.seq, p.code) for p in verify_audit(db, owner).problems]
    assert problems == [(3, "prev_mismatch")]


def test_cutting_the_tail_and_rewinding_the_head_is_caught_by_an_anchor(
    db: AppDB, owner: Principal, request: pytest.FixtureRequest
) -> None:
    _history(db, owner)
    anchor = verify_audit(db, owner).anchor
    request.getfixturevalue("unguard")
    with db.engine.begin() as connection:
        previous = connection.execute(text("SELECT hash FROM audit_log WHERE seq = 3")).scalar_one()
        connection.execute(text("DELETE FROM audit_log WHERE seq = 4"))
        connection.execute(text("UPDATE audit_head SET last_seq = 3, last_hash = :h"), {"h": previous})
    assert verify_audit(db, owner).ok  # the chain alone is consistent again...
    seq, digest = anchor.split(":")
    broken = verify_audit(db, owner, anchors={int(seq): digest})  # ...but not with the anchor kept elsewhere
    assert [(p.seq, p.code) for p in broken.problems] == [(4, "anchor_mismatch")]


def test_cutting_the_tail_without_the_head_is_detected(
    db: AppDB, owner: Principal, request: pytest.FixtureRequest
) -> None:
    _history(db, owner)
    request.getfixturevalue("unguard")
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    assert [(p.seq, p.code) for p in verify_audit(db, owner).problems] == [(4, "head_mismatch")]


def test_concurrent_writers_never_fork_the_chain(db: AppDB, owner: Principal) -> None:
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(10):
                with db.write() as session:
                    AuditDAO(session, owner).append("test.concurrent", target_id=f"{worker}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify_audit(db, owner)
    assert result.ok
    assert result.rows == 41
    assert result.head_seq == 41


def test_pii_disclosures_are_recorded_without_values(db: AppDB, owner: Principal) -> None:
    db.record_disclosure(
        owner,
        Disclosure(
            Purpose.EXPORT,
            "warehouse:customers",
            ("phone", "name"),
            (PiiClass.CONTACT, PiiClass.IDENTITY),
            12,
            reason="DSR #42",
            target="out.csv",
        ),
    )
    entry = list_audit(db, owner, limit=1)[0]
    assert (entry.action, entry.target_id, entry.reason) == ("pii.export", "warehouse:customers", "DSR #42")
    assert entry.detail == {
        "purpose": "export",
        "what": "warehouse:customers",
        "columns": ["phone", "name"],
        "classes": ["contact", "identity"],
        "rows": 12,
        "target": "out.csv",
    }


def test_without_audit_read_one_sees_only_ones_own_entries_and_cannot_verify(db: AppDB, owner: Principal) -> None:
    CreateUserCommand(db, owner, "vic", Role.VIEWER, password=GOOD).run()
    viewer = authenticate_password(db, "vic", GOOD)
    assert [e.action for e in list_audit(db, viewer)] == ["auth.login"]
    with pytest.raises(PermissionDenied):
        verify_audit(db, viewer)
    CreateUserCommand(db, owner, "rita", Role.RISK, password=GOOD).run()
    risk = authenticate_password(db, "rita", GOOD)
    assert len(list_audit(db, risk)) == 5
    assert verify_audit(db, risk).ok


def test_export_writes_every_row_and_is_itself_audited_first(db: AppDB, owner: Principal, tmp_path: Path) -> None:
    _history(db, owner, 2)
    jsonl = tmp_path / "audit.jsonl"
    assert export_audit(db, owner, jsonl, reason="quarterly review") == 4
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["action"] for r in rows][-1] == "audit.export"
    assert rows[-1]["reason"] == "quarterly review"
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    table = tmp_path / "audit.csv"
    assert export_audit(db, owner, table) == 5
    with table.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert records[0]["prev_hash"] == "0" * 64
    assert records[-1]["target_id"] == "audit.csv"
    CreateUserCommand(db, owner, "ann", Role.ANALYST, password=GOOD).run()
    with pytest.raises(PermissionDenied):
        export_audit(db, authenticate_password(db, "ann", GOOD), tmp_path / "no.csv")
    assert not (tmp_path / "no.csv").exists()
