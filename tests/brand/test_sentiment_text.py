"""Normalisation gives one defined result for every bad input the issue lists."""

from __future__ import annotations

from zhongtai.brand.sentiment.text import HEAD_CHARS, MAX_CHARS, TAIL_CHARS, normalise, to_simplified


def test_none_and_blank_text_are_empty() -> None:
    for value in (None, "", "   ", "\u3000\u3000", 42):
        result = normalise(value)
        assert result.text == ""
        assert result.notes == ("empty",)


def test_punctuation_only_is_empty_but_keeps_no_other_note() -> None:
    assert normalise("。。。!!!???").notes == ("empty",)


def test_html_tags_and_entities_are_removed() -> None:
    result = normalise('<div class="r"><script>alert(1)</script>质量<b>很好</b>&amp;便宜<br/>推荐</div>')
    assert result.text == "质量 很好 &便宜 推荐"
    assert result.notes == ("html",)


def test_text_longer_than_the_limit_keeps_head_and_tail() -> None:
    head = "好" * (HEAD_CHARS + 10)
    body = "a" * 100_000
    tail = "差" * TAIL_CHARS
    result = normalise(head + body + tail)
    assert "truncated" in result.notes
    # After truncation: 3,072 × 好 (cut to 3 by the repetition rule), newline, 1,024 × 差 (cut to 3).
    assert result.text == "好好好 差差差"


def test_text_at_the_limit_is_not_truncated() -> None:
    text = ("质量好" + "物流快") * (MAX_CHARS // 6)
    assert len(text) == MAX_CHARS - MAX_CHARS % 6
    assert "truncated" not in normalise(text).notes


def test_fullwidth_and_case_are_folded() -> None:
    assert normalise("ＧＲＥＡＴ　Ｐｈｏｎｅ １２３").text == "great phone 123"


def test_character_runs_are_cut_to_three() -> None:
    assert normalise("好好好好好好好好吃！！！！！！").text == "好好好吃!!!"


def test_copy_paste_spam_is_cut_and_flagged() -> None:
    spam = "加微信领红包" * 50
    result = normalise(spam)
    assert result.text == "加微信领红包" * 3
    assert result.notes == ("repetitive",)


def test_traditional_chinese_becomes_simplified() -> None:
    result = normalise("這個產品質量很好,物流也快")
    assert result.text == "这个产品质量很好,物流也快"
    assert result.notes == ("traditional",)
    assert to_simplified("这个产品很好") == ("这个产品很好", False)


def test_slang_and_emoji_become_sentiment_words() -> None:
    assert normalise("绝绝子").text == "很好 很棒"
    assert normalise("这家店踩雷了").text == "这家店 很差 失望 了"
    assert normalise("YYDS").text == "很好 很棒"
    assert normalise("👍👍").text == "好 good 好 good"
    # ASCII slang only as a whole word: "nba" is not "nb".
    assert normalise("nba jersey").text == "nba jersey"


def test_only_unknown_emoji_is_empty() -> None:
    assert normalise("🐱🐶").notes == ("empty",)
