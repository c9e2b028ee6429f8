"""What a caller asks the metric layer: metrics x dimensions x filters x grain x range x comparison.

A :class:`MetricQuery` is a small frozen value (MetricFlow warns its request object "turned into a bag
of parameters"; this one stays small). The same query object feeds the compiler, the rollup matcher,
the CLI, the NL-question parser and the anomaly/driver analyses.

Result shape (the contract every consumer relies on): with a grain, a ``period`` column (DATE, the
first day of the bucket in the shop's time zone; weeks start on Monday); one column per dimension,
named as the dimension; one column per metric, named as the metric; with ``compare``, extra columns
``<metric>__previous`` and ``<metric>__change`` (relative change as a fraction, e.g. 0.12 = +12 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from zhongtai.errors import InputError

__all__ = ["COMPARISONS", "FILTER_OPS", "Comparison", "Filter", "Grain", "MetricQuery", "parse_where"]


class Grain(StrEnum):
    """Time buckets, in the shop's local calendar (weeks start on Monday, ISO 8601)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


GRAIN_ORDER: dict[Grain, int] = {Grain.DAY: 0, Grain.WEEK: 1, Grain.MONTH: 2, Grain.QUARTER: 3, Grain.YEAR: 4}
"""Coarseness rank; a week does not nest in a month, which :func:`rolls_up_to` accounts for."""


def rolls_up_to(fine: Grain, coarse: Grain) -> bool:
    """Whether buckets of ``fine`` nest exactly inside buckets of ``coarse``."""
    if fine == coarse or fine == Grain.DAY:
        return True
    if fine == Grain.WEEK:
        return False
    return GRAIN_ORDER[fine] < GRAIN_ORDER[coarse]


FILTER_OPS = ("eq", "ne", "in", "not_in", "gt", "ge", "lt", "le")
"""Filter operators; ``in``/``not_in`` take several values, the others exactly one."""

COMPARISONS = ("previous_period", "previous_year")
"""``previous_period`` is 环比 (the bucket or range just before), ``previous_year`` is 同比."""


@dataclass(frozen=True)
class Filter:
    """``dimension op values``; values always become SQL literals, never SQL text."""

    dimension: str
    op: str
    values: tuple[Any, ...]

    def __post_init__(self) -> None:
        if self.op not in FILTER_OPS:
            raise InputError("metrics.bad_filter_op", op=self.op, known=", ".join(FILTER_OPS))
        if not isinstance(self.values, tuple):
            object.__setattr__(self, "values", tuple(self.values) if isinstance(self.values, list) else (self.values,))
        if not self.values:
            raise InputError("metrics.filter_no_values", dimension=self.dimension)
        if self.op not in ("in", "not_in") and len(self.values) != 1:
            raise InputError("metrics.filter_one_value", dimension=self.dimension, op=self.op)


@dataclass(frozen=True)
class Comparison:
    """Period-over-period comparison: ``previous_period`` (环比) or ``previous_year`` (同比)."""

    kind: str

    def __post_init__(self) -> None:
        if self.kind not in COMPARISONS:
            raise InputError("metrics.bad_comparison", kind=self.kind, known=", ".join(COMPARISONS))


@dataclass(frozen=True)
class MetricQuery:
    """A metric query. ``start`` is inclusive and ``end`` exclusive, both shop-local calendar dates.

    ``order_by`` names output columns (a metric, a dimension or ``period``); a leading ``-`` sorts
    descending. Without ``order_by`` rows come sorted by period, then dimensions.
    """

    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    grain: Grain | None = None
    start: date | None = None
    end: date | None = None
    filters: tuple[Filter, ...] = ()
    compare: Comparison | None = None
    order_by: tuple[str, ...] = ()
    limit: int | None = field(default=None)

    def __post_init__(self) -> None:
        for name in ("metrics", "dimensions", "filters", "order_by"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        if isinstance(self.grain, str) and not isinstance(self.grain, Grain):
            try:
                object.__setattr__(self, "grain", Grain(self.grain))
            except ValueError:
                raise InputError(
                    "metrics.bad_grain", grain=self.grain, known=", ".join(g.value for g in Grain)
                ) from None
        if not self.metrics:
            raise InputError("metrics.no_metrics")
        if len(set(self.metrics)) != len(self.metrics):
            raise InputError("metrics.duplicate_metric", metrics=", ".join(self.metrics))
        if len(set(self.dimensions)) != len(self.dimensions):
            raise InputError("metrics.duplicate_dimension", dimensions=", ".join(self.dimensions))
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise InputError("metrics.empty_range", start=str(self.start), end=str(self.end))
        if self.limit is not None and (isinstance(self.limit, bool) or self.limit < 1):
            raise InputError("metrics.bad_limit", limit=str(self.limit))

    def output_columns(self) -> list[str]:
        """Names of the result's columns, in order."""
        out = (["period"] if self.grain else []) + list(self.dimensions) + list(self.metrics)
        if self.compare:
            for name in self.metrics:
                out += [name + "__previous", name + "__change"]
        return out


_WHERE_OPS = (("!=", "ne"), (">=", "ge"), ("<=", "le"), ("=", "eq"), (">", "gt"), ("<", "lt"))


def parse_where(text: str) -> Filter:
    """``channel=tmall`` / ``channel!=jd`` / ``channel=tmall,jd`` (in) / ``amount>=100`` -> :class:`Filter`.

    The value is text (typed later against the dimension); commas make an ``in`` / ``not_in`` list.
    """
    for token, op in _WHERE_OPS:
        name, found, value = text.partition(token)
        if found and name.strip() and value.strip():
            values = tuple(v.strip() for v in value.split(",") if v.strip())
            if len(values) > 1:
                op = {"eq": "in", "ne": "not_in"}.get(op, op)
                if op not in ("in", "not_in"):
                    break
            return Filter(name.strip(), op, values)
    raise InputError("metrics.bad_where", text=text)
