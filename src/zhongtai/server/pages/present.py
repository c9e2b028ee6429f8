"""Turning metric results into what a page shows: formatted table cells and ECharts specs.

A metric's ``format`` in the dictionary decides how its numbers read: ``money`` with the shop's
currency (compact from 10,000 on: ``¥12.35万``), ``percent`` as a percentage of a fraction,
``count``/``number``/``ratio``/``score`` as plain or compact numbers, durations with their unit.
Charts get raw numbers plus the format name; console.js formats axis labels the same way in the
browser (``Intl.NumberFormat`` compact notation gives 万/亿 for zh-CN).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zhongtai.metrics import Dictionary, MetricResult
from zhongtai.metrics.board_eval import BoardResult, KpiValue
from zhongtai.server.pages.i18n import format_money, format_number, format_ratio, gettext

__all__ = [
    "Column",
    "TileView",
    "board_tiles",
    "chart_spec",
    "format_value",
    "label_of",
    "records_chart",
    "result_table",
    "value_label",
]

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


def value_label(dictionary: Dictionary, dimension: str, value: Any, lang: str) -> str:
    """A dimension value as people read it: the dictionary's label (``tmall`` → 天猫) or the value;
    a missing value reads "(none)"."""
    if value is None:
        return gettext(lang, "(none)")
    found = dictionary.dimensions.get(dimension)
    labels = (found.value_labels.get(str(value)) if found is not None else None) or {}
    return labels.get("zh" if lang == "zh_CN" else "en") or str(_plain(value))


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
    return _records_table(result.table.column_names, result.table.to_pylist(), dictionary, lang, currency)


def chart_spec(result: MetricResult, dictionary: Dictionary, lang: str, kind: str | None = None) -> dict[str, Any]:
    """An ECharts spec for console.js from a metric result (see :func:`records_chart`)."""
    query = result.query
    return records_chart(
        result.table.to_pylist(), query.metrics, query.dimensions, query.grain is not None, dictionary, lang, kind
    )


def records_chart(
    records: Sequence[Mapping[str, Any]],
    metrics: Sequence[str],
    dimensions: Sequence[str],
    has_period: bool,
    dictionary: Dictionary,
    lang: str,
    kind: str | None = None,
) -> dict[str, Any]:
    """An ECharts spec: one series per metric (and per value of a second dimension).

    With a time grain the x axis is the period (a line chart); otherwise the first dimension's
    values (a bar chart). Series keep raw numbers; ``format`` tells the browser how to label them.
    When the metrics have different formats (money and counts, say) the later ones go on a second
    axis (``axis: 1``) so neither is flattened.
    """
    x_key = "period" if has_period else (dimensions[0] if dimensions else None)
    split = dimensions[0] if has_period and dimensions else None
    if not has_period and len(dimensions) > 1:
        split = dimensions[1]
    x_values: list[Any] = []

    def x_of(record: Mapping[str, Any]) -> Any:
        if not x_key:
            return label_of(dictionary, metrics[0], lang)
        if x_key == "period":
            return _plain(record[x_key])
        return value_label(dictionary, x_key, record[x_key], lang)

    for record in records:
        x = x_of(record)
        if x not in x_values:
            x_values.append(x)
    formats = [_chart_format(dictionary, m) for m in metrics]
    series: list[dict[str, Any]] = []
    for metric, fmt in zip(metrics, formats, strict=True):
        groups: dict[Any, dict[Any, Any]] = {}
        for record in records:
            key = value_label(dictionary, split, record[split], lang) if split else None
            groups.setdefault(key, {})[x_of(record)] = _plain(record.get(metric))
        for key, points in groups.items():
            name = label_of(dictionary, metric, lang)
            if split is not None:
                name = f"{name} · {key}" if len(metrics) > 1 else str(key)
            axis = 0 if fmt == formats[0] else 1
            series.append({"name": name, "data": [points.get(x) for x in x_values], "axis": axis, "format": fmt})
    chosen = kind or ("line" if has_period else "bar")
    second = next((f for f in formats if f != formats[0]), None)
    return {"kind": chosen, "x": [str(x) for x in x_values], "series": series, "format": formats[0], "format2": second}


def _chart_format(dictionary: Dictionary, metric: str) -> str:
    found = dictionary.metrics.get(metric)
    return _CHART_FORMAT.get(found.format if found else "", "number")


@dataclass(frozen=True)
class TileView:
    """A board tile ready for the template: ``kind`` is ``kpi``, ``chart`` or ``table``."""

    index: int
    kind: str
    title: str
    span: int
    source: str
    value: str = ""
    change: dict[str, Any] | None = None
    previous: str = ""
    spec: dict[str, Any] | None = None
    columns: tuple[Column, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    sql: tuple[str, ...] = ()


def board_tiles(result: BoardResult, dictionary: Dictionary, lang: str, currency: str) -> list[TileView]:
    """Every tile of an evaluated board as a :class:`TileView` in ``lang``."""
    views = []
    for tile in result.tiles:
        title = tile.title.get("zh" if lang == "zh_CN" else "en") or tile.title.get("en") or ""
        common: dict[str, Any] = {
            "index": tile.index,
            "title": title,
            "span": tile.tile.position.w,
            "source": tile.source,
            "sql": tile.sql,
        }
        if tile.kpi is not None:
            views.append(_kpi_view(tile.kpi, dictionary, lang, currency, common))
        elif tile.tile.visual.value == "table":
            columns, rows = _records_table(tile.columns, tile.rows, dictionary, lang, currency)
            views.append(TileView(kind="table", columns=tuple(columns), rows=tuple(map(tuple, rows)), **common))
        else:
            q = tile.tile.query
            spec = records_chart(tile.rows, q.metrics, q.dimensions, q.grain is not None, dictionary, lang,
                                 tile.tile.visual.value)  # fmt: skip
            views.append(TileView(kind="chart", spec=spec, **common))
    return views


def _kpi_view(kpi: KpiValue, dictionary: Dictionary, lang: str, currency: str, common: dict[str, Any]) -> TileView:
    metric = dictionary.metrics.get(kpi.metric)
    fmt = metric.format if metric else "number"
    change = None
    if kpi.change is not None:
        higher_is_better = getattr(metric, "higher_is_better", True)
        good = (kpi.change > 0) == bool(higher_is_better) if kpi.change else None
        change = {
            "value": kpi.change,
            "text": ("+" if kpi.change > 0 else "") + format_ratio(kpi.change, lang),
            "good": good,
        }
    spark = {
        "kind": "spark",
        "x": [p.isoformat() for p, _ in kpi.sparkline],
        "series": [{"name": label_of(dictionary, kpi.metric, lang), "data": [_plain(v) for _, v in kpi.sparkline]}],
        "format": _CHART_FORMAT.get(fmt, "number"),
    }
    return TileView(
        kind="kpi",
        value=format_value(kpi.value, fmt, lang, currency),
        previous=format_value(kpi.previous, fmt, lang, currency),
        change=change,
        spec=spark,
        **common,
    )


def _records_table(
    names: Sequence[str], records: Sequence[Mapping[str, Any]], dictionary: Dictionary, lang: str, currency: str
) -> tuple[list[Column], list[list[str]]]:
    columns: list[Column] = []
    formats: list[str | None] = []
    for name in names:
        base, suffix = _metric_of(name)
        metric = dictionary.metrics.get(base)
        if metric is None:
            columns.append(Column(name, label_of(dictionary, name, lang), False))
            formats.append(None)
            continue
        label = label_of(dictionary, base, lang)
        if suffix:
            label += " · " + gettext(lang, suffix)
        columns.append(Column(name, label, True))
        formats.append("percent" if suffix == "change" else metric.format)
    rows = [
        [
            _plain_cell(dictionary, c.name, r.get(c.name), lang)
            if fmt is None
            else format_value(r.get(c.name), fmt, lang, currency)
            for c, fmt in zip(columns, formats, strict=True)
        ]
        for r in records
    ]
    return columns, rows


def _plain_cell(dictionary: Dictionary, column: str, value: Any, lang: str) -> str:
    if column == "period":
        return "—" if value is None else str(_plain(value))
    return value_label(dictionary, column, value, lang)
