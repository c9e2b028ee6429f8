"""Signing in, the forced password change of a one-time password, switching language, keyboard use.

Sign-in attempts are budgeted: the server allows 10 per address per 5 minutes (all of these come
from 127.0.0.1), so only the flows about signing in sign in; the others reuse cached sessions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import PASSWORDS, LiveServer, PageWatch

pytestmark = pytest.mark.e2e

OpenPage = Callable[..., PageWatch]


def _focused(page: Any) -> dict[str, Any]:
    """What has the keyboard focus, and whether it is visibly outlined."""
    return dict(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              const style = getComputedStyle(el);
              const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                           || style.boxShadow !== 'none';
              return {tag: el.tagName.toLowerCase(), id: el.id || '', cls: el.className || '',
                      href: el.getAttribute('href') || '', text: (el.innerText || '').trim(),
                      type: el.getAttribute('type') || '', ring: ring};
            }"""
        )
    )


def _tab_until(page: Any, match: Callable[[dict[str, Any]], bool], limit: int = 40) -> list[dict[str, Any]]:
    """Press Tab until ``match(focused)``; the stops on the way (fails after ``limit`` presses)."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = _focused(page)
        stops.append(here)
        if match(here):
            return stops
    raise AssertionError(f"Tab never reached the target; stops: {stops}")


def test_keyboard_only_sign_in_at_1280(open_page: OpenPage, live_server: LiveServer) -> None:
    """The sign-in page by keyboard alone: focus starts in the user name (autofocus); going
    backwards passes the language links and reaches the skip link; Tab goes user name → password →
    submit; Enter in the password field submits; every stop shows a focus ring."""
    watch = open_page(width=1280)
    page = watch.page
    page.goto("/login?next=/explore")
    assert _focused(page)["id"] == "username", "the user name field has the focus on arrival"
    back = []
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        back.append(_focused(page))
        if "skip" in back[-1]["cls"]:
            break
    assert "skip" in back[-1]["cls"], f"the skip link comes first: {back}"
    assert back[-1]["href"] == "#content"
    hrefs = [s["href"] for s in back]
    assert "?lang=zh_CN" in hrefs, "the language links are reachable by keyboard"
    assert "?lang=en" in hrefs
    assert all(s["ring"] for s in back), f"every stop shows a focus ring: {back}"
    assert page.locator("a.skip").is_visible(), "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "content", "the skip link moves focus to <main id=content>"

    stops = _tab_until(page, lambda f: f["id"] == "username")
    assert stops[0]["id"] == "username", "from the main content the first stop is the user name"
    page.keyboard.type("ana")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "password"
    assert _focused(page)["ring"]
    page.keyboard.type(PASSWORDS["ana"])
    page.keyboard.press("Tab")
    submit = _focused(page)
    assert (submit["tag"], submit["type"]) == ("button", "submit")
    assert submit["ring"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter in the password field submits the form
    page.wait_for_url(re.compile(r"/explore$"))
    assert page.locator(".who").inner_text().startswith("ana")


def test_sign_in_on_a_phone_and_sign_out(open_page: OpenPage, live_server: LiveServer) -> None:
    """At 390 px the sign-in form fits the screen (no horizontal scrolling) and works by touch/click."""
    watch = open_page(width=390)
    page = watch.page
    page.goto("/explore")
    page.wait_for_url(re.compile(r"/login\?next=/explore"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_label("User name").fill("vic")
    page.get_by_label("Password").fill(PASSWORDS["vic"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/explore$"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/explore")
    page.wait_for_url(re.compile(r"/login\?next=/explore")), "signed out: pages send back to sign-in"


def test_one_time_password_must_be_changed(open_page: OpenPage, live_server: LiveServer) -> None:
    """A user created without a password signs in with the one-time password, is sent to choose a
    new one, is refused a too-short one with the policy's reason, then is signed in."""
    watch = open_page(width=1280)
    page = watch.page
    watch.expect_status(422, "/password")  # the refused new password (the two differ)
    page.goto("/login?next=/explore")
    page.get_by_label("User name").fill("neo")
    page.get_by_label("Password").fill(live_server.neo_one_time)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert page.get_by_role("alert").is_visible()
    new = "长江黄河泰山华山嵩山衡山"
    assert page.get_by_label("User name").input_value() == "neo"
    page.get_by_label("Current or one-time password").fill(live_server.neo_one_time)
    page.get_by_label("New password (at least 12 characters)").fill(new)
    page.get_by_label("New password again").fill(new + "!")
    page.get_by_role("button", name="Save and sign in").click()
    assert "The two new passwords differ." in page.get_by_role("alert").inner_text()
    page.get_by_label("Current or one-time password").fill(live_server.neo_one_time)
    page.get_by_label("New password (at least 12 characters)").fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Save and sign in").click()
    page.wait_for_url(re.compile(r"/explore$"))
    assert page.locator(".who").inner_text().startswith("neo")


def test_switch_language_shows_chinese_and_wan_yi(open_page: OpenPage, live_server: LiveServer) -> None:
    """The 中文 link turns the console Chinese and stays chosen; big numbers read 万/亿."""
    watch = open_page("ana", width=1280, lang="en")
    page = watch.page
    page.goto("/explore?metric=gmv&grain=year")
    assert page.get_by_role("heading", name="Metric explorer").is_visible()
    page.get_by_role("link", name="中文").click()
    page.wait_for_url(re.compile(r"lang=zh_CN"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", name="指标探索").is_visible()
    page.goto("/explore?metric=gmv&grain=year")  # the choice is remembered without ?lang=
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    cells = page.locator("#explore-result table td").all_inner_texts()
    assert any(re.search(r"\d(\.\d+)?(万|亿)", c) for c in cells), f"GMV in 万/亿: {cells}"
    page.wait_for_selector("[data-name='explore-chart'][data-drawn='1']")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.get_by_role("heading", name="Metric explorer").is_visible()
