"""Near-phone links: two accounts whose Chinese mobiles are one keystroke apart, confirmed by where they live.

A mistyped phone (one digit changed, or two neighbouring digits swapped — the two typing slips
Damerau (CACM 1964) found behind most single-error misspellings) breaks the exact-phone edge
between two accounts of one person. This rule puts it back, but only with corroboration a shop's
operator would ask for:

- both phones are valid Chinese mobiles (``+86`` + 11 digits) that still link (not junk, not a
  placeholder, not over their cap) and differ by exactly one substitution or one adjacent swap;
- both accounts name a city and a district (from the profile, or else the place most of their
  orders ship to) and they are the same;
- nothing disagrees: where both accounts give a name, a gender or a birth date, they are equal.
  Two people with consecutive numbers and different names (a family's contract phones) never link.

Candidates come from a deletion-neighbourhood join (for each distinct phone, 11 keys with one digit
masked and 10 with one neighbouring pair sorted; two phones share a key exactly when they are one
such edit apart, which ``damerau_levenshtein = 1`` then confirms), so the work is a hash join in
DuckDB, linear in the number of phones, with no pairwise loop. Input: ``_id_norm`` and ``_recs``
of the running resolution (see :mod:`~zhongtai.warehouse.identity.resolve`); output: record-number
pairs to union in the graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zhongtai.warehouse._sql import cast, col, fragment, lit, run

__all__ = ["near_neighbours", "near_phone_pairs"]

_PHONES = """
CREATE OR REPLACE TEMP TABLE _near_ph AS
SELECT DISTINCT rid, key FROM _id_norm
WHERE status = 'ok' AND id_type = 'phone' AND key LIKE '+861%' AND LENGTH(key) = 14
"""

# the place of each record holding such a phone: its profile's city and district, or else (below)
# where most of its orders ship to; the rule needs both, so phones of records without one are dropped
_PLACE_CUSTOMERS = """
CREATE OR REPLACE TEMP TABLE _near_place AS
SELECT r.rid, NULLIF(TRIM(ANY_VALUE(c.city)), '') AS city, NULLIF(TRIM(ANY_VALUE(c.district)), '') AS district
FROM _recs r SEMI JOIN _near_ph p USING (rid)
LEFT JOIN _near_cust c USING (source, customer_id)
GROUP BY r.rid
"""

_PLACE_ORDERS = """
UPDATE _near_place AS a SET city = o.city, district = o.district
FROM (
  SELECT r.rid, MODE(NULLIF(TRIM(o.city), '')) AS city, MODE(NULLIF(TRIM(o.district), '')) AS district
  FROM main.orders o JOIN _recs r USING (source, customer_id)
  SEMI JOIN (SELECT rid FROM _near_place WHERE city IS NULL OR district IS NULL) x USING (rid)
  GROUP BY r.rid
) o
WHERE a.rid = o.rid AND (a.city IS NULL OR a.district IS NULL)
"""

_PLACED = """
CREATE OR REPLACE TEMP TABLE _near_ph AS
SELECT p.rid, p.key, x.city, x.district FROM _near_ph p JOIN _near_place x USING (rid)
WHERE x.city IS NOT NULL AND x.district IS NOT NULL
"""

# one row per (distinct phone and place, neighbourhood key), hashed to 8 bytes: two phones share a
# key only when they are one edit apart and in the same city and district; positions 4 … 14 of
# '+86…' are the 11 digits
_KEYS = """
CREATE OR REPLACE TEMP TABLE _near_keys AS
WITH phones AS (SELECT DISTINCT key, city, district FROM _near_ph)
SELECT key, city, district, HASH(i, SUBSTR(key, 1, 3 + i) || SUBSTR(key, 5 + i), city, district) AS nkey
FROM phones, RANGE(11) AS t(i)
UNION ALL
SELECT key, city, district, HASH(100 + i, SUBSTR(key, 1, 3 + i) || LEAST(SUBSTR(key, 4 + i, 1), SUBSTR(key, 5 + i, 1))
  || GREATEST(SUBSTR(key, 4 + i, 1), SUBSTR(key, 5 + i, 1)) || SUBSTR(key, 6 + i), city, district) AS nkey
FROM phones, RANGE(10) AS t(i)
"""

# phone pairs sharing a key, checked to be one substitution or one adjacent swap apart in the same
# place (the check also rules out the 2^-64 chance of two keys sharing a hash), mapped to records
_PAIRS = """
CREATE OR REPLACE TEMP TABLE _near_pairs AS
WITH kp AS (
  SELECT DISTINCT a.key AS ka, b.key AS kb, a.city, a.district FROM _near_keys a
  JOIN _near_keys b ON a.nkey = b.nkey AND a.key < b.key AND a.city = b.city AND a.district = b.district
)
SELECT DISTINCT LEAST(x.rid, y.rid) AS rid_a, GREATEST(x.rid, y.rid) AS rid_b
FROM kp JOIN _near_ph x ON x.key = kp.ka AND x.city = kp.city AND x.district = kp.district
JOIN _near_ph y ON y.key = kp.kb AND y.city = kp.city AND y.district = kp.district
WHERE x.rid <> y.rid AND DAMERAU_LEVENSHTEIN(kp.ka, kp.kb) = 1
"""

_ATTR_CUSTOMERS = """
CREATE OR REPLACE TEMP TABLE _near_attr AS
SELECT r.rid,
  LOWER(NULLIF(TRIM(ANY_VALUE(c.name)), '')) AS name,
  ANY_VALUE(CASE WHEN LOWER(TRIM(c.gender)) IN ('male', 'm', '男') THEN 'm'
                 WHEN LOWER(TRIM(c.gender)) IN ('female', 'f', '女') THEN 'f' END) AS gender,
  ANY_VALUE(c.birth_date) AS birth_date
