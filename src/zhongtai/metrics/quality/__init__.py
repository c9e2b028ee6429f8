"""Data quality: checks declared per table in YAML, run after each load and on demand, scored and
kept as history in the warehouse (``zt_meta.quality_runs`` / ``quality_results``).

See ``docs/en/quality.md`` for the check kinds, the counting rules and the score formula.
"""

from __future__ import annotations

from zhongtai.metrics.quality.board import BoardRow, QualityBoard, quality_board
from zhongtai.metrics.quality.checks import CheckResult, Status
from zhongtai.metrics.quality.hook import quality_after_load
from zhongtai.metrics.quality.run import TARGET, QualityRun, TableScore, run_quality, score_of
from zhongtai.metrics.quality.safety import validate_custom_sql
from zhongtai.metrics.quality.spec import KINDS, CheckSpec, builtin_checks, load_checks, parse_checks

__all__ = [
    "KINDS",
    "TARGET",
    "BoardRow",
    "CheckResult",
    "CheckSpec",
    "QualityBoard",
    "QualityRun",
    "Status",
    "TableScore",
    "builtin_checks",
    "load_checks",
    "parse_checks",
    "quality_after_load",
    "quality_board",
    "run_quality",
    "score_of",
    "validate_custom_sql",
]
