"""Behaviour events: browsing visits and the funnels of purchases.

A browsing visit is a short sequence — login, page views (home, then product pages), search,
favourite, add to cart, remove from cart, coupon claim, share — each step present with its own
probability. A converting visit ends at the order: page views, search, one add-to-cart per line,
checkout, coupon use when the order used one, and ``purchase`` carrying the order id at the
order's exact time. Steps are 10 s … a few minutes apart. Churn precursors: searching falls with
the visit rate (``churn.search_floor``), searches turn to competitors, and churners who clear
their cart remove items in the last weeks. ``received_at`` lags seconds, except the planted
delayed load: one channel's events arrive ``anomaly.delay_hours`` late for a few days. A few
events are exported twice (exact duplicates), as SDKs do; ingest quarantines them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.catalog import Catalog
from zhongtai.demo.experiments import Exposures
from zhongtai.demo.orders import Lines, Orders
from zhongtai.demo.people import Persons
from zhongtai.demo.plan import COMPETITORS
from zhongtai.demo.purchases import Lifetimes
from zhongtai.demo.sessions import Sessions
from zhongtai.demo.world import World

__all__ = ["EVENT_STEPS", "Events", "build_events"]

EVENT_STEPS = ("login", "page_view", "search", "page_view", "favorite", "add_to_cart", "remove_from_cart",
               "coupon_claim", "share", "checkout", "coupon_use", "purchase")  # fmt: skip
LOGIN, HOME, SEARCH, PDP, FAVORITE, CART, UNCART, CLAIM, SHARE, CHECKOUT, COUPON_USE, PURCHASE = range(12)
PAGES = ("login", "home", "search", "pdp", "pdp", "pdp", "cart", "coupon_center", "pdp", "checkout", "checkout",
         "pay_success")  # fmt: skip
DUPLICATE_RATE = 0.0005
QUERY_TEMPLATES = (
    "{l3}",
    "{l3} 推荐",
    "青禾{l3}",
    "{l3} 敏感肌",
    "{l3} 学生党",
    "{l3} 平价",
    "{l3} 好用吗",
    "{l3} 正品",
)
COMPETITOR_TEMPLATES = ("{c}{l3}", "{c}和青禾哪个好", "{l3} 平替", "{c} 官方旗舰店")


@dataclass(slots=True)
class Events:
    person: np.ndarray
    source: np.ndarray
    session: np.ndarray  # session number (unique in the shop)
    step: np.ndarray  # index into EVENT_STEPS
    t: np.ndarray
    received: np.ndarray  # day the event reached the warehouse
    sku: np.ndarray  # -1 none
    order: np.ndarray  # order index for purchase and checkout, -1
    query: np.ndarray  # object array of search words ('' none)
    exposure: np.ndarray  # index into Exposures for the exposure page view, -1
    coupon: np.ndarray  # promotion index for coupon events, -1
    number: np.ndarray  # event number (unique in the shop; an exported duplicate repeats it)
    visit: np.ndarray  # index of the visit (browsing visits first, then purchase visits)
    duplicated: int


def _queries(rng: np.random.Generator, catalog: Catalog, sku: np.ndarray, competitor: np.ndarray) -> np.ndarray:
    l3 = np.array(catalog.l3, dtype=object)[sku]
    plain = np.array(QUERY_TEMPLATES, dtype=object)[rng.integers(0, len(QUERY_TEMPLATES), len(sku))]
    rival = np.array(COMPETITOR_TEMPLATES, dtype=object)[rng.integers(0, len(COMPETITOR_TEMPLATES), len(sku))]
    who = np.array([c[0] for c in COMPETITORS], dtype=object)[rng.integers(0, len(COMPETITORS), len(sku))]
    out = np.empty(len(sku), dtype=object)
    for i in range(len(sku)):
        template = rival[i] if competitor[i] else plain[i]
        out[i] = template.format(l3=l3[i], c=who[i])
    return out


def build_events(
    world: World,
    persons: Persons,
    life: Lifetimes,
    sessions: Sessions,
    exposures: Exposures,
    orders: Orders,
    lines: Lines,
    block: int,
    rng: np.random.Generator,
) -> Events:
    params, catalog = world.params, world.catalog
    # converting visits: orders on tracked channels while the account allows analytics
    tracked = persons.analytics[orders.person, orders.source]
    tracked &= orders.t >= persons.registered[orders.person, orders.source]
    tracked &= orders.t < persons.analytics_until[orders.person, orders.source]
    buy = np.flatnonzero(tracked)
    nb, nv = len(buy), len(sessions.t)
    steps = np.zeros((nv + nb, len(EVENT_STEPS)), dtype=np.int64)
    festive = world.cal.festival_factor[np.floor(sessions.t).astype(np.int64)] > 1.2
    search_p = 0.45 * np.where(sessions.precursor >= 0, 1 - (1 - params["churn.search_floor"]) * sessions.precursor, 1)
    steps[:nv, LOGIN] = rng.random(nv) < 0.1
    steps[:nv, HOME] = 1
    steps[:nv, SEARCH] = rng.random(nv) < search_p
    steps[:nv, PDP] = rng.geometric(0.45, nv) - 1 + steps[:nv, SEARCH]
    steps[:nv, FAVORITE] = rng.random(nv) < 0.06
    steps[:nv, CART] = rng.random(nv) < 0.18
    clearing = (sessions.precursor > 0.6) & life.cart_clear[sessions.person]
    steps[:nv, UNCART] = np.where(clearing & (rng.random(nv) < 0.7), rng.integers(1, 4, nv), rng.random(nv) < 0.04)
    steps[:nv, CLAIM] = rng.random(nv) < np.where(festive, 0.3, 0.08)
    steps[:nv, SHARE] = rng.random(nv) < 0.02
    sellable_lines = np.bincount(lines.order[~lines.gift], minlength=orders.n)[buy]
    steps[nv:, HOME] = 1
    steps[nv:, SEARCH] = rng.random(nb) < 0.5
    steps[nv:, PDP] = 1 + rng.geometric(0.5, nb) - 1
    steps[nv:, CART] = np.minimum(sellable_lines, 4)
    steps[nv:, CLAIM] = (orders.coupon[buy] >= 0) & (rng.random(nb) < 0.5)
    steps[nv:, CHECKOUT] = 1
    steps[nv:, COUPON_USE] = orders.coupon[buy] >= 0
    steps[nv:, PURCHASE] = 1
    count = steps.sum(axis=1)
    visit = np.repeat(np.arange(nv + nb), count)
    offset = np.cumsum(count) - count
    rank = np.arange(len(visit)) - offset[visit]
    cum = np.cumsum(steps, axis=1)
    step = (rank[:, None] >= cum[visit]).sum(axis=1)
    gap = rng.exponential(45.0, len(visit)) / 86_400.0 + 5 / 86_400
    gap[rank == 0] = 0.0
    elapsed = np.cumsum(gap)
    elapsed -= elapsed[offset][visit]
    last = offset + count - 1
    duration = elapsed[last]
    start = np.concatenate([sessions.t, orders.t[buy] - duration[nv:]])
    t = start[visit] + elapsed
    final = np.flatnonzero((visit >= nv) & (step == PURCHASE))
    t[final] = orders.t[buy[visit[final] - nv]]  # exactly the order's time (no rounding drift)
    person = np.concatenate([sessions.person, orders.person[buy]])[visit]
    source = np.concatenate([sessions.source, orders.source[buy]])[visit]
    is_buy = visit >= nv
    order = np.where(is_buy, buy[np.maximum(visit - nv, 0)], -1)
    # products: browsing looks at what the person's cluster buys today; funnels at the order's lines
    day = np.clip(np.floor(t).astype(np.int64), 0, world.days - 1)
    # browsing looks at two products per visit, drawn like purchases (cluster, city, day)
    v_person = np.concatenate([sessions.person, orders.person[buy]])
    v_day = np.clip(np.floor(start).astype(np.int64), 0, world.days - 1)
    v_cluster = persons.cluster[v_person]
    choices = []
    for _ in range(2):
        group = world.choice.groups_for(rng, v_cluster, persons.city[v_person], v_day)
        choices.append(world.choice.skus_for(rng, v_cluster, v_day, group))
    sku = np.where(rng.random(len(t)) < 0.7, choices[0][visit], choices[1][visit])
    line_pick = orders.first_line[np.maximum(order, 0)] + np.minimum(
        np.maximum(rank - steps[visit, :CART].sum(axis=1), 0),
        np.maximum(orders.line_count[np.maximum(order, 0)] - 1, 0),
    )
    line_pick = np.where(np.isin(step, (CHECKOUT, PURCHASE)), orders.first_line[np.maximum(order, 0)], line_pick)
    sku = np.where(is_buy, lines.sku[np.clip(line_pick, 0, max(lines.n - 1, 0))], sku)
    sku = np.where(np.isin(step, (LOGIN, HOME, CLAIM, COUPON_USE)), -1, sku)
    keep_order = is_buy & np.isin(step, (CHECKOUT, PURCHASE))
    order = np.where(keep_order, order, -1)
    precursor = np.concatenate([sessions.precursor, np.full(nb, -1.0)])[visit]
    rival = (precursor >= 0) & (rng.random(len(t)) < 0.35)
    query = np.full(len(t), "", dtype=object)
    searching = step == SEARCH
    query[searching] = _queries(rng, catalog, np.maximum(sku[searching], 0), rival[searching])
    coupon = np.full(len(t), -1, dtype=np.int64)
    uses = is_buy & np.isin(step, (CLAIM, COUPON_USE))
    coupon[uses] = orders.coupon[buy[visit[uses] - nv]]
    claims = ~is_buy & (step == CLAIM)
    coupon[claims] = np.maximum(world.pricing.coupon[source[claims], day[claims]], -1)
    exposure = np.full(len(t), -1, dtype=np.int64)
    if len(exposures.person):
        logged = np.flatnonzero(exposures.logged)
        first_event = offset[exposures.session[logged]] + steps[exposures.session[logged], LOGIN]
        exposure[first_event] = logged
    # arrival: seconds, or a day late on the delayed channel during the anomaly
    lag = np.exp(rng.normal(np.log(20.0), 1.0, len(t))) / 86_400.0
    plan = world.plan
    late = (source == plan.delayed_source) & (day >= plan.delay_start) & (day < plan.delay_end)
    lag[late] = (plan.delay_hours + rng.uniform(-1.0, 1.0, int(late.sum()))) / 24.0
    session_no = block * 10**7 + np.arange(nv + nb)
    event_no = block * 10**8 + np.arange(len(t))
    events = Events(
        person, source, session_no[visit], step, t, t + lag, sku, order, query, exposure, coupon, event_no, visit, 0
    )
    dup = np.flatnonzero(rng.random(len(t)) < DUPLICATE_RATE)
    if len(dup):
        events = _with_duplicates(events, dup)
    return events


def _with_duplicates(events: Events, dup: np.ndarray) -> Events:
    order = np.sort(np.concatenate([np.arange(len(events.t)), dup]))
    fields = {f: getattr(events, f)[order] for f in Events.__dataclass_fields__ if f != "duplicated"}
    return Events(**fields, duplicated=len(dup))
