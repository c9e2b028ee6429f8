"""Authentication: a password, an API token or the workspace owner becomes a :class:`Principal`.

Failures keep their bookkeeping (failed-attempt counter, lock-out, audit row) even though the
caller gets an error: the transaction commits first, then the error is raised. Unknown accounts
and wrong passwords read alike (no account enumeration), and an unknown account costs the same
argon2 time as a known one.
"""

from __future__ import annotations

from datetime import timedelta

from zhongtai.appdb.commands.base import AuthenticationError, InvalidInput, Problems
from zhongtai.appdb.commands.users import _password_check
from zhongtai.appdb.dao import AuditDAO, TokenDAO, UserDAO
from zhongtai.appdb.database import AppDB
from zhongtai.appdb.models import ApiToken, User
from zhongtai.appdb.passwords import LOCKOUT, MAX_FAILURES, normalise
from zhongtai.appdb.tokens import parse_token, secret_matches
from zhongtai.appdb.types import utcnow
from zhongtai.errors import ZhongtaiError
from zhongtai.policy.principal import SYSTEM, DataScope, Principal
from zhongtai.policy.roles import Permission, Role

__all__ = ["authenticate_password", "authenticate_token", "change_password", "owner_principal", "principal_of"]

TOKEN_USE_INTERVAL = timedelta(hours=1)
"""``last_used_at`` (and its audit row) is written at most this often per token."""


def principal_of(user: User, *, via: str) -> Principal:
    return Principal(
        user_id=user.id, name=user.username, role=Role(user.role), scope=DataScope.from_dict(user.scope), via=via
    )


def _as(user: User, via: str) -> Principal:
    """The user as the actor of their own authentication events."""
    return principal_of(user, via=via)


