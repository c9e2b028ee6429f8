"""Social posts about the brand: everyday mentions with repost cascades, and planted crises.

Background. Original posts arrive as a Poisson process of ``daily_volume`` a day, more at lunch and
in the evening (shop time, UTC+8), on 微博, 小红书, 抖音, B站, 知乎, 微信 and 快手 (and ``other`` for
English posts); 48% positive, 40% neutral, 12% negative.

Cascades. Each post is reposted by the branching (Hawkes cluster) process of
:mod:`zhongtai.demo.text._cascade`: virality is log-normal per cascade, an original draws reposts
at rate 0.9 and a repost at 0.25, scaled by the poster's followers; delays are mostly within the
hour (mean 40 min), a quarter hours to days later. Most posts get 0–5 reposts, a few far more.

Incidents. Each row of ``incidents`` starts a crisis on its platform: a concrete negative post
(孩子用了起红疹…求扩散) a few minutes after ``onset_at`` that gets
``130 + 1400 · severity^1.3 · LogNormal(0, 0.35)`` direct reposts after delays of mean
``90 min · (1 − 0.7 · severity) + 10 min``, so its reposts cross 100 within about three hours
(within half an hour when severe); its reposts are reposted in turn (80% negative), and
``Poisson(3 + 25 · severity)`` other users post their own complaints (echoes) within a day.

Rows. Reposts are rows with ``parent_post_id``; ``reposts`` counts every repost below a post
(direct or not, as 微博 counts them), ``likes`` and ``comments`` follow it; posts after ``end``
are not emitted. Ids are ``P{start_id + i}`` in time order. ``source`` is ``social_listening``.
Truth: ``post_id, sentiment, incident_id`` (the incident a post belongs to, else ``None``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zhongtai.demo.text._assemble import codes, naive_utc, strings
from zhongtai.demo.text._cascade import (
    ECHO,
    INCIDENT,
    NEGATIVE,
    NEUTRAL,
    NS_PER_MIN,
    ORIGINAL,
    POSITIVE,
    REPOST,
    Posts,
    cascade,
    descendants,
    followers,
)
from zhongtai.demo.text._grammar import empty
from zhongtai.demo.text._lexicon import PLATFORM_FAMILIES, grammar
from zhongtai.demo.text._noise import roughen

__all__ = ["posts"]

POST_COLUMNS = ("source", "post_id", "parent_post_id", "platform", "author_id", "author_followers", "text",
                "language", "created_at", "reposts", "likes", "comments", "sku", "url")  # fmt: skip
TRUTH_COLUMNS = ("post_id", "sentiment", "incident_id")
SOURCE = "social_listening"
PLATFORMS = ("weibo", "xiaohongshu", "douyin", "bilibili", "zhihu", "wechat", "kuaishou", "other")
PLATFORM_SHARE = np.array([0.32, 0.30, 0.18, 0.05, 0.06, 0.03, 0.03, 0.03])
ENGLISH = PLATFORMS.index("other")
URL = {
    "weibo": "https://weibo.com/detail/",
    "xiaohongshu": "https://www.xiaohongshu.com/explore/",
    "douyin": "https://www.douyin.com/note/",
    "bilibili": "https://t.bilibili.com/",
    "zhihu": "https://www.zhihu.com/pin/",
    "kuaishou": "https://www.kuaishou.com/short-video/",
}
# posting by hour of the day (shop time): quiet at night, peaks at lunch and in the evening
HOUR_WEIGHTS = np.array([3, 2, 1, 1, 1, 1, 2, 4, 6, 6, 6, 7, 9, 9, 7, 6, 6, 7, 8, 10, 11, 12, 11, 7], dtype=float)
SHOP_OFFSET_NS = 8 * 3_600 * 10**9
NS_PER_DAY = 86_400 * 10**9
HANDLE_HEADS = ("小", "阿", "爱吃", "快乐的", "momo", "喵", "一只", "柠檬", "奶茶", "星星", "夏天的", "橘子",
                "lily", "sunny", "kiki", "晚风", "不吃香菜的", "熬夜的", "早睡的", "追光的")  # fmt: skip
HANDLE_TAILS = ("鱼", "猫", "兔子", "酱", "er", "同学", "本人", "小姐", "_", "宝", "君", "仔", "")


def _background(rng: np.random.Generator, start: int, end: int, daily_volume: float) -> Posts:
    """Original posts in [start, end): Poisson per day, hours from the daily profile."""
    days = int(np.ceil((end - start) / NS_PER_DAY)) + 1
    n = int(rng.poisson(max(daily_volume, 0.0) * days))
    first_day = (start + SHOP_OFFSET_NS) // NS_PER_DAY * NS_PER_DAY - SHOP_OFFSET_NS
    hour = rng.choice(24, n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    time = first_day + rng.integers(0, days, n) * NS_PER_DAY + hour * 3_600 * 10**9 + rng.integers(0, 3_600, n) * 10**9
    time = time[(time >= start) & (time < end)]
    n = len(time)
    return Posts.new(
        time,
        platform=rng.choice(len(PLATFORMS), n, p=PLATFORM_SHARE),
        followers=followers(rng, n),
        sentiment=rng.choice([POSITIVE, NEUTRAL, NEGATIVE], n, p=[0.48, 0.40, 0.12]),
    )


def _incidents(rng: np.random.Generator, posts: Posts, incidents: pd.DataFrame) -> None:
    """The post each incident starts from, its wave of reposts, and the echoes."""
    k = len(incidents)
    if k == 0:
        return
    onset = naive_utc(incidents["onset_at"]).astype(np.int64)
    severity = np.clip(incidents["severity"].to_numpy(dtype=float), 0.0, 1.0)
    platform = codes(incidents["platform"], PLATFORMS, 0)
    root = posts.extend(
        Posts.new(
            onset + rng.integers(1, 15, k) * NS_PER_MIN,
            platform=platform,
            followers=np.rint(rng.lognormal(np.log(1500.0), 1.2, k)).astype(np.int64),
            sentiment=NEGATIVE,
            incident=np.arange(k),
            kind=INCIDENT,
        )
    )
    direct = np.rint(130 + 1400 * severity**1.3 * rng.lognormal(0.0, 0.35, k)).astype(np.int64)
    tau = np.repeat(90.0 * (1 - 0.7 * severity) + 10.0, direct)  # mean delay, minutes
    parent = np.repeat(root, direct)
    n = len(parent)
    wave = posts.extend(
        Posts.new(
            posts.time[parent] + ((1.0 + rng.gamma(1.3, tau / 1.3)) * NS_PER_MIN).astype(np.int64),
            parent=parent,
            platform=posts.platform[parent],
            followers=followers(rng, n),
            sentiment=np.where(rng.random(n) < 0.8, NEGATIVE, NEUTRAL),
            incident=posts.incident[parent],
            kind=REPOST,
            depth=1,
        )
    )
    cascade(rng, posts, wave, np.repeat(0.6 + 1.6 * severity, direct), rate=0.25, outraged=True)
    owner = np.repeat(np.arange(k), rng.poisson(3 + 25 * severity))
    e = len(owner)
    elsewhere = rng.choice(len(PLATFORMS), e, p=PLATFORM_SHARE)
    echoes = posts.extend(
        Posts.new(
            onset[owner] + (rng.lognormal(np.log(180.0), 0.8, e) * NS_PER_MIN).astype(np.int64),
            platform=np.where(rng.random(e) < 0.6, platform[owner], elsewhere),
            followers=followers(rng, e),
            sentiment=NEGATIVE,
            incident=owner,
            kind=ECHO,
        )
    )
    cascade(rng, posts, echoes, rng.lognormal(0.0, 0.8, e), rate=0.9, outraged=True)


def _handles(rng: np.random.Generator, n: int, english: np.ndarray) -> np.ndarray:
    """Made-up account names (小鱼1234, user_1234): never a real person's."""
    heads = np.array(HANDLE_HEADS, dtype=object)[rng.integers(0, len(HANDLE_HEADS), n)]
    tails = np.array(HANDLE_TAILS, dtype=object)[rng.integers(0, len(HANDLE_TAILS), n)]
    numbers = rng.integers(1, 9999, n).astype(str).astype(object)
    en = np.array(["user_", "its_", "the_", "hey", "just"], dtype=object)[rng.integers(0, 5, n)] + numbers
    return np.asarray(np.where(english, en, heads + tails + numbers), dtype=object)


