"""The resolution job: read accounts and identifiers, link them, keep member ids stable, rewrite ``member_id``.

Full run: every account. Incremental run: only the accounts new or changed since the last run (by
``_load_id``) and everything they can reach — the closure over shared identifiers that are not
blocked, the other accounts of the members they touch, and operator decisions involving them — so
the components it recomputes are exactly those the new records affect. The closure is semi-naive
(each round joins only the accounts the previous round added) on 8-byte hashes stored with every
identifier (``khash`` of the value, ``ahash`` of the account), and also takes in the accounts whose
phone is one keystroke from a new account's phone (the near-phone rule, :mod:`.near`).

Identifiers are ``main.identities`` plus, with ``rules.order_phones``, the phone most of an
account's orders ship to (``orders.receiver_phone``).

Decision (docs/architecture.md): ``member_id`` in every person-level table is *rewritten in place*
to the resolved member, in the same transaction as the mapping (``zt_identity.members``) and the
history, so every consumer (metric layer, customer 360, exports, PostgreSQL/Spark parity) reads a
plain column with no join. Only rows whose id changes are written (plus rows loaded since the last
run, which carry provisional ids).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import numpy as np
import pyarrow as pa
from sqlglot import exp

from zhongtai.errors import InputError
from zhongtai.progress import NullProgress, Progress
from zhongtai.warehouse._sql import fragment, lit, render, run, scalar, tbl
from zhongtai.warehouse.identity.graph import link_components
from zhongtai.warehouse.identity.near import near_neighbours, near_phone_pairs
from zhongtai.warehouse.identity.normalise import normalise_identifiers
from zhongtai.warehouse.identity.rules import DEFAULT_RULES, ID_TYPES, ResolutionRules
from zhongtai.warehouse.identity.stable import assign_member_ids
from zhongtai.warehouse.identity.store import ensure_identity_schema, last_run
from zhongtai.warehouse.model import TABLES

__all__ = ["ResolutionResult", "person_tables", "resolve_identities"]

UNKNOWN_SOURCES = ("", "unknown", "null", "none", "未知")


@dataclass(frozen=True, slots=True)
class ResolutionResult:
    """What one run did. Counts are accounts (records) unless named otherwise; ``seconds`` is wall time."""

    run_id: int
    mode: str
    records: int
    identifiers: int
    members: int
    merged: int
    split: int
    created: int
    changed_records: int
    rows_rewritten: int
    flagged_members: int
    unknown_source: int
    statuses: dict[str, int] = field(default_factory=dict)
    multi_values: int = 0
    slow_path_phones: int = 0
    duplicate_identifiers: int = 0
    blocked_cap: dict[str, int] = field(default_factory=dict)
    blocked_conflict: dict[str, int] = field(default_factory=dict)
    near_phone_links: int = 0
    near_phone_pairs: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def person_tables(con: Any) -> list[str]:
    """Canonical person-level tables present in the warehouse (those carrying ``member_id``)."""
    present = {
        r[0] for r in run(con, fragment("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"))
    }
    return [t.name for t in TABLES.values() if t.person and t.name in present]


def _table_in(text: str, name: str) -> exp.Expr:
    """``text`` with its placeholder table ``person_table`` replaced by canonical table ``name``."""
    tree = fragment(text)
    for node in tree.find_all(exp.Table):
        if node.name == "person_table":
            alias = node.args.get("alias")
            node.replace(tbl(name, "main", alias.name if alias else None))
    return tree


def _max_load_id(con: Any) -> int:
    exists = scalar(
        con,
        fragment(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'zt_meta' AND table_name = 'loads'"
        ),
    )
    return int(scalar(con, fragment("SELECT COALESCE(MAX(load_id), 0) FROM zt_meta.loads")) or 0) if exists else 0


def _identity_rows(con: Any, rules: ResolutionRules) -> None:
    """Temp view ``_identities``: ``main.identities`` plus, with ``rules.order_phones``, each account's order phone.

    The order phone is the ``orders.receiver_phone`` on at least half of the account's orders (so a
    one-off gift to a friend's number does not make that number the buyer's); it is stored as a
    ``phone`` and normalised, capped and blocked like any other phone. Its ``_load_id`` is that of
    the newest such order, so an incremental run re-resolves an account whose orders brought it.
    """
    columns = {
        str(r[0])
        for r in run(
            con,
            fragment(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = 'orders'"
            ),
        )
    }
    run(
        con,
        fragment(
            "CREATE OR REPLACE TEMP TABLE _order_phones "
            "(source VARCHAR, customer_id VARCHAR, id_type VARCHAR, id_value VARCHAR, _load_id BIGINT)"
        ),
    )
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP VIEW _identities AS
            SELECT source, customer_id, id_type, id_value, _load_id FROM main.identities
            UNION ALL SELECT source, customer_id, id_type, id_value, _load_id FROM _order_phones
            """
        ),
    )
    if rules.order_phones and {"source", "customer_id", "receiver_phone", "_load_id"} <= columns:
        run(
            con,
            fragment(
                """
                INSERT INTO _order_phones
                SELECT source, customer_id, 'phone', receiver_phone, _load_id FROM (
                  SELECT source, customer_id, receiver_phone, COUNT(*) AS n, MAX(_load_id) AS _load_id,
                    SUM(COUNT(*)) OVER (PARTITION BY source, customer_id) AS total
                  FROM main.orders WHERE receiver_phone IS NOT NULL AND customer_id IS NOT NULL
                  GROUP BY source, customer_id, receiver_phone
                ) o WHERE 2 * n >= total
                """
            ),
        )


