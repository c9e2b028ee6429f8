"""Engines that execute a compiled metric query (a SQLGlot tree) and return a pyarrow Table.

The metric layer compiles once and renders per engine: DuckDB (the workspace's own warehouse),
PostgreSQL (psycopg 3, by URL) and Apache Spark (a ``SparkSession``; local mode in tests). The
engine renders the tree in its dialect, runs it and hands back Arrow, so the same comparison code
reads every engine's answer.

:func:`replicate_tables` copies warehouse tables from DuckDB into another engine with faithful
types: each column's DuckDB type is rendered in the target dialect by SQLGlot, so DECIMAL(18,2)
stays DECIMAL(18,2) and TIMESTAMP stays a naive UTC timestamp (PostgreSQL ``timestamp without time
zone``, Spark ``TIMESTAMP_NTZ``). System columns (``_load_id``, ``_row_hash``) are not copied.

Declared gaps: :data:`KNOWN_GAPS` lists, per metric and dialect, where an engine is known to give
a different number and by how much at most; :func:`gaps_for` returns the ones that apply to a
query, and :class:`EngineResult` carries them as ``warnings`` so a caller (CLI, API) shows them.
A gap not declared here is a bug: the parity suite (``tests/metrics/test_parity.py``) fails on it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa
from sqlglot import exp

from zhongtai.errors import EngineError
from zhongtai.warehouse._sql import col, ident, tbl

__all__ = [
    "KNOWN_GAPS",
    "DuckDBEngine",
    "Engine",
    "EngineResult",
    "Gap",
    "PostgresEngine",
    "SparkEngine",
    "gaps_for",
    "replicate_tables",
    "tables_of",
]


@dataclass(frozen=True, slots=True)
class Gap:
    """A declared difference of one metric on one engine: the tolerance and why.

    ``relative`` is the largest relative difference accepted against DuckDB (0.01 = 1 %).
    """

    metric: str
    dialect: str
    relative: float
    reason_en: str
    reason_zh: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "dialect": self.dialect,
            "relative": self.relative,
            "reason_en": self.reason_en,
            "reason_zh": self.reason_zh,
        }


KNOWN_GAPS: tuple[Gap, ...] = ()
"""Per metric x dialect, the engines known to differ. Empty means: every built-in metric gives the
same numbers on DuckDB, PostgreSQL and Spark (to 1e-9 relative for floating point), which the
parity suite verifies. A metric computing a percentile other than the median on Spark would be
declared here (Spark's ``PERCENTILE_APPROX``), see ``docs/en/metrics.md``."""


def gaps_for(metrics: Iterable[str], dialect: str, gaps: Sequence[Gap] = KNOWN_GAPS) -> list[Gap]:
    """The declared gaps that apply to ``metrics`` on ``dialect``."""
    wanted = set(metrics)
    return [g for g in gaps if g.dialect == dialect and g.metric in wanted]


@dataclass(frozen=True, slots=True)
class EngineResult:
    """What an engine returned for a query, with the declared gaps that apply to it."""

    table: pa.Table
    engine: str
    sql: str
    warnings: tuple[Gap, ...] = field(default=())


class Engine(Protocol):
    """Runs a SQLGlot tree on one engine and returns Arrow."""

    name: str
    dialect: str

    def render(self, tree: exp.Expr) -> str: ...

    def execute(self, tree: exp.Expr) -> pa.Table: ...

    def has_table(self, name: str) -> bool: ...

    def load_table(self, name: str, schema: Sequence[tuple[str, str]], data: pa.Table) -> None: ...

    def close(self) -> None: ...


def tables_of(tree: exp.Expr) -> list[str]:
    """Names of the real tables a query reads (CTE names excluded), sorted."""
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    return sorted({t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes})


def run_query(engine: Engine, tree: exp.Expr, *, metrics: Iterable[str] = ()) -> EngineResult:
    """Execute ``tree`` on ``engine``; the result carries the gaps declared for ``metrics``."""
    return EngineResult(
        engine.execute(tree), engine.name, engine.render(tree), tuple(gaps_for(metrics, engine.dialect))
    )


# -- DuckDB ---------------------------------------------------------------------------------------


class DuckDBEngine:
    """The workspace's warehouse (or any DuckDB connection)."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, con: Any) -> None:
        self.con = con

    def render(self, tree: exp.Expr) -> str:
        return tree.sql(dialect=self.dialect)

    def execute(self, tree: exp.Expr) -> pa.Table:
        return self.con.sql(self.render(tree)).to_arrow_table()

    def has_table(self, name: str) -> bool:
        query = (
            exp.select(exp.Count(this=exp.Star()))
            .from_(tbl("tables", "information_schema"))
            .where(exp.EQ(this=col("table_name"), expression=exp.Literal.string(name)))
        )
        return bool(self.con.execute(self.render(query)).fetchall()[0][0])

    def load_table(self, name: str, schema: Sequence[tuple[str, str]], data: pa.Table) -> None:
        raise EngineError("metrics.engine_read_only", engine=self.name, table=name)

    def schema_of(self, name: str) -> list[tuple[str, str]]:
        """``(column, DuckDB type)`` of a main-schema table, system columns left out."""
        query = (
            exp.select(col("column_name"), col("data_type"))
            .from_(tbl("columns", "information_schema"))
            .where(
                exp.and_(
                    exp.EQ(this=col("table_name"), expression=exp.Literal.string(name)),
                    exp.EQ(this=col("table_schema"), expression=exp.Literal.string("main")),
                )
            )
            .order_by(col("ordinal_position"))
        )
        rows = self.con.execute(self.render(query)).fetchall()
        return [(str(c), str(t)) for c, t in rows if not str(c).startswith("_")]

    def read_table(self, name: str, columns: Sequence[str]) -> pa.Table:
        query = exp.select(*[col(c) for c in columns]).from_(tbl(name))
        return self.execute(query)

    def close(self) -> None:
        """The connection belongs to the caller (the workspace); nothing to do."""


# -- PostgreSQL -----------------------------------------------------------------------------------


class PostgresEngine:
    """A PostgreSQL database reached with psycopg 3 (``postgresql://user@host:port/db``)."""

    name = "postgres"
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg

        dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
        try:
            self.con = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            raise EngineError("metrics.engine_unavailable", engine=self.name, detail=_first_line(exc)) from None

    def render(self, tree: exp.Expr) -> str:
        return tree.sql(dialect=self.dialect)

    def execute(self, tree: exp.Expr) -> pa.Table:
        with self.con.cursor() as cursor:
            cursor.execute(self.render(tree).encode())
            names = [d.name for d in cursor.description or ()]
            rows = cursor.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        return pa.table({n: pa.array(list(v)) for n, v in zip(names, columns, strict=True)})

    def has_table(self, name: str) -> bool:
        query = (
            exp.select(exp.Count(this=exp.Star()))
            .from_(tbl("tables", "information_schema"))
            .where(
                exp.and_(
                    exp.EQ(this=col("table_name"), expression=exp.Literal.string(name)),
                    exp.EQ(this=col("table_schema"), expression=exp.Literal.string("public")),
                )
            )
        )
        with self.con.cursor() as cursor:
            cursor.execute(self.render(query).encode())
            row = cursor.fetchone()
        return bool(row and row[0])

    def load_table(self, name: str, schema: Sequence[tuple[str, str]], data: pa.Table) -> None:
        """(Re)create ``name`` with the DuckDB types rendered for PostgreSQL, then COPY the rows in."""
        create = exp.Create(this=_schema_node(name, schema), kind="TABLE")
        copy = exp.Copy(
            this=exp.Schema(this=tbl(name), expressions=[ident(c) for c, _ in schema]),
            kind=True,
            files=[exp.to_identifier("STDIN")],
        )
        with self.con.transaction(), self.con.cursor() as cursor:
            cursor.execute(self.render(exp.Drop(tables=[tbl(name)], kind="TABLE", exists=True)).encode())
            cursor.execute(self.render(create).encode())
            with cursor.copy(self.render(copy).encode()) as sink:
                for row in _rows(data):
                    sink.write_row(row)
            # planner statistics: without them joins of the copied tables may run as nested loops
            cursor.execute(self.render(exp.Analyze(tables=[tbl(name)])).encode())

    def close(self) -> None:
        self.con.close()


def _rows(data: pa.Table, batch: int = 50_000) -> Iterator[tuple[Any, ...]]:
    for chunk in data.to_batches(max_chunksize=batch):
        columns = [c.to_pylist() for c in chunk.columns]
        yield from zip(*columns, strict=True)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _schema_node(name: str, schema: Sequence[tuple[str, str]]) -> exp.Schema:
    return exp.Schema(
        this=tbl(name),
        expressions=[exp.ColumnDef(this=ident(c), kind=_type(t)) for c, t in schema],
    )


def _type(duck_type: str) -> exp.DataType:
    """A DuckDB column type as a SQLGlot type (unsigned 64-bit, which others lack, as DECIMAL(20,0))."""
    if duck_type.upper() == "UBIGINT":
        duck_type = "DECIMAL(20,0)"
    return exp.DataType.build(duck_type, dialect="duckdb")


# -- Spark ----------------------------------------------------------------------------------------


class SparkEngine:
    """A Spark session (local mode in tests); tables are session temporary views.

    The session should run with ``spark.sql.session.timeZone=UTC`` so local-time conversions in
    compiled queries start from UTC, as on the other engines.
    """

    name = "spark"
    dialect = "spark"

    def __init__(self, session: Any) -> None:
        self.session = session

    def render(self, tree: exp.Expr) -> str:
        return tree.sql(dialect=self.dialect)

    def execute(self, tree: exp.Expr) -> pa.Table:
        try:
            return self.session.sql(self.render(tree)).toArrow()
        except Exception as exc:  # py4j / AnalysisException: reported without the JVM stack
            raise EngineError("metrics.engine_failed", engine=self.name, detail=_first_line(exc)) from None

    def has_table(self, name: str) -> bool:
        return bool(self.session.catalog.tableExists(name))

    def load_table(self, name: str, schema: Sequence[tuple[str, str]], data: pa.Table) -> None:
        """Register ``name`` as a temporary view with the DuckDB types rendered for Spark.

        Decimals travel as strings and are cast in Spark (STACK.md §3: exact, no float detour);
        timestamps travel as Arrow timestamps and land as ``TIMESTAMP_NTZ``.
        """
        columns = []
        for column, duck_type in schema:
            target = _type(duck_type)
            if target.this == exp.DataType.Type.JSON:
                target = exp.DataType.build("VARCHAR")
            columns.append((column, target))
        frame = self.session.createDataFrame(_spark_ready(data).to_pandas())
        view = frame.selectExpr(
            *[exp.cast(col(c), t).as_(c, quoted=True).sql(dialect=self.dialect) for c, t in columns]
        )
        view.cache()  # typed once, in memory: later queries skip the Python-to-JVM conversion and casts
        view.createOrReplaceTempView(name)

    def close(self) -> None:
        """The session belongs to the caller (one per test run)."""


def _spark_ready(data: pa.Table) -> pa.Table:
    """Decimals as strings, JSON/other text unchanged, timestamps as naive microseconds."""
    arrays, names = [], []
    for name, column in zip(data.column_names, data.columns, strict=True):
        kind = column.type
        if pa.types.is_decimal(kind):
            column = column.cast(pa.string())
        elif pa.types.is_timestamp(kind):
            column = column.cast(pa.timestamp("us"))
        arrays.append(column)
        names.append(name)
    return pa.table(arrays, names=names)


# -- replication ----------------------------------------------------------------------------------


def replicate_tables(
    source: DuckDBEngine, target: Engine, tables: Iterable[str], *, replace: bool = False
) -> list[str]:
    """Copy ``tables`` from the DuckDB warehouse into ``target`` with faithful types.

    Tables already present in the target are kept unless ``replace``; returns the tables copied.
    """
    copied = []
    for name in sorted(set(tables)):
        if not replace and target.has_table(name):
            continue
        schema = source.schema_of(name)
        if not schema:
            raise EngineError("metrics.engine_no_table", engine=source.name, table=name)
        data = source.read_table(name, [c for c, _ in schema])
        target.load_table(name, schema, data)
        copied.append(name)
    return copied


@contextlib.contextmanager
def closing(engine: Engine) -> Iterator[Engine]:
    try:
        yield engine
    finally:
        engine.close()
