"""Features: character n-grams for Chinese, word n-grams for English, negation marks, hashing."""

from __future__ import annotations

import numpy as np

from zhongtai.brand.sentiment.features import N_FEATURES, analyse, vectorise


def test_chinese_character_one_to_three_grams() -> None:
    assert analyse("很好用") == ["很", "好", "用", "很好", "好用", "很好用"]


def test_single_negation_marks_the_following_characters() -> None:
    tokens = analyse("不太好")
    assert "¬好" in tokens
    assert "¬太好" in tokens


def test_double_negation_cancels() -> None:
    # 不是不好 is litotes for 好: the double negation is removed before the n-grams.
    assert analyse("不是不好") == ["好"]
    assert analyse("没有不满意") == ["满", "意", "满意"]


def test_have_to_is_not_a_double_negation() -> None:
    assert "¬得" in analyse("不得不买")


def test_even_negator_count_in_the_window_leaves_a_character_plain() -> None:
    # 没 and 不 both precede 错 within three characters (count 2, even), so 错 is not marked.
    tokens = analyse("没想不错")
    assert "¬错" not in tokens
    assert "¬想" in tokens


def test_negation_scope_is_three_characters() -> None:
    tokens = analyse("没有什么问题")
    # 没 at 0: 有(1) 什(2) 么(3) are in scope; 问(4) has 有什么 before it, no negator.
    assert {"¬有", "¬什", "¬么"} <= set(tokens)
    assert "¬问" not in tokens


def test_english_words_bigrams_and_not_scope_until_punctuation() -> None:
    tokens = analyse("i don't like it, but great")
    assert tokens == [
        "i",
        "don't",
        "i don't",
        "NOT_like",
        "don't like",
        "NOT_it",
        "like it",
        "but",
        "great",
        "but great",
    ]


def test_numbers_share_one_token() -> None:
    assert analyse("paid 199 or 2.5") == ["paid", "<num>", "paid <num>", "or", "<num> or", "<num>", "or <num>"]


def test_rows_are_hashed_binary_and_unit_length() -> None:
    matrix = vectorise(["很好很好", "great", ""])
    assert matrix.shape == (3, N_FEATURES)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    np.testing.assert_allclose(norms, [1.0, 1.0, 0.0], atol=1e-6)
    # 很好很好 -> distinct tokens 很 好 很好 好很 很好很 好很好 (6), binary -> each 1/sqrt(6).
    np.testing.assert_allclose(matrix[0].data, np.full(6, 1 / np.sqrt(6)), rtol=1e-6)
