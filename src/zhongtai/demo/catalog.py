"""The brand's catalogue: 青禾 (QingHe), beauty and personal care plus an apparel line.

SPUs come from a fixed list of product lines, each a category (three levels), a price band and
its variants (volumes, shades, or size × colour for apparel, so 尺码 problems make sense). Skincare
lines are named for their key ingredient (成分), so 成分/安全 complaints point at real products.
A shop takes the first ``n`` SPUs of a fixed priority order, so a small shop's catalogue is a
subset of a large one's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["BRAND", "CATEGORY_L1", "Catalog", "build_catalog", "spu_count"]

BRAND = "青禾"
CATEGORY_L1 = ("护肤", "彩妆", "个护", "服饰")
L1_CODES = ("SK", "MU", "PC", "AP")
SERIES = ("玻尿酸", "烟酰胺", "视黄醇", "积雪草", "神经酰胺", "氨基酸", "维C")

# (l1, l2, l3, price band in CNY, variant kind, temperature class, descriptors)
LINES: tuple[tuple[int, str, str, tuple[int, int], str, int, tuple[str, ...]], ...] = (
    (0, "面部护理", "面霜", (199, 459), "volume", -1, ("水润", "修护", "紧致")),
    (0, "面部护理", "精华", (259, 599), "volume", 0, ("焕亮", "抗皱", "舒缓")),
    (0, "防晒", "防晒霜", (129, 219), "volume", 1, ("轻透", "清爽")),
    (0, "清洁", "洁面", (69, 129), "volume", 0, ("温和", "净透")),
    (3, "女装", "连衣裙", (299, 699), "size", 1, ("法式碎花", "针织收腰", "醋酸缎面")),
    (1, "唇部", "口红", (149, 269), "shade", 0, ("丝绒雾面", "水光")),
    (0, "面部护理", "爽肤水", (129, 229), "volume", 0, ("保湿", "平衡")),
    (0, "面膜", "贴片面膜", (79, 159), "box", 0, ("补水", "镇静")),
    (3, "女装", "T恤", (99, 199), "size", 1, ("纯棉圆领", "宽松印花")),
    (1, "底妆", "粉底液", (229, 399), "shade", 0, ("持妆", "水光")),
    (2, "洗护发", "洗发水", (69, 129), "volume", 0, ("控油", "蓬松")),
    (0, "面部护理", "眼霜", (199, 399), "volume", 0, ("淡纹", "去黑眼圈")),
    (3, "女装", "外套", (499, 1299), "size", -1, ("羊毛双面呢", "短款羽绒")),
    (2, "身体护理", "沐浴露", (59, 99), "volume", 0, ("香氛", "温和")),
    (1, "底妆", "气垫", (199, 329), "shade", 0, ("遮瑕", "清透")),
    (0, "面部护理", "乳液", (159, 259), "volume", 0, ("清爽", "滋润")),
    (3, "男装", "T恤", (99, 179), "size", 1, ("重磅纯棉", "速干")),
    (0, "清洁", "卸妆", (89, 149), "volume", 0, ("卸妆油", "卸妆水")),
    (3, "女装", "卫衣", (199, 399), "size", -1, ("连帽", "圆领")),
    (1, "眼部", "眼影", (169, 329), "shade", 0, ("九宫格", "四色")),
    (0, "防晒", "防晒喷雾", (99, 159), "volume", 1, ("清爽",)),
    (2, "身体护理", "身体乳", (79, 149), "volume", -1, ("滋润", "烟酰胺亮白")),
    (1, "唇部", "唇釉", (129, 199), "shade", 0, ("镜面", "丝绒")),
    (3, "男装", "外套", (499, 1199), "size", -1, ("机能夹克", "羽绒")),
    (0, "面膜", "涂抹面膜", (129, 199), "volume", 0, ("清洁泥膜", "睡眠")),
    (3, "女装", "针织衫", (259, 499), "size", -1, ("羊毛开衫", "半高领")),
    (1, "眼部", "睫毛膏", (99, 169), "shade", 0, ("纤长", "浓密")),
    (2, "洗护发", "护发素", (69, 119), "volume", 0, ("柔顺",)),
    (1, "底妆", "散粉", (149, 229), "shade", 0, ("控油定妆",)),
    (3, "男装", "卫衣", (199, 359), "size", -1, ("连帽",)),
)  # fmt: skip
SIZES = ("S", "M", "L", "XL")
COLOURS = (("BK", "黑色"), ("WH", "白色"), ("BL", "雾霾蓝"), ("KH", "卡其"))
VOLUMES = (("30", "30ml"), ("50", "50ml"))
SHADES = (("01", "01#"), ("02", "02#"), ("03", "03#"))


def spu_count(persons: int) -> int:
    """How many SPUs a shop of this size sells (30 small … 110 large)."""
    return int(np.clip(30 + 16 * np.log10(max(persons, 1000) / 1000), 30, 110))


@dataclass(slots=True)
class Catalog:
    sku: list[str]
    spu: list[str]
    name: list[str]
    l1: np.ndarray  # index into CATEGORY_L1
    l2: list[str]
    l3: list[str]
    group: np.ndarray  # category group (one per LINES entry used) for two-stage choice
    group_names: list[str]
    group_l1: np.ndarray
    group_temperature: np.ndarray  # +1 sells in heat, -1 in cold, 0 neither
    price: np.ndarray  # list price, cents
    cost: np.ndarray  # unit cost, cents
    launch_day: np.ndarray  # day index the SKU went on sale (negative: before the period)
    stop_day: np.ndarray  # first day it no longer sells (a large number when still active)
    popularity: np.ndarray  # base weight within its group
    size: list[str]  # apparel size ("" otherwise)
    series: np.ndarray  # index into SERIES, -1 for none
    gift: np.ndarray  # free sample (小样) given with large orders

    @property
    def n(self) -> int:
        return len(self.sku)

    def sellable(self) -> np.ndarray:
        return np.flatnonzero(~self.gift)


def _price(rng: np.random.Generator, band: tuple[int, int]) -> int:
    yuan = int(rng.integers(band[0] // 10, band[1] // 10 + 1)) * 10 - 1
    return max(yuan, 9) * 100


def build_catalog(rng: np.random.Generator, n_spu: int, days: int) -> Catalog:
    """SKUs of the first ``n_spu`` SPUs (lines cycle with new series), plus free samples."""
    rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "sku",
            "spu",
            "name",
            "l1",
            "l2",
            "l3",
            "group",
            "price",
            "cost",
            "launch",
            "stop",
            "pop",
            "size",
            "series",
            "gift",
        )
    }
    group_of_line: dict[int, int] = {}
    per_l1 = [0, 0, 0, 0]
    for s in range(n_spu):
        line_index = s % len(LINES)
        l1, l2, l3, band, kind, _temp, descriptors = LINES[line_index]
        group = group_of_line.setdefault(line_index, len(group_of_line))
        per_l1[l1] += 1
        spu = f"QH{L1_CODES[l1]}{per_l1[l1]:03d}"
        series = int(rng.integers(len(SERIES))) if l1 == 0 else -1
        descriptor = descriptors[(s // len(LINES)) % len(descriptors)]
        title = f"{BRAND}{SERIES[series]}{descriptor}{l3}" if series >= 0 else f"{BRAND}{descriptor}{l3}"
        base = _price(rng, band)
        launch = int(rng.integers(-900, -30)) if rng.random() < 0.8 else int(rng.integers(30, max(31, days - 120)))
        stop = int(rng.integers(days // 2, days - 20)) if rng.random() < 0.08 else 10**6
        spu_pop = rng.lognormal(0, 0.8)
        if kind == "size":
            colours = [COLOURS[i] for i in rng.choice(len(COLOURS), 2, replace=False)]
            variants = [(f"{sz}-{code}", f"{colour} {sz}", sz, 1.0) for code, colour in colours for sz in SIZES]
        elif kind == "shade":
            variants = [(code, label, "", 1.0) for code, label in SHADES[: int(rng.integers(2, 4))]]
        elif kind == "box":
            variants = [("05", "5片装", "", 1.0), ("10", "10片装", "", 1.8)]
        else:
            variants = (
                [("50", "50ml", "", 1.0)] if rng.random() < 0.5 else [("30", "30ml", "", 0.7), ("50", "50ml", "", 1.0)]
            )
        for code, label, size, factor in variants:
            list_price = max(round(base * factor / 1000.0) * 1000 - 100, 900)
            margin = rng.uniform(0.38, 0.52) if l1 == 3 else rng.uniform(0.18, 0.32)
            rows["sku"].append(f"{spu}-{code}")
            rows["spu"].append(spu)
            rows["name"].append(f"{title} {label}")
            rows["l1"].append(l1)
            rows["l2"].append(l2)
            rows["l3"].append(l3)
            rows["group"].append(group)
            rows["price"].append(list_price)
            rows["cost"].append(round(list_price * margin))
            rows["launch"].append(launch)
            rows["stop"].append(stop)
            size_weight = {"S": 0.7, "M": 1.0, "L": 0.9, "XL": 0.5}.get(size, 1.0)
            rows["pop"].append(spu_pop * size_weight * rng.uniform(0.7, 1.3))
            rows["size"].append(size)
            rows["series"].append(series)
            rows["gift"].append(False)
    for k, series_name in enumerate(SERIES[:4]):
        rows["sku"].append(f"QHGF{k + 1:03d}-05")
        rows["spu"].append(f"QHGF{k + 1:03d}")
        rows["name"].append(f"{BRAND}{series_name}体验装小样 5ml")
        rows["l1"].append(0)
        rows["l2"].append("赠品")
        rows["l3"].append("小样")
        rows["group"].append(-1)
        rows["price"].append(2900)
        rows["cost"].append(450)
        rows["launch"].append(-900)
        rows["stop"].append(10**6)
        rows["pop"].append(1.0)
        rows["size"].append("")
        rows["series"].append(k)
        rows["gift"].append(True)
    used_lines = sorted(group_of_line, key=lambda li: group_of_line[li])
    return Catalog(
        sku=rows["sku"],
        spu=rows["spu"],
        name=rows["name"],
        l1=np.array(rows["l1"]),
        l2=rows["l2"],
        l3=rows["l3"],
        group=np.array(rows["group"]),
        group_names=[f"{LINES[li][1]}/{LINES[li][2]}" for li in used_lines],
        group_l1=np.array([LINES[li][0] for li in used_lines]),
        group_temperature=np.array([LINES[li][5] for li in used_lines]),
        price=np.array(rows["price"], dtype=np.int64),
        cost=np.array(rows["cost"], dtype=np.int64),
        launch_day=np.array(rows["launch"]),
        stop_day=np.array(rows["stop"]),
        popularity=np.array(rows["pop"]),
        size=rows["size"],
        series=np.array(rows["series"]),
        gift=np.array(rows["gift"]),
    )
