"""``/login``, ``/logout`` and ``/password``: the console's session pages.

Sign-in uses the same function as ``POST /api/v1/session`` (:func:`zhongtai.server.auth.sign_in`:
per-address limit, then the app-state password check and lock-out) and sets the same session
cookie. The sign-in form itself is protected against login CSRF by a double-submit token: ``GET
/login`` sets a random ``zt_login`` cookie (HttpOnly, SameSite=Strict) and puts the same value in
the form; ``POST /login`` refuses a form whose token does not match. An account whose password was
set by an admin (the first admin's one-time password included) is sent to ``/password`` to choose
its own first.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhongtai.appdb import change_password
from zhongtai.errors import ZhongtaiError
from zhongtai.server.auth import COOKIE, clear_session_cookie, server_state, set_session_cookie, sign_in
from zhongtai.server.errors import CsrfError
from zhongtai.server.pages.access import page_principal, safe_next
from zhongtai.server.pages.i18n import gettext
from zhongtai.server.pages.templating import render

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "zt_login"


def _login_token(request: Request) -> str:
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def _form(request: Request, template: str, context: dict[str, object], status: int = 200) -> Response:
    token = _login_token(request)
    response = render(request, template, {**context, "login_token": token}, status=status)
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=server_state(request).secure_cookies, path="/"
    )
    return response


def _check_login_token(request: Request, sent: str) -> None:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfError("server.csrf_failed", header="login_token")


def _signed_in(request: Request, username: str, password: str, next_path: str) -> Response:
    sid, session = sign_in(request, username, password)
    request.state.user_id = session.principal.user_id
    response = RedirectResponse(safe_next(next_path), status_code=303)
    set_session_cookie(request, response, sid)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


def _message(request: Request, exc: ZhongtaiError) -> str:
    return str(exc.to_dict(str(getattr(request.state, "lang", "en")))["message"])


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _form(request, "session/login.html", {"next": safe_next(next), "username": ""})


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    _check_login_token(request, login_token)
    try:
        return _signed_in(request, username, password, next)
    except ZhongtaiError as exc:
        context: dict[str, object] = {"next": safe_next(next), "username": username, "error": _message(request, exc)}
        if exc.code == "auth.password_change_required":
            return _form(request, "session/password.html", context, status=200)
        return _form(request, "session/login.html", context, status=exc.status)


@router.get("/password")
def password_page(request: Request, next: str = "/", username: str = "") -> Response:
    return _form(request, "session/password.html", {"next": safe_next(next), "username": username[:64]})


@router.post("/password")
def password(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    repeat: Annotated[str, Form(max_length=1024)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Change one's own password, then sign in with the new one."""
    _check_login_token(request, login_token)
    context: dict[str, object] = {"next": safe_next(next), "username": username}
    if new != repeat:
        context["error"] = gettext(str(getattr(request.state, "lang", "en")), "The two new passwords differ.")
        return _form(request, "session/password.html", context, status=422)
    try:
        change_password(server_state(request).workspace.app, username, current, new, via="web:password")
        return _signed_in(request, username, new, next)
    except ZhongtaiError as exc:
        context["error"] = _message(request, exc)
        problems = getattr(exc, "problems", None)
        if problems:
            lang = str(getattr(request.state, "lang", "en"))
            context["problems"] = [p.to_dict(lang)["message"] for p in problems]
        return _form(request, "session/password.html", context, status=exc.status)


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session (CSRF-checked like every state-changing request)."""
    page_principal(request)
    sid = request.cookies.get(COOKIE)
    if sid:
        request.app.state.sessions.drop(sid)
    response: Response = RedirectResponse("/login", status_code=303)
    if request.headers.get("hx-request") == "true":
        response = Response(status_code=200, headers={"HX-Redirect": "/login"})
    clear_session_cookie(response)
    return response
