"""Time expressions in zh and en -> [start, end) dates, each worked out by hand from a calendar.

Conventions under test (docs/en/ask.md): rolling windows end yesterday; to-date periods include
today; named periods are whole calendar periods; a bare month/quarter/festival is the latest
one that has started; 上周/"last week" has two readings except on a Monday.
"""

from __future__ import annotations

from datetime import date

import pytest

from zhongtai.metrics.ask import find_time
from zhongtai.metrics.ask.festivals import festival_window, latest_festival_window
from zhongtai.metrics.ask.text import normalize, parse_number
from zhongtai.metrics.ask.timeexpr import add_months

WED = date(2025, 12, 17)  # a Wednesday; the Monday of its week is 2025-12-15


def one(text: str, today: date = WED) -> tuple[date, date]:
    mentions, _ = find_time(normalize(text), today)
    assert len(mentions) == 1, mentions
    assert len(mentions[0].periods) == 1, mentions
    period = mentions[0].periods[0]
    return period.start, period.end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("今天", date(2025, 12, 17), date(2025, 12, 18)),
        ("昨天", date(2025, 12, 16), date(2025, 12, 17)),
        ("前天", date(2025, 12, 15), date(2025, 12, 16)),
        ("本周", date(2025, 12, 15), date(2025, 12, 18)),
        ("上个自然周", date(2025, 12, 8), date(2025, 12, 15)),
        ("本月", date(2025, 12, 1), date(2025, 12, 18)),
        ("上个月", date(2025, 11, 1), date(2025, 12, 1)),
        ("上上个月", date(2025, 10, 1), date(2025, 11, 1)),
        ("本季度", date(2025, 10, 1), date(2025, 12, 18)),
        ("上季度", date(2025, 7, 1), date(2025, 10, 1)),
        ("今年以来", date(2025, 1, 1), date(2025, 12, 18)),
        ("年初至今", date(2025, 1, 1), date(2025, 12, 18)),
        ("去年", date(2024, 1, 1), date(2025, 1, 1)),
        ("前年", date(2023, 1, 1), date(2024, 1, 1)),
        ("近7天", date(2025, 12, 10), date(2025, 12, 17)),
        ("最近三十天", date(2025, 11, 17), date(2025, 12, 17)),
        ("过去一周", date(2025, 12, 10), date(2025, 12, 17)),
        ("近两周", date(2025, 12, 3), date(2025, 12, 17)),
        ("近3个月", date(2025, 9, 17), date(2025, 12, 17)),
        ("近半年", date(2025, 6, 17), date(2025, 12, 17)),
        ("11月", date(2025, 11, 1), date(2025, 12, 1)),
        ("十二月", date(2025, 12, 1), date(2026, 1, 1)),
        ("2024年3月", date(2024, 3, 1), date(2024, 4, 1)),
        ("第三季度", date(2025, 7, 1), date(2025, 10, 1)),
        ("2024年Q4", date(2024, 10, 1), date(2025, 1, 1)),
        ("2025年下半年", date(2025, 7, 1), date(2026, 1, 1)),
        ("2025年10月1日到10月7日", date(2025, 10, 1), date(2025, 10, 8)),
        ("2025-10-01至2025-10-07", date(2025, 10, 1), date(2025, 10, 8)),
        ("10月1日至10月7日", date(2025, 10, 1), date(2025, 10, 8)),
        ("双11", date(2025, 10, 24), date(2025, 11, 13)),
        ("去年双十一期间", date(2024, 10, 24), date(2024, 11, 13)),
        ("今年618", date(2025, 5, 20), date(2025, 6, 19)),
        ("春节期间", date(2025, 1, 28), date(2025, 2, 5)),
        ("国庆期间", date(2025, 10, 1), date(2025, 10, 8)),
        ("today", date(2025, 12, 17), date(2025, 12, 18)),
        ("last month", date(2025, 11, 1), date(2025, 12, 1)),
        ("month to date", date(2025, 12, 1), date(2025, 12, 18)),
        ("YTD", date(2025, 1, 1), date(2025, 12, 18)),
        ("last quarter", date(2025, 7, 1), date(2025, 10, 1)),
        ("the last 8 weeks", date(2025, 10, 22), date(2025, 12, 17)),
        ("past 30 days", date(2025, 11, 17), date(2025, 12, 17)),
        ("last three months", date(2025, 9, 17), date(2025, 12, 17)),
        ("in November 2024", date(2024, 11, 1), date(2024, 12, 1)),
        ("Q3 2024", date(2024, 7, 1), date(2024, 10, 1)),
        ("H1 2025", date(2025, 1, 1), date(2025, 7, 1)),
        ("in 2024", date(2024, 1, 1), date(2025, 1, 1)),
        ("during Double 11", date(2025, 10, 24), date(2025, 11, 13)),
        ("Chinese New Year 2024", date(2024, 2, 9), date(2024, 2, 17)),
    ],
)
def test_time_expression_gives_the_hand_computed_range(text: str, start: date, end: date) -> None:
    assert one(text) == (start, end)


