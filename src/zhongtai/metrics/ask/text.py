"""Text normalisation and number words for natural-language questions.

Operators type on phones and IMEs: full-width letters and digits (ＧＭＶ, ３０), ideographic
spaces, Chinese punctuation, mixed case and stray spaces. :func:`normalize` folds all of that
(Unicode NFKC, lower case, punctuation to spaces) so the rest of the parser sees one spelling.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CN_DIGITS", "NUMBER", "is_cjk", "normalize", "parse_number"]

_PUNCT = re.compile(r"[，。、；：？！,;:?!（）()\[\]【】「」『』“”\"《》<>|]+")
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
"""Chinese digit characters."""

NUMBER = r"(?:\d+|[零〇一二两三四五六七八九十]+)"
"""A regex fragment for a whole number in Arabic digits or Chinese numerals (up to 99)."""

_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip


def normalize(text: str) -> str:
    """Fold width, case, punctuation and spacing; keep ``-``, ``/``, ``.`` and ``~`` (dates use them)."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("\u3000", " ")
    folded = folded.replace("’", "'").replace("—", "-").replace("–", "-").replace("～", "~")
    folded = _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()
    return _CJK_GAP.sub("", folded)


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a CJK ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def parse_number(token: str) -> int | None:
    """``"30"`` -> 30, ``"十五"`` -> 15, ``"二十"`` -> 20, ``"两"`` -> 2, ``"eight"`` -> 8; else ``None``."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token in _EN_NUMBERS:
        return _EN_NUMBERS[token]
    if not token or any(c not in CN_DIGITS and c != "十" for c in token):
        return None
    if "十" not in token:
        value = 0
        for char in token:
            value = value * 10 + CN_DIGITS[char]
        return value
    tens, _, units = token.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)
