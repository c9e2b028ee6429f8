"""Grammar-like templates, compiled once into arrays and rendered for many rows at a time.

A *template* is text with ``{slot}`` references; a *slot* is a list of alternatives that may
themselves reference slots (those are expanded when the grammar is compiled, so every pool of
alternatives is flat). Templates are grouped under *keys* (``logistics:-2``: strong complaints
about delivery). A key has generic templates and may add templates for one category family
(``skincare``, ``apparel`` …); a slot may be overridden per family (``attr`` is 质地/吸收 for
skincare and 面料/做工 for apparel). A few slots are *external*: the caller passes one value per
row (the product word of a review, so it stays the same in every sentence of that review).

Rendering picks, for every row, a template of the row's key and family and one alternative per
slot, and concatenates the pieces with NumPy string arrays (``StringDType``); a million rows
take seconds. Draws favour the alternatives listed first (index ``floor(n * u ** skew)``), so
vocabularies are written most common first, as real text has a few dominant phrasings and a
long tail.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["STRING", "Grammar", "Vocabulary", "concat", "empty", "fill"]

STRING = np.dtypes.StringDType()
SLOT = re.compile(r"\{([a-z0-9_]+)\}")
_MAX_POOL = 60_000  # an expanded slot larger than this is a vocabulary design error


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Templates and slots of one language and text kind (reviews, CS messages, posts …)."""

    templates: Mapping[str, Sequence[str]]
    slots: Mapping[str, Sequence[str]]
    family_templates: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)
    family_slots: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)


def empty(n: int) -> np.ndarray:
    """``n`` empty strings."""
    return np.full(n, "", dtype=STRING)


