"""Held-out metrics, checked against values computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zhongtai.brand.sentiment.evaluation import brier, confusion, ece, summarise


def test_brier_by_hand() -> None:
    # ((0.9-1)² + (0.2-0)² + (0.6-0)² + (0.5-1)²) / 4 = (0.01 + 0.04 + 0.36 + 0.25) / 4 = 0.165
    assert brier([1, 0, 0, 1], [0.9, 0.2, 0.6, 0.5]) == pytest.approx(0.165)


def test_ece_by_hand() -> None:
    # bins of width 0.1: [0.1, 0.2) {0.15, 0.15}: mean y 0.5, mean p 0.15 -> 0.35 · 2/5 = 0.14
    #                    [0.8, 0.9) {0.85}: y 1 -> 0.15 · 1/5 = 0.03
    #                    [0.9, 1.0] {0.95, 0.95}: mean y 0.5 -> 0.45 · 2/5 = 0.18      total 0.35
    p = [0.15, 0.15, 0.85, 0.95, 0.95]
    y = [0, 1, 1, 1, 0]
    assert ece(y, p) == pytest.approx(0.35)


def test_probability_one_falls_in_the_last_bin() -> None:
    assert ece([1, 0], [1.0, 0.0]) == pytest.approx(0.0)


def test_confusion_uses_half_as_threshold() -> None:
    assert confusion([1, 1, 0, 0, 1], [0.5, 0.4, 0.6, 0.1, 0.9]) == {"tp": 2, "fn": 1, "fp": 1, "tn": 1}


def test_summary_has_per_category_tables() -> None:
    frame = pd.DataFrame({"label": [1, 0, 1, 0], "category": ["书籍", "书籍", "水果", "水果"]})
    result = summarise(frame, np.array([0.9, 0.7, 0.8, 0.2]))
    assert result["accuracy"] == pytest.approx(0.75)
    assert result["by_category"]["书籍"] == {"n": 2, "accuracy": 0.5, "confusion": {"tp": 1, "fn": 0, "fp": 1, "tn": 0}}
    assert result["by_category"]["水果"]["accuracy"] == 1.0
