"""Language of a review: ``zh``, ``en``, ``mixed`` or ``und`` (undetermined), by script ratio.

Why a script ratio and not a language-ID model: the platform's reviews are Chinese or English, and
the two are told apart by their scripts alone. Each Han character counts 1 and each Latin word
counts :data:`WORD_WEIGHT` (2: an English word carries about as much as two Chinese characters —
the average English word is ~4.7 letters and a Chinese word ~1.5–2 characters). With
``share = han / (han + 2 · words)``: ``zh`` when share ≥ 0.7, ``en`` when share ≤ 0.3, ``mixed``
in between, ``und`` when there is neither (only emoji, digits or punctuation). So ``iPhone 很好用``
(3 Han, 1 word: 0.6) is mixed, and ``苹果手机很好用，就是 iPhone 贵`` (11 Han, 1 word: 0.85) is zh.
Digits count for neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["LANGS", "WORD_WEIGHT", "detect_language", "detect_languages"]

LANGS = ("zh", "en", "mixed", "und")
WORD_WEIGHT = 2.0
ZH_AT_LEAST = 0.7
EN_AT_MOST = 0.3

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-zA-Z]+(?:'[a-zA-Z]+)?")


def detect_language(text: str) -> str:
    """The language code of one (normalised or raw) text."""
    han = len(_HAN.findall(text))
    words = len(_WORD.findall(text))
    total = han + WORD_WEIGHT * words
    if total == 0:
        return "und"
    share = han / total
    if share >= ZH_AT_LEAST:
        return "zh"
    if share <= EN_AT_MOST:
        return "en"
    return "mixed"


def detect_languages(texts: Iterable[str]) -> npt.NDArray[np.str_]:
    """:func:`detect_language` of each text, as a NumPy string array."""
    return np.array([detect_language(t) for t in texts], dtype="<U5")
