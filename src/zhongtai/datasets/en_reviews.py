"""English product-review sentiment: Blitzer's multi-domain reviews and UCI Amazon sentences.

Parts: ``blitzer_mds`` (the flat CSV of the 8,000 labelled Amazon reviews in books, dvd,
electronics and kitchen & housewares; Blitzer, Dredze & Pereira 2007) and ``amazon_cells``
(1,000 labelled sentences from Amazon cell-phone reviews; UCI dataset 331).

Canonical mapping: every record → one ``reviews`` row, language ``en``, ``review_id``
``<part>-<n>`` (see :mod:`zhongtai.datasets._reviews`). Blitzer reviews keep their star
``rating`` (1, 2, 4 or 5), ``title`` and product ``asin`` as ``sku``; the Amazon sentences have no
rating. Labels, domains and product names stay in the raw tables ``datasets.en_reviews_<part>``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from zhongtai.datasets._read import read_csv
from zhongtai.datasets._reviews import review_ids, reviews_mapping
from zhongtai.datasets._spec import CanonicalInput, DatasetSpec, Inputs, Part

__all__ = ["PARTS", "SPEC"]

SOURCE = "en_reviews"
BLITZER_COLUMNS = ("domain", "label", "rating", "asin", "product_name", "title", "review_text")
BLITZER_MAPPING = reviews_mapping(SOURCE, "en", with_rating=True, with_title=True, with_sku=True)
SENTENCE_MAPPING = reviews_mapping(SOURCE, "en")


def _read_blitzer(path: Path) -> pd.DataFrame:
    types = dict.fromkeys(BLITZER_COLUMNS, str) | {"label": "int64", "rating": "float64"}
    return read_csv(path, dtype=types)


def _read_sentences(path: Path) -> pd.DataFrame:
    """``sentence<TAB>label``, no header, quotes are text (``quoting=QUOTE_NONE``)."""
    return read_csv(
        path,
        dtype={"sentence": str, "label": "int64"},
        header=False,
        names=("sentence", "label"),
        sep="\t",
        quoting=csv.QUOTE_NONE,
    )


PARTS = (
    Part("blitzer_mds", "en_reviews/blitzer_mds_labelled.csv.gz", _read_blitzer, BLITZER_COLUMNS),
    Part("amazon_cells", "en_reviews/amazon_cells_labelled.txt", _read_sentences, ("sentence", "label")),
)


def canonical(inputs: Inputs) -> list[CanonicalInput]:
    blitzer = inputs.frame("blitzer_mds")
    reviews = pd.DataFrame(
        {
            "review_id": review_ids("blitzer_mds", len(blitzer)),
            "text": blitzer["review_text"],
            "rating": blitzer["rating"].round().astype("Int64"),
            "title": blitzer["title"],
            "sku": blitzer["asin"],
        }
    )
    sentences = inputs.frame("amazon_cells")
    lines = pd.DataFrame({"review_id": review_ids("amazon_cells", len(sentences)), "text": sentences["sentence"]})
    return [
        CanonicalInput(f"{SOURCE}:blitzer_mds", BLITZER_MAPPING, frame=reviews, file_name="blitzer_mds.reviews.csv"),
        CanonicalInput(f"{SOURCE}:amazon_cells", SENTENCE_MAPPING, frame=lines, file_name="amazon_cells.reviews.csv"),
    ]


SPEC = DatasetSpec(
    name="en_reviews",
    en="English review sentiment: Blitzer multi-domain Amazon reviews (8,000) and UCI Amazon sentences (1,000)",
    zh="英文评论情感语料:Blitzer 多领域亚马逊评论(8,000 条)与 UCI 亚马逊句子(1,000 条)",
    licence="Blitzer: no licence stated, research and test use only; UCI sentences: CC BY 4.0",
    citation=(
        "J. Blitzer, M. Dredze, F. Pereira (2007), Biographies, Bollywood, Boom-boxes and Blenders: Domain "
        "Adaptation for Sentiment Classification, ACL; D. Kotzias, M. Denil, N. de Freitas, P. Smyth (2015), "
        "From Group to Individual Labels using Deep Features, KDD (UCI dataset 331)"
    ),
    parts=PARTS,
    tables=("reviews",),
    canonical=canonical,
)
