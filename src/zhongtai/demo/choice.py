"""What people buy: a two-stage choice with known demand drivers.

Stage 1 picks a category group (e.g. 面部护理/面霜) with weight
``pref[cluster, l1] × mass[cluster, day, group] / mass0[l1] × exp(β_T · (T[city, day] − 15) / 10)``;
stage 2 picks a SKU within the group with weight

``popularity × (price / median)^tilt × (net / list)^(ε_l1 · f_cluster) × lift^[promoted] × shock × slump``,

where ``mass`` is the group's summed stage-2 weight, so a group-wide discount raises the group's
share too. ``ε_l1`` (price elasticity), ``lift`` (promotion display lift) and ``β_T`` (temperature
effect of warm and cold goods) are the seed's parameters (``_truth.demand_drivers``).

Sampling is vectorised: each stage keeps one sorted array of block key + cumulative share, so a
draw is ``searchsorted(table, key + u)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.catalog import Catalog
from zhongtai.demo.params import Parameters
from zhongtai.demo.plan import Plan
from zhongtai.demo.pricing import Pricing
from zhongtai.demo.segments import CLUSTERS
from zhongtai.demo.weather import Weather

__all__ = ["ELASTICITY_KEYS", "ChoiceTables", "build_choice"]

ELASTICITY_KEYS = ("demand.elasticity.skincare", "demand.elasticity.makeup", "demand.elasticity.personal_care",
                   "demand.elasticity.apparel")  # fmt: skip


@dataclass(slots=True)
class ChoiceTables:
    order: np.ndarray  # sellable SKU indices sorted by group
    groups: int
    days: int
    cities: int
    sku_table: np.ndarray  # ((cluster·days + day)·groups + group) + cumulative share
    group_table: np.ndarray  # ((cluster·cities + city)·days + day) + cumulative share

    def groups_for(
        self, rng: np.random.Generator, cluster: np.ndarray, city: np.ndarray, day: np.ndarray
    ) -> np.ndarray:
        key = (cluster.astype(np.int64) * self.cities + city) * self.days + day
        pos = _search(self.group_table, key + rng.uniform(1e-9, 1.0, len(key)))
        return np.asarray(pos % self.groups, dtype=np.int64)

    def skus_for(self, rng: np.random.Generator, cluster: np.ndarray, day: np.ndarray, group: np.ndarray) -> np.ndarray:
        key = (cluster.astype(np.int64) * self.days + day) * self.groups + group
        pos = _search(self.sku_table, key + rng.uniform(1e-9, 1.0, len(key)))
        return np.asarray(self.order[pos % len(self.order)])


def _search(table: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``searchsorted`` with the targets sorted first: the lookups then walk the table in order,
    which is several times faster on a multi-megabyte table."""
    order = np.argsort(targets, kind="stable")
    out = np.empty(len(targets), dtype=np.int64)
    out[order] = np.searchsorted(table, targets[order])
    return out


def _blocks(weights: np.ndarray) -> np.ndarray:
    """Last axis → cumulative share in (0, 1] plus the block's running index (C order)."""
    total = weights.sum(axis=-1, keepdims=True)
    safe = np.where(total > 0, weights / np.where(total > 0, total, 1.0), 1.0 / weights.shape[-1])
    cum = np.cumsum(safe, axis=-1)
    cum[..., -1] = 1.0
    base = np.arange(int(np.prod(weights.shape[:-1])), dtype=np.float64).reshape(weights.shape[:-1])
    return np.asarray(base[..., None] + cum).ravel()


def sku_weights(params: Parameters, catalog: Catalog, pricing: Pricing, plan: Plan) -> np.ndarray:
    """(clusters, days, skus) stage-2 weights (zero before launch, after stop, and for gifts)."""
    days = pricing.level.shape[0]
    sellable = ~catalog.gift
    median = float(np.median(catalog.price[sellable]))
    day = np.arange(days)[:, None]
    active = (day >= catalog.launch_day[None, :]) & (day < catalog.stop_day[None, :]) & sellable[None, :]
    elasticity = np.array([params[ELASTICITY_KEYS[int(l1)]] for l1 in catalog.l1])
    net = pricing.net_ratio().astype(np.float64)
    lift = np.where(pricing.rate > 0, params["demand.promo_lift"], 1.0)
    out = np.empty((len(CLUSTERS), days, catalog.n))
    for c, spec in enumerate(CLUSTERS):
        tilt = (catalog.price / median) ** spec.price_tilt
        out[c] = (catalog.popularity * tilt)[None, :] * net ** (elasticity * spec.elasticity_factor)[None, :]
        out[c] *= lift * plan.sku_multiplier * active
    return out


def build_choice(params: Parameters, catalog: Catalog, pricing: Pricing, plan: Plan, weather: Weather) -> ChoiceTables:
    weights = sku_weights(params, catalog, pricing, plan)
    days = weights.shape[1]
    sellable = catalog.sellable()
    order = sellable[np.argsort(catalog.group[sellable], kind="stable")]
    groups = int(catalog.group.max()) + 1
    # stage 2: within-group shares, blocks (cluster, day, group)
    ordered = weights[:, :, order]
    group_of = catalog.group[order]
    mass = np.zeros((len(CLUSTERS), days, groups))
    for g in range(groups):
        mass[:, :, g] = ordered[:, :, group_of == g].sum(axis=2)
    group_total = mass[:, :, group_of]  # (clusters, days, sellable) the SKU's group mass
    share = np.where(group_total > 0, ordered / np.where(group_total > 0, group_total, 1.0), 0.0)
    cum = np.zeros_like(share)
    for g in range(groups):
        cols = np.flatnonzero(group_of == g)
        part = np.cumsum(share[:, :, cols], axis=2)
        part[:, :, -1] = 1.0
        cum[:, :, cols] = part
    block = (np.arange(len(CLUSTERS))[:, None, None] * days + np.arange(days)[None, :, None]) * groups
    sku_table = (block + group_of[None, None, :] + cum).ravel()
    # stage 1: groups, blocks (cluster, city, day)
    popularity0 = np.zeros(groups)
    np.add.at(popularity0, catalog.group[sellable], catalog.popularity[sellable])
    l1_of_group = np.zeros(groups, dtype=np.int64)
    l1_of_group[catalog.group[sellable]] = catalog.l1[sellable]
    l1_mass = np.array([popularity0[l1_of_group == k].sum() for k in range(4)])
    preference = np.array([spec.l1_preference for spec in CLUSTERS])  # (clusters, 4)
    base = preference[:, l1_of_group][:, None, :] * mass / l1_mass[l1_of_group][None, None, :]  # (c, days, g)
    beta = np.where(
        catalog.group_temperature > 0,
        params["demand.temperature.warm"],
        np.where(catalog.group_temperature < 0, params["demand.temperature.cold"], 0.0),
    )
    heat = np.exp(beta[None, None, :] * (weather.temperature[:, :, None].astype(np.float64) - 15.0) / 10.0)
    group_weights = base[:, None, :, :] * heat[None, :, :, :]  # (clusters, cities, days, groups)
    return ChoiceTables(order, groups, days, weather.temperature.shape[0], sku_table, _blocks(group_weights))
