"""The e-commerce festival calendar that anomaly detection must not mistake for anomalies.

:func:`festival_days` maps each shop-local date inside a festival window to a key that recurs
every year — ``"double11:-3"`` is three days before Nov 11 in any year — so
:func:`zhongtai.metrics.anomaly.detect_anomalies` can compare a festival day with the same day of
the festival in earlier years instead of with an ordinary day.

Windows (the run-up, the peak and the day after, where Chinese e-commerce traffic departs from
its weekly rhythm):

- 春节 ``spring_festival``: 26 days before 春节 (年货节, couriers stopping) to 14 days after (the
  holiday trough and the slow return), keyed from the lunar new-year day (dates below, from the
  published calendar);
- 三八节 ``womens_day``: Mar 5 - Mar 8; 618 ``618``: May 10 - Jun 19 (pre-sale waves from late
  May); 双十一 ``double11``: Oct 15 - Nov 13 (the lull before pre-sale, the Oct 31 first wave,
  Nov 11); 双十二 ``double12``: Dec 10 - Dec 13;
- any public holiday of the shop's own calendar (``external_signals`` rows of kind ``holiday``,
  e.g. 国庆节, 劳动节) not already inside a window, keyed by its name and the day's offset from
  the holiday's first day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

__all__ = ["LUNAR_NEW_YEAR", "festival_days"]

LUNAR_NEW_YEAR: dict[int, date] = {
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
}
"""春节 (first day of the lunar year), Gregorian dates from the published calendar."""

# (key, month, day of the anchor, first offset, last offset)
_FIXED = (
    ("double11", 11, 11, -27, 2),
    ("618", 6, 18, -39, 1),
    ("double12", 12, 12, -2, 1),
    ("womens_day", 3, 8, -3, 0),
)
_SPRING = ("spring_festival", -26, 14)


def festival_days(start: date, end: date, *, holidays: Iterable[tuple[date, str]] = ()) -> dict[date, str]:
    """Festival-day keys for every date in ``[start, end)`` inside a festival window.

    ``holidays``: the shop calendar's public holidays as ``(date, name)`` pairs. Where windows
    overlap, 春节 wins, then 双十一, 618, 双十二, 三八节, then the shop's holidays.
    """
    out: dict[date, str] = {}

    def put(day: date, key: str) -> None:
        if start <= day < end and day not in out:
            out[day] = key

    for year in range(start.year - 1, end.year + 1):
        anchor = LUNAR_NEW_YEAR.get(year)
        if anchor is not None:
            key, first, last = _SPRING
            for offset in range(first, last + 1):
                put(anchor + timedelta(days=offset), f"{key}:{offset}")
        for key, month, mday, first, last in _FIXED:
            anchor = date(year, month, mday)
            for offset in range(first, last + 1):
                put(anchor + timedelta(days=offset), f"{key}:{offset}")
    runs: dict[str, date] = {}
    for day, name in sorted(set(holidays)):
        first_day = runs.get(name)
        if first_day is None or (day - first_day).days > 20:
            runs[name] = first_day = day
        put(day, f"holiday.{name}:{(day - first_day).days}")
    return out
