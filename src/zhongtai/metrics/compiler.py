"""Compile a :class:`MetricQuery` into one SQLGlot tree, rendered for any engine SQLGlot speaks.

Plan (one CTE per kind of work, joined on the query's keys ``period`` + dimensions):

* **simple measures**: one aggregate per semantic model: ``SELECT bucket, dims, SUM(CASE WHEN filter
  THEN expr END) ... GROUP BY``; measures with ``min_rows`` (repurchase) aggregate per entity first;
* **cumulative**: the query's buckets joined to the rows in their window (``window`` days back from
  the bucket's end, or since the start of the ``grain_to_date`` bucket, or all time);
* **conversion**: each entity's first base event in the bucket, left-joined to its conversion
  events within ``window`` days (MetricFlow's conversion metric);
* ratio and derived metrics are expressions over those columns; every division is
  ``CAST(a AS DOUBLE) / NULLIF(CAST(b AS DOUBLE), 0)`` (no integer division, no division by zero).

Times are UTC in the warehouse; buckets are shop-local (``timezone``), the range is filtered on the
UTC column (local midnight converted in Python). Period-over-period (环比/同比) compiles the same
plan for the shifted range and joins it on the shifted period. User values only ever enter as
literals; dimension and metric names must resolve in the dictionary.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlglot import exp

from zhongtai.errors import InputError
from zhongtai.metrics._expr import parse_expression
from zhongtai.metrics._sources import RawSource, Source, bucket
from zhongtai.metrics.dictionary import Dictionary, Measure, Metric, Rollup, window_days
from zhongtai.metrics.query import Filter, Grain, MetricQuery
from zhongtai.warehouse._sql import and_all, col, ident, lit

__all__ = ["DIALECTS", "compile_query", "compile_rollup", "render_sql", "shift_date", "truncate"]

DIALECTS = ("duckdb", "postgres", "spark", "clickhouse", "trino", "bigquery")
DOUBLE = exp.DataType.build("DOUBLE")
MONEY = exp.DataType.build("DECIMAL(38, 2)")
BIGINT = exp.DataType.build("BIGINT")
_ADDITIVE_ZERO = {"sum", "count", "count_distinct"}


def render_sql(
    dictionary: Dictionary,
    query: MetricQuery,
    *,
    dialect: str = "duckdb",
    timezone: str = "Asia/Shanghai",
    pretty: bool = False,
    sources: Mapping[str, Source] | None = None,
) -> str:
    """The SQL text of :func:`compile_query` for ``dialect``."""
    tree = compile_query(dictionary, query, dialect=dialect, timezone=timezone, sources=sources)
    return tree.sql(dialect=dialect, pretty=pretty)


def compile_query(
    dictionary: Dictionary,
    query: MetricQuery,
    *,
    dialect: str = "duckdb",
    timezone: str = "Asia/Shanghai",
    sources: Mapping[str, Source] | None = None,
) -> exp.Expr:
    """The SQLGlot tree answering ``query``; ``sources`` swaps a model's raw table for a rollup."""
    if dialect not in DIALECTS:
        raise InputError("metrics.unknown_dialect", dialect=dialect, known=", ".join(DIALECTS))
    _validate(dictionary, query)
    filters = tuple(_coerce_filter(dictionary, f) for f in query.filters)
    plan = _Plan(dictionary, query, timezone, dict(sources or {}), filters)
    current = plan.body(query.start, query.end)
    if query.compare is None:
        tree = current
    else:
        tree = plan.compare(current)
    tree = _order(tree, query)
    return _clickhouse_time_zones(tree) if dialect == "clickhouse" else tree


