"""Signing in to the console the way a browser does (GET /login for the login token, POST the form)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from server_support import PASSWORDS, Server

_CSRF = re.compile(r'"X-CSRF-Token": "([^"]+)"')


def sign_in(server: Server, user: str, *, lang: str | None = None) -> TestClient:
    """A client with a console session of ``user`` (its CSRF token in ``client.csrf``)."""
    client = server.client(follow_redirects=False)
    client.get("/login")
    password = PASSWORDS[user]
    answer = client.post(
        "/login",
        data={"username": user, "password": password, "login_token": client.cookies["zt_login"], "next": "/"},
    )
    assert answer.status_code == 303, answer.text
    page = client.get("/explore" + (f"?lang={lang}" if lang else ""))
    found = _CSRF.search(page.text)
    assert found, "signed-in pages carry the CSRF token for HTMX"
    client.csrf = found.group(1)  # type: ignore[attr-defined]
    return client
