"""Jobs that ship with zhongtai's floor: loading files and public data sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zhongtai.errors import NotFoundError
from zhongtai.jobs.registry import job
from zhongtai.jobs.runner import JobContext
from zhongtai.warehouse.ingest import ingest_file, resolve_mapping


@job("ingest", en="Load a file into the warehouse", zh="将文件加载到数仓", triggers_hooks=True)
def ingest_job(context: JobContext) -> dict[str, Any]:
    """Params: ``file``, ``source``, optional ``adapter``, ``mapping`` (path), ``force``, ``max_reject_rate``."""
    params = context.params
    file = Path(params["file"])
    if not file.is_file():
        raise NotFoundError("ingest.file_not_found", file=str(file))
    mapping, adapter_name = resolve_mapping(
        source=params.get("source"), adapter=params.get("adapter"), mapping_path=params.get("mapping")
    )
    result = ingest_file(
        context.workspace,
        file,
        mapping=mapping,
        source=params.get("source"),
        adapter=adapter_name,
        force=bool(params.get("force", False)),
        max_reject_rate=params.get("max_reject_rate"),
        progress=context.progress,
        job_run_id=context.run_id,
    )
    summary = result.to_dict()
    record = result.record
    changed = [t for t, c in record.table_counts.items() if c.inserted or c.updated or c.deleted] if record else []
    summary.update({"rows": record.rows_loaded if record else 0, "changed_tables": changed, "load_id": result.load_id})
    return summary


@job("dataset", en="Load a public data set", zh="加载公开数据集", triggers_hooks=True)
def dataset_job(context: JobContext) -> dict[str, Any]:
    """Params: ``name``, optional ``path`` (folder holding the files), ``force``."""
    from zhongtai.datasets import load_dataset

    params = context.params
    outcome = load_dataset(
        context.workspace,
        params["name"],
        path=params.get("path"),
        force=bool(params.get("force", False)),
        progress=context.progress,
        job_run_id=context.run_id,
    )
    return outcome.to_dict()


@job("alerts", en="Detect metric anomalies and open alerts", zh="检测指标异常并生成告警")
def alerts_job(context: JobContext) -> dict[str, Any]:
    """Params: optional ``metrics`` (list), ``since`` / ``until`` (YYYY-MM-DD); acts as the owner."""
    from datetime import date

    from zhongtai.appdb import owner_principal
    from zhongtai.metrics.monitor import run_detection

    params = context.params
    run = run_detection(
        context.workspace,
        owner_principal(context.workspace.app, via="job:alerts"),
        metrics=params.get("metrics") or None,
        since=date.fromisoformat(params["since"]) if params.get("since") else None,
        until=date.fromisoformat(params["until"]) if params.get("until") else None,
        job_run_id=context.run_id,
    )
    return {"rows": len(run.drafts), **run.to_dict()}
