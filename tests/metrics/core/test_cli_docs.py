"""``zhongtai metrics`` commands, ``ws.metrics``, dictionary diffs and the generated reference."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhongtai.cli import app
from zhongtai.errors import InputError
from zhongtai.metrics import Filter, load_dictionary
from zhongtai.metrics.diff import diff_dictionaries, load_version
from zhongtai.metrics.docs import render_metrics_reference
from zhongtai.metrics.query import parse_where
from zhongtai.workspace import Workspace

DOCS = Path(__file__).resolve().parents[3] / "docs"
runner = CliRunner()


def test_generated_metric_reference_is_not_stale() -> None:
    committed = (DOCS / "metrics.md").read_text(encoding="utf-8")
    assert committed == render_metrics_reference() + "\n", "docs/metrics.md is stale: run `make docs`"


def test_reference_lists_every_metric_in_both_languages() -> None:
    text = render_metrics_reference()
    for m in load_dictionary(None).metrics.values():
        assert f"### `{m.name}` — {m.label['zh']} / {m.label['en']}" in text


def test_query_command_prints_json_with_freshness(tiny_shop: Path) -> None:
    result = runner.invoke(
        app,
        [
            "metrics",
            "query",
            "gmv",
            "orders",
            "--by",
            "channel",
            "--grain",
            "month",
            "--since",
            "2025-01-01",
            "--until",
            "2025-03-01",
            "--where",
            "channel=tmall",
            "--json",
            "-w",
            str(tiny_shop),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] == [
        {"period": "2025-01-01", "channel": "tmall", "gmv": "150.00", "orders": 2},
        {"period": "2025-02-01", "channel": "tmall", "gmv": "300.00", "orders": 1},
    ]
    assert data["source"] == "raw"
    assert data["freshness"] == "2025-03-01T00:00:05"


def test_query_command_renders_sql_for_another_engine(tiny_shop: Path) -> None:
    result = runner.invoke(
        app, ["metrics", "query", "gmv", "--by", "channel", "--dialect", "spark", "-w", str(tiny_shop)]
    )
    assert result.exit_code == 0, result.output
    assert "`ch`.`platform`" in result.output
    assert "CONVERT_TIMEZONE" not in result.output


def test_query_command_human_output_uses_labels(tiny_shop: Path) -> None:
    result = runner.invoke(
        app,
        [
            "metrics",
            "query",
            "gmv",
            "--by",
            "channel",
            "--compare",
            "previous_year",
            "--since",
            "2025-02-01",
            "--until",
            "2025-03-01",
            "--lang",
            "zh_CN",
            "-w",
            str(tiny_shop),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "天猫" in result.output
    assert "成交总额(GMV)" in result.output
    assert "数据来源:raw" in result.output


def test_unknown_metric_exits_with_a_suggestion(tiny_shop: Path) -> None:
    result = runner.invoke(app, ["metrics", "query", "gvm", "-w", str(tiny_shop)])
    assert result.exit_code == 4
    assert "gmv" in result.output


def test_list_describe_check(tiny_shop: Path) -> None:
    listed = runner.invoke(app, ["metrics", "list", "--json", "-w", str(tiny_shop)])
    assert listed.exit_code == 0
    assert len(json.loads(listed.output)) >= 40
    described = runner.invoke(app, ["metrics", "describe", "aov", "--json", "-w", str(tiny_shop)])
    info = json.loads(described.output)
    assert info["tables"] == ["channels", "member_tiers", "orders"]
    assert "客单价" in info["synonyms"]["zh"]
    checked = runner.invoke(app, ["metrics", "check", "--json", "-w", str(tiny_shop)])
    assert json.loads(checked.output)["metrics"] == len(load_dictionary(None).metrics)


def test_diff_flags_a_changed_definition_without_a_version_bump(tmp_path: Path, tiny_shop: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(tiny_shop, ws)
    (ws / "metrics").mkdir()
    (ws / "metrics" / "ours.yaml").write_text(
        "metrics:\n"
        "  orders:\n    kind: simple\n    measure: orders_placed\n    label: {zh: 订单数, en: Orders}\n"
        "    description: {zh: 所有订单, en: All orders}\n    owner: ops\n    format: count\n"
        "  gmv_per_day:\n    kind: derived\n    expr: gmv / selling_days\n    label: {zh: 日均GMV, en: GMV per day}\n"
        "    description: {zh: 日均, en: per day}\n    owner: ops\n    format: money\n",
        encoding="utf-8",
    )
    changes = {(c.kind, c.name): c for c in diff_dictionaries(load_version("builtin"), load_version("workspace", ws))}
    assert changes[("metric", "gmv_per_day")].change == "added"
    orders = changes[("metric", "orders")]
    assert orders.change == "changed"
    assert "measure" in orders.fields
    assert orders.version_not_bumped
    result = runner.invoke(app, ["metrics", "diff", "--json", "-w", str(ws)])
    assert {(c["name"], c["change"]) for c in json.loads(result.output)} == {
        ("orders", "changed"),
        ("gmv_per_day", "added"),
    }


def test_workspace_accessor_queries_metrics(tiny_ws: Workspace) -> None:
    result = tiny_ws.metrics.query(
        ["gmv"], by="channel", since="2025-01-01", until=date(2025, 3, 1), where=["channel!=jd"]
    )
    assert result.to_pandas().to_dict("records") == [{"channel": "tmall", "gmv": pytest.approx(450)}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("channel=tmall", Filter("channel", "eq", ("tmall",))),
        ("channel!=jd", Filter("channel", "ne", ("jd",))),
        ("channel=tmall,jd", Filter("channel", "in", ("tmall", "jd"))),
        ("channel != tmall, jd", Filter("channel", "not_in", ("tmall", "jd"))),
        ("amount>=100", Filter("amount", "ge", ("100",))),
    ],
)
def test_where_text_parses_into_filters(text: str, expected: Filter) -> None:
    assert parse_where(text) == expected


@pytest.mark.parametrize("text", ["channel", "=tmall", "amount>1,2"])
def test_unreadable_where_text_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_where(text)
