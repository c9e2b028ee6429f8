"""``zhongtai identity …`` and ``zhongtai customers show`` end to end on a copy of the demo shop."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from zhongtai.cli import app

runner = CliRunner()


@pytest.fixture
def shop(demo_shop: Path, tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(demo_shop, target)
    return target


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_resolve_report_show_merge_and_undo_from_the_command_line(shop: Path, tmp_path: Path) -> None:
    code, text = _invoke("identity", "resolve", "--full", "-w", str(shop), "--json")
    assert code == 0, text
    run = json.loads(text)
    assert run["mode"] == "full"
    assert 0 < run["members"] < run["records"]
    con = duckdb.connect(str(shop / "warehouse.duckdb"), read_only=True)
    truth = tmp_path / "truth.csv"
    con.execute(f"COPY (SELECT source, customer_id, person_id FROM _truth.identity_clusters) TO '{truth}' (HEADER)")
    big, second = [r[0] for r in con.execute(
        "SELECT member_id FROM zt_identity.members GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 2"
    ).fetchall()]  # fmt: skip
    con.close()
    code, text = _invoke("identity", "report", "--truth", str(truth), "-w", str(shop), "--json")
    assert code == 0, text
    report = json.loads(text)
    assert report["scores"]["precision"] >= 0.99
    assert report["members"] == run["members"]
    code, text = _invoke("customers", "show", big, "-w", str(shop), "--json")
    assert code == 0, text
    assert json.loads(text)["member_id"] == big
    code, text = _invoke("identity", "merge", big, second, "--reason", "checked", "-w", str(shop), "--json")
    assert code == 0, text
    decision = json.loads(text)
    code, text = _invoke("customers", "show", second, "-w", str(shop), "--json")
    profile = json.loads(text)
    assert profile["redirected"] or profile["member_id"] == second
    code, text = _invoke("identity", "undo", str(decision["override_id"]), "-w", str(shop), "--json")
    assert code == 0
    assert json.loads(text)["undone_at"] is not None


def test_bad_input_on_the_command_line_gives_a_message_and_an_exit_code(shop: Path, tmp_path: Path) -> None:
    code, text = _invoke("identity", "report", "-w", str(shop), "--lang", "en")
    assert code == 3
    assert "identity.not_resolved" in text
    code, text = _invoke("identity", "unmerge", "Mx", "no-colon", "-w", str(shop), "--lang", "zh_CN")
    assert code == 3
    assert "SOURCE:CUSTOMER_ID" in text
    bad = tmp_path / "rules.toml"
    bad.write_text("[types.phone]\nmax_accounts = 0\n", encoding="utf-8")
    code, text = _invoke("identity", "resolve", "--full", "--rules", str(bad), "-w", str(shop), "--lang", "en")
    assert code == 3
    assert "types.phone.max_accounts" in text
    code, text = _invoke("customers", "show", "Mnobody", "-w", str(shop), "--lang", "en")
    assert code == 4
    assert "Mnobody" in text
