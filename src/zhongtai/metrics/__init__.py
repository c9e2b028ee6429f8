"""The metric layer: dictionary (YAML), compiler (SQLGlot), rollups and the query API.

Every number zhongtai shows comes from here, so the CLI, the REST API, the web pages and notebooks
agree. ``query_metrics(ws, MetricQuery(("gmv", "aov"), ("channel",), Grain.MONTH))`` answers on the
workspace's DuckDB; ``compile_query``/``render_sql`` give the same query for other engines.
"""

from zhongtai.metrics.compiler import DIALECTS, compile_query, render_sql
from zhongtai.metrics.dictionary import Dictionary, Dimension, Lineage, Metric, load_dictionary
from zhongtai.metrics.query import Comparison, Filter, Grain, MetricQuery
from zhongtai.metrics.serve import MetricResult, query_metrics

__all__ = [
    "DIALECTS",
    "Comparison",
    "Dictionary",
    "Dimension",
    "Filter",
    "Grain",
    "Lineage",
    "Metric",
    "MetricQuery",
    "MetricResult",
    "compile_query",
    "load_dictionary",
    "query_metrics",
    "render_sql",
]
