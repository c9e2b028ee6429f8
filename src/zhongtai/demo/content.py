"""Content the brand publishes (live streams, short videos, notes, articles) and who it touches.

Each piece has a true quality in (0, 1) (``_truth.content``): a visit that starts from a piece
clicks through with probability ``0.15 + 0.5·quality`` and likes it with ``0.1 + 0.3·quality``; a
purchase visit starts from content more often when recent pieces on that channel are good.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.calendar import Calendar
from zhongtai.demo.catalog import Catalog
from zhongtai.demo.segments import DOUYIN, MINIPROGRAM, TMALL

__all__ = ["CONTENT_CHANNELS", "ContentPlan", "plan_content"]

CONTENT_CHANNELS = ("tmall_flagship", "douyin_shop", "wechat_miniprogram", "xiaohongshu_official")
CHANNEL_SOURCE = (TMALL, DOUYIN, MINIPROGRAM, -1)  # xiaohongshu notes are seen off our tracked channels
KINDS = {0: ("live", "video"), 1: ("video", "live"), 2: ("article", "post"), 3: ("note", "image")}
AUTHORS = ("品牌官方", "达人·小鹿", "达人·阿May", "达人·Jason", "达人·桃子酱", "成分博主·Dr.李", "穿搭博主·Coco",
           "主播·晓晓", "主播·阿杰")  # fmt: skip
TOPICS = ("新品首发", "成分科普", "大促攻略", "穿搭分享", "护肤教程", "用户口碑", "直播专场")


@dataclass(slots=True)
class ContentPlan:
    content_id: list[str]
    kind: list[str]
    title: list[str]
    channel: np.ndarray  # index into CONTENT_CHANNELS
    author: list[str]
    topic: list[str]
    day: np.ndarray  # published (day)
    t: np.ndarray  # published (time)
    cost: np.ndarray  # cents
    quality: np.ndarray

    def recent(self, source: int) -> tuple[np.ndarray, np.ndarray]:
        """(published times, piece indices) on the channel of ``source``, sorted by time."""
        ch = CHANNEL_SOURCE.index(source) if source in CHANNEL_SOURCE else -1
        idx = np.flatnonzero(self.channel == ch)
        order = np.argsort(self.t[idx], kind="stable")
        return self.t[idx][order], idx[order]


def plan_content(rng: np.random.Generator, cal: Calendar, catalog: Catalog, persons: int) -> ContentPlan:
    per_day = 2.0 + persons / 250_000
    count = rng.poisson(per_day * cal.festival_factor**0.5)
    day = np.repeat(np.arange(cal.days), count)
    t = day + rng.uniform(0.35, 0.95, len(day))
    channel = rng.choice(len(CONTENT_CHANNELS), len(day), p=[0.3, 0.35, 0.15, 0.2])
    kinds = [KINDS[int(c)][0 if rng.random() < 0.7 else 1] for c in channel]
    sellable = catalog.sellable()
    sku = rng.choice(sellable, len(day))
    topic = [TOPICS[int(i)] for i in rng.integers(0, len(TOPICS), len(day))]
    title = [f"{topic[i]}|{catalog.name[int(sku[i])]}" for i in range(len(day))]
    base_cost = np.select([np.array(kinds) == "live", np.array(kinds) == "video"], [800_000, 300_000], 80_000)
    cost = np.round(base_cost * rng.lognormal(0, 0.5, len(day)) * (1 + persons / 500_000)).astype(np.int64)
    return ContentPlan(
        [f"CT{i + 1:06d}" for i in range(len(day))],
        kinds,
        title,
        channel,
        [AUTHORS[int(i)] for i in rng.integers(0, len(AUTHORS), len(day))],
        topic,
        day,
        t,
        cost,
        np.round(rng.beta(2.0, 3.0, len(day)), 4),
    )
