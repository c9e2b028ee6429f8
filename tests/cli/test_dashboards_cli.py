"""``zhongtai dashboards`` on a copy of the demo shop: import a YAML board, export it back unchanged,
show it evaluated, and refuse a bad tile (naming it) or an unknown board with their exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from zhongtai.cli import app

runner = CliRunner()

BOARD = {
    "name": "渠道日报",
    "description": "每日渠道成交",
    "filters": {"period": "7d", "filters": [{"dimension": "channel", "op": "eq", "values": ["tmall"]}]},
    "layout": [
        {"title": {"zh": "成交额", "en": "GMV"}, "visual": "kpi", "query": {"metrics": ["gmv"]},
         "position": {"x": 0, "y": 0, "w": 4, "h": 2}},
        {"title": {"zh": "分渠道订单", "en": "Orders by channel"}, "visual": "bar",
         "query": {"metrics": ["orders"], "dimensions": ["channel"]}, "position": {"x": 4, "y": 0, "w": 8, "h": 4}},
    ],
}  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={})
    return result.exit_code, result.output


def test_import_export_show_round_trip(demo_shop: Path, tmp_path: Path) -> None:
    ws = tmp_path / "shop"
    shutil.copytree(demo_shop, ws)
    source = tmp_path / "board.yaml"
    source.write_text(yaml.safe_dump(BOARD, allow_unicode=True), encoding="utf-8")
    code, output = run("dashboards", "import", str(source), "--json", "-w", str(ws))
    assert code == 0, output
    made = json.loads(output)
    assert (made["name"], made["owner"], made["tiles"], made["version"]) == (
        "渠道日报",
        "admin",
        2,
        1,
    )  # the workspace owner account

    exported = tmp_path / "out.yaml"
    code, output = run("dashboards", "export", str(made["id"]), "--file", str(exported), "-w", str(ws))
    assert code == 0, output
    back = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert back["name"] == BOARD["name"]
    assert back["filters"] == BOARD["filters"]
    assert [t["query"]["metrics"] for t in back["layout"]] == [["gmv"], ["orders"]]
    assert [t["position"] for t in back["layout"]] == [t["position"] for t in BOARD["layout"]]  # type: ignore[index]

    code, output = run("dashboards", "show", str(made["id"]), "--json", "-w", str(ws))
    assert code == 0, output
    shown = json.loads(output)
    assert shown["query_count"] == 3  # kpi value + sparkline, one bar chart
    assert [r["channel"] for r in shown["tiles"][1]["rows"]] == ["tmall"]  # the saved default filter
    code, output = run("dashboards", "show", str(made["id"]), "--where", "channel=jd", "--json", "-w", str(ws))
    assert [r["channel"] for r in json.loads(output)["tiles"][1]["rows"]] == ["jd"]

    code, output = run("dashboards", "list", "--lang", "zh_CN", "-w", str(ws))
    assert code == 0
    assert "渠道日报" in output
    assert "大促作战室" in output


def test_bad_input_gets_a_message_naming_the_tile_and_an_exit_code(demo_shop: Path, tmp_path: Path) -> None:
    ws = tmp_path / "shop"
    shutil.copytree(demo_shop, ws)
    bad = dict(BOARD, layout=[dict(BOARD["layout"][1], query={"metrics": ["ordres"]})])  # type: ignore[index]
    source = tmp_path / "bad.yaml"
    source.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    code, output = run("dashboards", "import", str(source), "--lang", "zh_CN", "-w", str(ws))
    assert code == 3
    assert "layout[0].query.metrics[0]" in output
    assert "未知指标“ordres”" in output
    assert "Traceback" not in output
    code, output = run("dashboards", "show", "no_such_board", "--lang", "en", "-w", str(ws))
    assert code == 4
    assert "built-in boards: overview, war_room" in output
    (tmp_path / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    code, output = run("dashboards", "import", str(tmp_path / "list.yaml"), "-w", str(ws))
    assert code == 3
