"""The shape of every state change: check permission, validate everything, one transaction, audit row.

Like Superset's commands: ``run()`` first checks the principal's permission (403 at once), does
slow preparation outside any lock (:meth:`Command.prepare`), then opens one write transaction,
lets :meth:`Command.validate` collect *every* problem (one :class:`InvalidInput` naming them
all, so a user fixes everything in one go), then :meth:`Command.execute` changes state and
appends its audit row in that same transaction. Either all of it commits or none of it does.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from zhongtai.appdb.dao import AuditDAO
from zhongtai.appdb.database import AppDB
from zhongtai.errors import InputError, PermissionDenied, ZhongtaiError
from zhongtai.policy.principal import Principal

__all__ = ["AuthenticationError", "Command", "InvalidInput", "Problems"]

R = TypeVar("R")


class AuthenticationError(PermissionDenied):
    """The caller could not be authenticated (wrong password or token, locked, disabled)."""

    status = 401


class Problems(list[ZhongtaiError]):
    """Validation problems collected by a command."""

    def add(self, code: str, **params: Any) -> None:
        self.append(InputError(code, **params))


class InvalidInput(InputError):
    """Several problems found at once; the message lists each in the reader's language."""

    def __init__(self, problems: list[ZhongtaiError]) -> None:
        super().__init__("appdb.invalid", count=len(problems))
        self.problems = list(problems)

    def message(self, lang: str | None = None) -> str:
        lines = [super().message(lang)] + [f"- {p.message(lang)}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out = super().to_dict(lang)
        out["problems"] = [p.to_dict(lang) for p in self.problems]
        return out


class Command(ABC, Generic[R]):
    """One state change made by ``principal``."""

    def __init__(self, db: AppDB, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    def check_permission(self) -> None:
        """Raise :class:`PermissionDenied` unless the principal may run this command."""

    def prepare(self) -> None:
        """Slow work that needs no database (hashing a password), done before the transaction opens."""

    @abstractmethod
    def validate(self, session: Session, problems: Problems) -> None:
        """Collect every problem in ``problems``; raise only for a missing target (404)."""

    @abstractmethod
    def execute(self, session: Session) -> R:
        """Change state and append the audit row (same transaction)."""

    def run(self) -> R:
        self.check_permission()
        self.prepare()
        with self.db.write() as session:
            problems = Problems()
            self.validate(session, problems)
            if problems:
                raise InvalidInput(problems)
            return self.execute(session)

    def audit(self, session: Session, action: str, **kwargs: Any) -> None:
        AuditDAO(session, self.principal).append(action, **kwargs)