def test_last_week_has_two_readings_midweek_but_one_on_a_monday() -> None:
    mentions, _ = find_time("上周", WED)
    assert [(p.start, p.end) for p in mentions[0].periods] == [
        (date(2025, 12, 8), date(2025, 12, 15)),  # Monday 8th to Sunday 14th
        (date(2025, 12, 10), date(2025, 12, 17)),  # the seven days before today
    ]
    assert one("last week", date(2025, 12, 15)) == (date(2025, 12, 8), date(2025, 12, 15))


@pytest.mark.parametrize("text", ["明天", "下个月", "明年", "next month", "tomorrow", "next week"])
def test_future_periods_are_flagged_not_answered(text: str) -> None:
    mentions, _ = find_time(normalize(text), WED)
    assert len(mentions) == 1
    assert mentions[0].future
    assert mentions[0].periods == ()


def test_a_bare_month_or_quarter_or_festival_is_the_latest_that_has_started() -> None:
    march = date(2025, 3, 10)
    assert one("11月", march) == (date(2024, 11, 1), date(2024, 12, 1))
    assert one("Q4", march) == (date(2024, 10, 1), date(2025, 1, 1))
    assert one("双十一", march) == (date(2024, 10, 24), date(2024, 11, 13))
    # 618 of 2025 has started on 2025-06-01 (its window opens May 20), so it is this year's
    assert one("618", date(2025, 6, 1)) == (date(2025, 5, 20), date(2025, 6, 19))


def test_month_arithmetic_clamps_to_the_last_day() -> None:
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)  # leap year
    assert add_months(date(2025, 1, 15), -2) == date(2024, 11, 15)
    assert one("近1个月", date(2025, 3, 31)) == (date(2025, 2, 28), date(2025, 3, 31))


def test_festival_windows_follow_the_lunar_calendar() -> None:
    # 春节 2024 fell on 10 Feb (正月初一) and 2025 on 29 Jan: the window runs 除夕 .. 正月初七
    assert festival_window("spring_festival", 2024) == (date(2024, 2, 9), date(2024, 2, 17))
    assert festival_window("spring_festival", 2025) == (date(2025, 1, 28), date(2025, 2, 5))
    assert festival_window("new_year_shopping", 2025) == (date(2025, 1, 3), date(2025, 1, 22))
    assert festival_window("spring_festival", 2040) is None  # no published date in the table
    assert latest_festival_window("double12", date(2025, 12, 11)) == (date(2025, 12, 10), date(2025, 12, 14), 2025)


def test_normalisation_folds_full_width_case_and_punctuation() -> None:
    # full-width letters and spaces fold; punctuation becomes a space; spaces between two Chinese
    # characters are dropped (they never separate words in Chinese), others are kept
    assert normalize("上个月ＧＭＶ　按渠道（天猫，京东）") == "上个月gmv 按渠道天猫京东"
    assert normalize("  GMV   by  Channel ,last month ") == "gmv by channel last month"
    assert one("近７天") == (date(2025, 12, 10), date(2025, 12, 17))


@pytest.mark.parametrize(
    ("token", "value"), [("30", 30), ("十", 10), ("十五", 15), ("二十", 20), ("二十五", 25), ("两", 2), ("eight", 8)]
)
def test_numbers_in_digits_chinese_and_english(token: str, value: int) -> None:
    assert parse_number(token) == value


def test_words_that_are_not_numbers_are_refused() -> None:
    assert parse_number("一百") is None
    assert parse_number("abc") is None
    assert parse_number("十十") is None
