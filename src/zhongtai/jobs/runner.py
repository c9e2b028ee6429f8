"""Running jobs with a run record, progress and post-load hooks.

Every run writes a row to ``zt_meta.job_runs`` when it starts (``running``) and completes it
(``succeeded`` or ``failed``, duration, rows, a result summary, the hooks that ran). A run left
``running`` by a killed process is marked failed the next time the workspace opens for writing.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from zhongtai._version import __version__
from zhongtai.errors import EngineError, NotFoundError, ZhongtaiError
from zhongtai.jobs.registry import get_job, post_load_hooks
from zhongtai.progress import NullProgress, Progress
from zhongtai.warehouse._sql import col, fragment, lit, tbl
from zhongtai.warehouse.meta import JOB_RUNS, META_SCHEMA

if TYPE_CHECKING:
    from zhongtai.workspace import Workspace

__all__ = ["HookContext", "JobContext", "JobRun", "get_run", "list_runs", "run_job"]


@dataclass(slots=True)
class JobContext:
    workspace: Workspace
    run_id: int
    params: dict[str, Any]
    as_of: datetime
    progress: Progress


@dataclass(slots=True)
class HookContext:
    """What a post-load hook receives."""

    workspace: Workspace
    run_id: int
    load_id: int | None
    changed_tables: set[str]


@dataclass(slots=True)
class JobRun:
    run_id: int
    job: str
    parameters: dict[str, Any]
    as_of: datetime | None
    version: str
    status: str
    rows: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    error_code: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("as_of", "started_at", "finished_at"):
            value = getattr(self, key)
            out[key] = value.isoformat() if value else None
        return out


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _runs() -> exp.Table:
    return tbl(JOB_RUNS.name, META_SCHEMA)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def run_job(
    workspace: Workspace,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    as_of: datetime | None = None,
    progress: Progress | None = None,
) -> JobRun:
    """Run job ``name``; its errors propagate after the run is recorded as failed."""
    spec = get_job(name)
    wh = workspace.warehouse
    parameters = dict(params or {})
    started = _now()
    run_id = int(wh.fetchall(fragment("SELECT NEXTVAL(:s)", s=lit(f"{META_SCHEMA}.run_seq")))[0][0])
    record = JobRun(run_id, name, parameters, as_of or started, __version__, "running", started_at=started)
    _insert(workspace, record)
    clock = time.perf_counter()
    context = JobContext(workspace, run_id, parameters, record.as_of or started, progress or NullProgress())
    try:
        result = spec.function(context)
    except ZhongtaiError as exc:
        _finish(workspace, record, clock, status="failed", error=exc)
        raise
    except Exception as exc:
        failure = EngineError("jobs.failed", job=name, detail=type(exc).__name__)
        _finish(workspace, record, clock, status="failed", error=failure)
        raise failure from exc
    record.result = result
    record.rows = int(result.get("rows", 0) or 0)
    changed = set(result.get("changed_tables", []))
    if spec.triggers_hooks and changed:
        context.progress.phase("hooks", None)
        record.hooks = _run_hooks(workspace, run_id, result.get("load_id"), changed)
    _finish(workspace, record, clock, status="succeeded")
    return record


def _run_hooks(workspace: Workspace, run_id: int, load_id: int | None, changed: set[str]) -> list[dict[str, Any]]:
    """Run every interested hook; a failing hook is recorded, it does not undo the load."""
    outcomes = []
    for hook in post_load_hooks():
        if not hook.wants(changed):
            continue
        started = time.perf_counter()
        try:
            detail = hook.function(HookContext(workspace, run_id, load_id, changed)) or {}
            outcomes.append(
                {
                    "hook": hook.name,
                    "status": "succeeded",
                    "detail": detail,
                    "seconds": round(time.perf_counter() - started, 3),
                }
            )
        except ZhongtaiError as exc:
            outcomes.append({"hook": hook.name, "status": "failed", "error_code": exc.code})
        except Exception as exc:
            outcomes.append({"hook": hook.name, "status": "failed", "error_code": type(exc).__name__})
    return outcomes


def _insert(workspace: Workspace, record: JobRun) -> None:
    values = [
        lit(record.run_id),
        lit(record.job),
        lit(_json(record.parameters)),
        lit(record.as_of),
        lit(record.version),
        lit(record.status),
        lit(None),
        lit(None),
        lit(None),
        lit(None),
        lit(None),
        lit(record.started_at),
        lit(None),
        lit(None),
    ]
    workspace.warehouse.execute(exp.insert(exp.Values(expressions=[exp.Tuple(expressions=values)]), _runs()))


def _finish(
    workspace: Workspace, record: JobRun, clock: float, *, status: str, error: ZhongtaiError | None = None
) -> None:
    record.status = status
    record.finished_at = _now()
    record.duration_s = round(time.perf_counter() - clock, 3)
    if error is not None:
        record.error_code = error.code
        record.error_params = dict(error.params)
    assignments = {
        "status": record.status,
        "rows": record.rows,
        "result": _json(record.result),
        "hooks": _json(record.hooks),
        "error_code": record.error_code,
        "error_params": _json(record.error_params),
        "finished_at": record.finished_at,
        "duration_s": record.duration_s,
    }
    update = exp.update(
        _runs(), {k: lit(v) for k, v in assignments.items()}, where=fragment("run_id = :i", i=lit(record.run_id))
    )
    workspace.warehouse.execute(update)


def _from_row(row: tuple[Any, ...]) -> JobRun:
    data = dict(zip([c.name for c in JOB_RUNS.columns], row, strict=True))
    for key, empty in (("parameters", {}), ("result", {}), ("hooks", []), ("error_params", {})):
        data[key] = json.loads(data[key]) if data[key] else empty
    data["job"] = data.pop("job")
    return JobRun(**data)


def list_runs(workspace: Workspace, *, limit: int = 50, job: str | None = None) -> list[JobRun]:
    query = exp.select(*[col(c.name) for c in JOB_RUNS.columns]).from_(_runs())
    if job:
        query = query.where(fragment("job = :j", j=lit(job)))
    query = query.order_by(exp.Ordered(this=col("run_id"), desc=True)).limit(limit)
    return [_from_row(r) for r in workspace.warehouse.fetchall(query)]


def get_run(workspace: Workspace, run_id: int) -> JobRun:
    query = (
        exp.select(*[col(c.name) for c in JOB_RUNS.columns])
        .from_(_runs())
        .where(fragment("run_id = :i", i=lit(run_id)))
    )
    rows = workspace.warehouse.fetchall(query)
    if not rows:
        raise NotFoundError("jobs.not_found", run_id=run_id)
    return _from_row(rows[0])
