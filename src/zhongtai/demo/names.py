"""Names, nicknames and e-mail handles for synthetic people (never real persons).

Surnames follow their rough frequency in China; given names draw one or two characters from
lists typical of each gender. Pinyin is kept with every character so e-mail handles and
English-language accounts read naturally (``wang.fang88@163.com``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EMAIL_DOMAINS", "People", "draw_names"]

SURNAMES = (
    ("王", "wang", 7.1), ("李", "li", 7.0), ("张", "zhang", 6.9), ("刘", "liu", 5.4), ("陈", "chen", 4.5),
    ("杨", "yang", 3.1), ("黄", "huang", 2.3), ("赵", "zhao", 2.2), ("吴", "wu", 2.0), ("周", "zhou", 1.9),
    ("徐", "xu", 1.6), ("孙", "sun", 1.5), ("马", "ma", 1.5), ("朱", "zhu", 1.3), ("胡", "hu", 1.3),
    ("郭", "guo", 1.2), ("何", "he", 1.2), ("林", "lin", 1.1), ("高", "gao", 1.1), ("罗", "luo", 1.0),
    ("郑", "zheng", 1.0), ("梁", "liang", 0.9), ("谢", "xie", 0.8), ("宋", "song", 0.8), ("唐", "tang", 0.8),
    ("许", "xu", 0.7), ("韩", "han", 0.7), ("冯", "feng", 0.7), ("邓", "deng", 0.7), ("曹", "cao", 0.6),
    ("彭", "peng", 0.6), ("曾", "zeng", 0.6), ("肖", "xiao", 0.6), ("田", "tian", 0.6), ("董", "dong", 0.5),
    ("潘", "pan", 0.5), ("袁", "yuan", 0.5), ("蔡", "cai", 0.5), ("蒋", "jiang", 0.5), ("余", "yu", 0.5),
    ("于", "yu", 0.5), ("杜", "du", 0.5), ("叶", "ye", 0.5), ("程", "cheng", 0.5), ("魏", "wei", 0.4),
    ("苏", "su", 0.4), ("吕", "lv", 0.4), ("丁", "ding", 0.4), ("任", "ren", 0.4), ("沈", "shen", 0.4),
    ("姚", "yao", 0.4), ("卢", "lu", 0.4), ("钟", "zhong", 0.4), ("姜", "jiang", 0.4), ("崔", "cui", 0.3),
    ("谭", "tan", 0.3), ("陆", "lu", 0.3), ("范", "fan", 0.3), ("汪", "wang", 0.3), ("廖", "liao", 0.3),
    ("石", "shi", 0.3), ("金", "jin", 0.3), ("贾", "jia", 0.3), ("夏", "xia", 0.3), ("方", "fang", 0.3),
    ("欧阳", "ouyang", 0.05), ("司马", "sima", 0.02), ("上官", "shangguan", 0.02),
)  # fmt: skip
FEMALE = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("婷", "ting"), ("雪", "xue"),
    ("琳", "lin"), ("颖", "ying"), ("欣", "xin"), ("怡", "yi"), ("佳", "jia"), ("悦", "yue"), ("晨", "chen"),
    ("萱", "xuan"), ("梦", "meng"), ("瑶", "yao"), ("雨", "yu"), ("思", "si"), ("涵", "han"), ("可", "ke"),
    ("诗", "shi"), ("晓", "xiao"), ("嘉", "jia"), ("慧", "hui"), ("倩", "qian"), ("玲", "ling"), ("燕", "yan"),
    ("月", "yue"), ("彤", "tong"), ("清", "qing"), ("若", "ruo"), ("宁", "ning"), ("楠", "nan"),
)  # fmt: skip
MALE = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("杰", "jie"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("浩", "hao"), ("宇", "yu"), ("博", "bo"), ("俊", "jun"),
    ("文", "wen"), ("凯", "kai"), ("鹏", "peng"), ("晨", "chen"), ("子", "zi"), ("轩", "xuan"), ("然", "ran"),
    ("天", "tian"), ("一", "yi"), ("辰", "chen"), ("泽", "ze"), ("航", "hang"), ("阳", "yang"), ("峰", "feng"),
)  # fmt: skip
ENGLISH_FEMALE = ("Emily", "Grace", "Chloe", "Sophie", "Hannah", "Olivia", "Amy", "Lucy", "Vivian", "Cindy")
ENGLISH_MALE = ("Daniel", "Kevin", "Jason", "Michael", "Eric", "Tony", "Leo", "Ryan", "Alex", "Sam")
NICK_HEADS = ("小", "阿", "大", "爱吃", "快乐的", "安静的", "追风", "甜甜", "橘子", "柠檬", "奶茶", "星星", "夏天的",
              "morning", "sunny", "lucky", "cici", "momo", "lili", "kiki")  # fmt: skip
NICK_TAILS = ("猫", "鱼", "兔", "熊", "花", "酱", "宝", "仔", "君", "er", "_cat", "_bear", "_xx", "") + ("",) * 6
EMAIL_DOMAINS = (("qq.com", 0.42), ("163.com", 0.22), ("126.com", 0.07), ("gmail.com", 0.07),
                 ("outlook.com", 0.06), ("sina.com", 0.04), ("foxmail.com", 0.06), ("icloud.com", 0.06))  # fmt: skip


@dataclass(slots=True)
class People:
    """Name parts of ``n`` people (arrays of Python strings)."""

    name: np.ndarray  # 张伟 / Emily Chen
    pinyin: np.ndarray  # zhang.wei / emily.chen (e-mail handle stem)
    nickname: np.ndarray


def _pick(rng: np.random.Generator, table: tuple[tuple[str, str], ...], n: int) -> tuple[np.ndarray, np.ndarray]:
    idx = rng.integers(0, len(table), n)
    return np.array([t[0] for t in table])[idx], np.array([t[1] for t in table])[idx]


def draw_names(rng: np.random.Generator, female: np.ndarray, english: np.ndarray) -> People:
    """Names for people with the given gender flags; ``english`` people get English given names."""
    n = len(female)
    weights = np.array([s[2] for s in SURNAMES])
    si = rng.choice(len(SURNAMES), n, p=weights / weights.sum())
    sur = np.array([s[0] for s in SURNAMES])[si]
    sur_py = np.array([s[1] for s in SURNAMES])[si]
    f1, f1p = _pick(rng, FEMALE, n)
    f2, f2p = _pick(rng, FEMALE, n)
    m1, m1p = _pick(rng, MALE, n)
    m2, m2p = _pick(rng, MALE, n)
    two = rng.random(n) < 0.65
    given = np.where(female, np.where(two, np.char.add(f1, f2), f1), np.where(two, np.char.add(m1, m2), m1))
    given_py = np.where(female, np.where(two, np.char.add(f1p, f2p), f1p), np.where(two, np.char.add(m1p, m2p), m1p))
    name = np.char.add(sur, given)
    pinyin = np.char.add(np.char.add(sur_py, "."), given_py)
    if english.any():
        en_idx = rng.integers(0, len(ENGLISH_FEMALE), n)
        first = np.where(female, np.array(ENGLISH_FEMALE)[en_idx], np.array(ENGLISH_MALE)[en_idx])
        cap = np.char.capitalize(sur_py)
        name = np.where(english, np.char.add(np.char.add(first, " "), cap), name)
        pinyin = np.where(english, np.char.add(np.char.add(np.char.lower(first), "."), sur_py), pinyin)
    heads = np.array(NICK_HEADS)[rng.integers(0, len(NICK_HEADS), n)]
    tails = np.array(NICK_TAILS)[rng.integers(0, len(NICK_TAILS), n)]
    digits = rng.integers(0, 10_000, n).astype(str)
    use_digits = rng.random(n) < 0.5
    nickname = np.char.add(np.char.add(heads, tails), np.where(use_digits, digits, ""))
    return People(name=name, pinyin=pinyin, nickname=nickname)
