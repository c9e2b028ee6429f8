"""Answer a metric query on the workspace's warehouse: :func:`query_metrics` and :class:`MetricResult`.

The one function the CLI, the REST API, the web pages and notebooks call, so they agree. It checks
the caller may read metrics, narrows the rows to the caller's data scope (stores/channels, via
:func:`zhongtai.policy.restrict` on the compiled tree), answers from rollups when they cover the
query (never for a scoped caller: rollups are shop-wide) and reports how fresh the data is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from zhongtai.errors import EngineError
from zhongtai.metrics.compiler import compile_query
from zhongtai.metrics.dictionary import Dictionary, load_dictionary
from zhongtai.metrics.query import MetricQuery
from zhongtai.metrics.rollups import covering_sources, read_ledger

if TYPE_CHECKING:
    import pandas as pd

    from zhongtai.policy import Principal

__all__ = ["MetricResult", "WorkspaceMetrics", "query_metrics"]


@dataclass(frozen=True)
class MetricResult:
    """A metric query's answer.

    ``table`` has the columns of :meth:`MetricQuery.output_columns`; ``sql`` is what ran (DuckDB);
    ``source`` is ``raw`` or ``rollup``; ``freshness`` is the finish time (UTC) of the latest load
    of any table behind the metrics, ``tables_freshness`` the same per table, ``rollups`` the
    rollups used and when each was refreshed (UTC).
    """

    query: MetricQuery
    table: pa.Table
    sql: str
    dialect: str
    source: str
    freshness: datetime | None
    tables_freshness: dict[str, datetime | None] = field(default_factory=dict)
    rollups: dict[str, datetime] = field(default_factory=dict)
    timezone: str = "Asia/Shanghai"

    def to_pandas(self) -> pd.DataFrame:
        frame: pd.DataFrame = self.table.to_pandas()
        return frame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: rows as records (dates ISO, decimals as strings) plus provenance."""
        rows = []
        for record in self.table.to_pylist():
            rows.append(
                {
                    k: (v.isoformat() if hasattr(v, "isoformat") else (str(v) if _is_decimal(v) else v))
                    for k, v in record.items()
                }
            )
        return {
            "columns": self.table.column_names,
            "rows": rows,
            "source": self.source,
            "freshness": self.freshness.isoformat() if self.freshness else None,
            "tables_freshness": {k: (v.isoformat() if v else None) for k, v in self.tables_freshness.items()},
            "rollups": {k: v.isoformat() for k, v in self.rollups.items()},
            "timezone": self.timezone,
            "sql": self.sql,
        }


def _is_decimal(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal)


def query_metrics(
    workspace: Any,
    query: MetricQuery,
    *,
    principal: Principal | None = None,
    use_rollups: bool = True,
    dictionary: Dictionary | None = None,
) -> MetricResult:
    """Run ``query`` on the workspace's DuckDB warehouse (the caller's data scope applied)."""
    from zhongtai.policy import Action, Capability, restrict

    if principal is not None:
        principal.require(Capability.METRICS, Action.READ)
    d = dictionary or load_dictionary(workspace)
    for name in query.metrics:
        d.metric(name)  # a did-you-mean error before anything runs
    timezone = workspace.timezone
    warehouse = workspace.warehouse
    ledger = read_ledger(warehouse)
    scoped = principal is not None and not principal.scope.unrestricted
    covered = covering_sources(workspace, d, query, ledger) if use_rollups and not scoped else None
    sources, rollups = covered if covered else ({}, {})
    tree = compile_query(d, query, dialect="duckdb", timezone=timezone, sources=sources)
    if scoped:
        assert principal is not None
        assert isinstance(tree, exp.Query)
        tree = restrict(tree, principal.scope)
    sql = tree.sql(dialect="duckdb")
    cache = getattr(workspace, "metric_cache", None)
    key = (sql, ledger.last_load_id, query) if cache is not None else None
    if cache is not None:
        cached: MetricResult | None = cache.get(key)
        if cached is not None:
            return cached
    try:
        table = warehouse.con.cursor().sql(sql).to_arrow_table()
    except Exception as problem:  # duckdb.Error: report the engine's first line, not a traceback
        raise EngineError("metrics.query_failed", detail=str(problem).splitlines()[0]) from None
    tables = sorted({t for m in query.metrics for t in d.lineage(m).tables})
    per_table = {t: ledger.table_time.get(t) for t in tables}
    known = [v for v in per_table.values() if v is not None]
    result = MetricResult(
        query=query,
        table=table,
        sql=sql,
        dialect="duckdb",
        source="rollup" if sources else "raw",
        freshness=max(known) if known else None,
        tables_freshness=per_table,
        rollups=rollups,
        timezone=timezone,
    )
    if cache is not None:
        cache.put(key, result)
    return result


class WorkspaceMetrics:
    """``ws.metrics``: the metric layer bound to one workspace (for notebooks and scripts).

    >>> ws.metrics.query(["gmv", "aov"], by=["channel"], grain="month", since=date(2025, 1, 1)).to_pandas()
    """

    def __init__(self, workspace: Any) -> None:
        self._ws = workspace

    @property
    def dictionary(self) -> Dictionary:
        return load_dictionary(self._ws)

    def query(
        self,
        metrics: str | list[str] | tuple[str, ...],
        *,
        by: str | list[str] | tuple[str, ...] = (),
        grain: str | None = None,
        since: Any = None,
        until: Any = None,
        where: list[Any] | tuple[Any, ...] = (),
        compare: str | None = None,
        order_by: list[str] | tuple[str, ...] = (),
        limit: int | None = None,
        principal: Principal | None = None,
        use_rollups: bool = True,
    ) -> MetricResult:
        """Build a :class:`MetricQuery` (``where`` items are Filters or ``"channel=tmall"`` text) and run it."""
        from datetime import date

        from zhongtai.metrics.query import Comparison, Filter, parse_where

        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if isinstance(value, str) else value

        query = MetricQuery(
            metrics=(metrics,) if isinstance(metrics, str) else tuple(metrics),
            dimensions=(by,) if isinstance(by, str) else tuple(by),
            grain=grain,  # type: ignore[arg-type]  # MetricQuery converts and checks the text
            start=day(since),
            end=day(until),
            filters=tuple(w if isinstance(w, Filter) else parse_where(str(w)) for w in where),
            compare=Comparison(compare) if compare else None,
            order_by=tuple(order_by),
            limit=limit,
        )
        return query_metrics(self._ws, query, principal=principal, use_rollups=use_rollups)

    def sql(self, query: MetricQuery, *, dialect: str = "duckdb") -> str:
        """The SQL of ``query`` for ``dialect`` (nothing runs)."""
        from zhongtai.metrics.compiler import render_sql

        return render_sql(load_dictionary(self._ws), query, dialect=dialect, timezone=self._ws.timezone, pretty=True)