def _clickhouse_time_zones(tree: exp.Expr) -> exp.Expr:
    """ClickHouse has no ``AT TIME ZONE`` (what SQLGlot renders ``CONVERT_TIMEZONE`` as): a UTC
    ``DateTime`` is shifted with ``toTimeZone(toDateTime(ts, 'UTC'), tz)`` instead (ClickHouse docs,
    "Functions for Working with Dates and Times"). Assumes timestamps are stored as UTC instants."""

    def shift(node: exp.Expr) -> exp.Expr:
        if not isinstance(node, exp.ConvertTimezone):
            return node
        as_utc = exp.Anonymous(this="toDateTime", expressions=[node.args["timestamp"], node.args["source_tz"]])
        return exp.Anonymous(this="toTimeZone", expressions=[as_utc, node.args["target_tz"]])

    return tree.transform(shift)


# ---------------------------------------------------------------------------------------------------
# validation


def _validate(dictionary: Dictionary, query: MetricQuery) -> None:
    metrics = [dictionary.metric(name) for name in query.metrics]
    wanted = list(query.dimensions) + [f.dimension for f in query.filters]
    for name in wanted:
        dictionary.dimension(name)
        if name == "period":
            raise InputError("metrics.reserved_dimension", dimension=name)
    for metric in metrics:
        models = _models_for_dimensions(dictionary, metric)
        for name in wanted:
            missing = [m for m in models if name not in dictionary.semantic_models[m].dimensions]
            if missing:
                raise InputError(
                    "metrics.dimension_unavailable",
                    metric=metric.name,
                    dimension=name,
                    available=", ".join(dictionary.dimensions_for(metric.name)) or "-",
                )
        if metric.kind == "cumulative" and query.grain is None and query.end is None:
            raise InputError("metrics.cumulative_needs_end", metric=metric.name)
    outputs = set(query.output_columns())
    for key in query.order_by:
        if key.lstrip("-") not in outputs:
            raise InputError("metrics.bad_order_by", column=key, known=", ".join(sorted(outputs)))
    if query.compare is not None and query.grain is None and (query.start is None or query.end is None):
        raise InputError("metrics.compare_needs_range")


def _models_for_dimensions(dictionary: Dictionary, metric: Metric) -> list[str]:
    """Models that must provide a query's dimensions (a conversion's are its base model's)."""
    out: list[str] = []
    for name in _closure(dictionary, metric.name):
        m = dictionary.metrics[name]
        if m.kind == "conversion":
            out.append(dictionary.measures[m.spec.base_measure or ""].model)
        elif m.kind in ("simple", "cumulative"):
            out.append(dictionary.measures[m.spec.measure or ""].model)
    return list(dict.fromkeys(out))


def _closure(dictionary: Dictionary, name: str) -> list[str]:
    out: list[str] = []
    stack = [name]
    while stack:
        current = stack.pop()
        if current not in out:
            out.append(current)
            stack.extend(dictionary.metrics[current].inputs)
    return out


def _coerce_filter(dictionary: Dictionary, flt: Filter) -> Filter:
    """Check the values fit the dimension's type (and map value labels such as 天猫 to ``tmall``)."""
    dim = dictionary.dimension(flt.dimension)
    labels = {text.lower(): code for code, texts in dim.value_labels.items() for text in texts.values()}
    values: list[Any] = []
    for value in flt.values:
        if dim.type == "string":
            if not isinstance(value, str):
                raise InputError(
                    "metrics.filter_type", dimension=dim.name, expected="text", value_type=type(value).__name__
                )
            if flt.op in ("gt", "ge", "lt", "le"):
                raise InputError("metrics.filter_op_type", dimension=dim.name, op=flt.op)
            values.append(value if value in dim.value_labels else labels.get(value.lower(), value))
        elif dim.type == "number":
            if isinstance(value, bool):
                raise InputError("metrics.filter_type", dimension=dim.name, expected="number", value_type="bool")
            try:
                values.append(value if isinstance(value, int | float | Decimal) else Decimal(str(value).strip()))
            except InvalidOperation:
                raise InputError(
                    "metrics.filter_type", dimension=dim.name, expected="number", value_type="text"
                ) from None
        elif dim.type == "date":
            try:
                values.append(value if isinstance(value, date) else date.fromisoformat(str(value)))
            except ValueError:
                raise InputError(
                    "metrics.filter_type", dimension=dim.name, expected="date", value_type="text"
                ) from None
        else:
            text = str(value).lower()
            if not isinstance(value, bool) and text not in ("true", "false"):
                raise InputError("metrics.filter_type", dimension=dim.name, expected="true/false", value_type="text")
            values.append(value if isinstance(value, bool) else text == "true")
    return Filter(flt.dimension, flt.op, tuple(values))


