"""Read-side functions over app state for the CLI, the API and notebooks (the DAOs filter by principal).

Exporting the audit log is itself a write: the export is recorded (``audit.export``) before the file
is written, so who took a copy is part of the chain.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from zhongtai.appdb.chain import VerifyResult, verify_chain
from zhongtai.appdb.dao import AuditDAO, TokenDAO, UserDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import GENESIS_HASH
from zhongtai.appdb.views import AuditEntry, TokenInfo, UserInfo
from zhongtai.errors import InputError
from zhongtai.policy.columns import ACCOUNT_COLUMNS
from zhongtai.policy.masking import mask, safe_cell
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability

__all__ = [
    "export_audit",
    "get_user",
    "list_audit",
    "list_tokens",
    "list_users",
    "masked_users",
    "parse_anchors",
    "verify_audit",
]


def list_users(db: AppDB, principal: Principal, *, include_disabled: bool = True) -> list[UserInfo]:
    """Accounts the principal may see (all with ``users:read``, else only itself)."""
    with db.read() as session:
        return [UserInfo.of(u) for u in UserDAO(session, principal).list(include_disabled=include_disabled)]


def masked_users(
    db: AppDB, principal: Principal, users: Sequence[UserInfo], *, what: str = "appdb:users"
) -> list[dict[str, Any]]:
    """Account rows as dicts, the display name masked for ``principal``'s role; a clear read is
    recorded in the access audit under ``what`` (the CLI, the API and the settings pages use this)."""
    rows = [u.to_dict() for u in users]
    return list(mask(rows, principal, audit=db, what=what, columns=ACCOUNT_COLUMNS))


def get_user(db: AppDB, principal: Principal, username: str) -> UserInfo:
    with db.read() as session:
        return UserInfo.of(UserDAO(session, principal).find_by_username(username))


def list_tokens(
    db: AppDB, principal: Principal, *, username: str | None = None, include_inactive: bool = False
) -> list[TokenInfo]:
    """Tokens the principal may see (its own; everyone's with ``tokens:read``)."""
    with db.read() as session:
        user_id = UserDAO(session, principal).find_by_username(username).id if username else None
        tokens = TokenDAO(session, principal).list(user_id=user_id, include_inactive=include_inactive)
        return [TokenInfo.of(t, t.user.username) for t in tokens]


def list_audit(
    db: AppDB,
    principal: Principal,
    *,
    limit: int = 50,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    before_seq: int | None = None,
) -> list[AuditEntry]:
    """Newest audit entries the principal may read (everything with ``audit:read``, else its own).

    ``before_seq`` pages backwards: only entries older than that sequence number (keyset paging,
    stable while new entries are appended)."""
    with db.read() as session:
        events = AuditDAO(session, principal).list(
            limit=limit, action=action, actor=actor, since=since, before_seq=before_seq
        )
        return [AuditEntry.of(e) for e in events]


def parse_anchors(values: list[str]) -> dict[int, str]:
    """``["120:9f…"]`` -> ``{120: "9f…"}``."""
    anchors: dict[int, str] = {}
    for value in values:
        seq, _, digest = value.partition(":")
        if not seq.strip().isdigit() or len(digest.strip()) != 64:
            raise InputError("audit.invalid_anchor", anchor=value)
        anchors[int(seq)] = digest.strip().lower()
    return anchors


def verify_audit(db: AppDB, principal: Principal, *, anchors: Mapping[int, str] | None = None) -> VerifyResult:
    """Recompute the whole hash chain (needs ``audit:read``); the result lists every break found."""
    principal.require(Capability.AUDIT, Action.READ)
    with db.read() as session:
        dao = AuditDAO(session, principal)
        head = dao.head()
        rows = (
            {
                "seq": e.seq,
                "at": e.at,
                "actor_id": e.actor_id,
                "actor_name": e.actor_name,
                "actor_role": e.actor_role,
                "via": e.via,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "detail": e.detail,
                "reason": e.reason,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in dao.iter_chain()
        )
        return verify_chain(
            rows, head_seq=head.last_seq, head_hash=head.last_hash, genesis=GENESIS_HASH, anchors=anchors
        )


def export_audit(db: AppDB, principal: Principal, target: Path, *, reason: str | None = None) -> int:
    """Write the whole log to ``target`` (``.jsonl`` keeps every field exactly, ``.csv`` for
    spreadsheets, formula cells neutralised); needs ``audit:export``. Returns the rows written."""
    principal.require(Capability.AUDIT, Action.EXPORT)
    principal.require(Capability.AUDIT, Action.READ)
    suffix = target.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise InputError("audit.export_format", file=target.name)
    with db.write() as session:
        AuditDAO(session, principal).append(
            "audit.export",
            target_type="file",
            target_id=target.name,
            detail={"format": suffix.lstrip(".")},
            reason=reason,
        )
    count = 0
    with (
        db.read() as session,
        target.open("w", encoding="utf-8-sig" if suffix == ".csv" else "utf-8", newline="") as handle,
    ):
        writer = csv.writer(handle) if suffix == ".csv" else None
        for event in AuditDAO(session, principal).iter_chain():
            entry = AuditEntry.of(event).to_dict()
            if writer is None:
                handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            else:
                if count == 0:
                    writer.writerow(list(entry))
                writer.writerow(
                    [
                        safe_cell(
                            json.dumps(v, ensure_ascii=False, sort_keys=True)
                            if isinstance(v, dict)
                            else ""
                            if v is None
                            else str(v)
                        )
                        for v in entry.values()
                    ]
                )
            count += 1
    return count