def _texts(rng: np.random.Generator, posts: Posts, english: np.ndarray, aspects: np.ndarray, brand: str) -> np.ndarray:
    text = empty(len(posts))
    sign = np.array(["-", "0", "+"])[posts.sentiment + 1]
    family = np.array([PLATFORM_FAMILIES.index(p) for p in PLATFORMS])[posts.platform]
    related = posts.incident >= 0
    names = np.where(posts.kind == ORIGINAL, np.char.add("post:", sign), "echo")
    names = np.where(posts.kind == INCIDENT, np.char.add("incident:", aspects[np.maximum(posts.incident, 0)]), names)
    names = np.where((posts.kind == REPOST) & related, np.char.add("repost_incident:", sign), names)
    names = np.where((posts.kind == REPOST) & ~related, np.char.add("repost:", sign), names)
    unique, inverse = np.unique(names, return_inverse=True)
    for is_en, language in ((False, "zh"), (True, "en")):
        rows = np.flatnonzero(english == is_en)
        if len(rows):
            g = grammar("posts", language)
            keys = np.array([g.key(str(u)) for u in unique])[inverse[rows]]
            text[rows] = g.render(rng, keys, family[rows], external=[np.full(len(rows), brand, dtype=object)])
    return roughen(rng, text, english, typo=0.02, loose=0.05, traditional=0.02, lower=0.2)


