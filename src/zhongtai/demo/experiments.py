"""Planted A/B tests on the mini-program, with exposures and true outcomes.

A unit (the mini-program account, allowing analytics, of a person who has bought before) is
exposed at its first browsing visit in the experiment window and assigned control or treatment
with probability 1/2. The outcome is a mini-program order within 14 days of exposure. Its true
probability for the unit is

``p_i = 1 − exp(−λ_i · w_i · ∫_x^{x+14} m_c(t) dt)`` if the person is still active at ``x`` (else 0),

the chance of at least one mini-program purchase under the person's own process. The generator
replaces the unit's mini-program purchases in that window with one Bernoulli outcome of
probability ``p_i`` (control) or ``p_i · (1 + lift)`` (treatment), so the true relative lift is
exactly ``lift`` and the true absolute lift is ``lift · mean(p_i)``. One experiment has a null
effect; in another a logging bug loses a share of treatment exposures (sample-ratio mismatch),
while the lost units still buy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.people import Persons
from zhongtai.demo.purchases import EXPERIMENT, Lifetimes, Purchases, _cluster_integrals, _cluster_inverse
from zhongtai.demo.sessions import Sessions
from zhongtai.demo.world import World

__all__ = ["Exposures", "run_experiments"]


@dataclass(slots=True)
class Exposures:
    experiment: np.ndarray  # index into plan.experiments
    session: np.ndarray  # the browsing visit that exposed the unit
    person: np.ndarray
    source: np.ndarray
    t: np.ndarray
    treated: np.ndarray
    logged: np.ndarray  # written to experiment_exposures (False: lost by the logging bug)
    p_base: np.ndarray
    converted: np.ndarray

    @staticmethod
    def empty() -> Exposures:
        z = np.zeros(0)
        return Exposures(
            z.astype(np.int64),
            z.astype(np.int64),
            z.astype(np.int64),
            z.astype(np.int8),
            z,
            z.astype(bool),
            z.astype(bool),
            z,
            z.astype(bool),
        )


def run_experiments(
    world: World, persons: Persons, life: Lifetimes, sessions: Sessions, purchases: Purchases, rng: np.random.Generator
) -> tuple[Purchases, Exposures]:
    parts: list[Exposures] = []
    for k, spec in enumerate(world.plan.experiments):
        in_window = (sessions.source == spec.source) & (sessions.t >= spec.start) & (sessions.t < spec.end)
        in_window &= sessions.t > persons.birth[sessions.person]  # units are existing customers
        idx = np.flatnonzero(in_window)
        if not len(idx):
            continue
        first = idx[np.unique(sessions.person[idx], return_index=True)[1]]
        person = sessions.person[first]
        x = sessions.t[first]
        end = np.minimum(x + spec.outcome_days, float(world.days))
        weights = persons.weight[person] * (persons.registered[person] <= x[:, None])
        share = weights[:, spec.source] / np.maximum(weights.sum(axis=1), 1e-12)
        cluster = persons.cluster[person]
        exposure = _cluster_integrals(world, cluster, end) - _cluster_integrals(world, cluster, x)
        active = life.dropout[person] > x
        p_base = np.where(active, 1.0 - np.exp(-persons.lam[person] * share * exposure), 0.0)
        treated = rng.random(len(person)) < spec.split
        probability = np.minimum(p_base * np.where(treated, 1.0 + spec.lift, 1.0), 1.0)
        converted = rng.random(len(person)) < probability
        # replace the units' mini-program purchases inside their outcome windows
        unit_of = np.full(persons.n, -1, dtype=np.int64)
        unit_of[person] = np.arange(len(person))
        u = unit_of[purchases.person]
        hit = (u >= 0) & (purchases.source == spec.source)
        hit[hit] &= (purchases.t[hit] > x[u[hit]]) & (purchases.t[hit] <= end[u[hit]])
        purchases = purchases.take(~hit)
        lo = _cluster_integrals(world, cluster, x)
        hi = _cluster_integrals(world, cluster, end)
        when = _cluster_inverse(world, cluster, lo + rng.uniform(0.02, 1.0, len(person)) * (hi - lo))
        when = np.clip(np.maximum(when, x + 1e-3), None, end - 1e-6)
        added = Purchases(
            person[converted],
            when[converted],
            np.full(int(converted.sum()), spec.source, np.int8),
            np.full(int(converted.sum()), EXPERIMENT, np.int8),
        )
        purchases = Purchases(
            np.concatenate([purchases.person, added.person]),
            np.concatenate([purchases.t, added.t]),
            np.concatenate([purchases.source, added.source]),
            np.concatenate([purchases.kind, added.kind]),
        ).sorted()
        logged = ~treated | (rng.random(len(person)) >= spec.srm_drop)
        parts.append(
            Exposures(
                np.full(len(person), k),
                first,
                person,
                np.full(len(person), spec.source, np.int8),
                x,
                treated,
                logged,
                p_base,
                converted,
            )
        )
    if not parts:
        return purchases, Exposures.empty()
    out = Exposures(*[np.concatenate([getattr(p, f) for p in parts]) for f in Exposures.__dataclass_fields__])
    return purchases, out
