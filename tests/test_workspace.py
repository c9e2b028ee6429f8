"""Workspaces: creation, settings, migration of older layouts and refusal of newer ones."""

from __future__ import annotations

from pathlib import Path

import pytest

import zhongtai
from zhongtai.errors import ConfigError, ConflictError, NotFoundError, WorkspaceLockedError
from zhongtai.settings import FORMAT_VERSION
from zhongtai.warehouse import Warehouse
from zhongtai.warehouse.model import TABLES
from zhongtai.workspace import init_workspace, open_workspace


def test_init_creates_settings_warehouse_and_private_quarantine(tmp_path: Path) -> None:
    with init_workspace(tmp_path / "shop", shop_name="杭州小店") as ws:
        assert (ws.path / "zhongtai.toml").is_file()
        assert (ws.path / "warehouse.duckdb").is_file()
        assert (ws.path / "quarantine").is_dir()
        assert oct((ws.path / "quarantine").stat().st_mode & 0o777) == "0o700"
        assert ws.settings.shop.name == "杭州小店"
        assert ws.settings.shop.timezone == "Asia/Shanghai"
        assert ws.settings.shop.currency == "CNY"
        assert ws.settings.workspace.format_version == FORMAT_VERSION
        assert {t.name for t in ws.overview().tables} == set(TABLES)


def test_open_is_the_library_front_door(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w").close()
    with zhongtai.open(tmp_path / "w") as ws:
        assert ws.overview().loads_committed == 0


def test_init_refuses_an_existing_workspace_and_a_non_empty_folder(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w").close()
    with pytest.raises(ConflictError) as exists:
        init_workspace(tmp_path / "w")
    assert exists.value.code == "workspace.exists"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    with pytest.raises(ConflictError) as not_empty:
        init_workspace(tmp_path / "other")
    assert not_empty.value.code == "workspace.folder_not_empty"


def test_init_rejects_unknown_time_zone_with_the_key_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        init_workspace(tmp_path / "w", timezone="Mars/Olympus")
    assert caught.value.code == "workspace.invalid_settings"
    assert "Mars/Olympus" in caught.value.params["problems"]


def test_open_without_settings_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        open_workspace(tmp_path)
    assert caught.value.code == "workspace.not_found"
    assert "zhongtai init" in caught.value.message("en")
    assert "zhongtai init" in caught.value.message("zh_CN")


def test_a_newer_workspace_is_refused_with_versions_named(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w").close()
    settings = tmp_path / "w" / "zhongtai.toml"
    settings.write_text(settings.read_text().replace(f"format_version = {FORMAT_VERSION}", "format_version = 99"))
    with pytest.raises(ConfigError) as caught:
        open_workspace(tmp_path / "w")
    assert caught.value.code == "workspace.too_new"
    assert caught.value.params == {"path": str(tmp_path / "w"), "found": 99, "supported": FORMAT_VERSION}


def test_an_unmigratable_old_workspace_is_refused(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w").close()
    settings = tmp_path / "w" / "zhongtai.toml"
    settings.write_text(settings.read_text().replace(f"format_version = {FORMAT_VERSION}", "format_version = 0"))
    with pytest.raises(ConfigError) as caught:
        open_workspace(tmp_path / "w")
    assert caught.value.code == "workspace.too_old"


def test_an_older_warehouse_missing_tables_and_columns_is_migrated_on_open(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w").close()
    wh = Warehouse(tmp_path / "w" / "warehouse.duckdb")
    wh.con.execute("ALTER TABLE orders DROP COLUMN buyer_note").fetchall()
    wh.con.execute("DROP TABLE member_tiers").fetchall()
    wh.close()
    with open_workspace(tmp_path / "w") as ws:
        assert "added main.orders.buyer_note" in ws.migrations
        assert "created main.member_tiers" in ws.migrations
        assert "buyer_note" in ws.warehouse.existing_columns("orders")


def test_a_column_stored_with_another_type_is_not_converted_silently(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w").close()
    wh = Warehouse(tmp_path / "w" / "warehouse.duckdb")
    wh.con.execute("ALTER TABLE orders ALTER COLUMN item_count TYPE VARCHAR").fetchall()
    wh.close()
    with pytest.raises(Exception) as caught:
        open_workspace(tmp_path / "w")
    assert getattr(caught.value, "code", "") == "warehouse.type_mismatch"


def test_read_only_open_coexists_and_a_second_writer_is_refused_with_the_holder(tmp_path: Path) -> None:
    import subprocess
    import sys

    init_workspace(tmp_path / "w").close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, zhongtai; ws = zhongtai.open(sys.argv[1]); print('ready', flush=True); time.sleep(30)",
            str(tmp_path / "w"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceLockedError) as caught:
            open_workspace(tmp_path / "w")
        assert caught.value.code == "warehouse.locked"
        assert caught.value.params["pid"] == str(holder.pid)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_cursor_view_shares_app_state_and_closes_only_its_cursor(tmp_path: Path) -> None:
    """A request's view has its own DuckDB cursor; closing it leaves the workspace usable."""
    from zhongtai.warehouse._sql import fragment

    with init_workspace(tmp_path / "shop") as ws:
        with ws.cursor_view() as view:
            assert view.warehouse.con is not ws.warehouse.con
            assert view.app is ws.app
            assert view.settings is ws.settings
            assert view.warehouse.execute(fragment("SELECT 41 + 1")) == [(42,)]
        assert ws.warehouse.execute(fragment("SELECT 1")) == [(1,)]
