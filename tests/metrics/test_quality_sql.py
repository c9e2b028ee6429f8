"""Custom-SQL checks run only as one read-only SELECT over canonical tables: hostile inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhongtai.errors import ConfigError
from zhongtai.metrics.quality import run_quality, validate_custom_sql
from zhongtai.workspace import Workspace

HOSTILE = [
    ("SELECT * FROM orders; DROP TABLE orders", "quality.sql_not_single_statement"),
    ("DROP TABLE orders", "quality.sql_forbidden_statement"),
    ("DELETE FROM orders", "quality.sql_forbidden_statement"),
    ("UPDATE orders SET paid_amount = 0", "quality.sql_forbidden_statement"),
    ("INSERT INTO orders SELECT * FROM orders", "quality.sql_forbidden_statement"),
    ("CREATE TABLE x AS SELECT 1", "quality.sql_forbidden_statement"),
    ("WITH x AS (DELETE FROM orders RETURNING *) SELECT * FROM x", "quality.sql_forbidden_statement"),
    ("COPY orders TO '/tmp/out.csv'", "quality.sql_forbidden_statement"),
    ("ATTACH '/tmp/other.duckdb' AS o", "quality.sql_forbidden_statement"),
    ("PRAGMA database_list", "quality.sql_forbidden_statement"),
    ("SET threads = 1", "quality.sql_forbidden_statement"),
    ("SELECT * FROM read_csv('/etc/passwd')", "quality.sql_forbidden_function"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "quality.sql_forbidden_function"),
    ("SELECT * FROM read_parquet('x.parquet')", "quality.sql_forbidden_function"),
    ("SELECT * FROM orders o JOIN read_json('x.json') j ON TRUE", "quality.sql_forbidden_function"),
    ("SELECT * FROM glob('/*')", "quality.sql_forbidden_function"),
    ("SELECT read_text('/etc/passwd')", "quality.sql_forbidden_function"),
    ("SELECT getenv('HOME')", "quality.sql_forbidden_function"),
    ("SELECT * FROM query('SELECT 1')", "quality.sql_forbidden_function"),
    ("SELECT * FROM duckdb_settings()", "quality.sql_forbidden_function"),
    ("SELECT * FROM sqlite_scan('x.db', 't')", "quality.sql_forbidden_function"),
    ("SELECT * FROM '/etc/passwd'", "quality.sql_forbidden_table"),
    ("SELECT * FROM zt_meta.loads", "quality.sql_forbidden_table"),
    ("SELECT * FROM _truth.reconciliation", "quality.sql_forbidden_table"),
    ("SELECT * FROM other.main.orders", "quality.sql_forbidden_table"),
    ("SELECT * FROM information_schema.tables", "quality.sql_forbidden_table"),
    ("SELECT * FROM not_a_table", "quality.sql_forbidden_table"),
    ("SELECT (", "quality.sql_parse_error"),
    ("", "quality.sql_not_single_statement"),
]


@pytest.mark.parametrize(("text", "code"), HOSTILE)
def test_hostile_sql_is_refused(text: str, code: str) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_custom_sql(text, file="q.yaml", line=7)
    assert caught.value.code == code
    assert (caught.value.params["file"], caught.value.params["line"]) == ("q.yaml", 7)
    assert "q.yaml" in caught.value.message("en")
    assert "q.yaml" in caught.value.message("zh_CN")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT order_id FROM orders WHERE paid_amount > total_amount",
        "WITH p AS (SELECT source, order_id FROM main.payments) SELECT * FROM p JOIN orders USING (source, order_id)",
        "SELECT 1 UNION ALL SELECT 2",
        "SELECT order_id FROM orders WHERE order_id IN (SELECT order_id FROM refunds)",
    ],
)
def test_plain_selects_over_canonical_tables_are_accepted(text: str) -> None:
    assert validate_custom_sql(text, file="q.yaml", line=1).sql(dialect="duckdb")


def test_a_hostile_workspace_check_stops_the_run_before_anything_runs(workspace: Workspace, tmp_path: Path) -> None:
    folder = workspace.path / "quality"
    folder.mkdir()
    (folder / "evil.yaml").write_text(
        'tables:\n  orders:\n    - check: sql\n      query: "SELECT 1; DROP TABLE orders"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        run_quality(workspace, tables=["orders"])
    assert caught.value.code == "quality.sql_not_single_statement"
    assert caught.value.params["file"].endswith("evil.yaml")
    assert caught.value.params["line"] == 3
    assert workspace.warehouse.table_exists("orders")
