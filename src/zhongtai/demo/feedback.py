"""Who writes reviews, talks to customer service and answers NPS surveys, and in what mood.

The mood of an order is the person's disposition plus the effect of the order's problem (物流
−0.6, 质量 −0.9, 成分/安全 −1.0, 尺码 −0.5, 包装 −0.4, 价格 −0.5, 客服 −0.6, 售后 −0.7), minus
``churn.mood_drop`` inside a churner's precursor window, plus noise. Every received online order is
a review candidate; the text generators decide who writes (strong feelings and problems write
more). Service conversations follow problems (angry after safety and quality problems, anxious
while a parcel is late), plus calm pre-sale questions, angry churners (``churn.angry_cs``) and
complaints around a service incident. NPS answers follow deliveries, store visits and service
contacts, with satisfaction ``(1 + mood) / 2``. The text itself comes from
:mod:`zhongtai.demo.text`; this module decides the facts it must express.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zhongtai.demo.fulfilment import ISSUES, Fulfilment
from zhongtai.demo.orders import Lines, Orders
from zhongtai.demo.people import Persons
from zhongtai.demo.purchases import Lifetimes
from zhongtai.demo.segments import MINIPROGRAM, POS
from zhongtai.demo.world import World

__all__ = ["EMOTIONS", "TOUCHPOINTS", "FeedbackPlan", "frame_time", "plan_feedback"]

ISSUE_MOOD = np.array([0.0, -0.6, -0.9, -0.5, -1.0, -0.4, -0.5, -0.6, -0.7])  # follows ISSUES
CS_PROBABILITY = np.array([0.0, 0.35, 0.5, 0.4, 0.7, 0.3, 0.35, 0.6, 0.6])
EMOTIONS = ("calm", "anxious", "angry")
EMOTION_MIX = np.array([  # calm, anxious, angry per issue
    [0.8, 0.2, 0.0], [0.15, 0.55, 0.3], [0.15, 0.35, 0.5], [0.5, 0.4, 0.1], [0.05, 0.3, 0.65],
    [0.4, 0.4, 0.2], [0.3, 0.3, 0.4], [0.2, 0.3, 0.5], [0.1, 0.35, 0.55],
])  # fmt: skip
TOUCHPOINTS = ("after_delivery", "after_service", "periodic", "store_visit", "other")


@dataclass(slots=True)
class FeedbackPlan:
    """Rows to hand to the text generators (indices into the block's orders and persons)."""

    review_order: np.ndarray  # candidates (the text generators pick who writes)
    review_line: np.ndarray
    review_mood: np.ndarray
    review_issue: np.ndarray
    cs_person: np.ndarray
    cs_source: np.ndarray
    cs_order: np.ndarray  # -1 when not about an order
    cs_t: np.ndarray
    cs_emotion: np.ndarray  # index into EMOTIONS
    cs_topic: np.ndarray  # index into ISSUES (0 → 'service')
    cs_cause: np.ndarray  # 0 order problem, 1 pre-sale, 2 churn precursor, 3 service incident
    nps_person: np.ndarray
    nps_source: np.ndarray
    nps_t: np.ndarray
    nps_satisfaction: np.ndarray
    nps_touchpoint: np.ndarray  # index into TOUCHPOINTS


def order_mood(
    world: World, persons: Persons, life: Lifetimes, orders: Orders, issue: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    window = world.params["churn.window"]
    onset = life.churn_onset[orders.person]
    precursor = np.isfinite(onset) & (orders.t >= onset - window) & (orders.t < onset)
    mood = persons.mood[orders.person] + ISSUE_MOOD[issue] - world.params["churn.mood_drop"] * precursor
    return np.clip(mood + rng.normal(0, 0.15, orders.n), -1, 1), precursor


def plan_feedback(
    world: World,
    persons: Persons,
    life: Lifetimes,
    orders: Orders,
    lines: Lines,
    ful: Fulfilment,
    rng: np.random.Generator,
) -> FeedbackPlan:
    days = float(world.days)
    n = orders.n
    issue = ful.issue
    mood, _ = order_mood(world, persons, life, orders, issue, rng)
    # review candidates: every received online order, its first sellable line; the text generators
    # decide who writes (strong moods and problems write more often)
    received = np.where(np.isnan(ful.delivered_t), np.where(orders.pickup, ful.completed_t, np.nan), ful.delivered_t)
    candidate = (orders.source != POS) & ~np.isnan(received) & (received < days - 1)
    r_orders = np.flatnonzero(candidate)
    # service conversations
    topic_parts, order_parts, t_parts, emotion_parts, cause_parts, person_parts, source_parts = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )

    def add(
        person: np.ndarray,
        source: np.ndarray,
        order: np.ndarray,
        t: np.ndarray,
        topic: np.ndarray,
        emotion: np.ndarray,
        cause: int,
    ) -> None:
        ok = t < days - 0.01
        person_parts.append(person[ok])
        source_parts.append(source[ok])
        order_parts.append(order[ok])
        t_parts.append(t[ok])
        topic_parts.append(topic[ok])
        emotion_parts.append(emotion[ok])
        cause_parts.append(np.full(int(ok.sum()), cause))

    def emotions(topic: np.ndarray) -> np.ndarray:
        cum = np.cumsum(EMOTION_MIX[topic], axis=1)
        return np.asarray(np.minimum((rng.random(len(topic))[:, None] >= cum).sum(axis=1), 2))

    asks = (issue > 0) & (rng.random(n) < CS_PROBABILITY[issue])
    idx = np.flatnonzero(asks)
    late = issue[idx] == 1
    base = np.where(
        late & ~np.isnan(ful.shipped_t[idx]),
        ful.shipped_t[idx] + rng.uniform(2, 5, len(idx)),
        np.where(np.isnan(received[idx]), orders.t[idx] + 3, received[idx]) + rng.uniform(0.1, 5, len(idx)),
    )
    add(orders.person[idx], orders.source[idx], idx, base, issue[idx], emotions(issue[idx]), 0)
    pre = np.flatnonzero((rng.random(n) < 0.015) & ~orders.cancelled)
    apparel = world.catalog.l1[lines.sku[orders.first_line[pre]]] == 3
    skincare = world.catalog.l1[lines.sku[orders.first_line[pre]]] == 0
    topic = np.where(apparel, ISSUES.index("size"), np.where(skincare, ISSUES.index("safety"), 0))
    add(
        orders.person[pre],
        orders.source[pre],
        pre,
        orders.t[pre] - rng.uniform(0.01, 0.5, len(pre)),
        topic,
        np.where(rng.random(len(pre)) < 0.85, 0, 1),
        1,
    )
    angry = np.flatnonzero(life.angry_cs)
    if len(angry):
        last = _last_order_before(orders, angry, life.churn_onset[angry])
        has = last >= 0
        angry, last = angry[has], last[has]
        when = life.churn_onset[angry] - rng.uniform(2, 20, len(angry))
        topic = np.where(issue[last] > 0, issue[last], ISSUES.index("service"))
        add(angry, orders.source[last], last, np.maximum(when, orders.t[last] + 0.5), topic, np.full(len(angry), 2), 2)
    for inc in world.plan.incidents:
        if inc.aspect != "service":
            continue
        near = np.flatnonzero((orders.t >= inc.onset - 5) & (orders.t < inc.onset + 10) & (rng.random(n) < 0.04))
        add(
            orders.person[near],
            orders.source[near],
            near,
            orders.t[near] + rng.uniform(0.2, 3, len(near)),
            np.full(len(near), ISSUES.index("service")),
            np.where(rng.random(len(near)) < 0.7, 2, 1),
            3,
        )
    cs_person = np.concatenate(person_parts)
    cs_source = np.concatenate(source_parts)
    cs_order = np.concatenate(order_parts)
    cs_t = np.concatenate(t_parts)
    cs_topic = np.concatenate(topic_parts)
    cs_emotion = np.concatenate(emotion_parts)
    cs_cause = np.concatenate(cause_parts)
    # NPS: after delivery / store visits on own channels, after service contacts, periodic member surveys
    own = np.isin(orders.source, (MINIPROGRAM, POS)) & ~np.isnan(received)
    survey = np.flatnonzero(own & (rng.random(n) < 0.08))
    s_t = received[survey] + rng.uniform(0.5, 4, len(survey))
    s_touch = np.where(orders.source[survey] == POS, TOUCHPOINTS.index("store_visit"), 0)
    s_sat = (1 + mood[survey]) / 2
    after = np.flatnonzero(rng.random(len(cs_t)) < 0.15)
    a_sat = (1 + np.clip(persons.mood[cs_person[after]] - 0.3 * cs_emotion[after], -1, 1)) / 2
    members = np.flatnonzero(persons.account[:, MINIPROGRAM] & (rng.random(persons.n) < 0.05))
    m_t = persons.registered[members, MINIPROGRAM] + rng.uniform(30, 400, len(members))
    alive = m_t < np.minimum(life.dropout[members] + 60, days - 0.01)
    members, m_t = members[alive], m_t[alive]
    nps_person = np.concatenate([orders.person[survey], cs_person[after], members])
    nps_source = np.concatenate([orders.source[survey], cs_source[after], np.full(len(members), MINIPROGRAM)])
    nps_t = np.concatenate([s_t, cs_t[after] + rng.uniform(0.05, 1, len(after)), m_t])
    nps_sat = np.concatenate([s_sat, a_sat, (1 + persons.mood[members]) / 2])
    nps_touch = np.concatenate([s_touch, np.full(len(after), 1), np.full(len(members), 2)])
    keep = nps_t < days - 0.01
    nps_sat = np.clip(nps_sat + rng.normal(0, 0.05, len(nps_sat)), 0, 1)
    return FeedbackPlan(
        r_orders,
        orders.first_line[r_orders],
        mood[r_orders],
        issue[r_orders],
        cs_person,
        cs_source,
        cs_order,
        cs_t,
        cs_emotion,
        cs_topic,
        cs_cause,
        nps_person[keep],
        nps_source[keep],
        nps_t[keep],
        nps_sat[keep],
        nps_touch[keep],
    )


def _last_order_before(orders: Orders, people: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Index of each person's last order before ``when`` (-1 none); orders are sorted by person, time."""
    key = orders.person.astype(np.float64) * 1e5 + orders.t
    pos = np.searchsorted(key, people.astype(np.float64) * 1e5 + when) - 1
    ok = (pos >= 0) & (orders.person[np.maximum(pos, 0)] == people)
    return np.where(ok, pos, -1)


def frame_time(cal_utc0_us: int, t: np.ndarray) -> pd.Series:
    """Generator days → a pandas datetime64[ns] series (naive UTC)."""
    micros = cal_utc0_us + np.round(np.asarray(t) * 86_400_000_000).astype(np.int64)
    return pd.Series(micros.astype("datetime64[us]").astype("datetime64[ns]"))
