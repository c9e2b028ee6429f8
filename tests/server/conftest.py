"""The server under test: a COPY of the cached demo shop (tests write to it), with identities
resolved, four accounts (admin owner, analyst, operator, viewer) and an httpx client per need."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server_support import Server, make_app, prepare


@pytest.fixture(scope="module")
def server(demo_shop: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("server") / "shop"
    tokens = prepare(demo_shop, path)
    app = make_app(path, login_limit=1000)  # the limiter has its own test (limited_server)
    yield Server(app, path, tokens)
    app.state.zhongtai.close()


@pytest.fixture
def limited_server(demo_shop: Path, tmp_path: Path) -> Iterator[Server]:
    """A server whose sign-in limiter allows 3 attempts per address per minute."""
    path = tmp_path / "shop"
    tokens = prepare(demo_shop, path)
    app = make_app(path, login_limit=3, login_window=60.0)
    yield Server(app, path, tokens)
    app.state.zhongtai.close()


@pytest.fixture
def secure_server(demo_shop: Path, tmp_path: Path) -> Iterator[Server]:
    """A server started with ``secure=True`` (behind TLS)."""
    path = tmp_path / "shop"
    tokens = prepare(demo_shop, path)
    app = make_app(path, secure=True)
    yield Server(app, path, tokens)
    app.state.zhongtai.close()