FROM _recs r
SEMI JOIN (SELECT rid_a AS rid FROM _near_pairs UNION SELECT rid_b FROM _near_pairs) p USING (rid)
LEFT JOIN _near_cust c USING (source, customer_id)
GROUP BY r.rid
"""

_ACCEPT = """
SELECT p.rid_a, p.rid_b FROM _near_pairs p
JOIN _near_attr a ON a.rid = p.rid_a JOIN _near_attr b ON b.rid = p.rid_b
WHERE (a.name IS NULL OR b.name IS NULL OR a.name = b.name)
  AND (a.gender IS NULL OR b.gender IS NULL OR a.gender = b.gender)
  AND (a.birth_date IS NULL OR b.birth_date IS NULL OR a.birth_date = b.birth_date)
ORDER BY p.rid_a, p.rid_b
"""


# every phone one edit away from a phone in _near_ph: 11 x 9 substitutions and 10 neighbour swaps
_NEIGHBOURS = """
CREATE OR REPLACE TEMP TABLE _near_nb AS
SELECT DISTINCT nb AS key FROM (
  SELECT SUBSTR(key, 1, 3 + i) || d || SUBSTR(key, 5 + i) AS nb, SUBSTR(key, 4 + i, 1) <> d AS differs
  FROM _near_ph, RANGE(11) AS t(i), (SELECT CAST(x AS VARCHAR) AS d FROM RANGE(10) AS r(x)) AS digits
  UNION ALL
  SELECT SUBSTR(key, 1, 3 + i) || SUBSTR(key, 5 + i, 1) || SUBSTR(key, 4 + i, 1) || SUBSTR(key, 6 + i),
    SUBSTR(key, 4 + i, 1) <> SUBSTR(key, 5 + i, 1)
  FROM _near_ph, RANGE(10) AS t(i)
) x WHERE differs
"""


def near_neighbours(con: Any) -> None:
    """Temp table ``_near_nb(key)``: every mobile one edit from a linking phone in ``_id_norm``.

    The incremental run adds the accounts holding one of these to its starting set, so a new
    account's near-phone partner is recomputed with it (a join on the key, not a scan of all pairs).
    """
    run(con, fragment(_PHONES))
    run(con, fragment(_NEIGHBOURS))


_PROFILE = ("name", "gender", "birth_date", "city", "district")


def _columns(con: Any, table: str) -> set[str]:
    rows = run(
        con,
        fragment(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = :t",
            t=lit(table),
        ),
    )
    return {str(r[0]) for r in rows}


def _profile_view(con: Any) -> None:
    """Temp view ``_near_cust``: the profile fields the rule reads, NULL where a warehouse lacks the column."""
    present = _columns(con, "customers")
    values = {f: col(f) if f in present else cast(lit(None), "VARCHAR") for f in _PROFILE}
    if "birth_date" not in present:
        values["birth_date"] = cast(lit(None), "DATE")
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP VIEW _near_cust AS
            SELECT source, customer_id, :name AS name, :gender AS gender, :birth_date AS birth_date,
              :city AS city, :district AS district
            FROM main.customers
            """,
            **values,
        ),
    )


def _has_orders(con: Any) -> bool:
    """Whether ``main.orders`` exists with a ship-to place and holds at least one row."""
    if not {"source", "customer_id", "city", "district"} <= _columns(con, "orders"):
        return False
    return bool(run(con, fragment("SELECT 1 FROM main.orders LIMIT 1")))


def near_phone_pairs(con: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """Record pairs linked by the near-phone rule, and how many one-edit pairs were considered.

    Returns ``(rid_a, rid_b, considered)``: the accepted pairs as two int64 arrays, and the number of
    distinct record pairs whose phones are one edit apart in the same city and district (accepted
    or not: the rest disagree on name, gender or birth date), for the run report.
    """
    profile_place = {"city", "district"} <= _columns(con, "customers")
    order_place = _has_orders(con)
    if not (profile_place or order_place):
        return np.empty(0, np.int64), np.empty(0, np.int64), 0  # no place to confirm a pair with
    run(con, fragment(_PHONES))
    _profile_view(con)
    run(con, fragment(_PLACE_CUSTOMERS))
    if order_place:
        run(con, fragment(_PLACE_ORDERS))
    run(con, fragment(_PLACED))
    run(con, fragment(_KEYS))
    run(con, fragment(_PAIRS))
    considered = int(run(con, fragment("SELECT COUNT(*) FROM _near_pairs"))[0][0])
    if considered == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), 0
    run(con, fragment(_ATTR_CUSTOMERS))
    rows = run(con, fragment(_ACCEPT))
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy(), considered
