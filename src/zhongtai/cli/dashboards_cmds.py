"""``zhongtai dashboards``: list, show (evaluated), export and import saved dashboards (YAML), and the
built-in boards. The same functions as ``/api/v1/dashboards`` (:mod:`zhongtai.metrics.dashboards`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Dashboards: list, show, export, import. / 看板:列表、查看、导出、导入。")

PeriodOpt = Annotated[str | None, typer.Option("--period", help="7d, 30d, mtd, ytd / 统计周期")]
WhereOpt = Annotated[list[str] | None, typer.Option("--where", "-w", help="channel=tmall (repeat) / 筛选")]


def _title(texts: dict[str, str], lang: str) -> str:
    return texts.get("zh" if lang.startswith("zh") else "en") or texts.get("en") or ""


def _value(out: Output, tile: dict[str, Any]) -> str:
    kpi = tile.get("kpi")
    if kpi:
        change = kpi["change"]
        return out.t("cli.dashboards.kpi", value=kpi["value"], change="-" if change is None else f"{change:+.1%}")
    return out.t("cli.dashboards.rows", rows=len(tile["rows"]))


@app.command("list")
@command
def dashboards_list(
    out: Output,
    owned: Annotated[bool, typer.Option("--mine", help="Only mine / 只看我的")] = False,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Saved dashboards you may see, and the built-in boards. / 可见的看板与内置看板。"""
    from zhongtai.appdb.dashboards import list_dashboards
    from zhongtai.metrics.dashboards import list_templates

    with open_ws(workspace, read_only=True) as ws:
        found = list_dashboards(ws.app, act_as(ws, as_user), limit=limit, owned=owned)
    templates = list_templates()
    if out.as_json:
        out.json({"dashboards": [d.summary() for d in found], "templates": [b.to_dict() for b in templates]})
        return
    out.table(
        out.t("cli.dashboards.saved"),
        ["#", out.t("cli.dashboards.name"), out.t("cli.dashboards.owner"), out.t("cli.dashboards.tiles"),
         out.t("cli.dashboards.access"), out.t("cli.dashboards.version")],
        [(d.id, d.name, d.owner, len(d.layout), d.access, d.version) for d in found],
    )  # fmt: skip
    out.table(
        out.t("cli.dashboards.templates"),
        [out.t("cli.dashboards.name"), out.t("cli.dashboards.title"), out.t("cli.dashboards.tiles")],
        [(b.name, _title(b.title, out.lang), len(b.tiles)) for b in templates],
    )


@app.command("show")
@command
def dashboards_show(
    out: Output,
    dashboard: Annotated[str, typer.Argument(help="Dashboard id, or a built-in board name / 看板编号或内置看板名")],
    period: PeriodOpt = None,
    where: WhereOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Evaluate a dashboard: every tile's numbers, and where they came from. / 计算并显示看板。"""
    from zhongtai.metrics.board_eval import evaluate_board
    from zhongtai.metrics.boards import parse_filters
    from zhongtai.metrics.dashboards import evaluate_dashboard, load_template, period_range

    with open_ws(workspace, read_only=True) as ws:
        principal = act_as(ws, as_user)
        if dashboard.isdigit():
            result = evaluate_dashboard(ws, principal, int(dashboard), period=period, where=where)
        else:
            board = load_template(dashboard)
            since, until = period_range(ws, period or board.period)
            filters = parse_filters(list(where), "where") if where else None
            result = evaluate_board(ws, board, since=since, until=until, filters=filters, principal=principal)
    data = result.to_dict()
    if out.as_json:
        out.json(data)
        return
    out.say("cli.dashboards.head", title=_title(data["title"], out.lang) or data["board"], since=data["since"],
            until=data["until"], queries=data["query_count"], tiles=len(data["tiles"]))  # fmt: skip
    out.table(
        None,
        ["#", out.t("cli.dashboards.title"), out.t("cli.dashboards.visual"), out.t("cli.dashboards.value"),
         out.t("cli.dashboards.source")],
        [(t["index"], _title(t["title"], out.lang), t["visual"], _value(out, t), t["source"]) for t in data["tiles"]],
    )  # fmt: skip


@app.command("export")
@command
def dashboards_export(
    out: Output,
    dashboard_id: Annotated[int, typer.Argument(help="Dashboard id / 看板编号")],
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Write YAML here (default: stdout) / 输出文件")
    ] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """A dashboard as YAML (name, description, default filters, tiles). / 导出看板为 YAML。"""
    import yaml

    from zhongtai.metrics.dashboards import export_dashboard

    with open_ws(workspace, read_only=True) as ws:
        data = export_dashboard(ws, act_as(ws, as_user), dashboard_id)
    if out.as_json:
        out.json(data)
        return
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        out.say("cli.dashboards.exported", id=dashboard_id, file=str(file))


@app.command("import")
@command
def dashboards_import(
    out: Output,
    file: Annotated[Path, typer.Argument(help="YAML written by export (or by hand) / YAML 文件")],
    name: Annotated[str | None, typer.Option("--name", help="Save under this name / 另存为此名")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Save a new dashboard from YAML; every bad tile is named (layout[i] and field). / 从 YAML 导入看板。"""
    import yaml

    from zhongtai.errors import InputError
    from zhongtai.metrics.dashboards import create_dashboard

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as problem:
        raise InputError("cli.dashboards.bad_file", file=str(file), reason=type(problem).__name__) from None
    if not isinstance(data, dict):
        raise InputError("cli.dashboards.bad_file", file=str(file), reason="not a mapping")
    with open_ws(workspace) as ws:
        made = create_dashboard(
            ws, act_as(ws, as_user), name=name or str(data.get("name") or file.stem),
            description=data.get("description"), layout=data.get("layout") or [], filters=data.get("filters") or {},
        )  # fmt: skip
    if out.as_json:
        out.json(made.to_dict())
        return
    out.say("cli.dashboards.imported", id=made.id, name=made.name, tiles=len(made.layout))
