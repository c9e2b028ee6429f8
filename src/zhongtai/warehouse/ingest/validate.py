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

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import duckdb
from sqlglot import exp

from zhongtai.warehouse._sql import and_all, cast, col, fragment, lit, or_all, render, run, scalar, tbl
from zhongtai.warehouse.ddl import storage_type
from zhongtai.warehouse.ingest import parsers
from zhongtai.warehouse.ingest.plan import ColumnPlan, LoadPlan, TablePlan
from zhongtai.warehouse.schema import Column, ColumnType

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
            query = exp.select(exp.Star(), *[node.as_(name) for name, node in layer.items()]).from_(
                query.subquery(f"s{number}")
            )
        return query


_R, _T, _G, _F, _S, _N, _DL, _V, _E = range(9)
DEPTH = 9


class _Cells:
    """Per staged cell, the stage columns the mapping needs (created on first use)."""

    def __init__(self, stages: _Stages) -> None:
        self.stages = stages
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
        self.typed(i)
        self.stages.add(_S, f"s{i}", parsers.signed_text(col(f"f{i}")))
        return self.stages.add(_N, f"n{i}", parsers.number_value(col(f"f{i}"), col(f"s{i}")))

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
    if spec.multiply:
        a, b = (cells.number(i) for i in plan.cells)
        fa, fb = col(f"f{plan.cells[0]}"), col(f"f{plan.cells[1]}")
        sign = -1 if spec.negate else 1
        value = fragment(
            "CAST(ROUND(:a * :b * :sign, :sc) AS DECIMAL(18, :sc))", a=a, b=b, sign=lit(sign), sc=lit(_scale(kind))
        )
        error = fragment(
            "CASE WHEN (:fa IS NOT NULL AND :a IS NULL) OR (:fb IS NOT NULL AND :b IS NULL) THEN 'parse.decimal' END",
            fa=fa,
            a=a.copy(),
            fb=fb,
            b=b.copy(),
        )
        return value, error
    if not plan.cells:
        return exp.Null(), exp.Null()
    i = plan.cells[0]
    if kind in (ColumnType.MONEY, ColumnType.PRICE, ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.RATE):
        return _numeric(kind, cells.number(i), col(f"f{i}"), negate=spec.negate, divide=spec.divide)
    if kind is ColumnType.BOOLEAN:
        f = cells.typed(i)
        return parsers.boolean_value(f), _parse_error(f, v, "parse.boolean")
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
    t = cells.text(i)
    return t, exp.Null()


def _const_value(column: Column, text: str) -> exp.Expr:
    return cast(lit(text), storage_type(column))


def _parse_error(text: exp.Expr, value: exp.Expr, code: str) -> exp.Expr:
    return fragment("CASE WHEN :t IS NOT NULL AND :v IS NULL THEN :c END", t=text, v=value, c=lit(code))


