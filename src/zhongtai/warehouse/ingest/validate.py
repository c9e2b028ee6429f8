"""Typing and validating staged cells in one pass, then the rules that span rows.

``build_parsed`` writes ``<name>_p``: per staged row its route flags, every canonical value
(``v<k>``) and the rule each value broke (``e<k>``); rows whose every cell is empty (the ``,,,,``
lines a spreadsheet saves after its data) carry nothing and are left out, like blank lines.
``collect_errors`` writes ``<name>_e``, one row per (row, problem): cell rules, table checks, exact
duplicates, repeated headers and totals rows, conflicting values inside a group, duplicate keys,
incomplete groups and missing parents. A row with any problem is quarantined whole; no row with
data is dropped without a record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import duckdb
from sqlglot import exp

from zhongtai.warehouse._sql import and_all, cast, col, fragment, lit, or_all, render, run, scalar, tbl
from zhongtai.warehouse.ddl import storage_type
from zhongtai.warehouse.ingest import parsers
from zhongtai.warehouse.ingest.mapping import ColumnSpec
from zhongtai.warehouse.ingest.plan import ColumnPlan, LoadPlan, TablePlan
from zhongtai.warehouse.schema import Column, ColumnType, Reference

__all__ = ["Validation", "ValueColumn", "build_parsed", "collect_errors"]

TOTALS_WORDS = ("合计", "总计", "小计", "总合计", "汇总", "total", "totals", "grand total", "sum", "subtotal")
SEQUENCE = "sequence"


@dataclass(frozen=True, slots=True)
class ValueColumn:
    """Where a canonical column's value sits in ``<name>_p`` (or how to make it later)."""

    plan: ColumnPlan
    value: str | None  # column in the parsed table, None for sequence / generated columns
    error: str | None


@dataclass(slots=True)
class Validation:
    name: str
    values: dict[tuple[str, str], ValueColumn] = field(default_factory=dict)
    source: str = ""
    day_month: dict[int, tuple[str, str]] = field(default_factory=dict)  # cell -> (day part, month part)
    blank_rows: int = 0  # rows whose every cell is empty (``,,,,`` lines Excel leaves): no data, skipped

    @property
    def parsed(self) -> str:
        return self.name + "_p"

    @property
    def errors(self) -> str:
        return self.name + "_e"


class _Stages:
    """Named columns computed layer by layer (each layer reads only earlier layers' columns).

    An expression already present in a layer is not computed twice: :meth:`shared` returns the
    column that holds it (e.g. ``Quantity × UnitPrice`` feeding four canonical columns).
    """

    def __init__(self, depth: int) -> None:
        self.layers: list[dict[str, exp.Expr]] = [{} for _ in range(depth)]
        self._by_sql: dict[tuple[int, str], str] = {}

    def add(self, layer: int, name: str, node: exp.Expr) -> exp.Column:
        self.layers[layer].setdefault(name, node)
        return col(name)

    def shared(self, layer: int, name: str, node: exp.Expr) -> str:
        key = (layer, render(node))
        existing = self._by_sql.get(key)
        if existing is not None:
            return existing
        self._by_sql[key] = name
        self.layers[layer][name] = node
        return name

    def query(self, base: exp.Select) -> exp.Select:
        query = base
        for number, layer in enumerate(self.layers):
            if not layer:
                continue
            columns = [node.as_(name, copy=False) for name, node in layer.items()]
            query = exp.select(exp.Star(), *columns, copy=False).from_(
                query.subquery(f"s{number}", copy=False), copy=False
            )
        return query


_R, _T, _G, _F, _S, _W, _N, _DL, _V, _E = range(10)
DEPTH = 10


class _Cells:
    """Per staged cell, the stage columns the mapping needs (created on first use)."""

    def __init__(self, stages: _Stages, typed: dict[int, str] | None = None) -> None:
        self.stages = stages
        self.typed_cells = typed or {}
        self.day_month_cells: set[int] = set()
        self._local_names: dict[tuple[int, tuple[str, ...] | None, str | None], str] = {}

    def text(self, i: int) -> exp.Column:
        self.stages.add(_R, f"r{i}", parsers.trimmed(col(f"c{i}")))
        return self.stages.add(_T, f"t{i}", parsers.clean_text(col(f"r{i}")))

    def typed(self, i: int) -> exp.Column:
        self.text(i)
        self.stages.add(_G, f"g{i}", parsers.folded(col(f"t{i}")))
        return self.stages.add(_F, f"f{i}", parsers.typed_text(col(f"g{i}")))

    def number(self, i: int) -> exp.Column:
        """``n<i>`` (DECIMAL(18,4)); its companion ``x<i>`` says more than four decimals were given."""
        self.typed(i)
        f, s_, w = col(f"f{i}"), col(f"s{i}"), col(f"w{i}")
        self.stages.add(_S, f"s{i}", parsers.signed_text(f.copy()))
        self.stages.add(_W, f"w{i}", parsers.wide_value(s_.copy()))
        self.stages.add(_N, f"x{i}", parsers.excess_decimals(f.copy(), s_.copy(), w.copy()))
        return self.stages.add(_N, f"n{i}", parsers.number_value(f, s_, w))

    def date_text(self, i: int) -> exp.Column:
        self.typed(i)
        return self.stages.add(_S, f"dn{i}", parsers.date_text(col(f"f{i}")))

    def day_month(self, i: int) -> tuple[exp.Column, exp.Column]:
        self.day_month_cells.add(i)
        self.date_text(i)
        first, second = parsers.dm_parts(col(f"dn{i}"))
        return self.stages.add(_N, f"da{i}", first), self.stages.add(_N, f"db{i}", second)

    def local_time(self, i: int, formats: tuple[str, ...] | None, date_order: str | None) -> exp.Column:
        first, second = self.day_month(i)
        name = self._local_names.setdefault((i, formats, date_order), f"dl{i}_{len(self._local_names)}")
        node = parsers.date_local(
            col(f"dn{i}"), col(f"f{i}"), formats=formats, date_order=date_order, first=first, second=second
        )
        return self.stages.add(_DL, name, node)


