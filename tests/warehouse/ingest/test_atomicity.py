"""A load lands whole or not at all, a reload of the same file is a no-op, a corrected file
changes only what changed, and a file larger than memory streams through."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bad_input_helpers import HEADER, ORDERS, load, mapping, problems, rows, table_counts, write

from zhongtai.errors import ConfigError, EngineError
from zhongtai.warehouse.ingest import ingest_file, list_loads, loader
from zhongtai.workspace import Workspace, open_workspace

KILLER = """
import json, os, signal, sys
from pathlib import Path
from zhongtai.warehouse.ingest import ingest_file
from zhongtai.warehouse.ingest.adapters import mapping_from_dict
from zhongtai.workspace import open_workspace

workspace, file, mapping_json, phase = sys.argv[1:5]


class DieInPhase:
    # progress that SIGKILLs its own process once the load reports work inside ``phase``
    current = None

    def phase(self, name, total=None):
        self.current = name

    def advance(self, amount):
        if self.current == phase:
            os.kill(os.getpid(), signal.SIGKILL)


ws = open_workspace(workspace)
mapping = mapping_from_dict(json.loads(mapping_json))
ingest_file(ws, Path(file), mapping=mapping, progress=DieInPhase(), max_reject_rate=1.0)
sys.exit("the load finished without reaching phase " + phase)
"""


def _state(ws: Workspace) -> dict[str, Any]:
    """Everything a load could have changed: rows, their content, load records, quarantine files."""
    return {
        "counts": table_counts(ws),
        "items": rows(ws, "SELECT order_id, line_no, quantity, _load_id FROM order_items ORDER BY 1, 2"),
        "loads": [(r.load_id, r.status) for r in list_loads(ws.warehouse.con)],
        "quarantine": sorted(p.name for p in ws.quarantine_dir.iterdir()),
    }


def _lines(count: int, quantity: int) -> str:
    return "".join(f"A{i},c{i},2025-03-08,s{i},{quantity},9.9\n" for i in range(count)) + "BAD,c,2025-03-08,s,x,1\n"


@pytest.mark.parametrize(
    ("before", "phase"),
    [("empty", "write"), ("loaded", "write"), ("loaded", "validate")],
    ids=["first-load-killed-writing", "reload-killed-writing", "reload-killed-validating"],
)
def test_load_killed_mid_way_leaves_the_warehouse_unchanged(
    workspace: Workspace, tmp_path: Path, before: str, phase: str
) -> None:
    if before == "loaded":
        load(workspace, write(tmp_path, "v1.csv", HEADER + _lines(100, 1)))
    # GBK, so the killed load also leaves a transcoded copy in the workspace's tmp folder
    path = write(tmp_path, "v2.csv", HEADER + _lines(200, 2), encoding="gbk")
    expected = _state(workspace)
    ws_path = workspace.path
    workspace.close()
    script = write(tmp_path, "killer.py", KILLER)
    done = subprocess.run(
        [sys.executable, str(script), str(ws_path), str(path), json.dumps(ORDERS), phase],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == -9, done.stderr[-2000:]  # died by SIGKILL inside the phase
    # killed while writing, the quarantine file exists but was never made visible
    assert len(list((ws_path / "quarantine").glob("*.parquet.tmp"))) == (0 if phase == "validate" else 1)
    assert len(list((ws_path / "tmp").glob("zt_l*.utf8.csv"))) == 1  # the transcoded copy is left behind
    with open_workspace(ws_path) as reopened:
        assert _state(reopened) == expected  # same rows, no record of the killed load, no new file
        assert not list((ws_path / "quarantine").glob("*.tmp"))
        result = load(reopened, path)  # the same file loads cleanly afterwards
        assert result.status == "committed"
        assert not list(reopened.tmp_dir.glob("zt_l*"))
        assert reopened.warehouse.row_count("order_items") == 200


def test_same_file_loaded_twice_writes_nothing_the_second_time(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "orders.csv", HEADER + _lines(10, 1))
    first = load(workspace, path)
    assert first.status == "committed"
    assert first.record is not None
    state = _state(workspace)
    again = load(workspace, path)
    assert (again.status, again.record, again.previous_load_id) == ("unchanged", None, first.record.load_id)
    copy = tmp_path / "renamed.csv"
    shutil.copy(path, copy)
    assert load(workspace, copy).status == "unchanged"  # the content decides, not the name
    assert _state(workspace) == state


def test_forced_reload_of_the_same_file_changes_no_row(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "orders.csv", HEADER + _lines(10, 1))
    first = load(workspace, path)
    forced = load(workspace, path, force=True)
    assert forced.record is not None
    assert first.record is not None
    counts = {name: (c.inserted, c.updated, c.unchanged, c.deleted) for name, c in forced.record.table_counts.items()}
    assert counts == {"orders": (0, 0, 10, 0), "order_items": (0, 0, 10, 0)}
    assert {r[0] for r in rows(workspace, "SELECT DISTINCT _load_id FROM order_items")} == {first.record.load_id}


LINES = {
    **ORDERS,
    "tables": {
        "orders": {
            "group_rows": True,
            "columns": {
                "order_id": {"from": "订单号"},
                "customer_id": {"from": "客户"},
                "order_time": {"from": "下单时间", "aggregate": "min"},
                "total_amount": {"from": "实付", "aggregate": "sum"},
            },
        },
        "order_items": {
            "columns": {
                "order_id": {"from": "订单号"},
                "line_no": {"from": "行号"},
                "sku": {"from": "SKU"},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
            }
        },
    },
}


def test_corrected_file_reloads_only_what_changed(workspace: Workspace, tmp_path: Path) -> None:
    head = "订单号,行号,客户,下单时间,SKU,数量,单价,实付\n"
    first = head + (
        "A1,1,c1,2025-03-08,s1,1,10,10\n"
        "A1,2,c1,2025-03-08,s2,1,5,5\n"
        "A2,1,c2,2025-03-08,s1,2,10,20\n"
        "A3,1,c3,2025-03-08,s3,1,7,7\n"
    )
    corrected = head + (
        "A1,1,c1,2025-03-08,s1,1,10,10\n"  # line 2 of A1 was a mistake: removed
        "A2,1,c2,2025-03-08,s1,3,10,30\n"  # quantity corrected
        "A3,1,c3,2025-03-08,s3,1,7,7\n"  # unchanged
        "A4,1,c4,2025-03-09,s4,1,1,1\n"  # new
    )
    v1 = load(workspace, write(tmp_path, "v1.csv", first), mapping(LINES))
    v2 = load(workspace, write(tmp_path, "v2.csv", corrected), mapping(LINES))
    assert v1.record is not None
    assert v2.record is not None
    counts = {
        name: (c.received, c.inserted, c.updated, c.unchanged, c.deleted) for name, c in v2.record.table_counts.items()
    }
    assert counts == {"orders": (4, 1, 2, 1, 0), "order_items": (4, 1, 1, 2, 1)}
    assert rows(workspace, "SELECT order_id, line_no, quantity, _load_id FROM order_items ORDER BY 1, 2") == [
        ("A1", 1, 1, v1.record.load_id),
        ("A2", 1, 3, v2.record.load_id),
        ("A3", 1, 1, v1.record.load_id),
        ("A4", 1, 1, v2.record.load_id),
    ]
    assert rows(workspace, "SELECT order_id, CAST(total_amount AS VARCHAR) FROM orders ORDER BY 1") == [
        ("A1", "10.00"),
        ("A2", "30.00"),
        ("A3", "7.00"),
        ("A4", "1.00"),
    ]


def test_rejected_rows_of_a_reload_do_not_delete_what_the_warehouse_has(workspace: Workspace, tmp_path: Path) -> None:
    load(workspace, write(tmp_path, "v1.csv", HEADER + "A1,c1,2025-03-08,s1,1,9.9\nA1,c1,2025-03-08,s2,1,5\n"))
    fix = load(workspace, write(tmp_path, "v2.csv", HEADER + "A1,c1,2025-03-08,s1,1,9.9\nA1,c1,2025-03-08,s2,x,5\n"))
    assert problems(fix) == [
        (2, "orders", "source,order_id", "group.incomplete"),
        (3, "order_items", "quantity", "parse.integer"),
    ]
    assert rows(workspace, "SELECT sku FROM order_items ORDER BY 1") == [("s1",), ("s2",)]  # order held back whole


# -- memory ------------------------------------------------------------------------------------


class _Budget:
    """The workspace with another ``ingest.memory_limit``."""

    def __init__(self, ws: Workspace, limit: str) -> None:
        self._ws = ws
        self.ingest_memory_limit = limit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)


@pytest.mark.parametrize(
    ("setting", "mib"),
    [
        ("4GB", int((4 * 1000**3 - 300 * 2**20) * 0.55) // 2**20),
        ("3GiB", int((3 * 2**30 - 300 * 2**20) * 0.55) // 2**20),
    ],
)
def test_memory_budget_covers_the_process_not_just_duckdb(
    monkeypatch: pytest.MonkeyPatch, setting: str, mib: int
) -> None:
    """DuckDB gets 55 % of what the process does not already hold (here: 300 MiB)."""
    monkeypatch.setattr(loader.psutil.Process, "memory_info", lambda self: SimpleNamespace(rss=300 * 2**20))
    assert loader.duckdb_memory_limit(setting) == f"{mib}MiB"
    assert loader.duckdb_memory_limit("100MB") == "384MiB"  # never below what the CSV reader needs


@pytest.mark.parametrize("setting", ["lots", "", "-1GB", "0MB", "1.5.2GB"])
def test_memory_limit_that_is_not_a_size_is_a_clear_configuration_error(
    workspace: Workspace, tmp_path: Path, setting: str
) -> None:
    path = write(tmp_path, "orders.csv", HEADER + _lines(3, 1))
    with pytest.raises(ConfigError) as caught:
        ingest_file(_Budget(workspace, setting), path, mapping=mapping())
    assert (caught.value.code, caught.value.params) == ("ingest.bad_memory_limit", {"value": setting})
    assert table_counts(workspace)["orders"] == 0


def test_load_that_runs_out_of_memory_fails_cleanly(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MIN_DUCKDB_MEMORY", 16 * 2**20)  # let the budget really bind
    path = write(tmp_path, "orders.csv", HEADER + _lines(1000, 1))
    with pytest.raises(EngineError) as caught:
        ingest_file(_Budget(workspace, "1MB"), path, mapping=mapping())
    assert (caught.value.code, caught.value.params) == ("ingest.out_of_memory", {"file": "orders.csv", "limit": "1MB"})
    assert "1MB" in caught.value.message("zh_CN")
    assert table_counts(workspace)["orders"] == 0
    assert [(r.status, r.error_code) for r in list_loads(workspace.warehouse.con)] == [
        ("failed", "ingest.out_of_memory")
    ]


def test_spill_files_of_a_dead_process_are_removed_by_the_next_load(workspace: Workspace, tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = workspace.tmp_dir / f"duckdb_temp_{pid}_0_storage_DEFAULT-0.tmp"
    stale.write_bytes(b"\0" * 1024)
    kept = workspace.tmp_dir / f"duckdb_temp_{os.getpid()}_0_storage_DEFAULT-9.tmp"  # this process: in use
    kept.write_bytes(b"\0")
    load(workspace, write(tmp_path, "orders.csv", HEADER + _lines(3, 1)))
    assert not stale.exists()
    assert kept.exists()
    kept.unlink()


# -- a file larger than the memory budget -----------------------------------------------------

BIG_LOADER = """
import json, sys
from pathlib import Path
from zhongtai.warehouse.ingest import ingest_file
from zhongtai.warehouse.ingest.adapters import mapping_from_dict
from zhongtai.workspace import open_workspace

