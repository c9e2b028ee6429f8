"""What makes typed text look typed: typos, loose punctuation, lower case, traditional characters.

Applied after rendering, to a small share of rows, so a model meets 质亮 for 质量, half-width
commas, "recieved" and 繁體字 now and then, as it would in real marketplace text.
"""

from __future__ import annotations

import re

import numpy as np

from zhongtai.demo.text._grammar import STRING
from zhongtai.demo.text._hant import PHRASES, SIMPLIFIED_TO_TRADITIONAL

__all__ = ["roughen", "to_traditional"]

# (right, wrong): IME homophones and the 的/得/地, 在/再 mix-ups; most common first.
ZH_TYPOS = (
    ("的", "得"), ("再", "在"), ("在", "再"), ("已经", "以经"), ("哪", "那"), ("像", "象"),
    ("做工", "作工"), ("收到", "收倒"), ("真的", "真得"), ("一般", "一班"), ("质量", "质亮"), ("物流", "物留"),
    ("喜欢", "喜换"), ("推荐", "推建"), ("效果", "效过"), ("舒服", "舒幅"), ("包装", "包庄"), ("不错", "不措"),
    ("快递", "快第"), ("满意", "满议"), ("衣服", "衣副"), ("味道", "味到"),
)  # fmt: skip
EN_TYPOS = (
    ("received", "recieved"), ("definitely", "definately"), ("it's", "its"), ("a lot", "alot"), ("don't", "dont"),
    ("doesn't", "doesnt"), ("I'm", "im"), ("really", "realy"), ("quality", "qaulity"), ("than", "then"),
    ("wasn't", "wasnt"), ("because", "becuase"), ("arrived", "arived"), ("recommend", "reccomend"),
    ("disappointed", "dissapointed"), ("there", "their"), ("package", "pakage"), ("smells", "smels"),
    ("I've", "ive"), ("though", "tho"), ("you", "u"),
)  # fmt: skip
_TRANSLATION = str.maketrans(SIMPLIFIED_TO_TRADITIONAL)
_PHRASE = re.compile("(" + "|".join(sorted(map(re.escape, PHRASES), key=len, reverse=True)) + ")")


def to_traditional(text: str) -> str:
    """Simplified to traditional Chinese: the listed phrases first (头发 → 頭髮), then character by character."""
    pieces = _PHRASE.split(text)
    return "".join(PHRASES[p] if i % 2 else p.translate(_TRANSLATION) for i, p in enumerate(pieces))


def _typos(rng: np.random.Generator, texts: np.ndarray, rows: np.ndarray, pairs: tuple[tuple[str, str], ...]) -> None:
    """One typo in each of ``rows`` where one of ``pairs`` applies (a random applicable pair)."""
    if len(rows) == 0:
        return
    order = rng.permutation(len(pairs))
    todo = rows
    for p in order:
        right, wrong = pairs[p]
        hit = np.strings.find(texts[todo], right) >= 0
        if hit.any():
            where = todo[hit]
            texts[where] = np.strings.replace(texts[where], right, wrong, 1)
            todo = todo[~hit]
        if len(todo) == 0:
            break


def roughen(
    rng: np.random.Generator,
    texts: np.ndarray,
    english: np.ndarray,
    *,
    typo: float = 0.04,
    loose: float = 0.12,
    traditional: float = 0.03,
    lower: float = 0.05,
) -> np.ndarray:
    """A copy of ``texts`` with typos, loose punctuation, lower case (en) and traditional characters (zh).

    Rates are shares of rows: ``typo`` get one typo, ``loose`` Chinese rows use half-width or no
    commas, ``traditional`` Chinese rows are written in traditional characters, ``lower`` English
    rows are all lower case.
    """
    out = np.array(texts, dtype=STRING, copy=True)
    n = len(out)
    u = rng.random((n, 4))
    zh = ~english
    _typos(rng, out, np.flatnonzero(zh & (u[:, 0] < typo)), ZH_TYPOS)
    _typos(rng, out, np.flatnonzero(english & (u[:, 0] < typo)), EN_TYPOS)
    loose_rows = np.flatnonzero(zh & (u[:, 1] < loose))
    if len(loose_rows):
        half = loose_rows[u[loose_rows, 2] < 0.6]
        out[half] = np.strings.replace(np.strings.replace(out[half], "，", ","), "！", "!")
        spaced = loose_rows[u[loose_rows, 2] >= 0.6]
        out[spaced] = np.strings.replace(out[spaced], "，", " ")
    lower_rows = np.flatnonzero(english & (u[:, 3] < lower))
    if len(lower_rows):
        out[lower_rows] = np.strings.lower(out[lower_rows])
    hant = np.flatnonzero(zh & (u[:, 3] < traditional))
    if len(hant):
        out[hant] = np.array([to_traditional(t) for t in out[hant].tolist()], dtype=STRING)
    return out