def _scale(kind: ColumnType) -> int:
    return 4 if kind is ColumnType.PRICE else 2


def _value_and_error(
    plan: ColumnPlan, cells: _Cells, *, timezone: str, date_order: str | None
) -> tuple[exp.Expr, exp.Expr]:
    """The value expression (layer V) and the parse-error expression (layer E, may use ``:v``)."""
    spec, column = plan.spec, plan.column
    kind = column.type
    v = exp.Placeholder(this="v")
    if spec.const is not None:
        const = str(spec.const).lower() if isinstance(spec.const, bool) else str(spec.const)
        return _const_value(column, const), exp.Null()
    if spec.arithmetic:
        return _arithmetic(plan, cells, kind)
    if not plan.cells:
        return exp.Null(), exp.Null()
    i = plan.cells[0]
    typed = _typed_value(plan, cells, kind, timezone=spec.timezone or timezone)
    if typed is not None:
        return typed
    if kind in (ColumnType.MONEY, ColumnType.PRICE, ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.RATE):
        n = cells.number(i)
        return _numeric(kind, n, col(f"f{i}"), negate=spec.negate, divide=spec.divide, excess=col(f"x{i}"))
    if kind is ColumnType.BOOLEAN:
        f = cells.typed(i)
        return parsers.boolean_value(f, spec.values), _parse_error(f, v, "parse.boolean")
    if kind is ColumnType.CODE:
        t = cells.text(i)
        return parsers.code_value(t, allowed=column.values, mapping=spec.values), _parse_error(t, v, "parse.code")
    if kind is ColumnType.JSON:
        t = cells.text(i)
        return parsers.json_value(t), _parse_error(t, v, "parse.json")
    if kind is ColumnType.ID:
        f = cells.typed(i)
        return parsers.id_value(f), _parse_error(f, v, "parse.id_precision_lost")
    if kind in (ColumnType.DATE, ColumnType.TIMESTAMP):
        return _temporal(plan, cells, i, timezone=spec.timezone or timezone, date_order=date_order)
    return parsers.text_value(cells.text(i)), exp.Null()


_INTEGER_TYPES = ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT")
_NUMERIC_TYPES = (*_INTEGER_TYPES, "DECIMAL", "DOUBLE", "FLOAT")


def _typed_value(
    plan: ColumnPlan, cells: _Cells, kind: ColumnType, *, timezone: str
) -> tuple[exp.Expr, exp.Expr] | None:
    """A Parquet column already of a fitting type is read as it is (``o<i>``), not through text.

    Numbers still go through the exactness and range checks; naive timestamps are read in the
    mapping's time zone like text ones; a spec that transforms values (format, values) keeps the
    text path. Returns ``None`` when the text path applies.
    """
    spec = plan.spec
    physical = cells.typed_cells.get(plan.cells[0])
    if physical is None or spec.format or spec.values:
        return None
    o = col(f"o{plan.cells[0]}")
    if kind in (ColumnType.MONEY, ColumnType.PRICE, ColumnType.INTEGER) and physical.startswith(_NUMERIC_TYPES):
        if kind is ColumnType.INTEGER and physical.startswith(_INTEGER_TYPES) and not (spec.negate or spec.divide):
            return fragment("CAST(:o AS BIGINT)", o=o), exp.Null()
        precision, scale = _decimal_shape(physical)
        if (
            kind is not ColumnType.INTEGER
            and not (spec.negate or spec.divide)
            and scale <= _scale(kind)
            and (precision - scale <= 18 - _scale(kind))
        ):
            return cast(o, storage_type(plan.column)), exp.Null()  # every value fits exactly
        number = fragment("TRY_CAST(:o AS DECIMAL(18, 4))", o=o)
        excess = fragment("COALESCE(ROUND(:o, 4) <> :o, FALSE)", o=o.copy()) if scale > 4 else exp.false()
        return _numeric(kind, number, o.copy(), negate=spec.negate, divide=spec.divide, excess=excess)
    if kind in (ColumnType.NUMBER, ColumnType.RATE) and physical.startswith(_NUMERIC_TYPES):
        value = fragment("CAST(:o AS DOUBLE)", o=o)
        if spec.divide:
            value = fragment(":x / :d", x=value, d=lit(spec.divide))
        if spec.negate:
            value = fragment("-(:x)", x=value)
        return value, exp.Null()
    if kind is ColumnType.BOOLEAN and physical == "BOOLEAN":
        return o, exp.Null()
    if kind is ColumnType.ID and physical.startswith(_INTEGER_TYPES):
        return fragment("CAST(:o AS VARCHAR)", o=o), exp.Null()
    if kind in (ColumnType.DATE, ColumnType.TIMESTAMP) and physical.startswith(("DATE", "TIMESTAMP")):
        aware = "TIME ZONE" in physical
        if kind is ColumnType.DATE:
            value = (
                fragment("CAST(TIMEZONE(:z, :o) AS DATE)", z=lit(timezone), o=o)
                if aware
                else fragment("CAST(:o AS DATE)", o=o)
            )
        elif aware:
            value = fragment("CAST(TIMEZONE('UTC', :o) AS TIMESTAMP)", o=o)
        elif timezone == "UTC":
            value = fragment("CAST(:o AS TIMESTAMP)", o=o)
        else:
            value = fragment(
                "CAST(TIMEZONE('UTC', TIMEZONE(:z, CAST(:o AS TIMESTAMP))) AS TIMESTAMP)", z=lit(timezone), o=o
            )
        error = fragment(
            "CASE WHEN YEAR(:v) < 1900 OR YEAR(:v) > 2200 THEN 'range.implausible_date' END",
            v=exp.Placeholder(this="v"),
        )
        return value, error
    return None


