"""``zhongtai init``, ``zhongtai tables`` and ``zhongtai overview``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer()


@app.command("init")
@command
def init(
    out: Output,
    path: Annotated[Path, typer.Argument(help="Folder to create / 要创建的目录")],
    shop: Annotated[str | None, typer.Option(help="Shop name / 店铺名称")] = None,
    currency: Annotated[str, typer.Option(help="ISO currency / 币种")] = "CNY",
    timezone: Annotated[str, typer.Option(help="Time zone / 时区")] = "Asia/Shanghai",
    language: Annotated[str, typer.Option(help="zh_CN or en / 语言")] = "zh_CN",
) -> None:
    """Create a workspace. / 创建工作区。"""
    from zhongtai.cli.users_cmds import show_first_admin
    from zhongtai.workspace import init_workspace

    with init_workspace(
        path, shop_name=shop, currency=currency, timezone=timezone, language=language, bootstrap_owner=True
    ) as ws:
        admin = ws.first_admin.to_dict() if ws.first_admin else None
        if out.as_json:
            out.json({"path": str(ws.path), "settings": ws.settings.model_dump(), "admin": admin})
        else:
            out.say("cli.created", path=ws.path)
            show_first_admin(out, ws.first_admin)


def show_overview(out: Output, workspace: Path, *, tables_only: bool = False, as_user: str | None = None) -> None:
    """Print the overview of ``workspace`` (shared by ``tables``, ``overview`` and ``make run``)."""
    from zhongtai.policy import Action, Capability

    with open_ws(workspace, read_only=False) as ws:
        act_as(ws, as_user).require(Capability.WAREHOUSE, Action.READ)
        overview = ws.overview()
    if out.as_json:
        out.json(overview.to_dict() if not tables_only else overview.to_dict()["tables"])
        return
    if not tables_only:
        shop = overview.shop
        out.console.print(f"[bold]{out.t('cli.overview_title')}[/]  {overview.path}")
        out.console.print(f"{out.t('cli.shop')}: {shop.name} · {shop.currency} · {shop.timezone} · {shop.language}")
    rows = [
        (
            t.name,
            f"{t.rows:,}",
            t.last_load_id or "",
            t.last_loaded_at.isoformat(sep=" ", timespec="seconds") if t.last_loaded_at else "",
        )
        for t in overview.tables
    ]
    out.table(None, [out.t("cli.table"), out.t("cli.rows"), out.t("cli.last_load"), out.t("cli.loaded_at")], rows)
    out.say(
        "cli.loads_summary",
        committed=overview.loads_committed,
        refused=overview.loads_refused,
        quarantined=f"{overview.rows_quarantined:,}",
    )


@app.command("tables")
@command
def tables(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Row counts and freshness of every table. / 各表行数与新鲜度。"""
    show_overview(out, workspace, tables_only=True, as_user=as_user)


@app.command("overview")
@command
def overview(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Shop settings, tables and load totals. / 店铺设置、数据表与加载汇总。"""
    show_overview(out, workspace, as_user=as_user)