def concat(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise concatenation of string arrays and constants."""
    out: np.ndarray | str = parts[0]
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return np.asarray(out, dtype=STRING)


def fill(texts: np.ndarray, name: str, values: np.ndarray) -> np.ndarray:
    """Replace every ``{name}`` in ``texts[i]`` by ``values[i]`` (few distinct values: one pass each)."""
    marker = "{" + name + "}"
    rows = np.flatnonzero(np.strings.find(texts, marker) >= 0)
    if len(rows) == 0:
        return texts
    texts = texts.copy()
    chosen = np.asarray(values, dtype=object)[rows]
    for value in np.unique(chosen.astype(str)):
        where = rows[chosen == value]
        texts[where] = np.strings.replace(texts[where], marker, value)
    return texts


def _interleave(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """``a0, b0, a1, b1, …`` then the rest of the longer list: both lists keep their common phrasings up front."""
    out = [x for pair in itertools.zip_longest(first, second) for x in pair if x is not None]
    return out


def _names(text: str) -> list[str]:
    return SLOT.findall(text)


class Grammar:
    """A compiled :class:`Vocabulary` for the category families ``families`` (the first is generic)."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        families: Sequence[str],
        *,
        external: Sequence[str] = (),
        skew: float = 1.5,
    ) -> None:
        self.families = tuple(families)
        self.external = tuple(external)
        self.skew = skew
        self._family_index = {name: i for i, name in enumerate(self.families)}
        unknown = (set(vocabulary.family_templates) | set(vocabulary.family_slots)) - set(self.families)
        if unknown:
            raise ValueError(f"unknown category families {sorted(unknown)}")
        self._compile_slots(vocabulary)
        self._compile_templates(vocabulary)

    # -- compilation ---------------------------------------------------------------------------

    def _expand(self, name: str, family: str, vocabulary: Vocabulary, seen: tuple[str, ...]) -> tuple[str, ...]:
        memo_key = (name, family)
        if name in self.external:
            return ("{" + name + "}",)  # filled per row after rendering
        if memo_key in self._memo:
            return self._memo[memo_key]
        if name in seen:
            raise ValueError(f"slot {name!r} refers to itself through {seen}")
        alternatives = vocabulary.family_slots.get(family, {}).get(name)
        if alternatives is None:
            alternatives = vocabulary.slots.get(name)
        if alternatives is None or len(alternatives) == 0:
            raise ValueError(f"slot {name!r} has no alternatives for family {family!r}")
        out: dict[str, None] = {}
        for alternative in alternatives:
            names = _names(alternative)
            if not names:
                out[alternative] = None
                continue
            pieces = SLOT.split(alternative)  # literal, name, literal, name, …, literal
            pools = [self._expand(n, family, vocabulary, (*seen, name)) for n in names]
            for combo in itertools.product(*pools):
                text = pieces[0]
                for value, literal in zip(combo, pieces[2::2], strict=True):
                    text += value + literal
                out[text] = None
        result = tuple(out)
        if len(result) > _MAX_POOL:
            raise ValueError(f"slot {name!r} expands to {len(result)} alternatives (> {_MAX_POOL})")
        self._memo[memo_key] = result
        return result

    def _compile_slots(self, vocabulary: Vocabulary) -> None:
        self._memo: dict[tuple[str, str], tuple[str, ...]] = {}
        needed: dict[str, set[int]] = {}  # slot name -> families whose templates use it
        everywhere = set(range(len(self.families)))
        for text in itertools.chain.from_iterable(vocabulary.templates.values()):
            for name in _names(text):
                needed.setdefault(name, set()).update(everywhere)
        for family, templates in vocabulary.family_templates.items():
            for text in itertools.chain.from_iterable(templates.values()):
                for name in _names(text):
                    needed.setdefault(name, set()).add(self._family_index[family])
        names = ["", *sorted(needed)]  # name 0: the empty slot of templates with fewer slots
        pools: list[tuple[str, ...]] = [("",)]
        pool_of: dict[tuple[str, ...], int] = {("",): 0}
        resolve = np.zeros((len(names), len(self.families)), dtype=np.int64)
        for i, name in enumerate(names[1:], start=1):
            for j in sorted(needed[name]):
                pool = self._expand(name, self.families[j], vocabulary, ())
                if pool not in pool_of:
                    pool_of[pool] = len(pools)
                    pools.append(pool)
                resolve[i, j] = pool_of[pool]
        self.slot_names = tuple(names)
        self._slot_index = {name: i for i, name in enumerate(names)}
        self._resolve = resolve
        self._pool_len = np.array([len(p) for p in pools], dtype=np.int64)
        self._pool_off = np.concatenate([[0], np.cumsum(self._pool_len)[:-1]]).astype(np.int64)
        self._values = np.array(list(itertools.chain.from_iterable(pools)), dtype=STRING)
        del self._memo

    def _compile_templates(self, vocabulary: Vocabulary) -> None:
        keys = sorted(set(vocabulary.templates) | {k for t in vocabulary.family_templates.values() for k in t})
        missing = [k for k in keys if not vocabulary.templates.get(k)]
        if missing:
            raise ValueError(f"keys without generic templates: {missing}")
        texts: list[str] = []
        index_of: dict[str, int] = {}
        lists: list[int] = []
        offsets = np.zeros((len(keys), len(self.families)), dtype=np.int64)
        lengths = np.zeros((len(keys), len(self.families)), dtype=np.int64)
        for i, key in enumerate(keys):
            for j, family in enumerate(self.families):
                chosen = _interleave(
                    vocabulary.family_templates.get(family, {}).get(key, ()), vocabulary.templates[key]
                )
                offsets[i, j] = len(lists)
                lengths[i, j] = len(chosen)
                for text in chosen:
                    if text not in index_of:
                        index_of[text] = len(texts)
                        texts.append(text)
                    lists.append(index_of[text])
        width = max(len(_names(t)) for t in texts)
        literals = [[""] * len(texts) for _ in range(width + 1)]
        slots = np.zeros((width, len(texts)), dtype=np.int64)
        for t, text in enumerate(texts):
            pieces = SLOT.split(text)
            for k, literal in enumerate(pieces[0::2]):
                literals[k][t] = literal
            for k, name in enumerate(pieces[1::2]):
                slots[k, t] = self._slot_index[name]
        self.keys = tuple(keys)
        self._key_index = {key: i for i, key in enumerate(keys)}
        self.templates = tuple(texts)
        self._list = np.array(lists, dtype=np.int64)
        self._key_off = offsets
        self._key_len = lengths
        self._literals = [np.array(column, dtype=STRING) for column in literals]
        self._slots = slots

    # -- lookup --------------------------------------------------------------------------------

    def key(self, name: str) -> int:
        """The id of template key ``name`` (``KeyError`` names the key)."""
        try:
            return self._key_index[name]
        except KeyError:
            raise KeyError(f"no templates for key {name!r}") from None

    def key_ids(self, names: Sequence[str]) -> np.ndarray:
        return np.array([self.key(n) for n in names], dtype=np.int64)

    def has_key(self, name: str) -> bool:
        return name in self._key_index

    # -- rendering -----------------------------------------------------------------------------

    def _pick(self, length: np.ndarray, u: np.ndarray) -> np.ndarray:
        return np.asarray(np.minimum((u**self.skew * length).astype(np.int64), length - 1), dtype=np.int64)

    def render(
        self,
        rng: np.random.Generator,
        keys: np.ndarray,
        families: np.ndarray,
        *,
        external: Sequence[np.ndarray] = (),
    ) -> np.ndarray:
        """One text per row: a template of ``keys[i]`` for family ``families[i]``, slots filled.

        ``external[k]`` holds the row values of the ``k``-th external slot (few distinct values).
        """
        keys = np.asarray(keys, dtype=np.int64)
        families = np.asarray(families, dtype=np.int64)
        n = len(keys)
        if n == 0:
            return empty(0)
        template = self._list[self._key_off[keys, families] + self._pick(self._key_len[keys, families], rng.random(n))]
        out = self._literals[0][template]
        for k in range(self._slots.shape[0]):
            name = self._slots[k, template]
            rows = np.flatnonzero(name)
            if len(rows) == 0:
                break
            pool = self._resolve[name[rows], families[rows]]
            value = self._values[self._pool_off[pool] + self._pick(self._pool_len[pool], rng.random(len(rows)))]
            if len(rows) == n:
                out = concat(out, value, self._literals[k + 1][template])
            else:
                out[rows] = concat(out[rows], value, self._literals[k + 1][template[rows]])
        for name, values in zip(self.external[: len(external)], external, strict=True):
            out = fill(out, name, values)
        return np.asarray(out, dtype=STRING)

    # -- reporting -----------------------------------------------------------------------------

    def sizes(self) -> dict[str, int]:
        """Counts for reports: keys, templates, slot names, distinct slot alternatives (expanded)."""
        return {
            "keys": len(self.keys),
            "templates": len(self.templates),
            "slots": len(self.slot_names) - 1,
            "slot_alternatives": len(np.unique(self._values)),
        }