def _decimal_shape(physical: str) -> tuple[int, int]:
    """(precision, scale) of a Parquet number type; integers have scale 0, floats an unknown scale."""
    if physical.startswith("DECIMAL("):
        precision, scale = physical.removeprefix("DECIMAL(").removesuffix(")").split(",")
        return int(precision), int(scale)
    if physical.startswith(_INTEGER_TYPES):
        return 19, 0
    return 38, 38  # DOUBLE / FLOAT: rounded to four places, more decimals than the column keeps is an error


def _arithmetic(plan: ColumnPlan, cells: _Cells, kind: ColumnType) -> tuple[exp.Expr, exp.Expr]:
    """``multiply`` (a × b) or ``add`` (Σ, empty cells count as zero) minus ``subtract`` (Σ).

    Operands are DECIMAL(38,10); a product is only computed when its magnitude, estimated in
    DOUBLE, stays below 10^16, so an absurd cell is a ``parse.decimal`` rejection instead of an
    engine overflow that would stop the whole load.
    """
    spec = plan.spec
    terms = [(cells.number(i), col(f"f{i}"), sign) for i, sign in zip(plan.cells, plan.signs, strict=True)]
    excess = or_all(col(f"x{i}") for i in plan.cells)
    plus = [n for n, _, sign in terms if sign > 0]
    minus = [n for n, _, sign in terms if sign < 0]
    if spec.multiply:
        if len(plus) < 2:
            return exp.Null(), exp.Null()
        base: exp.Expr = fragment(
            "CASE WHEN ABS(CAST(:a AS DOUBLE) * CAST(:b AS DOUBLE)) < 10000000000000000 THEN :a * :b END",
            a=plus[0],
            b=plus[1],
        )
        computable: exp.Expr = fragment(":a IS NOT NULL AND :b IS NOT NULL", a=plus[0].copy(), b=plus[1].copy())
    else:
        present = or_all(fragment(":n IS NOT NULL", n=n.copy()) for n in plus)
        total = _sum_of(plus)
        base = fragment("CASE WHEN :p THEN :t END", p=present, t=total)
        computable = present.copy()
    if minus:
        base = fragment(":b - :m", b=base, m=_sum_of(minus))
    unreadable = or_all(fragment(":f IS NOT NULL AND :n IS NULL", f=f.copy(), n=n.copy()) for n, f, _ in terms)
    if kind in (ColumnType.MONEY, ColumnType.PRICE):
        base = fragment("ROUND(:b, :s)", b=base, s=lit(_scale(kind)))  # a computed amount is rounded to its unit
    value, range_error = _numeric(kind, base, base.copy(), negate=spec.negate, divide=spec.divide)
    error = fragment(
        "CASE WHEN :u THEN 'parse.decimal' WHEN :c AND :b IS NULL THEN 'parse.decimal' "
        "WHEN :over THEN 'parse.too_many_decimals' ELSE :e END",
        u=unreadable,
        c=computable,
        b=base.copy(),
        over=excess,
        e=range_error,
    )
    return value, error


def _sum_of(numbers: Sequence[exp.Expr]) -> exp.Expr:
    parts = [fragment("COALESCE(:n, 0)", n=n.copy()) for n in numbers]
    total = parts[0]
    for part in parts[1:]:
        total = fragment(":a + :b", a=total, b=part)
    return total


def _const_value(column: Column, text: str) -> exp.Expr:
    return cast(lit(text), storage_type(column))


def _parse_error(text: exp.Expr, value: exp.Expr, code: str) -> exp.Expr:
    return fragment("CASE WHEN :t IS NOT NULL AND :v IS NULL THEN :c END", t=text, v=value, c=lit(code))


