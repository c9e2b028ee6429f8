"""``zhongtai alerts`` on a copy of the demo shop: detect finds the delayed load, list/show/ack/resolve
work with history, and bad input gets its exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from zhongtai.cli import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env or {})
    return result.exit_code, result.output


def test_detect_list_show_ack_resolve_on_the_demo_shop(demo_shop: Path, demo_db: object, tmp_path: Path) -> None:
    channel, start = demo_db.execute(  # type: ignore[attr-defined]
        "SELECT source, starts_on FROM _truth.anomalies WHERE kind = 'delayed_load'"
    ).fetchone()
    ws = tmp_path / "shop"
    shutil.copytree(demo_shop, ws)
    month = start.strftime("%Y-%m")
    code, output = run(
        "alerts",
        "detect",
        "--metric",
        "orders",
        "--since",
        f"{month}-01",
        "--until",
        "2026-01-01",
        "--json",
        "-w",
        str(ws),
    )
    assert code == 0, output
    found = json.loads(output)
    arrival = [f for f in found["found"] if f["metric"] == "arrival.events"]
    assert [(f["dimensions"]["channel"], f["start"], f["cause"]) for f in arrival] == [
        (channel, start.isoformat(), "collection_delayed")
    ]
    code, output = run("alerts", "list", "--metric", "arrival.events", "--json", "-w", str(ws))
    (listed,) = json.loads(output)
    alert_id = str(listed["id"])
    code, output = run("alerts", "show", alert_id, "--lang", "en", "-w", str(ws))
    assert code == 0
    assert "events.parquet" in output
    assert "collection delayed" in output
    code, output = run("alerts", "show", alert_id, "--lang", "zh_CN", "-w", str(ws))
    assert "采集延迟" in output
    assert run("alerts", "ack", alert_id, "--note", "tmall collector late", "-w", str(ws))[0] == 0
    code, output = run("alerts", "resolve", alert_id, "--json", "-w", str(ws))
    shown = json.loads(output)
    assert shown["status"] == "resolved"
    assert [(e["action"], e["note"]) for e in shown["events"]] == [
        ("opened", None),
        ("acknowledged", "tmall collector late"),
        ("resolved", None),
    ]
    code, output = run("alerts", "ack", alert_id, "-w", str(ws))
    assert code == 5
    assert "alerts.bad_transition" in output
    code, output = run("alerts", "show", "9999", "-w", str(ws))
    assert code == 4
    code, output = run("alerts", "detect", "--since", "2025-13-01", "-w", str(ws))
    assert code == 3
    assert "YYYY-MM-DD" in output