def _filter_condition(expr: exp.Expr, flt: Filter) -> exp.Expr:
    values = [lit(v) for v in flt.values]
    if flt.op == "in":
        return exp.In(this=expr, expressions=values)
    if flt.op == "not_in":
        return exp.Not(this=exp.In(this=expr, expressions=values))
    cls = {"eq": exp.EQ, "ne": exp.NEQ, "gt": exp.GT, "ge": exp.GTE, "lt": exp.LT, "le": exp.LTE}[flt.op]
    return cls(this=expr, expression=values[0])


# ---------------------------------------------------------------------------------------------------
# date helpers


def shift_date(day: date, grain: Grain | str, steps: int) -> date:
    """``day`` moved by ``steps`` grains (months clamp to the month's last day)."""
    g = Grain(grain)
    if g == Grain.DAY:
        return day + timedelta(days=steps)
    if g == Grain.WEEK:
        return day + timedelta(weeks=steps)
    months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[g] * steps
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def truncate(day: date, grain: Grain | str) -> date:
    """First day of ``day``'s bucket (weeks start on Monday)."""
    g = Grain(grain)
    if g == Grain.DAY:
        return day
    if g == Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if g == Grain.MONTH:
        return day.replace(day=1)
    if g == Grain.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _date_add(node: exp.Expr, grain: Grain, steps: int) -> exp.Expr:
    """``node`` (a DATE) plus ``steps`` grains, as DATE on every engine."""
    if grain == Grain.WEEK:
        grain, steps = Grain.DAY, steps * 7
    unit = exp.var({Grain.DAY: "DAY", Grain.MONTH: "MONTH", Grain.QUARTER: "MONTH", Grain.YEAR: "YEAR"}[grain])
    amount = steps * 3 if grain == Grain.QUARTER else steps
    return exp.cast(exp.DateAdd(this=node, expression=exp.Literal.number(amount), unit=unit), exp.DataType.Type.DATE)


def _nse(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return exp.NullSafeEQ(this=left, expression=right)


def _safe_div(num: exp.Expr, den: exp.Expr) -> exp.Expr:
    return exp.Div(
        this=exp.cast(num, DOUBLE),
        expression=exp.func("NULLIF", exp.cast(den, DOUBLE), exp.Literal.number(0)),
    )


def _agg(agg: str, value: exp.Expr | None, condition: exp.Expr | None) -> exp.Expr:
    """``agg`` over ``value`` for rows meeting ``condition`` (CASE WHEN keeps one scan per model)."""
    if value is None:  # count rows
        if condition is None:
            return exp.Count(this=exp.Star())
        return exp.Count(this=exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))]))
    if condition is not None:
        value = exp.Case(ifs=[exp.If(this=condition, true=value)])
    if agg == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[value]))
    cls = {"sum": exp.Sum, "count": exp.Count, "avg": exp.Avg, "min": exp.Min, "max": exp.Max}[agg]
    return cls(this=value)


# ---------------------------------------------------------------------------------------------------
# the plan


@dataclass
class _Leaf:
    """A CTE and the columns it provides (measure/metric key -> column name)."""

    name: str
    select: exp.Select
    columns: dict[str, str] = field(default_factory=dict)


