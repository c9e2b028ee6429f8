"""Product reviews with known sentiment and aspects, in Chinese and English.

Who writes. A purchase gets a review with probability
``min(0.95, 0.10 + 0.35·|mood|^1.5 + 0.35·[issue] + 0.05·[mood < 0])``: indifferent buyers rarely
write, delighted and angry ones often, and a planted problem makes a review far more likely.

What they feel. A latent score ``s = clip(0.8·mood + N(0, 0.3) − [issue]·U(0.35, 0.8), −1, 1)`` is
cut into five levels (−2 … +2 at −0.55, −0.15, 0.15, 0.55). The level decides the verdict
(强烈推荐 … 踩雷了) and the shape of the review, planned by :mod:`zhongtai.demo.text._review_plan`:
uniform, conceding a point, adding a minor complaint, or "A, but B" (the second opinion decides).
The planted issue is always mentioned, always negative. About 7% of reviews are a few characters
(好评, 踩雷了, Love it); sarcasm (呵呵，真是“好”质量) replaces the verdict of about 4% of the
negative reviews that have one. Typos, loose punctuation, lower case and traditional characters
are added to a few percent (:mod:`zhongtai.demo.text._noise`).

Truth. ``sentiment`` is the sign of the level; ``score = 0.75·level/2 + 0.25·mean(aspect levels)/2``
(the level alone without aspects), so its sign always matches ``sentiment`` and neutral reviews
stay within ±0.25; ``aspects`` lists every aspect clause, in written order, with its polarity.
The star rating follows the score with noise (``round(3 + 2·score + N(0, 0.5))``), and 2% of
reviewers give five stars whatever they wrote.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zhongtai.demo.text._assemble import capitalise, codes, naive_utc, sign_name, strings
from zhongtai.demo.text._categories import ASPECTS, family_codes, product_words
from zhongtai.demo.text._grammar import STRING, Grammar, concat, empty
from zhongtai.demo.text._lexicon import grammar
from zhongtai.demo.text._noise import roughen
from zhongtai.demo.text._review_plan import BUT, COLUMNS, CONCEDE, ReviewPlan, UnitKind, plan_reviews

__all__ = ["reviews"]

REVIEW_COLUMNS = ("source", "customer_id", "member_id", "review_id", "order_id", "sku", "rating", "title", "text",
                  "language", "created_at", "likes", "has_images")  # fmt: skip
TRUTH_COLUMNS = ("review_id", "sentiment", "score", "aspects")

_POLARITY = ("negative", "neutral", "positive")
U = UnitKind


def _levels(s: np.ndarray) -> np.ndarray:
    return np.asarray(np.digitize(s, [-0.55, -0.15, 0.15, 0.55]), dtype=np.int64) - 2


def _key_table(g: Grammar) -> np.ndarray:
    """Template key id by (unit kind, aspect, value + 2); −1 where a unit has no key."""
    table = np.full((8, len(ASPECTS), 5), -1, dtype=np.int64)
    for v in range(-2, 3):
        for a, name in enumerate(ASPECTS):
            table[U.ASPECT, a, v + 2] = g.key(f"{name}:{v:+d}")
        table[U.OVERALL, :, v + 2] = g.key(f"overall:{v:+d}")
        table[U.SHORT, :, v + 2] = g.key(f"short:{v:+d}")
        table[U.CLOSING, :, v + 2] = g.key("closing:" + ("+" if v > 0 else "-" if v < 0 else "0"))
        table[U.OPENER, :, v + 2] = g.key("opener")
        table[U.INFO, :, v + 2] = g.key("info")
        table[U.USAGE, :, v + 2] = g.key("usage")
        table[U.SARCASM, :, v + 2] = g.key("sarcasm")
    return table


def _signed_keys(g: Grammar, stem: str, signs: np.ndarray) -> np.ndarray:
    ids = g.key_ids([f"{stem}:-", f"{stem}:0", f"{stem}:+"])
    return np.asarray(ids[np.sign(signs).astype(np.int64) + 1], dtype=np.int64)


def _texts(
    rng: np.random.Generator, g: Grammar, plan: ReviewPlan, rows: np.ndarray, family: np.ndarray,
    product: np.ndarray, level: np.ndarray, english: bool,
) -> np.ndarray:  # fmt: skip
    """Render and join the units of reviews ``rows`` (all in one language)."""
    kind = plan.kind[rows]
    cells = np.flatnonzero(kind.ravel() >= 0)
    unit_row = cells // COLUMNS
    unit_kind = kind.ravel()[cells]
    unit_value = plan.value[rows].ravel()[cells]
    unit_aspect = plan.aspect[rows].ravel()[cells]
    keys = _key_table(g)[unit_kind, unit_aspect, unit_value + 2]
    fam = family[rows][unit_row]
    body = g.render(rng, keys, fam, external=[product[rows][unit_row]])

    # connectors: a turn says whether it leads to the main point (不过质量很好) or a minor one (就是物流慢)
    first = np.ones(len(cells), dtype=bool)
    first[1:] = unit_row[1:] != unit_row[:-1]
    previous = np.roll(np.sign(unit_value), 1)
    current = np.sign(unit_value)
    review_sign = np.sign(level[rows])[unit_row]
    turn = ~first & (previous != 0) & (current != 0) & (previous != current)
    plain = (unit_kind != U.ASPECT) | np.roll(unit_kind != U.ASPECT, 1)
    turn_key = np.where(review_sign == 0, g.key("conn:turn"), np.where(
        current == review_sign, np.where(current > 0, g.key("conn:main+"), g.key("conn:main-")),
        np.where(current > 0, g.key("conn:minor+"), g.key("conn:minor-"))))  # fmt: skip
    shape = plan.shape[rows][unit_row]
    turn_key = np.where(shape == BUT, g.key("conn:but"), turn_key)
    conn_keys = np.where(turn, turn_key, np.where(plain, g.key("conn:plain"), g.key("conn:add")))
    connector = g.render(rng, conn_keys, fam)
    connector[first] = ""
    if not english:  # 虽然物流慢了点，但是… (the concession of an "A, but B" review)
        conceding = ((shape == BUT) | (shape == CONCEDE)) & (unit_kind == U.ASPECT) & (current == -review_sign)
        concession = conceding & np.roll(unit_kind != U.ASPECT, 1) & (rng.random(len(cells)) < 0.35)
        connector[concession] = concat(connector[concession], g.render(rng, np.full(concession.sum(),
                                       g.key("conn:although")), fam[concession]))  # fmt: skip
    if english:
        stripped = np.strings.rstrip(connector)
        sentence_start = first | np.strings.endswith(stripped, ".") | np.strings.endswith(stripped, "!")
        body = np.where(sentence_start & (unit_kind != U.SHORT), capitalise(body), body)
    flat = np.full(len(rows) * COLUMNS, "", dtype=STRING)
    flat[cells] = concat(connector, body)
    grid = flat.reshape(len(rows), COLUMNS)
    text = concat(*(grid[:, c] for c in range(COLUMNS)))

    signs = np.sign(level[rows])
    ending = g.render(rng, _signed_keys(g, "end", signs), family[rows])
    emoji_rows = rng.random(len(rows)) < (0.06 if english else 0.14)
    emoji = np.where(emoji_rows, g.render(rng, _signed_keys(g, "emoji", signs), family[rows]), "")
    joiner = np.where(emoji_rows & english, " ", "")
    return concat(text, ending, joiner, emoji)


def _titles(
    rng: np.random.Generator, g: Grammar, level: np.ndarray, issue: np.ndarray, family: np.ndarray, english: bool
) -> np.ndarray:
    n = len(level)
    if english:
        keys = g.key_ids([f"title:{v:+d}" for v in range(-2, 3)])[level + 2]
        issue_keys = g.key_ids([f"title_issue:{a}" for a in ASPECTS])
        by_issue = (issue >= 0) & (rng.random(n) < 0.4)
        keys = np.where(by_issue, issue_keys[np.maximum(issue, 0)], keys)
        titled = rng.random(n) < 0.85
    else:
        keys = _signed_keys(g, "title", level)
        titled = rng.random(n) < 0.03
    out = empty(n)
    out[titled] = g.render(rng, keys[titled], family[titled])
    return out


def _truth_aspects(plan: ReviewPlan, m: int) -> tuple[list[list[dict[str, str]]], np.ndarray]:
    """Aspect clauses per review as ``{aspect, polarity}`` dicts, and the mean aspect level (NaN: none)."""
    rows, aspect, value = plan.aspects()
    out: list[list[dict[str, str]]] = [[] for _ in range(m)]
    for r, a, p in zip(rows.tolist(), aspect.tolist(), (np.sign(value) + 1).tolist(), strict=True):
        out[r].append({"aspect": ASPECTS[a], "polarity": _POLARITY[p]})
    count = np.bincount(rows, minlength=m)
    total = np.bincount(rows, weights=value, minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out, mean


def reviews(rng: np.random.Generator, purchases: pd.DataFrame, *, start_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reviews of some of ``purchases`` and their truth (see the module docstring for the model).

    ``purchases``: ``source, customer_id, member_id, order_id, sku, category_l1, ordered_at, language
    ('zh'|'en'), mood ([-1, 1]), issue (aspect code or None)``; an optional ``category_l3`` lets
    Chinese reviews name the product (面霜, 连衣裙). Returns canonical ``reviews`` rows (review ids
    ``R{start_id + i}`` in purchase order; ``created_at`` naive UTC, one to ten days after the
    order, a few weeks for follow-ups) and the truth ``review_id, sentiment, score, aspects``.
    """
    n = len(purchases)
    mood = np.clip(purchases["mood"].to_numpy(dtype=float), -1.0, 1.0)
    issue_all = codes(purchases["issue"], ASPECTS)
    p_write = np.minimum(0.95, 0.10 + 0.35 * np.abs(mood) ** 1.5 + 0.35 * (issue_all >= 0) + 0.05 * (mood < 0))
    written = np.flatnonzero(rng.random(n) < p_write)
    sub = purchases.iloc[written]
    m = len(written)
    issue = issue_all[written]
    english = sub["language"].to_numpy(dtype=object) == "en"
    family = family_codes(sub["category_l1"])
    product = product_words(rng, family, english, sub.get("category_l3"))

    s = np.clip(0.8 * mood[written] + rng.normal(0.0, 0.3, m) - (issue >= 0) * rng.uniform(0.35, 0.8, m), -1, 1)
    level = _levels(s)
    plan = plan_reviews(rng, level, issue, family)

    text = empty(m)
    title = empty(m)
    for is_en, language in ((False, "zh"), (True, "en")):
        rows = np.flatnonzero(english == is_en)
        if len(rows) == 0:
            continue
        g = grammar("reviews", language)
        text[rows] = _texts(rng, g, plan, rows, family, product, level, is_en)
        title[rows] = _titles(rng, g, level[rows], issue[rows], family[rows], is_en)
    text = roughen(rng, text, english)

    aspects, aspect_mean = _truth_aspects(plan, m)
    aspect_mean = np.where(np.isnan(aspect_mean), level, aspect_mean)
    score = np.round(np.clip(0.75 * level / 2 + 0.25 * aspect_mean / 2, -1, 1), 3)
    rating = np.clip(np.rint(3 + 2 * score + rng.normal(0, 0.5, m)), 1, 5).astype(np.int64)
    rating = np.where(rng.random(m) < 0.02, 5, rating)
    long = plan.long
    has_images = rng.random(m) < 0.10 + 0.18 * long + 0.08 * (np.abs(level) == 2)
    likes = rng.poisson(np.exp(rng.normal(-1.2 + 0.7 * has_images + 0.4 * long + 0.3 * (level < 0), 1.1))).astype(
        np.int64
    )
    delay_days = 1.0 + rng.gamma(2.0, 1.6, m) + (rng.random(m) < 0.08) * rng.uniform(14, 45, m)
    ordered = naive_utc(sub["ordered_at"])
    created = ordered + (delay_days * 86_400e9).astype("timedelta64[ns]")

    ids = np.array([f"R{start_id + i}" for i in range(m)], dtype=object)
    frame = pd.DataFrame(
        {
            "source": sub["source"].to_numpy(dtype=object),
            "customer_id": sub["customer_id"].to_numpy(dtype=object),
            "member_id": sub["member_id"].to_numpy(dtype=object),
            "review_id": ids,
            "order_id": sub["order_id"].to_numpy(dtype=object),
            "sku": sub["sku"].to_numpy(dtype=object),
            "rating": rating,
            "title": strings(title, none_if_empty=True),
            "text": strings(text),
            "language": np.where(english, "en", "zh").astype(object),
            "created_at": created,
            "likes": likes,
            "has_images": has_images,
        },
        columns=list(REVIEW_COLUMNS),
    )
    truth = pd.DataFrame(
        {
            "review_id": ids,
            "sentiment": sign_name(level),
            "score": score.astype(float),
            "aspects": aspects,
        },
        columns=list(TRUTH_COLUMNS),
    )
    return frame, truth
