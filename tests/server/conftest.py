"""The server under test: a COPY of the cached demo shop (tests write to it), with identities
resolved, four accounts (admin owner, analyst, operator, viewer) and an httpx client per need."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

with warnings.catch_warnings():
    # Starlette 1.10 deprecates httpx inside its TestClient in favour of httpx2, which is not a
    # dependency here; the client still speaks real HTTP/1.1 semantics through httpx over ASGI.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

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
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""argon2 with minimal cost: the tests check behaviour, not hashing strength (STACK.md §6)."""


@dataclass
class Server:
    app: FastAPI
    path: Path
    tokens: dict[str, str]
    """Full-scope API tokens by user name ("admin" is the owner)."""

    def client(self, user: str | None = None, **kwargs: object) -> TestClient:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return TestClient(self.app, headers=headers, **kwargs)  # type: ignore[arg-type]


def _prepare(source: Path, target: Path) -> dict[str, str]:
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


def _app(path: Path, **options: object) -> FastAPI:
    app = create_app(path, **options)  # type: ignore[arg-type]
    app.state.zhongtai.workspace.app.hasher = Hasher(FAST_HASHER)
    return app


@pytest.fixture(scope="module")
def server(demo_shop: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("server") / "shop"
    tokens = _prepare(demo_shop, path)
    app = _app(path, login_limit=1000)  # the limiter has its own test (limited_server)
    yield Server(app, path, tokens)
    app.state.zhongtai.close()


@pytest.fixture
def limited_server(demo_shop: Path, tmp_path: Path) -> Iterator[Server]:
    """A server whose sign-in limiter allows 3 attempts per address per minute."""
    path = tmp_path / "shop"
    tokens = _prepare(demo_shop, path)
    app = _app(path, login_limit=3, login_window=60.0)
    yield Server(app, path, tokens)
    app.state.zhongtai.close()


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


@pytest.fixture
def secure_server(demo_shop: Path, tmp_path: Path) -> Iterator[Server]:
    """A server started with ``secure=True`` (behind TLS)."""
    path = tmp_path / "shop"
    tokens = _prepare(demo_shop, path)
    app = _app(path, secure=True)
    yield Server(app, path, tokens)
    app.state.zhongtai.close()
