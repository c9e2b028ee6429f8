"""Job runs are recorded; post-load hooks run after loads without ingest knowing them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from zhongtai.errors import IngestError, NotFoundError
from zhongtai.jobs import HookContext, get_run, list_runs, register_post_load, run_job, unregister
from zhongtai.workspace import Workspace, open_workspace

MAPPING = {
    "name": "tiny_orders",
    "tables": {
        "orders": {
            "columns": {
                "order_id": {"from": "order"},
                "order_time": {"from": "time"},
                "total_amount": {"from": "amount"},
            }
        },
    },
}


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "orders.csv"
    data.write_text("order,time,amount\nA1,2025-03-08 10:00,12.50\nA2,2025-03-09 11:00,7\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    return data, mapping


@pytest.fixture
def hooks() -> Iterator[list[str]]:
    calls: list[str] = []

    def on_orders(ctx: HookContext) -> dict[str, Any]:
        calls.append(f"orders:{sorted(ctx.changed_tables)}:{ctx.load_id}")
        return {"seen": ctx.workspace.warehouse.row_count("orders")}

    def on_events(ctx: HookContext) -> None:
        calls.append("events")

    def broken(ctx: HookContext) -> None:
        raise RuntimeError("boom")

    register_post_load("test.orders", on_orders, tables=("orders",))
    register_post_load("test.events", on_events, tables=("events",))
    register_post_load("test.broken", broken)
    yield calls
    for name in ("test.orders", "test.events", "test.broken"):
        unregister(name)


def test_ingest_run_is_recorded_and_triggers_interested_hooks(
    workspace: Workspace, tiny: tuple[Path, Path], hooks: list[str]
) -> None:
    data, mapping = tiny
    run = run_job(workspace, "ingest", {"file": str(data), "source": "shop", "mapping": str(mapping)})
    assert run.status == "succeeded"
    assert run.rows == 2
    assert run.result["changed_tables"] == ["orders"]
    assert hooks == [f"orders:['orders']:{run.result['load_id']}"]
    outcomes = {h["hook"]: h for h in run.hooks}
    assert outcomes["test.orders"]["status"] == "succeeded"
    assert outcomes["test.orders"]["detail"] == {"seen": 2}
    assert outcomes["test.broken"] == {"hook": "test.broken", "status": "failed", "error_code": "RuntimeError"}
    assert "test.events" not in outcomes
    stored = get_run(workspace, run.run_id)
    assert stored.status == "succeeded"
    assert stored.parameters["source"] == "shop"
    assert stored.hooks == run.hooks
    assert stored.duration_s is not None
    assert stored.duration_s >= 0


def test_a_reload_that_changes_nothing_runs_no_hooks(
    workspace: Workspace, tiny: tuple[Path, Path], hooks: list[str]
) -> None:
    data, mapping = tiny
    run_job(workspace, "ingest", {"file": str(data), "source": "shop", "mapping": str(mapping)})
    hooks.clear()
    again = run_job(workspace, "ingest", {"file": str(data), "source": "shop", "mapping": str(mapping)})
    assert again.result["status"] == "unchanged"
    assert hooks == []


def test_a_failing_job_is_recorded_as_failed_and_raises(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING))
    with pytest.raises(IngestError):
        run_job(workspace, "ingest", {"file": str(empty), "source": "shop", "mapping": str(mapping)})
    last = list_runs(workspace, limit=1)[0]
    assert last.status == "failed"
    assert last.error_code == "ingest.empty_file"
    assert last.error_params == {"file": "empty.csv"}


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(workspace: Workspace) -> None:
    workspace.warehouse.con.execute(
        "INSERT INTO zt_meta.job_runs (run_id, job, status) VALUES (999, 'ingest', 'running')"
    ).fetchall()
    path = workspace.path
    workspace.close()
    with open_workspace(path) as reopened:
        run = get_run(reopened, 999)
        assert run.status == "failed"
        assert run.error_code == "jobs.interrupted"


def test_unknown_job_and_unknown_run_are_not_found(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError) as job:
        run_job(workspace, "no_such_job")
    assert job.value.code == "jobs.unknown"
    with pytest.raises(NotFoundError) as run:
        get_run(workspace, 12345)
    assert run.value.code == "jobs.not_found"
