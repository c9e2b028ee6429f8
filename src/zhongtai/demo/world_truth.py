"""Truth tables about the whole shop (``_truth.*``): parameters, clusters, incidents, anomalies,
demand drivers, media, content quality and storms."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa

from zhongtai.demo import _arrow as A
from zhongtai.demo.acquisition import AD_CHANNELS
from zhongtai.demo.calendar import WEEKLY
from zhongtai.demo.catalog import CATEGORY_L1
from zhongtai.demo.choice import ELASTICITY_KEYS
from zhongtai.demo.config import GENERATOR_VERSION
from zhongtai.demo.geo import CITIES
from zhongtai.demo.segments import CHANNEL_IDS, CLUSTERS, SOURCES
from zhongtai.demo.world import World

__all__ = ["world_truth"]


def _ts(world: World, t: list[float] | np.ndarray) -> pa.Array:
    return A.timestamps(world.cal.to_utc_us(np.asarray(t, dtype=np.float64)))


def world_truth(world: World, *, duplicated_events: int, acquired: np.ndarray) -> dict[str, pa.Table]:
    params, plan, cal, catalog = world.params, world.plan, world.cal, world.catalog
    config = world.config
    rows = list(params.rows())
    rows += [
        ("run.seed", float(config.seed), str(config.seed), None, None, "", "Seed of this shop"),
        ("run.customers", float(config.customers), None, None, None, "people", "People generated"),
        ("run.start", None, cal.start.isoformat(), None, None, "", "First day (local)"),
        ("run.end", None, cal.end.isoformat(), None, None, "", "Last day (local)"),
        ("run.generator_version", None, GENERATOR_VERSION, None, None, "", "Generator version"),
    ]
    out = {
        "parameters": pa.table(
            {
                "name": [r[0] for r in rows],
                "value": pa.array([r[1] for r in rows], pa.float64()),
                "text": pa.array([r[2] for r in rows], pa.string()),
                "low": pa.array([r[3] for r in rows], pa.float64()),
                "high": pa.array([r[4] for r in rows], pa.float64()),
                "unit": [r[5] for r in rows],
                "description": [r[6] for r in rows],
            }
        )
    }
    out["clusters"] = pa.table(
        {
            "cluster": [c.code for c in CLUSTERS],
            "name_zh": [c.zh for c in CLUSTERS],
            "name_en": [c.en for c in CLUSTERS],
            "share": world.cluster_share,
            "bgnbd_r": [params["bgnbd.r"]] * len(CLUSTERS),
            "bgnbd_alpha": [params["bgnbd.alpha"] * c.alpha_factor for c in CLUSTERS],
            "bgnbd_a": [params["bgnbd.a"]] * len(CLUSTERS),
            "bgnbd_b": [params["bgnbd.b"] * c.b_factor for c in CLUSTERS],
            "promotion_sensitivity": [c.sensitivity for c in CLUSTERS],
            "category_preference": [
                json.dumps(dict(zip(CATEGORY_L1, c.l1_preference, strict=True)), ensure_ascii=False) for c in CLUSTERS
            ],
            "channel_preference": [json.dumps(dict(zip(SOURCES, c.channel_preference, strict=True))) for c in CLUSTERS],
            "elasticity_factor": [c.elasticity_factor for c in CLUSTERS],
        }
    )
    incidents = plan.incidents
    out["incidents"] = pa.table(
        {
            "incident_id": [i.incident_id for i in incidents],
            "aspect": [i.aspect for i in incidents],
            "severity": [i.severity for i in incidents],
            "platform": [i.platform for i in incidents],
            "onset_at": _ts(world, [i.onset for i in incidents]),
            "sku": pa.array([catalog.sku[i.sku] if i.sku >= 0 else None for i in incidents], pa.string()),
            "title": [i.title for i in incidents],
            "issue_from": _ts(world, [i.issue_start for i in incidents]),
            "issue_until": _ts(world, [i.issue_end for i in incidents]),
            "issue_probability": [i.issue_probability for i in incidents],
        }
    )
    anomalies = [
        (
            "delayed_load",
            SOURCES[plan.delayed_source],
            None,
            plan.delay_start,
            plan.delay_end,
            plan.delay_hours,
            "hours",
            False,
            f"{SOURCES[plan.delayed_source]} events reach the warehouse about {plan.delay_hours:g} h late",
        ),
        (
            "demand_shock",
            None,
            catalog.sku[plan.shock_sku],
            plan.shock_start,
            plan.shock_end,
            plan.shock_multiplier,
            "x",
            True,
            "a viral post lifts real demand for one SKU",
        ),
        (
            "duplicate_events",
            None,
            None,
            0,
            cal.days,
            float(duplicated_events),
            "rows",
            False,
            "events exported twice by the SDK (quarantined as exact duplicates)",
        ),
    ]
    for inc in incidents:
        if inc.sku >= 0:
            anomalies.append(
                (
                    "incident_slump",
                    None,
                    catalog.sku[inc.sku],
                    int(np.ceil(inc.onset)),
                    int(np.ceil(inc.onset)) + 60,
                    0.35,
                    "x",
                    True,
                    f"demand falls after {inc.incident_id} and recovers over 60 days",
                )
            )
    for city, first, last, extra in plan.storms:
        anomalies.append(
            (
                "storm_delay",
                None,
                None,
                first,
                last,
                extra,
                "days",
                True,
                f"storm in {CITIES[city].name} delays deliveries",
            )
        )
    out["anomalies"] = pa.table(
        {
            "kind": [a[0] for a in anomalies],
            "source": pa.array([a[1] for a in anomalies], pa.string()),
            "sku": pa.array([a[2] for a in anomalies], pa.string()),
            "starts_on": A.dates(cal.epoch_days(np.array([a[3] for a in anomalies]))),
            "ends_before": A.dates(cal.epoch_days(np.array([a[4] for a in anomalies]))),
            "size": [float(a[5]) for a in anomalies],
            "unit": [a[6] for a in anomalies],
            "real_demand": [a[7] for a in anomalies],
            "description": [a[8] for a in anomalies],
        }
    )
    drivers = [
        (
            "price_elasticity",
            CATEGORY_L1[k],
            params[ELASTICITY_KEYS[k]],
            "",
            "exponent of (net price / list price) in the SKU choice weight",
        )
        for k in range(4)
    ]
    drivers += [
        (
            "promotion_lift",
            "promoted SKU",
            params["demand.promo_lift"],
            "x",
            "choice weight multiplier of a promoted SKU beyond its price cut",
        )
    ]
    warm = [g for g, t in zip(catalog.group_names, catalog.group_temperature, strict=True) if t > 0]
    cold = [g for g, t in zip(catalog.group_names, catalog.group_temperature, strict=True) if t < 0]
    drivers += [
        (
            "temperature",
            "、".join(warm),
            params["demand.temperature.warm"],
            "log per +10 °C",
            "category weight × exp(β (T − 15) / 10), T = daily mean temperature of the buyer's city",
        ),
        (
            "temperature",
            "、".join(cold),
            params["demand.temperature.cold"],
            "log per +10 °C",
            "category weight × exp(β (T − 15) / 10)",
        ),
        (
            "rain",
            "offline stores",
            params["demand.rain_store"],
            "x",
            "store channel weight on days with ≥ 5 mm rain in the buyer's city",
        ),
        ("festival", "double11", params["season.double11"], "x", "purchase intensity on Nov 11"),
        ("festival", "618", params["season.618"], "x", "purchase intensity on Jun 18"),
        (
            "festival",
            "spring_festival_trough",
            params["season.spring_trough"],
            "x",
            "purchase intensity in the first week of 春节",
        ),
    ]
    drivers += [
        ("weekday", day, float(w), "x", "purchase intensity by weekday")
        for day, w in zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), WEEKLY, strict=True)
    ]
    out["demand_drivers"] = pa.table(
        {
            "driver": [d[0] for d in drivers],
            "scope": [d[1] for d in drivers],
            "value": [float(d[2]) for d in drivers],
            "unit": [d[3] for d in drivers],
            "description": [d[4] for d in drivers],
        }
    )
    mk = world.marketing
    spend = np.array([mk.spend[mk.campaign_channel == c].sum() for c in AD_CHANNELS], dtype=np.float64)
    realised = acquired.sum(axis=1).astype(np.float64)
    out["marketing"] = pa.table(
        {
            "channel_id": [CHANNEL_IDS[c] for c in AD_CHANNELS],
            "spend": A.money(spend.astype(np.int64)),
            "true_new_customers": realised.astype(np.int64),
            "true_new_customers_per_10k_cny": realised / np.maximum(spend / 1_000_000, 1e-9),
            "expected_new_customers_per_10k_cny": mk.incremental_per_10k,
            "efficiency": mk.efficiency,
            "over_attribution": mk.over_attribution,
        }
    )
    content = world.content
    out["content"] = pa.table({"content_id": content.content_id, "quality": content.quality})
    out["storms"] = pa.table(
        {
            "city": [CITIES[s[0]].name for s in plan.storms],
            "starts_on": A.dates(cal.epoch_days(np.array([s[1] for s in plan.storms], dtype=np.int64))),
            "ends_before": A.dates(cal.epoch_days(np.array([s[2] for s in plan.storms], dtype=np.int64))),
            "extra_delivery_days": [s[3] for s in plan.storms],
        }
    )
    exps = plan.experiments
    out["experiment_design"] = pa.table(
        {
            "experiment_key": [e.key for e in exps],
            "name": [e.name for e in exps],
            "source": [SOURCES[e.source] for e in exps],
            "starts_at": _ts(world, [e.start for e in exps]),
            "ends_at": _ts(world, [e.end for e in exps]),
            "true_relative_lift": [e.lift for e in exps],
            "srm_drop": [e.srm_drop for e in exps],
            "split": [e.split for e in exps],
            "outcome_days": [e.outcome_days for e in exps],
            "outcome": ["an order on the unit's mini-program account within outcome_days of exposure"] * len(exps),
        }
    )
    return out
