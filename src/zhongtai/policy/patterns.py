"""The regular expressions behind every masker, written once for two engines.

The per-value maskers (:mod:`zhongtai.policy.maskers`) run these with Python's ``re``; the
vectorised maskers (:mod:`zhongtai.policy.vector`) run the very same strings with RE2 through
Arrow's string kernels. So each pattern uses only syntax both engines read alike: no
look-around, no back-references inside patterns, explicit character classes instead of ``\\d``
and ``\\s`` (whose meaning differs: Python's cover every Unicode digit, RE2's only ASCII), and
leftmost-first alternation, which both implement. Full-width forms (``１３８``, ``＠``, ``＋``) are
matched directly, so text is never normalised and what is not masked stays byte-for-byte.

Free-text scrubbing looks for PII embedded in prose (customer-service messages, reviews, notes):
mainland ID numbers (sensitive), UnionPay card numbers (financial), mobile numbers and e-mail
addresses (contact). A match needs a non-digit (or the start) before it, so a phone number is
not found inside a longer order number; digits after it are not checked, so an order number that
starts like a phone number is masked too: restricted roles may see a few order numbers masked,
never a phone number in the clear.
"""

from __future__ import annotations

__all__ = [
    "ADDRESS_CITY",
    "ADDRESS_DISTRICT",
    "ADDRESS_PROVINCE",
    "DIGIT",
    "EMAIL_VALUE_1",
    "EMAIL_VALUE_2",
    "LATIN_LAST_PART",
    "MOBILE_DIGITS",
    "NON_DIGIT",
    "SEPARATORS",
    "TEXT_CARD",
    "TEXT_EMAIL",
    "TEXT_EMAIL_1",
    "TEXT_ID",
    "TEXT_PHONE",
    "TRIM",
    "YEAR_PREFIX",
]

DIGIT = "[0-9０-９]"
NON_DIGIT = "[^0-9０-９]"
SEPARATORS = " \t\u00a0\u3000-\uff0d\u2010\u2011\u2012\u2013\u2014\u2212"
"""Characters people put inside numbers: spaces (ASCII, no-break, ideographic), tab and dashes
(ASCII, full-width, hyphen, figure dash, en and em dash, minus sign)."""
_SEP = "[ \t\u00a0\u3000\\-\uff0d\u2010-\u2014\u2212]"
_GAP = _SEP + "{0,3}"  # up to three separators between two digits ("138 - 0013 - 8000")
_PLUS = "[+＋]"
_AT = "[@＠]"
_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"


def _d(cls: str) -> str:
    """A digit class with its full-width twin (``1-9`` -> ``[1-9１-９]``)."""
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in cls)
    return f"[{cls}{wide}]"


def _seq(*parts: str) -> str:
    """Digit classes joined by optional separators."""
    return _GAP.join(parts)


TRIM = "^[ \t\r\n\u00a0\u3000]+|[ \t\r\n\u00a0\u3000]+$"

# -- free text ------------------------------------------------------------------------------

_COUNTRY = f"(?:{_PLUS}|{_d('0')}{_d('0')})?{_d('8')}{_d('6')}{_GAP}"
TEXT_PHONE = (
    f"(^|{NON_DIGIT})({_COUNTRY})?({_seq(_d('1'), _d('3-9'), DIGIT)})((?:{_GAP}{DIGIT}){{4}})((?:{_GAP}{DIGIT}){{4}})"
)
"""A mainland mobile number, optionally with +86/0086: keep the head and last four (``138****8000``).
Groups: boundary, country code, first three digits, middle four, last four."""
TEXT_PHONE_REWRITE = r"\1\2\3****\5"

