"""From purchase times to orders and order lines, with money that adds up.

Each purchase becomes one order on its channel. Lines: ``1 + Poisson(basket)`` (bigger baskets
during festival peaks), each a category group and SKU drawn from the choice model
(:mod:`zhongtai.demo.choice`); a repeated SKU adds to the line's quantity. Money in cents:
``unit_price`` is the shelf price; a line's discount is its promotion discount plus its share
of the order coupon (full-reduction 满减 in festivals, or the new-customer coupon); then

``line amount = quantity × unit_price − discount``, ``goods = Σ quantity × unit_price``,
``discount = Σ line discounts``, ``total = goods − discount + shipping`` and ``paid = total``
(0 for the ~2.5 % of orders never paid). Festival orders above the threshold get a free sample
line (``is_gift``, price 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.calendar import Calendar
from zhongtai.demo.people import Persons
from zhongtai.demo.purchases import Purchases
from zhongtai.demo.segments import CLUSTERS, DOUYIN, JD, MINIPROGRAM, POS, TMALL
from zhongtai.demo.world import World

__all__ = ["Lines", "Orders", "build_orders", "order_numbers"]

SHIPPING_FEE = 800
FREE_SHIPPING = 9900
ORDERS_PER_BLOCK = 10**7


@dataclass(slots=True)
class Orders:
    person: np.ndarray
    source: np.ndarray
    t: np.ndarray
    kind: np.ndarray
    number: np.ndarray  # unique across the shop
    store: np.ndarray  # site index (store, pickup store or locker), -1
    pickup: np.ndarray  # collected in a store: no shipment
    cancelled: np.ndarray
    paid_t: np.ndarray  # nan when unpaid
    goods: np.ndarray
    discount: np.ndarray
    shipping: np.ndarray
    total: np.ndarray
    paid: np.ndarray
    item_count: np.ndarray
    coupon: np.ndarray  # promotion index of the coupon used, -1
    promotion: np.ndarray  # promotion index credited to the order, -1
    first_line: np.ndarray  # index of the order's first line
    line_count: np.ndarray

    @property
    def n(self) -> int:
        return len(self.person)


@dataclass(slots=True)
class Lines:
    order: np.ndarray
    line_no: np.ndarray
    sku: np.ndarray
    quantity: np.ndarray
    unit_price: np.ndarray
    discount: np.ndarray
    amount: np.ndarray
    gift: np.ndarray
    group: np.ndarray

    @property
    def n(self) -> int:
        return len(self.order)


def order_numbers(block: int, count: int) -> np.ndarray:
    return block * ORDERS_PER_BLOCK + np.arange(count, dtype=np.int64)


def _allocate(total: np.ndarray, weight: np.ndarray, owner: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Split ``total[owner]`` over rows by ``weight`` in whole cents; remainders go to each owner's first row."""
    owner_weight = np.bincount(owner, weights=weight, minlength=len(total))
    share = np.where(owner_weight[owner] > 0, weight / np.where(owner_weight[owner] > 0, owner_weight[owner], 1), 0)
    part = np.floor(total[owner] * share).astype(np.int64)
    remainder = total - np.bincount(owner, weights=part, minlength=len(total)).astype(np.int64)
    part[first] += remainder
    return np.asarray(part)


