"""Text normalisation for sentiment: one defined, documented result for every input.

The steps, in order (each one explains a documented bad-input case):

1. ``None`` or a non-string → empty text (note ``empty``).
2. HTML: tags, comments, ``<script>``/``<style>`` bodies are removed and entities unescaped
   (``&lt;好&gt;`` → ``<好>``); note ``html``.
3. Length: a text longer than :data:`MAX_CHARS` (4,096) characters keeps its first
   :data:`HEAD_CHARS` (3,072) and last :data:`TAIL_CHARS` (1,024) characters joined by a newline —
   a review's verdict is usually at its start or its end; note ``truncated``. This bounds the cost
   of a 100,000-character text to that of a 4,096-character one.
4. Unicode NFKC (full-width ``ＡＢＣ１２３`` → ``ABC123``, compatibility forms), ASCII lower-case,
   typographic apostrophes → ``'``.
5. Repetition: a character repeated more than 3 times is cut to 3 (``好好好好好`` → ``好好好``), and a
   2–20-character unit repeated more than 3 times in a row is cut to 3 repeats; note ``repetitive``
   when this removed more than half of the text (copy-paste spam).
6. Slang and emoji → plain words (:mod:`zhongtai.brand.sentiment.slang`).
7. Traditional → simplified Chinese with OpenCC's ``t2s`` tables (opencc-python-reimplemented),
   called only when the text holds a character that exists in traditional form only, because the
   pure-Python converter costs ~200 µs per short text; note ``traditional``.

A text with no Han character, no Latin letter and no digit left after these steps is *empty*
(scored as unknown, never guessed).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from zhongtai.brand.sentiment.slang import rewrite_slang

__all__ = ["HEAD_CHARS", "MAX_CHARS", "TAIL_CHARS", "Normalised", "normalise", "to_simplified"]

MAX_CHARS = 4096
HEAD_CHARS = 3072
TAIL_CHARS = 1024

_SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")
_BR = re.compile(r"<(?:br|p|div|li)\b[^>]*>", re.IGNORECASE)
_HTML_HINT = re.compile(r"</?[a-zA-Z][^<>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_CHAR_RUN = re.compile(r"(.)\1{3,}", re.DOTALL)
_UNIT_RUN = re.compile(r"(.{2,20}?)\1{3,}", re.DOTALL)
_SPACES = re.compile(r"\s+")
_CONTENT = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\ufe0f": None, "\u200d": None})


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text and what was done to it.

    ``notes`` is a tuple of codes from ``empty``, ``html``, ``truncated``, ``repetitive``,
    ``traditional`` (in that order); ``raw`` is the text after steps 1–4 (before slang and the
    traditional→simplified step), which language detection reads.
    """

    text: str
    raw: str
    notes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return "empty" in self.notes


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _traditional_only() -> frozenset[str]:
    """Characters OpenCC maps to a different simplified character (from its TSCharacters table)."""
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars: set[str] = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1 and parts[1].split(" ")[0] != parts[0]:
            chars.add(parts[0])
    return frozenset(chars)


def to_simplified(text: str) -> tuple[str, bool]:
    """``text`` in simplified Chinese, and whether it held traditional-only characters."""
    trad = _traditional_only()
    if not any(ch in trad for ch in text):
        return text, False
    return _converter().convert(text), True  # type: ignore[attr-defined]


def _strip_html(text: str) -> str:
    text = _SCRIPT_STYLE.sub(" ", text)
    text = _COMMENT.sub(" ", text)
    text = _BR.sub("\n", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def _truncate(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def normalise(text: object) -> Normalised:
    """Normalise one text for sentiment scoring (see the module docstring for the exact rule)."""
    notes: list[str] = []
    value = text if isinstance(text, str) else ""
    if _HTML_HINT.search(value):
        value = _strip_html(value)
        notes.append("html")
    if len(value) > MAX_CHARS:
        value = _truncate(value)
        notes.append("truncated")
    value = unicodedata.normalize("NFKC", value).translate(_APOSTROPHES).lower()
    before = len(value)
    value = _CHAR_RUN.sub(r"\1\1\1", value)
    value = _UNIT_RUN.sub(r"\1\1\1", value)
    if before >= 40 and len(value) * 2 < before:
        notes.append("repetitive")
    raw = _SPACES.sub(" ", value).strip()
    value = rewrite_slang(raw)
    value, traditional = to_simplified(value)
    if traditional:
        notes.append("traditional")
    value = _SPACES.sub(" ", value).strip()
    if not _CONTENT.search(value):
        notes.insert(0, "empty")
    return Normalised(value, raw, tuple(notes))
