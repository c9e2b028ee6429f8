"""Operator decisions on identity: merge members, split accounts off, accept candidates, undo.

A decision is stored in ``zt_identity.overrides`` by *account keys* (``source`` U+001F
``customer_id``), not by member ids, so it survives renumbering: every later run (full or
incremental) re-applies every decision not undone. A merge joins one account of each member; a
split pins the named accounts into a member of their own that no identifier links to anything
else. Undo marks the decision undone and re-resolves the accounts it touched. Each call re-resolves
incrementally, so ``member_id`` everywhere reflects the decision when it returns.

These functions change warehouse state only; the permission check and the app-state audit entry
are the caller's (``zhongtai.customers.members``), written before the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zhongtai.errors import ConflictError, InputError, NotFoundError
from zhongtai.warehouse._sql import fragment, lit, run, scalar
from zhongtai.warehouse.identity.resolve import ResolutionResult, resolve_identities
from zhongtai.warehouse.identity.rules import DEFAULT_RULES, ResolutionRules
from zhongtai.warehouse.identity.store import ensure_identity_schema, has_identity_schema

__all__ = [
    "Override",
    "accept_candidate",
    "current_member_id",
    "list_overrides",
    "member_accounts",
    "merge_members",
    "reject_candidate",
    "undo_override",
    "unmerge_accounts",
]

SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Override:
    """One stored decision; ``accounts`` are ``(source, customer_id)`` pairs."""

    override_id: int
    kind: str
    accounts: tuple[tuple[str, str], ...]
    member_id: str | None
    actor: str | None
    reason: str | None
    method: str
    created_at: datetime | None
    undone_at: datetime | None
    result: ResolutionResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "override_id": self.override_id,
            "kind": self.kind,
            "accounts": [list(a) for a in self.accounts],
            "member_id": self.member_id,
            "actor": self.actor,
            "reason": self.reason,
            "method": self.method,
            "created_at": self.created_at,
            "undone_at": self.undone_at,
            "result": self.result.to_dict() if self.result else None,
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def current_member_id(con: Any, member_id: str) -> str | None:
    """The member ``member_id`` means now: itself while used, its successor after a merge, else ``None``."""
    if not has_identity_schema(con):
        found = scalar(
            con, fragment("SELECT member_id FROM main.customers WHERE member_id = :m LIMIT 1", m=lit(member_id))
        )
        return str(found) if found else None
    if scalar(con, fragment("SELECT COUNT(*) FROM zt_identity.members WHERE member_id = :m", m=lit(member_id))):
        return member_id
    target = scalar(
        con,
        fragment(
            """
            SELECT member_id FROM zt_identity.history WHERE old_member_id = :m AND kind = 'merged'
            ORDER BY run_id DESC, accounts DESC LIMIT 1
            """,
            m=lit(member_id),
        ),
    )
    if target is None:
        return None
    # a chain may end at an id that was itself split later: it is still live then
    return (
        str(target)
        if scalar(con, fragment("SELECT COUNT(*) FROM zt_identity.members WHERE member_id = :m", m=lit(target)))
        else current_member_id(con, str(target))
        if target != member_id
        else None
    )


def member_accounts(con: Any, member_id: str) -> list[tuple[str, str]]:
    """The accounts of a current member, sorted (empty when the id is unknown)."""
    if has_identity_schema(con):
        query = "SELECT source, customer_id FROM zt_identity.members WHERE member_id = :m ORDER BY 1, 2"
    else:
        query = "SELECT DISTINCT source, customer_id FROM main.customers WHERE member_id = :m ORDER BY 1, 2"
    return [(str(s), str(c)) for s, c in run(con, fragment(query, m=lit(member_id)))]


def _require_member(con: Any, member_id: str) -> tuple[str, list[tuple[str, str]]]:
    current = current_member_id(con, member_id)
    if current is None:
        raise NotFoundError("identity.member_not_found", member_id=member_id)
    return current, member_accounts(con, current)


def _store(
    warehouse: Any,
    kind: str,
    accounts: list[tuple[str, str]],
    *,
    member_id: str | None,
    actor: str,
    reason: str | None,
    method: str = "manual",
    candidate_id: int | None = None,
) -> int:
    con = warehouse.con
    ensure_identity_schema(con)
    override_id = int(scalar(con, fragment("SELECT COALESCE(MAX(override_id), 0) + 1 FROM zt_identity.overrides")) or 1)
    run(
        con,
        fragment(
            "INSERT INTO zt_identity.overrides VALUES "
            "(:id, :kind, :keys, :member, :actor, :reason, :method, :cand, :at, NULL, NULL)",
            id=lit(override_id),
            kind=lit(kind),
            keys=lit([s + SEP + c for s, c in accounts]),
            member=lit(member_id),
            actor=lit(actor),
            reason=lit(reason),
            method=lit(method),
            cand=lit(candidate_id),
            at=lit(_now()),
        ),
    )
    return override_id


def _resolve(warehouse: Any, accounts: list[tuple[str, str]], rules: ResolutionRules) -> ResolutionResult:
    return resolve_identities(warehouse, mode="incremental", rules=rules, seed_accounts=tuple(accounts))


def merge_members(
    warehouse: Any,
    member_ids: list[str],
    *,
    actor: str,
    reason: str | None = None,
    rules: ResolutionRules = DEFAULT_RULES,
) -> Override:
    """Join two or more members into one (stored as a must-link between one account of each)."""
    if len(set(member_ids)) < 2:
        raise InputError("identity.merge_needs_two", count=len(set(member_ids)))
    con = warehouse.con
    if not has_identity_schema(con):
        resolve_identities(warehouse, mode="full", rules=rules)
    resolved = [_require_member(con, m) for m in member_ids]
    if len({current for current, _ in resolved}) < 2:
        raise ConflictError("identity.already_one_member", member_id=resolved[0][0])
    anchors = [accounts[0] for _, accounts in resolved]
    override_id = _store(warehouse, "merge", anchors, member_id=resolved[0][0], actor=actor, reason=reason)
    result = _resolve(warehouse, [a for _, accounts in resolved for a in accounts], rules)
    return _load(con, override_id, result)


def unmerge_accounts(
    warehouse: Any,
    member_id: str,
    accounts: list[tuple[str, str]],
    *,
    actor: str,
    reason: str | None = None,
    rules: ResolutionRules = DEFAULT_RULES,
) -> Override:
    """Split ``accounts`` off ``member_id`` into a member of their own that no identifier re-links."""
    con = warehouse.con
    if not has_identity_schema(con):
        resolve_identities(warehouse, mode="full", rules=rules)
    current, held = _require_member(con, member_id)
    wanted = sorted(set(accounts))
    missing = [f"{s}:{c}" for s, c in wanted if (s, c) not in held]
    if missing:
        raise InputError("identity.account_not_in_member", member_id=current, accounts=", ".join(missing[:5]))
    if not wanted or len(wanted) >= len(held):
        raise InputError("identity.split_needs_rest", member_id=current, accounts=len(held))
    override_id = _store(warehouse, "split", wanted, member_id=current, actor=actor, reason=reason)
    result = _resolve(warehouse, held, rules)
    return _load(con, override_id, result)


def undo_override(warehouse: Any, override_id: int, *, actor: str, rules: ResolutionRules = DEFAULT_RULES) -> Override:
    """Mark a decision undone and re-resolve the accounts it touched (and their members)."""
    con = warehouse.con
    ensure_identity_schema(con)
    decision = _load(con, override_id, None)
    if decision.undone_at is not None:
        raise ConflictError("identity.already_undone", override_id=override_id)
    run(
        con,
        fragment(
            "UPDATE zt_identity.overrides SET undone_at = :at, undone_by = :actor WHERE override_id = :id",
            at=lit(_now()),
            actor=lit(actor),
            id=lit(override_id),
        ),
    )
    touched = list(decision.accounts)
    for source, customer_id in decision.accounts:
        member = scalar(
            con,
            fragment(
                "SELECT member_id FROM zt_identity.members WHERE source = :s AND customer_id = :c",
                s=lit(source),
                c=lit(customer_id),
            ),
        )
        if member is not None:
            touched += member_accounts(con, str(member))
    result = _resolve(warehouse, touched, rules)
    return _load(con, override_id, result)


def list_overrides(con: Any, *, include_undone: bool = True) -> list[Override]:
    """Every stored decision, newest first."""
    if not has_identity_schema(con):
        return []
    ids = [
        int(r[0]) for r in run(con, fragment("SELECT override_id FROM zt_identity.overrides ORDER BY override_id DESC"))
    ]
    out = [_load(con, i, None) for i in ids]
    return out if include_undone else [o for o in out if o.undone_at is None]


def _load(con: Any, override_id: int, result: ResolutionResult | None) -> Override:
    rows = run(
        con,
        fragment(
            "SELECT override_id, kind, keys, member_id, actor, reason, method, created_at, undone_at "
            "FROM zt_identity.overrides WHERE override_id = :id",
            id=lit(override_id),
        ),
    )
    if not rows:
        raise NotFoundError("identity.override_not_found", override_id=override_id)
    r = rows[0]
    accounts = tuple((k.split(SEP, 1)[0], k.split(SEP, 1)[1]) for k in r[2])
    return Override(int(r[0]), str(r[1]), accounts, r[3], r[4], r[5], str(r[6]), r[7], r[8], result)


def accept_candidate(
    warehouse: Any, candidate_id: int, *, actor: str, reason: str | None = None, rules: ResolutionRules = DEFAULT_RULES
) -> Override:
    """Accept a probabilistic candidate: its two accounts become one member (a stored merge)."""
    con = warehouse.con
    ensure_identity_schema(con)
    rows = run(
        con,
        fragment(
            "SELECT a_key, b_key, status FROM zt_identity.candidates WHERE candidate_id = :id", id=lit(candidate_id)
        ),
    )
    if not rows:
        raise NotFoundError("identity.candidate_not_found", candidate_id=candidate_id)
    a_key, b_key, status = rows[0]
    if status != "pending":
        raise ConflictError("identity.candidate_decided", candidate_id=candidate_id, status=status)
    accounts = [tuple(str(a_key).split(SEP, 1)), tuple(str(b_key).split(SEP, 1))]
    pairs = [(a[0], a[1]) for a in accounts]
    override_id = _store(
        warehouse, "merge", pairs, member_id=None, actor=actor, reason=reason, method="probabilistic",
        candidate_id=candidate_id,
    )  # fmt: skip
    run(
        con,
        fragment(
            "UPDATE zt_identity.candidates SET status = 'accepted', decided_by = :actor, decided_at = :at "
            "WHERE candidate_id = :id",
            actor=lit(actor),
            at=lit(_now()),
            id=lit(candidate_id),
        ),
    )
    touched = list(pairs)
    for s, c in pairs:
        member = scalar(
            con,
            fragment(
                "SELECT member_id FROM zt_identity.members WHERE source = :s AND customer_id = :c", s=lit(s), c=lit(c)
            ),
        )
        if member is not None:
            touched += member_accounts(con, str(member))
    result = _resolve(warehouse, touched, rules)
    return _load(con, override_id, result)


def reject_candidate(warehouse: Any, candidate_id: int, *, actor: str) -> None:
    """Reject a pending candidate (it is not proposed again for the same pair)."""
    con = warehouse.con
    ensure_identity_schema(con)
    status = scalar(
        con, fragment("SELECT status FROM zt_identity.candidates WHERE candidate_id = :id", id=lit(candidate_id))
    )
    if status is None:
        raise NotFoundError("identity.candidate_not_found", candidate_id=candidate_id)
    if status != "pending":
        raise ConflictError("identity.candidate_decided", candidate_id=candidate_id, status=status)
    run(
        con,
        fragment(
            "UPDATE zt_identity.candidates SET status = 'rejected', decided_by = :actor, decided_at = :at "
            "WHERE candidate_id = :id",
            actor=lit(actor),
            at=lit(_now()),
            id=lit(candidate_id),
        ),
    )
