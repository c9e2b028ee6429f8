"""Repost cascades: a branching (Hawkes cluster) process over posts, generation by generation.

A post with ``f`` followers in a cascade of virality ``v`` has ``Poisson(μ)`` direct reposts,
``μ = min(m · v · (f / 300)^0.35, 25)``, with ``m`` the original's rate for the first generation
and a lower rate below it; below the original ``v`` is capped at 2.5, which keeps the mean
branching ratio under 1 (the process is subcritical and dies out). A repost follows its parent
after an exponential delay or, one time in four, a log-normal one (median 5 h): most reposts
come within the hour, some days later. Hawkes (1971), "Spectra of some self-exciting and mutually
exciting point processes", Biometrika 58(1); the cluster form is Hawkes & Oakes (1974).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = [
    "ECHO",
    "INCIDENT",
    "NEGATIVE",
    "NEUTRAL",
    "NS_PER_MIN",
    "ORIGINAL",
    "POSITIVE",
    "REPOST",
    "Posts",
    "cascade",
    "delays",
    "descendants",
    "followers",
]

NEGATIVE, NEUTRAL, POSITIVE = -1, 0, 1
NS_PER_MIN = 60 * 10**9
ORIGINAL, INCIDENT, ECHO, REPOST = range(4)


@dataclass(slots=True)
class Posts:
    """Posts under construction, one entry per post; a parent always comes before its children."""

    time: np.ndarray  # int64 ns since the epoch (naive UTC)
    parent: np.ndarray  # index of the reposted post, −1 for an original
    platform: np.ndarray  # platform index
    followers: np.ndarray
    sentiment: np.ndarray  # −1, 0, +1
    incident: np.ndarray  # incident index, −1 for background
    kind: np.ndarray  # ORIGINAL, INCIDENT, ECHO or REPOST
    depth: np.ndarray  # 0 for an original

    @classmethod
    def new(cls, time: np.ndarray, **columns: np.ndarray | int) -> Posts:
        """Posts at ``time``; scalar columns are broadcast (``parent=-1``, ``depth=0`` by default)."""
        n = len(time)
        values: dict[str, np.ndarray] = {"time": np.asarray(time, dtype=np.int64)}
        defaults: dict[str, np.ndarray | int] = {"parent": -1, "depth": 0, "incident": -1, "kind": ORIGINAL}
        for f in fields(cls)[1:]:
            value = columns.get(f.name, defaults.get(f.name))
            if value is None:
                raise TypeError(f"missing column {f.name}")
            values[f.name] = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,)).copy()
        return cls(**values)

    def __len__(self) -> int:
        return len(self.time)

    def extend(self, other: Posts) -> np.ndarray:
        """Append ``other``; returns the indices the new posts got."""
        first = len(self)
        for f in fields(self):
            setattr(self, f.name, np.concatenate([getattr(self, f.name), getattr(other, f.name)]))
        return np.arange(first, len(self))

    def take(self, order: np.ndarray) -> Posts:
        return Posts(**{f.name: getattr(self, f.name)[order] for f in fields(self)})


def followers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Follower counts: log-normal around 300, and 1.5% influencers around 200,000."""
    base = rng.lognormal(np.log(300.0), 1.6, n)
    star = rng.random(n) < 0.015
    return np.rint(np.where(star, rng.lognormal(np.log(2e5), 1.0, n), base)).astype(np.int64)


def delays(rng: np.random.Generator, n: int, mean_minutes: float) -> np.ndarray:
    """Repost delays in ns: exponential, one in four from a long log-normal tail (median 5 h)."""
    quick = rng.exponential(mean_minutes, n)
    slow = rng.lognormal(np.log(300.0), 1.0, n)
    return ((1.0 + np.where(rng.random(n) < 0.75, quick, slow)) * NS_PER_MIN).astype(np.int64)


def cascade(
    rng: np.random.Generator,
    posts: Posts,
    roots: np.ndarray,
    virality: np.ndarray,
    *,
    rate: float,
    repost_rate: float = 0.25,
    outraged: bool = False,
    max_depth: int = 6,
) -> None:
    """Add the reposts below ``roots`` (indices into ``posts``) to ``posts``.

    Reposts of an ordinary post keep its sentiment 55% of the time and are neutral otherwise
    (转发微博); in an ``outraged`` cascade (an incident) 80% are negative.
    """
    parents, strength, m = roots, np.asarray(virality, dtype=float), rate
    for _ in range(max_depth):
        if len(parents) == 0:
            break
        mu = np.minimum(m * strength * (posts.followers[parents] / 300.0) ** 0.35, 25.0)
        k = rng.poisson(mu)
        if k.sum() == 0:
            break
        parent = np.repeat(parents, k)
        n = len(parent)
        if outraged:
            sentiment = np.where(rng.random(n) < 0.8, NEGATIVE, NEUTRAL)
        else:
            sentiment = np.where(rng.random(n) < 0.55, posts.sentiment[parent], NEUTRAL)
        children = Posts.new(
            posts.time[parent] + delays(rng, n, 30.0 if outraged else 40.0),
            parent=parent,
            platform=posts.platform[parent],
            followers=followers(rng, n),
            sentiment=sentiment,
            incident=posts.incident[parent],
            kind=REPOST,
            depth=posts.depth[parent] + 1,
        )
        parents = posts.extend(children)
        strength = np.repeat(np.minimum(strength, 2.5), k)
        m = repost_rate


def descendants(parent: np.ndarray, depth: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """How many kept posts sit below each post, all generations (as 微博 counts reposts)."""
    below = np.zeros(len(parent), dtype=np.int64)
    for d in range(int(depth.max(initial=0)), 0, -1):
        rows = np.flatnonzero((depth == d) & keep)
        np.add.at(below, parent[rows], 1 + below[rows])
    return below
