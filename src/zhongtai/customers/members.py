"""Operator actions on members: resolve, merge, split, undo, candidates — permission-checked and audited.

Each function checks the principal's permission (``customers:write`` to change who is who,
``customers:read`` to read the report or candidates), writes the app-state audit entry *before*
changing the warehouse (fail closed: no audit row, no change), then calls
:mod:`zhongtai.warehouse.identity`. Audit details name member ids, account keys' sources and
counts, never identifier values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from zhongtai.errors import InputError
from zhongtai.policy import Action, Capability, Principal
from zhongtai.progress import Progress
from zhongtai.warehouse.identity import (
    Candidate,
    Override,
    ResolutionResult,
    ResolutionRules,
    accept_candidate,
    find_candidates,
    identity_report,
    list_candidates,
    merge_members,
    reject_candidate,
    resolve_identities,
    undo_override,
    unmerge_accounts,
)
from zhongtai.warehouse.identity.rules import DEFAULT_RULES

__all__ = [
    "accept_link",
    "merge",
    "parse_account",
    "pending_links",
    "read_reference",
    "reject_link",
    "report",
    "resolve",
    "suggest_links",
    "undo",
    "unmerge",
]


def parse_account(text: str) -> tuple[str, str]:
    """``"tmall:t_123"`` -> ``("tmall", "t_123")``; anything else is an :class:`InputError`."""
    source, sep, customer_id = text.strip().partition(":")
    if not sep or not source or not customer_id:
        raise InputError("identity.bad_account", account=text)
    return source, customer_id


def resolve(
    ws: Any,
    principal: Principal,
    *,
    mode: str,
    rules: ResolutionRules = DEFAULT_RULES,
    progress: Progress | None = None,
) -> ResolutionResult:
    """Run identity resolution (``customers:write``); the run is audited with its counts."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    result = resolve_identities(ws.warehouse, mode=mode, rules=rules, progress=progress)
    ws.app.record_event(
        principal,
        "identity.resolve",
        target_type="identity_run",
        target_id=str(result.run_id),
        detail={"mode": result.mode, "members": result.members, "changed": result.changed_records},
    )
    return result


def merge(ws: Any, principal: Principal, member_ids: list[str], *, reason: str | None = None) -> Override:
    """Merge members into one (``customers:write``), audited then stored."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    ws.app.record_event(
        principal, "identity.merge", target_type="member", target_id=",".join(member_ids)[:200], reason=reason
    )
    return merge_members(ws.warehouse, member_ids, actor=principal.name, reason=reason)


def unmerge(
    ws: Any, principal: Principal, member_id: str, accounts: list[str], *, reason: str | None = None
) -> Override:
    """Split accounts (``SOURCE:CUSTOMER_ID``) off a member (``customers:write``), audited then stored."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    parsed = [parse_account(a) for a in accounts]
    ws.app.record_event(
        principal,
        "identity.unmerge",
        target_type="member",
        target_id=member_id,
        detail={"accounts": len(parsed), "sources": sorted({s for s, _ in parsed})},
        reason=reason,
    )
    return unmerge_accounts(ws.warehouse, member_id, parsed, actor=principal.name, reason=reason)


def undo(ws: Any, principal: Principal, override_id: int, *, reason: str | None = None) -> Override:
    """Undo a stored merge or split (``customers:write``), audited then applied."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    ws.app.record_event(
        principal, "identity.undo", target_type="identity_override", target_id=str(override_id), reason=reason
    )
    return undo_override(ws.warehouse, override_id, actor=principal.name)


def suggest_links(ws: Any, principal: Principal, *, threshold: float | None = None) -> list[Candidate]:
    """Score accounts without a hard identifier and list pending candidates (``customers:write``)."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    found = find_candidates(ws.warehouse, threshold=threshold or DEFAULT_RULES.splink_threshold)
    ws.app.record_event(principal, "identity.candidates", target_type="identity", detail={"pending": len(found)})
    return found


def accept_link(ws: Any, principal: Principal, candidate_id: int, *, reason: str | None = None) -> Override:
    """Accept a candidate link (``customers:write``), audited then stored as a merge."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    ws.app.record_event(
        principal, "identity.accept", target_type="identity_candidate", target_id=str(candidate_id), reason=reason
    )
    return accept_candidate(ws.warehouse, candidate_id, actor=principal.name, reason=reason)


def reject_link(ws: Any, principal: Principal, candidate_id: int, *, reason: str | None = None) -> None:
    """Reject a candidate link (``customers:write``), audited."""
    principal.require(Capability.CUSTOMERS, Action.WRITE)
    ws.app.record_event(
        principal, "identity.reject", target_type="identity_candidate", target_id=str(candidate_id), reason=reason
    )
    reject_candidate(ws.warehouse, candidate_id, actor=principal.name)


def pending_links(ws: Any, principal: Principal) -> list[Candidate]:
    """Pending candidate links (``customers:read``)."""
    principal.require(Capability.CUSTOMERS, Action.READ)
    return list_candidates(ws.warehouse.con, status="pending")


def read_reference(path: Path) -> pa.Table:
    """A reference file (CSV or Parquet; columns source, customer_id, person_id) for scoring."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path) if path.suffix.lower() == ".parquet" else pcsv.read_csv(path)
    except (OSError, pa.ArrowInvalid):
        raise InputError("identity.truth_unreadable", file=str(path)) from None
    return table


def report(ws: Any, principal: Principal, *, truth: Path | None = None) -> dict[str, Any]:
    """The resolution report (``customers:read``), scored against ``truth`` when given."""
    principal.require(Capability.CUSTOMERS, Action.READ)
    return identity_report(ws.warehouse.con, read_reference(truth) if truth else None)
