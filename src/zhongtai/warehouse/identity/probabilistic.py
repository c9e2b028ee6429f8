"""Probabilistic matching (Splink, DuckDB back end) for accounts without a hard identifier.

Store sign-ups with only a name and an address carry no phone, e-mail, unionid or card, so the
deterministic graph cannot place them. Splink's Fellegi–Sunter model (Fellegi & Sunter, JASA 1969;
Splink docs, "the maths of Fellegi-Sunter") scores pairs of such accounts against every account with
a name and a region; pairs above ``threshold`` become *candidates* in ``zt_identity.candidates`` for
an operator to accept (``zhongtai identity accept``) or reject. Nothing here merges on its own.

:func:`train_and_predict` is the shared recipe (prior from deterministic rules, u by random
sampling, m by EM on two blockings), used for the shop and for the FEBRL4 benchmark test.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from zhongtai.warehouse._sql import fragment, lit, render, run, scalar
from zhongtai.warehouse.identity.store import ensure_identity_schema, has_identity_schema

__all__ = ["Candidate", "find_candidates", "list_candidates", "train_and_predict"]

SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed link between two accounts; ``probability`` in [0, 1] is Splink's match probability."""

    candidate_id: int
    a_source: str
    a_customer_id: str
    b_source: str
    b_customer_id: str
    probability: float
    status: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def train_and_predict(
    frames: Sequence[pd.DataFrame],
    *,
    unique_id: str,
    link_type: str,
    comparisons: list[Any],
    blocking_rules: list[Any],
    deterministic_rules: list[Any],
    em_blockings: list[Any],
    threshold: float,
    recall: float = 0.8,
    max_pairs: float = 1e6,
    seed: int = 42,
) -> pd.DataFrame:
    """Train a Splink model on ``frames`` and return pairs above ``threshold``.

    Columns: ``unique_id_l``, ``unique_id_r``, ``match_probability``.
    """
    from splink import DuckDBAPI, Linker, SettingsCreator

    logging.getLogger("splink").setLevel(logging.WARNING)
    settings = SettingsCreator(
        unique_id_column_name=unique_id,
        link_type=link_type,  # type: ignore[arg-type]
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=comparisons,
    )
    api = DuckDBAPI()
    tables = [api.register(frame) for frame in frames]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for blocking in em_blockings:
        linker.training.estimate_parameters_using_expectation_maximisation(
            blocking, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    out: pd.DataFrame = predictions.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    left, right = f"{unique_id}_l", f"{unique_id}_r"
    pairs: pd.DataFrame = out[[left, right, "match_probability"]].rename(
        columns={left: "unique_id_l", right: "unique_id_r"}
    )
    return pairs


def _accounts_frame(con: Any) -> pd.DataFrame:
    """Accounts with a name and a city; ``target`` marks those with no linking identifier."""
    query = fragment(
        """
        WITH hard AS (
          SELECT DISTINCT source, customer_id FROM zt_identity.identifiers
          WHERE status = 'ok' AND id_type <> 'name_address'
        )
        SELECT c.source || CHR(31) || c.customer_id AS uid, m.member_id,
          LOWER(TRIM(c.name)) AS name, c.city, c.district,
          REGEXP_REPLACE(COALESCE(c.address, ''), '\\s+', '', 'g') AS address,
          CAST(c.birth_date AS VARCHAR) AS birth_date,
          NOT EXISTS (SELECT 1 FROM hard h WHERE h.source = c.source AND h.customer_id = c.customer_id) AS target
        FROM main.customers c JOIN zt_identity.members m USING (source, customer_id)
        WHERE c.name IS NOT NULL AND TRIM(c.name) <> '' AND c.city IS NOT NULL
        """
    )
    frame: pd.DataFrame = con.sql(render(query)).df()
    frame["address"] = frame["address"].replace("", None)
    return frame


def find_candidates(warehouse: Any, *, threshold: float = 0.9, max_pairs: float = 1e6) -> list[Candidate]:
    """Score accounts without a hard identifier with Splink; store new pairs above ``threshold``.

    Pairs already in the same member, or already decided, are skipped. Needs a resolved warehouse.
    """
    import splink.comparison_library as cl
    from splink import block_on

    con = warehouse.con
    ensure_identity_schema(con)
    frame = _accounts_frame(con)
    if frame.empty or not bool(frame["target"].any()) or len(frame) < 10:
        return list_candidates(con, status="pending")
    pairs = train_and_predict(
        [frame.drop(columns=["member_id", "target"])],
        unique_id="uid",
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]),
            cl.ExactMatch("city"),
            cl.ExactMatch("district"),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
            cl.ExactMatch("birth_date"),
        ],
        blocking_rules=[block_on("name", "city")],
        deterministic_rules=[block_on("name", "city", "district")],
        em_blockings=[block_on("city", "district"), block_on("name")],
        threshold=threshold,
        recall=0.6,
        max_pairs=max_pairs,
    )
    target = set(frame.loc[frame["target"], "uid"])
    member = dict(zip(frame["uid"], frame["member_id"], strict=True))
    keep = pairs[
        (pairs["unique_id_l"].isin(target) | pairs["unique_id_r"].isin(target))
        & (pairs["unique_id_l"].map(member) != pairs["unique_id_r"].map(member))
    ]
    next_id = int(scalar(con, fragment("SELECT COALESCE(MAX(candidate_id), 0) FROM zt_identity.candidates")) or 0)
    known = {(str(a), str(b)) for a, b in run(con, fragment("SELECT a_key, b_key FROM zt_identity.candidates"))}
    at = datetime.now(UTC).replace(tzinfo=None)
    for left, right, probability in keep.itertuples(index=False):
        a, b = sorted((str(left), str(right)))
        if (a, b) in known:
            continue
        next_id += 1
        known.add((a, b))
        run(
            con,
            fragment(
                "INSERT INTO zt_identity.candidates VALUES (:id, :a, :b, :p, 'pending', NULL, :at, NULL, NULL)",
                id=lit(next_id),
                a=lit(a),
                b=lit(b),
                p=lit(float(probability)),
                at=lit(at),
            ),
        )
    return list_candidates(con, status="pending")


def list_candidates(con: Any, *, status: str | None = None) -> list[Candidate]:
    """Stored candidates, most probable first (``status``: pending, accepted, rejected or all)."""
    if not has_identity_schema(con):
        return []
    rows = run(
        con,
        fragment(
            "SELECT candidate_id, a_key, b_key, probability, status FROM zt_identity.candidates "
            "WHERE :status IS NULL OR status = :status ORDER BY probability DESC, candidate_id",
            status=lit(status),
        ),
    )
    out = []
    for cid, a, b, p, st in rows:
        a_source, a_customer = str(a).split(SEP, 1)
        b_source, b_customer = str(b).split(SEP, 1)
        out.append(Candidate(int(cid), a_source, a_customer, b_source, b_customer, float(p), str(st)))
    return out
