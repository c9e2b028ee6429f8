"""Helpers of the end-to-end tests (a uniquely named module; test files import from it).

The browser is Debian's Chromium driven by Playwright's sync API (pytest-playwright is not a
dependency and ``playwright install`` cannot download its own build here; STACK.md §7). Without
``/usr/bin/chromium`` (or ``ZHONGTAI_CHROMIUM``) the tests skip with the reason, except under
``CI=true`` where they fail: CI must run them (``make sysdeps`` installs chromium).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from server.server_support import PASSWORDS as SERVER_PASSWORDS
from support import REPO, unavailable

ADMIN_PASSWORD = "长城长江黄河泰山华山管理"
"""The admin's password in the e2e shop (12 characters, the policy's minimum)."""
PASSWORDS = {**SERVER_PASSWORDS, "admin": ADMIN_PASSWORD}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")
SCREENSHOTS = REPO / "docs" / "screenshots"

# Reported by the page itself (Playwright's init scripts are not subject to the page's CSP), so a
# violation is caught even when Chromium would not print it to the console.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.ztReportCsp(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + (e.sourceFile || location.pathname) + ":" + e.lineNumber);
}, true);
"""


def chromium_path() -> str:
    """The Chromium executable, or skip (fail under CI) with the reason."""
    path = os.environ.get("ZHONGTAI_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        unavailable(
            "Chromium",
            f"{path} not found",
            needed_by="the end-to-end tests (tests/e2e)",
            hint="apt-get install chromium fonts-noto-cjk (make sysdeps does it as root)",
        )
    return path


@dataclass
class LiveServer:
    """The running ``zhongtai serve`` process."""

    url: str
    shop: Path
    tokens: dict[str, str]
    """Full-scope API tokens by user name ("admin" is the owner)."""
    neo_one_time: str
    """The one-time password of ``neo`` (analyst, must choose a new password at first sign-in)."""
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, chars: int = 6000) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return text[-chars:] or "(the server wrote nothing)"


@dataclass
class PageWatch:
    """A Playwright page plus everything it reported that a clean page must not."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    expected: set[tuple[int, str]] = field(default_factory=set)
    """(status, path) answers the test provokes on purpose (a refused form, a missing page): the
    browser logs them as "Failed to load resource", which is not a fault of the page."""

    def expect_status(self, status: int, path: str) -> None:
        self.expected.add((status, path))

    def _console(self, message: Any) -> None:
        if message.type == "error" and not self._expected(message):
            self.console_errors.append(f"{message.text} (on {self.page.url}, from {message.location.get('url')})")

    def _expected(self, message: Any) -> bool:
        found = _FAILED_LOAD.search(message.text)
        if not found:
            return False
        url = urlsplit(str(message.location.get("url", "")))
        return (int(found.group(1)), url.path) in self.expected

    @classmethod
    def attach(cls, page: Any) -> PageWatch:
        watch = cls(page)
        page.expose_function("ztReportCsp", lambda text: watch.csp.append(f"{text} (on {page.url})"))
        page.add_init_script(_CSP_LISTENER)
        page.on("console", watch._console)
        page.on("pageerror", lambda e: watch.page_errors.append(f"{e} (on {page.url})"))
        return watch

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"uncaught error: {e}" for e in self.page_errors]
            + [f"CSP violation: {e}" for e in self.csp]
        )


def sign_in_ui(page: Any, server: LiveServer, user: str, *, password: str | None = None) -> None:
    """Sign in through the real form (the only way a browser gets a session)."""
    page.goto(server.url + "/login")
    page.locator("#username").fill(user)
    page.locator("#password").fill(password or PASSWORDS[user])
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path | None:
    """Save ``docs/screenshots/<name>.png`` when ``ZHONGTAI_SCREENSHOTS=1`` (``make screenshots``);
    otherwise nothing, so ``make test`` leaves the tree clean."""
    if os.environ.get("ZHONGTAI_SCREENSHOTS", "").strip() != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(target), full_page=full_page)
    return target
