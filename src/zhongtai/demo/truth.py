"""What was planted in a demo workspace, read back from ``_truth`` (for people scoring zhongtai).

This is one of the two places allowed to read ``_truth`` (the generator writes it; scoring
reports read it); no analytic may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zhongtai.demo.load import TRUTH_SCHEMA
from zhongtai.errors import NotFoundError
from zhongtai.warehouse._sql import fragment, tbl

__all__ = ["TruthSummary", "summarise_truth"]


@dataclass(frozen=True, slots=True)
class TruthSummary:
    path: str
    run: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "run": self.run, "sections": self.sections, "tables": self.tables}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _rows(ws: Any, sql: str, **tables: str) -> list[dict[str, Any]]:
    node = fragment(sql, **{k: tbl(v, TRUTH_SCHEMA) for k, v in tables.items()})
    cursor = ws.warehouse.con.execute(node.sql(dialect="duckdb"))
    names = [d[0] for d in cursor.description]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


SECTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "clusters": (
        "SELECT c.cluster, c.name_en, ROUND(c.share, 4) AS share, COUNT(p.person_id) AS people, "
        "ROUND(AVG(p.lambda_per_day), 5) AS mean_lambda, ROUND(AVG(p.p_dropout), 4) AS mean_p "
        "FROM :c AS c LEFT JOIN :p AS p USING (cluster) GROUP BY ALL ORDER BY c.cluster",
        {"c": "clusters", "p": "customers"},
    ),
    "customers": (
        "SELECT COUNT(*) AS people, COUNT(*) FILTER (WHERE alive_at_end) AS alive_at_end, "
        "COUNT(*) FILTER (WHERE churner) AS planted_churners, ROUND(AVG(paid_orders), 3) AS orders_per_person "
        "FROM :p",
        {"p": "customers"},
    ),
    "churn": (
        "SELECT COUNT(*) AS churners, MIN(onset_at) AS first_onset, MAX(onset_at) AS last_onset, "
        "ANY_VALUE(window_days) AS window_days, COUNT(*) FILTER (WHERE cart_clear) AS cleared_cart, "
        "COUNT(*) FILTER (WHERE angry_cs) AS angry_service, "
        "COUNT(*) FILTER (WHERE competitor_move IS NOT NULL) AS after_competitor_promotion FROM :c",
        {"c": "churn"},
    ),
    "experiments": (
        "SELECT experiment_key, ROUND(true_relative_lift, 4) AS true_relative_lift, "
        "ROUND(true_absolute_lift, 5) AS true_absolute_lift, ROUND(expected_control_rate, 5) "
        "AS expected_control_rate, srm_drop, units_control, units_treatment, logged_control, "
        "logged_treatment FROM :e ORDER BY starts_at",
        {"e": "experiments"},
    ),
    "incidents": (
        "SELECT incident_id, aspect, severity, platform, onset_at, sku, title FROM :i ORDER BY onset_at",
        {"i": "incidents"},
    ),
    "anomalies": (
        "SELECT kind, source, sku, starts_on, ends_before, size, unit, real_demand FROM :a ORDER BY starts_on, kind",
        {"a": "anomalies"},
    ),
    "identity_noise": (
        "SELECT field, kind, COUNT(*) AS accounts FROM :n GROUP BY ALL ORDER BY field, kind",
        {"n": "identity_noise"},
    ),
    "identities": (
        "SELECT COUNT(DISTINCT person_id) AS people, COUNT(*) AS accounts, "
        "COUNT(DISTINCT family_id) AS families FROM :c",
        {"c": "identity_clusters"},
    ),
    "reconciliation": ("SELECT kind, COUNT(*) AS orders FROM :r GROUP BY ALL ORDER BY kind", {"r": "reconciliation"}),
    "demand_drivers": ("SELECT driver, scope, ROUND(value, 4) AS value, unit FROM :d", {"d": "demand_drivers"}),
    "marketing": (
        "SELECT channel_id, spend, true_new_customers, ROUND(true_new_customers_per_10k_cny, 3) "
        "AS new_per_10k_cny, ROUND(over_attribution, 3) AS over_attribution FROM :m",
        {"m": "marketing"},
    ),
    "order_issues": (
        "SELECT issue, COUNT(*) AS orders FROM :o GROUP BY ALL ORDER BY orders DESC",
        {"o": "order_issues"},
    ),
}


def summarise_truth(ws: Any) -> TruthSummary:
    """A summary of every planted fact family in the workspace's ``_truth`` schema."""
    known = {
        str(r[0])
        for r in ws.warehouse.fetchall(
            fragment("SELECT table_name FROM information_schema.tables WHERE table_schema = '_truth'")
        )
    }
    if "parameters" not in known:
        raise NotFoundError("demo.no_truth", path=str(ws.path))
    params = _rows(ws, "SELECT name, value, text FROM :p ORDER BY name", p="parameters")
    run = {
        p["name"].removeprefix("run."): p["text"] if p["text"] is not None else p["value"]
        for p in params
        if p["name"].startswith("run.")
    }
    run["parameters"] = {
        p["name"]: p["value"] if p["value"] is not None else p["text"]
        for p in params
        if not p["name"].startswith("run.")
    }
    sections = {
        name: _rows(ws, sql, **tables) for name, (sql, tables) in SECTIONS.items() if set(tables.values()) <= known
    }
    counts = {name: ws.warehouse.row_count(name, TRUTH_SCHEMA) for name in sorted(known)}
    return TruthSummary(str(ws.path), run, sections, counts)
