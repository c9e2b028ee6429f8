"""``zhongtai jobs``: job runs and their records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Job runs. / 作业运行记录。")


@app.command("list")
@command
def jobs_list(
    out: Output,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    job: Annotated[str | None, typer.Option(help="Only this job / 仅此作业")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Recent runs with status, rows and duration. / 最近的作业运行。"""
    from zhongtai.jobs import list_runs
    from zhongtai.policy import Action, Capability

    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.JOBS, Action.READ)
        runs = list_runs(ws, limit=limit, job=job)
    if out.as_json:
        out.json([r.to_dict() for r in runs])
        return
    rows = [
        (
            r.run_id,
            r.job,
            r.status,
            r.rows,
            r.error_code or "",
            r.started_at.isoformat(sep=" ", timespec="seconds") if r.started_at else "",
            r.duration_s,
            ", ".join(f"{h['hook']}:{h['status']}" for h in r.hooks),
        )
        for r in runs
    ]
    out.table(
        None,
        [
            out.t("cli.run"),
            out.t("cli.job"),
            out.t("cli.status"),
            out.t("cli.rows"),
            out.t("cli.error"),
            out.t("cli.started"),
            out.t("cli.duration"),
            "hooks",
        ],
        rows,
    )


@app.command("show")
@command
def jobs_show(
    out: Output,
    run_id: Annotated[int, typer.Argument(help="Run id / 运行编号")],
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """One run in full (parameters, result, hooks). / 某次运行的完整记录。"""
    from zhongtai.jobs import get_run
    from zhongtai.policy import Action, Capability

    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.JOBS, Action.READ)
        run = get_run(ws, run_id)
    out.json(run.to_dict()) if out.as_json else out.console.print_json(data=run.to_dict(), default=str)


@app.command("available")
@command
def jobs_available(out: Output) -> None:
    """Jobs that can run. / 可运行的作业。"""
    from zhongtai.jobs import jobs

    specs = jobs()
    if out.as_json:
        out.json([{"name": s.name, "en": s.en, "zh": s.zh} for s in specs])
        return
    out.table(
        None,
        [out.t("cli.job"), out.t("cli.description")],
        [(s.name, s.zh if out.lang == "zh_CN" else s.en) for s in specs],
    )
