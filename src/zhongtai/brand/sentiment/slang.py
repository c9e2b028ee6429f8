"""Internet slang and emoji rewritten into plain sentiment-bearing Chinese/English words.

Why: the training corpora (2010s reviews) rarely contain 绝绝子, yyds or 😡, so a model trained on
them has no weight for those tokens. Rewriting each one to the plain words it means (绝绝子 → 很好 很棒)
lets every model — the shipped one and a full one — read them with weights it has learned.

Each entry maps a surface form (after NFKC and lower-casing of ASCII) to its replacement. Chinese
slang maps to Chinese words, English slang and emoji to words of the text's own language would be
better, but emoji carry no language: they map to Chinese words *and* an English word, so the
feature extractor finds a sentiment-bearing token whichever language family the model leans on.
Sources: common usage on Taobao/Xiaohongshu/Weibo review sections (hand-collected by the
zhongtai authors, Apache-2.0); meanings follow the entries in 百度百科 for each term.
"""

from __future__ import annotations

import re

__all__ = ["EMOJI", "SLANG", "rewrite_slang"]

# Chinese and pinyin-initial slang. Longer forms first is not needed: the regex alternation below is
# built longest-first.
SLANG: dict[str, str] = {
    "绝绝子": "很好 很棒",
    "yyds": "很好 很棒",
    "永远的神": "很好 很棒",
    "无语子": "无语 失望",
    "踩雷": "很差 失望",
    "踩坑": "很差 失望",
    "避雷": "很差 别买",
    "排雷": "很差 别买",
    "拔草": "不想买 失望",
    "种草": "喜欢 想买",
    "回购": "喜欢 再买",
    "无限回购": "很喜欢 再买",
    "真香": "很好 喜欢",
    "好评如潮": "很好",
    "智商税": "上当 不值",
    "割韭菜": "上当 坑人",
    "翻车": "很差 失望",
    "扎心": "难过 失望",
    "破防": "难过 失望",
    "emo": "难过 失望",
    "无语": "无语 失望",
    "nb": "很好",
    "牛批": "很好",
    "牛逼": "很好",
    "awsl": "喜欢",
    "xswl": "好笑",
    "yygq": "讽刺",
    "辣鸡": "垃圾",
    "垃圾玩意": "垃圾",
    "坑爹": "坑人 很差",
    "给力": "很好",
    "点赞": "很好",
    "差评": "差评 很差",
    "好评": "好评 很好",
    "wtf": "terrible",
    "lol": "funny",
    "meh": "mediocre",
    "10/10": "excellent",
    "0/10": "terrible",
}

# Emoji (after NFKC; variation selectors are dropped before lookup).
EMOJI: dict[str, str] = {
    "👍": "好 good",
    "👍🏻": "好 good",
    "👏": "好 good",
    "💯": "很好 excellent",
    "❤": "喜欢 love",
    "❤️": "喜欢 love",
    "😍": "喜欢 love",
    "🥰": "喜欢 love",
    "😘": "喜欢 love",
    "😊": "开心 happy",
    "😀": "开心 happy",
    "😁": "开心 happy",
    "😄": "开心 happy",
    "😃": "开心 happy",
    "🙂": "满意 good",
    "😂": "好笑 funny",
    "🤣": "好笑 funny",
    "🎉": "开心 happy",
    "✨": "好 good",
    "🌟": "好 good",
    "⭐": "好 good",
    "👎": "差 bad",
    "😡": "生气 angry",
    "😠": "生气 angry",
    "🤬": "生气 angry",
    "😤": "生气 angry",
    "💢": "生气 angry",
    "😞": "失望 disappointed",
    "😔": "失望 disappointed",
    "😒": "失望 disappointed",
    "🙄": "无语 disappointed",
    "😢": "难过 sad",
    "😭": "难过 sad",
    "😩": "难过 sad",
    "🤮": "恶心 disgusting",
    "🤢": "恶心 disgusting",
    "💩": "垃圾 terrible",
    "😓": "无奈 bad",
    "💔": "伤心 sad",
}

_ASCII_SLANG = sorted((k for k in SLANG if k.isascii()), key=len, reverse=True)
_HAN_SLANG = sorted((k for k in SLANG if not k.isascii()), key=len, reverse=True)
# ASCII slang only as whole words (``nb`` must not fire inside ``nba``); Chinese slang anywhere.
_SLANG_RE = re.compile(
    "|".join(
        [r"(?<![a-z0-9])" + re.escape(k) + r"(?![a-z0-9])" for k in _ASCII_SLANG] + [re.escape(k) for k in _HAN_SLANG]
    )
)
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in sorted(EMOJI, key=len, reverse=True)))
_EMOJI_PRESENT = frozenset(k[0] for k in EMOJI)


def rewrite_slang(text: str) -> str:
    """``text`` with every known slang form and emoji replaced by its plain words, space-delimited.

    ``text`` must already be NFKC-normalised and lower-cased (see :func:`normalise`).
    """
    if any(ch in _EMOJI_PRESENT for ch in text):
        text = _EMOJI_RE.sub(lambda m: " " + EMOJI[m.group(0)] + " ", text)
    return _SLANG_RE.sub(lambda m: " " + SLANG[m.group(0)] + " ", text)
