"""Security headers, the per-address sign-in limiter, the language check and the access log.

Headers follow the OWASP Secure Headers Project: a strict Content-Security-Policy with no third
party origin at all (the console's scripts are served by the app itself), ``frame-ancestors
'none'`` against click-jacking, ``nosniff``, no referrer, and ``Strict-Transport-Security`` when
the server runs behind TLS (``--secure``). API answers are ``Cache-Control: no-store``.

The access log has one JSON line per request on the ``zhongtai.server.access`` logger: method,
the *route template* (``/api/v1/customers/{member_id}``, so no member id, e-mail or token ever
lands in the log), status, milliseconds and the acting user's numeric id. Query strings,
headers and client addresses are not logged.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp

from zhongtai.errors import ZhongtaiError
from zhongtai.server.errors import RateLimited, problem_response, request_lang

__all__ = ["API_PREFIX", "CSP", "LoginLimiter", "SecurityMiddleware"]

API_PREFIX = "/api/v1"
"""Where the REST API lives; the access log names routes with it."""
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
access_log = logging.getLogger("zhongtai.server.access")


class LoginLimiter:
    """At most ``limit`` sign-in attempts per client address in any ``window`` seconds (a sliding
    window). It complements the per-account lock-out of app state (5 wrong passwords lock an
    account): the lock-out stops guessing one password, this stops one address spraying many
    accounts. Thread-safe; the state lives in the server process."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, address: str, now: float | None = None) -> None:
        """Count one attempt from ``address``; raise :class:`RateLimited` when over the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(address, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                wait = int(hits[0] + self.window - now) + 1
                raise RateLimited("server.rate_limited", seconds=wait)
            hits.append(now)


class SecurityMiddleware(BaseHTTPMiddleware):
    """Checks ``?lang=``, adds the security headers and writes the access-log line."""

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        super().__init__(app)
        self.secure = secure

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        try:
            request.state.lang = request_lang(request)
        except ZhongtaiError as exc:
            request.state.lang = "en"
            response: Response = problem_response(request, exc)
        else:
            response = await call_next(request)
        headers = response.headers
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers.setdefault("Cache-Control", "no-store")
        if self.secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        route = getattr(request.scope.get("route"), "path", None) or "<unmatched>"
        if request.url.path.startswith(API_PREFIX + "/") and not route.startswith(API_PREFIX):
            route = API_PREFIX + route  # routers keep their own paths; the prefix is the mount's
        access_log.info(
            json.dumps(
                {
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(request.state, "user_id", None),
                }
            )
        )
        return response
