"""The shop's calendar: days of the simulated period, festival peaks and daily intensities.

Time inside the generator is a float number of days since local midnight of the first day
(Asia/Shanghai, UTC+8, no daylight saving); tables get naive UTC timestamps. Purchase and visit
processes are non-homogeneous Poisson processes whose rate is a per-customer constant times a
daily intensity ``m(d)``: a weekly pattern times festival factors raised to a segment's promotion
sensitivity. Peaks: 双十一 (Nov 11, with the Oct 31 first wave), 618 (Jun 18), 双十二, 三八节, the
年货节 weeks before 春节, and a trough over 春节 itself when couriers stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from zhongtai.errors import InputError

__all__ = ["CHINESE_NEW_YEAR", "UTC_OFFSET_HOURS", "Calendar", "build_calendar"]

UTC_OFFSET_HOURS = 8
CHINESE_NEW_YEAR: dict[int, date] = {
    2018: date(2018, 2, 16), 2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12),
    2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
    2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
}  # fmt: skip
"""First day of the lunar new year (正月初一), from the published Chinese calendar."""

WEEKLY = np.array([1.00, 0.98, 0.97, 0.99, 0.97, 1.03, 1.06])  # Monday … Sunday
HOURS = np.array([
    0.020, 0.011, 0.006, 0.004, 0.003, 0.004, 0.008, 0.018, 0.031, 0.043, 0.050, 0.054,
    0.060, 0.055, 0.049, 0.048, 0.047, 0.045, 0.048, 0.058, 0.072, 0.083, 0.081, 0.058,
])  # fmt: skip
HOURS = HOURS / HOURS.sum()
"""Share of a day's orders per local hour (evening peak, lunch bump, night trough)."""


@dataclass(frozen=True, slots=True)
class Festival:
    """One dated festival window of the period (drives promotions and peaks)."""

    code: str  # promotions.festival code
    name_zh: str
    name_en: str
    start: int  # first day index (inclusive)
    end: int  # last day index (inclusive)
    peak: int  # day index of the main peak


@dataclass(slots=True)
class Calendar:
    start: date
    days: int
    epoch_day0: int  # days from 1970-01-01 to the first day
    weekday: np.ndarray  # 0 = Monday
    festival_factor: np.ndarray  # multiplicative factor per day (1 on ordinary days)
    festivals: list[Festival] = field(default_factory=list)
    cny_days: list[int] = field(default_factory=list)  # day index of each 正月初一 inside the period
    double11_days: list[int] = field(default_factory=list)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    @property
    def utc0_us(self) -> int:
        """UTC microseconds of local midnight on the first day."""
        return (self.epoch_day0 * 86_400 - UTC_OFFSET_HOURS * 3_600) * 1_000_000

    def to_utc_us(self, t: np.ndarray) -> np.ndarray:
        """Generator time (days, local) → UTC microseconds (int64)."""
        return self.utc0_us + np.round(np.asarray(t, dtype=np.float64) * 86_400_000_000).astype(np.int64)

    def epoch_days(self, day: np.ndarray) -> np.ndarray:
        """Day index → days since 1970-01-01 (for DATE columns)."""
        return self.epoch_day0 + np.asarray(day, dtype=np.int64)

    def day_of(self, when: date) -> int:
        return (when - self.start).days

    def intensity(self, sensitivity: float) -> np.ndarray:
        """Daily intensity ``m(d)`` for a segment with this promotion sensitivity (exponent)."""
        return np.asarray(WEEKLY[self.weekday] * self.festival_factor**sensitivity)

    def festival_on(self, day: np.ndarray) -> np.ndarray:
        """Index into :attr:`festivals` of the window covering each day, -1 outside."""
        out = np.full(np.shape(day), -1, dtype=np.int64)
        for i, fest in enumerate(self.festivals):
            out[(day >= fest.start) & (day <= fest.end)] = i
        return out


def _window(factor: np.ndarray, first: int, last: int, value: float) -> None:
    lo, hi = max(first, 0), min(last, len(factor) - 1)
    if lo <= hi:
        factor[lo : hi + 1] = value


