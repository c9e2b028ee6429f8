"""Access audit: every view or export of unmasked PII is recorded before the data leaves.

:mod:`zhongtai.policy` decides what is disclosed; where the record goes is app state's business.
The two meet through the :class:`AccessAudit` protocol, which :class:`zhongtai.appdb.AppDB`
implements with a row in the hash-chained audit log. The masking functions call it *before*
returning data, so a failed audit write means no disclosure (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from zhongtai.policy.principal import Principal
from zhongtai.warehouse.schema import PiiClass

__all__ = ["AccessAudit", "Disclosure", "EventLog", "Purpose"]


class Purpose(StrEnum):
    VIEW = "view"
    EXPORT = "export"


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Unmasked PII handed to a principal: which columns of which classes, how many rows, and why.

    ``what`` names the source (``warehouse:customers``, ``quarantine:load-3``); it never holds a value.
    """

    purpose: Purpose
    what: str
    columns: tuple[str, ...]
    classes: tuple[PiiClass, ...]
    rows: int
    reason: str | None = None
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose.value,
            "what": self.what,
            "columns": list(self.columns),
            "classes": [c.value for c in self.classes],
            "rows": self.rows,
            "target": self.target,
        }


class AccessAudit(Protocol):
    """Where disclosures are recorded (the app-state audit log)."""

    def record_disclosure(self, principal: Principal, disclosure: Disclosure) -> None: ...


class EventLog(Protocol):
    """Where policy-level changes outside app state are recorded (warehouse sealing, key rotation)."""

    def record_event(
        self,
        principal: Principal,
        action: str,
        *,
        target_type: str | None = None,
        target_id: str | None = None,
        detail: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None: ...
