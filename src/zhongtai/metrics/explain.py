"""Driver analysis: which segments explain a metric's change between two periods (pure cores).

Two decompositions, both exact (the parts add up to the total change):

- **Additive metrics** (sums and counts: GMV, orders, refunds): a segment's contribution is its
  own change, ``v2_i - v1_i``; segments partition the total, so the contributions sum to
  ``V2 - V1``. A segment present in one period only counts as 0 in the other. For metrics that
  are *not* additive over segments (distinct counts such as buyers, who may buy on two
  channels) the overlap is reported as ``unexplained = total - sum(contributions)``, never
  spread over the segments.
- **Ratio metrics** (conversion rate, AOV, refund rate): the overall rate is the
  denominator-weighted mean of the segment rates, ``R = sum_i w_i r_i`` with
  ``w_i = D_i / sum D`` and ``r_i = N_i / D_i``. Its change splits per segment into

  - rate effect ``(r2_i - r1_i) * w1_i`` — the segment itself converts better or worse;
  - mix effect ``(w2_i - w1_i) * (r1_i - R1)`` — the segment's share of the denominator moved,
    measured against the overall base rate, so a growing segment with an average rate
    contributes no mix effect (``sum_i (w2_i - w1_i) = 0``, so this centring leaves the sum
    unchanged);
  - interaction ``(w2_i - w1_i) * (r2_i - r1_i)``.

  This is the shift-share (rate/composition) decomposition of Kitagawa (1955), *Components of
  a difference between two rates*, JASA 50(272): 1168-1194, in its three-term base-weighted
  form. A segment absent in the base period takes its new rate as base rate (so its whole
  contribution is mix), one absent in the new period keeps its base rate (the same).

Inputs are aggregated frames (one row per segment, components for both periods), fetched by
:func:`explain_metric` through the compiler; the cores do no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from zhongtai.errors import InputError

__all__ = ["Decomposition", "decompose_additive", "decompose_ratio", "explain_metric", "parse_period"]


@dataclass(frozen=True, slots=True)
class Decomposition:
    """The change of one metric between a base and a new period, split by segment.

    ``segments`` has one row per segment (the dimension columns first), sorted by
    ``|contribution|`` descending; ``contribution`` is in the metric's unit (money, count, or a
    fraction for rates). For ratio metrics it also has ``numerator_1/2``, ``denominator_1/2``,
    ``rate_1/2``, ``weight_1/2``, ``rate_effect``, ``mix_effect`` and ``interaction``
    (``contribution`` = their sum). ``share`` is the contribution as a fraction of the total
    change (NaN when the total is 0).
    """

    kind: str  # "additive" | "ratio"
    dimensions: tuple[str, ...]
    base_total: float
    new_total: float
    segments: pd.DataFrame
    unexplained: float = 0.0
    effects: dict[str, float] = field(default_factory=dict)

    @property
    def change(self) -> float:
        return self.new_total - self.base_total

    def to_dict(self) -> dict[str, Any]:
        rows = self.segments.replace({np.nan: None}).to_dict(orient="records")
        return {
            "kind": self.kind,
            "dimensions": list(self.dimensions),
            "base_total": self.base_total,
            "new_total": self.new_total,
            "change": self.change,
            "unexplained": self.unexplained,
            "effects": self.effects,
            "segments": rows,
        }


def _check(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError("explain.missing_column", columns=", ".join(missing), known=", ".join(map(str, frame.columns)))


def _ranked(table: pd.DataFrame, total_change: float) -> pd.DataFrame:
    table = table.copy()
    table["share"] = table["contribution"] / total_change if total_change != 0 else np.nan
    order = np.argsort(-np.abs(table["contribution"].to_numpy()), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def decompose_additive(
    frame: pd.DataFrame,
    *,
    dimensions: Sequence[str],
    base: str = "value_1",
    new: str = "value_2",
    base_total: float | None = None,
    new_total: float | None = None,
) -> Decomposition:
    """Split ``new_total - base_total`` into per-segment changes ``new_i - base_i``.

    ``frame`` holds one row per segment with the metric in the base (``base``) and new (``new``)
    period; NULL means the segment had no rows (0). Pass ``base_total``/``new_total`` when the
    metric is not additive over segments (distinct counts); the difference between the total
    change and the summed contributions is then reported as ``unexplained``.
    """
    dims = tuple(dimensions)
    _check(frame, [*dims, base, new])
    if frame.duplicated(list(dims)).any():
        raise InputError("explain.duplicate_segments", dimensions=", ".join(dims))
    v1 = pd.to_numeric(frame[base], errors="coerce").fillna(0.0).astype("float64")
    v2 = pd.to_numeric(frame[new], errors="coerce").fillna(0.0).astype("float64")
    table = frame[list(dims)].copy().reset_index(drop=True)
    table["value_1"] = v1.to_numpy()
    table["value_2"] = v2.to_numpy()
    table["contribution"] = table["value_2"] - table["value_1"]
    t1 = float(v1.sum()) if base_total is None else float(base_total)
    t2 = float(v2.sum()) if new_total is None else float(new_total)
    unexplained = (t2 - t1) - float(table["contribution"].sum())
    return Decomposition("additive", dims, t1, t2, _ranked(table, t2 - t1), unexplained=unexplained)


def decompose_ratio(
    frame: pd.DataFrame,
    *,
    dimensions: Sequence[str],
    numerator: tuple[str, str] = ("numerator_1", "numerator_2"),
    denominator: tuple[str, str] = ("denominator_1", "denominator_2"),
    base_total: float | None = None,
    new_total: float | None = None,
) -> Decomposition:
    """Shift-share split of the change of ``sum N / sum D`` into rate, mix and interaction.

    ``frame``: one row per segment with the numerator and denominator in both periods (NULL = 0).
    A period whose denominators sum to 0 has no rate: :class:`InputError` ``explain.empty_period``.
    Pass the metric's own totals (``base_total``/``new_total``) when its denominator is not
    additive over segments (distinct buyers): the gap to ``sum N / sum D`` is ``unexplained``.
    """
    dims = tuple(dimensions)
    _check(frame, [*dims, *numerator, *denominator])
    if frame.duplicated(list(dims)).any():
        raise InputError("explain.duplicate_segments", dimensions=", ".join(dims))

    def values(name: str) -> np.ndarray:
        return pd.to_numeric(frame[name], errors="coerce").fillna(0.0).to_numpy(dtype="float64")

    n1, n2 = values(numerator[0]), values(numerator[1])
    d1, d2 = values(denominator[0]), values(denominator[1])
    if (d1 < 0).any() or (d2 < 0).any():
        raise InputError("explain.negative_denominator", dimensions=", ".join(dims))
    total_d1, total_d2 = d1.sum(), d2.sum()
    for label, total in (("1", total_d1), ("2", total_d2)):
        if total <= 0:
            raise InputError("explain.empty_period", period=label)
    rate_1_total = n1.sum() / total_d1
    rate_2_total = n2.sum() / total_d2
    w1, w2 = d1 / total_d1, d2 / total_d2
    with np.errstate(divide="ignore", invalid="ignore"):
        r1 = np.where(d1 > 0, n1 / d1, np.nan)
        r2 = np.where(d2 > 0, n2 / d2, np.nan)
    r1 = np.where(np.isnan(r1), r2, r1)  # absent in the base period: its new rate is its base
    r2 = np.where(np.isnan(r2), r1, r2)  # absent in the new period: it keeps its base rate
    r1 = np.nan_to_num(r1)
    r2 = np.nan_to_num(r2)
    rate_effect = (r2 - r1) * w1
    mix_effect = (w2 - w1) * (r1 - rate_1_total)
    interaction = (w2 - w1) * (r2 - r1)
    table = frame[list(dims)].copy().reset_index(drop=True)
    for name, column in (
        ("numerator_1", n1),
        ("numerator_2", n2),
        ("denominator_1", d1),
        ("denominator_2", d2),
        ("rate_1", np.where(d1 > 0, r1, np.nan)),
        ("rate_2", np.where(d2 > 0, r2, np.nan)),
        ("weight_1", w1),
        ("weight_2", w2),
        ("rate_effect", rate_effect),
        ("mix_effect", mix_effect),
        ("interaction", interaction),
    ):
        table[name] = column
    table["contribution"] = rate_effect + mix_effect + interaction
    t1 = float(rate_1_total) if base_total is None else float(base_total)
    t2 = float(rate_2_total) if new_total is None else float(new_total)
    change = t2 - t1
    effects = {
        "rate": float(rate_effect.sum()),
        "mix": float(mix_effect.sum()),
        "interaction": float(interaction.sum()),
    }
    unexplained = change - float(table["contribution"].sum())
    return Decomposition(
        "ratio",
        dims,
        t1,
        t2,
        _ranked(table, change),
        unexplained=unexplained,
        effects=effects,
    )


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_period(text: str, option: str = "period") -> tuple[date, date]:
    """``[start, end)`` of a period written ``2025-07-17``, ``2025-07``, ``2025-Q3``, ``2025`` or
    ``2025-07-01..2025-07-15`` (end exclusive); anything else is an :class:`InputError`."""
    value = text.strip()
    try:
        if ".." in value:
            first, _, last = value.partition("..")
            start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
            if start < end:
                return start, end
        elif match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
        elif match := _QUARTER.match(value):
            year, quarter = int(match[1]), int(match[2])
            return date(year, 3 * quarter - 2, 1), date(year + quarter // 4, (3 * quarter) % 12 + 1, 1)
        elif match := _YEAR.match(value):
            return date(int(match[1]), 1, 1), date(int(match[1]) + 1, 1, 1)
        else:
            day = date.fromisoformat(value)
            return day, day + timedelta(days=1)
    except ValueError:
        pass
    raise InputError("explain.bad_period", option=option, value=text)


def _by_segment(
    ws: Any, dictionary: Any, metrics: tuple[str, ...], dims: tuple[str, ...], period: tuple[date, date], principal: Any
) -> pd.DataFrame:
    from zhongtai.metrics.query import MetricQuery
    from zhongtai.metrics.serve import query_metrics

    query = MetricQuery(metrics, dimensions=dims, start=period[0], end=period[1])
    return query_metrics(ws, query, principal=principal, dictionary=dictionary).to_pandas()


def explain_metric(
    ws: Any,
    metric: str,
    *,
    base: tuple[date, date],
    new: tuple[date, date],
    by: Sequence[str],
    principal: Any = None,
    dictionary: Any = None,
) -> list[Decomposition]:
    """Explain ``metric``'s change from period ``base`` to period ``new`` by each dimension in ``by``
    (one decomposition per dimension), fetching aggregates through :func:`query_metrics`.

    Simple metrics are split additively; ratio metrics by shift-share on their numerator and
    denominator metrics. Other kinds raise ``explain.not_decomposable``.
    """
    from zhongtai.metrics.dictionary import load_dictionary

    d = dictionary or load_dictionary(ws)
    m = d.metric(metric)
    if base == new:
        raise InputError("explain.same_period", period=f"{base[0]}..{base[1]}")
    for name in by:
        d.dimension(name)
    if m.kind == "simple":
        parts: tuple[str, ...] = (m.name,)
    elif m.kind == "ratio" and m.spec.numerator and m.spec.denominator:
        parts = (m.spec.numerator, m.spec.denominator)
    else:
        raise InputError("explain.not_decomposable", metric=metric, kind=m.kind)
    totals = [_by_segment(ws, d, (m.name,), (), period, principal) for period in (base, new)]
    t1, t2 = (float(pd.to_numeric(t[m.name]).fillna(0).sum()) if len(t) else 0.0 for t in totals)
    out: list[Decomposition] = []
    for name in by:
        frames = [_by_segment(ws, d, parts, (name,), period, principal) for period in (base, new)]
        merged = frames[0].merge(frames[1], on=name, how="outer", suffixes=("_1", "_2"))
        merged[name] = merged[name].astype("string").fillna("(none)")
        if m.kind == "simple":
            merged = merged.rename(columns={f"{m.name}_1": "value_1", f"{m.name}_2": "value_2"})
            out.append(decompose_additive(merged, dimensions=[name], base_total=t1, new_total=t2))
        else:
            num, den = parts
            merged = merged.rename(
                columns={f"{num}_1": "numerator_1", f"{num}_2": "numerator_2",
                         f"{den}_1": "denominator_1", f"{den}_2": "denominator_2"}
            )  # fmt: skip
            out.append(decompose_ratio(merged, dimensions=[name], base_total=t1, new_total=t2))
    return out
