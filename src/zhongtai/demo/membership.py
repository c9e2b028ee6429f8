"""Consents (授权/退订) per account, and member tiers of the loyalty programme.

Consent rows record changes: analytics granted at registration (and sometimes withdrawn — events
stop then), personalisation opt-outs (PIPL: 关闭个性化推荐), SMS / e-mail / WeChat marketing
grants and later unsubscribes (回T退订; churners unsubscribe more often).

Tiers (普卡 bronze, 银卡 silver ≥ ¥800, 金卡 gold ≥ ¥3,000, 铂金 platinum ≥ ¥8,000 over the trailing
365 days) are kept on the account holding the member card (mini-program, else store). A member
starts at the tier their spend earns, moves up at the order that crosses a threshold, and is
reviewed each 1 January: down if the year's spend no longer holds the tier, a renewal row if it
does for gold and above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from zhongtai.demo.orders import Orders
from zhongtai.demo.people import Persons
from zhongtai.demo.purchases import Lifetimes
from zhongtai.demo.segments import MINIPROGRAM, POS, TRACKED
from zhongtai.demo.world import World

__all__ = ["CONSENT_CHANNELS", "TIERS", "Consents", "Tiers", "draw_consents", "draw_tiers"]

CONSENT_CHANNELS = ("sms", "email", "wechat", "app_push", "phone_call", "mail", "all")
PURPOSES = ("marketing", "personalisation", "analytics", "third_party_sharing")
EVIDENCE = ("注册协议勾选", "小程序授权弹窗", "门店纸质会员登记表", "短信回T退订", "隐私设置-关闭个性化推荐",
            "邮件退订链接", "订阅消息授权", "平台会员入会协议")  # fmt: skip
TIERS = ("bronze", "silver", "gold", "platinum")
THRESHOLDS = np.array([0, 80_000, 300_000, 800_000])  # cents over the trailing 365 days
REASONS = ("initial", "upgrade", "downgrade", "renewal", "manual")


@dataclass(slots=True)
class Consents:
    person: np.ndarray
    source: np.ndarray
    channel: np.ndarray
    purpose: np.ndarray
    granted: np.ndarray
    t: np.ndarray
    evidence: np.ndarray


@dataclass(slots=True)
class Tiers:
    person: np.ndarray
    source: np.ndarray
    tier: np.ndarray
    valid_from: np.ndarray
    valid_to: np.ndarray  # nan while current
    reason: np.ndarray


def draw_consents(world: World, persons: Persons, life: Lifetimes, rng: np.random.Generator) -> Consents:
    days = float(world.days)
    parts: list[tuple[np.ndarray, ...]] = []

    def add(
        person: np.ndarray, source: int, channel: int, purpose: int, granted: bool, t: np.ndarray, evidence: int
    ) -> None:
        ok = t < days
        count = int(ok.sum())
        parts.append(
            (
                person[ok],
                np.full(count, source),
                np.full(count, channel),
                np.full(count, purpose),
                np.full(count, granted),
                t[ok],
                np.full(count, evidence),
            )
        )

    for s in range(5):
        who = np.flatnonzero(persons.account[:, s])
        reg = persons.registered[who, s]
        joined = 1 if s == MINIPROGRAM else 2 if s == POS else 7 if s != 1 else 0
        if s in TRACKED:
            granted = persons.analytics[who, s]
            add(who[granted], s, 6, 2, True, reg[granted] + 1e-4, joined)
            until = persons.analytics_until[who, s]
            off = granted & np.isfinite(until)
            add(who[off], s, 6, 2, False, until[off], 4)
            opt_out = rng.random(len(who)) < 0.08
            add(
                who[opt_out],
                s,
                6,
                1,
                False,
                reg[opt_out] + rng.uniform(0, 1, int(opt_out.sum())) * (days - reg[opt_out]),
                4,
            )
        sms = rng.random(len(who)) < 0.55
        add(who[sms], s, 0, 0, True, reg[sms] + 2e-4, joined)
        churner = np.isfinite(life.churn_onset[who])
        quit_p = np.where(churner, 0.35, 0.15)
        unsub = sms & (rng.random(len(who)) < quit_p)
        when = np.where(
            churner,
            life.churn_onset[who] + rng.uniform(-10, 30, len(who)),
            reg + rng.uniform(0, 1, len(who)) * (days - reg),
        )
        when = np.maximum(when, reg + 1.0)
        add(who[unsub], s, 0, 0, False, when[unsub], 3)
        mail = (persons.email[who] != "") & (rng.random(len(who)) < 0.4)
        add(who[mail], s, 1, 0, True, reg[mail] + 3e-4, joined)
        if s == MINIPROGRAM:
            wechat = rng.random(len(who)) < 0.7
            add(who[wechat], s, 2, 0, True, reg[wechat] + 4e-4, 6)
        if s == POS:
            share = rng.random(len(who)) < 0.2
            add(who[share], s, 6, 3, True, reg[share] + 5e-4, 2)
    fields = [np.concatenate([p[i] for p in parts]) for i in range(7)]
    return Consents(*fields)


@njit(cache=True)
def _tier_walk(
    person: np.ndarray, t: np.ndarray, spend: np.ndarray, review: np.ndarray, thresholds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """Walk checkpoints (sorted by person, time): returns tier after each checkpoint and a change code
    (0 none, 1 initial, 2 upgrade, 3 downgrade, 4 renewal)."""
    n = len(person)
    tier = np.zeros(n, dtype=np.int64)
    change = np.zeros(n, dtype=np.int64)
    current = -1
    for i in range(n):
        if i == 0 or person[i] != person[i - 1]:
            current = -1
        earned = 0
        for k in range(len(thresholds)):
            if spend[i] >= thresholds[k]:
                earned = k
        if current < 0:
            current = earned
            change[i] = 1
        elif review[i]:
            if earned < current:
                current = earned
                change[i] = 3
            elif current >= 2:
                change[i] = 4
        elif earned > current:
            current = earned
            change[i] = 2
        tier[i] = current
    return tier, change


def draw_tiers(world: World, persons: Persons, orders: Orders) -> Tiers:
    card = persons.member_card > 0
    holder = np.where(
        persons.account[:, MINIPROGRAM] & card, MINIPROGRAM, np.where(persons.account[:, POS] & card, POS, -1)
    )
    members = np.flatnonzero(holder >= 0)
    joined = persons.registered[members, holder[members]]
    paid = ~orders.cancelled
    is_member = np.zeros(persons.n, dtype=bool)
    is_member[members] = True
    o = np.flatnonzero(paid & is_member[orders.person])
    # checkpoints: joining, every order after joining, every 1 January review
    join_at = np.full(persons.n, np.inf)
    join_at[members] = joined
    after = orders.t[o] >= join_at[orders.person[o]]
    o = o[after]
    reviews = [
        world.cal.day_of(world.cal.start.replace(year=y, month=1, day=1))
        for y in range(world.cal.start.year + 1, world.cal.end.year + 1)
    ]
    r_person = np.repeat(members, len(reviews))
    r_t = np.tile(np.array(reviews, dtype=np.float64), len(members))
    keep = r_t > join_at[r_person]
    r_person, r_t = r_person[keep], r_t[keep]
    person = np.concatenate([members, orders.person[o], r_person])
    t = np.concatenate([joined, orders.t[o], r_t])
    review = np.concatenate([np.zeros(len(members) + len(o), bool), np.ones(len(r_person), bool)])
    order = np.lexsort((t, person))
    person, t, review = person[order], t[order], review[order]
    # trailing 365-day spend at each checkpoint (all of the person's paid orders, any channel)
    all_o = np.flatnonzero(paid)
    key = orders.person[all_o].astype(np.float64) * 1e5 + orders.t[all_o]
    cum = np.concatenate([[0.0], np.cumsum(orders.paid[all_o].astype(np.float64))])
    hi = np.searchsorted(key, person * 1e5 + t, side="right")
    lo = np.searchsorted(key, person * 1e5 + t - 365.0, side="right")
    spend = cum[hi] - cum[lo]
    tier, change = _tier_walk(person, t, spend, review, THRESHOLDS)
    rows = np.flatnonzero(change > 0)
    person, t, tier, change = person[rows], t[rows], tier[rows], change[rows]
    nxt = np.append(t[1:], np.nan)
    same = np.append(person[1:] == person[:-1], False)
    valid_to = np.where(same, nxt, np.nan)
    reason = np.array([0, 0, 1, 2, 3])[change]
    return Tiers(person, holder[person], tier, t, valid_to, reason)
