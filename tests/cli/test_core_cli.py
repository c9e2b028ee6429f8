"""The command line end to end on real workspaces: Rich or JSON output, zh/en, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from support import orders_mapping_yaml
from zhongtai.cli import app

runner = CliRunner()
MAPPING_YAML = orders_mapping_yaml("cli_orders")
CSV = (
    "订单编号,下单时间,订单金额,买家,商品编码,数量,单价\n"
    "1001,2025-03-08 10:00,¥1,234.50,buyer_a,=SKU-1,1,1234.50\n"
    "1002,2025年3月9日,12,buyer_b,SKU-2,-1,12\n"
)


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    code, _ = invoke("init", str(tmp_path / "ws"), "--shop", "测试店")
    assert code == 0
    return tmp_path / "ws"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "orders.csv"
    data.write_text(CSV.replace("¥1,234.50", '"¥1,234.50"'), encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    return data, mapping


def test_ingest_reports_loaded_and_quarantined_rows_in_chinese(ws: Path, files: tuple[Path, Path]) -> None:
    data, mapping = files
    code, out = invoke(
        "ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", str(ws), "--lang", "zh_CN"
    )
    assert code == 0, out
    assert "读取 2 行" in out
    assert "加载 1 行" in out
    assert "隔离 1 行" in out
    assert "range.non_positive_quantity" in out


def test_json_output_is_one_parseable_document(ws: Path, files: tuple[Path, Path]) -> None:
    data, mapping = files
    code, out = invoke("ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", str(ws), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["status"] == "committed"
    assert doc["record"]["rows_read"] == 2
    assert doc["record"]["table_counts"]["orders"]["inserted"] == 1
    code, out = invoke("tables", "-w", str(ws), "--json")
    tables = {t["name"]: t["rows"] for t in json.loads(out)}
    assert tables["orders"] == 1
    assert tables["order_items"] == 1
    assert len(tables) == 25
    code, out = invoke("loads", "-w", str(ws), "--json")
    assert [r["rows_quarantined"] for r in json.loads(out)] == [1]
    code, out = invoke("jobs", "list", "-w", str(ws), "--json")
    assert json.loads(out)[0]["job"] == "ingest"


def test_quarantine_show_names_row_column_and_reason_without_the_value(ws: Path, files: tuple[Path, Path]) -> None:
    data, mapping = files
    invoke("ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", str(ws))
    code, out = invoke("quarantine", "show", "1", "-w", str(ws), "--json", "--lang", "en")
    assert code == 0
    records = json.loads(out)
    quantity = [r for r in records if r["rule"] == "range.non_positive_quantity"]
    assert quantity[0]["row"] == 3
    assert quantity[0]["column"] == "quantity"
    assert "raw" not in quantity[0]
    assert "-1" not in quantity[0]["reason_en"]
    code, out = invoke("quarantine", "show", "1", "-w", str(ws), "--json", "--raw")
    assert json.loads(json.loads(out)[0]["raw"])["数量"] == "-1"


def test_quarantine_export_neutralises_formula_cells(ws: Path, files: tuple[Path, Path], tmp_path: Path) -> None:
    data, mapping = files
    hostile = tmp_path / "=HYPERLINK(1).csv"
    hostile.write_text(data.read_text(encoding="utf-8"), encoding="utf-8")
    invoke("ingest", str(hostile), "--source", "shop", "--mapping", str(mapping), "-w", str(ws))
    target = tmp_path / "rejects.csv"
    code, out = invoke("quarantine", "export", "1", "--to", str(target), "--raw", "-w", str(ws))
    assert code == 0, out
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("load_id,file,row,table,column,header,rule,reason_en,reason_zh,raw")
    assert ",'=HYPERLINK(1).csv," in lines[1]
    assert "range.non_positive_quantity" in lines[1]


def test_reloading_the_same_file_says_nothing_changed(ws: Path, files: tuple[Path, Path]) -> None:
    data, mapping = files
    invoke("ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", str(ws))
    code, out = invoke(
        "ingest", str(data), "--source", "shop", "--mapping", str(mapping), "-w", str(ws), "--lang", "en"
    )
    assert code == 0
    assert "was already loaded (load 1)" in out


def test_errors_are_messages_with_codes_and_exit_codes(tmp_path: Path) -> None:
    code, out = invoke("tables", "-w", str(tmp_path / "nowhere"), "--lang", "en")
    assert code == 4
    assert "workspace.not_found" in out
    assert "zhongtai init" in out
    code, out = invoke("tables", "-w", str(tmp_path), "--lang", "xx")
    assert code == 3
    code, out = invoke("tables", "-w", str(tmp_path / "nowhere"), "--json")
    assert json.loads(out)["error"]["code"] == "workspace.not_found"
    assert "Traceback" not in out


def test_missing_file_is_named(ws: Path) -> None:
    code, out = invoke("ingest", "/no/such/file.csv", "--source", "shop", "-w", str(ws), "--lang", "en")
    assert code == 4
    assert "/no/such/file.csv" in out


def test_help_is_bilingual() -> None:
    code, out = invoke("--help")
    assert code == 0
    assert "电商数据中台" in out
    assert "ingest" in out
