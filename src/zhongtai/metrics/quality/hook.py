"""The post-load hook: after each committed load, check the tables it changed.

Published as the ``quality_checks`` entry point of group ``zhongtai.post_load`` (pyproject.toml);
the job runner calls it with the load's context. Its summary lands in the job run's ``hooks``.
"""

from __future__ import annotations

from typing import Any, Protocol

from zhongtai.metrics.quality.run import run_quality
from zhongtai.warehouse.model import TABLES

__all__ = ["quality_after_load"]


class _HookContext(Protocol):
    workspace: Any
    run_id: int
    load_id: int | None
    changed_tables: set[str]


def quality_after_load(context: _HookContext) -> dict[str, Any]:
    """Run the checks of the canonical tables the load changed and store the results."""
    tables = sorted(t for t in context.changed_tables if t in TABLES)
    if not tables:
        return {"checked": 0}
    run = run_quality(context.workspace, tables=tables, trigger="post_load", load_id=context.load_id)
    return {
        "quality_run": run.run_id,
        "score": None if run.score is None else round(run.score, 6),
        "failed_checks": [r.check_id for r in run.results if r.status == "failed"],
    }
