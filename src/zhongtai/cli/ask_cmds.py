"""``zhongtai ask "上个月各渠道的GMV和客单价"``: a question in Chinese or English, answered through
the metric layer. Shows how it was understood, the SQL (``--sql``) and the result table."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Ask a question about the shop's metrics. / 用自然语言查询指标。")


def _when(value: str | None) -> date | None:
    if value is None:
        return None
    from zhongtai.errors import InputError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("ask.bad_today", value=value) from None


@app.command("ask")
@command
def ask_question(
    out: Output,
    question: Annotated[str, typer.Argument(help="The question, e.g. 上个月各渠道的GMV和客单价 / 问题")],
    sql: Annotated[bool, typer.Option("--sql", help="Show the SQL / 显示 SQL")] = False,
    dialect: Annotated[str, typer.Option(help="SQL dialect to show / 显示的 SQL 方言")] = "duckdb",
    today: Annotated[str | None, typer.Option(help="Anchor date YYYY-MM-DD (default today) / 基准日期")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Answer a question in Chinese or English. / 回答中文或英文的指标问题。"""
    from zhongtai.metrics import query_metrics
    from zhongtai.metrics.ask import ask, dimension_values
    from zhongtai.metrics.dictionary import load_dictionary
    from zhongtai.policy import Action, Capability

    anchor = _when(today)
    with open_ws(workspace, read_only=True) as ws:
        principal = act_as(ws, as_user)
        principal.require(Capability.METRICS, Action.READ)
        dictionary = load_dictionary(ws)
        values = dimension_values(ws, dictionary, principal=principal)
        answer = ask(dictionary, question, today=anchor, values=values, dialect=dialect, timezone=ws.timezone)
        result = query_metrics(ws, answer.query, principal=principal) if answer.understood and answer.query else None
    _render(out, answer, result, dictionary, show_sql=sql)


def _render(out: Output, answer: Any, result: Any, dictionary: Any, *, show_sql: bool) -> None:
    lang = "zh_CN" if out.lang.startswith("zh") else "en"
    if out.as_json:
        doc: dict[str, Any] = {"answer": answer.to_dict()}
        if result is not None:
            doc["result"] = result.to_dict()
        out.json(doc)
        return
    body = escape(answer.explain(lang))
    if answer.understood:
        body += "\n" + escape(out.t("cli.ask.confidence", confidence=f"{answer.confidence:.2f}"))
    out.console.print(Panel(body, title=escape(answer.question), expand=False))
    if answer.options:
        out.console.print(escape(out.t("cli.ask.options")))
        for i, option in enumerate(answer.options, 1):
            out.console.print(f"  {i}. {escape(option.label[lang])}")
    if show_sql and answer.sql:
        out.console.print(escape(out.t("cli.ask.sql", dialect=answer.dialect)))
        out.console.print(answer.sql, markup=False, highlight=False)
    if result is None:
        return
    rows = result.table.to_pylist()
    if not rows:
        out.say("cli.ask.no_rows")
    else:
        columns = result.table.column_names
        headers = [_header(dictionary, column, lang) for column in columns]
        out.table(None, headers, [[_cell(dictionary, c, row[c], lang) for c in columns] for row in rows])
    fresh = result.freshness.isoformat(sep=" ", timespec="seconds") if result.freshness else "-"
    out.say("cli.ask.source", source=result.source, freshness=fresh)


def _header(dictionary: Any, column: str, lang: str) -> str:
    """Display label of a result column (metric or dimension label; ``__previous``/``__change`` kept)."""
    key = "zh" if lang == "zh_CN" else "en"
    name, _, suffix = column.partition("__")
    spec = dictionary.metrics.get(name) or dictionary.dimensions.get(name)
    label = spec.label.get(key, name) if spec is not None else name
    return f"{label} ({suffix})" if suffix else label


def _cell(dictionary: Any, column: str, value: Any, lang: str) -> Any:
    """A dimension value's label (tmall -> 天猫); floats to 4 significant decimals for reading."""
    dim = dictionary.dimensions.get(column)
    if dim is not None and dim.value_labels and value in dim.value_labels:
        return dim.value_labels[value].get("zh" if lang == "zh_CN" else "en", value)
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.2f}"
    return value
