"""The shop's festival calendar for questions such as 双十一期间 / "during 618" / 春节期间.

Windows are shop-local calendar dates, ``start`` inclusive and ``end`` exclusive, matching the
promotion windows a Chinese e-commerce shop plans around (and the demo shop's calendar, so
questions about the demo hit its peaks):

- 双十一 Double 11: Oct 24 - Nov 12 (the pre-sale wave 18 days before Nov 11 to the day after);
- 618 mid-year sale: May 20 - Jun 18 (the 30-day run-up to Jun 18);
- 双十二 Double 12: Dec 10 - 13;
- 三八节 Queen's Day: Mar 5 - 8;
- 年货节 New Year shopping festival: 26 to 8 days before 春节;
- 春节 Spring Festival holiday: 除夕 (the eve) to 正月初七 (the statutory 8-day holiday);
- 国庆 National Day golden week: Oct 1 - 7.

The lunar new year dates are the metric layer's table (:data:`zhongtai.metrics.festivals.LUNAR_NEW_YEAR`,
from the published calendar). Anomaly detection keys wider windows of the same festivals
(run-ups and slow returns); a question's "双十一期间" means the promotion window itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from zhongtai.metrics.festivals import LUNAR_NEW_YEAR

__all__ = ["CHINESE_NEW_YEAR", "FESTIVALS", "Festival", "festival_window", "latest_festival_window"]

CHINESE_NEW_YEAR: dict[int, date] = LUNAR_NEW_YEAR
"""First day of the lunar new year (正月初一), the table shared with anomaly detection."""


def _fixed(month: int, day: int, before: int, after: int) -> Callable[[int], tuple[date, date] | None]:
    def window(year: int) -> tuple[date, date]:
        anchor = date(year, month, day)
        return anchor - timedelta(days=before), anchor + timedelta(days=after + 1)

    return window


def _lunar(before: int, last: int) -> Callable[[int], tuple[date, date] | None]:
    def window(year: int) -> tuple[date, date] | None:
        cny = CHINESE_NEW_YEAR.get(year)
        if cny is None:
            return None
        return cny - timedelta(days=before), cny + timedelta(days=last + 1)

    return window


@dataclass(frozen=True, slots=True)
class Festival:
    """A named shopping festival: its code, labels and the rule giving its window in a year."""

    code: str
    name_zh: str
    name_en: str
    window: Callable[[int], tuple[date, date] | None]


FESTIVALS: dict[str, Festival] = {
    f.code: f
    for f in (
        Festival("double11", "双十一", "Double 11", _fixed(11, 11, 18, 1)),
        Festival("618", "618", "618", _fixed(6, 18, 29, 0)),
        Festival("double12", "双十二", "Double 12", _fixed(12, 12, 2, 1)),
        Festival("womens_day", "三八节", "Queen's Day", _fixed(3, 8, 3, 0)),
        Festival("new_year_shopping", "年货节", "New Year shopping festival", _lunar(26, -8)),
        Festival("spring_festival", "春节", "Spring Festival", _lunar(1, 6)),
        Festival("national_day", "国庆", "National Day holiday", _fixed(10, 1, 0, 6)),
    )
}
"""The festivals questions may name, by code."""


def festival_window(code: str, year: int) -> tuple[date, date] | None:
    """``(start, end)`` of festival ``code`` in ``year`` (end exclusive), ``None`` when unknown."""
    return FESTIVALS[code].window(year)


def latest_festival_window(code: str, today: date) -> tuple[date, date, int] | None:
    """The most recent window of ``code`` that has started by ``today``: ``(start, end, year)``."""
    for year in (today.year, today.year - 1):
        window = festival_window(code, year)
        if window is not None and window[0] <= today:
            return window[0], window[1], year
    return None
