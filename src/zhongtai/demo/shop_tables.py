"""The shop-wide tables: channels, sites, products, promotions, content, outside signals,
inventory, marketing spend and social posts."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pandas as pd
import pyarrow as pa

from zhongtai.demo import _arrow as A
from zhongtai.demo.acquisition import AD_CHANNELS
from zhongtai.demo.calendar import UTC_OFFSET_HOURS
from zhongtai.demo.catalog import BRAND, CATEGORY_L1
from zhongtai.demo.content import CONTENT_CHANNELS
from zhongtai.demo.geo import CITIES
from zhongtai.demo.plan import COMPETITORS, TOPICS
from zhongtai.demo.segments import CHANNEL_IDS, CHANNEL_KINDS, CHANNEL_NAMES, CHANNEL_PLATFORMS
from zhongtai.demo.streams import rng_for
from zhongtai.demo.tables import canonical_table
from zhongtai.demo.textgen import TextGenerators, to_canonical, to_truth
from zhongtai.demo.world import World

__all__ = ["inventory", "marketing_spend", "posts", "reference_tables"]

ERP = "erp"
CPM = np.array([35.0, 30.0, 25.0, 40.0])  # CNY per 1,000 impressions
CTR = np.array([0.015, 0.012, 0.022, 0.008])
LEAD_WEEKS = {"warehouse": 2, "store": 1}
NATIONAL = "全国"
"""Region of nationwide signals. The model documents '' for national, but ingest reads an empty
cell as missing and ``region`` is required, so '' can never load (reported to the model owners)."""


def _ts(world: World, t: np.ndarray) -> pa.Array:
    return A.timestamps(world.cal.to_utc_us(t))


def reference_tables(world: World) -> dict[str, pa.Table]:
    cal, sites, catalog = world.cal, world.sites, world.catalog
    channel_ids = [*CHANNEL_IDS, "xiaohongshu_official"]
    tables = {
        "channels": canonical_table(
            "channels",
            {
                "channel_id": channel_ids,
                "name": [*CHANNEL_NAMES, "青禾小红书官方号"],
                "platform": [*CHANNEL_PLATFORMS, "xiaohongshu"],
                "kind": [*CHANNEL_KINDS, "social"],
                "source": [ERP] * len(channel_ids),
            },
        ),
    }
    kinds = np.array(sites.kind)
    n = len(kinds)
    tables["locations"] = canonical_table(
        "locations",
        {
            "location_id": sites.location_id,
            "kind": sites.kind,
            "name": sites.name,
            "channel_id": pa.array([CHANNEL_IDS[4] if k == "store" else None for k in kinds], pa.string()),
            "province": [CITIES[c].province for c in sites.city],
            "city": [CITIES[c].name for c in sites.city],
            "district": [CITIES[c].districts[d] for c, d in zip(sites.city, sites.district, strict=True)],
            "address": sites.address,
            "latitude": sites.lat,
            "longitude": sites.lon,
            "opened_on": A.dates(cal.epoch_days(sites.opened_day)),
            "capacity": sites.capacity,
            "source": [ERP] * n,
        },
    )
    k = catalog.n
    tables["products"] = canonical_table(
        "products",
        {
            "sku": catalog.sku,
            "spu": catalog.spu,
            "name": catalog.name,
            "brand": [BRAND] * k,
            "category_l1": A.pick(CATEGORY_L1, catalog.l1),
            "category_l2": catalog.l2,
            "category_l3": catalog.l3,
            "price": A.price(catalog.price),
            "cost": A.price(catalog.cost),
            "currency": ["CNY"] * k,
            "status": np.where(catalog.stop_day < world.days, "discontinued", "active"),
            "launched_on": A.dates(cal.epoch_days(catalog.launch_day)),
            "source": [ERP] * k,
        },
    )
    promos = world.pricing.promotions
    m = len(promos)

    def opt(values: list[int | None]) -> pa.Array:
        return A.money(np.array([v or 0 for v in values]), np.array([v is None for v in values]))

    tables["promotions"] = canonical_table(
        "promotions",
        {
            "source": [ERP] * m,
            "promotion_id": [p.promotion_id for p in promos],
            "name": [p.name for p in promos],
            "kind": [p.kind for p in promos],
            "festival": [p.festival for p in promos],
            "channel_id": pa.array([CHANNEL_IDS[p.source] if p.source >= 0 else None for p in promos], pa.string()),
            "starts_at": _ts(world, np.array([p.start for p in promos])),
            "ends_at": _ts(world, np.array([p.end for p in promos]) - 1e-6),
            "discount_rate": pa.array([p.discount_rate for p in promos], pa.float64()),
            "threshold_amount": opt([p.threshold for p in promos]),
            "reduction_amount": opt([p.reduction for p in promos]),
            "sku": pa.array([catalog.sku[p.sku] if p.sku >= 0 else None for p in promos], pa.string()),
            "category": pa.array([p.category for p in promos], pa.string()),
        },
    )
    content = world.content
    c = len(content.content_id)
    tables["content"] = canonical_table(
        "content",
        {
            "source": ["content_platform"] * c,
            "content_id": content.content_id,
            "kind": content.kind,
            "title": content.title,
            "channel_id": A.pick(CONTENT_CHANNELS, content.channel),
            "author": content.author,
            "topic": content.topic,
            "published_at": _ts(world, content.t),
            "cost": A.money(content.cost),
        },
    )
    tables["external_signals"] = _signals(world)
    return tables


def _signals(world: World) -> pa.Table:
    cal, plan, weather = world.cal, world.plan, world.weather
    days = cal.days
    frames: list[pd.DataFrame] = []
    city_names = [c.name for c in CITIES]
    day = np.tile(np.arange(days), len(CITIES))
    city = np.repeat(np.arange(len(CITIES)), days)
    for key, values in (("temperature_c", weather.temperature), ("precipitation_mm", weather.rain)):
        flat = values.ravel().astype(np.float64)
        text = (
            [("暴雨" if v >= 50 else "大雨" if v >= 25 else None) for v in flat] if key == "precipitation_mm" else None
        )
        frames.append(
            pd.DataFrame(
                {
                    "kind": "weather",
                    "day": day,
                    "region": np.array(city_names)[city],
                    "key": key,
                    "value": flat,
                    "text": text,
                }
            )
        )
    for k, topic in enumerate(TOPICS):
        frames.append(
            pd.DataFrame(
                {
                    "kind": "topic_heat",
                    "day": np.arange(days),
                    "region": NATIONAL,
                    "key": topic,
                    "value": plan.topic_heat[k],
                    "text": None,
                }
            )
        )
    rows = []
    for move in plan.competitor_moves:
        region = CITIES[move.city].name if move.city >= 0 else NATIONAL
        for d in range(move.start, move.end + 1):
            rows.append((move.kind, d, region, COMPETITORS[move.competitor][0], move.depth, move.text))
    for first, last, name in plan.holidays:
        for d in range(max(first, 0), min(last, days - 1) + 1):
            rows.append(("holiday", d, NATIONAL, name, 1.0, "法定节假日"))
    frames.append(pd.DataFrame(rows, columns=["kind", "day", "region", "key", "value", "text"]))
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.sort_values("value", ascending=False).drop_duplicates(["kind", "day", "region", "key"])
    frame = frame.sort_values(["kind", "day", "region", "key"]).reset_index(drop=True)
    return canonical_table(
        "external_signals",
        {
            "source": ["signals"] * len(frame),
            "signal_date": A.dates(cal.epoch_days(frame["day"].to_numpy())),
            "kind": frame["kind"].tolist(),
            "region": frame["region"].tolist(),
            "key": frame["key"].tolist(),
            "value": frame["value"].to_numpy(dtype=np.float64),
            "text": pa.array(frame["text"].tolist(), pa.string()),
        },
    )


def inventory(world: World, sales: np.ndarray, seed: int) -> tuple[pa.Table, dict[str, np.ndarray]]:
    """Weekly stock per SKU and stock site under a base-stock policy with lead time L weeks:
    orders equal each week's sales, ``in_transit`` = the last L weeks' sales and
    ``on_hand = S − in_transit`` with ``S`` = 1.15 × the largest L-week demand + a buffer, so stock
    is never negative. Stores list their assortment (what they sold, plus the popular beauty SKUs)."""
    rng = rng_for(seed, "world", "inventory")
    sites, catalog, cal = world.sites, world.catalog, world.cal
    stock_sites = np.flatnonzero(world.stock_index >= 0)
    weeks = world.weeks
    launch_week = np.maximum(catalog.launch_day // 7, 0)
    stop_week = np.minimum(np.where(catalog.stop_day < world.days, catalog.stop_day // 7, weeks - 1), weeks - 1)
    popular = np.zeros(catalog.n, dtype=bool)
    beauty = np.flatnonzero((catalog.l1 < 3) & ~catalog.gift)
    popular[beauty[np.argsort(-catalog.popularity[beauty])[: max(1, int(0.4 * len(beauty)))]]] = True
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("site", "sku", "week", "on_hand", "reserved", "transit")}
    for site in stock_sites:
        s = world.stock_index[site]
        lead = LEAD_WEEKS[sites.kind[site]]
        demand = sales[:, s, :].astype(np.int64)  # (skus, weeks)
        listed = demand.sum(axis=1) > 0
        if sites.kind[site] == "store":
            listed |= popular
        else:
            listed |= True
        cum = np.concatenate([np.zeros((catalog.n, 1), np.int64), np.cumsum(demand, axis=1)], axis=1)
        idx = np.arange(weeks)
        rolling = cum[:, idx + 1] - cum[:, np.maximum(idx + 1 - lead, 0)]
        level = np.ceil(rolling.max(axis=1) * 1.15).astype(np.int64) + np.where(sites.kind[site] == "store", 3, 20)
        for k in np.flatnonzero(listed):
            w = np.arange(launch_week[k], stop_week[k] + 1)
            if not len(w):
                continue
            transit = rolling[k, w]
            on_hand = level[k] - transit
            reserved = np.minimum(np.round(demand[k, w] * rng.uniform(0.01, 0.06, len(w))).astype(np.int64), on_hand)
            for key, value in (
                ("site", np.full(len(w), site)),
                ("sku", np.full(len(w), k)),
                ("week", w),
                ("on_hand", on_hand),
                ("reserved", reserved),
                ("transit", transit),
            ):
                parts[key].append(value)
    cols = {k: np.concatenate(v) for k, v in parts.items()}
    snapshot = np.minimum(cols["week"] * 7 + 6, world.days - 1)
    table = canonical_table(
        "inventory_snapshots",
        {
            "source": ["wms"] * len(snapshot),
            "snapshot_date": A.dates(cal.epoch_days(snapshot)),
            "location_id": A.pick(sites.location_id, cols["site"]),
            "sku": A.pick(catalog.sku, cols["sku"]),
            "on_hand": cols["on_hand"],
            "reserved": cols["reserved"],
            "in_transit": cols["transit"],
        },
    )
    return table, cols


def marketing_spend(world: World, orders: np.ndarray, revenue: np.ndarray, acquired: np.ndarray, seed: int) -> pa.Table:
    """Daily spend per campaign with impressions, clicks and the platform's reported conversions
    (true paid acquisitions × ``marketing.over_attribution``, split by the day's spend share)."""
    rng = rng_for(seed, "world", "marketing_rows")
    mk, cal = world.marketing, world.cal
    campaign, day = np.nonzero(mk.spend > 0)
    spend = mk.spend[campaign, day]
    ch = mk.campaign_channel[campaign]
    channel_total = np.vstack([mk.spend[mk.campaign_channel == c].sum(axis=0) for c in AD_CHANNELS])
    share = spend / np.maximum(channel_total[ch, day], 1)
    impressions = np.round(spend / 100.0 / CPM[ch] * 1000 * rng.lognormal(0, 0.1, len(spend))).astype(np.int64)
    clicks = np.round(impressions * CTR[ch] * rng.lognormal(0, 0.1, len(spend))).astype(np.int64)
    conversions = np.round(acquired[ch, day] * mk.over_attribution[ch] * share).astype(np.int64)
    aov = revenue[ch, day] / np.maximum(orders[ch, day], 1)
    attributed = np.round(conversions * aov).astype(np.int64)
    return canonical_table(
        "marketing_spend",
        {
            "source": ["ads"] * len(spend),
            "spend_date": A.dates(cal.epoch_days(day)),
            "channel_id": A.pick(CHANNEL_IDS, ch),
            "campaign_id": A.pick(mk.campaign_id, campaign),
            "campaign_name": A.pick(mk.campaign_name, campaign),
            "spend": A.money(spend),
            "currency": ["CNY"] * len(spend),
            "impressions": impressions,
            "clicks": clicks,
            "conversions": conversions,
            "attributed_revenue": A.money(attributed),
        },
    )


def posts(world: World, text: TextGenerators | ModuleType, seed: int) -> tuple[pa.Table, pa.Table]:
    cal = world.cal
    offset = pd.Timedelta(hours=UTC_OFFSET_HOURS)
    start = pd.Timestamp(cal.start) - offset
    end = pd.Timestamp(cal.end) + pd.Timedelta(days=1) - offset
    incidents = pd.DataFrame(
        {
            "incident_id": [i.incident_id for i in world.plan.incidents],
            "onset_at": [
                pd.Timestamp(int(cal.to_utc_us(np.array([i.onset]))[0]), unit="us") for i in world.plan.incidents
            ],
            "aspect": [i.aspect for i in world.plan.incidents],
            "severity": [i.severity for i in world.plan.incidents],
            "platform": [i.platform for i in world.plan.incidents],
        }
    )
    volume = 20.0 + world.config.customers / 20_000
    skus = [world.catalog.sku[k] for k in world.catalog.sellable()]
    rows, truth = text.posts(
        rng_for(seed, "world", "text.posts"),
        start=start,
        end=end,
        daily_volume=volume,
        incidents=incidents,
        brand=BRAND,
        skus=skus,
        start_id=1,
    )
    return to_canonical("posts", rows), to_truth(truth)
