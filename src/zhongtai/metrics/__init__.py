"""The metric layer: dictionary (YAML), compiler (SQLGlot), rollups and the query API.

Every number zhongtai shows comes from here, so the CLI, the REST API, the web pages and notebooks
agree. ``query_metrics(ws, MetricQuery(("gmv", "aov"), ("channel",), Grain.MONTH))`` answers on the
workspace's DuckDB; ``compile_query``/``render_sql`` give the same query for other engines.
"""

from zhongtai.metrics.board_eval import BoardResult, KpiValue, QueryRun, TileResult, evaluate_board
from zhongtai.metrics.boards import Board, InvalidBoard, Tile, TileQuery, Visual, check_board, parse_board
from zhongtai.metrics.compiler import DIALECTS, compile_query, render_sql
from zhongtai.metrics.dictionary import Dictionary, Dimension, Lineage, Metric, load_dictionary
from zhongtai.metrics.query import Comparison, Filter, Grain, MetricQuery
from zhongtai.metrics.serve import MetricResult, query_metrics

__all__ = [
    "DIALECTS",
    "Board",
    "BoardResult",
    "Comparison",
    "Dictionary",
    "Dimension",
    "Filter",
    "Grain",
    "InvalidBoard",
    "KpiValue",
    "Lineage",
    "Metric",
    "MetricQuery",
    "MetricResult",
    "QueryRun",
    "Tile",
    "TileQuery",
    "TileResult",
    "Visual",
    "check_board",
    "compile_query",
    "evaluate_board",
    "load_dictionary",
    "parse_board",
    "query_metrics",
    "render_sql",
]
