"""Sentiment scoring speed and accuracy: zhongtai's hashed linear model against SnowNLP, in one run.

    python benchmarks/sentiment_score.py [--full-model PATH] [--snownlp-sample 2000] [--write]

What a Chinese-speaking team would otherwise pick is SnowNLP (``SnowNLP(text).sentiments``, a
naive-Bayes model over jieba-like words); it is run when installed (``uv sync --group bench``).
Both score the same held-out texts: the ``test`` split (fixed seed, de-duplicated, see
``zhongtai.brand.sentiment.corpora``) of online_shopping_10_cats, waimai_10k, ChnSentiCorp,
SnowNLP and Blitzer from ``../shared/data`` (``$ZHONGTAI_SHARED_DATA``). Raw texts go in: the
timing includes normalisation, language detection, hashing and the calibrated probability.

- *batch*: ``zhongtai.brand.score`` on all Chinese test texts at once, best of ``--repeat``, in
  one process and split over 2 worker processes;
- *single text*: one ``score([text])`` call per text, median and 95th percentile over 500 texts;
- *accuracy*: label = p ≥ 0.5 on each test split, for the shipped model, the full model (when
  ``--full-model`` points at one trained by ``zhongtai brand train-sentiment --full``) and SnowNLP
  (on a fixed random sample of ``--snownlp-sample`` texts per split: it takes ~1 ms a text).
  SnowNLP's bundled model was trained on the SnowNLP corpus, so its accuracy on that split is
  not held out.

``--write`` puts the tables into the ``sentiment_score`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pandas as pd

from _harness import SHARED_DATA, load_average, machine, machine_line, markdown_table, update_section

SECTION = "sentiment_score"
CORPORA = ("online_shopping", "waimai", "chnsenticorp", "snownlp", "blitzer")
SEED = 20251125


def test_splits(data: Path) -> pd.DataFrame:
    """The raw text, label and corpus of every test-split review (raw: as a user would pass it)."""
    from zhongtai.brand.sentiment.corpora import prepare, read_corpus

    frames = []
    for name in CORPORA:
        prepared, _ = prepare(name, read_corpus(name, data))
        test = prepared[prepared["split"] == "test"]
        frames.append(pd.DataFrame({"corpus": name, "text": test["raw"], "label": test["label"]}))
    return pd.concat(frames, ignore_index=True)


def _score_chunk(texts: list[str]) -> np.ndarray:
    from zhongtai.brand import score

    return score(texts).p_positive


def batch_rate(texts: list[str], *, workers: int, repeat: int) -> float:
    """Reviews per second of ``score`` over ``texts`` (best of ``repeat``), 1 or more processes."""
    from zhongtai.brand import score

    score(texts[:10])  # load the model and warm the caches outside the timing
    best = float("inf")
    if workers == 1:
        for _ in range(repeat):
            started = time.perf_counter()
            score(texts)
            best = min(best, time.perf_counter() - started)
        return len(texts) / best
    chunks = [texts[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_score_chunk, [c[:10] for c in chunks]))
        for _ in range(repeat):
            started = time.perf_counter()
            list(pool.map(_score_chunk, chunks))
            best = min(best, time.perf_counter() - started)
    return len(texts) / best


def latency_ms(texts: list[str]) -> tuple[float, float]:
    """Median and 95th-percentile milliseconds of one ``score([text])`` call."""
    from zhongtai.brand import score

    score(texts[:1])
    times = []
    for text in texts:
        started = time.perf_counter()
        score([text])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), float(np.percentile(times, 95))


def accuracy(frame: pd.DataFrame, p: np.ndarray) -> dict[str, float]:
    correct = (p >= 0.5) == (frame["label"].to_numpy() == 1)
    return {name: float(correct[(frame["corpus"] == name).to_numpy()].mean()) for name in CORPORA}


def snownlp_scores(texts: list[str]) -> tuple[np.ndarray, float] | None:
    """SnowNLP's positive probability per text and its texts per second, or None when absent."""
    try:
        from snownlp import SnowNLP
    except ImportError:
        return None
    _ = SnowNLP("预热").sentiments
    started = time.perf_counter()
    p = np.array([SnowNLP(t).sentiments if t.strip() else 0.5 for t in texts])
    return p, len(texts) / (time.perf_counter() - started)


