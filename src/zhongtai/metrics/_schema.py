"""The YAML shape of a metric dictionary file, validated with pydantic (unknown keys are errors).

A dictionary file may hold any of four top-level sections; the built-in catalogue splits them over
several files and a workspace's ``metrics/`` folder may add or override any entry by name::

    version: 3                      # the file's version (bump it when you change a definition)
    semantic_models:
      orders:
        table: orders
        label: {zh: 订单, en: Orders}
        time: {column: order_time, type: timestamp}    # UTC timestamps, bucketed in shop time
        joins: [{table: channels, alias: ch, condition: "ch.channel_id = channel_id"}]
        computed: {paid_seq: "ROW_NUMBER() OVER (...)"}  # evaluated over the whole table, in order
        entities: {member: member_id, order: order_id}
        dimensions: {channel: ch.platform, city: city}
        measures:
          gmv_amount: {agg: sum, expr: paid_amount, filter: "paid_at IS NOT NULL"}
    dimensions:
      channel: {label: {zh: 渠道, en: Channel}, type: string, value_labels: {tmall: {zh: 天猫, en: Tmall}}}
    metrics:
      gmv: {kind: simple, measure: gmv_amount, label: ..., description: ..., owner: ..., format: money}
    rollups:
      orders_daily: {model: orders, grain: day, dimensions: [channel], measures: [gmv_amount]}

Expressions are SQL in DuckDB syntax; they are parsed by SQLGlot into trees (never pasted into SQL
text), checked to be plain expressions (no sub-queries, no statements) and rendered per engine.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DimensionSpec",
    "FileSpec",
    "JoinSpec",
    "MeasureSpec",
    "MetricSpec",
    "ModelSpec",
    "RollupSpec",
    "TimeSpec",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Synonyms(_Strict):
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class TimeSpec(_Strict):
    column: str = Field(min_length=1)
    type: Literal["timestamp", "date"] = "timestamp"


class JoinSpec(_Strict):
    table: str = Field(min_length=1)
    alias: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    condition: str = Field(min_length=1)


class MeasureSpec(_Strict):
    agg: Literal["sum", "count", "count_distinct", "avg", "min", "max"]
    expr: str | None = None
    filter: str | None = None
    min_rows: int | None = Field(default=None, ge=2)
    label: Texts | None = None
    description: Texts | None = None


class ModelSpec(_Strict):
    table: str = Field(min_length=1)
    label: Texts
    description: Texts | None = None
    time: TimeSpec
    joins: list[JoinSpec] = Field(default_factory=list)
    computed: dict[str, str] = Field(default_factory=dict)
    entities: dict[str, str] = Field(default_factory=dict)
    dimensions: dict[str, str] = Field(default_factory=dict)
    measures: dict[str, MeasureSpec] = Field(default_factory=dict)


class DimensionSpec(_Strict):
    label: Texts
    description: Texts | None = None
    synonyms: Synonyms = Field(default_factory=Synonyms)
    type: Literal["string", "number", "date", "boolean"] = "string"
    value_labels: dict[str, Texts] = Field(default_factory=dict)


class MetricSpec(_Strict):
    kind: Literal["simple", "ratio", "derived", "cumulative", "conversion"]
    label: Texts
    description: Texts
    synonyms: Synonyms = Field(default_factory=Synonyms)
    owner: str = Field(min_length=1)
    format: Literal["money", "count", "percent", "ratio", "number", "score", "minutes", "hours", "days"]
    unit: str | None = None
    refresh: str = "daily"
    certified: bool = False
    version: int = Field(default=1, ge=1)
    scorecard: Literal["business", "user", "process"] | None = None
    higher_is_better: bool = True
    # anomaly alerts: watch this metric daily, in total and by these dimensions (None = not watched)
    monitor: list[str] | None = None
    # simple / cumulative
    measure: str | None = None
    # ratio
    numerator: str | None = None
    denominator: str | None = None
    # derived
    expr: str | None = None
    # cumulative
    window: str | None = None
    grain_to_date: Literal["week", "month", "quarter", "year"] | None = None
    # conversion
    base_measure: str | None = None
    conversion_measure: str | None = None
    entity: str | None = None
    calculation: Literal["conversion_rate", "conversions"] = "conversion_rate"
    constant_properties: list[str] = Field(default_factory=list)


class RollupSpec(_Strict):
    model: str
    grain: Literal["day", "month"] = "day"
    dimensions: list[str] = Field(default_factory=list)
    measures: list[str] = Field(min_length=1)


class FileSpec(_Strict):
    version: int = Field(default=1, ge=1)
    semantic_models: dict[str, ModelSpec] = Field(default_factory=dict)
    dimensions: dict[str, DimensionSpec] = Field(default_factory=dict)
    metrics: dict[str, MetricSpec] = Field(default_factory=dict)
    rollups: dict[str, RollupSpec] = Field(default_factory=dict)
