"""Time expressions in Chinese and English -> shop-local date ranges ``[start, end)``.

Conventions (documented in docs/{en,zh}/ask.md and pinned by the test questions):

- rolling windows (近7天, 最近30天, 近8周, 近3个月, "last 8 weeks", "past 30 days") are complete
  days ending yesterday: today, still being collected, is excluded;
- to-date periods (本周, 本月, 本季度, 今年以来, 年初至今, "this month", "YTD") run to and include today;
- named periods (上个月, 上季度, 去年, "last month", "Q3", "November", "2024") are whole calendar
  periods; a bare month or quarter is the latest one that has started;
- festivals (双十一期间, "during 618") use :mod:`zhongtai.metrics.ask.festivals`;
- "上周 / last week" has two readings (the previous Monday-Sunday week, or the last 7 days) and
  is returned with both, so the caller can ask back instead of guessing;
- future periods (明天, 下个月, "next month") are flagged: the metric layer reports, it does not forecast.

All parsing is relative to the ``today`` passed in, never the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from zhongtai.metrics.ask.festivals import FESTIVALS, festival_window, latest_festival_window
from zhongtai.metrics.ask.text import NUMBER, parse_number

__all__ = ["Period", "TimeMention", "add_months", "find_time", "month_start", "quarter_start"]


@dataclass(frozen=True, slots=True)
class Period:
    """A date range ``[start, end)`` with how it was said, in zh and en."""

    start: date
    end: date
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class TimeMention:
    """One time expression found in a question.

    ``periods`` holds one reading, or several when the words are ambiguous (上周); ``future``
    marks a period that has not happened yet.
    """

    span: tuple[int, int]
    text: str
    periods: tuple[Period, ...] = ()
    future: bool = False


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (Mar 31 - 1 month = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_EN_RE = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_QUARTER_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_EN_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"

FESTIVAL_PATTERNS: dict[str, str] = {
    "new_year_shopping": r"年货节|new year shopping festival",
    "double11": r"双\s*十一|双\s*11|(?<!\d)1111(?!\d)|double\s*(?:11|eleven)|singles'?\s*day",
    "double12": r"双\s*十二|双\s*12|(?<!\d)1212(?!\d)|double\s*(?:12|twelve)",
    "618": r"(?<![\d-])618(?![\d-])|六一八|mid-?year sale",
    "spring_festival": r"春节|过年|(?:chinese|lunar) new year|spring festival|\bcny\b",
    "womens_day": r"三八节?|(?<!\d)38节|女王节|妇女节|(?:women|queen)'?s day",
    "national_day": r"国庆(?:节|黄金周)?|十一黄金周|national day|golden week",
}
"""How each festival of :data:`FESTIVALS` is written in questions."""
_FEST_RE = "|".join(f"(?P<f_{code}>{pattern})" for code, pattern in FESTIVAL_PATTERNS.items())

_YEAR_WORD = r"(?P<y>\d{4})\s*年?|(?P<yw>今年|去年|前年|本年|this year'?s?|last year'?s?)"
_UNIT_ZH = {"天": "day", "日": "day", "周": "week", "星期": "week", "礼拜": "week", "月": "month", "年": "year"}
_UNIT_LABEL = {"day": ("天", "days"), "week": ("周", "weeks"), "month": ("个月", "months"), "year": ("年", "years")}

Handler = Callable[[re.Match[str], date], TimeMention | None]


def _relative_year(word: str | None, digits: str | None, today: date) -> int | None:
    if digits:
        return int(digits)
    if not word:
        return None
    if word.startswith(("今年", "本年", "this")):
        return today.year
    if word.startswith(("去年", "last")):
        return today.year - 1
    if word.startswith("前年"):
        return today.year - 2
    return None


def _one(m: re.Match[str], start: date, end: date, zh: str, en: str) -> TimeMention:
    return TimeMention(m.span(), m.group(0), (Period(start, end, zh, en),))


def _future(m: re.Match[str], today: date) -> TimeMention:
    return TimeMention(m.span(), m.group(0), (), future=True)


def _date_range(m: re.Match[str], today: date) -> TimeMention | None:
    y1, m1, d1 = int(m["y1"]), int(m["m1"]), int(m["d1"])
    y2 = int(m["y2"]) if m["y2"] else y1
    m2 = int(m["m2"]) if m["m2"] else m1
    first, last = _safe_date(y1, m1, d1), _safe_date(y2, m2, int(m["d2"]))
    if first is None or last is None or last < first:
        return None
    return _one(m, first, last + timedelta(days=1), f"{first} 至 {last}", f"{first} to {last}")


def _md_range(m: re.Match[str], today: date) -> TimeMention | None:
    m1, d1 = parse_number(m["m1"]), parse_number(m["d1"])
    m2 = parse_number(m["m2"]) if m["m2"] else m1
    d2 = parse_number(m["d2"])
    if None in (m1, d1, m2, d2):
        return None
    assert m1 is not None
    assert d1 is not None
    assert m2 is not None
    assert d2 is not None
    year = today.year if (m1, d1) <= (today.month, today.day) else today.year - 1
    first, last = _safe_date(year, m1, d1), _safe_date(year, m2, d2)
    if first is None or last is None or last < first:
        return None
    return _one(m, first, last + timedelta(days=1), f"{first} 至 {last}", f"{first} to {last}")


def _one_day(m: re.Match[str], today: date) -> TimeMention | None:
    month, day = parse_number(m["m"]), parse_number(m["d"])
    if month is None or day is None:
        return None
    if m["y"]:
        year = int(m["y"])
    else:
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    when = _safe_date(year, month, day)
    if when is None:
        return None
    return _one(m, when, when + timedelta(days=1), str(when), str(when))


def _half(m: re.Match[str], today: date) -> TimeMention | None:
    first = m["h"] in ("上", "h1", "first")
    year = _relative_year(m["yw"], m["y"] or m["y2"], today)
    if year is None:
        year = today.year if (first or today.month >= 7) else today.year - 1
    start = date(year, 1 if first else 7, 1)
    end = date(year, 7, 1) if first else date(year + 1, 1, 1)
    zh = f"{year}年{'上' if first else '下'}半年"
    en = f"{'H1' if first else 'H2'} {year}"
    return _one(m, start, end, zh, en)


def _quarter(m: re.Match[str], today: date) -> TimeMention | None:
    q = _QUARTER_DIGIT[m["q"]]
    year = _relative_year(m["yw"], m["y"] or m["y2"], today)
    if year is None:
        year = today.year if date(today.year, 3 * q - 2, 1) <= today else today.year - 1
    start = date(year, 3 * q - 2, 1)
    return _one(m, start, add_months(start, 3), f"{year}年第{q}季度", f"Q{q} {year}")


def _month(m: re.Match[str], today: date) -> TimeMention | None:
    month = _MONTHS_EN.get(m["m"]) if m["m"] in _MONTHS_EN else parse_number(m["m"])
    if month is None or not 1 <= month <= 12:
        return None
    year = _relative_year(m["yw"], m["y"] or m["y2"], today)
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    start = date(year, month, 1)
    return _one(m, start, add_months(start, 1), f"{year}年{month}月", start.strftime("%B %Y"))


def _festival(m: re.Match[str], today: date) -> TimeMention | None:
    code = next(name[2:] for name, value in m.groupdict().items() if name.startswith("f_") and value)
    fest = FESTIVALS[code]
    year = _relative_year(m["yw"], m["y"] or m["y2"], today)
    if year is None:
        latest = latest_festival_window(code, today)
        if latest is None:
            return None
        start, end, year = latest
    else:
        window = festival_window(code, year)
        if window is None:
            return None
        start, end = window
    if start > today:
        return TimeMention(m.span(), m.group(0), (), future=True)
    return _one(m, start, end, f"{year}年{fest.name_zh}期间", f"{fest.name_en} {year}")


def _year(m: re.Match[str], today: date) -> TimeMention | None:
    year = int(m["y"])
    if not 1990 <= year <= 2100:
        return None
    if date(year, 1, 1) > today:
        return TimeMention(m.span(), m.group(0), (), future=True)
    return _one(m, date(year, 1, 1), date(year + 1, 1, 1), f"{year}年", str(year))


_MAX_ROLLING = {"day": 3660, "week": 520, "month": 120, "year": 10}
"""The longest rolling window read (ten years); longer numbers are not taken as periods."""


def _rolling(m: re.Match[str], today: date) -> TimeMention | None:
    raw = m["n"]
    if raw in (None, "", "a", "the"):
        count = 1
    elif raw == "半":
        count = -6  # 近半年: six months
    else:
        parsed = parse_number(raw)
        if parsed is None or parsed < 1:
            return None
        count = parsed
    unit_word = m["u"].rstrip("s")
    unit = _UNIT_ZH.get(unit_word, unit_word)
    if count == -6:
        unit, count = "month", 6
    if count > _MAX_ROLLING.get(unit, 0):
        return None  # "近72025年" is not a period anyone means
    if unit == "day":
        start = today - timedelta(days=count)
    elif unit == "week":
        start = today - timedelta(days=7 * count)
    elif unit == "month":
        start = add_months(today, -count)
    elif unit == "year":
        start = add_months(today, -12 * count)
    else:
        return None
    if unit == "week" and count == 1:
        unit, count = "day", 7
    zh_unit, en_unit = _UNIT_LABEL[unit]
    en = f"last {count} {en_unit}" if count > 1 else f"last {en_unit[:-1]}"
    return _one(m, start, today, f"近{count}{zh_unit}", en)


def _fixed(kind: str) -> Handler:
    """Handlers for the named relative periods (今天, 上个月, 今年以来, "last quarter", …)."""

    def handler(m: re.Match[str], today: date) -> TimeMention | None:
        t = today
        if kind == "today":
            return _one(m, t, t + timedelta(days=1), "今天", "today")
        if kind == "yesterday":
            return _one(m, t - timedelta(days=1), t, "昨天", "yesterday")
        if kind == "day_before":
            return _one(m, t - timedelta(days=2), t - timedelta(days=1), "前天", "the day before yesterday")
        if kind == "this_week":
            return _one(m, _monday(t), t + timedelta(days=1), "本周至今", "this week to date")
        if kind == "calendar_last_week":
            monday = _monday(t)
            return _one(m, monday - timedelta(days=7), monday, "上个自然周(周一至周日)", "the previous calendar week")
        if kind == "last_week":
            monday = _monday(t)
            if monday == t:  # on a Monday both readings are the same seven days
                return _one(m, t - timedelta(days=7), t, "上周(周一至周日)", "last week (Monday to Sunday)")
            return TimeMention(
                m.span(),
                m.group(0),
                (
                    Period(monday - timedelta(days=7), monday, "上个自然周(周一至周日)", "the previous calendar week"),
                    Period(t - timedelta(days=7), t, "近7天", "last 7 days"),
                ),
            )
        if kind == "this_month":
            return _one(m, month_start(t), t + timedelta(days=1), "本月至今", "this month to date")
        if kind == "last_month":
            first = month_start(t)
            return _one(m, add_months(first, -1), first, "上个月", "last month")
        if kind == "month_before_last":
            first = month_start(t)
            return _one(m, add_months(first, -2), add_months(first, -1), "上上个月", "the month before last")
        if kind == "this_quarter":
            return _one(m, quarter_start(t), t + timedelta(days=1), "本季度至今", "this quarter to date")
        if kind == "last_quarter":
            first = quarter_start(t)
            return _one(m, add_months(first, -3), first, "上季度", "last quarter")
        if kind == "this_year":
            return _one(m, date(t.year, 1, 1), t + timedelta(days=1), "今年以来", "year to date")
        if kind == "last_year":
            return _one(m, date(t.year - 1, 1, 1), date(t.year, 1, 1), "去年", "last year")
        if kind == "year_before_last":
            return _one(m, date(t.year - 2, 1, 1), date(t.year - 1, 1, 1), "前年", "the year before last")
        raise AssertionError(kind)

    return handler


_N = NUMBER
RULES: tuple[tuple[str, Handler], ...] = (
    # explicit ranges and dates first: they contain digits other rules would misread
    (
        r"(?:from\s+|between\s+)?(?P<y1>\d{4})\s*[年\-/.]\s*(?P<m1>\d{1,2})\s*[月\-/.]\s*(?P<d1>\d{1,2})\s*[日号]?\s*"
        r"(?:到|至|~|-|and|to|until|through)\s*(?:(?P<y2>\d{4})\s*[年\-/.])?\s*(?:(?P<m2>\d{1,2})\s*[月\-/.])?\s*"
        r"(?P<d2>\d{1,2})\s*[日号]?",
        _date_range,
    ),
    (
        rf"(?P<m1>{_N})月(?P<d1>{_N})[日号]?\s*(?:到|至|~|-)\s*(?:(?P<m2>{_N})月)?(?P<d2>{_N})[日号]?",
        _md_range,
    ),
    (r"(?P<y>\d{4})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*[日号]?", _one_day),
    (rf"(?<![\d个])(?P<m>{_N})月(?P<d>{_N})[日号](?P<y>)", _one_day),
    # future: reported, never answered
    (
        r"明天|明日|后天|下周|下个?星期|下一周|下个?月|下一个月|下个?季度|下一季度|明年|未来\s*"
        + _N
        + r"?\s*[天日周月年]"
        r"|tomorrow|next\s+(?:\d+\s+)?(?:days?|weeks?|months?|quarters?|years?)",
        _future,
    ),
    # festivals, with an optional year before or after
    (
        rf"(?:(?:{_YEAR_WORD})\s*(?:的)?\s*)?(?:{_FEST_RE})(?:\s*(?P<y2>\d{{4}}))?(?:期间|大促期间|大促|活动期间|活动|当天|那天)?",
        _festival,
    ),
    # halves and quarters of a year
    (rf"(?:(?:{_YEAR_WORD})\s*)?(?P<h>上|下)半年(?P<y2>)", _half),
    (r"\b(?P<h>h1|h2|first|second)(?:\s+half)?(?:\s+of)?\s*(?P<y2>\d{4})?\b(?P<y>)(?P<yw>)", _half),
    (rf"(?:(?:{_YEAR_WORD})\s*)?第?\s*(?P<q>[一二三四1-4])\s*季度(?P<y2>)", _quarter),
    (rf"(?:(?:{_YEAR_WORD})\s*)?(?<![a-z])q(?P<q>[1-4])\b(?:\s*(?P<y2>\d{{4}}))?", _quarter),
    # calendar months
    (rf"(?:(?:{_YEAR_WORD})\s*)?(?<![个\d上下本当这每])(?P<m>{_N})\s*月份?(?![\d日号])(?P<y2>)", _month),
    (rf"(?:(?:{_YEAR_WORD})\s*)?\b(?P<m>{_MONTH_EN_RE})\b(?:\s+(?P<y2>\d{{4}}))?", _month),
    # rolling windows
    (
        rf"(?:近|最近|过去|前)\s*(?P<n>{_N}|半)\s*个?\s*(?P<u>天|日|周|星期|礼拜|月|年)(?:内|以来|里|中)?",
        _rolling,
    ),
    (
        rf"\b(?:in\s+|over\s+|for\s+|during\s+)?(?:the\s+)?(?:last|past|previous|recent|trailing)\s+"
        rf"(?P<n>{_EN_NUM})\s+(?P<u>days?|weeks?|months?|years?)\b",
        _rolling,
    ),
    (r"\b(?:in\s+|over\s+|for\s+|during\s+)?(?:the\s+)?past\s+(?P<n>)(?P<u>day|week|month|year)\b", _rolling),
    # named relative periods
    (r"今天|今日|today", _fixed("today")),
    (r"昨天|昨日|yesterday", _fixed("yesterday")),
    (r"前天|the day before yesterday", _fixed("day_before")),
    (r"本周|这周|这一周|本星期|这个星期|this week|week to date|\bwtd\b", _fixed("this_week")),
    (
        r"上个?自然周|上一自然周|上周一(?:到|至)(?:上周)?日|previous calendar week|last calendar week|last full week",
        _fixed("calendar_last_week"),
    ),
    (r"上上个?月|the month before last", _fixed("month_before_last")),
    (r"本月|这个月|当月|本月至今|this month|month to date|\bmtd\b", _fixed("this_month")),
    (r"上个?月|上一个?月|last month|previous month|prior month", _fixed("last_month")),
    (r"上周|上个?星期|上一周|上礼拜|last week|previous week", _fixed("last_week")),
    (r"本季度|这个季度|本季|当季|this quarter|quarter to date|\bqtd\b", _fixed("this_quarter")),
    (r"上个?季度|上一个?季度|last quarter|previous quarter", _fixed("last_quarter")),
    (
        r"今年以来|今年至今|年初至今|年初到现在|年初到今天|本年至今|本年度|今年|this year|year to date|\bytd\b",
        _fixed("this_year"),
    ),
    (r"前年|the year before last", _fixed("year_before_last")),
    (r"去年全年|去年|上一年|last year|previous year", _fixed("last_year")),
    (r"(?:in\s+|for\s+|during\s+)?(?P<y>\d{4})\s*年?(?:全年|整年|年度)?", _year),
)
"""Ordered rules: earlier (more specific) rules claim their words first."""

_COMPILED = tuple((re.compile(pattern), handler) for pattern, handler in RULES)


def find_time(text: str, today: date) -> tuple[list[TimeMention], str]:
    """All time expressions in normalised ``text``, and the text with them blanked out.

    Blanking keeps positions stable, so the caller can still see what is left to explain.
    """
    mentions: list[TimeMention] = []
    taken = [False] * len(text)
    for regex, handler in _COMPILED:
        for match in regex.finditer(text):
            lo, hi = match.span()
            if hi == lo or any(taken[lo:hi]):
                continue
            mention = handler(match, today)
            if mention is None:
                continue
            mentions.append(mention)
            for i in range(lo, hi):
                taken[i] = True
    mentions.sort(key=lambda m: m.span)
    rest = "".join(" " if flag else char for char, flag in zip(text, taken, strict=True))
    return mentions, rest
