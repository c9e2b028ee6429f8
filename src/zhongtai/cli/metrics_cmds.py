"""``zhongtai metrics``: list, describe, query, check, diff the metric dictionary and refresh rollups."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws
from zhongtai.errors import InputError

app = typer.Typer(help="Metric dictionary and queries. / 指标字典与指标查询。", no_args_is_help=True)


def _lang_key(out: Output) -> str:
    return "zh" if out.lang.startswith("zh") else "en"


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("metrics.bad_date", value=value) from None


def _format(value: Any, fmt: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value != value:
        return "—"
    if fmt == "percent":
        return f"{float(value):.2%}"
    if fmt == "count":
        return f"{int(value):,}"
    if fmt == "money":
        return f"{float(value):,.2f}"
    return f"{float(value):,.4g}" if isinstance(value, float) else str(value)


@app.command("list")
@command
def metrics_list(
    out: Output,
    dimensions: Annotated[bool, typer.Option("--dimensions", help="List dimensions instead / 列出维度")] = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Metrics (or dimensions) of the dictionary. / 列出指标(或维度)。"""
    from zhongtai.metrics import load_dictionary
    from zhongtai.policy import Action, Capability

    with open_ws(workspace, read_only=True) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.READ)
        d = load_dictionary(ws)
    lang = _lang_key(out)
    if dimensions:
        dims = sorted(d.dimensions.values(), key=lambda x: x.name)
        if out.as_json:
            out.json(
                [{"name": x.name, "label": x.label, "synonyms": x.synonyms, "models": list(x.sources)} for x in dims]
            )
            return
        out.table(
            out.t("cli.metrics.dimensions_title"),
            ["name", "label", "models"],
            [(x.name, x.label[lang], ", ".join(x.sources)) for x in dims],
        )
        return
    metrics = sorted(d.metrics.values(), key=lambda m: m.name)
    if out.as_json:
        out.json([{**m.summary(), "scorecard": m.scorecard} for m in metrics])
        return
    rows = [(m.name, m.label[lang], m.kind, m.format, "✓" if m.certified else "", m.version, m.owner) for m in metrics]
    out.table(out.t("cli.metrics.title"), ["name", "label", "kind", "format", "certified", "version", "owner"], rows)


