"""Security headers, the per-address sign-in limiter, the language check and the access log.

Headers follow the OWASP Secure Headers Project: a strict Content-Security-Policy with no third
party origin at all (the console's scripts are served by the app itself), ``frame-ancestors
'none'`` against click-jacking, ``nosniff``, no referrer, and ``Strict-Transport-Security`` when
the server runs behind TLS (``--secure``). API answers are ``Cache-Control: no-store``.

The access log has one JSON line per request on the ``zhongtai.server.access`` logger: method,
the *route template* (``/api/v1/customers/{member_id}``, so no member id, e-mail or token ever
lands in the log), status, milliseconds and the acting user's numeric id. Query strings,
headers and client addresses are not logged.

Every answer carries ``Server-Timing: app;dur=<ms>`` (W3C Server Timing): the same milliseconds as
the access log, from this middleware's entry to the response head (routing, authentication, the
query, rendering and gzip of a non-streamed body; not sending it). ``benchmarks/console_serve.py``
reads it to separate server time from the client's wall time.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from typing import Any

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class SecurityMiddleware:
    """Checks ``?lang=``, adds the security headers and ``Server-Timing``, writes the access-log line.

    A plain ASGI middleware (not Starlette's ``BaseHTTPMiddleware``, whose per-request task group
    and body streams cost a noticeable share of a cached answer): the headers are added to the
    response's start message as it passes, and the access-log line is written at that moment, with
    the same milliseconds as ``Server-Timing``.
    """

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope)
        state = scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._decorate(scope, message, state, started)
            await send(message)

        try:
            state["lang"] = request_lang(request)
        except ZhongtaiError as exc:
            state["lang"] = "en"
            await problem_response(request, exc)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _decorate(self, scope: Scope, message: Message, state: dict[str, Any], started: float) -> None:
        headers = MutableHeaders(scope=message)
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if "cache-control" not in headers:
            headers["Cache-Control"] = "no-store"
        if self.secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        path = scope.get("path", "")
        route = getattr(scope.get("route"), "path", None) or "<unmatched>"
        if path.startswith(API_PREFIX + "/") and not route.startswith(API_PREFIX):
            route = API_PREFIX + route  # routers keep their own paths; the prefix is the mount's
        ms = round((time.perf_counter() - started) * 1000, 1)
        headers["Server-Timing"] = "app;dur=" + str(ms)
        access_log.info(
            json.dumps(
                {
                    "method": scope.get("method"),
                    "route": route,
                    "status": message["status"],
                    "ms": ms,
                    "user_id": state.get("user_id"),
                }
            )
        )
