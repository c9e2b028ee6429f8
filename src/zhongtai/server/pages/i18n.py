"""The console's words and numbers in zh-CN and English: Babel catalogues and locale formatting.

Messages are written in English in the templates and page code (``{{ _("Overview") }}``,
``gettext("...")``); their Chinese translations live in gettext ``.po`` catalogues, one per
capability folder (``pages/<capability>/locale/zh_CN.po``) plus the shared one
(``pages/locale/zh_CN.po``), so a new capability brings its own words. English is the source
language and needs no catalogue. The catalogues are read with Babel at start-up (no compiled
``.mo`` files in the repository); ``tests/server/pages/test_catalogues.py`` extracts every message
from templates and code and fails on any without a Chinese translation.

Numbers follow the locale: zh-CN groups large numbers by 万 (10⁴) and 亿 (10⁸) as Chinese readers
do (``12.35万``, ``1.23亿``), English by K/M/B (CLDR compact decimal patterns, via Babel); money
carries the shop's currency symbol; dates and times are shown in the shop's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_currency, format_decimal, format_percent, get_currency_symbol

__all__ = [
    "CONSOLE_LANGUAGES",
    "PAGES_DIR",
    "catalogue_files",
    "format_date_local",
    "format_datetime_local",
    "format_money",
    "format_number",
    "format_ratio",
    "gettext",
    "load_catalogue",
    "ngettext",
]

PAGES_DIR = Path(__file__).parent
CONSOLE_LANGUAGES = ("zh_CN", "en")
"""Console languages; English is the source language of the messages."""
_COMPACT_FROM = 10_000
"""Values at or above this are written compactly (万/亿, K/M/B); below it in full."""


def catalogue_files(lang: str) -> Iterator[Path]:
    """The ``.po`` files of ``lang``: the shared one and each capability folder's."""
    yield from sorted(PAGES_DIR.glob(f"locale/{lang}.po"))
    yield from sorted(PAGES_DIR.glob(f"*/locale/{lang}.po"))


@cache
def load_catalogue(lang: str) -> dict[str, str]:
    """``msgid -> translation`` of one language, merged over every catalogue file (empty for English).

    Fuzzy and untranslated entries are left out, so they show in English instead of blank.
    """
    messages: dict[str, str] = {}
    for path in catalogue_files(lang):
        with path.open("rb") as handle:
            catalog: Catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                messages[message.id] = str(message.string)
    return messages


def gettext(lang: str, message: str) -> str:
    """``message`` in ``lang`` (itself when English or not translated)."""
    if lang == "en":
        return message
    return load_catalogue(lang).get(message, message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """Singular or plural English form; Chinese has one form (the singular's translation)."""
    if lang == "en":
        return singular if n == 1 else plural
    return load_catalogue(lang).get(singular, singular if n == 1 else plural)


@cache
def _locale(lang: str) -> Locale:
    """The Babel locale of ``lang``, parsed once: ``Locale.parse`` cost ~0.1 ms per call, twice per
    formatted cell, a sixth of an explorer table's formatting time (benchmarks/console_serve.py)."""
    return Locale.parse("zh_Hans_CN" if lang == "zh_CN" else "en_US")


def format_number(value: float | int | Decimal | None, lang: str, *, digits: int = 2) -> str:
    """A count or amount for reading: compact (万/亿 in zh-CN, K/M/B in English) from 10,000 on.

    ``None`` (no data) is an em dash. ``digits`` is the most fraction digits shown.
    """
    if value is None:
        return "—"
    number = float(value)
    if abs(number) >= _COMPACT_FROM:
        return format_compact_decimal(number, locale=_locale(lang), fraction_digits=digits)
    if number == int(number):
        return format_decimal(int(number), locale=_locale(lang))
    return format_decimal(round(number, digits), locale=_locale(lang), format="#,##0.##")


def format_money(value: float | int | Decimal | None, lang: str, currency: str = "CNY") -> str:
    """Money with the currency symbol: compact from 10,000 on (``¥12.35万``), else two decimals."""
    if value is None:
        return "—"
    number = float(value)
    loc = _locale(lang)
    if abs(number) >= _COMPACT_FROM:
        return get_currency_symbol(currency, locale=loc) + format_compact_decimal(number, locale=loc, fraction_digits=2)
    return format_currency(number, currency, locale=loc)


def format_ratio(value: float | Decimal | None, lang: str, *, digits: int = 1) -> str:
    """A fraction in [0, 1] (or a change) as a percentage: ``0.0321`` → ``3.2%``."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(float(value), locale=_locale(lang), format=pattern)


def format_datetime_local(value: datetime | None, lang: str, timezone: str) -> str:
    """A UTC timestamp (naive values are UTC) shown in the shop's time zone, medium length."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(value, "medium", tzinfo=ZoneInfo(timezone), locale=_locale(lang))


def format_date_local(value: date | None, lang: str) -> str:
    """A calendar date, medium length (``2025年11月11日`` / ``Nov 11, 2025``)."""
    if value is None:
        return "—"
    return format_date(value, "medium", locale=_locale(lang))
