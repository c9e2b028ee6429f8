"""Where identity resolution keeps its state: the ``zt_identity`` schema of the warehouse.

- ``members``: every account (``source``, ``customer_id``) and its resolved ``member_id`` — the
  mapping that ``member_id`` in person-level tables is kept equal to.
- ``identifiers``: each account's identifiers after normalisation (key, status) — what incremental
  runs join new records against, by ``khash`` = ``HASH(id_type, key)`` and ``ahash`` =
  ``HASH(source, customer_id)`` (8-byte integers: the closure joins on them, not on strings).
- ``history``: member ids that stopped being used (``merged`` into another member) or lost part of
  their accounts (``split``), with the member that took over: anything keyed by an old id resolves.
- ``overrides``: operator decisions (``merge``, ``split``), undoable, re-applied by every run.
- ``candidates``: probabilistic matches awaiting an operator.
- ``runs``, ``blocked``, ``flags``: what each run did, which identifier values it refused to link
  and which members it held back as too large.

Kept in the warehouse (not app state) so that a run, its mapping and the rewritten ``member_id``
columns commit in one DuckDB transaction.
"""

from __future__ import annotations

from typing import Any

from zhongtai.warehouse._sql import fragment, run, scalar

__all__ = ["SCHEMA", "ensure_identity_schema", "has_identity_schema", "last_run"]

SCHEMA = "zt_identity"

_DDL = (
    "CREATE SCHEMA IF NOT EXISTS zt_identity",
    "CREATE TABLE IF NOT EXISTS zt_identity.members (source VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, "
    "member_id VARCHAR NOT NULL, run_id BIGINT, flagged BOOLEAN DEFAULT FALSE, unknown_source BOOLEAN DEFAULT FALSE)",
    "CREATE TABLE IF NOT EXISTS zt_identity.identifiers (source VARCHAR, customer_id VARCHAR, id_type VARCHAR, "
    "key VARCHAR, status VARCHAR, multi BOOLEAN, run_id BIGINT, khash UBIGINT, ahash UBIGINT)",
    # warehouses resolved before the hashes existed: add them; the next run fills them (below)
    "ALTER TABLE zt_identity.identifiers ADD COLUMN IF NOT EXISTS khash UBIGINT",
    "ALTER TABLE zt_identity.identifiers ADD COLUMN IF NOT EXISTS ahash UBIGINT",
    "UPDATE zt_identity.identifiers SET khash = HASH(id_type, key), ahash = HASH(source, customer_id) "
    "WHERE ahash IS NULL",
    "CREATE TABLE IF NOT EXISTS zt_identity.history (old_member_id VARCHAR NOT NULL, member_id VARCHAR NOT NULL, "
    "kind VARCHAR NOT NULL, accounts BIGINT, run_id BIGINT, at TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS zt_identity.overrides (override_id BIGINT NOT NULL, kind VARCHAR NOT NULL, "
    "keys VARCHAR[] NOT NULL, member_id VARCHAR, actor VARCHAR, reason VARCHAR, method VARCHAR, candidate_id BIGINT, "
    "created_at TIMESTAMP, undone_at TIMESTAMP, undone_by VARCHAR)",
    "CREATE TABLE IF NOT EXISTS zt_identity.candidates (candidate_id BIGINT NOT NULL, a_key VARCHAR, b_key VARCHAR, "
    "probability DOUBLE, status VARCHAR, run_id BIGINT, created_at TIMESTAMP, decided_by VARCHAR, "
    "decided_at TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS zt_identity.runs (run_id BIGINT NOT NULL, mode VARCHAR, started_at TIMESTAMP, "
    "finished_at TIMESTAMP, records BIGINT, identifiers BIGINT, members BIGINT, merged BIGINT, split BIGINT, "
    "created BIGINT, changed_records BIGINT, rows_rewritten BIGINT, blocked_values BIGINT, flagged_members BIGINT, "
    "max_load_id BIGINT, params JSON, version VARCHAR)",
    "CREATE TABLE IF NOT EXISTS zt_identity.blocked (run_id BIGINT, id_type VARCHAR, value_ref VARCHAR, "
    "accounts BIGINT, reason VARCHAR)",
    "CREATE TABLE IF NOT EXISTS zt_identity.flags (run_id BIGINT, member_id VARCHAR, kind VARCHAR, accounts BIGINT)",
)


def has_identity_schema(con: Any) -> bool:
    """Whether resolution ever ran in this warehouse (``zt_identity.members`` exists)."""
    return bool(
        scalar(
            con,
            fragment(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'zt_identity' "
                "AND table_name = 'members'"
            ),
        )
    )


def ensure_identity_schema(con: Any) -> None:
    """Create the ``zt_identity`` tables when missing (no Alembic: this is warehouse state)."""
    for statement in _DDL:
        run(con, fragment(statement))


def last_run(con: Any) -> dict[str, Any] | None:
    """The newest run record, or ``None`` before the first run."""
    if not has_identity_schema(con):
        return None
    rows = run(
        con,
        fragment(
            "SELECT run_id, mode, started_at, finished_at, records, identifiers, members, merged, split, created, "
            "changed_records, rows_rewritten, blocked_values, flagged_members, max_load_id "
            "FROM zt_identity.runs ORDER BY run_id DESC LIMIT 1"
        ),
    )
    if not rows:
        return None
    names = (
        "run_id", "mode", "started_at", "finished_at", "records", "identifiers", "members", "merged", "split",
        "created", "changed_records", "rows_rewritten", "blocked_values", "flagged_members", "max_load_id",
    )  # fmt: skip
    return dict(zip(names, rows[0], strict=True))
