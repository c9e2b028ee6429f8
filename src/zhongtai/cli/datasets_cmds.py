"""``zhongtai datasets``: the public data sets used for tests, benchmarks and demos."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Public data sets. / 公开数据集。")


@app.command("list")
@command
def datasets_list(
    out: Output,
    path: Annotated[Path | None, typer.Option(help="Folder holding the data sets / 数据集目录")] = None,
) -> None:
    """Known data sets, their licence and whether their files are present. / 已知数据集及其许可。"""
    from zhongtai.datasets import datasets

    items = datasets(path)
    if out.as_json:
        out.json([d.to_dict() for d in items])
        return
    out.table(
        None,
        [out.t("cli.dataset"), out.t("cli.description"), out.t("cli.licence"), out.t("cli.available")],
        [(d.name, d.zh if out.lang == "zh_CN" else d.en, d.licence, "✓" if d.available else "—") for d in items],
    )


@app.command("load")
@command
def datasets_load(
    out: Output,
    name: Annotated[str, typer.Argument(help="Data set name / 数据集名称")],
    path: Annotated[Path | None, typer.Option(help="Folder holding the files / 数据文件目录")] = None,
    force: Annotated[bool, typer.Option(help="Load again even if already loaded")] = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Load a data set into the warehouse. / 将数据集加载到数仓。"""
    from zhongtai.jobs import run_job
    from zhongtai.policy import Action, Capability

    params = {"name": name, "path": str(path) if path else None, "force": force}
    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.INGEST, Action.WRITE)
        with out.progress() as progress:
            run = run_job(ws, "dataset", params, progress=progress)
    if out.as_json:
        out.json({"run_id": run.run_id, **run.result})
        return
    out.console.print_json(data=run.result, default=str)