def _numeric(
    kind: ColumnType, n: exp.Expr, f: exp.Expr, *, negate: bool, divide: float | None
) -> tuple[exp.Expr, exp.Expr]:
    x: exp.Expr = n
    if divide:
        x = fragment(":x / :d", x=x, d=lit(divide))
    if negate:
        x = fragment("-(:x)", x=x)
    v = exp.Placeholder(this="v")
    if kind in (ColumnType.MONEY, ColumnType.PRICE):
        sc = lit(_scale(kind))
        value = fragment(
            "CASE WHEN ABS(:x) < 10000000000000000 AND ROUND(:x, :sc) = :x THEN CAST(:x AS DECIMAL(18, :sc)) END",
            x=x,
            sc=sc,
        )
        error = fragment(
            "CASE WHEN :f IS NOT NULL AND :n IS NULL THEN 'parse.decimal' "
            "WHEN :n IS NOT NULL AND ABS(:x) >= 10000000000000000 THEN 'parse.decimal' "
            "WHEN :n IS NOT NULL AND :v IS NULL THEN 'parse.too_many_decimals' END",
            f=f,
            n=n,
            x=x,
            v=v,
        )
        return value, error
    if kind is ColumnType.INTEGER:
        value = fragment("CASE WHEN :x = TRUNC(:x) AND ABS(:x) < 9000000000000000000 THEN CAST(:x AS BIGINT) END", x=x)
        return value, _parse_error(f, v, "parse.integer")
    value = (
        fragment("COALESCE(TRY_CAST(:f AS DOUBLE), CAST(:x AS DOUBLE))", f=f, x=x)
        if kind is ColumnType.NUMBER
        else fragment("CAST(:x AS DOUBLE)", x=x)
    )
    return value, _parse_error(f, v, "parse.number")


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
    cells = _Cells(stages)

    raw_cells = [col(f"c{i}") for i in range(width)]
    base = exp.select(
        col("_row"),
        *raw_cells,
        exp.func("hash", *[c.copy() for c in raw_cells]).as_("_h"),
        _repeated_header(staged.headers, raw_cells).as_("_hdr"),
        _lead_cell(raw_cells).as_("_lead"),
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
    for i in cells.day_month_cells:
        keep += [f"da{i}", f"db{i}"]
        validation.day_month[i] = (f"da{i}", f"db{i}")
    query = (
        exp.select(*[col(c) for c in keep]).from_(stages.query(base).subquery("staged")).where(fragment("NOT _blank"))
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
    cell by cell with the group's first row, so a hash collision is not a duplicate."""
    same = and_all(
        fragment(":a IS NOT DISTINCT FROM :b", a=col(f"c{i}", "a"), b=col(f"c{i}", "b")) for i in range(width)
    )
    groups = (
        exp.select(col("_h"), fragment("MIN(_row)").as_("_first"))
        .from_(tbl(validation.parsed))
        .group_by(col("_h"))
        .having(fragment("COUNT(*) > 1"))
    )
    duplicates = (
        exp.select(col("_row", "p"))
        .from_(tbl(validation.parsed, alias="p"))
        .join(groups.subquery("g"), on=fragment("g._h = p._h"))
        .join(tbl(staged, alias="a"), on=fragment("a._row = p._row"))
        .join(tbl(staged, alias="b"), on=fragment("b._row = g._first"))
        .where(and_all([fragment("g._first < p._row"), same]))
    )
    run(con, fragment("UPDATE :p SET _dup = TRUE WHERE _row IN (:d)", p=tbl(validation.parsed), d=duplicates))


def _repeated_header(headers: list[str], raw_cells: list[exp.Column]) -> exp.Expr:
    named = [(i, h.strip()) for i, h in enumerate(headers) if h.strip()]
    same = and_all(fragment("TRIM(:c) = :h", c=raw_cells[i].copy(), h=lit(h)) for i, h in named)
    return fragment("COALESCE(:r, FALSE)", r=same)


def _lead_cell(raw_cells: list[exp.Column]) -> exp.Expr:
    """A row's first non-empty cell (NULL when every cell is empty)."""
    return exp.Coalesce(
        this=fragment("NULLIF(TRIM(:c), '')", c=raw_cells[0].copy()),
        expressions=[fragment("NULLIF(TRIM(:c), '')", c=c.copy()) for c in raw_cells[1:]],
    )  # TRIM without a character list trims spaces only, and is cheap


def _totals_row(lead: exp.Expr) -> exp.Expr:
    """The first non-empty cell says 合计 / Total …: a totals line, not data."""
    return fragment(
        "COALESCE(RTRIM(LOWER(:f), ':： ') IN :w, FALSE)",
        f=lead,
        w=exp.Tuple(expressions=[lit(w) for w in TOTALS_WORDS]),
    )


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
                col("_row"), lit(table).as_("tbl"), lit(column).as_("col"), lit(header).as_("header"), rule.as_("rule")
            )
            .from_(p)
            .where(where)
        )

    part(fragment("NOT (:r)", r=any_route), None, None, None, lit("row.unrouted"))
    part(fragment(":r AND _hdr", r=any_route), None, None, None, lit("row.repeated_header"))
    part(fragment(":r AND _tot AND NOT _hdr", r=any_route), None, None, None, lit("row.totals_row"))
    part(fragment(":r AND _dup AND NOT _hdr AND NOT _tot", r=any_route), None, None, None, lit("row.duplicate"))
    plain = fragment("NOT _hdr AND NOT _tot AND NOT _dup")
    for (table, column), ref in validation.values.items():
        if ref.error is None:
            continue
        where = fragment(":r AND :plain AND :e IS NOT NULL", r=col(f"r_{table}"), plain=plain, e=col(ref.error))
        part(where, table, column, ", ".join(ref.plan.headers) or None, col(ref.error))
    for table, column, rule in _checks_errors(plan, validation):
        ref = validation.values[(table, column)]
        where = fragment(":r AND :plain AND :rule IS NOT NULL", r=col(f"r_{table}"), plain=plain, rule=rule)
        part(where, table, column, ", ".join(ref.plan.headers) or None, rule)
    union = parts[0]
    for extra in parts[1:]:
        union = exp.union(union, extra, distinct=False)
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
    if _is_parent(plan, table):
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


def _is_parent(plan: LoadPlan, table: TablePlan) -> bool:
    return any(
        ref.table == table.name and ref.replace_children for other in plan.tables for ref in other.table.references
    )


def _reference_rules(con: duckdb.DuckDBPyConnection, plan: LoadPlan, validation: Validation, table: TablePlan) -> None:
    """Child rows whose parent is neither in this load nor already in the warehouse."""
    for ref in table.table.references:
        child = _key_values(validation, table, ref.columns)
        if child is None:
            continue
        parent_plan = plan.table(ref.table)
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
