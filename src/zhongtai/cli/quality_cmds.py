"""``zhongtai quality``: run the data-quality checks and show the quality board."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Data quality checks and board. / 数据质量检查与看板。")

_SPARK = "▁▂▃▄▅▆▇█"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _spark(values: tuple[float | None, ...]) -> str:
    """A one-line trend of scores (lower bar = worse; the scale spans the scores shown)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    return "".join(
        " " if v is None else _SPARK[-1 if span == 0 else int((v - low) / span * (len(_SPARK) - 1))] for v in values
    )


@app.command("run")
@command
def quality_run(
    out: Output,
    table: Annotated[list[str] | None, typer.Option("--table", "-t", help="Only these tables / 仅检查这些表")] = None,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="Judge freshness at this UTC time / 新鲜度判断基准(UTC)")
    ] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Run the checks now and store the results. / 立即运行检查并保存结果。"""
    from zhongtai.metrics.quality import TARGET, run_quality
    from zhongtai.policy import Action, Capability

    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.WRITE)
        run = run_quality(ws, tables=table or None, as_of=as_of)
    if out.as_json:
        out.json(run.to_dict())
        return
    failing = [r for r in run.results if r.status == "failed"]
    out.table(
        None,
        [out.t("cli.quality.table"), out.t("cli.quality.failing"), out.t("cli.quality.failed_rows"),
         out.t("cli.quality.checked_rows")],
        [(r.table, r.name, r.failed_rows, r.checked_rows) for r in failing],
    )  # fmt: skip
    out.say(
        "cli.quality.run_done",
        run=run.run_id if run.run_id is not None else "-",
        checks=len(run.results),
        failed=len(failing),
        score=_pct(run.score),
        target=_pct(TARGET),
    )
    if not run.stored:
        out.say("cli.quality.not_stored")


@app.command("board")
@command
def quality_board_cmd(
    out: Output,
    runs: Annotated[int, typer.Option(min=1, max=200, help="Runs in the trend / 趋势包含的运行次数")] = 10,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Per table: score, failing checks and trend. / 各表得分、未通过的检查与趋势。"""
    from zhongtai.metrics.quality import quality_board
    from zhongtai.policy import Action, Capability

    with open_ws(workspace, read_only=True) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.READ)
        board = quality_board(ws, runs=runs)
    if out.as_json:
        out.json(board.to_dict())
        return
    if not board.rows:
        out.say("cli.quality.empty")
        return
    rows = [
        (
            r.table,
            _pct(r.score),
            r.checks,
            ", ".join(f"{f.name} ({f.failed_rows})" for f in r.failing),
            r.checked_rows,
            r.failed_rows,
            _spark(r.trend),
        )
        for r in board.rows
    ]
    out.table(
        out.t("cli.quality.title", score=_pct(board.score), target=_pct(board.target)),
        [out.t("cli.quality.table"), out.t("cli.quality.score"), out.t("cli.quality.checks"),
         out.t("cli.quality.failing"), out.t("cli.quality.checked_rows"), out.t("cli.quality.failed_rows"),
         out.t("cli.quality.trend")],
        rows,
    )  # fmt: skip
