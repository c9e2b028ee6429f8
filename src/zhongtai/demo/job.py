"""The ``demo`` job: fill the workspace it runs in with the demo shop (``zhongtai jobs`` records it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhongtai.demo.config import BLOCK, DemoConfig
from zhongtai.demo.generate import RESULTS, build_shop
from zhongtai.jobs import JobContext, job

__all__ = ["demo_job"]


@job("demo", en="Generate the demo shop", zh="生成演示店铺数据", triggers_hooks=True)
def demo_job(context: JobContext) -> dict[str, Any]:
    """Params: ``customers``, ``seed``, ``start``, ``end`` (ISO dates), optional ``workers``, ``keep_files``."""
    p = context.params
    config = DemoConfig(
        int(p["customers"]),
        int(p["seed"]),
        date.fromisoformat(p["start"]),
        date.fromisoformat(p["end"]),
        workers=int(p.get("workers", 1)),
        block=int(p.get("block", BLOCK)),
    )
    result = build_shop(
        context.workspace,
        config,
        progress=context.progress,
        keep_files=bool(p.get("keep_files")),
        job_run_id=context.run_id,
    )
    summary = result.to_dict()
    summary["changed_tables"] = [t for t, n in result.rows.items() if n]
    summary["rows"] = sum(result.rows.values())
    RESULTS[context.run_id] = result
    return summary
