"""Per-value maskers: the reference behaviour, for single objects and small records.

Each function takes one value and returns its masked form; :mod:`zhongtai.policy.vector` does the
same to whole Arrow columns with the same patterns, and the tests check the two agree on
generated input. Masked output never contains more of the value than the examples show:

=============  ==========================  ===============================
kind           in                          out
=============  ==========================  ===============================
phone          ``13800138000``             ``138****8000``
email          ``alice@x.com``             ``a***@x.com``
name           ``张三丰`` / ``John``         ``张**`` / ``J***``
ID number      ``110101199003071234``      ``1****************4``
address        ``北京市朝阳区建国路88号``       ``北京市朝阳区****``
identifier     ``M1a2b3c4d5e6f7g8``        ``M1****g8``
date           ``1990-03-07``              ``1990-**-**``
=============  ==========================  ===============================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from typing import Any

from zhongtai.policy import patterns as p
from zhongtai.policy.columns import ColumnPolicy, MaskKind
from zhongtai.warehouse.schema import PiiClass

__all__ = [
    "PERSONAL_CLASSES",
    "mask_address",
    "mask_code",
    "mask_date",
    "mask_email",
    "mask_id_number",
    "mask_identifier",
    "mask_name",
    "mask_phone",
    "mask_value",
    "redact",
    "scrub_text",
    "text_passes",
]

PERSONAL_CLASSES = frozenset(c for c in PiiClass if c is not PiiClass.NONE)

_TRIM = re.compile(p.TRIM)
_BLANK = re.compile("[ \t\r\n\u00a0\u3000]*")
_NON_DIGIT = re.compile(p.NON_DIGIT)
_DIGIT = re.compile(p.DIGIT)
_SEP = re.compile("[" + re.escape(p.SEPARATORS) + "]")
_MOBILE = re.compile(p.MOBILE_DIGITS)
_EMAIL_2 = re.compile(p.EMAIL_VALUE_2)
_EMAIL_1 = re.compile(p.EMAIL_VALUE_1)
_ADDRESSES = [re.compile(x) for x in (p.ADDRESS_DISTRICT, p.ADDRESS_CITY, p.ADDRESS_PROVINCE)]
_LATIN = re.compile(p.LATIN_LAST_PART)
_YEAR = re.compile(p.YEAR_PREFIX)


def _trim(value: str) -> str:
    return _TRIM.sub("", value)


def _blank(value: str) -> bool:
    return _BLANK.fullmatch(value) is not None


def mask_phone(value: str) -> str:
    """A mainland mobile keeps its first three and last four digits; any other number only its last four."""
    if _blank(value):
        return value
    digits = _NON_DIGIT.sub("", value)
    if _MOBILE.search(digits):
        return _MOBILE.sub(p.MOBILE_REWRITE, digits)
    return "****" + digits[-4:] if len(digits) >= 7 else "****"


def mask_email(value: str) -> str:
    """The local part keeps its first character (none if it has one); the domain stays."""
    if _blank(value):
        return value
    text = _trim(value)
    if _EMAIL_2.search(text):
        return _EMAIL_2.sub(p.EMAIL_VALUE_2_REWRITE, text)
    if _EMAIL_1.search(text):
        return _EMAIL_1.sub(p.EMAIL_VALUE_1_REWRITE, text)
    return "***"


def mask_name(value: str) -> str:
    """The first character, then one star per hidden character, at most three (``张*``, ``欧***``)."""
    if _blank(value):
        return value
    text = _trim(value)
    if len(text) == 1:
        return "*"
    return text[0] + "*" * min(len(text) - 1, 3)


def mask_id_number(value: str) -> str:
    """The first and last character of the number, separators removed; short values are hidden whole."""
    if _blank(value):
        return value
    text = _SEP.sub("", _trim(value))
    if len(text) < 6:
        return "****"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def mask_address(value: str) -> str:
    """A Chinese address down to its district (else city, else province); a Latin one to its last part."""
    if _blank(value):
        return value
    text = _trim(value)
    for pattern in _ADDRESSES:
        match = pattern.search(text)
        if match:
            return match.group(1) + "****"
    match = _LATIN.search(text)
    if match:
        return "***, " + _DIGIT.sub("*", match.group(1))
    return "****"


def mask_identifier(value: str) -> str:
    """Long ids keep two characters at each end, shorter ones one, ids of four or fewer none."""
    if _blank(value):
        return value
    text = _trim(value)
    if len(text) <= 4:
        return "****"
    if len(text) <= 8:
        return text[0] + "****" + text[-1]
    return text[:2] + "****" + text[-2:]


def mask_date(value: date | datetime | str) -> str:
    """Only the year (``1990-**-**``)."""
    if isinstance(value, date | datetime):
        return f"{value.year:04d}-**-**"
    if _blank(value):
        return value
    match = _YEAR.search(value)
    return match.group(1) + "-**-**" if match else "****"


def mask_code(value: str) -> str:
    return value if _blank(value) else "*"


def redact(value: str) -> str:
    return value if _blank(value) else "***"


@cache
def text_passes(hidden: frozenset[PiiClass]) -> tuple[tuple[str, str], ...]:
    """The (pattern, rewrite) passes that scrub free text of the ``hidden`` classes, in order."""
    passes: list[tuple[str, str]] = []
    if PiiClass.SENSITIVE in hidden:
        passes.append((p.TEXT_ID, p.TEXT_ID_REWRITE))
    if PiiClass.FINANCIAL in hidden:
        passes.append((p.TEXT_CARD, p.TEXT_CARD_REWRITE))
    if PiiClass.CONTACT in hidden:
        passes += [
            (p.TEXT_PHONE, p.TEXT_PHONE_REWRITE),
            (p.TEXT_EMAIL, p.TEXT_EMAIL_REWRITE),
            (p.TEXT_EMAIL_1, p.TEXT_EMAIL_1_REWRITE),
        ]
    return tuple(passes)


@cache
def _compiled(hidden: frozenset[PiiClass]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), rewrite) for pattern, rewrite in text_passes(hidden))


def scrub_text(value: str, hidden: Iterable[PiiClass] = PERSONAL_CLASSES) -> str:
    """Free text with embedded PII of the ``hidden`` classes masked (names in prose cannot be found)."""
    for pattern, rewrite in _compiled(frozenset(hidden)):
        value = pattern.sub(rewrite, value)
    return value


_MASKERS: dict[MaskKind, Callable[[str], str]] = {
    MaskKind.PHONE: mask_phone,
    MaskKind.EMAIL: mask_email,
    MaskKind.NAME: mask_name,
    MaskKind.ID_NUMBER: mask_id_number,
    MaskKind.ADDRESS: mask_address,
    MaskKind.IDENTIFIER: mask_identifier,
    MaskKind.CODE: mask_code,
    MaskKind.REDACT: redact,
}


def mask_value(value: Any, policy: ColumnPolicy, visible: frozenset[PiiClass]) -> Any:
    """One value as a principal who sees the ``visible`` classes may read it."""
    if value is None:
        return None
    if policy.personal:
        if policy.pii in visible:
            return value
        if policy.kind is MaskKind.DATE:
            return mask_date(value if isinstance(value, date | datetime | str) else str(value))
        masker = _MASKERS.get(policy.kind, mask_identifier)
        return masker(value if isinstance(value, str) else str(value))
    if policy.kind is MaskKind.TEXT and isinstance(value, str):
        return scrub_text(value, PERSONAL_CLASSES - visible)
    return value