def _numeric(
    kind: ColumnType,
    n: exp.Expr,
    f: exp.Expr,
    *,
    negate: bool,
    divide: float | None,
    excess: exp.Expr | None = None,
) -> tuple[exp.Expr, exp.Expr]:
    """Value and error of a number column from ``n`` (the number), ``f`` (its text, for "was
    there anything to read") and ``excess`` (more decimals were written than ``n`` keeps)."""
    x: exp.Expr = n
    if divide:
        x = fragment(":x / :d", x=x, d=lit(divide))
    if negate:
        x = fragment("-(:x)", x=x)
    v = exp.Placeholder(this="v")
    over: exp.Expr = excess.copy() if excess is not None else exp.false()
    if kind in (ColumnType.MONEY, ColumnType.PRICE):
        sc = lit(_scale(kind))
        limit = lit(10 ** (18 - _scale(kind)))  # what DECIMAL(18, scale) can hold
        value = fragment(
            "CASE WHEN NOT :over AND ABS(:x) < :lim AND ROUND(:x, :sc) = :x THEN CAST(:x AS DECIMAL(18, :sc)) END",
            over=over,
            x=x,
            sc=sc,
            lim=limit,
        )
        error = fragment(
            "CASE WHEN :f IS NOT NULL AND :n IS NULL THEN 'parse.decimal' "
            "WHEN :n IS NOT NULL AND ABS(:x) >= :lim THEN 'parse.decimal' "
            "WHEN :n IS NOT NULL AND :v IS NULL THEN 'parse.too_many_decimals' END",
            f=f,
            n=n,
            x=x,
            v=v,
            lim=limit.copy(),
        )
        return value, error
    if kind is ColumnType.INTEGER:
        value = fragment(
            "CASE WHEN NOT :over AND :x = TRUNC(:x) AND ABS(:x) < 9000000000000000000 THEN CAST(:x AS BIGINT) END",
            over=over,
            x=x,
        )
        return value, _parse_error(f, v, "parse.integer")
    double: exp.Expr = fragment("COALESCE(TRY_CAST(:f AS DOUBLE), CAST(:n AS DOUBLE))", f=f, n=n)
    if divide:
        double = fragment(":x / :d", x=double, d=lit(divide))
    if negate:
        double = fragment("-(:x)", x=double)
    return double, _parse_error(f, v, "parse.number")


def _temporal(
    plan: ColumnPlan, cells: _Cells, i: int, *, timezone: str, date_order: str | None
) -> tuple[exp.Expr, exp.Expr]:
    spec = plan.spec
    formats = (spec.format,) if isinstance(spec.format, str) else spec.format
    local = cells.local_time(i, formats, date_order)
    dn, f = col(f"dn{i}"), col(f"f{i}")
    first, second = col(f"da{i}"), col(f"db{i}")
    as_date = plan.column.type is ColumnType.DATE
    zone = lit(timezone)
    if formats in (("unix",), ("unix_ms",)):
        value: exp.Expr = fragment("CAST(:l AS DATE)", l=local) if as_date else local
    elif as_date:
        value = fragment(
            "CASE WHEN :off THEN CAST(TIMEZONE(:z, :i) AS DATE) ELSE CAST(:l AS DATE) END",
            off=parsers.has_offset(dn),
            z=zone,
            i=parsers.offset_instant(dn),
            l=local,
        )
    else:
        value = fragment(
            "CASE WHEN :off THEN :aware ELSE CAST(TIMEZONE('UTC', TIMEZONE(:z, :l)) AS TIMESTAMP) END",
            off=parsers.has_offset(dn),
            aware=parsers.offset_value(dn),
            z=zone,
            l=local,
        )
    ambiguous: exp.Expr = exp.false()
    if not formats and not date_order:
        ambiguous = fragment("COALESCE(:a <= 12 AND :b <= 12, FALSE)", a=first, b=second)
    code = "parse.date" if as_date else "parse.timestamp"
    error = fragment(
        "CASE WHEN :f IS NULL THEN NULL WHEN :amb THEN 'parse.date_ambiguous' WHEN :v IS NULL THEN :code "
        "WHEN YEAR(:v) < 1900 OR YEAR(:v) > 2200 THEN 'range.implausible_date' END",
        f=f,
        amb=ambiguous,
        v=exp.Placeholder(this="v"),
        code=lit(code),
    )
    return value, error


def _route(table: TablePlan, cells: _Cells) -> exp.Expr:
    tests: list[exp.Expr] = []
    for cell, test, operand in table.route_cells:
        t = cells.text(cell)
        if test == "equals":
            tests.append(fragment("COALESCE(:t = :o, FALSE)", t=t, o=lit(operand)))
        elif test == "not_equals":
            tests.append(fragment("COALESCE(:t <> :o, TRUE)", t=t, o=lit(operand)))
        elif test == "starts_with":
            tests.append(fragment("COALESCE(STARTS_WITH(:t, :o), FALSE)", t=t, o=lit(operand)))
        elif test == "not_starts_with":
            tests.append(fragment("COALESCE(NOT STARTS_WITH(:t, :o), TRUE)", t=t, o=lit(operand)))
        elif test == "one_of":
            values = exp.Tuple(expressions=[lit(v) for v in operand])  # type: ignore[attr-defined]
            tests.append(fragment("COALESCE(:t IN :o, FALSE)", t=t, o=values))
        elif test == "empty":
            tests.append(fragment(":t IS NULL", t=t) if operand else fragment(":t IS NOT NULL", t=t))
    return and_all(tests)


