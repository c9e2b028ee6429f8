"""Stable member ids: a new run reuses the ids of clusters that persist, and records merges and splits.

Input: temp table ``_assign(rid, source, customer_id, prev, comp, flagged, unknown_source)`` — each
account's previous member id (its provisional id before the first run) and its new component.
Output: ``_final(source, customer_id, member_id, prev, flagged, unknown_source)`` and
``_history(old_member_id, member_id, kind, accounts)``.

Record numbers ``rid`` follow the order of ``(source, customer_id)``, so "first account" is the
smallest ``rid`` (no string keys are built to find it). Rules, all in one SQL pass (no Python loop
over records):

1. An old id goes to the component holding most of its accounts (ties: the component whose first
   account key sorts first).
2. A component that won several old ids keeps the one with most of its accounts (ties: the smaller id);
   the others are *merged* into it.
3. A component that won none gets a new id: the provisional id of its first account, unless that id
   was ever used (then the same hash salted with the run id).
4. History: every old id whose accounts now sit under another id gets a row — ``merged`` when the
   old id is no longer used, ``split`` when it still is (some accounts left it).
"""

from __future__ import annotations

from typing import Any

from zhongtai.warehouse._sql import fragment, lit, run, scalar

__all__ = ["assign_member_ids"]

_FINAL = """
CREATE OR REPLACE TEMP TABLE _final AS
WITH votes AS (
  SELECT comp, prev, COUNT(*) AS n, MIN(rid) AS first_rid
  FROM _assign GROUP BY comp, prev
), by_old AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY prev ORDER BY n DESC, first_rid) AS rank_old FROM votes
), won AS (
  SELECT comp, prev, n, ROW_NUMBER() OVER (PARTITION BY comp ORDER BY n DESC, prev) AS rank_comp
  FROM by_old WHERE rank_old = 1
), kept AS (
  SELECT comp, prev AS member_id FROM won WHERE rank_comp = 1
), firsts AS (
  SELECT comp, MIN(rid) AS rid FROM _assign GROUP BY comp
), named AS (
  SELECT f.comp, a.source || CHR(31) || a.customer_id AS first_key
  FROM firsts f ANTI JOIN kept k USING (comp) JOIN _assign a USING (rid)
), proposed AS (
  SELECT comp, first_key, 'M' || SUBSTR(MD5(first_key), 1, 16) AS candidate FROM named
), fresh AS (
  SELECT p.comp,
    CASE WHEN p.candidate IN (SELECT prev FROM _assign)
           OR p.candidate IN (SELECT old_member_id FROM zt_identity.history)
           OR p.candidate IN (SELECT member_id FROM zt_identity.members)
         THEN 'M' || SUBSTR(MD5(p.first_key || CHR(31) || :run_id), 1, 16)
         ELSE p.candidate END AS member_id
  FROM proposed p
), ids AS (
  SELECT comp, member_id, FALSE AS is_new FROM kept UNION ALL SELECT comp, member_id, TRUE FROM fresh
)
SELECT a.source, a.customer_id, i.member_id, a.prev, a.flagged, a.unknown_source, i.is_new
FROM _assign a JOIN ids i USING (comp)
"""

_HISTORY = """
CREATE OR REPLACE TEMP TABLE _history AS
WITH live AS (SELECT DISTINCT member_id FROM _final)
SELECT f.prev AS old_member_id, f.member_id,
  CASE WHEN f.prev IN (SELECT member_id FROM live) THEN 'split' ELSE 'merged' END AS kind,
  COUNT(*) AS accounts
FROM _final f WHERE f.prev <> f.member_id
GROUP BY f.prev, f.member_id
"""


def assign_member_ids(con: Any, *, run_id: int) -> dict[str, int]:
    """Fill ``_final`` and ``_history`` (see the module docstring); returns counts.

    ``merged``: old ids retired into another member; ``split``: old ids that lost accounts to
    another member; ``created``: members with a new id; ``changed``: accounts whose id changed.
    """
    run(con, fragment(_FINAL, run_id=lit(str(run_id))))
    run(con, fragment(_HISTORY))
    merged = int(scalar(con, fragment("SELECT COUNT(DISTINCT old_member_id) FROM _history WHERE kind = 'merged'")) or 0)
    split = int(scalar(con, fragment("SELECT COUNT(DISTINCT old_member_id) FROM _history WHERE kind = 'split'")) or 0)
    created = int(scalar(con, fragment("SELECT COUNT(DISTINCT member_id) FROM _final WHERE is_new")) or 0)
    changed = int(scalar(con, fragment("SELECT COUNT(*) FROM _final WHERE prev <> member_id")) or 0)
    return {"merged": merged, "split": split, "created": created, "changed": changed}
