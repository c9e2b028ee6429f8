"""Category families, aspects, and the product words a reviewer uses for a category.

Vocabularies are written per *family* of categories (skincare reviews talk about 质地 and 吸收,
apparel reviews about 面料 and 尺码). A shop's ``category_l1`` (护肤, 服饰, Skincare …) is mapped
onto a family by name, then by keywords; anything unrecognised gets the generic family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "ASPECTS",
    "ASPECT_WEIGHTS",
    "FAMILIES",
    "family_codes",
    "product_words",
]

ASPECTS = ("logistics", "quality", "price", "service", "packaging", "size", "safety", "after_sales")
"""Aspect codes, in the order of the issue: 物流, 质量, 价格, 客服, 包装, 尺码, 成分/安全, 售后."""

FAMILIES = ("generic", "skincare", "makeup", "personal_care", "apparel", "baby", "food", "electronics", "home")

# How often an unprompted review mentions each aspect, per family (columns follow ASPECTS).
ASPECT_WEIGHTS = np.array(
    [
        [2.0, 3.0, 1.5, 1.0, 0.8, 0.4, 0.3, 0.4],  # generic
        [1.8, 3.0, 1.4, 0.8, 1.0, 0.4, 1.6, 0.3],  # skincare: 成分 matters
        [1.6, 3.0, 1.3, 0.8, 0.9, 0.3, 0.9, 0.3],  # makeup
        [1.8, 3.0, 1.5, 0.7, 1.0, 0.5, 0.8, 0.3],  # personal care
        [2.0, 3.0, 1.4, 0.9, 0.6, 2.6, 0.3, 0.5],  # apparel: 尺码 matters
        [1.8, 3.0, 1.3, 0.8, 0.8, 0.8, 2.0, 0.4],  # baby: safety first
        [2.2, 3.0, 1.4, 0.6, 1.2, 0.6, 1.0, 0.3],  # food
        [2.0, 3.0, 1.6, 0.9, 0.8, 0.4, 0.4, 0.9],  # electronics
        [2.0, 3.0, 1.5, 0.8, 0.9, 0.7, 0.4, 0.5],  # home
    ]
)

_EXACT = {
    "护肤": "skincare", "护肤品": "skincare", "美容护肤": "skincare", "skincare": "skincare", "skin care": "skincare",
    "彩妆": "makeup", "美妆": "makeup", "化妆品": "makeup", "makeup": "makeup", "cosmetics": "makeup",
    "beauty": "skincare", "个护": "personal_care", "个人护理": "personal_care", "洗护": "personal_care",
    "personal care": "personal_care", "服饰": "apparel", "服装": "apparel", "女装": "apparel", "男装": "apparel",
    "童装": "apparel", "鞋靴": "apparel", "内衣": "apparel", "apparel": "apparel", "clothing": "apparel",
    "fashion": "apparel", "shoes": "apparel", "母婴": "baby", "婴童": "baby", "baby": "baby", "食品": "food",
    "零食": "food", "生鲜": "food", "饮料": "food", "food": "food", "grocery": "food", "数码": "electronics",
    "家电": "electronics", "手机": "electronics", "电脑": "electronics", "electronics": "electronics",
    "家居": "home", "家纺": "home", "厨具": "home", "日用": "home", "home": "home", "kitchen": "home",
}  # fmt: skip
_KEYWORDS = (
    ("skincare", ("护肤", "面霜", "精华", "面膜", "skin", "serum", "cream")),
    ("makeup", ("妆", "口红", "粉底", "lip", "makeup", "cosmetic")),
    ("personal_care", ("洗发", "沐浴", "护发", "个护", "hair", "shampoo", "body")),
    ("apparel", ("装", "衣", "裙", "裤", "鞋", "服", "wear", "dress", "shirt", "apparel", "cloth", "shoe")),
    ("baby", ("婴", "母婴", "孕", "baby", "infant", "kid")),
    ("food", ("食", "零食", "茶", "酒", "饮", "food", "snack", "tea", "coffee")),
    ("electronics", ("数码", "电", "机", "耳", "electronic", "phone", "audio", "computer")),
    ("home", ("家", "厨", "纺", "home", "kitchen", "bed")),
)


def _family_of(category: object) -> str:
    if not isinstance(category, str) or not category.strip():
        return "generic"
    text = category.strip().lower()
    if text in _EXACT:
        return _EXACT[text]
    for family, words in _KEYWORDS:
        if any(w in text for w in words):
            return family
    return "generic"


def family_codes(categories: pd.Series) -> np.ndarray:
    """Index into :data:`FAMILIES` for each category name (vectorised over the distinct names)."""
    codes = pd.Series(categories, dtype=object).astype(object)
    distinct = codes.dropna().unique()
    table = {c: FAMILIES.index(_family_of(c)) for c in distinct}
    return codes.map(table).fillna(0).to_numpy(dtype=np.int64)


# Product words by family, most common first: what a reviewer calls the thing (never more specific
# than the category, so the word is right whatever the SKU is); zh and en.
_PRODUCT_ZH = {
    "generic": ("东西", "宝贝", "这个", "商品", "这款"),
    "skincare": ("这瓶", "东西", "宝贝", "这款", "护肤品", "这个"),
    "makeup": ("这款", "宝贝", "东西", "这个色号", "这支", "这个"),
    "personal_care": ("这瓶", "东西", "宝贝", "这款", "这个"),
    "apparel": ("衣服", "这件", "宝贝", "这款", "衣衣", "东西"),
    "baby": ("东西", "宝贝", "这款", "这个", "这包"),
    "food": ("东西", "这箱", "这款", "零食", "宝贝"),
    "electronics": ("东西", "这款", "机器", "宝贝", "这个"),
    "home": ("东西", "这款", "宝贝", "这个"),
}
_PRODUCT_EN = {
    "generic": ("this", "it", "the product", "this item"),
    "skincare": ("this", "it", "this product", "this one", "this stuff"),
    "makeup": ("this", "it", "this shade", "this product"),
    "personal_care": ("this", "it", "this bottle", "this product"),
    "apparel": ("this", "it", "this one", "this piece"),
    "baby": ("this", "it", "this product"),
    "food": ("this", "it", "this snack"),
    "electronics": ("this", "it", "this device", "this gadget"),
    "home": ("this", "it", "this item"),
}
# Level-3 categories a reviewer names directly (the demo catalogue's 三级类目 and a few more).
_L3_ZH = {
    "面霜": ("面霜", "这瓶面霜", "霜"), "精华": ("精华", "这瓶精华", "精华液"), "防晒霜": ("防晒", "防晒霜"),
    "洁面": ("洗面奶", "洁面"), "爽肤水": ("爽肤水", "水"), "贴片面膜": ("面膜", "这盒面膜"), "眼霜": ("眼霜",),
    "乳液": ("乳液",), "卸妆": ("卸妆油", "卸妆水"), "防晒喷雾": ("防晒喷雾", "喷雾"), "涂抹面膜": ("面膜", "泥膜"),
    "口红": ("口红", "这支口红"), "粉底液": ("粉底液", "粉底"), "气垫": ("气垫",), "眼影": ("眼影", "这盘眼影"),
    "唇釉": ("唇釉",), "睫毛膏": ("睫毛膏",), "散粉": ("散粉",), "洗发水": ("洗发水", "这瓶洗发水"),
    "沐浴露": ("沐浴露",), "身体乳": ("身体乳",), "护发素": ("护发素",), "连衣裙": ("裙子", "连衣裙", "这条裙子"),
    "T恤": ("T恤", "短袖", "这件T恤"), "外套": ("外套", "这件外套"), "卫衣": ("卫衣", "这件卫衣"),
    "针织衫": ("针织衫", "毛衣"),
}  # fmt: skip


def product_words(
    rng: np.random.Generator, families: np.ndarray, languages: np.ndarray, l3: pd.Series | None = None
) -> np.ndarray:
    """One product word per row: the level-3 name when known (zh), else a word of the family.

    ``languages`` is a boolean array, true for English rows.
    """
    n = len(families)
    out = np.empty(n, dtype=object)
    u = rng.random(n)
    for j, family in enumerate(FAMILIES):
        for is_en, table in ((False, _PRODUCT_ZH), (True, _PRODUCT_EN)):
            rows = np.flatnonzero((families == j) & (languages == is_en))
            if len(rows):
                words = np.array(table[family], dtype=object)
                out[rows] = words[np.minimum((u[rows] ** 1.6 * len(words)).astype(np.int64), len(words) - 1)]
    if l3 is not None:
        names = pd.Series(l3, dtype=object).to_numpy()
        specific = rng.random(n) < 0.6
        for name, named in _L3_ZH.items():
            rows = np.flatnonzero((names == name) & ~languages & specific)
            if len(rows):
                choice = np.array(named, dtype=object)
                out[rows] = choice[rng.integers(0, len(choice), len(rows))]
    return out
