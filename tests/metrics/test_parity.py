"""Engine parity: the same metric queries on the cached demo shop give the same numbers on DuckDB,
a real PostgreSQL server and Spark in local mode.

Every built-in metric runs at least once (monthly over 2025, one query per catalogue file, each
metric column required to hold a value), and hand-picked queries add dimensions, filters, every
grain, both comparison periods, top-N, a cumulative metric and customer type. DuckDB's answer is
computed once per case and shared by the PostgreSQL and Spark tests. DuckDB is the reference; numbers
must agree to 1e-9 relative unless ``zhongtai.metrics.engines.KNOWN_GAPS`` declares a gap for the
metric on that engine, in which case the declared tolerance applies and the gap is reported.
Tables are replicated once per session (``replicate_tables`` skips tables already copied).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from zhongtai.metrics import Comparison, Filter, Grain, MetricQuery, compile_query, load_dictionary
from zhongtai.metrics.engines import (
    KNOWN_GAPS,
    DuckDBEngine,
    Engine,
    EngineResult,
    Gap,
    PostgresEngine,
    SparkEngine,
    gaps_for,
    replicate_tables,
    run_query,
    tables_of,
)

Y2025 = {"start": date(2025, 1, 1), "end": date(2026, 1, 1)}
EXACT = 1e-9
DICTIONARY = load_dictionary(None)


def _metric_cases() -> list[tuple[str, MetricQuery]]:
    """Every built-in metric, monthly over 2025: one query per catalogue file (sales, supply, ...).

    One query carries many metrics (the compiler joins their CTEs on ``period``), so each engine
    runs six queries instead of one per metric; a wrong metric still fails by its column name.
    """
    by_file: dict[str, list[str]] = {}
    for name in sorted(DICTIONARY.metrics):
        by_file.setdefault(Path(str(DICTIONARY.metrics[name].file)).stem, []).append(name)
    return [
        (f"metrics:{stem}", MetricQuery(metrics=tuple(names), grain=Grain.MONTH, **Y2025))
        for stem, names in sorted(by_file.items())
    ]


def _rich_cases() -> list[tuple[str, MetricQuery]]:
    known = set(DICTIONARY.metrics)
    wanted = [
        ("gmv_aov_orders_by_channel_month", MetricQuery(("gmv", "aov", "orders"), ("channel",), Grain.MONTH, **Y2025)),
        (
            "gmv_by_category_week_filtered",
            MetricQuery(
                ("item_revenue", "units_sold"),
                ("category_l1",),
                Grain.WEEK,
                start=date(2025, 10, 1),
                end=date(2025, 12, 1),
                filters=(Filter("channel", "in", ("tmall", "jd")),),
            ),
        ),
        (
            "buyers_by_city_quarter_top",
            MetricQuery(("buyers", "gmv"), ("city",), Grain.QUARTER, **Y2025, order_by=("-gmv",), limit=10),
        ),
        (
            "gmv_day_double11",
            MetricQuery(("gmv", "orders"), (), Grain.DAY, start=date(2025, 11, 1), end=date(2025, 11, 15)),
        ),
        (
            "gmv_year",
            MetricQuery(
                ("gmv", "net_sales", "refund_rate"), (), Grain.YEAR, start=date(2024, 1, 1), end=date(2026, 1, 1)
            ),
        ),
        (
            "gmv_previous_period",
            MetricQuery(
                ("gmv", "aov"),
                ("channel",),
                Grain.MONTH,
                start=date(2025, 6, 1),
                end=date(2025, 12, 1),
                compare=Comparison("previous_period"),
            ),
        ),
        (
            "gmv_previous_year",
            MetricQuery(("gmv", "buyers"), (), Grain.MONTH, **Y2025, compare=Comparison("previous_year")),
        ),
        (
            "totals_no_grain_filter_ne",
            MetricQuery(
                ("gmv", "orders", "aov"), ("channel",), None, **Y2025, filters=(Filter("channel", "ne", ("jd",)),)
            ),
        ),
        ("gmv_mtd_running", MetricQuery(("gmv_mtd",), (), Grain.DAY, start=date(2025, 3, 1), end=date(2025, 4, 1))),
        ("customer_type_month", MetricQuery(("buyers", "gmv"), ("customer_type",), Grain.MONTH, **Y2025)),
    ]
    return [(n, q) for n, q in wanted if set(q.metrics) <= known]


CASES = _metric_cases() + _rich_cases()


# -- engines, replicated once per session ---------------------------------------------------------


@pytest.fixture(scope="session")
def duck(demo_db: duckdb.DuckDBPyConnection) -> DuckDBEngine:
    return DuckDBEngine(demo_db)


@pytest.fixture(scope="session")
def postgres(pg_metrics_url: str) -> Iterator[PostgresEngine]:
    engine = PostgresEngine(pg_metrics_url)
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(scope="session")
def spark(spark_session: Any) -> SparkEngine:
    return SparkEngine(spark_session)


@pytest.fixture(scope="session")
def references() -> dict[str, EngineResult]:
    """DuckDB's answer per case, computed once and shared by the PostgreSQL and Spark tests."""
    return {}


