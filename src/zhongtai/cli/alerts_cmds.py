"""``zhongtai alerts``: detect anomalies on watched metrics and data arrival; list, show, ack, resolve."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Anomaly alerts on metrics, with lineage. / 指标异常告警(含血缘)。")

NoteOpt = Annotated[str | None, typer.Option("--note", help="Note kept in the alert's history / 备注(记入告警历史)")]


def _dims(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items()) or "-"


@app.command("detect")
@command
def alerts_detect(
    out: Output,
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="Only these metrics (repeat) / 仅这些指标")
    ] = None,
    since: Annotated[str | None, typer.Option(help="First day to alert on, YYYY-MM-DD / 起始日期")] = None,
    until: Annotated[str | None, typer.Option(help="Day after the last, YYYY-MM-DD / 截止日期(不含)")] = None,
    threshold: Annotated[float | None, typer.Option(min=1.0, help="|robust z| to alert at / 告警阈值")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Score watched metrics and data arrival; open alerts with lineage. / 检测异常并生成告警。"""
    from zhongtai.metrics.anomaly import DetectionParams
    from zhongtai.metrics.monitor import run_detection

    params = DetectionParams() if threshold is None else DetectionParams(threshold=threshold)
    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
        run = run_detection(
            ws, principal, metrics=metric or None, since=_day(since, "since"), until=_day(until, "until"), params=params
        )
    if out.as_json:
        out.json(run.to_dict())
        return
    out.say("cli.alerts.detected", series=run.series, found=len(run.drafts), opened=len(run.opened))
    rows = [
        (d.metric, _dims(d.dimensions), d.period_start, d.period_end, d.direction, round(d.peak_z, 1), d.cause)
        for d in run.drafts
    ]
    if rows:
        out.table(None, _headers(out), rows)


def _headers(out: Output) -> list[str]:
    names = ("metric", "dimensions", "from", "until", "direction")
    return [*(out.t(f"cli.alerts.{n}") for n in names), "z", out.t("cli.alerts.cause")]


def _day(text: str | None, option: str) -> date | None:
    from zhongtai.errors import InputError

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("cli.alerts.bad_date", option=option, value=text) from None


@app.command("list")
@command
def alerts_list(
    out: Output,
    status: Annotated[str | None, typer.Option(help="open, acknowledged or resolved / 状态")] = None,
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="Only this metric / 仅此指标")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Alerts, newest period first. / 告警列表。"""
    from zhongtai.appdb.alerts import list_alerts

    with open_ws(workspace) as ws:
        alerts = list_alerts(ws.app, act_as(ws, as_user), status=status, metric=metric, limit=limit)
    if out.as_json:
        out.json([a.to_dict() for a in alerts])
        return
    rows = [
        (a.id, a.status, a.metric, _dims(a.dimensions), a.period_start, a.period_end, a.direction, round(a.peak_z, 1),
         a.cause)
        for a in alerts
    ]  # fmt: skip
    out.table(None, ["#", out.t("cli.status"), *_headers(out)], rows)


@app.command("show")
@command
def alerts_show(
    out: Output,
    alert_id: Annotated[int, typer.Argument(help="Alert id / 告警编号")],
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """One alert: values, lineage (tables, loads, data arrival) and history. / 告警详情与血缘。"""
    from zhongtai.appdb.alerts import get_alert

    with open_ws(workspace) as ws:
        alert = get_alert(ws.app, act_as(ws, as_user), alert_id)
    if out.as_json:
        out.json(alert.to_dict())
        return
    out.say(
        "cli.alerts.head",
        id=alert.id,
        metric=alert.metric,
        dims=_dims(alert.dimensions),
        start=alert.period_start,
        end=alert.period_end,
        status=alert.status,
        cause=out.t(f"alerts.cause.{alert.cause}"),
    )
    lineage = alert.lineage
    out.say("cli.alerts.lineage", tables=", ".join(lineage.get("tables", [])) or "-",
            measures=", ".join(lineage.get("measures", [])) or "-")  # fmt: skip
    loads = lineage.get("loads", [])
    if loads:
        out.table(
            out.t("cli.alerts.loads"),
            ["load", out.t("cli.table"), out.t("cli.rows"), "file", "source", out.t("cli.started")],
            [(x["load_id"], x["table"], x["rows"], x.get("file_name"), x.get("source"), x.get("started_at"))
             for x in loads],
        )  # fmt: skip
    for view in lineage.get("arrival", []):
        out.table(
            out.t("cli.alerts.arrival", table=view["table"], base=view["baseline_completeness"],
                  lag=view.get("median_lag_hours"), base_lag=view.get("baseline_median_lag_hours")),
            [out.t("cli.alerts.day"), out.t("cli.rows"), out.t("cli.alerts.on_time"), out.t("cli.alerts.completeness")],
            [(d["day"], d["rows"], d["on_time"], d["completeness"]) for d in view["days"]],
        )  # fmt: skip
    out.table(
        out.t("cli.alerts.history"),
        [out.t("cli.alerts.when"), out.t("cli.action"), out.t("cli.alerts.actor"), out.t("cli.alerts.note")],
        [(e.at.isoformat(sep=" ", timespec="seconds"), e.action, e.actor, e.note or "") for e in alert.events],
    )


@app.command("ack")
@command
def alerts_ack(
    out: Output,
    alert_id: Annotated[int, typer.Argument(help="Alert id / 告警编号")],
    note: NoteOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Acknowledge an open alert. / 确认告警。"""
    from zhongtai.appdb.alerts import acknowledge_alert

    with open_ws(workspace) as ws:
        alert = acknowledge_alert(ws.app, act_as(ws, as_user), alert_id, note=note)
    out.json(alert.to_dict()) if out.as_json else out.say("cli.alerts.status", id=alert.id, status=alert.status)


@app.command("resolve")
@command
def alerts_resolve(
    out: Output,
    alert_id: Annotated[int, typer.Argument(help="Alert id / 告警编号")],
    note: NoteOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Resolve an open or acknowledged alert. / 关闭告警。"""
    from zhongtai.appdb.alerts import resolve_alert

    with open_ws(workspace) as ws:
        alert = resolve_alert(ws.app, act_as(ws, as_user), alert_id, note=note)
    out.json(alert.to_dict()) if out.as_json else out.say("cli.alerts.status", id=alert.id, status=alert.status)
