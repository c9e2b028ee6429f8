"""``zhongtai demo`` builds a workspace and shows its overview; ``zhongtai demo truth`` summarises it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zhongtai.cli import app
from zhongtai.jobs import list_runs
from zhongtai.workspace import open_workspace


def test_demo_builds_a_workspace_and_shows_its_overview(tmp_path: Path) -> None:
    target = tmp_path / "demo-workspace"
    result = CliRunner().invoke(app, ["demo", "--customers", "150", "--seed", "3", str(target), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Demo shop: 150 people, seed 3" in result.output
    for table in ("orders", "order_items", "events", "inventory_snapshots", "reviews"):
        assert table in result.output
    with open_workspace(target, read_only=True) as ws:
        overview = {t.name: t.rows for t in ws.overview().tables}
        runs = list_runs(ws, job="demo")
    assert all(rows > 0 for rows in overview.values()), overview
    assert [r.status for r in runs] == ["succeeded"]
    assert runs[0].parameters["customers"] == 150


def test_truth_summary_lists_every_planted_family(demo_shop: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "truth", "--workspace", str(demo_shop), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["run"]["seed"] == "20251111"
    assert {
        "clusters",
        "churn",
        "experiments",
        "incidents",
        "anomalies",
        "identity_noise",
        "reconciliation",
        "demand_drivers",
        "marketing",
    } <= set(summary["sections"])
    keys = {e["experiment_key"]: e for e in summary["sections"]["experiments"]}
    assert keys["mp_coupon_reminder"]["true_relative_lift"] == 0
    assert keys["mp_pdp_video"]["srm_drop"] > 0
    human = CliRunner().invoke(app, ["demo", "truth", "--workspace", str(demo_shop), "--lang", "zh_CN"])
    assert human.exit_code == 0
    assert "真实会员分群" in human.output


def test_truth_of_a_plain_workspace_is_not_found(workspace: object, tmp_path: Path) -> None:
    path = Path(str(workspace.path))
    workspace.close()
    result = CliRunner().invoke(app, ["demo", "truth", "--workspace", str(path), "--json"])
    assert result.exit_code == 4
    assert "demo.no_truth" in result.output