def build_parsed(
    con: duckdb.DuckDBPyConnection,
    plan: LoadPlan,
    *,
    name: str,
    source: str,
    timezone: str,
    currency: str,
    now: datetime,
) -> Validation:
    """Create ``<name>_p`` from the staged table ``<name>`` (see module docstring)."""
    staged = plan.staged
    width = len(staged.headers)
    validation = Validation(name, source=source)
    stages = _Stages(DEPTH)
    cells = _Cells(stages, staged.typed_cells)

    raw_cells = [col(f"c{i}") for i in range(width)]
    # typed Parquet cells are hashed and inspected as they are, never turned into text here
    cells_as_read: list[exp.Expr] = [col(f"o{i}") if i in staged.typed_cells else c for i, c in enumerate(raw_cells)]
    lead_cells: list[exp.Expr] = [
        fragment("CASE WHEN :o IS NOT NULL THEN '#' END", o=col(f"o{i}")) if i in staged.typed_cells else c
        for i, c in enumerate(raw_cells)
    ]
    header = exp.false() if staged.typed_cells else _repeated_header(staged.headers, raw_cells)
    base = exp.select(
        col("_row"),
        *raw_cells,
        *[col(f"o{i}") for i in sorted(staged.typed_cells)],
        exp.func("hash", *[c.copy() for c in cells_as_read]).as_("_h"),
        header.as_("_hdr"),
        _lead_cell(lead_cells).as_("_lead"),
    ).from_(tbl(name))
    stages.add(_R, "_tot", _totals_row(col("_lead")))
    stages.add(_R, "_blank", fragment("_lead IS NULL"))
    keep = ["_row", "_h", "_hdr", "_tot"]
    stages.add(_V, "_dup", exp.false())
    keep.append("_dup")
    k = 0
    for table in plan.tables:
        stages.add(_V, f"r_{table.name}", _route(table, cells))
        keep.append(f"r_{table.name}")
        for cplan in table.columns:
            if cplan.spec.sequence or cplan.spec.generate:
                validation.values[(table.name, cplan.column.name)] = ValueColumn(cplan, None, None)
                continue
            value, parse_error = _value_and_error(
                cplan, cells, timezone=plan.mapping.timezone or timezone, date_order=plan.mapping.date_order
            )
            v_name = stages.shared(_V, f"v{k}", value)
            error = _column_error(cplan, parse_error, col(v_name), now)
            e_name = stages.shared(_E, f"e{k}", error)
            keep += [n for n in (v_name, e_name) if n not in keep]
            validation.values[(table.name, cplan.column.name)] = ValueColumn(cplan, v_name, e_name)
            k += 1
        k = _gift_flag(table, validation, stages, keep, k)
    for i in cells.day_month_cells:
        keep += [f"da{i}", f"db{i}"]
        validation.day_month[i] = (f"da{i}", f"db{i}")
    query = (  # built in place (copy=False): copying the stage tree again costs a tenth of a second
        exp.select(*[col(c) for c in keep])
        .from_(stages.query(base).subquery("staged", copy=False), copy=False)
        .where(fragment("NOT _blank"), copy=False)
    )
    run(con, fragment("CREATE OR REPLACE TEMP TABLE :t AS :q", t=tbl(validation.parsed), q=query))
    validation.blank_rows = staged.rows - int(
        scalar(con, fragment("SELECT COUNT(*) FROM :p", p=tbl(validation.parsed)))
    )
    _mark_duplicates(con, validation, name, width)
    return validation


def _mark_duplicates(con: duckdb.DuckDBPyConnection, validation: Validation, staged: str, width: int) -> None:
    """Flag exact duplicate rows. Rows are grouped by a 64-bit hash of their cells (an aggregate,
    far cheaper than a window over every column); in groups of two or more each row is compared
    cell by cell with the group's first row, so a hash collision is not a duplicate.

    Only the rows of such groups are read back from the staged cells, in one scan (for Parquet the
    staged table is a view over the file, so a scan re-reads it); a file without two rows of the
    same hash, the usual case, is not read again at all.
    """
    groups = tbl(staged + "_dg")
    pairs = tbl(staged + "_dp")
    cells = tbl(staged + "_dx")
    run(
        con,
        fragment(
            "CREATE OR REPLACE TEMP TABLE :g AS SELECT _h, MIN(_row) AS _first FROM :p GROUP BY _h HAVING COUNT(*) > 1",
            g=groups,
            p=tbl(validation.parsed),
        ),
    )
    if not scalar(con, fragment("SELECT COUNT(*) FROM :g", g=groups.copy())):
        return
    run(
        con,
        fragment(
            "CREATE OR REPLACE TEMP TABLE :d AS SELECT p._row, g._first FROM :p AS p JOIN :g AS g "
            "ON g._h = p._h WHERE g._first < p._row",
            d=pairs,
            p=tbl(validation.parsed),
            g=groups.copy(),
        ),
    )
    run(
        con,
        fragment(
            "CREATE OR REPLACE TEMP TABLE :x AS SELECT * FROM :s "
            "WHERE _row IN (SELECT _row FROM :d UNION ALL SELECT _first FROM :d)",
            x=cells,
            s=tbl(staged),
            d=pairs.copy(),
        ),
    )
    same = and_all(
        fragment(":a IS NOT DISTINCT FROM :b", a=col(f"c{i}", "a"), b=col(f"c{i}", "b")) for i in range(width)
    )
    duplicates = (
        exp.select(col("_row", "d"))
        .from_(tbl(staged + "_dp", alias="d"))
        .join(tbl(staged + "_dx", alias="a"), on=fragment("a._row = d._row"))
        .join(tbl(staged + "_dx", alias="b"), on=fragment("b._row = d._first"))
        .where(same)
    )
    run(con, fragment("UPDATE :p SET _dup = TRUE WHERE _row IN (:d)", p=tbl(validation.parsed), d=duplicates))


