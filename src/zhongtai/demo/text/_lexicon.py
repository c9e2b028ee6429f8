"""The compiled grammars, one per text kind and language, built on first use and kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from zhongtai.demo.text._categories import FAMILIES
from zhongtai.demo.text._grammar import Grammar, Vocabulary
from zhongtai.demo.text.vocab import (
    en_cs,
    en_posts,
    en_review_aspects,
    en_review_frame,
    en_review_tail,
    zh_common,
    zh_cs,
    zh_posts,
    zh_review_aspects,
    zh_review_frame,
    zh_review_tail,
)
from zhongtai.demo.text.vocab import nps as nps_vocab

__all__ = ["KINDS", "PLATFORM_FAMILIES", "TOUCHPOINT_FAMILIES", "grammar"]

KINDS = ("reviews", "cs", "posts", "nps")
PLATFORM_FAMILIES = ("generic", "weibo", "xiaohongshu", "douyin", "bilibili", "zhihu", "wechat", "kuaishou", "other")
TOUCHPOINT_FAMILIES = ("generic", "after_delivery", "after_service", "periodic", "store_visit", "other")


def _merge(*parts: Mapping[str, Sequence[str]]) -> dict[str, Sequence[str]]:
    out: dict[str, Sequence[str]] = {}
    for part in parts:
        clash = set(out) & set(part)
        if clash:
            raise ValueError(f"defined twice: {sorted(clash)}")
        out.update(part)
    return out


def _extend(base: Mapping[str, Sequence[str]], extra: Mapping[str, Sequence[str]]) -> dict[str, Sequence[str]]:
    """``base`` with the templates of ``extra`` appended key by key (new keys are added)."""
    out = dict(base)
    for key, templates in extra.items():
        out[key] = (*out.get(key, ()), *templates)
    return out


def _merge_families(
    *parts: Mapping[str, Mapping[str, Sequence[str]]],
) -> dict[str, dict[str, Sequence[str]]]:
    out: dict[str, dict[str, Sequence[str]]] = {}
    for part in parts:
        for family, entries in part.items():
            out[family] = _merge(out.get(family, {}), entries)
    return out


def _vocabulary(kind: str, language: str) -> Vocabulary:
    if kind == "reviews" and language == "zh":
        return Vocabulary(
            templates=_extend(_merge(zh_review_aspects.TEMPLATES, zh_review_frame.TEMPLATES), zh_review_tail.TEMPLATES),
            slots=_merge(zh_common.SLOTS, zh_review_aspects.SLOTS, zh_review_frame.SLOTS, zh_review_tail.SLOTS),
            family_templates={
                family: _extend(entries, zh_review_tail.FAMILY_TEMPLATES.get(family, {}))
                for family, entries in _merge_families(
                    zh_review_aspects.FAMILY_TEMPLATES, zh_review_frame.FAMILY_TEMPLATES
                ).items()
            },
            family_slots=zh_review_aspects.FAMILY_SLOTS,
        )
    if kind == "reviews" and language == "en":
        return Vocabulary(
            templates=_extend(_merge(en_review_aspects.TEMPLATES, en_review_frame.TEMPLATES), en_review_tail.TEMPLATES),
            slots=_merge(en_review_aspects.SLOTS, en_review_frame.SLOTS, en_review_tail.SLOTS),
            family_templates=en_review_aspects.FAMILY_TEMPLATES,
            family_slots=en_review_aspects.FAMILY_SLOTS,
        )
    if kind == "cs" and language == "zh":
        return Vocabulary(templates=zh_cs.TEMPLATES, slots=_merge(zh_common.SLOTS, zh_cs.SLOTS))
    if kind == "cs" and language == "en":
        return Vocabulary(templates=en_cs.TEMPLATES, slots=en_cs.SLOTS)
    if kind == "posts" and language == "zh":
        return Vocabulary(
            templates=zh_posts.TEMPLATES, slots=zh_posts.SLOTS, family_templates=zh_posts.FAMILY_TEMPLATES
        )
    if kind == "posts" and language == "en":
        return Vocabulary(templates=en_posts.TEMPLATES, slots=en_posts.SLOTS)
    if kind == "nps" and language == "zh":
        return Vocabulary(templates=nps_vocab.ZH, slots=nps_vocab.SLOTS_ZH, family_templates=nps_vocab.FAMILY_ZH)
    if kind == "nps" and language == "en":
        return Vocabulary(templates=nps_vocab.EN, slots=nps_vocab.SLOTS_EN, family_templates=nps_vocab.FAMILY_EN)
    raise KeyError(f"no vocabulary for {kind!r} in {language!r}")


@cache
def grammar(kind: str, language: str) -> Grammar:
    """The compiled grammar of ``kind`` (``reviews``, ``cs``, ``posts``, ``nps``) in ``language``."""
    families = {"posts": PLATFORM_FAMILIES, "nps": TOUCHPOINT_FAMILIES}.get(kind, FAMILIES)
    external = {"posts": ("brand",), "nps": ()}.get(kind, ("product",))
    return Grammar(_vocabulary(kind, language), families, external=external)
