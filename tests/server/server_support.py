"""Helpers of the server tests (a uniquely named module: test files import from it, never from
``conftest``, whose module name several packages share)."""

from __future__ import annotations

import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

with warnings.catch_warnings():
    # Starlette 1.10 deprecates httpx inside its TestClient in favour of httpx2, which is not a
    # dependency here; the client still speaks real HTTP/1.1 semantics through httpx over ASGI.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from support import FAST_HASHER
from zhongtai.appdb import CreateTokenCommand, CreateUserCommand, owner_principal
from zhongtai.appdb.passwords import Hasher
from zhongtai.policy import Role
from zhongtai.policy.roles import ROLE_PERMISSIONS
from zhongtai.server import create_app
from zhongtai.warehouse.identity import resolve_identities
from zhongtai.workspace import open_workspace

PASSWORD = "长城长江黄河泰山华山"  # 10 characters; each account's suffix makes 12 (the policy's minimum)
PASSWORDS = {
    "ana": PASSWORD + "分析",
    "opa": PASSWORD + "运营",
    "vic": PASSWORD + "查看",
}
ROLES = {"ana": Role.ANALYST, "opa": Role.OPERATOR, "vic": Role.VIEWER}


@dataclass
class Server:
    app: FastAPI
    path: Path
    tokens: dict[str, str]
    """Full-scope API tokens by user name ("admin" is the owner)."""

    def client(self, user: str | None = None, **kwargs: object) -> TestClient:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return TestClient(self.app, headers=headers, **kwargs)  # type: ignore[arg-type]


def prepare(source: Path, target: Path) -> dict[str, str]:
    shutil.copytree(source, target)
    with open_workspace(target) as ws:
        resolve_identities(ws.warehouse, mode="full")
        app = ws.app
        app.hasher = Hasher(FAST_HASHER)
        owner = owner_principal(app, via="test")
        for name, role in ROLES.items():
            CreateUserCommand(app, owner, name, role, password=PASSWORDS[name]).run()
        tokens = {}
        for name, role in {"admin": Role.ADMIN, **ROLES}.items():
            scopes = sorted(str(p) for p in ROLE_PERMISSIONS[role])
            tokens[name] = CreateTokenCommand(app, owner, f"test-{name}", username=name, scopes=scopes).run().text
    return tokens


def make_app(path: Path, **options: object) -> FastAPI:
    app = create_app(path, **options)  # type: ignore[arg-type]
    app.state.zhongtai.workspace.app.hasher = Hasher(FAST_HASHER)
    return app


def problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    """Assert ``response`` is an RFC 9457 problem with ``status`` and ``code``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:zhongtai:error:{code}"
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert "title" in body
    assert "instance" in body
    return body