@app.command("describe")
@command
def metrics_describe(
    out: Output,
    metric: Annotated[str, typer.Argument(help="Metric name / 指标名")],
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Definition, owner, synonyms, lineage and dimensions of one metric. / 指标的定义、负责人、同义词与血缘。"""
    from zhongtai.metrics import load_dictionary
    from zhongtai.policy import Action, Capability

    with open_ws(workspace, read_only=True) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.READ)
        d = load_dictionary(ws)
    m = d.metric(metric)
    lineage = d.lineage(metric)
    info = {
        "name": m.name,
        "kind": m.kind,
        "label": m.label,
        "description": m.description,
        "synonyms": m.synonyms,
        "owner": m.owner,
        "format": m.format,
        "unit": m.unit,
        "refresh": m.refresh,
        "certified": m.certified,
        "version": m.version,
        "scorecard": m.scorecard,
        "definition": m.spec.model_dump(exclude_defaults=True),
        "metrics": list(lineage.metrics),
        "measures": list(lineage.measures),
        "semantic_models": list(lineage.semantic_models),
        "tables": list(lineage.tables),
        "dimensions": d.dimensions_for(metric),
        "file": f"{Path(m.file).name}:{m.line}",
    }
    if out.as_json:
        out.json(info)
        return
    lang = _lang_key(out)
    rows = [
        ("label", m.label[lang]),
        ("description", m.description[lang]),
        ("kind", m.kind),
        ("owner", m.owner),
        ("format", m.format + (f" ({m.unit})" if m.unit else "")),
        ("refresh", m.refresh),
        ("certified", "✓" if m.certified else "✗"),
        ("version", str(m.version)),
        ("synonyms", ", ".join(m.synonyms["zh"] + m.synonyms["en"])),
        ("lineage", " → ".join([", ".join(lineage.metrics), ", ".join(lineage.measures), ", ".join(lineage.tables)])),
        ("dimensions", ", ".join(d.dimensions_for(metric))),
        ("defined in", info["file"]),
    ]
    out.table(m.name, ["", ""], rows)


@app.command("query")
@command
def metrics_query(
    out: Output,
    metrics: Annotated[list[str], typer.Argument(help="Metric names / 指标名")],
    by: Annotated[list[str] | None, typer.Option("--by", help="Dimension(s), repeat or comma-separate / 维度")] = None,
    grain: Annotated[str | None, typer.Option(help="day, week, month, quarter, year / 时间粒度")] = None,
    since: Annotated[str | None, typer.Option(help="Start date, inclusive (shop time) / 开始日期(含)")] = None,
    until: Annotated[str | None, typer.Option(help="End date, exclusive / 结束日期(不含)")] = None,
    compare: Annotated[str | None, typer.Option(help="previous_period (环比) or previous_year (同比)")] = None,
    where: Annotated[
        list[str] | None, typer.Option(help="Filter: channel=tmall, channel!=jd, channel=tmall,jd / 筛选")
    ] = None,
    order: Annotated[list[str] | None, typer.Option("--order", help="Sort column, -name for descending / 排序")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many rows / 行数上限")] = None,
    sql: Annotated[bool, typer.Option("--sql", help="Print the SQL instead of running it / 只打印 SQL")] = False,
    dialect: Annotated[
        str, typer.Option(help="SQL dialect for --sql: duckdb, postgres, spark, clickhouse, trino, bigquery")
    ] = "duckdb",
    no_rollups: Annotated[bool, typer.Option("--no-rollups", help="Read raw tables only / 只读原始表")] = False,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Query metrics by dimensions and time. / 按维度与时间查询指标。"""
    from zhongtai.metrics import Comparison, MetricQuery, load_dictionary, query_metrics, render_sql
    from zhongtai.metrics.query import parse_where
    from zhongtai.policy import Action, Capability

    names = tuple(n.strip() for item in metrics for n in item.split(",") if n.strip())
    dims = tuple(n.strip() for item in (by or []) for n in item.split(",") if n.strip())
    query = MetricQuery(
        metrics=names,
        dimensions=dims,
        grain=grain,  # type: ignore[arg-type]  # a string is checked and converted by MetricQuery
        start=_date(since),
        end=_date(until),
        filters=tuple(parse_where(w) for w in (where or [])),
        compare=Comparison(compare) if compare else None,
        order_by=tuple(order or ()),
        limit=limit,
    )
    with open_ws(workspace, read_only=True) as ws:
        principal = act_as(ws, as_user)
        principal.require(Capability.METRICS, Action.READ)
        d = load_dictionary(ws)
        if sql or dialect != "duckdb":
            text = render_sql(d, query, dialect=dialect, timezone=ws.timezone, pretty=not out.as_json)
            if out.as_json:
                out.json({"dialect": dialect, "sql": text})
            else:
                out.console.print(text, markup=False, soft_wrap=True)
            return
        result = query_metrics(ws, query, principal=principal, use_rollups=not no_rollups, dictionary=d)
    if out.as_json:
        out.json(result.to_dict())
        return
    lang = _lang_key(out)
    formats = {m: d.metric(m).format for m in names}
    formats.update({m + "__previous": f for m, f in formats.items()})
    formats.update({m + "__change": "percent" for m in names})
    headers = []
    for column in result.table.column_names:
        base = column.split("__")[0]
        if base in d.metrics:
            suffix = {
                "": "",
                "previous": " (prev)" if lang == "en" else "(上期)",
                "change": " Δ%" if lang == "en" else "(变化)",
            }[column.split("__")[1] if "__" in column else ""]
            headers.append(d.metrics[base].label[lang] + suffix)
        elif column in d.dimensions:
            headers.append(d.dimensions[column].label[lang])
        else:
            headers.append(column)
    rows = []
    for record in result.table.to_pylist():
        row = []
        for column, value in record.items():
            if column in formats:
                row.append(_format(value, formats[column]))
            elif column in d.dimensions and value in d.dimensions[column].value_labels:
                row.append(d.dimensions[column].value_labels[value][lang])
            else:
                row.append("—" if value is None else str(value))
        rows.append(row)
    if rows:
        out.table(None, headers, rows)
    else:
        out.say("cli.metrics.no_rows")
    fresh = result.freshness.isoformat(sep=" ", timespec="seconds") if result.freshness else "—"
    out.say("cli.metrics.source", source=result.source, freshness=fresh, timezone=result.timezone)


@app.command("check")
@command
def metrics_check(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Validate the dictionary (built-in + workspace metrics/); problems come with file:line. / 校验指标字典。"""
    from zhongtai.metrics import load_dictionary
    from zhongtai.policy import Action, Capability

    with open_ws(workspace, read_only=True) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.READ)
        d = load_dictionary(ws)
    summary = {
        "metrics": len(d.metrics),
        "dimensions": len(d.dimensions),
        "semantic_models": len(d.semantic_models),
        "rollups": len(d.rollups),
        "files": [Path(f).name for f in d.files],
        "overridden": list(d.overridden),
    }
    if out.as_json:
        out.json(summary)
        return
    out.table(None, ["", ""], [(k, ", ".join(v) if isinstance(v, list) else str(v)) for k, v in summary.items()])


@app.command("diff")
@command
def metrics_diff(
    out: Output,
    old: Annotated[str, typer.Argument(help="builtin, workspace, or a folder/YAML file / 旧版本")] = "builtin",
    new: Annotated[str, typer.Argument(help="builtin, workspace, or a folder/YAML file / 新版本")] = "workspace",
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """What changed between two dictionary versions (default: built-in → this workspace). / 比较两个字典版本。"""
    from zhongtai.metrics.diff import diff_dictionaries, load_version
    from zhongtai.policy import Action, Capability

    with open_ws(workspace, read_only=True) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.READ)
        changes = diff_dictionaries(load_version(old, ws), load_version(new, ws))
    if out.as_json:
        out.json([c.to_dict() for c in changes])
        return
    if not changes:
        out.say("cli.metrics.diff_none")
        return
    rows = [
        (c.kind, c.name, c.change, ", ".join(c.fields), "⚠ version" if c.version_not_bumped else "") for c in changes
    ]
    out.table(out.t("cli.metrics.diff_title", old=old, new=new), ["kind", "name", "change", "fields", ""], rows)


@app.command("refresh")
@command
def metrics_refresh(
    out: Output,
    name: Annotated[list[str] | None, typer.Option("--name", help="Only these rollups / 仅这些汇总表")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Rebuild rollup tables now (the post-load hook does this after each load). / 立即重建汇总表。"""
    from zhongtai.metrics.rollups import refresh_rollups
    from zhongtai.policy import Action, Capability

    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.METRICS, Action.WRITE)
        done = refresh_rollups(ws, names=name)
    if out.as_json:
        out.json([{"name": r.name, "rows": r.rows, "seconds": r.seconds, "last_load_id": r.last_load_id} for r in done])
        return
    for r in done:
        out.say("cli.metrics.rollup_refreshed", name=r.name, rows=r.rows, seconds=r.seconds)
