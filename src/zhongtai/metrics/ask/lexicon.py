"""The vocabulary of a question, built from the metric dictionary: every metric, dimension and
dimension value under its name, its zh/en labels and its synonyms.

Nothing here is a hand-kept word list of metrics: adding a synonym to the dictionary YAML
teaches ``zhongtai ask`` the word. The only built-in words are *vague* ones that name no single
metric (销售, 业绩, "sales", "performance"): they make the parser ask back instead of guessing.

Matching is greedy longest-first over the normalised question; a phrase written in Latin letters
must stand on word boundaries (``uv`` does not match inside ``uvw``). English phrases also match
their plural (``cities``, ``categories``). Words left over are segmented with jieba, whose
tokenizer gets every lexicon phrase as a user word, and are then tried against the lexicon with
:mod:`difflib` (typos such as 客单家 -> 客单价, "conversoin rate" -> "conversion rate").
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from zhongtai.metrics.ask.text import is_cjk, normalize

__all__ = ["VAGUE_METRIC_WORDS", "Lexicon", "Mention", "Term", "build_lexicon", "segment"]

VAGUE_METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "销售": ("gmv", "net_sales", "orders"),
    "销售情况": ("gmv", "net_sales", "orders"),
    "卖得": ("gmv", "net_sales", "orders"),
    "业绩": ("gmv", "net_sales", "orders"),
    "生意": ("gmv", "net_sales", "orders"),
    "sales": ("gmv", "net_sales", "orders"),
    "selling": ("gmv", "net_sales", "orders"),
    "performance": ("gmv", "net_sales", "orders"),
    "revenue": ("gmv", "net_sales"),
    "收入": ("gmv", "net_sales"),
    "营收": ("gmv", "net_sales"),
}
"""Words that name a family of metrics, not one: the answer lists the candidates instead of
guessing (GMV and net sales differ by the refunds, often by 10 % or more)."""


@dataclass(frozen=True, slots=True)
class Term:
    """What a phrase means: a metric, a dimension, a value of a dimension, or a vague word."""

    kind: str  # metric | dimension | value | vague
    name: str  # metric or dimension name ("" for vague)
    value: Any = None  # the stored value code, for kind == "value"
    options: tuple[str, ...] = ()  # candidate metrics, for kind == "vague"


@dataclass(frozen=True, slots=True)
class Mention:
    """A phrase of the question matched to terms (several when a word is both, e.g. 门店)."""

    start: int
    end: int
    text: str
    terms: tuple[Term, ...]
    score: float = 1.0  # 1 for an exact match, the difflib ratio for a fuzzy one


@dataclass
class Lexicon:
    """Normalised phrase -> terms, plus what fuzzy matching compares against."""

    phrases: dict[str, list[Term]] = field(default_factory=dict)
    max_len: int = 1

    def add(self, phrase: str, term: Term) -> None:
        for key in _variants(phrase):
            terms = self.phrases.setdefault(key, [])
            if term not in terms:
                terms.append(term)
            self.max_len = max(self.max_len, len(key))

    def match(self, text: str) -> tuple[list[Mention], str]:
        """Greedy longest-first matches in ``text`` and the text with the matches blanked."""
        mentions: list[Mention] = []
        out = list(text)
        i = 0
        while i < len(text):
            if text[i] == " ":
                i += 1
                continue
            found = 0
            for size in range(min(self.max_len, len(text) - i), 0, -1):
                piece = text[i : i + size]
                if piece in self.phrases and _bounded(text, i, i + size):
                    found = size
                    break
            if not found:
                i += 1
                continue
            mentions.append(Mention(i, i + found, text[i : i + found], tuple(self.phrases[text[i : i + found]])))
            for k in range(i, i + found):
                out[k] = " "
            i += found
        return mentions, "".join(out)

    def closest(self, word: str, *, kinds: tuple[str, ...] = ("metric", "dimension", "value")) -> tuple[str, float]:
        """The most similar phrase (difflib ratio) among terms of ``kinds``; ``("", 0)`` if none."""
        best, best_score = "", 0.0
        for phrase, terms in self.phrases.items():
            if not any(t.kind in kinds for t in terms):
                continue
            if is_cjk(word[0]) != is_cjk(phrase[0]):
                continue
            score = difflib.SequenceMatcher(None, word, phrase).ratio()
            if score > best_score:
                best, best_score = phrase, score
        return best, best_score


def _variants(phrase: str) -> list[str]:
    key = normalize(phrase)
    if not key:
        return []
    if any(is_cjk(c) for c in key):
        key = re.sub(r"(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])", "", key)
        return [key]
    out = [key]
    if key[-1].isalpha():
        if key.endswith("y") and len(key) > 2 and key[-2] not in "aeiou":
            out.append(key[:-1] + "ies")
        elif key.endswith(("s", "x", "ch", "sh")):
            out.append(key + "es")
        else:
            out.append(key + "s")
    return out


def _bounded(text: str, lo: int, hi: int) -> bool:
    """Latin/digit phrases must not start or end inside a Latin word or a number."""
    if text[lo].isascii() and text[lo].isalnum() and lo > 0 and text[lo - 1].isascii() and text[lo - 1].isalnum():
        return False
    last = text[hi - 1]
    return not (last.isascii() and last.isalnum() and hi < len(text) and text[hi].isascii() and text[hi].isalnum())


def build_lexicon(dictionary: Any) -> Lexicon:
    """The lexicon of ``dictionary`` (a :class:`zhongtai.metrics.Dictionary`), cached by fingerprint."""
    key = str(getattr(dictionary, "fingerprint", "") or id(dictionary))
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
    lex = Lexicon()
    for name, metric in dictionary.metrics.items():
        term = Term("metric", name)
        for phrase in _names(name, metric.label, metric.synonyms):
            lex.add(phrase, term)
    for name, dim in dictionary.dimensions.items():
        if getattr(dim, "kind", "categorical") == "time":
            continue
        term = Term("dimension", name)
        for phrase in _names(name, dim.label, dim.synonyms):
            lex.add(phrase, term)
        for value, labels in (dim.value_labels or {}).items():
            vterm = Term("value", name, value)
            lex.add(str(value), vterm)
            for text in (labels or {}).values():
                if isinstance(text, str):
                    lex.add(text, vterm)
                else:
                    for item in text:
                        lex.add(item, vterm)
    for word, options in VAGUE_METRIC_WORDS.items():
        known = tuple(o for o in options if o in dictionary.metrics)
        if len(known) > 1:
            # a family word never picks one metric, even when a dictionary lists it as a synonym
            for key in _variants(word):
                lex.phrases.pop(key, None)
            lex.add(word, Term("vague", "", options=known))
    _register_words(lex)
    with _LOCK:
        _CACHE.clear()
        _CACHE[key] = lex
    return lex


def _names(name: str, label: dict[str, str], synonyms: dict[str, list[str]]) -> list[str]:
    out = [name, name.replace("_", " ")]
    out += [text for text in (label or {}).values() if text]
    for words in (synonyms or {}).values():
        out += list(words or [])
    return out


_LOCK = threading.Lock()
_CACHE: dict[str, Lexicon] = {}
_TOKENIZER: Any = None
_REGISTERED: set[str] = set()


def _tokenizer() -> Any:
    global _TOKENIZER
    if _TOKENIZER is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        _TOKENIZER = jieba.Tokenizer()
    return _TOKENIZER


def _register_words(lex: Lexicon) -> None:
    """Teach jieba every CJK lexicon phrase so leftovers split around them."""
    tok = _tokenizer()
    for phrase in lex.phrases:
        if phrase not in _REGISTERED and any(is_cjk(c) for c in phrase):
            tok.add_word(phrase, freq=200_000)
            _REGISTERED.add(phrase)


def segment(text: str) -> list[str]:
    """jieba tokens of ``text`` (words, no whitespace)."""
    with _LOCK:
        return [t for t in _tokenizer().lcut(text) if t.strip()]
