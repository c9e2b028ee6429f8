"""Quality history in the warehouse: ``zt_meta.quality_runs`` and ``zt_meta.quality_results``.

Kept beside ``zt_meta.loads`` (same schema, same file) so a run's results sit next to the loads
they judged; created on first write, so workspaces made before this feature need no migration.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlglot import exp

from zhongtai.warehouse._sql import col, fragment, ident, lit, tbl
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.ddl import create_table
from zhongtai.warehouse.meta import META_SCHEMA
from zhongtai.warehouse.schema import Column, ColumnType, Table

__all__ = ["QUALITY_RESULTS", "QUALITY_RUNS", "ensure_tables", "previous_row_counts", "runs_exist"]

T = ColumnType

QUALITY_RUNS = Table(
    "quality_runs", "One record per data-quality run", "每次数据质量检查运行一条记录",
    (
        Column("run_id", T.INTEGER, "Quality run id", "质量检查运行编号", required=True),
        Column("trigger", T.CODE, "manual or post_load", "手动或加载后", values=("manual", "post_load")),
        Column("load_id", T.INTEGER, "Load that triggered the run", "触发运行的加载"),
        Column("parameters", T.JSON, "Tables asked for, as-of time, check files", "所查表、基准时间、检查文件"),
        Column("as_of", T.TIMESTAMP, "Time freshness was judged against (UTC)", "新鲜度判断基准时间(UTC)"),
        Column("version", T.STRING, "zhongtai version", "zhongtai 版本"),
        Column("checks", T.INTEGER, "Checks evaluated", "执行的检查数"),
        Column("checks_failed", T.INTEGER, "Checks that failed", "未通过的检查数"),
        Column("checked_rows", T.INTEGER, "Sum of rows checked over counted checks", "计分检查的受检行数之和"),
        Column("failed_rows", T.INTEGER, "Sum of failing rows over counted checks", "计分检查的失败行数之和"),
        Column("score", T.RATE, "Share of checked rows passing", "受检行通过比例"),
        Column("started_at", T.TIMESTAMP, "Started (UTC)", "开始时间(UTC)"),
        Column("finished_at", T.TIMESTAMP, "Finished (UTC)", "结束时间(UTC)"),
    ),
    key=("run_id",),
)  # fmt: skip

QUALITY_RESULTS = Table(
    "quality_results", "One record per check per quality run", "每次运行每项检查一条记录",
    (
        Column("run_id", T.INTEGER, "Quality run id", "质量检查运行编号", required=True),
        Column("check_id", T.ID, "table.name of the check", "检查标识(表.名称)", required=True),
        Column("table_name", T.ID, "Table checked", "受检表", required=True),
        Column("kind", T.CODE, "Check kind", "检查类型"),
        Column("status", T.CODE, "passed, failed or skipped", "通过、未通过或跳过",
               values=("passed", "failed", "skipped")),
        Column("table_rows", T.INTEGER, "Rows in the table at the run", "运行时表行数"),
        Column("checked_rows", T.INTEGER, "Rows checked", "受检行数"),
        Column("failed_rows", T.INTEGER, "Rows failing", "失败行数"),
        Column("detail", T.JSON, "What was found (no cell values)", "发现的情况(不含单元格值)"),
        Column("duration_s", T.NUMBER, "Duration in seconds", "耗时(秒)"),
    ),
    key=("run_id", "check_id"),
)  # fmt: skip

_SEQ = "quality_seq"


def runs_exist(warehouse: Warehouse) -> bool:
    return warehouse.table_exists(QUALITY_RUNS.name, META_SCHEMA)


def ensure_tables(warehouse: Warehouse) -> None:
    warehouse.execute(exp.Create(this=exp.Table(this=ident(META_SCHEMA)), kind="SCHEMA", exists=True))
    warehouse.execute(exp.Create(this=tbl(_SEQ, META_SCHEMA), kind="SEQUENCE", exists=True))
    for table in (QUALITY_RUNS, QUALITY_RESULTS):
        warehouse.execute(create_table(table, schema=META_SCHEMA, system_columns=False))


def next_run_id(warehouse: Warehouse) -> int:
    return int(warehouse.fetchall(fragment("SELECT NEXTVAL(:s)", s=lit(f"{META_SCHEMA}.{_SEQ}")))[0][0])


def _values(rows: list[list[Any]]) -> exp.Values:
    return exp.Values(expressions=[exp.Tuple(expressions=[lit(v) for v in row]) for row in rows])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def save_run(warehouse: Warehouse, run: Any) -> None:
    """Insert one run and its results atomically (``run`` is a :class:`~.run.QualityRun`)."""
    head = [
        run.run_id,
        run.trigger,
        run.load_id,
        _json(run.parameters),
        run.as_of,
        run.version,
        len(run.results),
        sum(1 for r in run.results if r.status == "failed"),
        run.checked_rows,
        run.failed_rows,
        run.score,
        run.started_at,
        run.finished_at,
    ]
    details = [
        [
            run.run_id,
            r.check_id,
            r.table,
            r.kind,
            r.status,
            run.table_rows.get(r.table),
            r.checked_rows,
            r.failed_rows,
            _json(r.detail),
            round(r.seconds, 4),
        ]
        for r in run.results
    ]
    with warehouse.transaction():
        warehouse.execute(exp.insert(_values([head]), tbl(QUALITY_RUNS.name, META_SCHEMA)))
        for start in range(0, len(details), 500):
            warehouse.execute(exp.insert(_values(details[start : start + 500]), tbl(QUALITY_RESULTS.name, META_SCHEMA)))


def previous_row_counts(warehouse: Warehouse) -> dict[str, int]:
    """Each table's row count at the latest earlier run that checked it."""
    if not runs_exist(warehouse):
        return {}
    ranked = (
        exp.select(
            col("table_name"),
            col("table_rows"),
            exp.alias_(
                exp.Window(
                    this=exp.RowNumber(),
                    partition_by=[col("table_name")],
                    order=exp.Order(expressions=[exp.Ordered(this=col("run_id"), desc=True)]),
                ),
                "rn",
            ),
        )
        .from_(tbl(QUALITY_RESULTS.name, META_SCHEMA))
        .where(exp.Not(this=exp.Is(this=col("table_rows"), expression=exp.Null())))
    )
    query = (
        exp.select(col("table_name"), col("table_rows"))
        .from_(ranked.subquery("r"))
        .where(exp.EQ(this=col("rn"), expression=lit(1)))
    )
    return {str(name): int(rows) for name, rows in warehouse.fetchall(query)}


def load_history(warehouse: Warehouse, *, runs: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The last ``runs`` quality runs (newest first) and all their results."""
    if not runs_exist(warehouse):
        return [], []
    head_cols = [c.name for c in QUALITY_RUNS.columns]
    heads = warehouse.fetchall(
        exp.select(*[col(c) for c in head_cols])
        .from_(tbl(QUALITY_RUNS.name, META_SCHEMA))
        .order_by(exp.Ordered(this=col("run_id"), desc=True))
        .limit(runs)
    )
    if not heads:
        return [], []
    ids = [h[0] for h in heads]
    result_cols = [c.name for c in QUALITY_RESULTS.columns]
    results = warehouse.fetchall(
        exp.select(*[col(c) for c in result_cols])
        .from_(tbl(QUALITY_RESULTS.name, META_SCHEMA))
        .where(exp.In(this=col("run_id"), expressions=[lit(i) for i in ids]))
        .order_by(col("run_id"), col("check_id"))
    )
    return heads, results


def as_datetime(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None
