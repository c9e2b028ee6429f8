"""The audit log's hash chain: how a row's hash is computed and how the chain is verified.

``hash = SHA-256(canonical JSON of the row's fields, including prev_hash)`` where ``prev_hash``
is the previous row's hash (64 zeros for the first). Editing a row changes its hash; deleting or
inserting one breaks the next row's ``prev_hash`` or the sequence; both show up in
:func:`verify_chain`. Rewriting the *whole* chain from some row on is only detectable against a
hash recorded elsewhere, so ``zhongtai audit verify`` prints the head (``seq:hash``) to keep as an
*anchor* and checks anchors given back to it (``--anchor 120:9f…``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["ChainProblem", "VerifyResult", "canonical", "event_hash", "jsonable", "verify_chain"]

FIELDS = ("seq", "at", "actor_id", "actor_name", "actor_role", "via", "action", "target_type", "target_id",
          "detail", "reason", "prev_hash")  # fmt: skip


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data (what the database will give back), so hashes are reproducible."""
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def _at(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's hash covers: its fields as sorted, compact JSON."""
    data = {name: row.get(name) for name in FIELDS}
    data["at"] = _at(row["at"])
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def event_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """Where the chain breaks: ``code`` is ``hash_mismatch`` (a row was edited), ``prev_mismatch``
    (a row before it was removed or inserted), ``gap`` (sequence numbers missing), ``head_mismatch``
    (the head disagrees with the last row: rows were cut from the end) or ``anchor_mismatch``."""

    seq: int
    code: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "code": self.code}


@dataclass(frozen=True, slots=True)
class VerifyResult:
    rows: int
    head_seq: int
    head_hash: str
    problems: list[ChainProblem] = field(default_factory=list)
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def anchor(self) -> str:
        return f"{self.head_seq}:{self.head_hash}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "anchor": self.anchor,
            "anchors_checked": self.anchors_checked,
            "problems": [p.to_dict() for p in self.problems],
        }


def verify_chain(
    rows: Iterable[Mapping[str, Any]],
    *,
    head_seq: int,
    head_hash: str,
    genesis: str,
    anchors: Mapping[int, str] | None = None,
    max_problems: int = 100,
) -> VerifyResult:
    """Check every row (in ``seq`` order) against its predecessor and the stored head."""
    problems: list[ChainProblem] = []
    anchors = dict(anchors or {})
    checked = 0
    previous_hash, previous_seq, count = genesis, 0, 0
    for row in rows:
        count += 1
        seq = int(row["seq"])
        if seq != previous_seq + 1:
            problems.append(ChainProblem(seq, "gap"))
        if row["prev_hash"] != previous_hash:
            problems.append(ChainProblem(seq, "prev_mismatch"))
        if event_hash(row) != row["hash"]:
            problems.append(ChainProblem(seq, "hash_mismatch"))
        if seq in anchors:
            checked += 1
            if anchors.pop(seq) != row["hash"]:
                problems.append(ChainProblem(seq, "anchor_mismatch"))
        previous_hash, previous_seq = row["hash"], seq
        if len(problems) >= max_problems:
            break
    for seq in anchors:
        problems.append(ChainProblem(seq, "anchor_mismatch"))
    if len(problems) < max_problems and (head_seq != previous_seq or head_hash != previous_hash):
        problems.append(ChainProblem(head_seq, "head_mismatch"))
    return VerifyResult(rows=count, head_seq=head_seq, head_hash=head_hash, problems=problems, anchors_checked=checked)
