"""Training of the sentiment model: the pure fit, and ``train_sentiment`` that reads corpora and writes the artefact.

Method (a strong classical baseline, CPU-only):

1. Features: hashed, negation-aware character/word n-grams (:mod:`.features`).
2. Naive-Bayes feature scaling (NBSVM/NB-LR, Wang & Manning 2012, "Baselines and Bigrams", ACL,
   §2.3): ``r = log((α + Σ x⁺) / ‖α + Σ x⁺‖₁) - log((α + Σ x⁻) / ‖α + Σ x⁻‖₁)`` with α = 1, and a
   logistic regression (scikit-learn ``LogisticRegression``, liblinear, L2) on ``x ⊙ r``. Folding
   ``r`` into the weights gives one weight vector ``w = r ⊙ β``.
3. The regularisation ``C`` is picked from :data:`C_GRID` by log-loss on the calibration fold.
4. Platt scaling (Platt 1999): a one-feature logistic regression of the label on the margin, fitted
   on the same calibration fold (texts the weights never saw).

``train_sentiment(kind="shipped")`` uses only :data:`~.corpora.REDISTRIBUTABLE` corpora;
``kind="full"`` adds the research corpora. Both evaluate on the ``test`` split of every corpus
present, with the weights rounded to float16 exactly as stored.
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from zhongtai.brand.sentiment.corpora import (
    CORPORA,
    REDISTRIBUTABLE,
    RESEARCH,
    SEED,
    corpus_files,
    file_sha256,
    prepare,
    read_corpus,
)
from zhongtai.brand.sentiment.evaluation import summarise
from zhongtai.brand.sentiment.features import N_FEATURES, vectorise
from zhongtai.brand.sentiment.model import ARTEFACT_FORMAT, SentimentModel
from zhongtai.errors import InputError
from zhongtai.progress import NullProgress, Progress

__all__ = ["C_GRID", "TrainResult", "fit_sentiment", "train_sentiment"]

C_GRID = (4.0, 16.0, 64.0)
NB_ALPHA = 1.0
KINDS = ("shipped", "full")


def _nb_ratio(x: sp.csr_matrix, y: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    pos = NB_ALPHA + np.asarray(x[y == 1].sum(axis=0)).ravel()
    neg = NB_ALPHA + np.asarray(x[y == 0].sum(axis=0)).ravel()
    return np.asarray(np.log(pos / pos.sum()) - np.log(neg / neg.sum()), dtype=np.float32)


def fit_sentiment(
    train: pd.DataFrame,
    calib: pd.DataFrame,
    *,
    c_grid: Sequence[float] = C_GRID,
    progress: Progress | None = None,
) -> tuple[SentimentModel, dict[str, Any]]:
    """Fit weights on ``train`` and pick C and the Platt sigmoid on ``calib`` (both: ``text``, ``label``).

    Pure: no I/O. Returns the model (empty manifest) and the fit details (C, calibration log-loss per C).
    """
    y = train["label"].to_numpy(dtype=np.int64)
    y_cal = calib["label"].to_numpy(dtype=np.int64)
    if len(set(y.tolist())) < 2 or len(set(y_cal.tolist())) < 2:
        raise InputError("brand.one_class", train=len(y), calib=len(y_cal))
    progress = progress or NullProgress()
    progress.phase("sentiment_fit", total=len(c_grid) + 1)
    x = vectorise(train["text"].tolist())
    x_cal = vectorise(calib["text"].tolist())
    ratio = _nb_ratio(x, y)
    xr = x @ sp.diags(ratio)
    xr_cal = x_cal @ sp.diags(ratio)
    best: tuple[float, float, npt.NDArray[np.float32], float] | None = None
    losses: dict[str, float] = {}
    for c in c_grid:
        lr = LogisticRegression(C=c, solver="liblinear", max_iter=200)
        lr.fit(xr, y)
        loss = float(log_loss(y_cal, lr.predict_proba(xr_cal)[:, 1], labels=[0, 1]))
        losses[str(c)] = loss
        if best is None or loss < best[0]:
            best = (loss, c, (lr.coef_.ravel() * ratio).astype(np.float32), float(lr.intercept_[0]))
        progress.advance(1)
    assert best is not None
    _, c_best, weights, intercept = best
    # Platt on the stored (float16-rounded) weights, so the sigmoid matches what is shipped.
    weights = weights.astype(np.float16).astype(np.float32)
    margin = np.asarray(x_cal @ weights, dtype=np.float64) + intercept
    platt = LogisticRegression(C=1e6, solver="lbfgs")
    platt.fit(margin.reshape(-1, 1), y_cal)
    progress.advance(1)
    model = SentimentModel(weights, intercept, float(platt.coef_[0, 0]), float(platt.intercept_[0]), {})
    return model, {"C": c_best, "calib_log_loss_by_C": losses, "nb_alpha": NB_ALPHA}


@dataclass(frozen=True, slots=True)
class TrainResult:
    """What ``train_sentiment`` wrote and measured: the artefact path and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def metrics(self) -> dict[str, Any]:
        return dict(self.manifest["metrics"])

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), **self.manifest}


