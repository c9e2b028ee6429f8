"""Browsing visits that do not end in a purchase.

For each tracked account that allows analytics, visits form a Poisson process with intensity
``κ · λ · w_s · m_c(t) · g(t)``: ``κ`` visits per purchase opportunity
(``events.sessions_per_purchase``), ``w_s`` the person's weight on that channel, and ``g`` the
engagement: 1 while active; fading with a 20-day time constant after a silent dropout; and for a
planted churner falling linearly to ``churn.session_floor`` across the precursor window, then
fading within days after the onset. Purchases add their own (converting) visits in
:mod:`zhongtai.demo.events`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.calendar import hour_of_day
from zhongtai.demo.people import Persons
from zhongtai.demo.purchases import Lifetimes, poisson_times
from zhongtai.demo.segments import TRACKED
from zhongtai.demo.world import World

__all__ = ["FADE_DAYS", "Sessions", "draw_sessions", "engagement"]

FADE_DAYS = 20.0
CHURN_FADE_DAYS = 4.0


@dataclass(slots=True)
class Sessions:
    person: np.ndarray
    source: np.ndarray
    t: np.ndarray
    precursor: np.ndarray  # position inside a churner's precursor window (0…1), -1 outside

    def take(self, keep: np.ndarray) -> Sessions:
        return Sessions(self.person[keep], self.source[keep], self.t[keep], self.precursor[keep])


def engagement(world: World, life: Lifetimes, person: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """g(t) per visit candidate, and the position inside the precursor window (-1 outside)."""
    window = world.params["churn.window"]
    floor = world.params["churn.session_floor"]
    dropout = life.dropout[person]
    onset = life.churn_onset[person]
    g = np.ones(len(t))
    after = t > dropout
    g[after] = np.exp(-(t[after] - dropout[after]) / FADE_DAYS)
    churner = np.isfinite(onset)
    position = np.where(churner, (t - (onset - window)) / window, -1.0)
    inside = churner & (position >= 0) & (position < 1)
    g[inside] = 1.0 - (1.0 - floor) * position[inside]
    gone = churner & (t >= onset)
    g[gone] = floor * np.exp(-(t[gone] - onset[gone]) / CHURN_FADE_DAYS)
    return g, np.where(inside, position, -1.0)


def draw_sessions(world: World, persons: Persons, life: Lifetimes, rng: np.random.Generator) -> Sessions:
    kappa = world.params["events.sessions_per_purchase"]
    people: list[np.ndarray] = []
    sources: list[np.ndarray] = []
    times: list[np.ndarray] = []
    for s in TRACKED:
        who = np.flatnonzero(persons.analytics[:, s])
        if not len(who):
            continue
        start = persons.registered[who, s]
        stop = np.minimum(persons.analytics_until[who, s], float(world.days))
        fade = np.where(
            np.isfinite(life.churn_onset[who]),
            life.churn_onset[who] + 5 * CHURN_FADE_DAYS,
            life.dropout[who] + 5 * FADE_DAYS,
        )
        stop = np.minimum(stop, fade)
        rate = kappa * persons.lam[who] * persons.weight[who, s]
        row, t = poisson_times(world, rng, persons.cluster[who], rate, start, np.maximum(stop, start))
        people.append(who[row])
        sources.append(np.full(len(row), s, dtype=np.int8))
        times.append(t)
    person = np.concatenate(people) if people else np.zeros(0, dtype=np.int64)
    source = np.concatenate(sources) if sources else np.zeros(0, dtype=np.int8)
    t = np.concatenate(times) if times else np.zeros(0)
    g, position = engagement(world, life, person, t)
    keep = rng.random(len(t)) < g
    person, source, t, position = person[keep], source[keep], t[keep], position[keep]
    day = np.floor(t).astype(np.int64)
    redrawn = day + hour_of_day(rng, day, world.cal.double11_days)
    lo = persons.registered[person, source]
    hi = np.minimum(persons.analytics_until[person, source], float(world.days))
    t = np.where((redrawn >= lo) & (redrawn < hi), redrawn, t)
    order = np.lexsort((t, source, person))
    return Sessions(person[order], source[order], t[order], position[order])