def build_calendar(start: date, end: date, *, double11: float, six18: float, trough: float) -> Calendar:
    """The calendar from ``start`` to ``end`` (inclusive) with the seed's peak sizes.

    ``double11`` and ``six18`` are the factors on Nov 11 and Jun 18; ``trough`` the factor over
    the first week of 春节. Years outside :data:`CHINESE_NEW_YEAR` are refused.
    """
    days = (end - start).days + 1
    years = range(start.year, end.year + 2)
    missing = [y for y in years if y not in CHINESE_NEW_YEAR]
    if missing:
        raise InputError(
            "demo.unsupported_period",
            start=start.isoformat(),
            end=end.isoformat(),
            first=min(CHINESE_NEW_YEAR),
            last=max(CHINESE_NEW_YEAR) - 1,
        )
    epoch0 = (start - date(1970, 1, 1)).days
    weekday = (np.arange(days) + start.weekday()) % 7
    factor = np.ones(days)
    festivals: list[Festival] = []
    cny_days: list[int] = []
    eleven: list[int] = []

    def day(d: date) -> int:
        return (d - start).days

    for year in years:
        cny = day(CHINESE_NEW_YEAR[year])
        # 年货节 before the holiday, couriers stopping, the holiday trough, the slow return
        _window(factor, cny - 26, cny - 8, 1.35)
        _window(factor, cny - 7, cny - 1, 0.6)
        _window(factor, cny, cny + 6, trough)
        _window(factor, cny + 7, cny + 14, 0.8)
        if 0 <= cny < days:
            cny_days.append(cny)
        festivals.append(
            Festival("spring_festival", "年货节", "New Year shopping festival", cny - 26, cny - 8, cny - 12)
        )
        w = day(date(year, 3, 8))
        _window(factor, w - 3, w - 1, 1.3)
        _window(factor, w, w, 2.2)
        festivals.append(Festival("womens_day", "三八女王节", "Queen's Day (Mar 8)", w - 3, w, w))
        s = day(date(year, 6, 18))
        _window(factor, s - 39, s - 30, 0.9)
        _window(factor, s - 29, s - 19, 1.3)
        _window(factor, s - 18, s - 15, 2.2)
        _window(factor, s - 14, s - 1, 1.5)
        _window(factor, s, s, six18)
        festivals.append(Festival("618", "618年中大促", "618 mid-year sale", s - 29, s, s))
        e = day(date(year, 11, 11))
        _window(factor, e - 27, e - 19, 0.85)
        _window(factor, e - 18, e - 12, 1.3)
        _window(factor, e - 11, e - 8, 2.5)
        _window(factor, e - 7, e - 1, 1.6)
        _window(factor, e, e, double11)
        _window(factor, e + 1, e + 1, 1.3)
        if 0 <= e < days:
            eleven.append(e)
        festivals.append(Festival("double11", "双十一", "Double 11 (Singles' Day)", e - 18, e + 1, e))
        t = day(date(year, 12, 12))
        _window(factor, t - 2, t - 1, 1.2)
        _window(factor, t, t, 2.0)
        _window(factor, t + 1, t + 1, 1.2)
        festivals.append(Festival("double12", "双十二", "Double 12", t - 2, t + 1, t))
    inside = [f for f in festivals if f.end >= 0 and f.start < days]
    inside.sort(key=lambda f: (f.start, f.code))
    return Calendar(start, days, epoch0, weekday, factor, inside, sorted(cny_days), eleven)


def cumulative(intensity: np.ndarray) -> np.ndarray:
    """``C[d] = Σ_{k<d} m(k)``; the integrated intensity at day boundaries (length days + 1)."""
    out = np.zeros(len(intensity) + 1)
    np.cumsum(intensity, out=out[1:])
    return out


def integrated(cum: np.ndarray, intensity: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Λ(t) for fractional day times (piecewise-constant intensity)."""
    t = np.clip(np.asarray(t, dtype=np.float64), 0.0, len(intensity) - 1e-9)
    d = t.astype(np.int64)
    return np.asarray(cum[d] + (t - d) * intensity[d])


def inverse(cum: np.ndarray, intensity: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Times ``t`` with Λ(t) = u (the inverse of :func:`integrated`)."""
    d = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, len(intensity) - 1)
    return np.asarray(d + np.clip((u - cum[d]) / intensity[d], 0.0, 1.0 - 1e-9))


def hour_of_day(rng: np.random.Generator, day: np.ndarray, double11: list[int]) -> np.ndarray:
    """A local time of day (fraction of a day) for events on ``day`` (midnight rush on 双十一)."""
    n = len(day)
    hour = rng.choice(24, size=n, p=HOURS)
    if double11:
        eleven = np.isin(day, double11)
        rush = eleven & (rng.random(n) < 0.25)
        hour[rush] = rng.choice([0, 0, 0, 1, 20], size=int(rush.sum()))
    return (hour + rng.random(n)) / 24.0
