"""How varied and how hard the generated text is, next to real review corpora (a report, not a test).

Run ``python -m zhongtai.demo.text._measure [DATA_DIR]`` with the public data sets folder
(``../shared/data`` by default). It prints:

- diversity: the share of distinct texts among 10,000 and 100,000 reviews, distinct character
  3-grams (Chinese) or word 3-grams (English) in 20,000 reviews, and lengths, for the generated
  reviews and for the real corpora;
- a bag-of-words baseline: TF-IDF (character 1–3-grams for Chinese, word 1–2-grams for English)
  with logistic regression, trained on 80% and scored on 20% of the positive and negative reviews,
  with the same number of reviews for the generated text as each real corpus has. Generated
  reviews are labelled by their truth (clean) and, like the corpora, by their stars (4–5
  positive, 1–2 negative, 3 dropped), which carries the usual rating noise. Also with jieba words
  for Chinese, and with an L1 penalty that keeps only a handful of features (can a few memorised
  tokens score well?);
- the emotion of customer-service messages by the same baseline, and generation speed.

Unlike the generators this module reads files and needs scikit-learn and jieba; nothing imports it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from zhongtai.demo.text import cs_messages, reviews
from zhongtai.demo.text._categories import ASPECTS
from zhongtai.demo.text._lexicon import KINDS, grammar

__all__ = ["main"]

Tokenizer = Callable[[str], list[str]]


def _purchases(n: int, *, seed: int, language: str) -> pd.DataFrame:
    r = np.random.default_rng(seed)
    issues = np.full(n, None, dtype=object)
    planted = r.random(n) < 0.12
    issues[planted] = r.choice(np.array(ASPECTS, dtype=object), int(planted.sum()))
    return pd.DataFrame(
        {
            "source": "demo",
            "customer_id": np.arange(n).astype(str),
            "member_id": np.arange(n).astype(str),
            "order_id": np.arange(n).astype(str),
            "sku": "SKU",
            "category_l1": r.choice(np.array(["护肤", "彩妆", "个护", "服饰"], dtype=object), n),
            "ordered_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(r.integers(0, 86_400 * 300, n), unit="s"),
            "language": language,
            "mood": np.clip(r.normal(0.3, 0.55, n), -1, 1),
            "issue": issues,
        }
    )


def _generated(language: str, count: int, seed: int = 1) -> pd.DataFrame:
    """About ``count`` generated reviews in ``language``: text, true sentiment, stars."""
    rows, truth = reviews(np.random.default_rng(seed), _purchases(int(count * 4.5), seed=seed, language=language),
                          start_id=1)  # fmt: skip
    return pd.DataFrame({"text": rows["text"], "sentiment": truth["sentiment"], "rating": rows["rating"]})


def _ngrams(texts: Sequence[str], *, chars: bool) -> int:
    seen: set[object] = set()
    for text in texts:
        units: Sequence[str] = text if chars else text.lower().split()
        seen.update(tuple(units[i : i + 3]) for i in range(len(units) - 2))
    return len(seen)


def _diversity(name: str, texts: pd.Series, *, chars: bool) -> dict[str, object]:
    return {
        "corpus": name,
        "n": len(texts),
        "distinct_10k": round(texts.head(10_000).nunique() / min(len(texts), 10_000), 4),
        "distinct_100k": round(texts.head(100_000).nunique() / min(len(texts), 100_000), 4),
        "trigrams_20k": _ngrams(texts.head(20_000).tolist(), chars=chars),
        "median_len": float(texts.str.len().median()),
        "p95_len": float(texts.str.len().quantile(0.95)),
    }


def _baseline(
    texts: Sequence[str],
    labels: Sequence[object] | np.ndarray,
    *,
    analyzer: str | Tokenizer,
    ngrams: tuple[int, int],
    l1: float | None = None,
) -> tuple[float, int]:
    """Held-out accuracy of TF-IDF + logistic regression, and the number of features it uses."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    train_x, test_x, train_y, test_y = train_test_split(
        list(texts), np.asarray(labels), test_size=0.2, random_state=0, stratify=np.asarray(labels)
    )
    if callable(analyzer):
        vectoriser = TfidfVectorizer(tokenizer=analyzer, token_pattern=None, ngram_range=ngrams, min_df=2,
                                     sublinear_tf=True, lowercase=False)  # fmt: skip
    else:
        vectoriser = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=2, sublinear_tf=True)
    x = vectoriser.fit_transform(train_x)
    if l1 is None:
        model = LogisticRegression(
            C=4.0, solver="liblinear" if len(set(train_y.tolist())) == 2 else "lbfgs", max_iter=2000
        )
    else:
        model = LogisticRegression(C=l1, solver="liblinear", l1_ratio=1.0)
    model.fit(x, train_y)
    return float(model.score(vectoriser.transform(test_x), test_y)), int((model.coef_ != 0).sum())


