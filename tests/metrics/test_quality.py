"""Data quality: hand-made tables where the failing rows are known exactly, the score formula,
history and board, YAML errors with file and line, the post-load hook and the CLI."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zhongtai.cli import app
from zhongtai.errors import ConfigError
from zhongtai.jobs.registry import post_load_hooks
from zhongtai.jobs.runner import HookContext
from zhongtai.metrics.quality import load_checks, parse_checks, quality_after_load, quality_board, run_quality
from zhongtai.workspace import Workspace

AS_OF = datetime(2025, 3, 2, 0, 0)
ORDER_COLUMNS = (
    "source", "order_id", "order_time", "status", "goods_amount", "discount_amount", "shipping_fee",
    "total_amount", "paid_amount",
)  # fmt: skip
# Each odd row is planted for exactly one built-in check (comment = the check it fails).
ORDERS: list[tuple[Any, ...]] = [
    ("shop", "o1", datetime(2025, 3, 1, 10), "paid", 100, 10, 0, 90, 90),
    ("shop", "o2", datetime(2025, 3, 1, 11), "paid", 50, 0, 8, 58, 58),
    ("shop", "o2", datetime(2025, 3, 1, 11), "paid", 50, 0, 8, 58, 58),  # orders.key (duplicate)
    ("shop", "o4", datetime(2025, 3, 1, 12), "lost", 100, 0, 0, 95, 95),  # status + total_adds_up
    ("shop", "o5", datetime(2025, 3, 1, 8), "paid", 20, 0, 0, 20, -5),  # range_paid_amount
    ("shop", "o6", datetime(2025, 3, 1, 9), "paid", 100, 0, 0, 100, 200),  # paid_not_above_total
]
ITEMS: list[tuple[Any, ...]] = [
    ("shop", "o1", 1, 1, 90),
    ("shop", "o404", 1, 2, 30),  # order_items.references_orders (no such order)
    ("shop", "o2", 0, 1, 58),  # order_items.range_line_no (line numbers start at 1)
]


def _insert(ws: Workspace, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in columns)
    statement = "INSERT INTO " + table + " (" + ", ".join(columns) + ") VALUES (" + marks + ")"
    ws.warehouse.con.executemany(statement, rows)


@pytest.fixture
def shop(workspace: Workspace) -> Workspace:
    _insert(workspace, "orders", ORDER_COLUMNS, ORDERS)
    workspace.warehouse.con.execute("UPDATE orders SET paid_at = order_time WHERE order_id = 'o1'")
    _insert(workspace, "order_items", ("source", "order_id", "line_no", "quantity", "amount"), ITEMS)
    return workspace


def _failed(run: Any) -> dict[str, int]:
    return {r.check_id: r.failed_rows for r in run.results if r.status == "failed"}


def test_each_planted_row_fails_exactly_its_check(shop: Workspace) -> None:
    run = run_quality(shop, tables=["orders", "order_items"], as_of=AS_OF)
    assert _failed(run) == {
        "orders.key": 1,
        "orders.accepted_values_status": 1,
        "orders.range_paid_amount": 1,
        "orders.total_adds_up": 1,
        "orders.paid_not_above_total": 1,
        "order_items.references_orders": 1,
        "order_items.range_line_no": 1,
    }
    assert run.result("orders.fresh").status == "passed"  # newest order 12 h before AS_OF, limit 48 h
    assert run.result("orders.row_count_change").status == "skipped"  # no history yet


def test_score_is_the_share_of_checked_rows_passing(shop: Workspace) -> None:
    run = run_quality(shop, tables=["orders"], as_of=AS_OF)
    orders = run.table("orders")
    # Counted checks on 6 rows: key, required, status, 5 money ranges, fresh, total_adds_up,
    # paid_not_above_total = 11 x 6 rows; currency, item_count (all NULL) and quarantine (no loads)
    # check 0 rows; row_count_change is skipped. Failing: 5 (key, status, total_adds_up,
    # range_paid_amount, paid_not_above_total). (The warehouse itself refuses NULL in required
    # columns, so `required` cannot fail here.)
    assert (orders.checked_rows, orders.failed_rows) == (66, 5)
    assert orders.score == pytest.approx(61 / 66)
    assert run.score == pytest.approx(61 / 66)


def test_stale_table_fails_freshness_for_all_its_rows(shop: Workspace) -> None:
    run = run_quality(shop, tables=["orders"], as_of=datetime(2025, 3, 4, 0, 1))  # 60 h after 12:00
    fresh = run.result("orders.fresh")
    assert (fresh.status, fresh.checked_rows, fresh.failed_rows) == ("failed", 6, 6)
    assert fresh.detail["age_hours"] == pytest.approx(60.0167, abs=1e-3)


def test_history_feeds_row_count_change_and_the_board(shop: Workspace) -> None:
    first = run_quality(shop, tables=["orders"], as_of=AS_OF)
    more = [("shop", f"n{i}", datetime(2025, 3, 1, 13), "paid", 10, 0, 0, 10, 10) for i in range(7)]
    _insert(shop, "orders", ORDER_COLUMNS, more)
    second = run_quality(shop, tables=["orders"], as_of=AS_OF)
    change = second.result("orders.row_count_change")
    assert (change.status, change.detail["previous_rows"], change.detail["rows"]) == ("failed", 6, 13)
    assert change.detail["change"] == pytest.approx(7 / 6, abs=1e-4)
    board = quality_board(shop)
    row = board.row("orders")
    assert row.run_id == second.run_id
    assert first.run_id is not None
    assert second.run_id == first.run_id + 1
    assert row.trend == (pytest.approx(61 / 66), pytest.approx(second.table("orders").score))
    # second run: 13 rows x 12 counted checks, failing 5 planted + 13 (row count jumped by 117 %)
    assert (row.checked_rows, row.failed_rows) == (13 * 12, 5 + 13)
    assert {f.name for f in row.failing} >= {"row_count_change", "key", "total_adds_up"}


def test_workspace_file_adds_and_overrides_checks(shop: Workspace) -> None:
    folder = shop.path / "quality"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        textwrap.dedent(
            """
            tables:
              orders:
                - {check: range, name: range_paid_amount, column: paid_amount, min: -10}
                - {check: sql, name: big_orders, query: "SELECT order_id FROM orders WHERE total_amount > 95"}
                - {check: unique, name: key, columns: [order_id], enabled: false}
                - {check: not_null, columns: [paid_at]}
            """
        ),
        encoding="utf-8",
    )
    run = run_quality(shop, tables=["orders"], as_of=AS_OF)
    failed = _failed(run)
    assert "orders.range_paid_amount" not in failed  # -5 is within the workspace's own bound
    assert "orders.key" not in failed
    assert "orders.key" not in {r.check_id for r in run.results}
    assert failed["orders.big_orders"] == 1  # only o6 (100); o4's 95 is not above 95
    assert failed["orders.not_null_paid_at"] == 5  # paid_at is set on o1 only


def test_read_only_workspace_runs_but_stores_nothing(shop: Workspace, tmp_path: Path) -> None:
    from zhongtai.workspace import open_workspace

    path = shop.path
    shop.close()
    with open_workspace(path, read_only=True) as ro:
        run = run_quality(ro, tables=["orders"], as_of=AS_OF)
        assert run.stored is False
        assert run.run_id is None
        assert quality_board(ro).rows == ()


# -- declaring checks: errors name file and line, with "did you mean" ---------------------------


def _error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_checks(textwrap.dedent(text), "checks.yaml")
    return caught.value


def test_yaml_syntax_error_names_file_and_line() -> None:
    error = _error("tables:\n  orders:\n    - {check: not_null, columns: [order_id]\n")
    assert error.code == "quality.invalid_yaml"
    assert error.params["file"] == "checks.yaml"
    assert error.params["line"] == 4  # the flow mapping is never closed; the parser notices at the end


def test_unknown_table_suggests_the_closest() -> None:
    error = _error("tables:\n  order:\n    - {check: not_null, columns: [order_id]}\n")
    assert (error.code, error.params["line"], error.params["suggestion"].split(", ")[0]) == (
        "quality.unknown_table",
        2,
        "orders",
    )
    assert "Did you mean: orders" in error.message("en")
    assert "您是不是要找" in error.message("zh_CN")


def test_unknown_column_suggests_the_closest() -> None:
    error = _error(
        """\
        tables:
          orders:
            - {check: unique, columns: [order_id]}
            - {check: accepted_values, column: stauts, values: [paid]}
        """
    )
    assert (error.code, error.params["line"], error.params["column"]) == ("quality.unknown_column", 4, "stauts")
    assert error.params["suggestion"].startswith("status")


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ("{check: not_nul, columns: [order_id]}", "quality.unknown_check"),
        ("{check: range, column: paid_amount}", "quality.missing_option"),
        ("{check: range, column: paid_amount, min: ten}", "quality.not_a_number"),
        ("{check: unique, colums: [order_id]}", "quality.missing_option"),
        ("{check: freshness, column: order_time, max_age_hours: 1, window: 3}", "quality.unknown_option"),
        ("{columns: [order_id]}", "quality.check_without_kind"),
        (
            "{check: references, columns: [order_id], parent_table: orderz, parent_columns: [order_id]}",
            "quality.unknown_table",
        ),
    ],
)
def test_bad_check_declarations_are_refused_with_their_line(item: str, code: str) -> None:
    error = _error("tables:\n  orders:\n    - {check: unique, columns: [order_id]}\n    - " + item + "\n")
    assert error.code == code
    assert error.params["line"] == 4


def test_unknown_table_asked_for_on_the_command_line() -> None:
    with pytest.raises(ConfigError) as caught:
        load_checks(None, tables=["refund"])
    assert caught.value.code == "quality.unknown_table_option"
    assert caught.value.params["suggestion"].split(", ")[0] == "refunds"


def test_builtin_checks_cover_every_declared_key() -> None:
    from zhongtai.warehouse.model import TABLES

    keys = {(s.table, tuple(s.options["columns"])) for s in load_checks(None) if s.kind == "unique"}
    assert keys == {(name, t.key) for name, t in TABLES.items()}


# -- after each load and on demand ---------------------------------------------------------------


def test_post_load_hook_is_published_and_checks_the_changed_tables(shop: Workspace) -> None:
    hook = {h.name: h for h in post_load_hooks()}["quality_checks"]
    assert hook.function is quality_after_load
    summary = quality_after_load(HookContext(shop, run_id=1, load_id=7, changed_tables={"order_items"}))
    assert sorted(summary["failed_checks"]) == ["order_items.range_line_no", "order_items.references_orders"]
    board = quality_board(shop)
    assert [r.table for r in board.rows] == ["order_items"]
    trigger, load_id = shop.warehouse.con.execute("SELECT trigger, load_id FROM zt_meta.quality_runs").fetchone()
    assert (trigger, load_id) == ("post_load", 7)


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_cli_run_and_board_in_json_and_chinese(shop: Workspace) -> None:
    path = str(shop.path)
    shop.close()
    code, output = _cli("quality", "run", "-w", path, "-t", "orders", "--as-of", "2025-03-02T00:00:00", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["score"] == pytest.approx(61 / 66)
    assert data["stored"] is True
    code, output = _cli("quality", "board", "-w", path, "--json")
    board = json.loads(output)
    assert [t["table"] for t in board["tables"]] == ["orders"]
    assert board["meets_target"] is False
    code, output = _cli("quality", "board", "-w", path, "--lang", "zh_CN")
    assert code == 0
    assert "数据质量" in output
    assert "92.42%" in output


def test_cli_unknown_table_is_a_clear_error(shop: Workspace) -> None:
    path = str(shop.path)
    shop.close()
    code, output = _cli("quality", "run", "-w", path, "-t", "oders")
    assert code == 3
    assert "orders" in output
    assert "Traceback" not in output


def test_cli_requires_login_when_the_workspace_says_so(shop: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(shop.path)
    shop.close()
    monkeypatch.setenv("ZHONGTAI_REQUIRE_LOGIN", "1")
    code, output = _cli("quality", "board", "-w", path)
    assert code != 0
    assert "Traceback" not in output
