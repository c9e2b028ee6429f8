"""``zhongtai demo``: generate the demo shop, and show what was planted in it.

``zhongtai demo --customers N --seed S PATH`` generates (the default command); ``zhongtai demo
truth --workspace W`` summarises the planted truth for people scoring zhongtai.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws
from zhongtai.cli.workspace_cmds import show_overview

__all__ = ["app"]

DEFAULT_COMMAND = "generate"


class _DefaultGroup(TyperGroup):
    """``zhongtai demo ARGS`` runs ``demo generate ARGS`` unless ARGS name a subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultGroup, help="The demo shop with planted truths. / 带预置真值的演示店铺。", no_args_is_help=True
)


@app.command(DEFAULT_COMMAND)
@command
def demo_generate(
    out: Output,
    path: Annotated[Path, typer.Argument(help="Folder for the new workspace / 新工作区目录")],
    customers: Annotated[
        str, typer.Option("--customers", "-n", help="People in the shop, 100 … 20,000,000 / 客户人数")
    ] = "10000",
    seed: Annotated[str, typer.Option("--seed", "-s", help="Random seed (whole number) / 随机种子(整数)")] = "42",
    force: Annotated[
        bool, typer.Option("--force", help="Replace the workspace in PATH / 替换 PATH 中的工作区")
    ] = False,
    workers: Annotated[int | None, typer.Option(min=1, help="Generator processes / 生成进程数")] = None,
) -> None:
    """Generate a synthetic shop into a new workspace and show its overview. / 生成演示店铺并显示概览。"""
    from zhongtai.demo import generate_demo

    with out.progress() as progress:
        result = generate_demo(path, customers=customers, seed=seed, force=force, workers=workers, progress=progress)
    if out.as_json:
        out.json(result.to_dict())
        return
    out.say(
        "cli.demo_done",
        customers=f"{result.config.customers:,}",
        seed=result.config.seed,
        rows=f"{sum(result.rows.values()):,}",
        quarantined=f"{sum(result.quarantined.values()):,}",
        seconds=f"{result.seconds:.1f}",
    )
    show_overview(out, Path(result.path))


@app.command("truth")
@command
def demo_truth(out: Output, workspace: WorkspaceOpt = Path(".")) -> None:
    """What was planted in a demo workspace (for scoring). / 演示工作区中预置的真值(用于评分)。"""
    from zhongtai.demo import summarise_truth

    with open_ws(workspace, read_only=True) as ws:
        summary = summarise_truth(ws)
    if out.as_json:
        out.json(summary.to_dict())
        return
    run = summary.run
    title = out.t(
        "cli.truth_title",
        path=summary.path,
        seed=run.get("seed"),
        customers=_int(run.get("customers")),
        start=run.get("start"),
        end=run.get("end"),
    )
    out.console.print(f"[bold]{escape(title)}[/]")
    for name, rows in summary.sections.items():
        if not rows:
            continue
        headers = list(rows[0])
        out.table(out.t(f"cli.truth_section.{name}"), headers, [[r[h] for h in headers] for r in rows])


def _int(value: Any) -> str:
    try:
        return f"{int(float(value)):,}"
    except (TypeError, ValueError):
        return str(value)