def _gift_flag(table: TablePlan, validation: Validation, stages: _Stages, keep: list[str], k: int) -> int:
    """``zero_price_is_gift``: an unmapped ``is_gift`` becomes "sold at 0" (marketplaces export gifts so)."""
    price = validation.values.get((table.name, "unit_price"))
    if not table.spec.zero_price_is_gift or (table.name, "is_gift") in validation.values or price is None:
        return k
    if not table.table.has("is_gift") or price.value is None:
        return k
    name = stages.shared(_E, f"v{k}", fragment("COALESCE(:p = 0, FALSE)", p=col(price.value)))
    keep.append(name)
    derived = ColumnPlan(table.name, table.table.column("is_gift"), ColumnSpec(const=False), (), ())
    validation.values[(table.name, "is_gift")] = ValueColumn(derived, name, None)
    return k + 1


def _repeated_header(headers: list[str], raw_cells: list[exp.Column]) -> exp.Expr:
    named = [(i, h.strip()) for i, h in enumerate(headers) if h.strip()]
    same = and_all(fragment("TRIM(:c) = :h", c=raw_cells[i].copy(), h=lit(h)) for i, h in named)
    return fragment("COALESCE(:r, FALSE)", r=same)


def _lead_cell(raw_cells: list[exp.Expr]) -> exp.Expr:
    """A row's first non-empty cell (NULL when every cell is empty)."""
    return exp.Coalesce(
        this=fragment("NULLIF(TRIM(:c), '')", c=raw_cells[0].copy()),
        expressions=[fragment("NULLIF(TRIM(:c), '')", c=c.copy()) for c in raw_cells[1:]],
    )  # TRIM without a character list trims spaces only, and is cheap


def _totals_row(lead: exp.Expr) -> exp.Expr:
    """The first non-empty cell says 合计 / Total …: a totals line, not data.

    A list lookup, not ``IN (…)``, which DuckDB would run as a join over every row."""
    return fragment("COALESCE(LIST_CONTAINS(:w, RTRIM(LOWER(:f), ':： ')), FALSE)", f=lead, w=lit(list(TOTALS_WORDS)))


def _column_error(plan: ColumnPlan, parse_error: exp.Expr, v: exp.Column, now: datetime) -> exp.Expr:
    column = plan.column
    parse_error = exp.replace_placeholders(parse_error.copy(), v=v)
    rules: list[tuple[exp.Expr, str]] = []
    if column.minimum is not None:
        rules.append((fragment(":v < :m", v=v, m=lit(column.minimum)), "range.below_minimum"))
    if column.maximum is not None:
        rules.append((fragment(":v > :m", v=v, m=lit(column.maximum)), "range.above_maximum"))
    if column.past_only and column.type is ColumnType.TIMESTAMP:
        rules.append((fragment(":v > :m", v=v, m=lit(now + timedelta(days=1))), "range.future_date"))
    if column.past_only and column.type is ColumnType.DATE:
        rules.append((fragment(":v > :m", v=v, m=lit((now + timedelta(days=1)).date())), "range.future_date"))
    ifs = [exp.If(this=cond, true=lit(code)) for cond, code in rules]
    range_error: exp.Expr = exp.Case(ifs=ifs) if ifs else exp.Null()
    missing: exp.Expr = exp.Null()
    if column.required:
        missing = fragment("CASE WHEN :v IS NULL THEN 'required.missing' END", v=v)
    return exp.Coalesce(this=parse_error, expressions=[range_error, missing])


def _checks_errors(plan: LoadPlan, validation: Validation) -> list[tuple[str, str, exp.Expr]]:
    """(table, column label, CASE …) for each table check whose columns are all mapped."""
    out = []
    for table in plan.tables:
        for check in table.table.checks:
            refs = {c: validation.values.get((table.name, c)) for c in check.columns}
            if any(r is None or r.value is None for r in refs.values()):
                continue
            condition = fragment(check.condition)

            def swap(node: exp.Expr, table_name: str = table.name) -> exp.Expr:
                if isinstance(node, exp.Column) and not node.table:
                    ref = validation.values.get((table_name, node.name))
                    return col(ref.value) if ref and ref.value else exp.Null()
                return node

            condition = condition.transform(swap)
            out.append(
                (
                    table.name,
                    check.columns[0],
                    fragment("CASE WHEN NOT (:c) THEN :code END", c=condition, code=lit(check.code)),
                )
            )
    return out


