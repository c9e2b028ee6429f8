"""Channels, sources and the true member clusters (segments) of the shop.

A person belongs to one cluster; the cluster sets the person's purchase-process parameters
(multipliers on the seed's BG/NBD α and b), promotion sensitivity, category and channel
preferences, price sensitivity and mood. Cluster shares are drawn per seed (Dirichlet).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "CHANNEL_IDS",
    "CLUSTERS",
    "SOURCES",
    "TRACKED",
    "ClusterSpec",
    "cluster_shares",
]

SOURCES = ("tmall", "jd", "douyin", "miniprogram", "pos")
"""Source systems that know customers (one account per person per source at most)."""
TMALL, JD, DOUYIN, MINIPROGRAM, POS = range(5)
CHANNEL_IDS = ("tmall_flagship", "jd_flagship", "douyin_shop", "wechat_miniprogram", "offline_stores")
CHANNEL_NAMES = ("青禾天猫旗舰店", "青禾京东自营旗舰店", "青禾抖音官方旗舰店", "青禾微信小程序商城", "青禾线下门店")
CHANNEL_PLATFORMS = ("tmall", "jd", "douyin", "miniprogram", "offline")
CHANNEL_KINDS = ("marketplace", "marketplace", "social", "own", "offline")
TRACKED = (TMALL, DOUYIN, MINIPROGRAM)
"""Sources whose behaviour events reach the warehouse (for accounts that allow analytics)."""
ONLINE = (TMALL, JD, DOUYIN, MINIPROGRAM)


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    code: str
    zh: str
    en: str
    share: float  # centre of the Dirichlet draw
    alpha_factor: float  # × α: below 1 buys more often
    b_factor: float  # × b: above 1 drops out less
    sensitivity: float  # exponent on festival factors
    l1_preference: tuple[float, float, float, float]  # 护肤, 彩妆, 个护, 服饰
    channel_preference: tuple[float, float, float, float, float]  # tmall, jd, douyin, miniprogram, pos
    price_tilt: float  # choice weight × (price / median)^tilt
    elasticity_factor: float  # × the category's price elasticity
    basket: float  # mean extra lines per order
    mood: float  # mean disposition (−1…1)


CLUSTERS: tuple[ClusterSpec, ...] = (
    ClusterSpec("skincare_loyalist", "护肤忠实客", "Skincare loyalists", 0.22, 0.6, 1.6, 0.6,
                (0.70, 0.15, 0.10, 0.05), (0.35, 0.08, 0.10, 0.37, 0.10), 0.1, 0.8, 0.9, 0.55),
    ClusterSpec("promo_hunter", "大促囤货客", "Festival bargain hunters", 0.26, 1.0, 1.0, 1.6,
                (0.45, 0.20, 0.20, 0.15), (0.40, 0.30, 0.20, 0.08, 0.02), -0.3, 1.5, 1.1, 0.30),
    ClusterSpec("fashion_shopper", "服饰潮流客", "Apparel shoppers", 0.20, 1.2, 1.0, 1.0,
                (0.12, 0.13, 0.05, 0.70), (0.30, 0.10, 0.45, 0.10, 0.05), 0.0, 1.0, 0.8, 0.35),
    ClusterSpec("premium_store", "门店高端客", "Premium store members", 0.10, 0.9, 1.3, 0.5,
                (0.55, 0.30, 0.05, 0.10), (0.20, 0.05, 0.05, 0.30, 0.40), 0.6, 0.5, 1.0, 0.50),
    ClusterSpec("occasional_gifter", "尝鲜礼品客", "Occasional gift buyers", 0.22, 2.0, 0.5, 1.0,
                (0.40, 0.45, 0.10, 0.05), (0.40, 0.25, 0.20, 0.10, 0.05), 0.2, 1.0, 0.6, 0.30),
)  # fmt: skip


def cluster_shares(rng: np.random.Generator, concentration: float) -> np.ndarray:
    """This seed's cluster proportions: Dirichlet around the design shares."""
    centre = np.array([c.share for c in CLUSTERS])
    return rng.dirichlet(centre * concentration)
