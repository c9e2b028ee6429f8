"""Shipping, problems with orders, refunds and order status.

Online orders ship from the nearest warehouse: handling time is log-normal (~0.6 day), 2.5×
longer on festival peaks, and held over 春节 until couriers return; transit grows with distance
and storms add days in their city (a real cause behind 物流 complaints). Each order gets at most
one planted problem (``issue``), in priority order: 成分/安全 or 质量 for SKUs caught in a
public-opinion incident, 物流 (late or lost), 尺码 for apparel, 包装 (damaged), 价格 (a price drop
within a week, i.e. 价保), and later 售后 when a refund drags on. Problems drive refunds, and
through :mod:`zhongtai.demo.feedback` reviews, service conversations and NPS answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.catalog import Catalog
from zhongtai.demo.orders import Lines, Orders
from zhongtai.demo.people import Persons
from zhongtai.demo.segments import POS
from zhongtai.demo.world import World

__all__ = ["CARRIERS", "ISSUES", "REASONS", "REASON_CODES", "STATUS", "Fulfilment", "Refunds", "fulfil"]

ISSUES = ("", "logistics", "quality", "size", "safety", "packaging", "price", "service", "after_sales")
NONE, LOGISTICS, QUALITY, SIZE, SAFETY, PACKAGING, PRICE, SERVICE, AFTER_SALES = range(len(ISSUES))
CARRIERS = (("顺丰速运", "SF", 13), ("中通快递", "ZT", 12), ("圆通速递", "YT", 13), ("韵达快递", "YD", 13),
            ("申通快递", "ST", 12), ("京东物流", "JD", 13))  # fmt: skip
CARRIER_MIX = {  # source -> weights over CARRIERS
    0: (0.15, 0.3, 0.25, 0.2, 0.1, 0.0), 1: (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), 2: (0.1, 0.35, 0.25, 0.2, 0.1, 0.0),
    3: (0.6, 0.4, 0.0, 0.0, 0.0, 0.0),
}  # fmt: skip
REASON_CODES = ("quality", "size", "logistics", "changed_mind", "cancelled", "other")
REASON_TEXTS: dict[tuple[str, str], tuple[str, ...]] = {  # (reason code, issue) -> what buyers write
    ("quality", "quality"): ("商品质量问题", "收到商品有瑕疵", "商品漏液", "质量问题,要求退货"),
    ("quality", "safety"): ("使用后过敏泛红", "用了脸上刺痛起疹子", "成分导致过敏"),
    ("size", "size"): ("尺码不合适", "尺码偏小", "尺码偏大", "穿着不合身"),
    ("logistics", "logistics"): ("未收到货", "快递丢件", "物流显示签收但没收到"),
    ("changed_mind", ""): ("七天无理由退货", "不喜欢/效果不好", "颜色不喜欢", "买多了"),
    ("cancelled", ""): ("拍错了/不想要了", "地址填错", "重复下单", "不想等了"),
    ("other", "packaging"): ("包装破损补偿", "外盒压坏补偿"),
    ("other", "price"): ("价保退差价", "降价了申请价保"),
    ("other", "logistics"): ("物流延误补偿", "快递太慢补偿"),
}  # fmt: skip
REASONS = REASON_TEXTS


@dataclass(slots=True)
class Refunds:
    order: np.ndarray  # order index
    line: np.ndarray  # line index
    refund_no: np.ndarray  # refund number (one per order)
    line_no: np.ndarray
    quantity: np.ndarray  # 0 for a money-only compensation
    amount: np.ndarray
    reason_code: np.ndarray  # index into REASON_CODES
    issue: np.ndarray  # the order's problem (index into ISSUES), chooses the reason text
    requested: np.ndarray
    refunded: np.ndarray  # nan until refunded
    status: np.ndarray  # 0 requested, 1 approved, 2 rejected, 3 completed


@dataclass(slots=True)
class Fulfilment:
    shipped: np.ndarray  # per order: has a shipment
    warehouse: np.ndarray  # site index
    carrier: np.ndarray
    shipped_t: np.ndarray
    delivered_t: np.ndarray  # nan: not (yet) delivered
    lost: np.ndarray
    issue: np.ndarray  # per order, index into ISSUES
    status: np.ndarray  # per order: index into ORDER_STATUSES
    completed_t: np.ndarray  # when the order was done (delivered / collected), nan otherwise
    refunds: Refunds


STATUS = ("created", "paid", "shipped", "completed", "cancelled", "closed", "refunded")


def _cny_hold(world: World, paid_day: np.ndarray) -> np.ndarray:
    """Day shipping resumes for orders paid while couriers stop for 春节 (nan otherwise)."""
    out = np.full(len(paid_day), np.nan)
    for cny in world.cal.cny_days:
        held = (paid_day >= cny - 7) & (paid_day <= cny + 6)
        out[held] = cny + 7
    return out


def _order_has(lines: Lines, n_orders: int, mask: np.ndarray) -> np.ndarray:
    return np.bincount(lines.order[mask], minlength=n_orders) > 0


def fulfil(world: World, persons: Persons, orders: Orders, lines: Lines, rng: np.random.Generator) -> Fulfilment:
    n = orders.n
    days = float(world.days)
    catalog: Catalog = world.catalog
    city = persons.city[orders.person]
    paid_day = np.floor(np.nan_to_num(orders.paid_t, nan=0.0)).astype(np.int64)
    # pre-shipment cancellations of paid online orders
    online = (orders.source != POS) & ~orders.pickup & ~orders.cancelled
    recall = online & (rng.random(n) < 0.01)
    ships = online & ~recall
    festive = world.cal.festival_factor[np.clip(paid_day, 0, world.days - 1)] >= 2.0
    handling = np.exp(rng.normal(np.log(0.6), 0.5, n)) * np.where(festive, 2.5, 1.0)
    shipped_t = np.nan_to_num(orders.paid_t) + handling
    hold = _cny_hold(world, paid_day)
    held = ships & ~np.isnan(hold)
    shipped_t[held] = hold[held] + rng.uniform(0.1, 1.5, int(held.sum()))
    carrier = np.zeros(n, dtype=np.int64)
    for source, mix in CARRIER_MIX.items():
        m = orders.source == source
        carrier[m] = rng.choice(len(CARRIERS), int(m.sum()), p=np.array(mix) / sum(mix))
    speed = np.where(carrier == 0, 0.8, np.where(carrier == 5, 0.7, 1.0))
    transit = (0.8 + world.distance_km[city] / 900.0) * speed * np.exp(rng.normal(0, 0.35, n)) + 0.5 * festive
    stormy = np.zeros(n, dtype=bool)
    ship_day = np.floor(shipped_t).astype(np.int64)
    for storm_city, first, last, extra in world.plan.storms:
        hit = ships & (city == storm_city) & (ship_day >= first - 1) & (ship_day < last)
        transit[hit] += extra
        stormy |= hit
    delivered_t = shipped_t + transit
    lost = ships & (rng.random(n) < 0.001)
    ships &= shipped_t < days
    delivered_t = np.where(ships & ~lost & (delivered_t < days), delivered_t, np.nan)
    shipped_t = np.where(ships, shipped_t, np.nan)
    # problems, most serious first
    issue = np.zeros(n, dtype=np.int64)
    order_day = np.floor(orders.t).astype(np.int64)
    price_drop = world.price_drop_soon[order_day[lines.order], lines.sku] & ~lines.gift
    candidates = [
        (PRICE, _order_has(lines, n, price_drop) & (rng.random(n) < 0.25)),
        (PACKAGING, ships & (rng.random(n) < 0.012)),
        (SIZE, _order_has(lines, n, catalog.l1[lines.sku] == 3) & (rng.random(n) < 0.10)),
        (LOGISTICS, lost | (ships & ((delivered_t - orders.t > 5.0) | (stormy & (rng.random(n) < 0.6))))),
    ]
    for inc in world.plan.incidents:
        if inc.sku < 0:
            continue
        with_sku = _order_has(lines, n, lines.sku == inc.sku)
        window = (orders.t >= inc.issue_start) & (orders.t < inc.issue_end)
        code = SAFETY if inc.aspect == "safety" else QUALITY
        candidates.append((code, with_sku & window & ~orders.cancelled & (rng.random(n) < inc.issue_probability)))
    for code, mask in candidates:  # later entries overwrite: the most serious wins
        issue[mask & ~orders.cancelled] = code
    issue[(orders.source == POS) & ~np.isin(issue, (QUALITY, SAFETY, SIZE, PRICE))] = NONE
    refunds = _refunds(world, orders, lines, rng, issue, recall, lost, shipped_t, delivered_t)
    slow = refunds.status == 3
    slow &= (refunds.refunded - refunds.requested) > 7.0
    drag = np.zeros(n, dtype=bool)
    drag[refunds.order[slow]] = True
    issue[drag & (issue == NONE)] = AFTER_SALES
    status, completed_t = _statuses(world, orders, lines, refunds, recall, ships, delivered_t, rng)
    return Fulfilment(
        ships, world.nearest_warehouse[city], carrier, shipped_t, delivered_t, lost, issue, status, completed_t, refunds
    )


def _refunds(
    world: World,
    orders: Orders,
    lines: Lines,
    rng: np.random.Generator,
    issue: np.ndarray,
    recall: np.ndarray,
    lost: np.ndarray,
    shipped_t: np.ndarray,
    delivered_t: np.ndarray,
) -> Refunds:
    n = orders.n
    days = float(world.days)
    apparel_line = world.catalog.l1[lines.sku] == 3
    u = rng.random(n)
    full_prob = np.select([issue == SAFETY, issue == QUALITY, issue == SIZE, lost], [0.75, 0.55, 0.65, 1.0], 0.0)
    partial_prob = np.select([issue == PACKAGING, issue == PRICE, issue == LOGISTICS], [0.35, 0.5, 0.08], 0.0)
    apparel_order = _order_has(lines, n, apparel_line)
    mind = (issue == NONE) & (rng.random(n) < np.where(apparel_order, 0.05, 0.015)) & ~orders.cancelled
    full = (u < full_prob) | mind | recall
    partial = ~full & (u < full_prob + partial_prob)
    code_of = {"quality": 0, "size": 1, "logistics": 2, "changed_mind": 3, "cancelled": 4, "other": 5}
    code = np.select(
        [recall, lost, issue == SAFETY, issue == QUALITY, issue == SIZE, mind, partial],
        [
            code_of["cancelled"],
            code_of["logistics"],
            code_of["quality"],
            code_of["quality"],
            code_of["size"],
            code_of["changed_mind"],
            code_of["other"],
        ],
        -1,
    )
    base = np.where(
        np.isnan(delivered_t),
        np.where(np.isnan(shipped_t), np.nan_to_num(orders.paid_t) + 0.02, shipped_t + 7.0),
        delivered_t,
    )
    requested = np.where(
        recall, np.nan_to_num(orders.paid_t) + rng.uniform(0.01, 0.4, n), base + rng.uniform(0.2, 6.0, n)
    )
    refunding = (full | partial) & (requested < days - 0.01)
    # which lines: every sellable line (recall, lost, change of mind on beauty), apparel lines (size),
    # the first line (quality, safety, compensations)
    line_order = lines.order
    take = refunding[line_order] & ~lines.gift
    whole = recall | lost
    only_apparel = (issue == SIZE) | (mind & apparel_order)
    first_only = ~whole & ~only_apparel
    take &= np.where(only_apparel[line_order], apparel_line, True)
    first_sellable = np.full(n, -1, dtype=np.int64)
    sellable_idx = np.flatnonzero(~lines.gift)
    first_sellable[line_order[sellable_idx[::-1]]] = sellable_idx[::-1]
    take &= np.where(first_only[line_order] & ~mind[line_order], np.arange(lines.n) == first_sellable[line_order], True)
    idx = np.flatnonzero(take)
    o = line_order[idx]
    quantity = np.where(partial[o], 0, lines.quantity[idx])
    share = rng.uniform(0.1, 0.3, len(idx))
    amount = np.where(partial[o], np.maximum(np.round(lines.amount[idx] * share), 100), lines.amount[idx])
    amount = np.minimum(amount, lines.amount[idx]).astype(np.int64)
    keep = amount > 0
    idx, o, quantity, amount = idx[keep], o[keep], quantity[keep], amount[keep]
    counts = np.bincount(o, minlength=n)
    line_no = np.arange(len(o)) - (np.cumsum(counts) - counts)[o] + 1
    slow = rng.random(n) < 0.07
    wait = np.where(slow, rng.uniform(10, 25, n), np.exp(rng.normal(np.log(1.2), 0.6, n)))
    refunded_t = requested + wait
    rejected = (rng.random(n) < 0.04) & ~recall & ~lost
    status = np.where(rejected, 2, np.where(refunded_t < days, 3, 1))
    refunded = np.where(status == 3, refunded_t, np.nan)
    return Refunds(
        o, idx, orders.number[o], line_no, quantity, amount, code[o], issue[o], requested[o], refunded[o], status[o]
    )


def _statuses(
    world: World,
    orders: Orders,
    lines: Lines,
    refunds: Refunds,
    recall: np.ndarray,
    ships: np.ndarray,
    delivered_t: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    n = orders.n
    days = float(world.days)
    done = refunds.status == 3
    refunded_amount = np.bincount(refunds.order[done], weights=refunds.amount[done], minlength=n)
    sellable_amount = np.bincount(lines.order, weights=np.where(lines.gift, 0, lines.amount), minlength=n)
    fully = (refunded_amount >= sellable_amount) & (refunded_amount > 0)
    collected = np.where(
        orders.pickup,
        np.nan_to_num(orders.paid_t) + np.where(orders.source == POS, 0.0, rng.uniform(0.3, 3.0, n)),
        np.nan,
    )
    completed_t = np.where(orders.pickup, collected, delivered_t + 7.0)
    completed_t = np.where(completed_t < days, completed_t, np.nan)
    status = np.full(n, STATUS.index("paid"))
    status[ships] = STATUS.index("shipped")
    status[~np.isnan(completed_t)] = STATUS.index("completed")
    status[fully] = STATUS.index("refunded")
    status[orders.cancelled] = STATUS.index("cancelled")
    status[recall & ~fully] = STATUS.index("closed")
    return status, completed_t
