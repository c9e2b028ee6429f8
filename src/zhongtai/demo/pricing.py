"""Shelf prices over time and the promotion calendar.

Each SKU's shelf price is its list price times a level that changes at random times (a Poisson
process, one change per ~120 days on average, levels 0.85–1.05). Promotions: a discount per
festival window and category, two-day flash sales on single SKUs, per-channel full-reduction
coupons (满减) during festivals, a new-customer coupon per channel, and a free sample (小样) with
festival orders above a threshold. The net price a buyer pays drives demand through the
seed's price elasticities (:mod:`zhongtai.demo.choice`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from zhongtai.demo.calendar import Calendar
from zhongtai.demo.catalog import CATEGORY_L1, Catalog
from zhongtai.demo.segments import CHANNEL_NAMES, SOURCES

__all__ = ["Pricing", "Promotion", "build_pricing"]

DEEP = {"double11": (0.2, 0.3), "618": (0.15, 0.25), "double12": (0.1, 0.15), "spring_festival": (0.1, 0.2),
        "womens_day": (0.1, 0.2)}  # fmt: skip
FESTIVAL_COUPONS = ((29900, 4000), (39900, 6000), (19900, 2000), (59900, 10000))


@dataclass(slots=True)
class Promotion:
    promotion_id: str
    name: str
    kind: str
    festival: str
    source: int  # index into SOURCES, -1 for every channel
    start: float  # day (local, inclusive)
    end: float  # day (local, exclusive)
    discount_rate: float | None = None
    threshold: int | None = None  # cents
    reduction: int | None = None  # cents
    sku: int = -1
    category: str | None = None


@dataclass(slots=True)
class Pricing:
    level: np.ndarray  # (days, skus) shelf price ÷ list price
    rate: np.ndarray  # (days, skus) promotion discount rate
    promo: np.ndarray  # (days, skus) promotion giving the rate, -1 none
    coupon: np.ndarray  # (sources, days) festival coupon promotion, -1 none
    newcomer: np.ndarray  # (sources,) new-customer coupon promotion
    gift: np.ndarray  # (days,) free-sample promotion, -1 none
    promotions: list[Promotion] = field(default_factory=list)

    def shelf_cents(self, list_price: np.ndarray, day: np.ndarray, sku: np.ndarray) -> np.ndarray:
        """Shelf price in cents, rounded to whole yuan."""
        return np.asarray(np.round(list_price[sku] * self.level[day, sku] / 100.0) * 100, dtype=np.int64)

    def net_ratio(self) -> np.ndarray:
        """(days, skus) net price ÷ list price."""
        return self.level * (1.0 - self.rate)

    def price_drop_within(self, days: int = 7, depth: float = 0.08) -> np.ndarray:
        """(days, skus): the net price falls by more than ``depth`` within the next ``days`` days."""
        net = self.net_ratio()
        ahead = np.full_like(net, np.inf)
        for k in range(1, days + 1):
            ahead[:-k] = np.minimum(ahead[:-k], net[k:])
        return ahead < net * (1.0 - depth)


def _levels(rng: np.random.Generator, days: int, skus: int) -> np.ndarray:
    level = np.ones((days, skus), dtype=np.float32)
    choices = np.array([0.85, 0.9, 0.95, 1.0, 1.0, 1.0, 1.05], dtype=np.float32)
    for k in range(skus):
        day = int(rng.exponential(120))
        current = 1.0
        while day < days:
            current = float(rng.choice(choices))
            nxt = day + int(rng.exponential(120)) + 14
            level[day:nxt, k] = current
            day = nxt
    return level


def build_pricing(rng: np.random.Generator, cal: Calendar, catalog: Catalog) -> Pricing:
    days, skus = cal.days, catalog.n
    level = _levels(rng, days, skus)
    level[:, catalog.gift] = 1.0
    rate = np.zeros((days, skus), dtype=np.float32)
    promo = np.full((days, skus), -1, dtype=np.int32)
    coupon = np.full((len(SOURCES), days), -1, dtype=np.int32)
    gift = np.full(days, -1, dtype=np.int32)
    promotions: list[Promotion] = []

    def add(p: Promotion) -> int:
        promotions.append(p)
        return len(promotions) - 1

    def pid() -> str:
        return f"PR{len(promotions) + 1:05d}"

    for fest in cal.festivals:
        lo, hi = max(fest.start, 0), min(fest.end, days - 1)
        low, high = DEEP.get(fest.code, (0.1, 0.15))
        for l1, category in enumerate(CATEGORY_L1):
            depth = round(float(rng.uniform(low, high)) * 20) / 20
            index = add(
                Promotion(
                    pid(),
                    f"{fest.name_zh}·{category}{round((1 - depth) * 10, 1):g}折",
                    "discount",
                    fest.code,
                    -1,
                    float(fest.start),
                    float(fest.end + 1),
                    discount_rate=depth,
                    category=category,
                )
            )
            in_scope = (catalog.l1 == l1) & ~catalog.gift
            rate[lo : hi + 1, in_scope] = depth
            promo[lo : hi + 1, in_scope] = index
        threshold, reduction = FESTIVAL_COUPONS[int(rng.integers(len(FESTIVAL_COUPONS)))]
        for s, source in enumerate(SOURCES):
            if source == "pos" and fest.code not in ("double11", "spring_festival"):
                continue
            index = add(
                Promotion(
                    pid(),
                    f"{fest.name_zh}·{CHANNEL_NAMES[s]}满{threshold // 100}减{reduction // 100}",
                    "full_reduction",
                    fest.code,
                    s,
                    float(fest.start),
                    float(fest.end + 1),
                    threshold=threshold,
                    reduction=reduction,
                )
            )
            coupon[s, lo : hi + 1] = index
        index = add(
            Promotion(
                pid(),
                f"{fest.name_zh}·满300赠小样",
                "gift",
                fest.code,
                -1,
                float(fest.start),
                float(fest.end + 1),
                threshold=30000,
            )
        )
        gift[lo : hi + 1] = index
    sellable = catalog.sellable()
    day = int(rng.integers(3, 12))
    while day < days - 2:
        if rate[day, 0] == 0 and rate[day + 1, 0] == 0:
            k = int(rng.choice(sellable))
            depth = round(float(rng.uniform(0.3, 0.45)) * 20) / 20
            index = add(
                Promotion(
                    pid(),
                    f"限时秒杀·{catalog.name[k]}",
                    "flash_sale",
                    "other",
                    -1,
                    float(day),
                    float(day + 2),
                    discount_rate=depth,
                    sku=k,
                )
            )
            rate[day : day + 2, k] = np.maximum(rate[day : day + 2, k], depth)
            promo[day : day + 2, k] = index
        day += int(rng.integers(6, 14))
    newcomer = np.array([
        add(Promotion(pid(), f"{CHANNEL_NAMES[s]}新人券 满99减20", "coupon", "other", s, 0.0, float(days),
                      threshold=9900, reduction=2000))
        for s in range(len(SOURCES))
    ], dtype=np.int32)  # fmt: skip
    return Pricing(level, rate, promo, coupon, newcomer, gift, promotions)
