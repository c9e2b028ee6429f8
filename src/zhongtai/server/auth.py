"""Who is calling: an API token (``Authorization: Bearer zt_…``) or a session cookie.

* **Tokens** are verified by :func:`zhongtai.appdb.authenticate_token` (expiry, revocation,
  disabled users, scopes narrowing the role) on every request.
* **Sessions** start with ``POST /api/v1/session`` (user name and password, checked by
  :func:`zhongtai.appdb.authenticate_password` with its lock-out) and live in server memory under
  a random 256-bit id sent as an ``HttpOnly``, ``SameSite=Lax`` cookie (``Secure`` with
  ``--secure``). They end after :data:`SESSION_IDLE` without use, on ``DELETE /api/v1/session``
  or when the server restarts. Each request re-reads the account from app state, so a role or
  scope change applies at once and a disabled or locked account loses its sessions at once.
* **CSRF**: a session carries a random synchronizer token, returned at sign-in and by
  ``GET /api/v1/session``; every state-changing request (not GET/HEAD/OPTIONS) authenticated by
  the cookie must send it back in ``X-CSRF-Token``. Token-authenticated requests need none (a
  browser never adds an ``Authorization`` header on its own).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from zhongtai.appdb import AuthenticationError, UserDAO, authenticate_password, authenticate_token, principal_of
from zhongtai.appdb.types import utcnow
from zhongtai.policy import Principal
from zhongtai.policy.principal import SYSTEM
from zhongtai.server.errors import CsrfError
from zhongtai.server.state import ServerState

__all__ = [
    "COOKIE",
    "CSRF_HEADER",
    "SESSION_IDLE",
    "CurrentPrincipal",
    "Session",
    "SessionStore",
    "clear_session_cookie",
    "current_principal",
    "server_state",
    "set_session_cookie",
    "sign_in",
]

COOKIE = "zt_session"
CSRF_HEADER = "X-CSRF-Token"
SESSION_IDLE = 8 * 3600.0
"""Seconds a session lives without being used."""
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Session:
    principal: Principal
    csrf: str
    last_used: float


class SessionStore:
    """Server-side sessions by id (thread-safe)."""

    def __init__(self, idle: float = SESSION_IDLE) -> None:
        self.idle = idle
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, principal: Principal) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        session = Session(principal, secrets.token_urlsafe(32), time.monotonic())
        with self._lock:
            self._sessions[sid] = session
        return sid, session

    def get(self, sid: str) -> Session | None:
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(sid)
            if session is None:
                return None
            if now - session.last_used > self.idle:
                del self._sessions[sid]
                return None
            session.last_used = now
            return session

    def drop(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)


def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.zhongtai
    return state


def sign_in(request: Request, username: str, password: str) -> tuple[str, Session]:
    """Check the per-address limiter, then the password (app-state lock-out applies); a new session."""
    state = server_state(request)
    address = request.client.host if request.client else "-"
    request.app.state.login_limiter.hit(address)
    principal = authenticate_password(state.workspace.app, username, password, via="api:session")
    sessions: SessionStore = request.app.state.sessions
    return sessions.create(principal)


def set_session_cookie(request: Request, response: Response, sid: str) -> None:
    """Send the session id as the ``HttpOnly``, ``SameSite=Lax`` cookie (``Secure`` with ``--secure``)."""
    response.set_cookie(
        COOKIE,
        sid,
        max_age=int(SESSION_IDLE),
        httponly=True,
        samesite="lax",
        secure=server_state(request).secure_cookies,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Tell the browser to forget the session cookie (sign-out)."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def current_principal(request: Request) -> Principal:
    """The principal of this request, or :class:`AuthenticationError` (401)."""
    state = server_state(request)
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("server.bad_authorization")
        principal = authenticate_token(state.workspace.app, token.strip(), via="api:token")
        request.state.user_id = principal.user_id
        return principal
    sid = request.cookies.get(COOKIE)
    sessions: SessionStore = request.app.state.sessions
    session = sessions.get(sid) if sid else None
    if session is None:
        raise AuthenticationError("server.login_required")
    if request.method not in _SAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
            raise CsrfError("server.csrf_failed", header=CSRF_HEADER)
    current = _current_account(state, session.principal.name)
    if current is None:
        sessions.drop(sid or "")
        raise AuthenticationError("server.login_required")
    session.principal = current
    request.state.user_id = current.user_id
    return current


def _current_account(state: ServerState, username: str) -> Principal | None:
    """The account as app state has it now (``None``: gone, disabled or locked)."""
    with state.workspace.app.read() as db:
        user = UserDAO(db, SYSTEM).find_for_auth(username)
        if user is None or not user.active:
            return None
        if user.locked_until is not None and user.locked_until > utcnow():
            return None
        return principal_of(user, via="api:session")


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
