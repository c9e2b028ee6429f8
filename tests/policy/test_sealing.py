"""Identity-class warehouse columns encrypted at rest, decrypted then masked on the way out."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
import yaml

from zhongtai.appdb import list_audit
from zhongtai.errors import PermissionDenied
from zhongtai.policy import (
    SYSTEM,
    Keyring,
    Principal,
    Role,
    generate_key,
    mask,
    query_warehouse,
    seal_for,
    seal_warehouse,
    sealed_columns,
    warehouse_key_usage,
)
from zhongtai.warehouse.ingest import ingest_file, load_mapping
from zhongtai.workspace import Workspace

K1, K2 = generate_key("k1"), generate_key("k2")
ANALYST = Principal(user_id=None, name="ana", role=Role.ANALYST)
OPERATOR = Principal(user_id=None, name="op", role=Role.OPERATOR)
CSV = "会员,姓名,昵称,手机\nc1,张三丰,三丰,13800138000\nc2,Alice Li,ali,13900139000\n"
MAPPING = {
    "name": "crm",
    "tables": {
        "customers": {
            "columns": {
                "customer_id": {"from": "会员"},
                "name": {"from": "姓名"},
                "nickname": {"from": "昵称"},
                "phone": {"from": "手机"},
            },
        }
    },
}


@pytest.fixture
def loaded(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Workspace, Path]:
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", K1)
    data = tmp_path / "crm.csv"
    data.write_text(CSV, encoding="utf-8")
    mapping = tmp_path / "crm.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    ingest_file(workspace, data, mapping=load_mapping(mapping), source="crm")
    return workspace, mapping


def _raw(ws: Workspace, column: str = "name") -> list[str]:
    return [r[0] for r in ws.warehouse.con.execute(f"SELECT {column} FROM customers ORDER BY customer_id").fetchall()]


def test_identity_text_columns_that_are_not_keys_are_the_sealed_ones() -> None:
    columns = sealed_columns()
    assert columns["customers"] == ("name", "nickname", "member_card")
    assert columns["orders"] == ("receiver_name",)
    assert "customer_id" not in {c for cols in columns.values() for c in cols}


def test_sealing_encrypts_names_and_leaves_keys_and_other_classes_alone(loaded: tuple[Workspace, Path]) -> None:
    ws, _ = loaded
    counts = seal_warehouse(ws.warehouse, Keyring.parse(K1))
    assert counts["customers.name"] == 2
    assert counts["customers.nickname"] == 2
    assert all(v.startswith("zt1:k1:") for v in _raw(ws))
    assert _raw(ws, "customer_id") == ["c1", "c2"]
    assert _raw(ws, "phone") == ["13800138000", "13900139000"]
    assert seal_warehouse(ws.warehouse, Keyring.parse(K1))["customers.name"] == 0
    assert warehouse_key_usage(ws.warehouse)["customers.name"] == {"k1": 2}


def test_principals_see_decrypted_then_masked_values(loaded: tuple[Workspace, Path]) -> None:
    ws, _ = loaded
    seal_warehouse(ws.warehouse, Keyring.parse(K1))
    tree = sqlglot.parse_one("SELECT customer_id, name FROM customers ORDER BY customer_id", read="duckdb")
    assert query_warehouse(ws.warehouse, tree, ANALYST, audit=ws.app).column("name").to_pylist() == ["张**", "A***"]
    assert query_warehouse(ws.warehouse, tree, OPERATOR, audit=ws.app).column("name").to_pylist() == [
        "张三丰",
        "Alice Li",
    ]
    frame = ws.warehouse.arrow(sqlglot.parse_one("SELECT name FROM customers ORDER BY customer_id"))
    assert mask(frame, OPERATOR, table="customers", audit=ws.app, what="t").column("name").to_pylist()[0] == "张三丰"
    pandas = frame.to_pandas()
    assert pandas["name"].iloc[0].startswith("zt1:")
    assert mask(pandas, OPERATOR, table="customers", audit=ws.app, what="t")["name"].tolist() == ["张三丰", "Alice Li"]
    assert mask(pandas, ANALYST, table="customers", audit=ws.app, what="t")["name"].tolist() == ["张**", "A***"]


def test_without_the_key_nothing_is_revealed(loaded: tuple[Workspace, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    ws, _ = loaded
    seal_warehouse(ws.warehouse, Keyring.parse(K1))
    monkeypatch.delenv("ZHONGTAI_ENCRYPTION_KEYS")
    tree = sqlglot.parse_one("SELECT name FROM customers", read="duckdb")
    for principal in (ANALYST, OPERATOR):
        for value in query_warehouse(ws.warehouse, tree, principal, audit=ws.app).column("name").to_pylist():
            assert "张" not in value
            assert "Alice" not in value


def test_rotation_reseals_with_the_new_primary_key(
    loaded: tuple[Workspace, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _ = loaded
    seal_warehouse(ws.warehouse, Keyring.parse(K1))
    assert seal_warehouse(ws.warehouse, Keyring.parse(f"{K2},{K1}"))["customers.name"] == 2
    assert all(v.startswith("zt1:k2:") for v in _raw(ws))
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", K2)
    tree = sqlglot.parse_one("SELECT name FROM customers ORDER BY customer_id", read="duckdb")
    assert query_warehouse(ws.warehouse, tree, OPERATOR, audit=ws.app).column("name").to_pylist()[0] == "张三丰"


def test_reloading_the_same_file_after_sealing_changes_nothing(loaded: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, mapping = loaded
    seal_warehouse(ws.warehouse, Keyring.parse(K1))
    sealed = _raw(ws)
    result = ingest_file(ws, tmp_path / "crm.csv", mapping=load_mapping(mapping), source="crm", force=True)
    assert result.record is not None
    counts = result.record.table_counts["customers"]
    assert (counts.updated, counts.unchanged) == (0, 2)
    assert _raw(ws) == sealed


def test_sealing_on_behalf_of_a_user_needs_key_rights_and_is_audited(loaded: tuple[Workspace, Path]) -> None:
    ws, _ = loaded
    with pytest.raises(PermissionDenied):
        seal_for(OPERATOR, ws.warehouse, Keyring.parse(K1), audit=ws.app)
    assert seal_for(SYSTEM, ws.warehouse, Keyring.parse(K1), audit=ws.app)["customers.name"] == 2
    (entry,) = list_audit(ws.app, SYSTEM, action="keys.seal")
    assert entry.detail == {"primary": "k1", "sealed": {"customers.name": 2, "customers.nickname": 2}}


def test_a_load_through_the_job_runner_is_sealed_by_the_installed_hook(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhongtai.jobs import run_job

    data = tmp_path / "crm.csv"
    data.write_text(CSV, encoding="utf-8")
    mapping = tmp_path / "crm.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    params = {"file": str(data), "source": "crm", "mapping": str(mapping)}
    monkeypatch.delenv("ZHONGTAI_ENCRYPTION_KEYS", raising=False)
    run = run_job(workspace, "ingest", params)
    seal = next(h for h in run.hooks if h["hook"] == "seal_identity")
    assert seal["status"] == "succeeded"
    assert _raw(workspace) == ["张三丰", "Alice Li"]  # no keys configured: nothing to seal with
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", K1)
    more = tmp_path / "crm2.csv"
    more.write_text(CSV + "c3,王五,,13700137000\n", encoding="utf-8")
    run = run_job(workspace, "ingest", {**params, "file": str(more)})
    assert all(v.startswith("zt1:k1:") for v in _raw(workspace))
    seal = next(h for h in run.hooks if h["hook"] == "seal_identity")
    assert seal["detail"]["sealed"] == 5  # every name and nickname still in clear, old rows too