def _check(db: AppDB, user: User, password: str, audit: AuditDAO) -> ZhongtaiError | None:
    """The error signing in as ``user`` with ``password`` gives (``None``: right and usable),
    with the failure bookkeeping done in the caller's transaction."""
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        audit.append(
            "auth.refused",
            target_type="user",
            target_id=user.id,
            detail={"username": user.username, "reason": "locked"},
        )
        return AuthenticationError("auth.locked", until=user.locked_until.isoformat(timespec="seconds"))
    if not db.hasher.verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit.append(
                "auth.locked",
                target_type="user",
                target_id=user.id,
                detail={"username": user.username, "minutes": int(LOCKOUT.total_seconds() // 60)},
            )
            return AuthenticationError("auth.locked", until=user.locked_until.isoformat(timespec="seconds"))
        audit.append(
            "auth.failed",
            target_type="user",
            target_id=user.id,
            detail={"username": user.username, "failures": user.failed_logins},
        )
        return AuthenticationError("auth.invalid_credentials")
    if not user.active:
        audit.append(
            "auth.refused",
            target_type="user",
            target_id=user.id,
            detail={"username": user.username, "reason": "disabled"},
        )
        return AuthenticationError("auth.invalid_credentials")
    user.failed_logins = 0
    return None


def authenticate_password(db: AppDB, username: str, password: str, *, via: str = "password") -> Principal:
    """The principal for ``username`` if ``password`` is right and the account usable.

    Wrong five times in a row locks the account for 15 minutes; an account whose password was
    set by an admin (one-time) must change it first (``zhongtai users passwd``).
    """
    error: ZhongtaiError | None = None
    principal: Principal | None = None
    with db.write() as session:
        user = UserDAO(session, SYSTEM).find_for_auth(username)
        if user is None:
            db.hasher.verify(None, password)
            raise AuthenticationError("auth.invalid_credentials")
        audit = AuditDAO(session, _as(user, via))
        error = _check(db, user, password, audit)
        if error is None and user.must_change_password:
            error = AuthenticationError("auth.password_change_required", username=user.username)
        elif error is None:
            user.last_login_at = utcnow()
            if user.password_hash and db.hasher.needs_rehash(user.password_hash):
                user.password_hash = db.hasher.hash(password)
            audit.append("auth.login", target_type="user", target_id=user.id, detail={"username": user.username})
            principal = principal_of(user, via=via)
    if error is not None:
        raise error
    assert principal is not None
    return principal


def change_password(db: AppDB, username: str, old: str, new: str, *, via: str = "password") -> Principal:
    """Change one's own password (also the way out of a one-time password); returns the principal.

    A wrong ``old`` password counts towards the lock-out like any failed sign-in.
    """
    problems = Problems()
    _password_check(new, username.strip().lower(), problems)
    if normalise(old) == normalise(new):
        problems.add("password.unchanged")
    new_hash = db.hasher.hash(new)
    error: ZhongtaiError | None = None
    principal: Principal | None = None
    with db.write() as session:
        user = UserDAO(session, SYSTEM).find_for_auth(username)
        if user is None:
            db.hasher.verify(None, old)
            raise AuthenticationError("auth.invalid_credentials")
        audit = AuditDAO(session, _as(user, via))
        error = _check(db, user, old, audit)
        if error is None and problems:
            error = InvalidInput(problems)
        elif error is None:
            user.password_hash = new_hash
            user.must_change_password = False
            user.password_changed_at = utcnow()
            audit.append(
                "user.change_password", target_type="user", target_id=user.id, detail={"username": user.username}
            )
            principal = principal_of(user, via=via)
    if error is not None:
        raise error
    assert principal is not None
    return principal


def authenticate_token(db: AppDB, text: str, *, via: str = "token") -> Principal:
    """The principal an API token stands for: its user's role narrowed to the token's scopes.

    Most calls only read: a valid token whose last use was recorded less than
    :data:`TOKEN_USE_INTERVAL` ago needs no write, so no write transaction is opened (on SQLite a
    write transaction serialises every request of the server). Refusals (audited) and the periodic
    use record go through the write path, which checks everything again inside its transaction.
    """
    parsed = parse_token(text)
    if parsed is None:
        raise AuthenticationError("auth.invalid_token")
    public_id, secret = parsed
    with db.read() as session:
        token = TokenDAO(session, SYSTEM).find_for_auth(public_id)
        if token is None or not secret_matches(secret, token.secret_hash):
            raise AuthenticationError("auth.invalid_token")
        now = utcnow()
        user = token.user
        usable = token.revoked_at is None and token.expires_at > now and user.active
        recent = token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_INTERVAL
        if usable and recent:
            return _token_principal(token, user, via)
    return _authenticate_token_recording(db, public_id, secret, via)


def _token_principal(token: ApiToken, user: User, via: str) -> Principal:
    return Principal(
        user_id=user.id,
        name=user.username,
        role=Role(user.role),
        scope=DataScope.from_dict(user.scope),
        token_scopes=frozenset(Permission.parse(s) for s in token.scopes),
        via=via,
        token_id=token.id,
    )


def _authenticate_token_recording(db: AppDB, public_id: str, secret: str, via: str) -> Principal:
    """The write path of :func:`authenticate_token`: audits a refusal or records the token's use."""
    error: ZhongtaiError | None = None
    principal: Principal | None = None
    with db.write() as session:
        token = TokenDAO(session, SYSTEM).find_for_auth(public_id)
        if token is None or not secret_matches(secret, token.secret_hash):
            raise AuthenticationError("auth.invalid_token")
        now = utcnow()
        user = token.user
        actor = _as(user, via)
        reason = (
            "revoked"
            if token.revoked_at is not None
            else "expired"
            if token.expires_at <= now
            else "user_disabled"
            if not user.active
            else None
        )
        if reason is not None:
            AuditDAO(session, actor).append(
                "auth.token_refused",
                target_type="token",
                target_id=token.id,
                detail={"public_id": token.public_id, "reason": reason},
            )
            error = AuthenticationError("auth.invalid_token")
        else:
            if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_INTERVAL:
                token.last_used_at = now
                AuditDAO(session, actor).append(
                    "token.use", target_type="token", target_id=token.id, detail={"public_id": token.public_id}
                )
            principal = _token_principal(token, user, via)
    if error is not None:
        raise error
    assert principal is not None
    return principal


def owner_principal(db: AppDB, *, via: str = "cli:owner") -> Principal:
    """The workspace owner (the first admin): who the CLI acts as when no one signs in."""
    with db.read() as session:
        owner = UserDAO(session, SYSTEM).owner_for_auth()
        if owner is None or not owner.active:
            raise AuthenticationError("auth.no_owner")
        return principal_of(owner, via=via)