def _real(data: Path) -> dict[str, tuple[pd.Series, np.ndarray, str]]:
    zh = data / "zh_reviews"
    en = data / "en_reviews"
    shopping = pd.read_csv(zh / "online_shopping_10_cats.csv.gz").dropna(subset=["review"])
    hotel = pd.read_csv(zh / "ChnSentiCorp_htl_all.csv").dropna(subset=["review"])
    waimai = pd.read_csv(zh / "waimai_10k.csv").dropna(subset=["review"])
    blitzer = pd.read_csv(en / "blitzer_mds_labelled.csv.gz").fillna({"review_text": ""})
    cells = pd.read_csv(en / "amazon_cells_labelled.txt", sep="\t", header=None, names=["text", "label"], quoting=3)
    sample = shopping.sample(20_000, random_state=0)
    return {
        "online_shopping_10_cats (20k sample)": (sample["review"], sample["label"].to_numpy(), "zh"),
        "ChnSentiCorp_htl_all": (hotel["review"], hotel["label"].to_numpy(), "zh"),
        "waimai_10k": (waimai["review"], waimai["label"].to_numpy(), "zh"),
        "blitzer_mds (Amazon)": (blitzer["review_text"], blitzer["label"].to_numpy(), "en"),
        "amazon_cells_labelled": (cells["text"], cells["label"].to_numpy(), "en"),
    }


def _jieba() -> Tokenizer:
    import jieba

    jieba.setLogLevel(60)
    return lambda text: [w for w in jieba.lcut(text) if w.strip()]


def _print(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n## {title}\n")
    print(pd.DataFrame(rows).to_string(index=False))


def main(argv: Sequence[str] = ()) -> None:
    """Print the report for the data folder in ``argv[0]``."""
    data = Path(argv[0]) if argv else Path(__file__).resolve().parents[5] / "shared" / "data"
    sizes = []
    for kind in KINDS:
        for language in ("zh", "en"):
            sizes.append({"grammar": f"{kind}/{language}", **grammar(kind, language).sizes()})
    _print("Vocabulary", sizes)

    generated = {language: _generated(language, 120_000) for language in ("zh", "en")}
    real = _real(data)
    diversity = [_diversity(f"generated {lang}", g["text"], chars=lang == "zh") for lang, g in generated.items()]
    diversity += [_diversity(name, texts.astype(str), chars=lang == "zh") for name, (texts, _, lang) in real.items()]
    _print("Diversity", diversity)

    tokenizer = _jieba()
    results = []
    for name, (texts, labels, language) in real.items():
        polar = generated[language][generated[language]["sentiment"] != "neutral"]
        n = min(len(texts), len(polar))
        fake_texts, fake_labels = polar["text"].head(n).tolist(), (polar["sentiment"] == "positive").head(n).astype(int)
        analyzer: str = "char" if language == "zh" else "word"
        ngrams = (1, 3) if language == "zh" else (1, 2)
        row: dict[str, object] = {"compared with": name, "n": n}
        row["real"], _ = _baseline(texts.astype(str).tolist()[:n], labels[:n], analyzer=analyzer, ngrams=ngrams)
        row["generated"], _ = _baseline(fake_texts, fake_labels.tolist(), analyzer=analyzer, ngrams=ngrams)
        # the corpora were labelled by star ratings (3 stars dropped); label ours the same way too
        starred = generated[language][generated[language]["rating"] != 3].head(n)
        stars = (starred["rating"] >= 4).astype(int).tolist()
        row["generated, star labels"], _ = _baseline(starred["text"].tolist(), stars, analyzer=analyzer, ngrams=ngrams)
        if language == "zh":
            row["real (jieba words)"], _ = _baseline(texts.astype(str).tolist()[:n], labels[:n], analyzer=tokenizer,
                                                      ngrams=(1, 2))  # fmt: skip
            row["generated (jieba words)"], _ = _baseline(fake_texts, fake_labels.tolist(), analyzer=tokenizer,
                                                           ngrams=(1, 2))  # fmt: skip
        real_l1, real_k = _baseline(
            texts.astype(str).tolist()[:n], labels[:n], analyzer=analyzer, ngrams=ngrams, l1=0.2
        )
        fake_l1, fake_k = _baseline(fake_texts, fake_labels.tolist(), analyzer=analyzer, ngrams=ngrams, l1=0.2)
        row["real, L1"] = f"{real_l1:.3f} ({real_k} features)"
        row["generated, L1"] = f"{fake_l1:.3f} ({fake_k} features)"
        results.append(row)
    _print("TF-IDF + logistic regression, positive vs negative, 20% held out", results)

    conversations = pd.DataFrame(
        {
            "source": "demo", "customer_id": "c", "member_id": "m", "conversation_id": np.arange(6000).astype(str),
            "channel_id": "shop", "started_at": pd.Timestamp("2025-06-01"), "language": "zh",
            "emotion": np.random.default_rng(2).choice(np.array(["calm", "anxious", "angry"], dtype=object), 6000),
            "topic": np.random.default_rng(3).choice(np.array(ASPECTS, dtype=object), 6000), "order_id": None,
        }
    )  # fmt: skip
    rows, truth = cs_messages(np.random.default_rng(4), conversations, start_id=1)
    said = truth["emotion"].notna().to_numpy()
    accuracy, _ = _baseline(
        rows["text"][said].tolist(), truth["emotion"][said].tolist(), analyzer="char", ngrams=(1, 3)
    )
    _print("Customer-service emotion (calm/anxious/angry) per customer message", [{"accuracy": accuracy}])

    purchases = _purchases(1_000_000, seed=9, language="zh")
    purchases["language"] = np.where(np.random.default_rng(5).random(len(purchases)) < 0.2, "en", "zh")
    started = time.perf_counter()
    written, _ = reviews(np.random.default_rng(6), purchases, start_id=1)
    seconds = time.perf_counter() - started
    _print("Speed", [{"purchases": len(purchases), "reviews": len(written), "seconds": round(seconds, 2),
                      "reviews_per_second": round(len(written) / seconds)}])  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