def _records_full(con: Any) -> None:
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP TABLE _recs AS
            WITH keys AS (
              SELECT source, customer_id FROM main.customers WHERE customer_id IS NOT NULL
              UNION SELECT source, customer_id FROM _identities WHERE customer_id IS NOT NULL
            )
            SELECT (ROW_NUMBER() OVER (ORDER BY k.source, k.customer_id) - 1)::BIGINT AS rid, k.source, k.customer_id,
              COALESCE(m.member_id, 'M' || SUBSTR(MD5(k.source || CHR(31) || k.customer_id), 1, 16)) AS prev
            FROM keys k LEFT JOIN zt_identity.members m USING (source, customer_id)
            """
        ),
    )


def _records_incremental(con: Any, rules: ResolutionRules, since: int, extra: tuple[tuple[str, str], ...] = ()) -> int:
    """Build ``_recs`` as the closure of new/changed accounts; returns the number of seed accounts."""
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP TABLE _seed AS
            SELECT DISTINCT source, customer_id FROM (
              SELECT source, customer_id FROM main.customers WHERE customer_id IS NOT NULL
              UNION ALL SELECT source, customer_id FROM _identities WHERE customer_id IS NOT NULL
            ) k ANTI JOIN zt_identity.members m USING (source, customer_id)
            UNION
            SELECT DISTINCT source, customer_id FROM _identities WHERE _load_id > :since AND customer_id IS NOT NULL
            """,
            since=lit(since),
        ),
    )
    if extra:
        con.register(
            "_extra_arrow",
            pa.table({"source": pa.array([a[0] for a in extra]), "customer_id": pa.array([a[1] for a in extra])}),
        )
        try:
            run(con, fragment("INSERT INTO _seed SELECT DISTINCT source, customer_id FROM _extra_arrow"))
        finally:
            con.unregister("_extra_arrow")
    seeds = int(scalar(con, fragment("SELECT COUNT(*) FROM _seed")) or 0)
    # normalise the seeds' identifiers, to follow them into the graph
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP TABLE _id_raw AS
            SELECT (ROW_NUMBER() OVER ())::BIGINT AS rid, i.source, i.id_type, i.id_value, i.customer_id
            FROM _identities i SEMI JOIN _seed s USING (source, customer_id)
            """
        ),
    )
    normalise_identifiers(con, source_scoped=_scoped(rules), known_types=ID_TYPES)
    caps = _caps_table(rules)
    con.register("_caps_arrow", caps)
    try:
        run(con, fragment("CREATE OR REPLACE TEMP TABLE _caps AS SELECT * FROM _caps_arrow"))
    finally:
        con.unregister("_caps_arrow")
    # every linking key in the warehouse, by value hash (khash) and account hash (ahash): the stored
    # identifiers of accounts not re-read now, and the seeds' freshly normalised ones
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP VIEW _all_keys AS
            SELECT i.source, i.customer_id, i.ahash, i.id_type, i.key, i.khash FROM zt_identity.identifiers i
            ANTI JOIN _seed s ON i.ahash = HASH(s.source, s.customer_id) WHERE i.status = 'ok'
            UNION ALL
            SELECT r.source, r.customer_id, HASH(r.source, r.customer_id), n.id_type, n.key, HASH(n.id_type, n.key)
            FROM _id_norm n JOIN _id_raw r USING (rid)
            WHERE n.status = 'ok'
            """
        ),
    )
    run(
        con,
        fragment(
            "CREATE OR REPLACE TEMP TABLE _closure AS "
            "SELECT DISTINCT source, customer_id, HASH(source, customer_id) AS ahash FROM _seed"
        ),
    )
    if rules.near_phone and rules.rule("phone").links:
        # accounts whose phone is one keystroke from a new account's phone: the near-phone rule may link them
        near_neighbours(con)
        run(
            con,
            fragment(
                """
                INSERT INTO _closure SELECT DISTINCT a.source, a.customer_id, a.ahash FROM _all_keys a
                SEMI JOIN _near_nb n ON a.khash = HASH('phone', n.key)
                ANTI JOIN _closure c USING (ahash) WHERE a.id_type = 'phone'
                """
            ),
        )
    # semi-naive closure: each round follows only the accounts the previous round added (the
    # frontier) and only value hashes not followed yet, so a round is a join of the frontier against
    # 8-byte hashes of the stored identifiers and the members, not of everything reached so far
    run(con, fragment("CREATE OR REPLACE TEMP TABLE _frontier AS SELECT * FROM _closure"))
    run(con, fragment("CREATE OR REPLACE TEMP TABLE _followed (khash UBIGINT)"))
    run(con, fragment("CREATE OR REPLACE TEMP TABLE _shared_keys (id_type VARCHAR, key VARCHAR)"))
    for _ in range(100):
        run(
            con,
            fragment(
                """
                CREATE OR REPLACE TEMP TABLE _fkeys AS
                SELECT DISTINCT a.khash, a.id_type FROM _all_keys a SEMI JOIN _frontier f USING (ahash)
                JOIN _caps USING (id_type) WHERE _caps.links
                ANTI JOIN _followed USING (khash)
                """
            ),
        )
        run(con, fragment("INSERT INTO _followed SELECT khash FROM _fkeys"))
        # every holder of the new keys anywhere in the warehouse: a key over its cap stays blocked
        run(
            con,
            fragment(
                """
                CREATE OR REPLACE TEMP TABLE _holders AS
                SELECT a.source, a.customer_id, a.ahash, a.khash, a.id_type, a.key FROM _all_keys a
                SEMI JOIN _fkeys USING (khash)
                """
            ),
        )
        run(
            con,
            fragment(
                """
                INSERT INTO _shared_keys
                SELECT ANY_VALUE(h.id_type), ANY_VALUE(h.key) FROM _holders h JOIN _caps USING (id_type)
                GROUP BY h.khash, _caps.max_accounts
                HAVING COUNT(DISTINCT h.ahash) > _caps.max_accounts
                """
            ),
        )
        run(
            con,
            fragment(
                """
                CREATE OR REPLACE TEMP TABLE _frontier AS
                WITH holders AS (
                  SELECT * FROM _holders
                ), open_keys AS (
                  SELECT h.khash FROM holders h JOIN _caps USING (id_type)
                  GROUP BY h.khash, _caps.max_accounts
                  HAVING COUNT(DISTINCT h.ahash) <= _caps.max_accounts
                ), same_member AS (
                  SELECT m.source, m.customer_id FROM zt_identity.members m
                  WHERE m.member_id IN (SELECT m2.member_id FROM zt_identity.members m2
                                        SEMI JOIN _frontier f USING (source, customer_id))
                ), decided AS (
                  SELECT SPLIT_PART(k, CHR(31), 1) AS source, SPLIT_PART(k, CHR(31), 2) AS customer_id
                  FROM (SELECT UNNEST(keys) AS k FROM zt_identity.overrides o WHERE o.undone_at IS NULL
                        AND EXISTS (SELECT 1 FROM (SELECT UNNEST(o.keys) AS k2) x JOIN _frontier f
                                    ON x.k2 = f.source || CHR(31) || f.customer_id))
                ), reached AS (
                  SELECT h.source, h.customer_id FROM holders h SEMI JOIN open_keys USING (khash)
                  UNION SELECT source, customer_id FROM same_member
                  UNION SELECT source, customer_id FROM decided
                )
                SELECT source, customer_id, HASH(source, customer_id) AS ahash FROM reached
                ANTI JOIN _closure USING (source, customer_id)
                """
            ),
        )
        added = int(scalar(con, fragment("SELECT COUNT(*) FROM _frontier")) or 0)
        if added == 0:
            break
        run(con, fragment("INSERT INTO _closure SELECT source, customer_id, ahash FROM _frontier"))
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP TABLE _recs AS
            SELECT (ROW_NUMBER() OVER (ORDER BY c.source, c.customer_id) - 1)::BIGINT AS rid, c.source, c.customer_id,
              COALESCE(m.member_id, 'M' || SUBSTR(MD5(c.source || CHR(31) || c.customer_id), 1, 16)) AS prev
            FROM _closure c LEFT JOIN zt_identity.members m USING (source, customer_id)
            """
        ),
    )
    return seeds


def _scoped(rules: ResolutionRules) -> tuple[str, ...]:
    return tuple(t for t in ID_TYPES if rules.rule(t).scope == "source")


def _caps_table(rules: ResolutionRules) -> pa.Table:
    return pa.table(
        {
            "id_type": pa.array(list(ID_TYPES), pa.string()),
            "max_accounts": pa.array([rules.rule(t).max_accounts for t in ID_TYPES], pa.int64()),
            "links": pa.array([rules.rule(t).links for t in ID_TYPES], pa.bool_()),
        }
    )


def resolve_identities(
    warehouse: Any,
    *,
    mode: str = "full",
    rules: ResolutionRules = DEFAULT_RULES,
    progress: Progress | None = None,
    known_sources: tuple[str, ...] = (),
    seed_accounts: tuple[tuple[str, str], ...] = (),
) -> ResolutionResult:
    """Resolve accounts into members and rewrite ``member_id`` (see the module docstring).

    ``warehouse`` is an open writable :class:`~zhongtai.warehouse.connection.Warehouse`. ``mode`` is
    ``full`` or ``incremental`` (falls back to full before the first run). ``known_sources``, when
    given, lists the source systems whose accounts may link; accounts of any other source (and of a
    blank or ``unknown`` source) are kept as members of their own and counted as ``unknown_source``.
    ``seed_accounts`` adds ``(source, customer_id)`` accounts to an incremental run's starting set
    (operator decisions re-resolve the accounts they touch).
    """
    if mode not in ("full", "incremental"):
        raise InputError("identity.bad_mode", mode=mode)
    started = time.perf_counter()
    at = datetime.now(UTC).replace(tzinfo=None)
    bar = progress or NullProgress()
    con = warehouse.con
    bar.phase("identity_read", None)
    ensure_identity_schema(con)
    previous = last_run(con)
    if previous is None:
        mode = "full"
    since = int(previous["max_load_id"] or 0) if previous else 0
    max_load = _max_load_id(con)
    run_id = int(scalar(con, fragment("SELECT COALESCE(MAX(run_id), 0) + 1 FROM zt_identity.runs")) or 1)
    _identity_rows(con, rules)
    if mode == "full":
        _records_full(con)
        run(con, fragment("CREATE OR REPLACE TEMP TABLE _shared_keys (id_type VARCHAR, key VARCHAR)"))
    else:
        _records_incremental(con, rules, since, seed_accounts)
    n = int(scalar(con, fragment("SELECT COUNT(*) FROM _recs")) or 0)
    bar.phase("identity_normalise", n)
    run(
        con,
        fragment(
            """
            CREATE OR REPLACE TEMP TABLE _id_raw AS
            SELECT r.rid, i.source, i.id_type, i.id_value
            FROM _identities i JOIN _recs r USING (source, customer_id)
            """
        ),
    )
    raw_rows = int(scalar(con, fragment("SELECT COUNT(*) FROM _id_raw")) or 0)
    slow = normalise_identifiers(con, source_scoped=_scoped(rules), known_types=ID_TYPES)
    run(
        con,
        fragment(
            """
            UPDATE _id_norm SET status = 'shared', key = NULL
            FROM _shared_keys s WHERE _id_norm.id_type = s.id_type AND _id_norm.key = s.key
            """
        ),
    )
    bar.advance(n)
    statuses = {str(s): int(c) for s, c in run(con, fragment("SELECT status, COUNT(*) FROM _id_norm GROUP BY status"))}
    multi = int(scalar(con, fragment("SELECT COUNT(*) FROM _id_norm WHERE multi")) or 0)
    duplicates = int(
        scalar(
            con,
            fragment("SELECT COUNT(*) - COUNT(DISTINCT (rid, id_type, key)) FROM _id_norm WHERE status = 'ok'"),
        )
        or 0
    )
    bar.phase("identity_link", n)
    ids = con.sql(
        render(
            fragment(
                """
            SELECT n.rid, (LIST_POSITION(:types, n.id_type) - 1)::TINYINT AS tcode,
              HASH(n.id_type, n.key) AS vhash
            FROM _id_norm n WHERE n.status = 'ok'
            """,
                types=lit(list(ID_TYPES)),
            )
        )
    ).to_arrow_table()
    # value ids: a 64-bit hash of (type, key) numbered densely by NumPy (a sort of 8-byte integers
    # instead of a DENSE_RANK over strings); two values share a hash with odds ~ n^2 / 2^65
    vhashes, vid = np.unique(ids.column("vhash").to_numpy(), return_inverse=True)
    vid = vid.astype(np.int64).ravel()
    src = con.sql(render(fragment("SELECT source FROM _recs ORDER BY rid"))).to_arrow_table()
    sources = src.column("source").to_numpy(zero_copy_only=False).astype(object) if n else np.empty(0, object)
    unknown = np.isin(np.char.lower(np.char.strip(sources.astype(str))), UNKNOWN_SOURCES) if n else np.zeros(0, bool)
    if known_sources:
        unknown |= ~np.isin(sources.astype(str), np.array(known_sources, dtype=str))
    pinned, must_a, must_b = _decisions(con, n)
    pinned = np.where(unknown & (pinned < 0), np.int64(1) << np.int64(40) | np.arange(n, dtype=np.int64), pinned)
    near_considered = 0
    near_a = near_b = np.empty(0, np.int64)
    if rules.near_phone and rules.rule("phone").links:
        near_a, near_b, near_considered = near_phone_pairs(con)
        free = (pinned[near_a] < 0) & (pinned[near_b] < 0)  # operator splits and unknown sources stay apart
        near_a, near_b = near_a[free], near_b[free]
    comps = link_components(
        n,
        ids.column("rid").to_numpy(),
        ids.column("tcode").to_numpy().astype(np.int8),
        vid,
        rules,
        pinned=pinned,
        must_a=must_a,
        must_b=must_b,
        rule_a=near_a,
        rule_b=near_b,
    )
    bar.advance(n)
    bar.phase("identity_assign", n)
    con.register(
        "_comp_arrow",
        pa.table(
            {
                "rid": pa.array(np.arange(n, dtype=np.int64)),
                "comp": pa.array(comps.labels),
                "flagged": pa.array(comps.flagged),
                "unknown_source": pa.array(unknown),
            }
        ),
    )
    try:
        run(
            con,
            fragment(
                """
                CREATE OR REPLACE TEMP TABLE _assign AS
                SELECT r.rid, r.source, r.customer_id, r.prev, c.comp, c.flagged, c.unknown_source
                FROM _recs r JOIN _comp_arrow c USING (rid)
                """
            ),
        )
    finally:
        con.unregister("_comp_arrow")
    counts = assign_member_ids(con, run_id=run_id)
    bar.advance(n)
    bar.phase("identity_write", None)
    rewritten = _write(
        con, mode=mode, run_id=run_id, at=at, since=since, comps=comps, vhashes=vhashes, tables=person_tables(con)
    )
    flagged_members = int(scalar(con, fragment("SELECT COUNT(DISTINCT member_id) FROM _final WHERE flagged")) or 0)
    members = int(scalar(con, fragment("SELECT COUNT(DISTINCT member_id) FROM _final")) or 0)
    result = ResolutionResult(
        run_id=run_id,
        mode=mode,
        records=n,
        identifiers=raw_rows,
        members=members,
        merged=counts["merged"],
        split=counts["split"],
        created=counts["created"],
        changed_records=counts["changed"],
        rows_rewritten=rewritten,
        flagged_members=flagged_members,
        unknown_source=int(unknown.sum()),
        statuses=statuses,
        multi_values=multi,
        slow_path_phones=slow,
        duplicate_identifiers=duplicates,
        blocked_cap=comps.blocked_cap,
        blocked_conflict=comps.blocked_conflict,
        near_phone_links=len(near_a),
        near_phone_pairs=near_considered,
        seconds=round(time.perf_counter() - started, 3),
    )
    run(
        con,
        fragment(
            """
            INSERT INTO zt_identity.runs VALUES (:run_id, :mode, :started, :finished, :records, :identifiers, :members,
              :merged, :split, :created, :changed, :rewritten, :blocked, :flagged, :max_load, :params, :version)
            """,
            run_id=lit(run_id),
            mode=lit(mode),
            started=lit(at),
            finished=lit(datetime.now(UTC).replace(tzinfo=None)),
            records=lit(n),
            identifiers=lit(raw_rows),
            members=lit(members),
            merged=lit(counts["merged"]),
            split=lit(counts["split"]),
            created=lit(counts["created"]),
            changed=lit(counts["changed"]),
            rewritten=lit(rewritten),
            blocked=lit(sum(comps.blocked_cap.values()) + sum(comps.blocked_conflict.values())),
            flagged=lit(flagged_members),
            max_load=lit(max(max_load, since)),
            params=lit(json.dumps({"rules": rules.to_dict(), "known_sources": list(known_sources)})),
            version=lit(version("zhongtai")),
        ),
    )
    return result


def _decisions(con: Any, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Active operator decisions mapped onto this run's record numbers: pins and must-link pairs."""
    pinned = np.full(n, -1, dtype=np.int64)
    rows = run(
        con,
        fragment(
            """
            SELECT o.override_id, o.kind, r.rid FROM zt_identity.overrides o,
              UNNEST(o.keys) AS u(k) JOIN _recs r ON u.k = r.source || CHR(31) || r.customer_id
            WHERE o.undone_at IS NULL ORDER BY o.override_id, r.rid
            """
        ),
    )
    must_a: list[int] = []
    must_b: list[int] = []
    first: dict[int, int] = {}
    for override_id, kind, rid in rows:
        if kind == "split":
            pinned[int(rid)] = int(override_id)  # a later split of the same account wins
        else:
            lead = first.setdefault(int(override_id), int(rid))
            must_a.append(lead)
            must_b.append(int(rid))
    return pinned, np.array(must_a, dtype=np.int64), np.array(must_b, dtype=np.int64)


