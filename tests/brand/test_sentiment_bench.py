"""The sentiment benchmark's measuring core runs on a tiny frame (no time is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import sentiment_score


def test_measure_and_render_on_a_tiny_frame() -> None:
    rows = [(c, "质量很好,很满意", 1) for c in sentiment_score.CORPORA] + [
        (c, "质量很差,很失望", 0) for c in sentiment_score.CORPORA
    ]
    frame = pd.DataFrame(rows, columns=["corpus", "text", "label"])
    result = sentiment_score.measure(frame, full_model=None, repeat=1, snownlp_sample=2, workers=1)
    assert result["n_batch"] == 8  # blitzer rows are left out of the Chinese batch
    assert result["acc_shipped"]["waimai"] == 1.0
    assert result["batch_1"] > 0
    text = sentiment_score.render(
        result,
        dict.fromkeys(("date", "cores", "cpu", "ram", "os", "python", "duckdb", "pandas", "zhongtai"), "x"),
        (1.0, 1.0),
    )
    assert "zhongtai shipped model" in text
