"""Where a semantic model's rows come from: the raw warehouse table, or a rollup table.

The compiler asks a source for the same few things either way (a FROM clause, a dimension's
expression, a measure's aggregate, the time column in UTC and in shop-local time), so answers from
raw tables and from rollups are built by the same code and stay identical.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlglot import exp

from zhongtai.metrics._expr import parse_expression
from zhongtai.metrics.dictionary import Measure, SemanticModel
from zhongtai.metrics.query import Grain
from zhongtai.warehouse._sql import col, ident, lit, tbl

__all__ = ["BASE", "RawSource", "RollupSource", "Source", "bucket", "to_utc"]

BASE = "t"
"""Alias of a model's own table (after its computed columns) in every compiled query."""

ROLLUP_SCHEMA = "zt_metrics"
LOCAL_DATE = "zt_local_date"
"""Name a measure expression may use for the row's shop-local calendar date (e.g. selling days)."""

_UNITS = {
    Grain.DAY: "DAY",
    Grain.WEEK: "WEEK",
    Grain.MONTH: "MONTH",
    Grain.QUARTER: "QUARTER",
    Grain.YEAR: "YEAR",
}


_BOUNDARY_UNITS = frozenset({"SECOND", "MINUTE", "HOUR", "DAY", "MONTH", "QUARTER", "YEAR"})
"""``date_diff`` units whose arguments :func:`_whole_unit_diffs` truncates first."""


def _whole_unit_diffs(tree: exp.Expr) -> exp.Expr:
    """``date_diff(unit, a, b)`` as ``date_diff(unit, date_trunc(unit, a), date_trunc(unit, b))``.

    Dictionary expressions are DuckDB SQL, where ``date_diff`` counts unit *boundaries* crossed
    (PostgreSQL as rendered by SQLGlot does the same), while Spark's ``DATEDIFF(unit, a, b)``
    (``timestampdiff``) counts *elapsed whole* units: 00:00:00.9 -> 00:00:01.1 is 1 second on the
    first two and 0 on Spark. Truncating both ends to the unit first makes the two definitions
    coincide, so every engine returns DuckDB's number (unchanged on DuckDB and PostgreSQL).
    """
    for node in list(tree.find_all(exp.DateDiff)):
        unit = node.text("unit").upper()
        if unit not in _BOUNDARY_UNITS:
            continue
        for arg in ("this", "expression"):
            value = node.args.get(arg)
            if value is not None and not isinstance(value, exp.TimestampTrunc):
                node.set(arg, exp.TimestampTrunc(this=value, unit=exp.var(unit)))
    return tree


def to_utc(day: date, timezone: str) -> datetime:
    """Local midnight of ``day`` in ``timezone`` as a naive UTC datetime (warehouse times are UTC)."""
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _qualify(tree: exp.Expr, aliases: set[str]) -> exp.Expr:
    """Quote every column and pin unqualified ones to the model's own table."""
    for column in list(tree.find_all(exp.Column)):
        table = column.table
        if table and table not in aliases:
            continue
        column.set("this", ident(column.name))
        column.set("table", ident(table or BASE))
    return tree


def bucket(local: exp.Expr, grain: Grain, *, is_date: bool) -> exp.Expr:
    """First day of the ``grain`` bucket holding ``local`` (a shop-local timestamp or date), as DATE."""
    if grain == Grain.DAY:
        return exp.cast(local, exp.DataType.Type.DATE)
    unit = exp.var(_UNITS[grain])
    trunc: exp.Expr
    if is_date:
        trunc = exp.DateTrunc(this=local, unit=unit)  # type: ignore[no-untyped-call]
    else:
        trunc = exp.TimestampTrunc(this=local, unit=unit)
    return exp.cast(trunc, exp.DataType.Type.DATE)