def _write(
    con: Any,
    *,
    mode: str,
    run_id: int,
    at: datetime,
    since: int,
    comps: Any,
    vhashes: np.ndarray,
    tables: list[str],
) -> int:
    """Commit mapping, identifiers, history, blocked values, flags and the rewritten ``member_id`` at once.

    ``vhashes[vid]`` is the ``HASH(id_type, key)`` of value id ``vid`` (for naming blocked values).
    """
    rewritten = 0
    run(con, fragment("BEGIN TRANSACTION"))
    try:
        if mode == "full":
            run(con, fragment("DELETE FROM zt_identity.members"))
            run(con, fragment("DELETE FROM zt_identity.identifiers"))
        else:
            run(
                con,
                fragment(
                    "DELETE FROM zt_identity.members m USING _recs r "
                    "WHERE m.source = r.source AND m.customer_id = r.customer_id"
                ),
            )
            run(
                con,
                fragment(
                    "DELETE FROM zt_identity.identifiers i USING _recs r "
                    "WHERE i.source = r.source AND i.customer_id = r.customer_id"
                ),
            )
        run(
            con,
            fragment(
                """
                INSERT INTO zt_identity.members
                SELECT source, customer_id, member_id, :run_id, flagged, unknown_source FROM _final
                """,
                run_id=lit(run_id),
            ),
        )
        run(
            con,
            fragment(
                """
                INSERT INTO zt_identity.identifiers
                SELECT r.source, r.customer_id, n.id_type, n.key, n.status, n.multi, :run_id,
                  HASH(n.id_type, n.key), HASH(r.source, r.customer_id)
                FROM _id_norm n JOIN _recs r USING (rid)
                """,
                run_id=lit(run_id),
            ),
        )
        run(
            con,
            fragment(
                "INSERT INTO zt_identity.history "
                "SELECT old_member_id, member_id, kind, accounts, :run_id, :at FROM _history",
                run_id=lit(run_id),
                at=lit(at),
            ),
        )
        # path compression: aliases that pointed at an id retired now point at its successor
        run(
            con,
            fragment(
                """
                UPDATE zt_identity.history AS h SET member_id = x.member_id
                FROM (SELECT old_member_id, ARG_MAX(member_id, accounts) AS member_id FROM _history
                      WHERE kind = 'merged' GROUP BY old_member_id) x
                WHERE h.member_id = x.old_member_id AND h.run_id < :run_id
                """,
                run_id=lit(run_id),
            ),
        )
        blocked, types, accounts, reasons = comps.blocked_values
        if len(blocked):
            con.register(
                "_blocked_arrow",
                pa.table(
                    {
                        "vhash": pa.array(vhashes[blocked]),
                        "id_type": pa.array([ID_TYPES[int(t)] for t in types], pa.string()),
                        "accounts": pa.array(accounts),
                        "reason": pa.array(reasons.astype(str), pa.string()),
                    }
                ),
            )
            try:
                run(
                    con,
                    fragment(
                        """
                        INSERT INTO zt_identity.blocked
                        SELECT :run_id, b.id_type, SUBSTR(MD5(v.key), 1, 12), b.accounts, b.reason
                        FROM _blocked_arrow b JOIN (
                          SELECT DISTINCT HASH(id_type, key) AS vhash, key FROM _id_norm n
                          SEMI JOIN _blocked_arrow x ON HASH(n.id_type, n.key) = x.vhash
                          WHERE status = 'ok') v USING (vhash)
                        """,
                        run_id=lit(run_id),
                    ),
                )
            finally:
                con.unregister("_blocked_arrow")
        run(
            con,
            fragment(
                """
                INSERT INTO zt_identity.flags
                SELECT :run_id, member_id, 'oversize', COUNT(*) FROM _final WHERE flagged GROUP BY member_id
                """,
                run_id=lit(run_id),
            ),
        )
        for name in tables:
            changed = _table_in(
                """
                UPDATE person_table AS t SET member_id = c.member_id FROM _final c
                WHERE t.source = c.source AND t.customer_id = c.customer_id AND t.member_id IS DISTINCT FROM c.member_id
                """,
                name,
            )
            rewritten += int(run(con, changed)[0][0])
            if mode == "incremental":
                fresh = _table_in(
                    """
                    UPDATE person_table AS t SET member_id = m.member_id FROM zt_identity.members m
                    WHERE t._load_id > :since AND t.source = m.source AND t.customer_id = m.customer_id
                      AND t.member_id IS DISTINCT FROM m.member_id
                    """,
                    name,
                )
                for node in fresh.find_all(exp.Placeholder):
                    node.replace(lit(since))
                rewritten += int(run(con, fresh)[0][0])
        run(con, fragment("COMMIT"))
    except BaseException:
        run(con, fragment("ROLLBACK"))
        raise
    return rewritten
