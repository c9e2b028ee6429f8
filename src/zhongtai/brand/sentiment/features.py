"""Hashed n-gram features, negation-aware, for Chinese and English in one feature space.

- Chinese (runs of Han characters): character 1-, 2- and 3-grams inside each run.
- English (and pinyin/ASCII words): word unigrams and bigrams inside each clause.
- Negation: a Chinese character preceded, within the 3 characters before it in its run, by an odd
  number of negators (不 没 无 别 非 未 莫 勿 甭) also yields ``¬``-marked unigram and bigram features,
  so 不太好 gives ``¬好``. A double negation (litotes) — 不是不, 并非不, 没有不, 不会不, 无不, 未必不 …
  (:data:`ZH_DOUBLE_NEGATION`) — is removed before the n-grams are taken, so 不是不好 reads as 好
  (and its n-grams 不好 / 是不好 do not fire); 不得不 ("have to") is not a double negation.
  An English word after *not*, *no*, *never*, a *n't* contraction (…) up to the next punctuation
  or 5 words is also emitted as ``NOT_word`` (the scheme of Das & Chen 2001, used by Pang, Lee &
  Vaithyanathan 2002, §4); a second negator in the scope ends it.
- Digits are one token class (``<num>``), so prices and order numbers do not fill the table.

Tokens are hashed (scikit-learn's ``HashingVectorizer``, MurmurHash3, non-negative, binary presence,
L2-normalised rows) into :data:`N_FEATURES` = 2^20 columns, so the model is a fixed-size weight
vector whatever the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["N_FEATURES", "analyse", "vectorise"]

N_FEATURES = 2**20
ZH_NEGATORS = frozenset("不没无别非未莫勿甭")
ZH_SCOPE = 3
ZH_DOUBLE_NEGATION = re.compile(r"(?:并不是|不是|并非|绝非|没有|不会|未必|无)(?:不|没有|没)(?!得)")
EN_NEGATORS = frozenset(
    {"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without", "hardly"}
)
EN_SCOPE = 5

_SEGMENTS = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<word>[a-z]+(?:'[a-z]+)?)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<stop>[.!?,;:。！？，、；：~…()（）\[\]【】\n])"
)


def _han_tokens(run: str, out: list[str]) -> None:
    n = len(run)
    out.extend(run)
    out.extend(run[i : i + 2] for i in range(n - 1))
    out.extend(run[i : i + 3] for i in range(n - 2))
    if not ZH_NEGATORS.intersection(run):
        return
    for j in range(1, n):
        ch = run[j]
        if ch in ZH_NEGATORS:
            continue
        window = run[max(0, j - ZH_SCOPE) : j]
        if sum(c in ZH_NEGATORS for c in window) % 2 == 1:
            out.append("¬" + ch)
            if j + 1 < n:
                out.append("¬" + run[j : j + 2])


def analyse(text: str) -> list[str]:
    """The feature tokens of one normalised text (see the module docstring)."""
    out: list[str] = []
    negated = 0
    previous: str | None = None
    for match in _SEGMENTS.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "han":
            if "不" in token or "没" in token:
                token = ZH_DOUBLE_NEGATION.sub("", token)
            _han_tokens(token, out)
            previous = None
            negated = 0
        elif kind == "word" or kind == "num":
            word = token if kind == "word" else "<num>"
            if word in EN_NEGATORS or word.endswith("n't"):
                negated = 0 if negated else EN_SCOPE
                out.append(word)
            elif negated:
                out.append("NOT_" + word)
                negated -= 1
            else:
                out.append(word)
            if previous is not None:
                out.append(previous + " " + word)
            previous = word
        else:
            previous = None
            negated = 0
    return out


_VECTORISER = HashingVectorizer(
    analyzer=analyse,
    n_features=N_FEATURES,
    alternate_sign=False,
    binary=True,
    norm="l2",
    dtype=np.float32,
)


def vectorise(texts: Iterable[str]) -> sp.csr_matrix:
    """Rows of hashed features (CSR, float32, L2-normalised) for normalised texts."""
    return _VECTORISER.transform(texts)