def measure(
    frame: pd.DataFrame, *, full_model: Path | None, repeat: int, snownlp_sample: int, workers: int = 2
) -> dict[str, Any]:
    """Every number of the tables (pure measurement; no file is written)."""
    from zhongtai.brand import load_model, score

    zh = frame[frame["corpus"] != "blitzer"]["text"].tolist()
    result: dict[str, Any] = {"n_batch": len(zh)}
    result["batch_1"] = batch_rate(zh, workers=1, repeat=repeat)
    result["batch_n"] = batch_rate(zh, workers=workers, repeat=repeat) if workers > 1 else None
    rng = np.random.default_rng(SEED)
    sample = [zh[i] for i in rng.choice(len(zh), size=min(500, len(zh)), replace=False)]
    result["latency"] = latency_ms(sample)
    result["acc_shipped"] = accuracy(frame, score(frame["text"].tolist()).p_positive)
    if full_model is not None and full_model.is_file():
        result["acc_full"] = accuracy(frame, score(frame["text"].tolist(), model=load_model(full_model)).p_positive)
    picks = pd.concat([g.sample(min(len(g), snownlp_sample), random_state=SEED) for _, g in frame.groupby("corpus")])
    snow = snownlp_scores(picks["text"].tolist())
    if snow is not None:
        result["acc_snownlp"] = accuracy(picks.reset_index(drop=True), snow[0])
        result["snownlp_rate"] = snow[1]
        started = time.perf_counter()
        score(picks["text"].tolist())
        result["zhongtai_rate_same_sample"] = len(picks) / (time.perf_counter() - started)
    return result


def render(result: dict[str, Any], info: dict[str, str], load: tuple[float, float]) -> str:
    rows = [
        [
            "zhongtai, 1 process",
            f"{result['batch_1']:,.0f}",
            f"{result['latency'][0]:.2f}",
            f"{result['latency'][1]:.2f}",
        ]
    ]
    if result.get("batch_n"):
        rows.append(["zhongtai, 2 processes", f"{result['batch_n']:,.0f}", "", ""])
    if "snownlp_rate" in result:
        rows.append(
            [
                "SnowNLP 0.12.3 (per text)",
                f"{result['snownlp_rate']:,.0f}",
                f"{1000 / result['snownlp_rate']:.2f} (mean)",
                "",
            ]
        )
    speed = markdown_table(["scorer", "reviews / s (batch)", "single text, median ms", "p95 ms"], rows)
    acc_rows = []
    for key, label in (
        ("acc_shipped", "zhongtai shipped model"),
        ("acc_full", "zhongtai full model"),
        ("acc_snownlp", "SnowNLP 0.12.3"),
    ):
        if key in result:
            acc_rows.append([label, *[f"{result[key][c]:.2%}" for c in CORPORA]])
    accuracy_table = markdown_table(["model", *CORPORA], acc_rows)
    snow_note = (
        "SnowNLP was not installed (`uv sync --group bench` adds it); its rows are missing."
        if "snownlp_rate" not in result
        else "SnowNLP's accuracy is on a fixed sample per split and its SnowNLP-split number is not held out "
        "(its bundled model was trained on that corpus)."
    )
    return (
        "## Sentiment scoring (zh/en)\n\n"
        f"`python benchmarks/sentiment_score.py`: raw review texts of the held-out test splits, "
        f"{result['n_batch']:,} Chinese reviews for the batch rate. {snow_note}\n\n"
        f"{speed}\n\nAccuracy on the held-out test splits (label = p ≥ 0.5):\n\n{accuracy_table}\n\n"
        f"{machine_line(info, load)}\n"
    )


def main(
    write: bool = False,
    *,
    full_model: Path | None = None,
    repeat: int = 3,
    snownlp_sample: int = 2000,
    data: Path = SHARED_DATA,
) -> dict[str, Any]:
    info = machine()
    start_load = load_average()
    frame = test_splits(data)
    result = measure(frame, full_model=full_model, repeat=repeat, snownlp_sample=snownlp_sample)
    body = render(result, info, (start_load, load_average()))
    print(body)
    if write:
        update_section(SECTION, body)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full-model", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--snownlp-sample", type=int, default=2000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    main(args.write, full_model=args.full_model, repeat=args.repeat, snownlp_sample=args.snownlp_sample)
