"""End-to-end fixtures: a real ``zhongtai serve`` process over a copy of the demo shop, driven by a
real Chromium through Playwright (see ``e2e_support`` for the helpers and the reasons).

Session scope: one copy of the cached demo shop (accounts as in ``tests/server``: ana analyst, opa
operator, vic viewer, plus the admin with a known password and ``neo``, a user with a one-time
password), one server process on a free loopback port, one browser. Function scope: a fresh
browser context per page, checked at the end for console errors, page errors and CSP violations.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import (
    ADMIN_PASSWORD,
    CHROMIUM_ARGS,
    LiveServer,
    PageWatch,
    chromium_path,
    sign_in_ui,
)

from server.server_support import prepare
from support import FAST_HASHER
from zhongtai.appdb import CreateUserCommand, ResetPasswordCommand, owner_principal
from zhongtai.appdb.passwords import Hasher
from zhongtai.policy import Role
from zhongtai.workspace import open_workspace

START_TIMEOUT = 90.0
"""Seconds the server may take to answer its first request (opening the shop, loading the app)."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _zhongtai_command() -> list[str]:
    script = Path(sys.executable).with_name("zhongtai")
    if script.exists():
        return [str(script)]
    found = shutil.which("zhongtai")
    if found is None:
        pytest.fail("the zhongtai console script is not installed in this environment (run `make sync`)")
    return [found]


def _prepare_shop(demo_shop: Path, target: Path) -> tuple[dict[str, str], str]:
    """Copy the shop with the test accounts; give the admin a known password; add ``neo`` with a
    one-time password (the forced-change flow). Returns the API tokens and neo's one-time password."""
    tokens = prepare(demo_shop, target)
    with open_workspace(target) as ws:
        app = ws.app
        app.hasher = Hasher(FAST_HASHER)
        owner = owner_principal(app, via="test")
        ResetPasswordCommand(app, owner, "admin", password=ADMIN_PASSWORD).run()
        created = CreateUserCommand(app, owner, "neo", Role.ANALYST).run()
    assert created.one_time_password, "a user created without a password gets a one-time password"
    return tokens, created.one_time_password


@pytest.fixture(scope="session")
def live_server(demo_shop: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``zhongtai serve`` as a separate process on a free loopback port, over a copy of the shop."""
    chromium_path()  # skip (or fail under CI) before the expensive part when there is no browser
    base = tmp_path_factory.mktemp("e2e")
    shop = base / "shop"
    tokens, one_time = _prepare_shop(demo_shop, shop)
    port = _free_port()
    log_path = base / "serve.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [*_zhongtai_command(), "serve", "--workspace", str(shop), "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = LiveServer(f"http://127.0.0.1:{port}", shop, tokens, one_time, proc, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"zhongtai serve exited with {proc.returncode} before answering:\n{server.log_tail()}")
            try:
                if httpx.get(server.url + "/login", timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"zhongtai serve did not answer within {START_TIMEOUT:.0f} s:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(autouse=True)
def _server_alive(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the server: fail with its log if the process died meanwhile."""
    yield
    if "live_server" in request.fixturenames:
        server: LiveServer = request.getfixturevalue("live_server")
        if server.proc.poll() is not None:
            pytest.fail(f"zhongtai serve died (exit {server.proc.returncode}):\n{server.log_tail()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the session (``playwright install`` cannot work here)."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def sessions(browser: Any, live_server: LiveServer) -> Callable[[str], dict[str, Any]]:
    """Cookies of one console session per user, signed in through the page once and reused.

    The server allows 10 sign-in attempts per address per 5 minutes and every browser here comes
    from 127.0.0.1, so flows that are not about signing in reuse these sessions."""
    cache: dict[str, dict[str, Any]] = {}

    def get(user: str) -> dict[str, Any]:
        if user not in cache:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            try:
                page = context.new_page()
                sign_in_ui(page, live_server, user)
                cache[user] = context.storage_state()
            finally:
                context.close()
        return cache[user]

    return get


@pytest.fixture
def open_page(
    browser: Any, live_server: LiveServer, sessions: Callable[[str], dict[str, Any]]
) -> Iterator[Callable[..., PageWatch]]:
    """``open_page(user=None, width=1280, lang="en")``: a page in a fresh context (signed in as
    ``user`` when given). At teardown every page must be free of console errors, uncaught errors
    and Content-Security-Policy violations."""
    opened: list[tuple[Any, PageWatch]] = []

    def make(user: str | None = None, *, width: int = 1280, lang: str = "en", downloads: bool = False) -> PageWatch:
        locale = "zh-CN" if lang == "zh_CN" else "en-US"
        context = browser.new_context(
            viewport={"width": width, "height": 900 if width > 600 else 844},
            locale=locale,
            storage_state=sessions(user) if user else None,
            accept_downloads=downloads,
            base_url=live_server.url,
        )
        context.set_default_timeout(20_000)
        watch = PageWatch.attach(context.new_page())
        opened.append((context, watch))
        return watch

    yield make
    problems: list[str] = []
    for context, watch in opened:
        problems.extend(watch.problems())
        context.close()
    assert not problems, "browser reported problems:\n" + "\n".join(problems)