with open_workspace(sys.argv[1]) as ws:
    result = ingest_file(ws, Path(sys.argv[2]), mapping=mapping_from_dict(json.loads(sys.argv[3])))
    counts = {t: ws.warehouse.row_count(t) for t in ("orders", "order_items")}
    print(json.dumps({"read": result.record.rows_read, "loaded": result.record.rows_loaded, "counts": counts}))
"""

BIG = {
    "name": "big_export",
    "source": "shop",
    "tables": {
        "orders": {
            "group_rows": True,
            "columns": {
                "order_id": {"from": "订单号"},
                "customer_id": {"from": "客户"},
                "order_time": {"from": "下单时间", "aggregate": "min"},
            },
        },
        "order_items": {
            "columns": {
                "order_id": {"from": "订单号"},
                "line_no": {"from": "行号"},
                "sku": {"from": "SKU"},
                "product_name": {"from": "商品名称"},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
            }
        },
    },
}


def _write_big_csv(path: Path, size: int) -> int:
    """At least ``size`` bytes of valid, distinct rows, written by repeating one 10k-row block with a
    new order-id prefix (three lines per order); returns the number of data rows."""
    name = "轻薄羽绒服 女款 连帽 防风保暖 冬季新款 " * 3
    block = "".join(
        f"#######{i // 3:04d},{i % 3 + 1},cust{i // 3 % 997},2025-03-{i // 3 % 28 + 1:02d} 10:00,"
        f"SKU-{i % 5000},{name},{i % 5 + 1},{i % 300}.5\n"
        for i in range(9999)
    ).encode()
    blocks = 0
    with path.open("wb") as out:
        out.write("订单号,行号,客户,下单时间,SKU,商品名称,数量,单价\n".encode())
        while out.tell() < size:
            out.write(block.replace(b"#######", b"%07d" % blocks))
            blocks += 1
    return blocks * 9999


@pytest.mark.slow
@pytest.mark.measures_memory
@pytest.mark.timeout(1200)
def test_two_gigabyte_file_streams_in_under_one_gibibyte(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    ws_path = workspace.path
    workspace.close()
    try:
        data_rows = _write_big_csv(path, 2 * 1024**3)
        script = write(tmp_path, "big_loader.py", BIG_LOADER)
        started = time.perf_counter()
        out_path, err_path = tmp_path / "big.out", tmp_path / "big.err"
        with out_path.open("w") as out, err_path.open("w") as err:
            child = subprocess.Popen(  # wait4: the peak of THIS child, not of every earlier one
                [sys.executable, str(script), str(ws_path), str(path), json.dumps(BIG)], stdout=out, stderr=err
            )
            _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        done = subprocess.CompletedProcess(child.args, child.returncode, out_path.read_text(), err_path.read_text())
        seconds = time.perf_counter() - started
    finally:  # gigabytes: do not leave them to pytest's retention of old tmp_path folders
        path.unlink(missing_ok=True)
        shutil.rmtree(ws_path / "tmp", ignore_errors=True)
        (ws_path / "warehouse.duckdb").unlink(missing_ok=True)
    peak = usage.ru_maxrss * 1024  # KiB on Linux
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"2 GiB load: {data_rows} rows in {seconds:.0f} s, peak RSS {peak / 2**20:.0f} MiB")
    assert outcome == {
        "read": data_rows,
        "loaded": data_rows,
        "counts": {"orders": data_rows // 3, "order_items": data_rows},
    }
    assert peak < 1024**3
