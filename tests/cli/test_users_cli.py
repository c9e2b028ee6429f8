"""``zhongtai users|tokens|audit|keys`` and the policy on ``quarantine --raw``, end to end.

Each flow runs on a workspace whose app state is the default SQLite ``app.db`` and, with
``ZHONGTAI_DATABASE_URL``, on a real PostgreSQL database (see tests/appdb/appdb_support.py).
"""

from __future__ import annotations

import importlib.util
import json
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from sqlalchemy import make_url, text
from typer.testing import CliRunner

from zhongtai.cli import app

GOOD = "correct horse battery staple"


def _support() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "appdb" / "appdb_support.py"
    spec = importlib.util.spec_from_file_location("appdb_support_for_cli", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUPPORT = _support()


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env, input=stdin)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def pg_server() -> str:
    return str(SUPPORT.server_url())


@pytest.fixture(params=SUPPORT.BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """``None`` for SQLite in the workspace, else the URL of a fresh PostgreSQL database."""
    for name in (
        "ZHONGTAI_TOKEN",
        "ZHONGTAI_AS",
        "ZHONGTAI_PASSWORD",
        "ZHONGTAI_ADMIN_PASSWORD",
        "ZHONGTAI_REQUIRE_LOGIN",
        "ZHONGTAI_ENCRYPTION_KEYS",
        "ZHONGTAI_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    if request.param == "sqlite":
        yield None
        return
    server = make_url(request.getfixturevalue("pg_server"))
    name = f"t_cli_{secrets.token_hex(5)}"
    engine = SUPPORT.admin_engine(server)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("ZHONGTAI_DATABASE_URL", url)
    try:
        yield url
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def ws(tmp_path: Path, backend: str | None) -> Path:
    code, out = run("init", str(tmp_path / "ws"), "--shop", "测试店", "--lang", "en")
    assert code == 0, out
    return tmp_path / "ws"


def _execute(ws: Path, backend: str | None, statement: str) -> None:
    if backend is None:
        with sqlite3.connect(ws / "app.db") as connection:
            connection.execute(statement)
        return
    engine = SUPPORT.admin_engine(make_url(backend))
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_init_prints_the_owners_one_time_password_once(tmp_path: Path, backend: str | None) -> None:
    code, out = run("init", str(tmp_path / "a"), "--json")
    assert code == 0
    admin = json.loads(out)["admin"]
    assert admin["username"] == "admin"
    assert len(admin["one_time_password"]) == 20
    code, out = run("users", "list", "-w", str(tmp_path / "a"), "--json")
    assert admin["one_time_password"] not in out
    assert [u["username"] for u in json.loads(out)] == ["admin"]
    code, out = run("init", str(tmp_path / "b"), "--lang", "en")
    assert code == 0
    if backend is None:  # a new app.db: a new owner
        assert "Workspace owner 'admin' (admin) created" in out
        assert "One-time password (shown once)" in out
    else:  # the same PostgreSQL database already has its owner: nobody new, no password
        assert "Workspace owner" not in out


def test_the_cli_acts_as_the_owner_unless_told_otherwise(ws: Path) -> None:
    code, out = run("users", "whoami", "-w", str(ws), "--json")
    me = json.loads(out)
    assert (me["name"], me["role"]) == ("admin", "admin")
    assert me["via"].startswith("cli:owner:")
    code, out = run("users", "whoami", "-w", str(ws), "--lang", "en", env={"ZHONGTAI_REQUIRE_LOGIN": "1"})
    assert code == 6
    assert "auth.login_required" in out


def test_a_new_user_changes_the_one_time_password_then_acts_within_their_role(ws: Path) -> None:
    code, out = run("users", "add", "alice", "--role", "analyst", "-w", str(ws), "--json")
    assert code == 0, out
    one_time = json.loads(out)["one_time_password"]
    code, out = run(
        "users", "whoami", "--as", "alice", "-w", str(ws), "--lang", "en", env={"ZHONGTAI_PASSWORD": one_time}
    )
    assert code == 6
    assert "must be changed first" in out
    code, out = run(
        "users",
        "passwd",
        "alice",
        "-w",
        str(ws),
        "--password-stdin",
        env={"ZHONGTAI_PASSWORD": one_time},
        stdin=GOOD + "\n",
    )
    assert code == 0, out
    code, out = run("users", "whoami", "--as", "alice", "-w", str(ws), "--json", env={"ZHONGTAI_PASSWORD": GOOD})
    assert json.loads(out)["role"] == "analyst"
    code, out = run(
        "users",
        "add",
        "bob",
        "--role",
        "admin",
        "--as",
        "alice",
        "-w",
        str(ws),
        "--lang",
        "en",
        env={"ZHONGTAI_PASSWORD": GOOD},
    )
    assert code == 6
    assert "users:write" in out
    code, out = run("users", "list", "--as", "alice", "-w", str(ws), "--json", env={"ZHONGTAI_PASSWORD": GOOD})
    assert [u["username"] for u in json.loads(out)] == ["alice"]


def test_role_scope_and_status_changes_show_in_the_list_and_the_audit_log(ws: Path) -> None:
    run(
        "users",
        "add",
        "carol",
        "--role",
        "operator",
        "--store",
        "S1",
        "--password-stdin",
        "-w",
        str(ws),
        stdin=GOOD + "\n",
    )
    assert run("users", "set-role", "carol", "supply", "-w", str(ws))[0] == 0
    assert run("users", "set-scope", "carol", "--channel", "tmall", "-w", str(ws))[0] == 0
    assert run("users", "disable", "carol", "-w", str(ws))[0] == 0
    code, out = run("users", "list", "-w", str(ws), "--json")
    carol = next(u for u in json.loads(out) if u["username"] == "carol")
    assert (carol["role"], carol["scope"], carol["active"]) == (
        "supply",
        {"stores": None, "channels": ["tmall"]},
        False,
    )
    code, out = run("users", "whoami", "--as", "carol", "-w", str(ws), env={"ZHONGTAI_PASSWORD": GOOD})
    assert code == 6
    assert run("users", "enable", "carol", "-w", str(ws))[0] == 0
    code, out = run("audit", "list", "--action", "user.", "-w", str(ws), "--json")
    assert [e["action"] for e in json.loads(out)][:5] == [
        "user.enable",
        "user.disable",
        "user.set_scope",
        "user.set_role",
        "user.create",
    ]
    code, out = run("users", "reset-password", "carol", "-w", str(ws), "--lang", "zh_CN")
    assert code == 0
    assert "一次性密码" in out


def test_tokens_are_shown_once_work_as_their_user_and_stop_when_revoked(ws: Path) -> None:
    run("users", "add", "dave", "--role", "analyst", "--password-stdin", "-w", str(ws), stdin=GOOD + "\n")
    code, out = run("tokens", "create", "nightly export", "--user", "dave", "--days", "7", "-w", str(ws), "--json")
    assert code == 0, out
    made = json.loads(out)
    token = made["token"]
    assert "pii:read" not in made["scopes"]
    code, out = run("users", "whoami", "-w", str(ws), "--json", env={"ZHONGTAI_TOKEN": token})
    me = json.loads(out)
    assert (me["name"], me["via"], me["pii_visible"]) == ("dave", "cli:token", [])
    code, out = run("tokens", "list", "-w", str(ws), "--json", env={"ZHONGTAI_TOKEN": token})
    assert [t["name"] for t in json.loads(out)] == ["nightly export"]
    assert token not in out
    assert run("tokens", "revoke", str(made["id"]), "-w", str(ws))[0] == 0
    code, out = run("users", "whoami", "-w", str(ws), "--lang", "en", env={"ZHONGTAI_TOKEN": token})
    assert code == 6
    assert "auth.invalid_token" in out


def test_audit_verify_passes_then_catches_a_tampered_row(ws: Path, backend: str | None, tmp_path: Path) -> None:
    run("users", "add", "erin", "--role", "viewer", "--password-stdin", "-w", str(ws), stdin=GOOD + "\n")
    code, out = run("audit", "verify", "-w", str(ws), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["ok"] is True
    assert result["rows"] == 2
    code, out = run("audit", "export", "--to", str(tmp_path / "a.jsonl"), "--reason", "review", "-w", str(ws))
    assert code == 0
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    if backend is None:
        _execute(ws, backend, "DROP TRIGGER audit_log_no_update")
    else:
        _execute(ws, backend, "ALTER TABLE audit_log DISABLE TRIGGER USER")
    _execute(ws, backend, "UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2")
    code, out = run("audit", "verify", "-w", str(ws), "--lang", "en")
    assert code == 2
    assert "hash_mismatch" in out
    code, out = run("audit", "verify", "-w", str(ws), "--anchor", result["anchor"], "--json")
    assert code == 2
    assert {"seq": 2, "code": "hash_mismatch"} in json.loads(out)["problems"]


MAPPING = {
    "name": "cli_orders",
    "tables": {
        "orders": {
            "group_rows": True,
            "columns": {
                "order_id": {"from": "订单编号"},
                "order_time": {"from": "下单时间"},
                "total_amount": {"from": "订单金额"},
                "customer_id": {"from": "买家"},
                "receiver_phone": {"from": "收货电话"},
            },
        },
        "order_items": {
            "columns": {
                "order_id": {"from": "订单编号"},
                "line_no": {"sequence": True},
                "sku": {"from": "商品编码"},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
            },
        },
    },
}
CSV = (
    "订单编号,下单时间,订单金额,买家,收货电话,身份证,商品编码,数量,单价\n"
    "1001,2025-03-08 10:00,12,buyer_a,13800138000,,SKU-1,1,12\n"
    "1002,2025-03-09 11:00,12,buyer_b,13900139000,110101199003071234,SKU-2,-1,12\n"
)


AUTH_ENV = ("ZHONGTAI_TOKEN", "ZHONGTAI_AS", "ZHONGTAI_PASSWORD", "ZHONGTAI_REQUIRE_LOGIN", "ZHONGTAI_DATABASE_URL")
CLEAN_ENV: dict[str, str | None] = dict.fromkeys(AUTH_ENV)


@pytest.fixture(scope="module", params=SUPPORT.BACKENDS)
def quarantined(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str | None]]]:
    """A workspace with one load that quarantined a row holding a phone and an unmapped ID number,
    and a viewer, an analyst, a risk officer and an operator (shared by the tests below)."""
    folder = tmp_path_factory.mktemp("quarantine")
    env = dict(CLEAN_ENV)
    cleanup = None
    if request.param == "postgresql":
        server = make_url(request.getfixturevalue("pg_server"))
        name = f"t_cli_{secrets.token_hex(5)}"
        engine = SUPPORT.admin_engine(server)
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        env["ZHONGTAI_DATABASE_URL"] = server.set(database=name).render_as_string(hide_password=False)

        def cleanup() -> None:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()

    ws = folder / "ws"
    assert run("init", str(ws), env=env)[0] == 0
    data = folder / "orders.csv"
    data.write_text(CSV, encoding="utf-8")
    mapping = folder / "m.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    code, out = run("ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", str(ws), env=env)
    assert code == 0, out
    for user, role in (("vera", "viewer"), ("anna", "analyst"), ("rick", "risk"), ("olga", "operator")):
        run("users", "add", user, "--role", role, "--password-stdin", "-w", str(ws), stdin=GOOD + "\n", env=env)
    try:
        yield str(ws), env
    finally:
        if cleanup is not None:
            cleanup()


def _as(env: dict[str, str | None], name: str | None = None) -> dict[str, str | None]:
    return {**env, "ZHONGTAI_AS": name, "ZHONGTAI_PASSWORD": GOOD if name else None}


def test_quarantine_reasons_need_quarantine_rights(quarantined: tuple[str, dict[str, str | None]]) -> None:
    ws, env = quarantined
    assert run("quarantine", "show", "1", "-w", ws, env=_as(env, "vera"))[0] == 6
    code, out = run("quarantine", "show", "1", "-w", ws, "--json", env=_as(env, "anna"))
    assert code == 0
    assert all("raw" not in r for r in json.loads(out))
    assert "13900139000" not in out


def test_raw_quarantined_cells_only_for_roles_that_see_their_pii_classes(
    quarantined: tuple[str, dict[str, str | None]],
) -> None:
    ws, env = quarantined
    code, out = run("quarantine", "show", "1", "--raw", "-w", ws, "--lang", "en", env=_as(env, "anna"))
    assert code == 6
    assert "policy.pii_denied" in out
    assert "13900139000" not in out
    code, out = run("quarantine", "show", "1", "--raw", "--reason", "fix mapping", "-w", ws, "--json", env=env)
    assert code == 0, out
    raw = json.loads(json.loads(out)[0]["raw"])
    assert raw["收货电话"] == "13900139000"  # the owner (admin) sees contact data of orders...
    assert raw["身份证"] == "1****************4"  # ...but an unmapped ID number stays masked (sensitive)
    code, out = run("quarantine", "show", "1", "--raw", "-w", ws, "--json", env=_as(env, "rick"))
    assert json.loads(json.loads(out)[0]["raw"])["身份证"] == "110101199003071234"
    code, out = run("audit", "list", "--action", "pii.view", "-w", ws, "--json", env=env)
    views = [(e["actor_name"], e["target_id"], e["reason"]) for e in json.loads(out)]
    assert views[:2] == [("rick", "quarantine:load-1", None), ("admin", "quarantine:load-1", "fix mapping")]
    assert "anna" not in {actor for actor, _, _ in views}
    assert "13900139000" not in out


def test_raw_export_needs_pii_export_rights(quarantined: tuple[str, dict[str, str | None]], tmp_path: Path) -> None:
    (ws, env), target = quarantined, tmp_path / "rejects.csv"
    code, out = run("quarantine", "export", "1", "--raw", "--to", str(target), "-w", ws, env=_as(env, "olga"))
    assert code == 6  # operators see contact data but may not export quarantine rows
    assert not target.exists()
    code, out = run("quarantine", "export", "1", "--to", str(target), "-w", ws, env=_as(env, "anna"))
    assert code == 0
    assert "13900139000" not in target.read_text(encoding="utf-8-sig")
    code, out = run("quarantine", "export", "1", "--raw", "--to", str(target), "-w", ws, env=env)
    assert code == 0
    content = target.read_text(encoding="utf-8-sig")
    assert "13900139000" in content
    assert "110101199003071234" not in content
    code, out = run("audit", "list", "--action", "pii.export", "-w", ws, "--json", env=env)
    assert json.loads(out)[0]["detail"]["target"] == "rejects.csv"


def test_encryption_keys_are_generated_used_and_rotated(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, old = run("keys", "generate", "--id", "k1", "--json")
    code, new = run("keys", "generate", "--id", "k2", "--json")
    old_entry, new_entry = json.loads(old)["entry"], json.loads(new)["entry"]
    code, out = run("users", "add", "zhang", "--role", "viewer", "--name", "张三", "-w", str(ws), "--lang", "en")
    assert code == 3
    assert "ZHONGTAI_ENCRYPTION_KEYS" in out
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", old_entry)
    assert run("users", "add", "zhang", "--role", "viewer", "--name", "张三", "-w", str(ws))[0] == 0
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", f"{new_entry},{old_entry}")
    code, out = run("keys", "status", "-w", str(ws), "--json")
    status = json.loads(out)
    assert status["primary"] == "k2"
    assert status["columns"][0] == {"column": "users.display_name", "by_key": {"k1": 1}, "plaintext": 0}
    assert {"column": "warehouse:customers.name", "by_key": {}, "plaintext": 0} in status["columns"]
    assert old_entry.split(":")[1] not in out
    assert run("keys", "rotate", "-w", str(ws))[0] == 0
    monkeypatch.setenv("ZHONGTAI_ENCRYPTION_KEYS", new_entry)
    code, out = run("users", "list", "-w", str(ws), "--json")
    assert next(u for u in json.loads(out) if u["username"] == "zhang")["display_name"] == "张三"


def test_loading_and_reading_load_records_follow_the_ingest_and_jobs_rights(
    quarantined: tuple[str, dict[str, str | None]], tmp_path: Path
) -> None:
    ws, env = quarantined
    data = tmp_path / "more.csv"
    data.write_text(CSV, encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    load = ("ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", ws, "--json")
    code, out = run(*load, env=_as(env, "olga"))  # operators read load records but may not load
    assert code == 6, out
    code, out = run("loads", "-w", ws, "--json", env=_as(env, "olga"))
    assert code == 0
    assert json.loads(out)[0]["load_id"] == 1
    for command in (("loads",), ("overview",), ("tables",), ("jobs", "list"), ("jobs", "show", "1")):
        assert run(*command, "-w", ws, "--json", env=_as(env, "vera"))[0] == 6, command  # viewer: none of it
    assert run("overview", "-w", ws, "--json", env=_as(env, "anna"))[0] == 0
    assert run("jobs", "list", "-w", ws, "--json", env=_as(env, "anna"))[0] == 0
    code, out = run(*load, "--force", env=_as(env, "anna"))  # analysts may load
    assert code == 0, out
    assert run("datasets", "load", "online_retail", "-w", ws, "--json", env=_as(env, "vera"))[0] == 6
