"""Brand and voice of the customer (seed §4.1, 4.2, 5.1, 6.3).

Today: review sentiment in Chinese and English (:mod:`zhongtai.brand.sentiment`). Aspects,
opinion monitoring, the crisis workflow and CS emotion escalation build on it (issue 9).
"""

from zhongtai.brand.sentiment import (
    SentimentModel,
    SentimentScores,
    TrainResult,
    detect_language,
    load_model,
    normalise,
    read_texts,
    resolve_data_folder,
    score,
    shipped_model,
    shipped_path,
    train_sentiment,
)

__all__ = [
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
