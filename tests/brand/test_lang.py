"""Language by script ratio: share = han / (han + 2·words); zh ≥ 0.7, en ≤ 0.3."""

from __future__ import annotations

import pytest

from zhongtai.brand.sentiment.lang import detect_language, detect_languages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("质量很好", "zh"),  # 4 Han, 0 words: 1.0
        ("Great phone, fast delivery", "en"),  # 0 Han: 0.0
        ("iPhone 很好用", "mixed"),  # 3 / (3 + 2) = 0.6
        ("苹果手机很好用,就是 iPhone 贵", "zh"),  # 9 / (9 + 2) = 0.82
        ("质量不错 the quality is great", "mixed"),  # 4 / (4 + 8) = 0.33
        ("好 the quality is great", "en"),  # 1 / (1 + 8) = 0.11
        ("😀😀 123 !!!", "und"),  # neither Han nor Latin letters
        ("", "und"),
        ("這個產品很好", "zh"),  # traditional Han count as Han
    ],
)
def test_script_ratio_rule(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_vectorised_form_matches_the_scalar_one() -> None:
    texts = ["质量很好", "great", "iPhone 很好用", ""]
    assert detect_languages(texts).tolist() == ["zh", "en", "mixed", "und"]