@pytest.fixture(params=["postgres", "spark"])
def other(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(request.param)
    return engine


# -- comparison -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """One comparable Python value: numbers as float, timestamps at midnight as dates, NaN as None."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _rows(table: pa.Table, keys: list[str]) -> list[dict[str, Any]]:
    rows = [{k.lower(): _plain(v) for k, v in row.items()} for row in table.to_pylist()]
    return sorted(rows, key=lambda r: tuple((r[k] is None, str(r[k])) for k in keys))


def _tolerance(column: str, gaps: list[Gap]) -> float:
    metric = column.split("__", 1)[0]
    declared = [g.relative for g in gaps if g.metric == metric]
    return max(declared) if declared else EXACT


def assert_same(reference: pa.Table, other: pa.Table, query: MetricQuery, gaps: list[Gap]) -> None:
    names = [n.lower() for n in reference.column_names]
    assert [n.lower() for n in other.column_names] == names
    keys = [n for n in names if n == "period" or n in query.dimensions]
    expected, found = _rows(reference, keys), _rows(other, keys)
    assert len(found) == len(expected)
    for want, got in zip(expected, found, strict=True):
        for column in names:
            a, b = want[column], got[column]
            if isinstance(a, float) and isinstance(b, float):
                assert b == pytest.approx(a, rel=_tolerance(column, gaps), abs=1e-9), (column, want)
            else:
                assert a == b, (column, want, got)


@pytest.mark.parametrize(("name", "query"), CASES, ids=[c[0] for c in CASES])
def test_same_numbers_on_every_engine(
    name: str, query: MetricQuery, duck: DuckDBEngine, other: Engine, references: dict[str, EngineResult]
) -> None:
    if name not in references:
        reference_tree = compile_query(DICTIONARY, query, dialect=duck.dialect)
        references[name] = run_query(duck, reference_tree, metrics=query.metrics)
    reference = references[name]
    tree = compile_query(DICTIONARY, query, dialect=other.dialect)
    replicate_tables(duck, other, tables_of(tree))
    result = run_query(other, tree, metrics=query.metrics)
    assert reference.table.num_rows > 0, "a parity case that returns nothing proves nothing"
    empty = [m for m in query.metrics if reference.table.column(m).null_count == reference.table.num_rows]
    assert not empty, f"metrics with no value in any row prove nothing: {empty}"
    assert_same(reference.table, result.table, query, list(result.warnings))
    assert list(result.warnings) == gaps_for(query.metrics, other.dialect)


def test_every_builtin_metric_is_covered() -> None:
    covered = {m for _, q in CASES for m in q.metrics}
    assert covered == set(DICTIONARY.metrics)


def test_declared_gaps_name_real_metrics_and_engines() -> None:
    for gap in KNOWN_GAPS:
        assert gap.metric in DICTIONARY.metrics
        assert gap.dialect in ("postgres", "spark")
        assert 0 < gap.relative < 0.1
        assert gap.reason_en
        assert gap.reason_zh


def test_a_declared_gap_is_reported_with_the_result(duck: DuckDBEngine) -> None:
    gap = Gap("gmv", "duckdb", 0.01, "example", "示例")
    assert gaps_for(("gmv", "orders"), "duckdb", (gap,)) == [gap]
    assert gaps_for(("orders",), "duckdb", (gap,)) == []
    assert gaps_for(("gmv",), "spark", (gap,)) == []


def test_replication_keeps_decimal_and_naive_utc_timestamp_types(duck: DuckDBEngine, other: Engine) -> None:
    from sqlglot import exp

    replicate_tables(duck, other, ["orders"])
    probe = (
        exp.select(exp.column("paid_amount"), exp.column("order_time"))
        .from_("orders")
        .order_by(exp.column("order_id"), exp.column("source"))
        .limit(3)
    )
    want, got = duck.execute(probe), other.execute(probe)
    assert pa.types.is_decimal(got.schema.field("paid_amount").type)
    assert got.schema.field("paid_amount").type.scale == 2
    assert got.schema.field("order_time").type == pa.timestamp("us")  # naive: no time zone attached
    assert got.to_pylist() == want.to_pylist()


@pytest.mark.parametrize(
    ("unit", "start", "end", "expected"),
    [
        # 0.2 s elapsed but one second boundary crossed: DuckDB's date_diff says 1, Spark's DATEDIFF 0
        ("SECOND", "2025-03-01 00:00:00.900", "2025-03-01 00:00:01.100", 1),
        # 1.9 s elapsed, boundaries :00->:01 and :01->:02 crossed: 2 (Spark alone would say 1)
        ("SECOND", "2025-03-01 00:00:00.100", "2025-03-01 00:00:02.000", 2),
        ("HOUR", "2025-03-01 00:59:59.500", "2025-03-01 01:00:00.200", 1),
    ],
)
def test_date_diff_counts_unit_boundaries_on_every_engine(
    unit: str, start: str, end: str, expected: int, duck: DuckDBEngine, other: Engine
) -> None:
    """Dictionary ``date_diff`` keeps DuckDB's boundary-counting meaning on every engine."""
    from sqlglot import exp

    from zhongtai.metrics._sources import _whole_unit_diffs

    def stamp(text: str) -> exp.Expr:
        return exp.cast(exp.Literal.string(text), exp.DataType.build("TIMESTAMP"))

    diff = exp.DateDiff(this=stamp(end), expression=stamp(start), unit=exp.var(unit))
    probe = exp.select(exp.alias_(_whole_unit_diffs(diff), "d"))
    assert duck.execute(probe).column("d").to_pylist() == [expected]
    assert other.execute(probe).column("d").to_pylist() == [expected]


def test_comparison_cte_names_are_unique() -> None:
    """Spark hoists nested CTEs to the top and refuses duplicates (``DUPLICATED_CTE_NAMES``)."""
    from sqlglot import exp

    compared = [q for _, q in CASES if q.compare is not None]
    assert {q.compare.kind for q in compared if q.compare} == {"previous_period", "previous_year"}
    for query in compared:
        names = [cte.alias_or_name for cte in compile_query(DICTIONARY, query, dialect="spark").find_all(exp.CTE)]
        assert len(names) == len(set(names)) > 1, names
        assert any(n.startswith("prev_") for n in names)
