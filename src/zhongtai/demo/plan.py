"""The planted events of the period: incidents, a demand shock, a delayed load, storms,
competitor moves, experiments and the topics people talk about.

Everything here is decided once per seed before any customer is generated, so every block of
customers sees the same world, and ``_truth`` can state each event with its timing and size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from zhongtai.demo.calendar import Calendar
from zhongtai.demo.catalog import SERIES, Catalog
from zhongtai.demo.geo import CITIES, city_weights
from zhongtai.demo.params import Parameters
from zhongtai.demo.segments import MINIPROGRAM, SOURCES
from zhongtai.demo.weather import Weather

__all__ = ["COMPETITORS", "TOPICS", "Plan", "build_plan"]

COMPETITORS = (("澄光", "ChengGuang"), ("木棉纪", "Mumianji"), ("悦肤堂", "YueFuTang"))
TOPICS = ("青禾", "成分党", "早C晚A", "敏感肌修护", "防晒", "国货美妆", "通勤穿搭")
HOLIDAYS = (((1, 1), 1, "元旦"), ((4, 4), 3, "清明节"), ((5, 1), 5, "劳动节"), ((10, 1), 7, "国庆节"))


@dataclass(slots=True)
class Incident:
    incident_id: str
    aspect: str  # safety / quality / service
    severity: float
    platform: str
    onset: float  # day
    sku: int  # -1 for a service incident
    issue_start: float
    issue_end: float
    issue_probability: float
    title: str


@dataclass(slots=True)
class Experiment:
    key: str
    name: str
    source: int
    start: float
    end: float
    lift: float  # true relative lift of 14-day conversion
    srm_drop: float  # share of treatment exposures not logged
    outcome_days: float = 14.0
    split: float = 0.5


@dataclass(slots=True)
class CompetitorMove:
    competitor: int
    kind: str  # competitor_promotion / competitor_launch
    city: int  # -1 national
    start: int
    end: int  # inclusive
    depth: float
    text: str


@dataclass(slots=True)
class Plan:
    incidents: list[Incident]
    shock_sku: int
    shock_start: int
    shock_end: int  # exclusive
    shock_multiplier: float
    delayed_source: int
    delay_start: int
    delay_end: int  # exclusive
    delay_hours: float
    storms: list[tuple[int, int, int, float]]  # (city, first day, last day exclusive, extra delivery days)
    competitor_moves: list[CompetitorMove]
    experiments: list[Experiment]
    topic_heat: np.ndarray  # (topics, days)
    holidays: list[tuple[int, int, str]]  # (first day, last day inclusive, name)
    sku_multiplier: np.ndarray = field(default_factory=lambda: np.ones((0, 0)))  # (days, skus)


def _pick_sku(rng: np.random.Generator, catalog: Catalog, mask: np.ndarray) -> int:
    candidates = np.flatnonzero(mask & ~catalog.gift & (catalog.launch_day < 0) & (catalog.stop_day > 10**5))
    if not len(candidates):
        candidates = catalog.sellable()
    weights = catalog.popularity[candidates]
    return int(rng.choice(candidates, p=weights / weights.sum()))


def _incidents(rng: np.random.Generator, params: Parameters, cal: Calendar, catalog: Catalog) -> list[Incident]:
    days = cal.days
    count = 3 if rng.random() < 0.5 else 2
    slots = np.sort(rng.choice(np.arange(int(days * 0.45), days - 45, 45), count, replace=False))
    retinol = catalog.series == SERIES.index("视黄醇")
    kinds = [
        ("safety", retinol if (retinol & ~catalog.gift).any() else catalog.l1 == 0),
        ("quality", catalog.l1 <= 1),
        ("service", None),
    ]
    out = []
    for k in range(count):
        aspect, mask = kinds[k]
        onset = float(slots[k] + rng.uniform(0.35, 0.95))  # late morning to late evening
        sku = _pick_sku(rng, catalog, mask) if mask is not None else -1
        platform = ("weibo", "xiaohongshu", "douyin")[int(rng.integers(3))]
        what = {
            "safety": f"{catalog.name[sku]} 用后过敏泛红",
            "quality": f"{catalog.name[sku]} 批次漏液/变质",
            "service": "客服不当言论被曝光",
        }[aspect]
        out.append(
            Incident(
                f"INC{k + 1:02d}",
                aspect,
                round(float(rng.uniform(params["incident.severity"] - 0.05, params["incident.severity"] + 0.05)), 3),
                platform,
                onset,
                sku,
                onset - 25.0,
                onset + 5.0,
                params["incident.order_issue"],
                what,
            )
        )
    return out


def _storms(rng: np.random.Generator, weather: Weather, days: int) -> list[tuple[int, int, int, float]]:
    heavy = np.argwhere(weather.rain >= 35.0)
    if not len(heavy):
        heavy = np.argwhere(weather.rain >= np.quantile(weather.rain, 0.999))
    picks = rng.choice(len(heavy), min(4, len(heavy)), replace=False)
    storms = []
    for i in sorted(picks.tolist()):
        city, day = (int(v) for v in heavy[i])
        storms.append((city, day, min(day + 3, days), round(float(rng.uniform(2.0, 4.0)), 2)))
    return storms


def _competitors(rng: np.random.Generator, cal: Calendar) -> list[CompetitorMove]:
    moves: list[CompetitorMove] = []
    weights = city_weights()
    for c, (zh, _en) in enumerate(COMPETITORS):
        for fest in cal.festivals:
            if fest.code in ("double11", "618") and rng.random() < 0.8:
                depth = round(float(rng.uniform(0.2, 0.4)), 2)
                moves.append(
                    CompetitorMove(
                        c,
                        "competitor_promotion",
                        -1,
                        max(fest.start, 0),
                        min(fest.end, cal.days - 1),
                        depth,
                        f"{zh}{fest.name_zh}全场{depth:.0%}off",
                    )
                )
        day = int(rng.integers(5, 25))
        while day < cal.days - 5:
            city = int(rng.choice(len(CITIES), p=weights))
            length = int(rng.integers(5, 11))
            depth = round(float(rng.uniform(0.15, 0.4)), 2)
            moves.append(
                CompetitorMove(
                    c,
                    "competitor_promotion",
                    city,
                    day,
                    min(day + length - 1, cal.days - 1),
                    depth,
                    f"{zh}{CITIES[city].name}门店满减 {depth:.0%}",
                )
            )
            day += int(rng.integers(12, 30))
        day = int(rng.integers(20, 90))
        while day < cal.days:
            moves.append(CompetitorMove(c, "competitor_launch", -1, day, day, 1.0, f"{zh}发布新品精华"))
            day += int(rng.integers(70, 120))
    moves.sort(key=lambda m: (m.start, m.competitor, m.city, m.kind))
    return moves


def _experiments(rng: np.random.Generator, params: Parameters, days: int) -> list[Experiment]:
    def window(lo: float, hi: float, length: int) -> tuple[float, float]:
        start = float(int(rng.uniform(days * lo, days * hi)))
        return start, min(start + length, days - 15.0)

    s1, e1 = window(0.45, 0.52, 35)
    s2, e2 = window(0.6, 0.66, 28)
    s3, e3 = window(0.74, 0.8, 35)
    return [
        Experiment(
            "mp_checkout_redesign", "小程序结算页改版", MINIPROGRAM, s1, e1, params["experiment.checkout.lift"], 0.0
        ),
        Experiment("mp_coupon_reminder", "小程序优惠券到期提醒", MINIPROGRAM, s2, e2, 0.0, 0.0),
        Experiment(
            "mp_pdp_video",
            "小程序商品详情页视频",
            MINIPROGRAM,
            s3,
            e3,
            params["experiment.pdp_video.lift"],
            params["experiment.pdp_video.srm_drop"],
        ),
    ]


def _topic_heat(rng: np.random.Generator, cal: Calendar, incidents: list[Incident], shock_start: int) -> np.ndarray:
    days = cal.days
    doy = (np.arange(days) + (cal.start.timetuple().tm_yday - 1)) % 365
    summer = np.sin(2 * np.pi * (doy - 109) / 365.25)
    heat = np.empty((len(TOPICS), days))
    base = rng.uniform(300, 1500, len(TOPICS))
    for k in range(len(TOPICS)):
        season = 1 + (0.6 * summer if TOPICS[k] == "防晒" else 0.1 * summer)
        heat[k] = base[k] * season * cal.festival_factor**0.3 * rng.lognormal(0, 0.12, days)
    ramp = np.arange(days, dtype=np.float64)
    for inc in incidents:
        after = ramp - np.floor(inc.onset)
        bump = np.where(after >= 0, 30 * inc.severity * np.exp(-after / 4.0), 0.0)
        heat[0] *= 1 + bump
        if inc.aspect == "safety":
            heat[1] *= 1 + 0.5 * bump
    after = ramp - shock_start
    heat[0] *= 1 + np.where(after >= 0, 3.0 * np.exp(-after / 10.0), 0.0)
    return np.round(heat, 1)


def build_plan(rng: np.random.Generator, params: Parameters, cal: Calendar, catalog: Catalog, weather: Weather) -> Plan:
    days = cal.days
    incidents = _incidents(rng, params, cal, catalog)
    taken = {i.sku for i in incidents}
    shock_sku = _pick_sku(rng, catalog, (catalog.l1 <= 1) & ~np.isin(np.arange(catalog.n), list(taken)))
    shock_start = int(rng.integers(int(days * 0.3), int(days * 0.85)))
    shock_end = min(shock_start + params.integer("shock.days"), days)
    delay_start = int(rng.integers(int(days * 0.5), days - 20))
    plan = Plan(
        incidents=incidents,
        shock_sku=shock_sku,
        shock_start=shock_start,
        shock_end=shock_end,
        shock_multiplier=params["shock.multiplier"],
        delayed_source=SOURCES.index(params.choice("anomaly.channel")),
        delay_start=delay_start,
        delay_end=delay_start + params.integer("anomaly.delay_days"),
        delay_hours=params["anomaly.delay_hours"],
        storms=_storms(rng, weather, days),
        competitor_moves=_competitors(rng, cal),
        experiments=_experiments(rng, params, days),
        topic_heat=_topic_heat(rng, cal, incidents, shock_start),
        holidays=_holidays(cal),
    )
    plan.sku_multiplier = _sku_multiplier(plan, days, catalog.n)
    return plan


def _sku_multiplier(plan: Plan, days: int, skus: int) -> np.ndarray:
    """(days, skus) demand multiplier: the shock (quick ramp) and post-incident slumps."""
    m = np.ones((days, skus), dtype=np.float32)
    length = plan.shock_end - plan.shock_start
    ramp = np.minimum(1.0, (np.arange(length) + 1) / 3.0)
    m[plan.shock_start : plan.shock_end, plan.shock_sku] = 1 + (plan.shock_multiplier - 1) * ramp
    for inc in plan.incidents:
        if inc.sku < 0:
            continue
        first = int(np.ceil(inc.onset))
        slump = np.concatenate([np.full(30, 0.35), np.linspace(0.35, 1.0, 30)])
        last = min(first + len(slump), days)
        if first < days:
            m[first:last, inc.sku] *= slump[: last - first]
    return m


def _holidays(cal: Calendar) -> list[tuple[int, int, str]]:
    from datetime import date

    out = []
    for year in range(cal.start.year, cal.end.year + 1):
        for (month, day), length, name in HOLIDAYS:
            first = cal.day_of(date(year, month, day))
            out.append((first, first + length - 1, name))
    for cny in cal.cny_days:
        out.append((cny - 1, cny + 6, "春节"))
    return sorted(h for h in out if h[1] >= 0 and h[0] < cal.days)
