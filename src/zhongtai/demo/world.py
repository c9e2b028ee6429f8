"""The world every block of customers shares: calendar, weather, sites, catalogue, prices,
promotions, planted events, demand tables and the media plan, all fixed by the seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.acquisition import MarketingPlan, plan_marketing
from zhongtai.demo.calendar import Calendar, build_calendar, cumulative
from zhongtai.demo.catalog import Catalog, build_catalog, spu_count
from zhongtai.demo.choice import ChoiceTables, build_choice
from zhongtai.demo.config import DemoConfig
from zhongtai.demo.content import ContentPlan, plan_content
from zhongtai.demo.geo import CITIES, Sites, city_weights, place_sites
from zhongtai.demo.params import Parameters, draw_parameters
from zhongtai.demo.plan import Plan, build_plan
from zhongtai.demo.pricing import Pricing, build_pricing
from zhongtai.demo.segments import CLUSTERS, cluster_shares
from zhongtai.demo.streams import rng_for
from zhongtai.demo.weather import Weather, simulate_weather

__all__ = ["World", "build_world"]


@dataclass(slots=True)
class World:
    config: DemoConfig
    params: Parameters
    cal: Calendar
    weather: Weather
    sites: Sites
    catalog: Catalog
    pricing: Pricing
    plan: Plan
    choice: ChoiceTables
    marketing: MarketingPlan
    cluster_share: np.ndarray
    city_weight: np.ndarray
    intensity: np.ndarray  # (clusters, days) purchase intensity m_c(d)
    intensity_cum: np.ndarray  # (clusters, days + 1)
    city_stores: list[np.ndarray]  # per city: site indices of stores
    city_lockers: list[np.ndarray]
    nearest_warehouse: np.ndarray  # per city: site index
    distance_km: np.ndarray  # per city: km to its warehouse
    price_drop_soon: np.ndarray  # (days, skus)
    competitor_promotions: list[np.ndarray]  # per city: indices into plan.competitor_moves (local + national)
    content: ContentPlan
    stock_index: np.ndarray  # per site: index among stock-holding sites (warehouses, stores), -1 for lockers
    stock_sites: int
    weeks: int

    @property
    def days(self) -> int:
        return self.cal.days


def _haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(6371.0 * 2 * np.arcsin(np.sqrt(a)))


def build_world(config: DemoConfig) -> World:
    seed = config.seed
    params = draw_parameters(rng_for(seed, "world", "parameters"))
    cal = build_calendar(
        config.start,
        config.end,
        double11=params["season.double11"],
        six18=params["season.618"],
        trough=params["season.spring_trough"],
    )
    day_of_year = (np.arange(cal.days) + cal.start.timetuple().tm_yday - 1) % 365
    weather = simulate_weather(rng_for(seed, "world", "weather"), day_of_year)
    sites = place_sites(rng_for(seed, "world", "sites"), config.customers)
    catalog = build_catalog(rng_for(seed, "world", "catalog"), spu_count(config.customers), cal.days)
    pricing = build_pricing(rng_for(seed, "world", "pricing"), cal, catalog)
    plan = build_plan(rng_for(seed, "world", "plan"), params, cal, catalog, weather)
    choice = build_choice(params, catalog, pricing, plan, weather)
    marketing = plan_marketing(rng_for(seed, "world", "marketing"), params, cal, config.customers)
    shares = cluster_shares(rng_for(seed, "world", "clusters"), params["clusters.concentration"])
    intensity = np.vstack([cal.intensity(c.sensitivity) for c in CLUSTERS])
    intensity_cum = np.vstack([cumulative(row) for row in intensity])
    kinds = np.array(sites.kind)
    stores = [np.flatnonzero((kinds == "store") & (sites.city == c)) for c in range(len(CITIES))]
    lockers = [np.flatnonzero((kinds == "locker") & (sites.city == c)) for c in range(len(CITIES))]
    warehouses = sites.of_kind("warehouse")
    city_lat = np.array([c.lat for c in CITIES])
    city_lon = np.array([c.lon for c in CITIES])
    dist = _haversine(
        city_lat[:, None], city_lon[:, None], sites.lat[warehouses][None, :], sites.lon[warehouses][None, :]
    )
    nearest = warehouses[np.argmin(dist, axis=1)]
    moves = plan.competitor_moves
    promo_idx = np.array([i for i, m in enumerate(moves) if m.kind == "competitor_promotion"], dtype=np.int64)
    promo_city = np.array([moves[i].city for i in promo_idx], dtype=np.int64)
    per_city = [promo_idx[(promo_city == c) | (promo_city == -1)] for c in range(len(CITIES))]
    stock = np.full(len(kinds), -1, dtype=np.int64)
    holding = np.flatnonzero(kinds != "locker")
    stock[holding] = np.arange(len(holding))
    return World(
        config,
        params,
        cal,
        weather,
        sites,
        catalog,
        pricing,
        plan,
        choice,
        marketing,
        shares,
        city_weights(),
        intensity,
        intensity_cum,
        stores,
        lockers,
        nearest,
        dist.min(axis=1),
        pricing.price_drop_within(),
        per_city,
        plan_content(rng_for(seed, "world", "content"), cal, catalog, config.customers),
        stock,
        int(stock.max()) + 1,
        -(-cal.days // 7),
    )
