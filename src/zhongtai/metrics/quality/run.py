"""Running the declared checks on a workspace, scoring them and keeping the history.

**Score.** For a set of counted checks *C* (every check that was not skipped),

    score = Σ_c (checked_c − failed_c) / Σ_c checked_c

the share of checked rows passing, where a row checked by three checks counts three times. A
table's score sums over its checks; the overall score over all tables' checks. Table-level checks
(freshness, row-count change) weigh as many rows as the table holds. With nothing checked the
score is ``None``, never 1. The plan behind zhongtai targets 99.7 % (``TARGET``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from zhongtai._version import __version__
from zhongtai.metrics.quality import store
from zhongtai.metrics.quality.checks import CheckResult, Status, evaluate_check
from zhongtai.metrics.quality.spec import CheckSpec, load_checks
from zhongtai.warehouse._sql import tbl

if TYPE_CHECKING:
    from zhongtai.workspace import Workspace

__all__ = ["TARGET", "QualityRun", "TableScore", "run_checks", "run_quality", "score_of"]

TARGET = 0.997
"""Target quality score (seed plan: data accuracy 99.7 %)."""


def score_of(results: Iterable[CheckResult]) -> tuple[int, int, float | None]:
    """``(checked, failed, score)`` over the counted results (see the module docstring)."""
    counted = [r for r in results if r.counted]
    checked = sum(r.checked_rows for r in counted)
    failed = sum(r.failed_rows for r in counted)
    return checked, failed, (None if checked == 0 else (checked - failed) / checked)


@dataclass(frozen=True, slots=True)
class TableScore:
    table: str
    checks: int
    failed_checks: tuple[str, ...]
    checked_rows: int
    failed_rows: int
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "checks": self.checks,
            "failed_checks": list(self.failed_checks),
            "checked_rows": self.checked_rows,
            "failed_rows": self.failed_rows,
            "score": self.score,
        }


def table_scores(results: Sequence[CheckResult]) -> list[TableScore]:
    grouped: dict[str, list[CheckResult]] = defaultdict(list)
    for result in results:
        grouped[result.table].append(result)
    scores = []
    for table in sorted(grouped):
        items = grouped[table]
        checked, failed, score = score_of(items)
        failing = tuple(r.name for r in items if r.status == Status.FAILED)
        scores.append(TableScore(table, len(items), failing, checked, failed, score))
    return scores


@dataclass(slots=True)
class QualityRun:
    """One run: parameters, every check's result, and the scores."""

    run_id: int | None
    trigger: str
    load_id: int | None
    as_of: datetime
    parameters: dict[str, Any]
    results: list[CheckResult]
    table_rows: dict[str, int]
    started_at: datetime
    finished_at: datetime
    version: str = __version__
    stored: bool = False
    tables: list[TableScore] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tables = table_scores(self.results)

    @property
    def checked_rows(self) -> int:
        return score_of(self.results)[0]

    @property
    def failed_rows(self) -> int:
        return score_of(self.results)[1]

    @property
    def score(self) -> float | None:
        return score_of(self.results)[2]

    def result(self, check_id: str) -> CheckResult:
        for result in self.results:
            if result.check_id == check_id:
                return result
        raise KeyError(check_id)

    def table(self, name: str) -> TableScore:
        for score in self.tables:
            if score.table == name:
                return score
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "trigger": self.trigger,
            "load_id": self.load_id,
            "as_of": self.as_of.isoformat(),
            "parameters": self.parameters,
            "score": self.score,
            "target": TARGET,
            "checked_rows": self.checked_rows,
            "failed_rows": self.failed_rows,
            "tables": [t.to_dict() for t in self.tables],
            "results": [r.to_dict() for r in self.results],
            "stored": self.stored,
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_checks(
    workspace: Workspace,
    specs: Sequence[CheckSpec],
    *,
    as_of: datetime | None = None,
    previous_rows: dict[str, int] | None = None,
) -> tuple[list[CheckResult], dict[str, int]]:
    """Evaluate ``specs`` on the workspace's warehouse; returns the results and table row counts."""
    wh = workspace.warehouse
    moment = as_of or _now()
    previous = previous_rows or {}
    counts = {
        t: int(wh.fetchall(exp.select(exp.Count(this=exp.Star())).from_(tbl(t)))[0][0])
        for t in sorted({s.table for s in specs})
    }
    results = [
        evaluate_check(wh.fetchall, s, as_of=moment, previous_rows=previous.get(s.table), table_rows=counts[s.table])
        for s in specs
    ]
    return results, counts


def run_quality(
    workspace: Workspace,
    *,
    tables: Iterable[str] | None = None,
    as_of: datetime | None = None,
    trigger: str = "manual",
    load_id: int | None = None,
    store_results: bool = True,
) -> QualityRun:
    """Run the workspace's checks (built-in + ``quality/``), optionally only on ``tables``.

    Results are stored in ``zt_meta.quality_runs`` / ``quality_results`` unless the workspace is
    read-only or ``store_results`` is false. ``as_of`` (naive UTC, default now) is what freshness
    is judged against.
    """
    started = _now()
    wanted = sorted(set(tables)) if tables is not None else None
    specs = load_checks(workspace.path, tables=wanted)
    wh = workspace.warehouse
    writable = store_results and not workspace.read_only
    previous = store.previous_row_counts(wh)
    clock = time.perf_counter()
    results, counts = run_checks(workspace, specs, as_of=as_of or started, previous_rows=previous)
    parameters: dict[str, Any] = {
        "tables": wanted,
        "as_of": (as_of or started).isoformat(),
        "files": sorted({s.file for s in specs}),
        "seconds": round(time.perf_counter() - clock, 3),
    }
    run = QualityRun(
        run_id=None,
        trigger=trigger,
        load_id=load_id,
        as_of=as_of or started,
        parameters=parameters,
        results=results,
        table_rows=counts,
        started_at=started,
        finished_at=_now(),
    )
    if writable:
        store.ensure_tables(wh)
        run.run_id = store.next_run_id(wh)
        store.save_run(wh, run)
        run.stored = True
    return run