def build_orders(
    world: World, persons: Persons, purchases: Purchases, block: int, rng: np.random.Generator
) -> tuple[Orders, Lines]:
    cal: Calendar = world.cal
    pricing, catalog = world.pricing, world.catalog
    n = len(purchases.person)
    person, source, t = purchases.person, purchases.source, purchases.t
    day = np.clip(np.floor(t).astype(np.int64), 0, world.days - 1)
    cluster = persons.cluster[person]
    festive = cal.festival_factor[day] > 1.2
    basket = np.array([c.basket for c in CLUSTERS])[cluster] * np.where(festive, 1.35, 1.0)
    n_lines = np.minimum(1 + rng.poisson(basket), 5)
    order = np.repeat(np.arange(n), n_lines)
    o_day = day[order]
    group = world.choice.groups_for(rng, cluster[order], persons.city[person][order], o_day)
    sku = world.choice.skus_for(rng, cluster[order], o_day, group)
    # one line per SKU: a repeated SKU adds to the quantity of its first line
    key = order * catalog.n + sku
    _, first_pos, dup = np.unique(key, return_index=True, return_counts=True)
    order, sku, group = order[first_pos], sku[first_pos], group[first_pos]
    hunter = (cluster[order] == 1) & festive[order]
    u = rng.random(len(order))
    quantity = 1 + (u < np.where(hunter, 0.4, 0.13)) + (u < np.where(hunter, 0.1, 0.03)) + (dup - 1)
    l_day = day[order]
    unit = pricing.shelf_cents(catalog.price, l_day, sku)
    rate = pricing.rate[l_day, sku]
    gross = quantity * unit
    promo_discount = np.round(gross * rate).astype(np.int64)
    counts = np.bincount(order, minlength=n)
    first_line = np.cumsum(counts) - counts
    goods = np.bincount(order, weights=gross, minlength=n).astype(np.int64)
    after_promo = goods - np.bincount(order, weights=promo_discount, minlength=n).astype(np.int64)
    # coupons: festival full reduction on the channel, else the new-customer coupon on a first order
    coupon = pricing.coupon[source, day]
    threshold = np.array([p.threshold or 0 for p in pricing.promotions] + [0])[coupon]
    reduction = np.array([p.reduction or 0 for p in pricing.promotions] + [0])[coupon]
    use = (coupon >= 0) & (after_promo >= threshold) & (rng.random(n) < 0.75)
    first_on_account = _first_on_account(person, source)
    newcomer = ~use & first_on_account & (after_promo >= 9900) & (rng.random(n) < 0.5) & (source != POS)
    coupon_promo = np.where(use, coupon, np.where(newcomer, pricing.newcomer[source], -1))
    coupon_value = np.where(use, reduction, np.where(newcomer, 2000, 0)).astype(np.int64)
    allocated = _allocate(coupon_value, (gross - promo_discount).astype(np.float64), order, first_line)
    line_discount = promo_discount + allocated
    amount = gross - line_discount
    net = goods - np.bincount(order, weights=line_discount, minlength=n).astype(np.int64)
    # free sample with large festival orders
    gift_promo = pricing.gift[day]
    gets_gift = (gift_promo >= 0) & (net >= 30000) & (rng.random(n) < 0.8)
    gift_skus = np.flatnonzero(catalog.gift)
    g_orders = np.flatnonzero(gets_gift)
    order = np.concatenate([order, g_orders])
    sku = np.concatenate([sku, gift_skus[rng.integers(0, len(gift_skus), len(g_orders))]])
    group = np.concatenate([group, np.full(len(g_orders), -1)])
    quantity = np.concatenate([quantity, np.ones(len(g_orders), dtype=np.int64)])
    unit = np.concatenate([unit, np.zeros(len(g_orders), dtype=np.int64)])
    line_discount = np.concatenate([line_discount, np.zeros(len(g_orders), dtype=np.int64)])
    amount = np.concatenate([amount, np.zeros(len(g_orders), dtype=np.int64)])
    gift = np.concatenate([np.zeros(len(order) - len(g_orders), bool), np.ones(len(g_orders), bool)])
    sort = np.lexsort((gift, np.arange(len(order)), order))
    order, sku, group, quantity, unit, line_discount, amount, gift = (
        a[sort] for a in (order, sku, group, quantity, unit, line_discount, amount, gift)
    )
    counts = np.bincount(order, minlength=n)
    first_line = np.cumsum(counts) - counts
    line_no = np.arange(len(order)) - first_line[order] + 1
    # where the order is fulfilled
    store = np.full(n, -1, dtype=np.int64)
    pickup = np.zeros(n, dtype=bool)
    at_store = source == POS
    store[at_store] = persons.store[person[at_store]]
    pickup[at_store] = True
    home_store = persons.store[person]
    collect = (source == MINIPROGRAM) & (home_store >= 0) & (rng.random(n) < 0.08)
    store[collect], pickup[collect] = home_store[collect], True
    locker = persons.locker[person]
    to_locker = (source != POS) & ~collect & (locker >= 0) & (rng.random(n) < 0.05)
    store[to_locker] = locker[to_locker]
    shipping = np.where((source != POS) & ~pickup & (net < FREE_SHIPPING), SHIPPING_FEE, 0).astype(np.int64)
    total = net + shipping
    cancelled = (rng.random(n) < 0.025) & (source != POS)
    delay = np.exp(rng.normal(np.log(90.0), 1.0, n)) / 86_400.0
    paid_t = np.where(cancelled, np.nan, np.where(source == POS, t, np.minimum(t + delay, world.days - 1e-6)))
    paid = np.where(cancelled, 0, total).astype(np.int64)
    line_promo = np.where(gift, -1, pricing.promo[day[order], sku])
    credited = np.full(n, -1, dtype=np.int64)
    has_line_promo = np.flatnonzero(line_promo >= 0)
    credited[order[has_line_promo[::-1]]] = line_promo[has_line_promo[::-1]]  # the first promoted line wins
    credited = np.where(
        credited >= 0, credited, np.where(coupon_promo >= 0, coupon_promo, np.where(gets_gift, gift_promo, -1))
    )
    item_count = np.bincount(order, weights=quantity, minlength=n).astype(np.int64)
    orders = Orders(
        person,
        source,
        t,
        purchases.kind,
        order_numbers(block, n),
        store,
        pickup,
        cancelled,
        paid_t,
        goods,
        goods - net,
        shipping,
        total,
        paid,
        item_count,
        coupon_promo,
        credited,
        first_line,
        counts,
    )
    lines = Lines(order, line_no, sku, quantity, unit, line_discount, amount, gift, group)
    return orders, lines


def _first_on_account(person: np.ndarray, source: np.ndarray) -> np.ndarray:
    """True for the first order of each (person, source) (purchases are sorted by person, time)."""
    key = person.astype(np.int64) * 8 + source
    _, first = np.unique(key, return_index=True)
    out = np.zeros(len(person), dtype=bool)
    out[first] = True
    return out


ORDER_ID_FORMATS: dict[int, tuple[str, int, int, int]] = {
    # source: (prefix, digits, base, modulus of the scramble)
    TMALL: ("", 19, 2_500_000_000_000_000_000, 10**15),
    JD: ("", 12, 200_000_000_000, 10**11),
    DOUYIN: ("", 19, 6_900_000_000_000_000_000, 10**15),
    MINIPROGRAM: ("WX", 16, 2_000_000_000_000_000, 10**14),
    POS: ("PS", 14, 10_000_000_000_000, 10**12),
}
"""Order-number shapes as the platforms print them (Tmall/Douyin 19 digits, JD 12)."""
