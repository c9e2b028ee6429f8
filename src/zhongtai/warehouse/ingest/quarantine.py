"""Quarantine: rejected rows, each with file, row, column and reason in zh and en.

One Parquet file per load, ``quarantine/load-<id>.parquet``, one record per (row, problem):
``load_id, file, row, table, column, header, rule, reason_en, reason_zh, raw``. ``raw`` holds the
row's original cells as a JSON object; it may contain personal data, so the folder is private
to the workspace owner and (from the app-state layer on) shown only to roles allowed to see it.
Reasons name the rule and the column, never the cell value.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
from sqlglot import exp

from zhongtai.i18n import catalogue
from zhongtai.warehouse._sql import col, fn, fragment, lit, run, scalar, tbl, temp_table
from zhongtai.warehouse.export import neutralise_cell

__all__ = [
    "QUARANTINE_COLUMNS",
    "export_quarantine",
    "quarantine_file_name",
    "read_quarantine",
    "write_quarantine",
]

QUARANTINE_COLUMNS = ("load_id", "file", "row", "table", "column", "header", "rule", "reason_en", "reason_zh", "raw")
RULE_PREFIX = "rule."


def quarantine_file_name(load_id: int) -> str:
    return f"load-{load_id:06d}.parquet"


def _rule_messages() -> list[tuple[str, str, str]]:
    en, zh = catalogue("en"), catalogue("zh_CN")
    rules = sorted(k for k in en if k.startswith(RULE_PREFIX))
    return [(r.removeprefix(RULE_PREFIX), en[r], zh.get(r, en[r])) for r in rules]


def _reason(template: exp.Expr) -> exp.Expr:
    filled = fragment("REPLACE(:t, '{column}', COALESCE(e.tbl || '.' || e.col, ''))", t=template)
    return fragment("REPLACE(:t, '{header}', COALESCE(e.header, ''))", t=filled)


def write_quarantine(
    con: duckdb.DuckDBPyConnection,
    *,
    errors: str,
    staged: str,
    rejects: str,
    headers: list[str],
    load_id: int,
    file_name: str,
    target: Path,
) -> int:
    """Write the quarantine file for one load; return the number of distinct rejected rows."""
    keys: list[str] = []
    for header in headers:
        key = header or "_"
        while key in keys:
            key += "_"
        keys.append(key)
    pairs: list[exp.Expr] = []
    for i, key in enumerate(keys):
        pairs += [lit(key), col(f"c{i}", "s")]
    raw = fn("json_object", *pairs) if pairs else lit("{}")
    temp_table(con, "zt_rules", {"rule": "VARCHAR", "en": "VARCHAR", "zh": "VARCHAR"}, _rule_messages())
    problems = exp.union(
        fragment("SELECT _row, tbl, col, header, rule, NULL AS raw FROM :e", e=tbl(errors)),
        fragment("SELECT _row, NULL, NULL, NULL, rule, raw FROM :r", r=tbl(rejects)),
        distinct=False,
    )
    select = (
        exp.select(
            lit(load_id).as_("load_id"),
            lit(file_name).as_("file"),
            col("_row", "e").as_("row"),
            col("tbl", "e").as_("table"),
            col("col", "e").as_("column"),
            col("header", "e").as_("header"),
            col("rule", "e").as_("rule"),
            _reason(fragment("COALESCE(m.en, e.rule)")).as_("reason_en"),
            _reason(fragment("COALESCE(m.zh, e.rule)")).as_("reason_zh"),
            fragment("COALESCE(e.raw, CAST(:raw AS VARCHAR))", raw=raw).as_("raw"),
        )
        .from_(problems.subquery("e"))
        .join(tbl("zt_rules", alias="m"), on=fragment("m.rule = e.rule"), join_type="left")
        .join(tbl(staged, alias="s"), on=fragment("s._row = e._row"), join_type="left")
        .order_by(col("row"), col("rule"), col("table"), col("column"))
    )
    tmp = target
    run(
        con,
        fragment("COPY (SELECT 1) TO :p (FORMAT PARQUET)", p=lit(str(tmp))).transform(
            lambda n: select.subquery() if isinstance(n, exp.Subquery) else n
        ),
    )
    run(con, fragment("DROP TABLE zt_rules"))
    rejected = scalar(
        con,
        fragment(
            "SELECT COUNT(DISTINCT _row) FROM (SELECT _row FROM :e UNION ALL SELECT _row FROM :r)",
            e=tbl(errors),
            r=tbl(rejects),
        ),
    )
    os.chmod(tmp, 0o600)
    return int(rejected or 0)


def read_quarantine(path: Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The quarantine records of one load, in row order."""
    table = pq.read_table(path)
    if limit is not None:
        table = table.slice(0, limit)
    records: list[dict[str, Any]] = table.to_pylist()
    return records


def export_quarantine(path: Path, target: Path, *, include_raw: bool) -> int:
    """Write a quarantine file as CSV (UTF-8 with BOM so Excel shows Chinese), formula cells
    neutralised. Returns the number of records written."""
    records = read_quarantine(path)
    columns = [c for c in QUARANTINE_COLUMNS if include_raw or c != "raw"]
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow([neutralise_cell(_text(record.get(c))) for c in columns])
    return len(records)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def finalise(path_tmp: Path) -> Path:
    """Make a written quarantine file visible (after its load committed)."""
    final = Path(str(path_tmp).removesuffix(".tmp"))
    path_tmp.replace(final)
    return final