def collect_errors(con: duckdb.DuckDBPyConnection, plan: LoadPlan, validation: Validation) -> None:
    """Create ``<name>_e`` (``_row``, ``tbl``, ``col``, ``header``, ``rule``)."""
    p = tbl(validation.parsed)
    any_route = or_all(col(f"r_{t.name}") for t in plan.tables)
    parts: list[exp.Expr] = []

    def part(where: exp.Expr, table: str | None, column: str | None, header: str | None, rule: exp.Expr) -> None:
        parts.append(
            exp.select(
                col("_row"),
                lit(table).as_("tbl", copy=False),
                lit(column).as_("col", copy=False),
                lit(header).as_("header", copy=False),
                rule.as_("rule"),
            )
            .from_(p.copy(), copy=False)
            .where(where, copy=False)
        )

    part(fragment("NOT (:r)", r=any_route.copy()), None, None, None, lit("row.unrouted"))
    part(fragment(":r AND _hdr", r=any_route.copy()), None, None, None, lit("row.repeated_header"))
    part(fragment(":r AND _tot AND NOT _hdr", r=any_route.copy()), None, None, None, lit("row.totals_row"))
    part(fragment(":r AND _dup AND NOT _hdr AND NOT _tot", r=any_route.copy()), None, None, None, lit("row.duplicate"))
    plain = fragment("NOT _hdr AND NOT _tot AND NOT _dup")
    for (table, column), ref in validation.values.items():
        if ref.error is None:
            continue
        where = fragment(":r AND :plain AND :e IS NOT NULL", r=col(f"r_{table}"), plain=plain.copy(), e=col(ref.error))
        part(where, table, column, ", ".join(ref.plan.headers) or None, col(ref.error))
    for table, column, rule in _checks_errors(plan, validation):
        ref = validation.values[(table, column)]
        where = fragment(":r AND :plain AND :rule IS NOT NULL", r=col(f"r_{table}"), plain=plain.copy(), rule=rule)
        part(where, table, column, ", ".join(ref.plan.headers) or None, rule)
    union = parts[0]
    for extra in parts[1:]:
        union = exp.union(union, extra, distinct=False, copy=False)
    e = tbl(validation.errors)
    run(con, fragment("CREATE OR REPLACE TEMP TABLE :t AS :q", t=e, q=union))
    _day_month_rules(con, plan, validation)
    for table_plan in plan.tables:
        _group_rules(con, plan, validation, table_plan)
    for table_plan in plan.tables:
        _reference_rules(con, plan, validation, table_plan)


def _day_month_rules(con: duckdb.DuckDBPyConnection, plan: LoadPlan, validation: Validation) -> None:
    """A column that writes some dates day-first (13/03/2025) and others month-first (03/13/2025)
    cannot be trusted for any day/month date: every such row is rejected."""
    if plan.mapping.date_order:
        return
    for cell, (day, month) in validation.day_month.items():
        both = run(
            con,
            fragment(
                "SELECT COALESCE(BOOL_OR(:a > 12) AND BOOL_OR(:b > 12), FALSE) FROM :p",
                a=col(day),
                b=col(month),
                p=tbl(validation.parsed),
            ),
        )[0][0]
        if not both:
            continue
        for (table, column), ref in validation.values.items():
            if ref.plan.cells[:1] != (cell,) or ref.plan.spec.format:
                continue
            query = (
                exp.select(
                    col("_row"),
                    lit(table),
                    lit(column),
                    lit(", ".join(ref.plan.headers)),
                    lit("parse.date_conflicting_order"),
                )
                .from_(tbl(validation.parsed))
                .where(fragment(":r AND :a IS NOT NULL", r=col(f"r_{table}"), a=col(day)))
            )
            _insert_errors(con, validation, query)


def _key_values(validation: Validation, table: TablePlan, names: tuple[str, ...]) -> list[exp.Expr] | None:
    values: list[exp.Expr] = []
    for name in names:
        if name == "source" and (table.name, name) not in validation.values:
            continue
        ref = validation.values.get((table.name, name))
        if ref is None or ref.value is None:
            return None
        values.append(col(ref.value))
    return values


def _insert_errors(con: duckdb.DuckDBPyConnection, validation: Validation, query: exp.Expr) -> None:
    run(con, exp.insert(query, tbl(validation.errors)))


