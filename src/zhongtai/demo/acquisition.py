"""Paid media and where new customers come from.

Daily spend per ad channel follows the festival calendar (``spend ∝ weekly × festival^0.9``, with
an always-on campaign and one campaign per festival). New customers arrive with intensity

``a(d) = organic(d) + Σ_ch e_ch · spend_ch(d)^0.7``

(diminishing returns), where ``organic(d)`` grows through the period and peaks at festivals, and
the channel efficiencies ``e_ch`` are drawn per seed. So each channel's true incremental
customers per 10,000 CNY is known (``_truth.marketing``), while the ad platforms report
conversions inflated by ``marketing.over_attribution``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhongtai.demo.calendar import WEEKLY, Calendar, cumulative
from zhongtai.demo.params import Parameters

__all__ = ["AD_CHANNELS", "MarketingPlan", "plan_marketing"]

AD_CHANNELS = (0, 1, 2, 3)  # tmall, jd, douyin, miniprogram (WeChat ads)
ALWAYS_ON = ("天猫直通车·日常投放", "京东快车·日常投放", "巨量千川·日常投放", "微信朋友圈广告·日常投放")
FESTIVAL_TOOLS = ("万相台", "京准通", "巨量千川", "腾讯广告")
CHANNEL_SPLIT = np.array([0.35, 0.2, 0.3, 0.15])
SPEND_PER_PERSON_CNY = 140.0


@dataclass(slots=True)
class MarketingPlan:
    campaign_id: list[str]
    campaign_name: list[str]
    campaign_channel: np.ndarray  # index into AD_CHANNELS / SOURCES
    spend: np.ndarray  # (campaigns, days) cents
    efficiency: np.ndarray  # (channels,) relative true efficiency
    acquisition: np.ndarray  # (days,) expected share of new customers per day (sums to 1)
    acquisition_cum: np.ndarray  # (days + 1,)
    paid_probability: np.ndarray  # (days, channels) P(acquired by paid channel | first purchase that day)
    incremental_per_10k: np.ndarray  # (channels,) expected new customers per 10,000 CNY
    over_attribution: np.ndarray  # (channels,) reported ÷ true conversions


def plan_marketing(rng: np.random.Generator, params: Parameters, cal: Calendar, persons: int) -> MarketingPlan:
    days = cal.days
    weekly = WEEKLY[cal.weekday]
    festive = cal.festival_factor**0.9
    total = persons * SPEND_PER_PERSON_CNY * 100.0 * CHANNEL_SPLIT
    base = total / float((weekly * festive).sum())
    ids: list[str] = []
    names: list[str] = []
    channel: list[int] = []
    rows: list[np.ndarray] = []
    for ch in AD_CHANNELS:
        ids.append(f"AO-{ch + 1:02d}")
        names.append(ALWAYS_ON[ch])
        channel.append(ch)
        rows.append(base[ch] * weekly * rng.lognormal(0, 0.15, days))
        for k, fest in enumerate(cal.festivals):
            lo, hi = max(fest.start, 0), min(fest.end, days - 1)
            if lo > hi:
                continue
            spend = np.zeros(days)
            window = slice(lo, hi + 1)
            spend[window] = base[ch] * weekly[window] * np.clip(festive[window] - 1.0, 0.1, None)
            spend[window] *= rng.lognormal(0, 0.15, hi - lo + 1)
            ids.append(f"FX-{ch + 1:02d}-{k + 1:03d}")
            names.append(f"{fest.name_zh}·{FESTIVAL_TOOLS[ch]}")
            channel.append(ch)
            rows.append(spend)
    spend_cents = np.round(np.vstack(rows)).astype(np.int64)
    channel_arr = np.array(channel)
    by_channel = np.vstack([spend_cents[channel_arr == ch].sum(axis=0) for ch in AD_CHANNELS]).astype(np.float64)
    efficiency = rng.uniform(0.5, 1.5, len(AD_CHANNELS))
    ramp = 0.55 + 0.45 * np.arange(days) / max(days - 1, 1)
    organic = ramp * cal.festival_factor**0.6 * weekly
    paid = efficiency[:, None] * (by_channel / 100.0) ** 0.7
    paid_share = params["marketing.paid_share"]
    organic = organic / organic.sum() * (1 - paid_share)
    paid_scale = paid_share / paid.sum()
    paid = paid * paid_scale
    daily = organic + paid.sum(axis=0)
    probability = (paid / daily[None, :]).T
    spent_10k = by_channel.sum(axis=1) / 1_000_000.0  # cents → units of 10,000 CNY
    incremental = paid.sum(axis=1) * persons / np.where(spent_10k > 0, spent_10k, 1.0)
    return MarketingPlan(
        ids,
        names,
        channel_arr,
        spend_cents,
        efficiency,
        daily,
        cumulative(daily),
        probability,
        incremental,
        rng.uniform(0.85, 1.15, len(AD_CHANNELS)) * params["marketing.over_attribution"],
    )
