"""Review sentiment for Chinese and English: normalisation, language, features, model, training.

``score(texts)`` is the one call most code needs; ``train_sentiment`` rebuilds a model.
"""

from zhongtai.brand.sentiment.inputs import read_texts, resolve_data_folder
from zhongtai.brand.sentiment.lang import detect_language
from zhongtai.brand.sentiment.model import (
    SentimentModel,
    SentimentScores,
    load_model,
    score,
    shipped_model,
    shipped_path,
)
from zhongtai.brand.sentiment.text import Normalised, normalise
from zhongtai.brand.sentiment.train import TrainResult, train_sentiment

__all__ = [
    "Normalised",
    "SentimentModel",
    "SentimentScores",
    "TrainResult",
    "detect_language",
    "load_model",
    "normalise",
    "read_texts",
    "resolve_data_folder",
    "score",
    "shipped_model",
    "shipped_path",
    "train_sentiment",
]
