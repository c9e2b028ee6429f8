"""When each person buys: BG/NBD with seasonality, dropout, and planted churn.

Repeat purchases of a living customer form a Poisson process with rate ``λ · m_c(t)`` (``m_c``
is the cluster's daily intensity, :mod:`zhongtai.demo.calendar`); after every purchase,
including the first, the customer drops out for good with probability ``p``
(Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing Science 24(2)).
Times are drawn exactly by inverting the integrated intensity, so no draws are wasted on
thinning. A share ``churn.share`` of established customers (at least two purchases, still
alive) churn at an onset date instead: nothing after it, with precursors in the weeks before
(:mod:`zhongtai.demo.sessions`, :mod:`zhongtai.demo.feedback`). Onsets cluster after competitor
promotions in the person's city (``churn.competitor_aligned``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.calendar import hour_of_day, integrated, inverse
from zhongtai.demo.people import Persons
from zhongtai.demo.segments import POS
from zhongtai.demo.world import World

__all__ = ["Lifetimes", "Purchases", "draw_purchases"]

FIRST, REPEAT, EXPERIMENT = 0, 1, 2
NEVER = np.inf


@dataclass(slots=True)
class Purchases:
    person: np.ndarray
    t: np.ndarray  # day (local)
    source: np.ndarray
    kind: np.ndarray  # FIRST / REPEAT / EXPERIMENT

    def take(self, keep: np.ndarray) -> Purchases:
        return Purchases(self.person[keep], self.t[keep], self.source[keep], self.kind[keep])

    def sorted(self) -> Purchases:
        order = np.lexsort((self.t, self.person))
        return self.take(order)


@dataclass(slots=True)
class Lifetimes:
    transactions: np.ndarray  # purchases drawn before dropout (incl. the first), before truncation at the end
    dropout: np.ndarray  # day the customer became inactive (inf: alive at the end)
    churn_onset: np.ndarray  # planted churn onset (inf: not a churner)
    churn_context: np.ndarray  # competitor move that preceded the onset, -1 none
    churn_eligible: np.ndarray
    cart_clear: np.ndarray  # churners who empty their cart before leaving
    angry_cs: np.ndarray  # churners who have an angry service conversation before leaving


def _cluster_integrals(world: World, cluster: np.ndarray, t: np.ndarray) -> np.ndarray:
    out = np.empty(len(t))
    for c in np.unique(cluster):
        m = cluster == c
        out[m] = integrated(world.intensity_cum[c], world.intensity[c], t[m])
    return out


def _cluster_inverse(world: World, cluster: np.ndarray, u: np.ndarray) -> np.ndarray:
    out = np.empty(len(u))
    for c in np.unique(cluster):
        m = cluster == c
        out[m] = inverse(world.intensity_cum[c], world.intensity[c], u[m])
    return out


def poisson_times(
    world: World, rng: np.random.Generator, cluster: np.ndarray, rate: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Times of a Poisson process with intensity ``rate · m_c(t)`` on [start, end) per row.

    Returns (row index, time) sorted by row then time.
    """
    lo = _cluster_integrals(world, cluster, start)
    hi = _cluster_integrals(world, cluster, end)
    span = np.clip(hi - lo, 0.0, None)
    count = rng.poisson(rate * span)
    row = np.repeat(np.arange(len(rate)), count)
    u = lo[row] + rng.random(len(row)) * span[row]
    t = _cluster_inverse(world, cluster[row], u)
    order = np.lexsort((t, row))
    return row[order], t[order]


def _onsets(world: World, persons: Persons, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    days = world.days
    n = persons.n
    onset = rng.uniform(150.0, days - 25.0, n)
    context = np.full(n, -1, dtype=np.int64)
    aligned = rng.random(n) < world.params["churn.competitor_aligned"]
    moves = world.plan.competitor_moves
    for c in np.unique(persons.city[aligned]):
        options = world.competitor_promotions[c]
        if not len(options):
            continue
        who = np.flatnonzero(aligned & (persons.city == c))
        pick = options[rng.integers(0, len(options), len(who))]
        start = np.array([moves[i].start for i in pick], dtype=np.float64)
        onset[who] = start + rng.uniform(0.0, 10.0, len(who))
        context[who] = pick
    return onset, context


def draw_purchases(world: World, persons: Persons, rng: np.random.Generator) -> tuple[Purchases, Lifetimes]:
    days = world.days
    n = persons.n
    row, t = poisson_times(world, rng, persons.cluster, persons.lam, persons.birth, np.full(n, float(days)))
    # the time-of-day profile replaces the uniform position within the day (kept after the first purchase)
    day = np.floor(t).astype(np.int64)
    redrawn = day + hour_of_day(rng, day, world.cal.double11_days)
    t = np.where(redrawn > persons.birth[row], redrawn, t)
    order = np.lexsort((t, row))
    row, t = row[order], t[order]
    counts = np.bincount(row, minlength=n)
    start = np.cumsum(counts) - counts
    rank = np.arange(len(row)) - start[row]
    transactions = rng.geometric(persons.p)  # purchases until dropout, first included
    keep = rank < transactions[row] - 1
    dropped = transactions - 1 <= counts
    last_kept = start + transactions - 2  # index of the last repeat purchase kept
    dropout = np.where(dropped, persons.birth, NEVER)
    has_repeat = dropped & (transactions >= 2)
    dropout[has_repeat] = t[last_kept[has_repeat]]
    row, t = row[keep], t[keep]
    # planted churn among established, still-active customers
    onset, context = _onsets(world, persons, rng)
    before = np.bincount(row[t < onset[row]], minlength=n) + 1
    eligible = (before >= 2) & (dropout > onset) & (onset >= 150.0) & (onset <= days - 25.0)
    churner = eligible & (rng.random(n) < world.params["churn.share"])
    churn_onset = np.where(churner, onset, NEVER)
    keep = t < churn_onset[row]
    row, t = row[keep], t[keep]
    dropout = np.where(churner, onset, dropout)
    context = np.where(churner, context, -1)
    person = np.concatenate([np.arange(n), row])
    times = np.concatenate([persons.birth, t])
    kind = np.concatenate([np.full(n, FIRST), np.full(len(row), REPEAT)]).astype(np.int8)
    source = assign_sources(world, persons, rng, person, times, kind)
    purchases = Purchases(person, times, source, kind).sorted()
    cart_clear = churner & (rng.random(n) < world.params["churn.cart_clear"])
    angry_cs = churner & (rng.random(n) < world.params["churn.angry_cs"])
    return purchases, Lifetimes(transactions, dropout, churn_onset, context, eligible, cart_clear, angry_cs)


def assign_sources(
    world: World, persons: Persons, rng: np.random.Generator, person: np.ndarray, t: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """The channel of each purchase: home for the first, else by preference among the accounts
    registered by then; rain in the person's city lowers the store's weight that day."""
    w = persons.weight[person] * (persons.registered[person] <= t[:, None])
    day = np.clip(np.floor(t).astype(np.int64), 0, world.days - 1)
    rainy = world.weather.rain[persons.city[person], day] >= 5.0
    w[:, POS] *= np.where(rainy, world.params["demand.rain_store"], 1.0)
    total = w.sum(axis=1)
    fallback = total <= 0
    w[fallback, persons.home[person[fallback]]] = 1.0
    cum = np.cumsum(w, axis=1)
    u = rng.random(len(person)) * cum[:, -1]
    source = np.minimum(np.argmax(u[:, None] < cum, axis=1), 4)
    return np.asarray(np.where(kind == FIRST, persons.home[person], source), dtype=np.int8)
