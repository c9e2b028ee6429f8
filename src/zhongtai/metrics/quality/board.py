"""The quality board: per table the latest score, its failing checks and the trend over runs.

Built only from the stored history (``zt_meta.quality_results``), so the CLI now and the web
console later show the same numbers. A table's row on the board comes from the newest run that
checked it (a ``--table`` run refreshes only its tables); the overall score sums those rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zhongtai.metrics.quality import store
from zhongtai.metrics.quality.checks import CheckResult
from zhongtai.metrics.quality.run import TARGET, score_of

if TYPE_CHECKING:
    from zhongtai.workspace import Workspace

__all__ = ["BoardRow", "QualityBoard", "quality_board"]


@dataclass(frozen=True, slots=True)
class BoardRow:
    table: str
    run_id: int
    checked_at: datetime | None
    checks: int
    failing: tuple[CheckResult, ...]
    checked_rows: int
    failed_rows: int
    score: float | None
    trend: tuple[float | None, ...]  # oldest first, this table's score in each run that checked it

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "run_id": self.run_id,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "checks": self.checks,
            "failing_checks": [r.to_dict() for r in self.failing],
            "checked_rows": self.checked_rows,
            "failed_rows": self.failed_rows,
            "score": self.score,
            "trend": list(self.trend),
        }


@dataclass(frozen=True, slots=True)
class QualityBoard:
    rows: tuple[BoardRow, ...]
    score: float | None
    target: float
    runs: tuple[tuple[int, datetime | None, float | None], ...]  # (run id, finished, score), oldest first

    def row(self, table: str) -> BoardRow:
        for row in self.rows:
            if row.table == table:
                return row
        raise KeyError(table)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "target": TARGET,
            "meets_target": None if self.score is None else self.score >= self.target,
            "tables": [r.to_dict() for r in self.rows],
            "runs": [{"run_id": i, "finished_at": f.isoformat() if f else None, "score": s} for i, f, s in self.runs],
        }


def quality_board(workspace: Workspace, *, runs: int = 10) -> QualityBoard:
    """The board over the last ``runs`` quality runs (empty when no run was stored yet)."""
    heads, rows = store.load_history(workspace.warehouse, runs=runs)
    finished = {int(h[0]): store.as_datetime(h[12]) for h in heads}
    by_run_table: dict[tuple[int, str], list[CheckResult]] = defaultdict(list)
    for run_id, check_id, table, kind, status, _rows, checked, failed, detail, _s in rows:
        name = str(check_id).split(".", 1)[1]
        result = CheckResult(
            str(check_id), str(table), str(kind), name, str(status), int(checked or 0), int(failed or 0),
            json.loads(detail) if detail else {},
        )  # fmt: skip
        by_run_table[(int(run_id), str(table))].append(result)
    board_rows = []
    latest_results: list[CheckResult] = []
    for table in sorted({t for _, t in by_run_table}):
        run_ids = sorted(r for r, t in by_run_table if t == table)
        newest = by_run_table[(run_ids[-1], table)]
        latest_results += newest
        checked, failed, score = score_of(newest)
        trend = tuple(score_of(by_run_table[(r, table)])[2] for r in run_ids)
        failing = tuple(r for r in newest if r.status == "failed")
        board_rows.append(
            BoardRow(table, run_ids[-1], finished.get(run_ids[-1]), len(newest), failing, checked, failed, score, trend)
        )
    overall = score_of(latest_results)[2]
    history = tuple(
        (int(h[0]), store.as_datetime(h[12]), None if h[10] is None else float(h[10])) for h in reversed(heads)
    )
    return QualityBoard(tuple(board_rows), overall, TARGET, history)
