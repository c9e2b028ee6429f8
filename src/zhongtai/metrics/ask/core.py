"""``ask``: a question in Chinese or English -> an :class:`Answer` (a MetricQuery with its SQL and
interpretation, or a clarifying question, or a reasoned refusal). No hosted model: the words
come from the metric dictionary, the time words from :mod:`.timeexpr`, the rest from rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from zhongtai.errors import InputError, ZhongtaiError
from zhongtai.metrics.ask.answer import LANGS, Answer, Option, both, period_text
from zhongtai.metrics.ask.lexicon import Lexicon, Term, build_lexicon
from zhongtai.metrics.ask.parse import Parsed, parse_question
from zhongtai.metrics.ask.text import normalize
from zhongtai.metrics.ask.timeexpr import month_start
from zhongtai.metrics.query import Comparison, Filter, MetricQuery

__all__ = ["DEFAULT_METRIC_OPTIONS", "VALUE_DIMENSIONS", "ask", "dimension_values"]

DEFAULT_METRIC_OPTIONS: tuple[str, ...] = ("gmv", "orders", "aov", "conversion_rate")
"""Offered when a question names data (a channel, a period) but no metric."""

VALUE_DIMENSIONS: tuple[str, ...] = ("city", "province", "category_l1", "category_l2", "device", "refund_reason")
"""Dimensions whose stored values people type by name (上海, 护肤) and that the dictionary does not
list as ``value_labels``; :func:`dimension_values` reads them from the warehouse."""

_MAX_VALUES = 500


@dataclass(frozen=True, slots=True)
class _Period:
    start: date
    end: date
    label: dict[str, str]


def _labels(obj: Any, name: str) -> dict[str, str]:
    label = getattr(obj, "label", None) or {}
    return {"zh_CN": label.get("zh", name), "en": label.get("en", name)}


def _value_label(dictionary: Any, dim: str, value: Any) -> dict[str, str]:
    labels = (dictionary.dimensions[dim].value_labels or {}).get(value) or {}
    return {"zh_CN": labels.get("zh", str(value)), "en": labels.get("en", str(value))}


def _join(parts: Sequence[dict[str, str]], sep: dict[str, str]) -> dict[str, str]:
    return {lang: sep[lang].join(p[lang] for p in parts) for lang in LANGS}


_LIST_SEP = {"zh_CN": "、", "en": ", "}
_PART_SEP = {"zh_CN": ";", "en": "; "}


def _today(source: Any, today: date | None) -> date:
    if today is not None:
        return today
    tz = getattr(source, "timezone", None) or "Asia/Shanghai"
    return datetime.now(ZoneInfo(str(tz))).date()


def dimension_values(workspace: Any, dictionary: Any, *, principal: Any = None) -> dict[str, list[Any]]:
    """Stored values of :data:`VALUE_DIMENSIONS` (those without ``value_labels``), read through the
    metric layer (``orders`` or another count metric grouped by the dimension), at most 500 each."""
    from zhongtai.metrics import query_metrics

    out: dict[str, list[Any]] = {}
    for dim in VALUE_DIMENSIONS:
        spec = dictionary.dimensions.get(dim)
        if spec is None or spec.value_labels:
            continue
        metric = next(
            (m for m in ("orders", "units_sold", "refunded_orders", "uv") if m in dictionary.metrics
             and dim in dictionary.dimensions_for(m)),
            None,
        )  # fmt: skip
        if metric is None:
            continue
        result = query_metrics(workspace, MetricQuery(metrics=(metric,), dimensions=(dim,)), principal=principal)
        values = [v for v in result.table.column(dim).to_pylist() if isinstance(v, str) and 1 < len(v) <= 20]
        if len(values) <= _MAX_VALUES:
            out[dim] = values
    return out


def _safe_dims(dictionary: Any) -> Any:
    def dims(metric: str) -> list[str]:
        try:
            return list(dictionary.dimensions_for(metric))
        except ZhongtaiError:
            return []

    return dims


def _with_values(lexicon: Lexicon, values: Mapping[str, Sequence[Any]] | None) -> Lexicon:
    if not values:
        return lexicon
    extended = Lexicon(phrases={k: list(v) for k, v in lexicon.phrases.items()}, max_len=lexicon.max_len)
    for dim, items in values.items():
        for value in items:
            extended.add(str(value), Term("value", dim, value))
    return extended


def ask(
    source: Any,
    text: str,
    *,
    today: date | None = None,
    values: Mapping[str, Sequence[Any]] | None = None,
    dialect: str = "duckdb",
    timezone: str | None = None,
) -> Answer:
    """Understand ``text`` against the metric dictionary of ``source``.

    ``source`` is a :class:`~zhongtai.metrics.Dictionary`, a workspace (its dictionary, time zone
    and stored dimension values are used) or a workspace folder. ``today`` anchors every relative
    period (default: today in the shop's time zone). ``values`` adds known values per dimension
    (``{"city": ["上海", …]}``); with a workspace they are read from the warehouse. The SQL is
    compiled by :func:`zhongtai.metrics.compiler.render_sql` for ``dialect``.
    """
    from zhongtai.metrics.dictionary import load_dictionary

    if not isinstance(text, str) or not normalize(text):
        raise InputError("ask.empty_question")
    if len(text) > 500:
        raise InputError("ask.question_too_long", length=len(text), limit=500)
    from zhongtai.metrics.compiler import DIALECTS

    if dialect not in DIALECTS:
        raise InputError("metrics.unknown_dialect", dialect=dialect, known=", ".join(DIALECTS))
    if hasattr(source, "metrics") and hasattr(source, "dimensions"):
        dictionary, workspace = source, None
    else:
        workspace = source
        dictionary = load_dictionary(source if not isinstance(source, str) else Path(source))
        if values is None and hasattr(workspace, "warehouse"):
            values = dimension_values(workspace, dictionary)
    tz = timezone or getattr(workspace, "timezone", None) or "Asia/Shanghai"
    anchor = _today(workspace, today)
    lexicon = _with_values(build_lexicon(dictionary), values)
    parsed = parse_question(text, lexicon, today=anchor, dimensions_for=_safe_dims(dictionary))
    return _assemble(parsed, dictionary, anchor, dialect=dialect, timezone=str(tz))


# ---------------------------------------------------------------------------------------------------
# assembly


def _confidence(parsed: Parsed, penalty: float) -> float:
    score = 1.0
    for fuzzy in parsed.fuzzy:
        score *= 0.5 + 0.5 * fuzzy.score
    score *= 0.9 ** len(parsed.unknown)
    score *= penalty
    return round(max(score, 0.05), 2)


def _build(
    parsed: Parsed, metrics: Sequence[str], period: _Period | None, compare: str | None
) -> tuple[MetricQuery, list[dict[str, str]]]:
    notes: list[dict[str, str]] = []
    dims = list(parsed.dimensions)
    filters: list[Filter] = []
    for dim, items in parsed.values.items():
        if len(items) == 1:
            filters.append(Filter(dim, "eq", (items[0],)))
        else:
            filters.append(Filter(dim, "in", tuple(items)))
            if dim not in dims:
                dims.append(dim)
    for dim, items in parsed.excluded.items():
        filters.append(Filter(dim, "ne", (items[0],)) if len(items) == 1 else Filter(dim, "not_in", tuple(items)))
    order_by: tuple[str, ...] = ()
    limit = None
    if parsed.top is not None:
        if dims:
            n, descending = parsed.top
            order_by = (("-" if descending else "") + metrics[0],)
            limit = n
        else:
            notes.append(both("ask.note.top_without_dimension"))
    query = MetricQuery(
        metrics=tuple(metrics),
        dimensions=tuple(dims),
        grain=parsed.grain,
        start=period.start if period else None,
        end=period.end if period else None,
        filters=tuple(filters),
        compare=Comparison(compare) if compare else None,
        order_by=order_by,
        limit=limit,
    )
    return query, notes


def _periods(parsed: Parsed) -> list[list[_Period]]:
    out: list[list[_Period]] = []
    for mention in parsed.times:
        if mention.future:
            continue
        readings = [_Period(p.start, p.end, {"zh_CN": p.zh, "en": p.en}) for p in mention.periods]
        if readings and all((r.start, r.end) != (o[0].start, o[0].end) for o in out for r in readings):
            out.append(readings)
    return out


def _interpretation(dictionary: Any, query: MetricQuery, period: _Period | None) -> dict[str, str]:
    parts = [
        both("ask.part.metrics", metrics=_join([_labels(dictionary.metrics[m], m) for m in query.metrics], _LIST_SEP))
    ]
    parts.append(period_text(query.start, query.end, period.label if period else None))
    if query.dimensions:
        dims = _join([_labels(dictionary.dimensions[d], d) for d in query.dimensions], _LIST_SEP)
        parts.append(both("ask.part.by", dimensions=dims))
    for flt in query.filters:
        values = _join([_value_label(dictionary, flt.dimension, v) for v in flt.values], _LIST_SEP)
        code = "ask.part.exclude" if flt.op in ("ne", "not_in") else "ask.part.filter"
        dimension = _labels(dictionary.dimensions[flt.dimension], flt.dimension)
        parts.append(both(code, dimension=dimension, values=values))
    if query.grain:
        parts.append(both(f"ask.part.grain.{query.grain.value}"))
    if query.compare:
        parts.append(both(f"ask.part.compare.{query.compare.kind}"))
    if query.order_by:
        key = query.order_by[0]
        metric = _labels(dictionary.metrics[key.lstrip("-")], key.lstrip("-"))
        direction = "desc" if key.startswith("-") else "asc"
        if query.limit:
            parts.append(both(f"ask.part.top_{direction}", metric=metric, n=query.limit))
        else:
            parts.append(both(f"ask.part.sort_{direction}", metric=metric))
    return both("ask.understood", parts=_join(parts, _PART_SEP))


def _option(dictionary: Any, query: MetricQuery, period: _Period | None) -> Option:
    label = _interpretation(dictionary, query, period)
    short = {lang: label[lang].split(":", 1)[-1].strip() for lang in LANGS}
    return Option(short, query)


def _refuse(parsed: Parsed, today: date, reason: str, message: dict[str, str], **extra: Any) -> Answer:
    return Answer(
        question=parsed.text,
        status="unanswerable",
        today=today,
        reason=reason,
        message=message,
        confidence=0.0,
        unknown_words=tuple(parsed.unknown),
        **extra,
    )


def _clarify(parsed: Parsed, today: date, reason: str, message: dict[str, str], options: list[Option]) -> Answer:
    return Answer(
        question=parsed.text,
        status="clarify",
        today=today,
        reason=reason,
        message=message,
        options=tuple(options),
        confidence=0.0,
        unknown_words=tuple(parsed.unknown),
    )


def _suggestions(dictionary: Any, word: str) -> list[str]:
    import difflib

    names: dict[str, str] = {}
    for name, metric in dictionary.metrics.items():
        for phrase in [name, *metric.label.values(), *[s for v in metric.synonyms.values() for s in v]]:
            names.setdefault(phrase.lower(), name)
    close = difflib.get_close_matches(word.lower(), list(names), n=8, cutoff=0.4)
    out: list[str] = []
    for phrase in close:
        if names[phrase] not in out:
            out.append(names[phrase])
    return out[:3]


def _swap(names: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(new if n == old else n for n in names))


def _alternatives(dictionary: Any, name: str, dims: Sequence[str]) -> list[str]:
    """Up to three metrics of the same format as ``name`` that can be split by ``dims``, closest
    label first (GMV by product -> 商品销售额): offered, never substituted silently."""
    import difflib

    def words(metric: Any) -> list[str]:
        return [*metric.label.values(), *(w for ws in metric.synonyms.values() for w in ws)]

    def likeness(metric: Any) -> float:
        return max(difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() for a in mine for b in words(metric))

    base = dictionary.metrics[name]
    mine = words(base)
    found = [
        m for m in dictionary.metrics.values()
        if m.name != name and m.format == base.format and m.kind == base.kind
        and all(d in dictionary.dimensions_for(m.name) for d in dims)
    ]  # fmt: skip
    found.sort(key=lambda m: (not m.certified, -likeness(m)))
    return [m.name for m in found[:3]]


def _assemble(parsed: Parsed, dictionary: Any, today: date, *, dialect: str, timezone: str) -> Answer:
    periods = _periods(parsed)
    single = periods[0][0] if len(periods) == 1 and len(periods[0]) == 1 else None
    future = next((m for m in parsed.times if m.future), None)
    metrics = list(parsed.metrics)

    if parsed.unknown_metric:
        hints = _suggestions(dictionary, parsed.unknown_metric)
        names = _join([_labels(dictionary.metrics[h], h) for h in hints], _LIST_SEP) if hints else both("ask.none")
        message = both("ask.unanswerable.unknown_metric", word=parsed.unknown_metric, suggestions=names)
        options = [Option(_labels(dictionary.metrics[h], h)) for h in hints]
        return _refuse(parsed, today, "unknown_metric", message, options=tuple(options))
    if not metrics:
        # a bare period with an unknown noun (上个月的天气) is not a metric question
        talks_data = bool(
            parsed.dimensions
            or parsed.values
            or parsed.excluded
            or parsed.grain
            or parsed.compare
            or (periods and not parsed.unknown)
        )
        if parsed.vague:
            word, choices = parsed.vague[0]
            message = both("ask.clarify.metric", word=word)
        elif talks_data:
            choices = tuple(m for m in DEFAULT_METRIC_OPTIONS if m in dictionary.metrics)
            message = both("ask.clarify.no_metric")
        else:
            return _refuse(parsed, today, "out_of_scope", both("ask.unanswerable.out_of_scope"))
        period = single
        options = [_option(dictionary, _build(parsed, [m], period, parsed.compare)[0], period) for m in choices]
        return _clarify(parsed, today, "metric", message, options)
    if future is not None:
        return _refuse(parsed, today, "future", both("ask.unanswerable.future", word=future.text))
    if periods and (len(periods) > 1 or len(periods[0]) > 1):
        readings = periods[0] if len(periods) == 1 else [p[0] for p in periods]
        mention = next(m for m in parsed.times if not m.future)
        code = "ask.clarify.time" if len(periods) == 1 else "ask.clarify.times"
        message = both(code, word=mention.text)
        options = [_option(dictionary, _build(parsed, metrics, p, parsed.compare)[0], p) for p in readings]
        return _clarify(parsed, today, "time", message, options)

    penalty = 1.0
    notes: list[dict[str, str]] = []
    period = single
    if parsed.compare and period is None:
        if parsed.compare == "previous_year":
            period = _Period(
                date(today.year, 1, 1), today + timedelta(days=1), {"zh_CN": "今年以来", "en": "year to date"}
            )
            notes.append(both("ask.note.default_ytd"))
            penalty *= 0.8
        elif parsed.grain is None:
            first = month_start(today)
            prev = month_start(first - timedelta(days=1))
            readings = [
                _Period(first, today + timedelta(days=1), {"zh_CN": "本月至今", "en": "this month to date"}),
                _Period(prev, first, {"zh_CN": "上个月", "en": "last month"}),
                _Period(today - timedelta(days=7), today, {"zh_CN": "近7天", "en": "last 7 days"}),
            ]
            options = [_option(dictionary, _build(parsed, metrics, p, parsed.compare)[0], p) for p in readings]
            return _clarify(parsed, today, "period", both("ask.clarify.period"), options)

    query, build_notes = _build(parsed, metrics, period, parsed.compare)
    notes += build_notes
    wanted = [*query.dimensions, *(f.dimension for f in query.filters)]
    for name in query.metrics:
        available = dictionary.dimensions_for(name)
        missing = [d for d in wanted if d not in available]
        if missing:
            names = _join([_labels(dictionary.dimensions[d], d) for d in available], _LIST_SEP)
            message = both(
                "ask.unanswerable.dimension",
                metric=_labels(dictionary.metrics[name], name),
                dimension=_labels(dictionary.dimensions[missing[0]], missing[0]),
                available=names,
            )
            options = [
                _option(dictionary, replace(query, metrics=_swap(query.metrics, name, alt),
                        order_by=tuple(o.replace(name, alt) for o in query.order_by)), period)
                for alt in _alternatives(dictionary, name, wanted)
            ]  # fmt: skip
            return Answer(
                question=parsed.text,
                status="clarify",
                today=today,
                reason="dimension",
                query=query,
                message=message,
                options=tuple(options),
                unknown_words=tuple(parsed.unknown),
            )
    for fuzzy in parsed.fuzzy:
        notes.append(both("ask.note.fuzzy", word=fuzzy.word, phrase=fuzzy.phrase))
    if parsed.unknown:
        notes.append(both("ask.note.ignored", words="、".join(parsed.unknown)))
    try:
        from zhongtai.metrics.compiler import render_sql

        sql = render_sql(dictionary, query, dialect=dialect, timezone=timezone)
    except ZhongtaiError as exc:
        message = {lang: exc.message(lang) for lang in LANGS}
        return _refuse(parsed, today, "not_supported", message, query=query)
    return Answer(
        question=parsed.text,
        status="understood",
        today=today,
        query=query,
        interpretation=_interpretation(dictionary, query, period),
        confidence=_confidence(parsed, penalty),
        sql=sql,
        dialect=dialect,
        notes=tuple(notes),
        unknown_words=tuple(parsed.unknown),
    )