def _group_rules(con: duckdb.DuckDBPyConnection, plan: LoadPlan, validation: Validation, table: TablePlan) -> None:
    """Conflicting values in a group, duplicate keys, and incomplete parent groups."""
    key = _key_values(validation, table, table.table.key)
    if key is None:
        return
    p = tbl(validation.parsed)
    routed_ok = fragment(
        ":r AND NOT _hdr AND NOT _tot AND NOT _dup AND _row NOT IN (SELECT _row FROM :e)",
        r=col(f"r_{table.name}"),
        e=tbl(validation.errors),
    )
    key_tuple = exp.Tuple(expressions=[k.copy() for k in key])
    if table.spec.group_rows:
        for cplan in table.columns:
            ref = validation.values[(table.name, cplan.column.name)]
            if ref.value is None or cplan.spec.aggregate != "agree" or cplan.column.name in table.table.key:
                continue
            bad_keys = (
                exp.select(*[k.copy() for k in key])
                .from_(p)
                .where(routed_ok.copy())
                .group_by(*[k.copy() for k in key])
                .having(fragment("COUNT(DISTINCT :v) > 1", v=col(ref.value)))
            )
            query = (
                exp.select(
                    col("_row"),
                    lit(table.name),
                    lit(cplan.column.name),
                    lit(", ".join(cplan.headers) or None),
                    lit("conflict.values"),
                )
                .from_(p)
                .where(fragment(":r AND :k IN (:bad)", r=col(f"r_{table.name}"), k=key_tuple.copy(), bad=bad_keys))
            )
            _insert_errors(con, validation, query)
    elif not any(c.spec.sequence or c.spec.generate for c in table.columns if c.column.name in table.table.key):
        dup_keys = (
            exp.select(*[k.copy() for k in key])
            .from_(p)
            .where(routed_ok.copy())
            .group_by(*[k.copy() for k in key])
            .having(fragment("COUNT(*) > 1"))
        )
        query = (
            exp.select(col("_row"), lit(table.name), lit(",".join(table.table.key)), lit(None), lit("key.duplicate"))
            .from_(p)
            .where(
                fragment(
                    ":r AND :plain AND :k IN (:bad)",
                    r=col(f"r_{table.name}"),
                    plain=fragment("NOT _hdr AND NOT _tot AND NOT _dup"),
                    k=key_tuple.copy(),
                    bad=dup_keys,
                )
            )
        )
        _insert_errors(con, validation, query)
    if _is_parent(plan, table) or _adds_up_rows(table):
        failed = (
            exp.select(*[k.copy() for k in key])
            .from_(p)
            .where(
                fragment(
                    ":r AND _row IN (SELECT _row FROM :e WHERE rule <> 'row.duplicate')",
                    r=col(f"r_{table.name}"),
                    e=tbl(validation.errors),
                )
            )
        )
        query = (
            exp.select(col("_row"), lit(table.name), lit(",".join(table.table.key)), lit(None), lit("group.incomplete"))
            .from_(p)
            .where(
                fragment(
                    ":r AND _row NOT IN (SELECT _row FROM :e) AND :k IN (:failed)",
                    r=col(f"r_{table.name}"),
                    e=tbl(validation.errors),
                    k=key_tuple.copy(),
                    failed=failed,
                )
            )
        )
        _insert_errors(con, validation, query)


def _adds_up_rows(table: TablePlan) -> bool:
    """A grouped table summing or counting its rows would get a wrong total from part of a group."""
    return table.spec.group_rows and any(c.spec.aggregate in ("sum", "count") for c in table.columns)


def _is_parent(plan: LoadPlan, table: TablePlan) -> bool:
    return any(
        ref.table == table.name and ref.replace_children for other in plan.tables for ref in other.table.references
    )


def _parent_on_same_rows(validation: Validation, child: TablePlan, parent: TablePlan, ref: Reference) -> bool:
    """The parent key is read from the very cells of the child's own row, and every row routed to the
    child is routed to the parent: an accepted child row then always has its parent (rows are
    accepted or rejected whole), so the check would only cost time."""
    if not set(parent.route_cells) <= set(child.route_cells):
        return False
    for child_col, parent_col in zip(ref.columns, ref.parent_columns, strict=True):
        mine = validation.values.get((child.name, child_col))
        theirs = validation.values.get((parent.name, parent_col))
        if mine is None and theirs is None and child_col == parent_col == "source":
            continue
        if mine is None or theirs is None or mine.value is None or mine.value != theirs.value:
            return False
    return True


def _reference_rules(con: duckdb.DuckDBPyConnection, plan: LoadPlan, validation: Validation, table: TablePlan) -> None:
    """Child rows whose parent is neither in this load nor already in the warehouse."""
    for ref in table.table.references:
        child = _key_values(validation, table, ref.columns)
        if child is None:
            continue
        parent_plan = plan.table(ref.table)
        if parent_plan is not None and _parent_on_same_rows(validation, table, parent_plan, ref):
            continue
        sources: list[exp.Expr] = []
        parent_cols = [
            c for c in ref.parent_columns if not (c == "source" and (table.name, c) not in validation.values)
        ]
        if parent_plan is not None:
            parent_key = _key_values(validation, parent_plan, ref.parent_columns)
            if parent_key is not None:
                sources.append(
                    exp.select(*[k.copy() for k in parent_key])
                    .from_(tbl(validation.parsed))
                    .where(
                        fragment(
                            ":r AND _row NOT IN (SELECT _row FROM :e)",
                            r=col(f"r_{parent_plan.name}"),
                            e=tbl(validation.errors),
                        )
                    )
                )
        warehouse_cols = [col(c) for c in parent_cols]
        existing = exp.select(*warehouse_cols).from_(tbl(ref.table))
        if "source" in ref.parent_columns and "source" not in parent_cols:
            existing = existing.where(fragment("source = :s", s=lit(validation.source)))
        sources.append(existing)
        union = sources[0]
        for extra in sources[1:]:
            union = exp.union(union, extra, distinct=False)
        child_tuple = exp.Tuple(expressions=child)
        not_null = and_all(fragment(":c IS NOT NULL", c=c.copy()) for c in child)
        query = (
            exp.select(col("_row"), lit(table.name), lit(",".join(ref.columns)), lit(None), lit("ref.missing_parent"))
            .from_(tbl(validation.parsed))
            .where(
                fragment(
                    ":r AND :nn AND _row NOT IN (SELECT _row FROM :e) AND :k NOT IN (:parents)",
                    r=col(f"r_{table.name}"),
                    nn=not_null,
                    e=tbl(validation.errors),
                    k=child_tuple,
                    parents=union,
                )
            )
        )
        _insert_errors(con, validation, query)
