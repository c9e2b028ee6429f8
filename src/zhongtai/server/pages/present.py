"""Turning metric results into what a page shows: formatted table cells and ECharts specs.

A metric's ``format`` in the dictionary decides how its numbers read: ``money`` with the shop's
currency (compact from 10,000 on: ``¥12.35万``), ``percent`` as a percentage of a fraction,
``count``/``number``/``ratio``/``score`` as plain or compact numbers, durations with their unit.
Charts get raw numbers plus the format name; console.js formats axis labels the same way in the
browser (``Intl.NumberFormat`` compact notation gives 万/亿 for zh-CN).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zhongtai.metrics import Dictionary, MetricResult
from zhongtai.server.pages.i18n import format_money, format_number, format_ratio, gettext

__all__ = ["Column", "chart_spec", "format_value", "label_of", "result_table"]

_UNITS = {"minutes": "min", "hours": "h", "days": "d"}
_CHART_FORMAT = {"money": "money", "percent": "ratio"}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    numeric: bool


def format_value(value: Any, fmt: str, lang: str, currency: str) -> str:
    """One metric value as text in ``lang`` (``None`` → "—")."""
    if value is None:
        return "—"
    if fmt == "money":
        return format_money(value, lang, currency)
    if fmt == "percent":
        return format_ratio(value, lang)
    text = format_number(value, lang)
    unit = _UNITS.get(fmt)
    return f"{text} {gettext(lang, unit)}" if unit else text


def label_of(dictionary: Dictionary, name: str, lang: str) -> str:
    """The label of a metric or dimension (``period`` and unknown names translate as words)."""
    found = dictionary.metrics.get(name) or dictionary.dimensions.get(name)
    if found is not None:
        labels: dict[str, str] = found.label
        return labels.get("zh" if lang == "zh_CN" else "en") or labels.get("en") or name
    return gettext(lang, name)


def _metric_of(column: str) -> tuple[str, str]:
    """``gmv__previous`` → (``gmv``, ``previous``); ``gmv`` → (``gmv``, ``""``)."""
    base, _, suffix = column.partition("__")
    return base, suffix


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return value


def result_table(
    result: MetricResult, dictionary: Dictionary, lang: str, currency: str
) -> tuple[list[Column], list[list[str]]]:
    """Columns (labelled) and rows (formatted text) of a metric result."""
    columns: list[Column] = []
    formats: list[str | None] = []
    for name in result.table.column_names:
        base, suffix = _metric_of(name)
        metric = dictionary.metrics.get(base)
        if metric is None:
            columns.append(Column(name, label_of(dictionary, name, lang), False))
            formats.append(None)
            continue
        label = label_of(dictionary, base, lang)
        if suffix == "previous":
            label += " · " + gettext(lang, "previous")
        elif suffix == "change":
            label += " · " + gettext(lang, "change")
        columns.append(Column(name, label, True))
        formats.append("percent" if suffix == "change" else metric.format)
    rows: list[list[str]] = []
    for record in result.table.to_pylist():
        row = []
        for column, fmt in zip(columns, formats, strict=True):
            value = record[column.name]
            if fmt is None:
                row.append("—" if value is None else str(_plain(value)))
            else:
                row.append(format_value(value, fmt, lang, currency))
        rows.append(row)
    return columns, rows


def chart_spec(result: MetricResult, dictionary: Dictionary, lang: str, kind: str | None = None) -> dict[str, Any]:
    """An ECharts spec for console.js: one series per metric (and per value of a second dimension).

    With a time grain the x axis is the period (a line chart); otherwise the first dimension's
    values (a bar chart). Series keep raw numbers; ``format`` tells the browser how to label them.
    """
    query = result.query
    records = result.table.to_pylist()
    metrics = list(query.metrics)
    x_key = "period" if query.grain else (query.dimensions[0] if query.dimensions else None)
    split = query.dimensions[0] if query.grain and query.dimensions else None
    if query.grain is None and len(query.dimensions) > 1:
        split = query.dimensions[1]
    x_values: list[Any] = []
    for record in records:
        x = _plain(record[x_key]) if x_key else label_of(dictionary, metrics[0], lang)
        if x not in x_values:
            x_values.append(x)
    series: list[dict[str, Any]] = []
    for metric in metrics:
        groups: dict[Any, dict[Any, Any]] = {}
        for record in records:
            key = record[split] if split else None
            x = _plain(record[x_key]) if x_key else x_values[0]
            groups.setdefault(key, {})[x] = _plain(record[metric])
        for key, points in groups.items():
            name = label_of(dictionary, metric, lang)
            if split is not None:
                name = f"{name} · {key}" if len(metrics) > 1 else str(key)
            series.append({"name": name, "data": [points.get(x) for x in x_values]})
    first = dictionary.metrics.get(metrics[0])
    fmt = _CHART_FORMAT.get(first.format if first else "", "number")
    chosen = kind or ("line" if query.grain else "bar")
    return {"kind": chosen, "x": [str(x) for x in x_values], "series": series, "format": fmt}
