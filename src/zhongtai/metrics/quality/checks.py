"""Each check kind as one SQLGlot query returning ``(checked, failed)`` rows, and its evaluation.

Counting rules (``docs/en/quality.md`` has the same text):

- ``not_null``: checked = all rows; failed = rows where any listed column is NULL.
- ``unique``: checked = rows whose key columns are all non-NULL; failed = rows beyond the first of
  each duplicated key (a key seen 3 times fails 2 rows).
- ``accepted_values`` / ``range``: checked = rows where the column is non-NULL; failed = rows
  outside the list / outside ``[min, max]`` (bounds inclusive).
- ``references``: checked = rows whose link columns are all non-NULL; failed = those with no parent.
- ``sql``: the query returns the failing rows; failed = its row count (at most the table's
  rows), checked = the table's rows.
- ``quarantine``: checked = rows offered by committed loads that wrote the table; failed = rows
  those loads quarantined (a multi-table load's rejected source rows count against each of its
  tables, since each source row feeds all of them).
- ``freshness`` and ``row_count_change`` judge the whole table: checked = the table's rows, failed
  = all of them or none. ``row_count_change`` compares with the table's row count at the previous
  run in the history; with no history it is ``skipped`` and counts nowhere.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlglot import exp

from zhongtai.metrics.quality.spec import CheckSpec
from zhongtai.warehouse._sql import and_all, col, lit, or_all, tbl
from zhongtai.warehouse.meta import LOADS, META_SCHEMA

__all__ = ["CheckResult", "Status", "evaluate_check"]

Executor = Callable[[exp.Expr], list[tuple[Any, ...]]]


class Status:
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check: rows checked and failing, and what was found (no cell values)."""

    check_id: str
    table: str
    kind: str
    name: str
    status: str
    checked_rows: int
    failed_rows: int
    detail: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def counted(self) -> bool:
        """Whether the check enters the score (skipped checks do not)."""
        return self.status != Status.SKIPPED

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check_id,
            "table": self.table,
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "checked_rows": self.checked_rows,
            "failed_rows": self.failed_rows,
            "detail": self.detail,
        }


def _count(where: exp.Expr | None = None) -> exp.Expr:
    star = exp.Count(this=exp.Star())
    return exp.Filter(this=star, expression=exp.Where(this=where)) if where is not None else star


def _not_null(columns: Sequence[str], alias: str | None = None) -> exp.Expr:
    return and_all(exp.Not(this=exp.Is(this=col(c, alias), expression=exp.Null())) for c in columns)


def _row_count(table: str) -> exp.Select:
    return exp.select(_count()).from_(tbl(table))


def build_query(spec: CheckSpec) -> exp.Select:
    """``SELECT checked, failed`` for a row-level check (the custom SQL kind excepted)."""
    o, t = spec.options, spec.table
    if spec.kind == "not_null":
        nulls = or_all(exp.Is(this=col(c), expression=exp.Null()) for c in o["columns"])
        return exp.select(_count(), _count(nulls)).from_(tbl(t))
    if spec.kind == "unique":
        groups = (
            exp.select(exp.alias_(_count(), "n"))
            .from_(tbl(t))
            .where(_not_null(o["columns"]))
            .group_by(*[col(c) for c in o["columns"]])
        )
        n = col("n")
        return exp.select(
            exp.func("COALESCE", exp.Sum(this=n), lit(0)),
            exp.func("COALESCE", exp.Sum(this=exp.Sub(this=n, expression=lit(1))), lit(0)),
        ).from_(groups.subquery("g"))
    if spec.kind == "accepted_values":
        c = col(o["column"])
        present = exp.Not(this=exp.Is(this=c.copy(), expression=exp.Null()))
        outside = exp.Not(this=exp.In(this=c.copy(), expressions=[lit(v) for v in o["values"]]))
        return exp.select(_count(present), _count(exp.and_(present.copy(), outside))).from_(tbl(t))
    if spec.kind == "range":
        c = col(o["column"])
        present = exp.Not(this=exp.Is(this=c.copy(), expression=exp.Null()))
        bad: list[exp.Expr] = []
        if "min" in o:
            bad.append(exp.LT(this=c.copy(), expression=lit(o["min"])))
        if "max" in o:
            bad.append(exp.GT(this=c.copy(), expression=lit(o["max"])))
        return exp.select(_count(present), _count(exp.and_(present.copy(), or_all(bad)))).from_(tbl(t))
    if spec.kind == "references":
        children, parents = o["columns"], o["parent_columns"]
        keys = (
            exp.select(*[exp.alias_(col(p), f"k{i}") for i, p in enumerate(parents)])
            .distinct()
            .from_(tbl(o["parent_table"]))
        )
        on = and_all(exp.EQ(this=col(c, "c"), expression=col(f"k{i}", "p")) for i, c in enumerate(children))
        orphan = exp.Is(this=col("k0", "p"), expression=exp.Null())
        return (
            exp.select(_count(), _count(orphan))
            .from_(tbl(t, alias="c"))
            .join(keys.subquery("p"), on=on, join_type="left")
            .where(_not_null(children, "c"))
        )
    raise ValueError(spec.kind)


