"""``zhongtai metrics explain``: which segments explain a metric's change between two periods.

The command is attached to the ``metrics`` Typer app by :func:`register` (called from
``zhongtai.cli`` once ``metrics_cmds`` exists), so this module does not depend on that one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

__all__ = ["metrics_explain", "register"]


@command
def metrics_explain(
    out: Output,
    metric: Annotated[str, typer.Argument(help="Metric name / 指标名")],
    from_: Annotated[str, typer.Option("--from", help="Base period: 2025-06, 2025-Q2, 2025-06-01..2025-06-15 / 基期")],
    to: Annotated[str, typer.Option("--to", help="Period to explain, same forms / 对比期")],
    by: Annotated[str, typer.Option("--by", help="Dimensions, comma-separated: channel,category_l1 / 维度")],
    top: Annotated[int, typer.Option(min=1, help="Segments shown per dimension / 每个维度显示的分组数")] = 10,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Explain a metric's change by dimension (shift-share for ratios). / 按维度解释指标变化。"""
    from zhongtai.metrics.explain import explain_metric, parse_period

    base, new = parse_period(from_, "--from"), parse_period(to, "--to")
    dims = [d.strip() for d in by.split(",") if d.strip()]
    with open_ws(workspace, read_only=True) as ws:
        results = explain_metric(ws, metric, base=base, new=new, by=dims, principal=act_as(ws, as_user))
    if out.as_json:
        out.json({"metric": metric, "from": base, "to": new, "by": [r.to_dict() for r in results]})
        return
    for result in results:
        (dimension,) = result.dimensions
        title = out.t(
            "cli.explain.title",
            metric=metric,
            base=_num(result.base_total),
            new=_num(result.new_total),
            change=_num(result.change),
            dimension=dimension,
        )
        ratio = result.kind == "ratio"
        headers = [out.t("cli.explain.segment"), out.t("cli.explain.contribution"), out.t("cli.explain.share")]
        if ratio:
            headers += ["rate", "mix", "interaction"]
        rows = []
        for values in result.segments.head(top).to_dict(orient="records"):
            line = [values[dimension], _num(values["contribution"]), _pct(values["share"])]
            if ratio:
                line += [_num(values["rate_effect"]), _num(values["mix_effect"]), _num(values["interaction"])]
            rows.append(line)
        out.table(title, headers, rows)
        if ratio:
            out.say(
                "cli.explain.effects",
                rate=_num(result.effects["rate"]),
                mix=_num(result.effects["mix"]),
                interaction=_num(result.effects["interaction"]),
                unexplained=_num(result.unexplained),
            )


def _num(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"


def _pct(value: float) -> str:
    return "" if value != value else f"{value:.1%}"


def register(app: typer.Typer) -> None:
    """Attach ``explain`` to the ``metrics`` command group."""
    app.command("explain")(metrics_explain)