class _Plan:
    def __init__(
        self,
        dictionary: Dictionary,
        query: MetricQuery,
        timezone: str,
        sources: dict[str, Source],
        filters: tuple[Filter, ...],
    ) -> None:
        self.d = dictionary
        self.q = query
        self.tz = timezone
        self.sources = sources
        self.filters = filters
        self.keys = (["period"] if query.grain else []) + list(query.dimensions)

    def source(self, model: str) -> Source:
        found = self.sources.get(model)
        return found if found is not None else RawSource(self.d.semantic_models[model], self.tz)

    # -- leaves ------------------------------------------------------------------------------------

    def _key_selects(self, src: Source) -> list[exp.Expr]:
        out: list[exp.Expr] = []
        if self.q.grain:
            out.append(exp.alias_(bucket(src.time_local(), self.q.grain, is_date=src.time_is_date), ident("period")))
        out += [exp.alias_(src.dimension(name), ident(name)) for name in self.q.dimensions]
        return out

    def _group(self, selects: list[exp.Expr]) -> list[exp.Expr]:
        return [s.this.copy() if isinstance(s, exp.Alias) else s.copy() for s in selects]

    def _where(self, src: Source, start: date | None, end: date | None) -> list[exp.Expr]:
        conditions = src.range_condition(start, end)
        for flt in self.filters:
            conditions.append(_filter_condition(src.dimension(flt.dimension), flt))
        return conditions

    def _select(self, src: Source, selects: list[exp.Expr], where: list[exp.Expr], group: bool) -> exp.Select:
        base, joins = src.from_clause(*selects, *where)
        node = exp.select(*selects).from_(base, copy=False)
        for join in joins:
            node = node.join(join, copy=False)
        if where:
            node = node.where(and_all(where), copy=False)
        keys = self._group(selects[: len(self.keys)])
        if group and keys:
            node = node.group_by(*keys, copy=False)
        return node

    def simple_leaf(
        self, model: str, measures: list[Measure], start: date | None, end: date | None, *, by_name: bool = False
    ) -> _Leaf:
        src = self.source(model)
        keys = self._key_selects(src)
        columns: dict[str, str] = {}
        aggs: list[exp.Expr] = []
        for i, m in enumerate(measures):
            value, condition = src.measure_parts(m)
            agg = "sum" if src.is_rollup else m.agg
            node = _agg(agg, value, condition)
            if src.is_rollup and m.agg == "count":
                node = exp.cast(node, BIGINT)
            columns[m.name] = m.name if by_name else "v" + str(i)
            aggs.append(exp.alias_(node, ident(columns[m.name])))
        select = self._select(src, keys + aggs, self._where(src, start, end), group=True)
        return _Leaf("m_" + model, select, columns)

    def repeat_leaf(self, measure: Measure, start: date | None, end: date | None) -> _Leaf:
        """Entities with at least ``min_rows`` matching rows per key (e.g. buyers with 2+ orders)."""
        src = self.source(measure.model)
        value, condition = src.measure_parts(measure)
        assert value is not None
        assert measure.min_rows is not None
        keys = self._key_selects(src)
        where = [*self._where(src, start, end), exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))]
        if condition is not None:
            where.append(condition)
        count = exp.alias_(exp.Count(this=exp.Star()), ident("zt_n"))
        inner = self._select(src, [*keys, exp.alias_(value, ident("zt_e")), count], where, group=False)
        inner = inner.group_by(*self._group(keys), value.copy(), copy=False)
        hit = exp.Case(
            ifs=[exp.If(this=exp.GTE(this=col("zt_n"), expression=lit(measure.min_rows)), true=lit(1))],
            default=lit(0),
        )
        outer = exp.select(*[col(k) for k in self.keys], exp.alias_(exp.Sum(this=hit), ident("v0")))
        outer = outer.from_(exp.Subquery(this=inner, alias=exp.TableAlias(this=ident("zt_r"))), copy=False)
        if self.keys:
            outer = outer.group_by(*[col(k) for k in self.keys], copy=False)
        return _Leaf("r_" + measure.name, outer, {measure.name: "v0"})

    def cumulative_leaf(self, metric: Metric, start: date | None, end: date | None) -> _Leaf:
        spec = metric.spec
        measure = self.d.measures[spec.measure or ""]
        src = self.source(measure.model)
        grain = self.q.grain
        days = window_days(spec.window) if spec.window else None
        gtd = Grain(spec.grain_to_date) if spec.grain_to_date else None
        # the buckets (and dimension values) the answer has rows for
        periods = self._select(src, self._key_selects(src), self._where(src, start, end), group=True)
        # the rows any bucket's window can reach
        lower: date | None = None
        if grain is not None and start is not None:
            first = truncate(start, grain)
            lower = first - timedelta(days=days) if days else (truncate(first, gtd) if gtd else None)
        elif grain is None and end is not None:
            anchor = end - timedelta(days=1)
            lower = end - timedelta(days=days) if days else (truncate(anchor, gtd) if gtd else None)
        value, condition = src.measure_parts(measure)
        row_value: exp.Expr = value if value is not None else lit(1)
        if condition is not None:
            row_value = exp.Case(ifs=[exp.If(this=condition, true=row_value)])
        rows_where = src.range_condition(lower, end)
        for flt in self.filters:
            rows_where.append(_filter_condition(src.dimension(flt.dimension), flt))
        row_selects = [
            exp.alias_(src.time_local(), ident("zt_t")),
            *[exp.alias_(src.dimension(name), ident(name)) for name in self.q.dimensions],
            exp.alias_(row_value, ident("zt_v")),
        ]
        base, joins = src.from_clause(*row_selects, *rows_where)
        rows = exp.select(*row_selects).from_(base, copy=False)
        for join in joins:
            rows = rows.join(join, copy=False)
        if rows_where:
            rows = rows.where(and_all(rows_where), copy=False)
        # window bounds per bucket, in local time
        if grain:
            period_end: exp.Expr = _date_add(col("period", "k"), grain, 1)
        else:
            period_end = lit(end)
        ts_type = exp.DataType.Type.DATE if src.time_is_date else exp.DataType.Type.TIMESTAMP
        on = [_nse(col(name, "r"), col(name, "k")) for name in self.q.dimensions]
        on.append(exp.LT(this=col("zt_t", "r"), expression=exp.cast(period_end.copy(), ts_type)))
        if days:
            win_start = (
                _date_add(period_end.copy(), Grain.DAY, -days) if grain else lit(end - timedelta(days=days))  # type: ignore[operator]
            )
            on.append(exp.GTE(this=col("zt_t", "r"), expression=exp.cast(win_start, ts_type)))
        elif gtd:
            if grain:
                trunc = exp.DateTrunc(this=col("period", "k"), unit=exp.var(gtd.value.upper()))  # type: ignore[no-untyped-call]
                win_start = exp.cast(trunc, exp.DataType.Type.DATE)
            else:
                assert end is not None  # checked in _validate: no grain needs an end
                win_start = lit(truncate(end - timedelta(days=1), gtd))
            on.append(exp.GTE(this=col("zt_t", "r"), expression=exp.cast(win_start, ts_type)))
        agg = _agg(measure.agg, col("zt_v", "r"), None)
        key_cols = [col(k, "k") for k in self.keys]
        select = exp.select(*[exp.alias_(c, ident(c.name)) for c in key_cols], exp.alias_(agg, ident("v0")))
        if self.keys:
            select = select.from_(exp.Subquery(this=periods, alias=exp.TableAlias(this=ident("k"))), copy=False)
        else:
            select = select.from_(
                exp.Subquery(this=exp.select(lit(1).as_("zt_one")), alias=exp.TableAlias(this=ident("k"))), copy=False
            )
        select = select.join(
            exp.Subquery(this=rows, alias=exp.TableAlias(this=ident("r"))), on=and_all(on), join_type="LEFT", copy=False
        )
        if key_cols:
            select = select.group_by(*[c.copy() for c in key_cols], copy=False)
        return _Leaf("c_" + metric.name, select, {metric.name: "v0"})

    def conversion_leaf(self, metric: Metric, start: date | None, end: date | None) -> _Leaf:
        spec = metric.spec
        base_m = self.d.measures[spec.base_measure or ""]
        conv_m = self.d.measures[spec.conversion_measure or ""]
        days = window_days(spec.window or "") or 0
        entity = spec.entity or ""
        bsrc, csrc = (
            RawSource(self.d.semantic_models[base_m.model], self.tz),
            RawSource(self.d.semantic_models[conv_m.model], self.tz),
        )
        keys = self._key_selects(bsrc)
        props = [exp.alias_(bsrc.dimension(p), ident("zt_p" + str(i))) for i, p in enumerate(spec.constant_properties)]
        b_entity = bsrc.entity(entity)
        where = [*self._where(bsrc, start, end), exp.Not(this=exp.Is(this=b_entity.copy(), expression=exp.Null()))]
        _, b_cond = bsrc.measure_parts(base_m)
        if b_cond is not None:
            where.append(b_cond)
        first = exp.alias_(exp.Min(this=bsrc.time_utc()), ident("zt_t0"))
        base = self._select(bsrc, [*keys, exp.alias_(b_entity, ident("zt_e")), *props, first], where, group=False)
        base = base.group_by(*self._group([*keys, b_entity, *props]), copy=False)
        c_entity = csrc.entity(entity)
        c_end = end + timedelta(days=days) if end is not None else None
        not_null = exp.Not(this=exp.Is(this=c_entity.copy(), expression=exp.Null()))
        c_where = [*csrc.range_condition(start, c_end), not_null]
        _, c_cond = csrc.measure_parts(conv_m)
        if c_cond is not None:
            c_where.append(c_cond)
        c_props = [
            exp.alias_(csrc.dimension(p), ident("zt_p" + str(i))) for i, p in enumerate(spec.constant_properties)
        ]
        conv = self._select(
            csrc,
            [exp.alias_(c_entity, ident("zt_e")), exp.alias_(csrc.time_utc(), ident("zt_t")), *c_props],
            c_where,
            group=False,
        )
        on: list[exp.Expr] = [
            exp.EQ(this=col("zt_e", "c"), expression=col("zt_e", "b")),
            exp.GTE(this=col("zt_t", "c"), expression=col("zt_t0", "b")),
            exp.LT(
                this=col("zt_t", "c"),
                expression=exp.Add(
                    this=col("zt_t0", "b"),
                    expression=exp.Interval(this=exp.Literal.string(str(days)), unit=exp.var("DAY")),
                ),
            ),
        ]
        on += [_nse(col("zt_p" + str(i), "c"), col("zt_p" + str(i), "b")) for i in range(len(spec.constant_properties))]
        key_cols = [col(k, "b") for k in self.keys]
        converted = exp.Case(
            ifs=[exp.If(this=exp.Not(this=exp.Is(this=col("zt_e", "c"), expression=exp.Null())), true=col("zt_e", "b"))]
        )
        select = exp.select(
            *[exp.alias_(c, ident(c.name)) for c in key_cols],
            exp.alias_(exp.Count(this=exp.Distinct(expressions=[col("zt_e", "b")])), ident("v_base")),
            exp.alias_(exp.Count(this=exp.Distinct(expressions=[converted])), ident("v_conv")),
        )
        select = select.from_(exp.Subquery(this=base, alias=exp.TableAlias(this=ident("b"))), copy=False)
        select = select.join(
            exp.Subquery(this=conv, alias=exp.TableAlias(this=ident("c"))), on=and_all(on), join_type="LEFT", copy=False
        )
        if key_cols:
            select = select.group_by(*[c.copy() for c in key_cols], copy=False)
        return _Leaf("v_" + metric.name, select, {metric.name + ":base": "v_base", metric.name + ":conv": "v_conv"})

    # -- body ----------------------------------------------------------------------------------------

    def body(self, start: date | None, end: date | None, *, prefix: str = "") -> exp.Select:
        """SELECT keys, metrics for [start, end) as one tree with its CTEs.

        ``prefix`` starts every CTE name: a comparison joins two bodies, and engines that hoist
        nested CTEs to the top (Spark) refuse two CTEs of the same name (``DUPLICATED_CTE_NAMES``).
        """
        closure: list[str] = []
        for name in self.q.metrics:
            for x in _closure(self.d, name):
                if x not in closure:
                    closure.append(x)
        simple: dict[str, list[Measure]] = {}
        leaves: list[_Leaf] = []
        for name in closure:
            m = self.d.metrics[name]
            if m.kind == "simple":
                measure = self.d.measures[m.spec.measure or ""]
                if measure.min_rows is not None:
                    if not any(measure.name in leaf.columns for leaf in leaves):
                        leaves.append(self.repeat_leaf(measure, start, end))
                elif measure not in simple.setdefault(measure.model, []):
                    simple[measure.model].append(measure)
            elif m.kind == "cumulative":
                leaves.append(self.cumulative_leaf(m, start, end))
            elif m.kind == "conversion":
                leaves.append(self.conversion_leaf(m, start, end))
        leaves = [self.simple_leaf(model, ms, start, end) for model, ms in simple.items()] + leaves
        for leaf in leaves:
            leaf.name = prefix + leaf.name
        where: dict[str, exp.Column] = {}
        for leaf in leaves:
            for key, column in leaf.columns.items():
                where[key] = col(column, leaf.name)
        metric_cols = [exp.alias_(self.metric_expr(name, where), ident(name)) for name in self.q.metrics]
        select = exp.select(*[self._key_of(leaves, k) for k in self.keys], *metric_cols)
        first = leaves[0]
        if len(leaves) == 1 or not self.keys:
            select = select.from_(exp.Table(this=ident(first.name)), copy=False)
            for leaf in leaves[1:]:
                select = select.join(exp.Table(this=ident(leaf.name)), join_type="CROSS", copy=False)
        else:
            spine = exp.union(
                *[exp.select(*[col(k) for k in self.keys]).from_(exp.Table(this=ident(leaf.name))) for leaf in leaves],
                distinct=True,
            )
            select = select.from_(exp.Subquery(this=spine, alias=exp.TableAlias(this=ident("zt_keys"))), copy=False)
            for leaf in leaves:
                on = and_all(_nse(col(k, leaf.name), col(k, "zt_keys")) for k in self.keys)
                select = select.join(exp.Table(this=ident(leaf.name)), on=on, join_type="LEFT", copy=False)
        for leaf in leaves:
            select = select.with_(ident(leaf.name), as_=leaf.select, copy=False)
        return select

    def _key_of(self, leaves: list[_Leaf], key: str) -> exp.Expr:
        table = leaves[0].name if len(leaves) == 1 else "zt_keys"
        return exp.alias_(col(key, table), ident(key))

    def metric_expr(self, name: str, where: dict[str, exp.Column]) -> exp.Expr:
        metric = self.d.metrics[name]
        node = self._value(metric, where)
        if metric.format == "money" and node.find(exp.Div) is None:
            return exp.cast(node, MONEY)
        if metric.format == "count" and node.find(exp.Div) is None:
            return exp.cast(node, BIGINT)
        return exp.cast(node, DOUBLE)

    def _value(self, metric: Metric, where: dict[str, exp.Column]) -> exp.Expr:
        spec = metric.spec
        if metric.kind == "simple":
            measure = self.d.measures[spec.measure or ""]
            node: exp.Expr = where[measure.name].copy()
            if measure.agg in _ADDITIVE_ZERO:
                node = exp.func("COALESCE", node, exp.Literal.number(0))
            return node
        if metric.kind == "cumulative":
            measure = self.d.measures[spec.measure or ""]
            node = where[metric.name].copy()
            return exp.func("COALESCE", node, exp.Literal.number(0)) if measure.agg in _ADDITIVE_ZERO else node
        if metric.kind == "conversion":
            conv = exp.func("COALESCE", where[metric.name + ":conv"].copy(), exp.Literal.number(0))
            if spec.calculation == "conversions":
                return conv
            return _safe_div(conv, where[metric.name + ":base"].copy())
        if metric.kind == "ratio":
            num = self._value(self.d.metrics[spec.numerator or ""], where)
            den = self._value(self.d.metrics[spec.denominator or ""], where)
            return _safe_div(num, den)
        tree = exp.Paren(this=parse_expression(spec.expr or ""))  # a parent, so the root can be replaced too
        for column in list(tree.find_all(exp.Column)):
            column.replace(exp.Paren(this=self._value(self.d.metrics[column.name], where)))
        for div in reversed(list(tree.find_all(exp.Div))):  # innermost first
            div.replace(_safe_div(div.this, div.expression))
        return tree

    # -- comparison ----------------------------------------------------------------------------------

    def compare(self, current: exp.Select) -> exp.Select:
        """Join the same plan for the previous period/year, on the shifted period and dimensions."""
        assert self.q.compare is not None
        kind = self.q.compare.kind
        grain = self.q.grain
        start, end = self.q.start, self.q.end
        if grain is not None:
            step_grain, steps = (grain, -1) if kind == "previous_period" else (Grain.YEAR, -1)
            if kind == "previous_year" and grain == Grain.WEEK:
                step_grain, steps = Grain.WEEK, -52
            p_start = shift_date(start, step_grain, steps) if start else None
            p_end = shift_date(end, step_grain, steps) if end else None
        else:
            assert start is not None
            assert end is not None
            if kind == "previous_period":
                length = (end - start).days
                p_start, p_end = start - timedelta(days=length), start
            else:
                p_start, p_end = shift_date(start, Grain.YEAR, -1), shift_date(end, Grain.YEAR, -1)
            step_grain, steps = Grain.DAY, 0
        previous = self.body(p_start, p_end, prefix="prev_")
        on: list[exp.Expr] = [_nse(col(d, "cur"), col(d, "prev")) for d in self.q.dimensions]
        if grain is not None:
            on.append(
                exp.EQ(this=col("period", "cur"), expression=_date_add(col("period", "prev"), step_grain, -steps))
            )
        outputs: list[exp.Expr] = [exp.alias_(col(k, "cur"), ident(k)) for k in self.keys]
        outputs += [exp.alias_(col(m, "cur"), ident(m)) for m in self.q.metrics]
        for m in self.q.metrics:
            prev, cur = col(m, "prev"), col(m, "cur")
            outputs.append(exp.alias_(prev, ident(m + "__previous")))
            change = _safe_div(exp.Sub(this=cur.copy(), expression=prev.copy()), prev.copy())
            outputs.append(exp.alias_(change, ident(m + "__change")))
        node = exp.select(*outputs).from_(
            exp.Subquery(this=current, alias=exp.TableAlias(this=ident("cur"))), copy=False
        )
        node = node.join(
            exp.Subquery(this=previous, alias=exp.TableAlias(this=ident("prev"))),
            on=and_all(on) if on else exp.true(),
            join_type="LEFT",
            copy=False,
        )
        return node


def compile_rollup(dictionary: Dictionary, rollup: Rollup, *, timezone: str = "Asia/Shanghai") -> exp.Select:
    """SELECT period, dimensions, measures (named as themselves) for a rollup table, from raw rows."""
    query = MetricQuery(metrics=("rollup",), dimensions=rollup.dimensions, grain=Grain(rollup.grain))
    plan = _Plan(dictionary, query, timezone, {}, ())
    measures = [dictionary.measures[name] for name in rollup.measures]
    return plan.simple_leaf(rollup.model, measures, None, None, by_name=True).select


def _order(tree: exp.Select, query: MetricQuery) -> exp.Select:
    keys = query.order_by or tuple((["period"] if query.grain else []) + list(query.dimensions))
    if keys:
        ordered = [exp.Ordered(this=ident(k.lstrip("-")), desc=k.startswith("-"), nulls_first=False) for k in keys]
        tree = tree.order_by(*ordered, copy=False)
    if query.limit is not None:
        tree = tree.limit(query.limit, copy=False)
    return tree