def _as_int(value: Any) -> int:
    return int(value or 0)


def evaluate_check(
    run: Executor,
    spec: CheckSpec,
    *,
    as_of: datetime,
    previous_rows: int | None,
    table_rows: int,
) -> CheckResult:
    """Evaluate ``spec`` with ``run`` (an executor of SQLGlot trees on the warehouse)."""
    started = time.perf_counter()
    detail: dict[str, Any] = {}
    if spec.kind == "sql":
        assert spec.query is not None
        failing = exp.select(_count()).from_(spec.query.copy().subquery("failing"))
        found = _as_int(run(failing)[0][0])
        checked, failed = table_rows, min(found, table_rows)
        detail["rows_returned"] = found
    elif spec.kind == "quarantine":
        checked, failed = _quarantine(run, spec.table)
    elif spec.kind == "freshness":
        latest = run(exp.select(exp.Max(this=col(spec.options["column"]))).from_(tbl(spec.table)))[0][0]
        if isinstance(latest, date) and not isinstance(latest, datetime):
            latest = datetime(latest.year, latest.month, latest.day)  # a date counts from its midnight
        limit = float(spec.options["max_age_hours"])
        age = (as_of - latest).total_seconds() / 3600 if isinstance(latest, datetime) else None
        stale = age is None or age > limit
        detail.update(latest=latest.isoformat() if latest else None, age_hours=_round(age), max_age_hours=limit)
        checked, failed = table_rows, table_rows if stale else 0
    elif spec.kind == "row_count_change":
        limit = float(spec.options.get("max_change", 0.5))
        detail.update(rows=table_rows, previous_rows=previous_rows, max_change=limit)
        if previous_rows is None:
            return _result(spec, Status.SKIPPED, 0, 0, {**detail, "reason": "no_history"}, started)
        change = (table_rows - previous_rows) / previous_rows if previous_rows else (0.0 if not table_rows else 1.0)
        detail["change"] = _round(change)
        checked, failed = table_rows, table_rows if abs(change) > limit else 0
    else:
        row = run(build_query(spec))[0]
        checked, failed = _as_int(row[0]), _as_int(row[1])
    status = Status.FAILED if failed else Status.PASSED
    return _result(spec, status, checked, failed, detail, started)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _result(
    spec: CheckSpec, status: str, checked: int, failed: int, detail: dict[str, Any], started: float
) -> CheckResult:
    return CheckResult(
        spec.id, spec.table, spec.kind, spec.name, status, checked, failed, detail, time.perf_counter() - started
    )


def _quarantine(run: Executor, table: str) -> tuple[int, int]:
    """Rows offered and rows quarantined over the committed loads that wrote ``table``."""
    query = (
        exp.select(col("table_counts"), col("rows_read"), col("rows_quarantined"))
        .from_(tbl(LOADS.name, META_SCHEMA))
        .where(exp.EQ(this=col("status"), expression=lit("committed")))
    )
    offered = quarantined = 0
    for counts, read, rejected in run(query):
        tables = json.loads(counts) if isinstance(counts, str) and counts else {}
        if table in tables:
            offered += _as_int(read)
            quarantined += _as_int(rejected)
    return offered, quarantined
