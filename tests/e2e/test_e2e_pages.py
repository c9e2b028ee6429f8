"""Every page of the navigation, in Chinese, renders cleanly: Chinese text, every chart drawn, no
console error, no uncaught error, no Content-Security-Policy violation (checked by ``open_page``).
The overview and the explorer also at phone width without sideways scrolling. The pages are taken
from the navigation the admin sees, so a capability that adds its page is covered here at once.

With ``ZHONGTAI_SCREENSHOTS=1`` (``make screenshots``) each page is saved to docs/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import LiveServer, PageWatch, screenshot

pytestmark = pytest.mark.e2e

OpenPage = Callable[..., PageWatch]
EXPLORE = "/explore?metric=gmv&metric=orders&by=channel&grain=month"
CJK = re.compile(r"[\u4e00-\u9fff]")
MASKED_PHONE = re.compile(r"1[3-9]\d\*{4}\d{4}")


def _all_charts_drawn(page: Any) -> int:
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-spec]')).every(e => e.dataset.drawn === '1')"
    )
    return int(page.locator("[data-spec]").count())


def _name(path: str) -> str:
    return (path.strip("/").split("?")[0].replace("/", "-") or "overview") + "-zh"


def test_every_nav_page_in_chinese_at_1280(open_page: OpenPage, live_server: LiveServer) -> None:
    watch = open_page("admin", width=1280, lang="zh_CN")
    page = watch.page
    page.goto("/?lang=zh_CN")
    paths = [str(a.get_attribute("href")) for a in page.locator("header nav a").all()]
    members: list[str] = []
    assert "/" in paths
    assert "/explore" in paths
    for path in paths:
        target = EXPLORE if path == "/explore" else path
        answer = page.goto(target)
        assert answer is not None
        assert answer.status == 200, f"{target}: {answer.status}"
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        heading = page.locator("main h1").first.inner_text()
        assert CJK.search(heading), f"{target}: the heading is Chinese ({heading!r})"
        drawn = _all_charts_drawn(page)
        if path in ("/", "/explore"):
            assert drawn > 0, f"{target} shows charts"
        # the explorer's table runs to 100+ rows: its picture is the first screen (form, chart)
        screenshot(page, f"{_name(path)}-1280", full_page=path != "/explore")
        if path == "/customers":
            page.locator("#members-table tbody a[href^='/customers/']").first.click()
            page.wait_for_url(re.compile(r"/customers/[^/?]+$"))
            assert CJK.search(page.locator("main h1").inner_text())
            members.append(page.locator("#member-id").inner_text())
    # The 360 for the docs as an analyst sees it: personal data masked (a mainland mobile as 138****1234).
    analyst = open_page("ana", width=1280, lang="zh_CN").page
    for member in members:
        analyst.goto(f"/customers/{member}")
        assert MASKED_PHONE.search(analyst.locator("#section-accounts").inner_text())
        screenshot(analyst, "customer-360-masked-zh-1280")


def test_signed_out_login_page_in_chinese(open_page: OpenPage, live_server: LiveServer) -> None:
    page = open_page(None, width=1280, lang="zh_CN").page
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN", "Accept-Language zh-CN picks Chinese"
    assert page.get_by_role("heading", name="登录").is_visible()
    screenshot(page, "login-zh-1280")


@pytest.mark.parametrize("path", ["/", EXPLORE])
def test_overview_and_explorer_on_a_phone(open_page: OpenPage, live_server: LiveServer, path: str) -> None:
    page = open_page("ana", width=390, lang="zh_CN").page
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert _all_charts_drawn(page) > 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "no sideways page scroll"
    nav = page.locator("header nav a").first
    box = nav.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390, "the navigation stays on screen"
    screenshot(page, f"{_name(path)}-390", full_page=False)


def test_the_watch_catches_csp_violations_and_console_errors(open_page: OpenPage, live_server: LiveServer) -> None:
    """The "no CSP violation, no console error" checks of every page can fail: an inline style
    attribute (forbidden by ``style-src 'self'``) and a console error are both caught."""
    watch = open_page(None, width=1280)
    page = watch.page
    page.goto("/login")
    page.evaluate("() => document.querySelector('h1').setAttribute('style', 'color: red')")
    page.evaluate("() => console.error('planted by the test')")
    for _ in range(50):  # the reports arrive as events; let Playwright deliver them
        if watch.csp and len(watch.console_errors) >= 2:
            break
        page.wait_for_timeout(100)
    assert any("style-src" in v for v in watch.csp), watch.csp
    assert any("planted by the test" in e for e in watch.console_errors), watch.console_errors
    watch.csp.clear()  # planted on purpose; the fixture checks the rest
    watch.console_errors.clear()