def _corpora_for(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(training corpora, evaluation-only corpora) for a model kind."""
    if kind == "shipped":
        return REDISTRIBUTABLE, RESEARCH
    return REDISTRIBUTABLE + RESEARCH, ()


def prepare_corpora(
    names: Sequence[str], folder: Path | None, *, seed: int = SEED, progress: Progress | None = None
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Read, normalise, de-duplicate and split the named corpora; also record their file hashes."""
    progress = progress or NullProgress()
    progress.phase("sentiment_read", total=len(names))
    frames: list[pd.DataFrame] = []
    info: dict[str, dict[str, Any]] = {}
    for name in names:
        frame, counts = prepare(name, read_corpus(name, folder), seed=seed)
        files = corpus_files(name, folder) if CORPORA[name].files and folder is not None else []
        info[name] = {
            "licence": CORPORA[name].licence,
            "files": {f.name: file_sha256(f) for f in files},
            **counts,
        }
        frames.append(frame)
        progress.advance(1)
    return pd.concat(frames, ignore_index=True), info


def train_sentiment(
    *,
    kind: str = "shipped",
    data: Path | None,
    out: Path,
    seed: int = SEED,
    progress: Progress | None = None,
) -> TrainResult:
    """Train the ``shipped`` or ``full`` model from the corpora under ``data``, write it to ``out``.

    Research corpora are read for evaluation of the shipped model when present and skipped when
    absent; for the full model they are required (``NotFoundError`` naming the missing file).
    """
    if kind not in KINDS:
        raise InputError("brand.unknown_kind", kind=kind, known=", ".join(KINDS))
    progress = progress or NullProgress()
    training, evaluation_only = _corpora_for(kind)
    available_eval = [n for n in evaluation_only if data is not None and _present(n, data)]
    frame, info = prepare_corpora([*training, *available_eval], data, seed=seed, progress=progress)
    in_training = frame["corpus"].isin(training)
    model, fit = fit_sentiment(
        frame[in_training & (frame["split"] == "train")],
        frame[in_training & (frame["split"] == "calib")],
        progress=progress,
    )
    progress.phase("sentiment_evaluate", total=frame["corpus"].nunique())
    metrics: dict[str, Any] = {}
    for name, part in frame[frame["split"] == "test"].groupby("corpus", sort=False):
        metrics[str(name)] = summarise(part, model.probability(part["text"].tolist()))
        progress.advance(1)
    from zhongtai import __version__

    manifest = {
        "format": ARTEFACT_FORMAT,
        "kind": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "zhongtai": __version__,
        "python": platform.python_version(),
        "params": {"seed": seed, "n_features": N_FEATURES, "test_share": 0.2, "calib_share": 0.1, **fit},
        "trained_on": list(training),
        "corpora": info,
        "metrics": metrics,
    }
    final = SentimentModel(model.weights, model.intercept, model.platt_a, model.platt_c, manifest)
    final.save(out)
    return TrainResult(out, manifest)


def _present(name: str, folder: Path) -> bool:
    return all((folder / f).is_file() or (folder / Path(f).name).is_file() for f in CORPORA[name].files)
