"""NPS answers: a 0–10 score that follows satisfaction, and an optional comment that agrees with it.

Score: ``round(clip(10 · satisfaction^0.8 + N(0, 1.1), 0, 10))``, so satisfied customers are
promoters (9–10) and unhappy ones detractors (0–6), with the usual spread in between. A comment is
left by 55% of detractors, 30% of passives and 40% of promoters; its words follow the band
(detractor: negative, passive: mixed or lukewarm, promoter: positive) and the touchpoint
(an optional ``touchpoint`` column of ``respondents``, else after_delivery 45%, after_service 20%,
periodic 25%, store_visit 5%, other 5%). Answers are
``N{start_id + i}`` in respondent order. Truth: ``response_id, score, sentiment`` (the band).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zhongtai.demo.text._assemble import codes, naive_utc, strings
from zhongtai.demo.text._grammar import empty
from zhongtai.demo.text._lexicon import TOUCHPOINT_FAMILIES, grammar
from zhongtai.demo.text._noise import roughen

__all__ = ["nps"]

NPS_COLUMNS = ("source", "customer_id", "member_id", "response_id", "score", "comment", "responded_at", "touchpoint",
               "channel_id")  # fmt: skip
TRUTH_COLUMNS = ("response_id", "score", "sentiment")
TOUCHPOINTS = ("after_delivery", "after_service", "periodic", "store_visit", "other")
TOUCHPOINT_SHARE = np.array([0.45, 0.20, 0.25, 0.05, 0.05])


def nps(rng: np.random.Generator, respondents: pd.DataFrame, *, start_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NPS answers of ``respondents`` and their truth (see the module docstring).

    ``respondents``: ``source, customer_id, member_id, responded_at, channel_id, language ('zh'|'en'),
    satisfaction ([0, 1])``.
    """
    n = len(respondents)
    satisfaction = np.clip(respondents["satisfaction"].to_numpy(dtype=float), 0.0, 1.0)
    score = np.rint(np.clip(10 * satisfaction**0.8 + rng.normal(0.0, 1.1, n), 0, 10)).astype(np.int64)
    band = np.where(score >= 9, 1, np.where(score >= 7, 0, -1))
    touchpoint = rng.choice(len(TOUCHPOINTS), n, p=TOUCHPOINT_SHARE)
    if "touchpoint" in respondents:  # the caller knows where the survey was sent
        given = codes(respondents["touchpoint"], TOUCHPOINTS)
        touchpoint = np.where(given >= 0, given, touchpoint)
    commented = rng.random(n) < np.array([0.55, 0.30, 0.40])[band + 1]
    english = respondents["language"].to_numpy(dtype=object) == "en"
    comment = empty(n)
    family = np.array([TOUCHPOINT_FAMILIES.index(t) for t in TOUCHPOINTS])[touchpoint]
    for is_en, language in ((False, "zh"), (True, "en")):
        rows = np.flatnonzero(commented & (english == is_en))
        if len(rows):
            g = grammar("nps", language)
            keys = g.key_ids(["nps:-", "nps:0", "nps:+"])[band[rows] + 1]
            comment[rows] = g.render(rng, keys, family[rows])
    comment = roughen(rng, comment, english, typo=0.03, loose=0.1, traditional=0.02, lower=0.1)
    ids = np.array([f"N{start_id + i}" for i in range(n)], dtype=object)
    frame = pd.DataFrame(
        {
            "source": respondents["source"].to_numpy(dtype=object),
            "customer_id": respondents["customer_id"].to_numpy(dtype=object),
            "member_id": respondents["member_id"].to_numpy(dtype=object),
            "response_id": ids,
            "score": score,
            "comment": strings(comment, none_if_empty=True),
            "responded_at": naive_utc(respondents["responded_at"]),
            "touchpoint": np.array(TOUCHPOINTS, dtype=object)[touchpoint],
            "channel_id": respondents["channel_id"].to_numpy(dtype=object),
        },
        columns=list(NPS_COLUMNS),
    )
    truth = pd.DataFrame(
        {
            "response_id": ids,
            "score": score,
            "sentiment": np.array(["negative", "neutral", "positive"], dtype=object)[band + 1],
        },
        columns=list(TRUTH_COLUMNS),
    )
    return frame, truth
