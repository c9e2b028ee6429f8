"""Data access objects: the only code that queries app state, one per aggregate.

As in Superset's ``BaseDAO``, each DAO carries its access filter (:meth:`BaseDAO.base_filter`),
built from the :class:`~zhongtai.policy.Principal` it was made for, so a listing or lookup cannot
forget it: without ``users:read`` a principal finds only itself, without ``tokens:read`` only its
own tokens, without ``audit:read`` only the audit rows it caused. A row outside the filter is
*not found* (404), not forbidden, so its existence is not revealed. Methods named ``*_for_auth``
skip the filter; only authentication and validation use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, false, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhongtai.appdb.chain import event_hash, jsonable
from zhongtai.appdb.models import ApiToken, AuditEvent, AuditHead, User
from zhongtai.appdb.types import utcnow
from zhongtai.errors import ConflictError, NotFoundError, PermissionDenied
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability, Role

__all__ = ["AuditDAO", "BaseDAO", "TokenDAO", "UserDAO"]

M = TypeVar("M", User, ApiToken, AuditEvent)


class BaseDAO(Generic[M]):
    model: ClassVar[type[Any]]
    kind: ClassVar[str]
    conflict: ClassVar[str]

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def base_filter(self, query: Select[M]) -> Select[M]:
        """Limit ``query`` to the rows the principal may see (override per aggregate)."""
        return query

    def _select(self) -> Select[M]:
        return self.base_filter(select(self.model))

    def find_by_id(self, ident: int) -> M:
        row = self.session.scalars(self._select().where(self.model.__mapper__.primary_key[0] == ident)).first()
        if row is None:
            raise NotFoundError("appdb.not_found." + self.kind, id=ident)
        return row

    def add(self, row: M, **params: Any) -> M:
        """Insert ``row``; a unique-key clash (a concurrent insert) is a :class:`ConflictError`."""
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            raise ConflictError(self.conflict, **params) from None
        return row


class UserDAO(BaseDAO[User]):
    model = User
    kind = "user"
    conflict = "users.exists"

    def base_filter(self, query: Select[User]) -> Select[User]:
        if self.principal.can(Capability.USERS, Action.READ):
            return query
        if self.principal.user_id is None:
            return query.where(false())
        return query.where(User.id == self.principal.user_id)

    def find_by_username(self, username: str) -> User:
        row = self.session.scalars(self._select().where(User.username == username.strip().lower())).first()
        if row is None:
            raise NotFoundError("users.not_found", username=username)
        return row

    def list(self, *, include_disabled: bool = True) -> list[User]:
        query = self._select().order_by(User.id)
        if not include_disabled:
            query = query.where(User.disabled_at.is_(None))
        return list(self.session.scalars(query))

    # unfiltered: authentication and validation only

    def find_for_auth(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(User.username == username.strip().lower())).first()

    def owner_for_auth(self) -> User | None:
        return self.session.scalars(select(User).where(User.is_owner.is_(True)).order_by(User.id)).first()

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(User)) or 0)

    def count_active_admins(self) -> int:
        query = select(func.count()).select_from(User).where(User.role == Role.ADMIN.value, User.disabled_at.is_(None))
        return int(self.session.scalar(query) or 0)


class TokenDAO(BaseDAO[ApiToken]):
    model = ApiToken
    kind = "token"
    conflict = "tokens.conflict"

    def base_filter(self, query: Select[ApiToken]) -> Select[ApiToken]:
        if self.principal.can(Capability.TOKENS, Action.READ):
            return query
        if self.principal.user_id is None:
            return query.where(false())
        return query.where(ApiToken.user_id == self.principal.user_id)

    def list(
        self, *, user_id: int | None = None, include_inactive: bool = False, now: datetime | None = None
    ) -> list[ApiToken]:
        query = self._select().order_by(ApiToken.id)
        if user_id is not None:
            query = query.where(ApiToken.user_id == user_id)
        if not include_inactive:
            query = query.where(ApiToken.revoked_at.is_(None), ApiToken.expires_at > (now or utcnow()))
        return list(self.session.scalars(query))

    def find_for_auth(self, public_id: str) -> ApiToken | None:
        return self.session.scalars(select(ApiToken).where(ApiToken.public_id == public_id)).first()


class AuditDAO(BaseDAO[AuditEvent]):
    """Append and read the audit log. There is no update or delete: the database refuses them too."""

    model = AuditEvent
    kind = "audit"
    conflict = "audit.conflict"
    HEAD_ID: ClassVar[int] = 1

    def base_filter(self, query: Select[AuditEvent]) -> Select[AuditEvent]:
        if self.principal.can(Capability.AUDIT, Action.READ):
            return query
        if self.principal.user_id is None:
            return query.where(false())
        return query.where(AuditEvent.actor_id == self.principal.user_id)

    def append(
        self,
        action: str,
        *,
        target_type: str | None = None,
        target_id: str | int | None = None,
        detail: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> AuditEvent:
        """Chain one event onto the log, in the caller's transaction.

        The head row is updated first (``UPDATE … RETURNING``), which locks it until commit: on
        PostgreSQL concurrent appends wait for each other, on SQLite the write transaction
        (``BEGIN IMMEDIATE``) already serialises them, so the chain never forks.
        """
        head = self.session.execute(
            update(AuditHead)
            .where(AuditHead.id == self.HEAD_ID)
            .values(last_seq=AuditHead.last_seq + 1)
            .returning(AuditHead.last_seq, AuditHead.last_hash)
        ).one()
        seq, prev_hash = int(head[0]), str(head[1])
        principal = self.principal
        row: dict[str, Any] = {
            "seq": seq,
            "at": utcnow(),
            "actor_id": principal.user_id,
            "actor_name": principal.name,
            "actor_role": principal.role.value,
            "via": (principal.via if principal.token_id is None else f"{principal.via}#{principal.token_id}")[:64],
            "action": action,
            "target_type": target_type,
            "target_id": None if target_id is None else str(target_id),
            "detail": jsonable(detail or {}),
            "reason": reason.strip() if reason and reason.strip() else None,
            "prev_hash": prev_hash,
        }
        row["hash"] = event_hash(row)
        event = AuditEvent(**row)
        self.session.add(event)
        self.session.execute(update(AuditHead).where(AuditHead.id == self.HEAD_ID).values(last_hash=row["hash"]))
        self.session.flush()
        return event

    def list(
        self,
        *,
        limit: int = 50,
        action: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        before_seq: int | None = None,
    ) -> list[AuditEvent]:
        """Newest first; ``action`` matches exactly or as a prefix ending in a dot (``user.``)."""
        query = self._select().order_by(AuditEvent.seq.desc()).limit(limit)
        if action:
            query = query.where(
                AuditEvent.action.startswith(action) if action.endswith(".") else AuditEvent.action == action
            )
        if actor:
            query = query.where(AuditEvent.actor_name == actor.strip().lower())
        if since is not None:
            query = query.where(AuditEvent.at >= since)
        if before_seq is not None:
            query = query.where(AuditEvent.seq < before_seq)
        return list(self.session.scalars(query))

    def head(self) -> AuditHead:
        return self.session.get_one(AuditHead, self.HEAD_ID)

    def iter_chain(self, *, batch: int = 1000) -> Iterator[AuditEvent]:
        """Every event in ``seq`` order (needs ``audit:read``: a partial chain cannot be verified)."""
        if not self.principal.can(Capability.AUDIT, Action.READ):
            raise PermissionDenied(
                "policy.denied", user=self.principal.name, role=self.principal.role.value, permission="audit:read"
            )
        query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
        yield from self.session.scalars(query)
