"""Held-out metrics of a sentiment model: accuracy, Brier score, ECE and confusion tables.

- Brier score (Brier 1950): mean of ``(p_positive - y)²``; 0 is perfect, 0.25 is a constant 0.5.
- ECE, expected calibration error (Naeini, Cooper & Hauskrecht 2015; Guo et al. 2017, eq. 3),
  over 10 equal-width bins of ``p_positive``: ``Σ_b (n_b / n) · |mean(y)_b - mean(p)_b|``.
- Confusion table: counts of (true label, predicted label) with 0.5 as the threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["brier", "confusion", "ece", "summarise"]

ECE_BINS = 10


def brier(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Brier score of probabilities ``p`` for binary outcomes ``y``."""
    y_arr = np.asarray(y, dtype=float)
    p_arr = np.asarray(p, dtype=float)
    return float(np.mean((p_arr - y_arr) ** 2))


def ece(y: npt.ArrayLike, p: npt.ArrayLike, bins: int = ECE_BINS) -> float:
    """Expected calibration error of the positive-class probability, equal-width bins."""
    y_arr = np.asarray(y, dtype=float)
    p_arr = np.asarray(p, dtype=float)
    index = np.minimum((p_arr * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.sum() / len(p_arr) * abs(y_arr[mask].mean() - p_arr[mask].mean())
    return float(total)


def confusion(y: npt.ArrayLike, p: npt.ArrayLike) -> dict[str, int]:
    """``tp``/``fn``/``fp``/``tn`` with positive = label 1 and prediction ``p >= 0.5``."""
    y_arr = np.asarray(y, dtype=int)
    pred = np.asarray(p, dtype=float) >= 0.5
    return {
        "tp": int(((y_arr == 1) & pred).sum()),
        "fn": int(((y_arr == 1) & ~pred).sum()),
        "fp": int(((y_arr == 0) & pred).sum()),
        "tn": int(((y_arr == 0) & ~pred).sum()),
    }


def summarise(frame: pd.DataFrame, p: npt.NDArray[np.float64]) -> dict[str, Any]:
    """Metrics of one test split (``frame`` has ``label`` and ``category``) with per-category tables."""
    y = frame["label"].to_numpy()
    pred = p >= 0.5
    result: dict[str, Any] = {
        "n": len(frame),
        "accuracy": float((pred == (y == 1)).mean()) if len(frame) else float("nan"),
        "brier": brier(y, p),
        "ece": ece(y, p),
        "confusion": confusion(y, p),
    }
    categories = frame["category"].to_numpy()
    if len(frame) and (categories != "").any():
        by_category: dict[str, Any] = {}
        for category in sorted(set(categories)):
            mask = categories == category
            by_category[str(category)] = {
                "n": int(mask.sum()),
                "accuracy": float((pred[mask] == (y[mask] == 1)).mean()),
                "confusion": confusion(y[mask], p[mask]),
            }
        result["by_category"] = by_category
    return result