_YEAR = f"(?:{_seq(_d('1'), _d('9'))}|{_seq(_d('2'), _d('0'))})"
_MONTH = f"(?:{_seq(_d('0'), _d('1-9'))}|{_seq(_d('1'), _d('0-2'))})"
_DAY = f"(?:{_seq(_d('0'), _d('1-9'))}|{_seq(_d('12'), DIGIT)}|{_seq(_d('3'), _d('01'))})"
TEXT_ID = (
    f"(^|{NON_DIGIT})({_d('1-9')})"
    f"({_GAP}{_seq(*[DIGIT] * 5)}{_GAP}{_YEAR}{_GAP}{_seq(DIGIT, DIGIT)}{_GAP}{_MONTH}{_GAP}{_DAY}"
    f"{_GAP}{_seq(*[DIGIT] * 3)}{_GAP})([0-9０-９XxＸｘ])"
)
"""A mainland resident ID number (18 characters, a plausible birth date inside): keep the first
and last character. Groups: boundary, first digit, middle, check character."""
TEXT_ID_REWRITE = r"\1\2****************\4"

TEXT_CARD = f"(^|{NON_DIGIT})({_seq(_d('6'), _d('2'))})((?:{_GAP}{DIGIT}){{10,13}})((?:{_GAP}{DIGIT}){{4}})"
"""A UnionPay card number (62 + 14-17 digits): keep 62 and the last four."""
TEXT_CARD_REWRITE = r"\1\2**********\4"

_LOCAL_FIRST = f"[{_ALNUM}]"
_LOCAL = f"[{_ALNUM}._%+\\-]"
_DOMAIN = f"{_AT}[{_ALNUM}\\-]+(?:[.．][{_ALNUM}\\-]+)+"
TEXT_EMAIL = f"({_LOCAL_FIRST})({_LOCAL}+)({_DOMAIN})"
"""An e-mail address with a local part of two or more characters: keep its first character and
the domain (``a***@x.com``)."""
TEXT_EMAIL_REWRITE = r"\1***\3"
TEXT_EMAIL_1 = f"({_LOCAL_FIRST})({_DOMAIN})"
"""An e-mail address with a one-character local part (applied after :data:`TEXT_EMAIL`)."""
TEXT_EMAIL_1_REWRITE = r"*\2"

# -- whole values (a column known to hold one kind) -------------------------------------------

MOBILE_DIGITS = f"^(?:{_d('0')}{{0,2}}{_d('8')}{_d('6')})?({_d('1')}{_d('3-9')}{DIGIT}){DIGIT}{{4}}({DIGIT}{{4}})$"
"""The digits of a phone value (separators removed) that form a mainland mobile number."""
MOBILE_REWRITE = r"\1****\2"

EMAIL_VALUE_2 = f"(?s)^(.)(.+)({_AT}[^@＠]*)$"
EMAIL_VALUE_2_REWRITE = r"\1***\3"
EMAIL_VALUE_1 = f"(?s)^(.)({_AT}[^@＠]*)$"
EMAIL_VALUE_1_REWRITE = r"*\2"

_PROVINCES = (
    "新疆(?:维吾尔自治区)?|广西(?:壮族自治区)?|宁夏(?:回族自治区)?|内蒙古(?:自治区)?|西藏(?:自治区)?|"
    "香港(?:特别行政区)?|澳门(?:特别行政区)?|(?:北京|天津|上海|重庆)市?|"
    "(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|"
    "甘肃|青海|台湾)省?"
)
_ADDRESS_START = f"^[ \t\u3000]*((?:中国)?(?:{_PROVINCES})"
ADDRESS_DISTRICT = _ADDRESS_START + f"{NON_DIGIT}{{0,12}}?[区县旗])"
"""A Chinese address cut after its district (区/县/旗): ``北京市朝阳区****``."""
ADDRESS_CITY = _ADDRESS_START + f"{NON_DIGIT}{{0,8}}?(?:市|自治州|盟|地区))"
"""...or, with no district near the start, after its city."""
ADDRESS_PROVINCE = _ADDRESS_START + ")"
"""...or after its province."""
ADDRESS_REWRITE = r"\1****"
LATIN_LAST_PART = "(?s)^.*,[ \t]*([^,]*)$"
"""A comma-separated (Latin) address: only the last part (country or region) is kept."""

YEAR_PREFIX = "^[ \t]*([0-9]{4})"
"""A date written as text starting with its year: only the year is kept (``1990-**-**``)."""