def _root_of(parent: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Index of each post's original (parents given as indices into the same arrays)."""
    root = np.arange(len(parent))
    for _ in range(int(depth.max(initial=0))):
        root = np.where(parent[root] >= 0, parent[root], root)
    return root


def posts(
    rng: np.random.Generator,
    *,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    daily_volume: float,
    incidents: pd.DataFrame,
    brand: str,
    skus: list[str],
    start_id: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts from ``start`` (inclusive) to ``end`` (exclusive) and their truth (see the module docstring).

    ``incidents``: ``incident_id, onset_at, aspect (code), severity ([0, 1]), platform``.
    """
    lo, hi = naive_utc(pd.Series([pd.Timestamp(start), pd.Timestamp(end)])).astype(np.int64)
    built = _background(rng, int(lo), int(hi), daily_volume)
    cascade(rng, built, np.arange(len(built)), rng.lognormal(-0.3, 0.9, len(built)), rate=0.9)
    _incidents(rng, built, incidents)
    keep = (built.time >= lo) & (built.time < hi)  # reposts after the window have not happened yet
    below = descendants(built.parent, built.depth, keep)
    order = np.flatnonzero(keep)[np.argsort(built.time[keep], kind="stable")]
    position = np.full(len(built), -1)
    position[order] = np.arange(len(order))
    ordered = built.take(order)
    ordered.parent = np.where(ordered.parent >= 0, position[np.maximum(ordered.parent, 0)], -1)
    n = len(ordered)

    english = ordered.platform == ENGLISH
    aspects = pd.Series(incidents["aspect"], dtype=object).fillna("quality").to_numpy(dtype=str)
    text = _texts(rng, ordered, english, aspects if len(aspects) else np.array(["quality"]), brand)
    reposts = below[order]
    reach = rng.poisson(np.sqrt(ordered.followers) * 0.05)
    likes = np.rint(reposts * rng.lognormal(np.log(3.0), 0.6, n) + reach).astype(np.int64)
    comments = np.rint(reposts * rng.lognormal(np.log(0.5), 0.7, n) + rng.poisson(0.4, n)).astype(np.int64)
    ids = np.array([f"P{start_id + i}" for i in range(n)], dtype=object)
    mentioned = np.full(n, None, dtype=object)
    if skus:
        mentions = rng.random(n) < np.where(ordered.kind == INCIDENT, 0.7, 0.35)
        mentioned[mentions] = np.array(skus, dtype=object)[rng.integers(0, len(skus), int(mentions.sum()))]
    sku = mentioned[_root_of(ordered.parent, ordered.depth)]  # a repost is about its original's SKU
    prefix = np.array([URL.get(p, "") for p in PLATFORMS], dtype=object)[ordered.platform]
    url = prefix + np.arange(start_id, start_id + n).astype(str).astype(object)
    url[prefix == ""] = None
    incident_ids = np.concatenate([incidents["incident_id"].to_numpy(dtype=object), np.full(1, None, dtype=object)])
    frame = pd.DataFrame(
        {
            "source": SOURCE,
            "post_id": ids,
            "parent_post_id": np.where(ordered.parent >= 0, ids[np.maximum(ordered.parent, 0)], None),
            "platform": np.array(PLATFORMS, dtype=object)[ordered.platform],
            "author_id": _handles(rng, n, english),
            "author_followers": ordered.followers,
            "text": strings(text),
            "language": np.where(english, "en", "zh").astype(object),
            "created_at": (ordered.time // 10**9 * 10**9).astype("datetime64[ns]"),
            "reposts": reposts,
            "likes": likes,
            "comments": comments,
            "sku": sku,
            "url": url,
        },
        columns=list(POST_COLUMNS),
    )
    truth = pd.DataFrame(
        {
            "post_id": ids,
            "sentiment": np.array(["negative", "neutral", "positive"], dtype=object)[ordered.sentiment + 1],
            "incident_id": incident_ids[ordered.incident],  # −1 picks the trailing None
        },
        columns=list(TRUTH_COLUMNS),
    )
    return frame, truth
