"""Quarantined rows through the policy: reasons for everyone allowed, raw cells only with PII rights.

A quarantine record names the file, row, column and rule; its ``raw`` field holds the rejected
row's original cells, which can contain any personal data the file held. The raw cells are shown
(or exported) only to a principal who may see every PII class of the tables the load wrote to
(all classes when that is unknown), and every such disclosure is audited. Cells the mapping
ignored are unclassified, so the raw text is also scrubbed of embedded PII of the classes the
principal may *not* see (an ID number in an unmapped column stays masked for an admin).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from zhongtai.errors import PermissionDenied
from zhongtai.policy.access import AccessAudit, Disclosure, Purpose
from zhongtai.policy.maskers import PERSONAL_CLASSES
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability
from zhongtai.policy.vector import scrub_text_array
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import PiiClass

__all__ = ["quarantine_classes", "reveal_quarantine"]


def quarantine_classes(tables: Iterable[str]) -> frozenset[PiiClass]:
    """PII classes raw quarantined cells may hold: those of the load's tables (all if unknown)."""
    names = [t for t in tables if t]
    if not names or any(t not in TABLES for t in names):
        return PERSONAL_CLASSES
    return frozenset(c.pii for t in names for c in TABLES[t].pii_columns())


def reveal_quarantine(
    records: Sequence[Mapping[str, Any]],
    principal: Principal,
    *,
    tables: Iterable[str],
    raw: bool,
    audit: AccessAudit,
    what: str,
    purpose: Purpose = Purpose.VIEW,
    reason: str | None = None,
    target: str | None = None,
) -> list[dict[str, Any]]:
    """The records as ``principal`` may see them (``raw`` asks for the original cells).

    Needs ``quarantine:read`` (``quarantine:export`` to export); with ``raw``, also every PII
    class of the load, else :class:`PermissionDenied` names the classes missing.
    """
    action = Action.EXPORT if purpose is Purpose.EXPORT else Action.READ
    principal.require(Capability.QUARANTINE, action)
    if not raw:
        return [{k: v for k, v in r.items() if k != "raw"} for r in records]
    table_names = {*tables, *(str(r["table"]) for r in records if r.get("table"))}
    classes = quarantine_classes(table_names)
    visible = principal.visible_classes(action)
    missing = classes - visible
    if missing:
        raise PermissionDenied(
            "policy.pii_denied",
            user=principal.name,
            role=principal.role.value,
            classes=", ".join(sorted(c.value for c in missing)),
            action=action.value,
        )
    cells = scrub_text_array(pa.array([r.get("raw") for r in records], pa.string()), PERSONAL_CLASSES - visible)
    out = [{**r, "raw": cell} for r, cell in zip(records, cells.to_pylist(), strict=True)]
    if out and classes:
        audit.record_disclosure(
            principal,
            Disclosure(
                purpose=purpose,
                what=what,
                columns=("raw",),
                classes=tuple(sorted(classes, key=lambda c: c.value)),
                rows=len(out),
                reason=reason,
                target=target,
            ),
        )
    return out