@dataclass
class Source(ABC):
    """What the compiler needs from a semantic model's rows."""

    model: SemanticModel
    timezone: str

    is_rollup = False

    @abstractmethod
    def from_clause(self, *used: exp.Expr) -> tuple[exp.Expr, list[exp.Join]]:
        """The model's rows (aliased ``t``) and the joins its expressions need."""

    @abstractmethod
    def time_utc(self) -> exp.Expr:
        """The row's time as stored (UTC timestamp, or a date)."""

    @property
    def time_is_date(self) -> bool:
        return self.model.time_type == "date"

    def time_local(self) -> exp.Expr:
        """The row's time in shop-local terms (a naive local timestamp, or a date)."""
        utc = self.time_utc()
        if self.time_is_date:
            return utc
        return exp.ConvertTimezone(source_tz=lit("UTC"), target_tz=lit(self.timezone), timestamp=utc)

    def range_condition(self, start: date | None, end: date | None) -> list[exp.Expr]:
        """Rows with local date in [start, end), written on the UTC column so indexes/zone maps apply."""
        out: list[exp.Expr] = []
        column = self.time_utc()
        if start is not None:
            bound = lit(start) if self.time_is_date else lit(to_utc(start, self.timezone))
            out.append(exp.GTE(this=column.copy(), expression=bound))
        if end is not None:
            bound = lit(end) if self.time_is_date else lit(to_utc(end, self.timezone))
            out.append(exp.LT(this=column.copy(), expression=bound))
        return out

    @abstractmethod
    def dimension(self, name: str) -> exp.Expr:
        """The expression giving dimension ``name`` for a row."""

    def entity(self, name: str) -> exp.Expr:
        return self._expr(self.model.entities[name])

    @abstractmethod
    def measure_parts(self, measure: Measure) -> tuple[exp.Expr | None, exp.Expr | None]:
        """(value expression, row condition) of ``measure``; ``None`` value means count rows."""

    def _expr(self, text: str) -> exp.Expr:
        """A dictionary expression as a tree; ``zt_local_date`` is the row's shop-local date."""
        aliases = {BASE} | {j[1] for j in self.model.joins}
        tree = _whole_unit_diffs(_qualify(parse_expression(text), aliases))
        for column in list(tree.find_all(exp.Column)):
            if column.name == LOCAL_DATE and column.table == BASE:
                replacement = bucket(self.time_local(), Grain.DAY, is_date=self.time_is_date)
                if column is tree:
                    return replacement
                column.replace(replacement)
        return tree


class RawSource(Source):
    """The warehouse table, its computed columns (each a layer over the previous) and its joins."""

    def from_clause(self, *used: exp.Expr) -> tuple[exp.Expr, list[exp.Join]]:
        """Only the joins and computed columns the ``used`` expressions need (transitively).

        Called without expressions it returns every join and computed column (the whole model).
        """
        if not used:
            used = tuple(self._expr(t) for t in (*self.model.dimensions.values(), *(n for n, _ in self.model.computed)))
            used += tuple(self._expr(on) for _, _, on in self.model.joins)
        refs = {(c.table, c.name) for node in used for c in node.find_all(exp.Column)}
        aliases = {t for t, _ in refs}
        names = {n for t, n in refs if t == BASE}
        joins = [(table, alias, self._expr(on)) for table, alias, on in self.model.joins]
        changed = True
        while changed:
            changed = False
            for _, alias, on in joins:
                if alias in aliases:
                    for c in on.find_all(exp.Column):
                        if c.table not in aliases:
                            aliases.add(c.table)
                            changed = True
                        if c.table == BASE:
                            names.add(c.name)
        computed = [(n, self._expr(text)) for n, text in self.model.computed]
        for name, tree in reversed(computed):
            if name in names:
                names |= {c.name for c in tree.find_all(exp.Column)}
        base: exp.Expr = tbl(self.model.table, alias=BASE)
        for name, tree in computed:
            if name not in names:
                continue
            layer = exp.select(exp.Column(this=exp.Star(), table=ident(BASE)), exp.alias_(tree, ident(name)))
            base = exp.Subquery(this=layer.from_(base, copy=False), alias=exp.TableAlias(this=ident(BASE)))
        out = [
            exp.Join(this=tbl(table, alias=alias), kind="LEFT", on=on) for table, alias, on in joins if alias in aliases
        ]
        return base, out

    def time_utc(self) -> exp.Expr:
        return self._expr(self.model.time_column)

    def dimension(self, name: str) -> exp.Expr:
        return self._expr(self.model.dimensions[name])

    def measure_parts(self, measure: Measure) -> tuple[exp.Expr | None, exp.Expr | None]:
        value = self._expr(measure.expr) if measure.expr else None
        condition = self._expr(measure.filter) if measure.filter else None
        return value, condition


@dataclass
class RollupSource(Source):
    """A rollup table: ``period`` (local DATE at the rollup's grain), dimension and measure columns.

    Measures were aggregated (with their filters) when the rollup was refreshed, so here each one
    is re-aggregated with SUM, which is exact for the additive measures rollups may hold.
    """

    table: str = ""
    grain: Grain = Grain.DAY

    is_rollup = True

    @property
    def time_is_date(self) -> bool:
        return True

    def from_clause(self, *used: exp.Expr) -> tuple[exp.Expr, list[exp.Join]]:
        return tbl(self.table, ROLLUP_SCHEMA, alias=BASE), []

    def time_utc(self) -> exp.Expr:
        return col("period", BASE)

    def time_local(self) -> exp.Expr:
        return col("period", BASE)

    def range_condition(self, start: date | None, end: date | None) -> list[exp.Expr]:
        out: list[exp.Expr] = []
        if start is not None:
            out.append(exp.GTE(this=col("period", BASE), expression=lit(start)))
        if end is not None:
            out.append(exp.LT(this=col("period", BASE), expression=lit(end)))
        return out

    def dimension(self, name: str) -> exp.Expr:
        return col(name, BASE)

    def measure_parts(self, measure: Measure) -> tuple[exp.Expr | None, exp.Expr | None]:
        return col(measure.name, BASE), None


def day_shift(day: date, days: int) -> date:
    return day + timedelta(days=days)
