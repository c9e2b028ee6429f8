"""Building and sharing a dashboard in the browser, and seeing it as the other users.

ana (analyst) builds a board, adds a KPI tile and a line chart tile, shares it with vic (viewer) for
viewing; vic finds it under "Shared with me" and sees the drawn tiles but no edit/share controls;
opa (operator), with whom nothing was shared, gets "not found" (the rule of
src/zhongtai/appdb/dashboards.py: a dashboard outside one's sight is a 404, so its existence is not
revealed). The built-in 28-indicator promo war room copies into one's own boards and draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import LiveServer, PageWatch, screenshot

pytestmark = pytest.mark.e2e

OpenPage = Callable[..., PageWatch]
BOARD = "E2E 大促日报"


def _add_tile(page: Any, visual: str, metric: str, grain: str, width: str, version: int) -> None:
    form = page.locator("#add-tile")
    form.get_by_label("Visual").select_option(visual)
    form.get_by_label("Metrics").select_option([metric])
    form.get_by_label("Time grain").select_option(grain)
    form.get_by_label("Width (of 12 columns)").select_option(width)
    form.get_by_role("button", name="Add tile").click()
    page.get_by_role("status").filter(has_text=f"Saved (version {version})").wait_for()


@pytest.mark.parametrize("width", [1280, 390])
def test_build_share_and_see_as_the_other_users(open_page: OpenPage, live_server: LiveServer, width: int) -> None:
    name = f"{BOARD} {width}"
    owner = open_page("ana", width=width)
    page = owner.page
    page.goto("/dashboards")
    page.get_by_label("New dashboard name").fill(name)
    page.get_by_role("button", name="Create and edit").click()
    page.wait_for_url(re.compile(r"/dashboards/\d+/edit$"))
    board_id = int(re.findall(r"/dashboards/(\d+)/edit", page.url)[0])
    _add_tile(page, "kpi", "gmv", "", "3", version=2)
    _add_tile(page, "line", "orders", "day", "6", version=3)
    assert page.locator("ol.tiles-editor > li").count() == 2
    page.get_by_role("link", name="Back to the dashboard").click()
    page.wait_for_url(re.compile(rf"/dashboards/{board_id}$"))
    page.wait_for_selector("[data-name='tile-1-chart'][data-drawn='1']")
    assert page.locator("#board article.tile").count() == 2
    assert page.get_by_role("heading", name=name).is_visible()

    page.get_by_role("link", name="Share").click()
    page.get_by_label("Single users, one per line: user name, then view or edit").fill("vic view")
    page.get_by_role("button", name="Save sharing").click()
    page.wait_for_url(re.compile(rf"/dashboards/{board_id}$"))

    viewer = open_page("vic", width=width).page
    viewer.goto("/dashboards")
    shared = viewer.get_by_role("list", name="Shared with me")
    shared.get_by_role("link", name=name).click()
    viewer.wait_for_url(re.compile(rf"/dashboards/{board_id}$"))
    viewer.wait_for_selector("[data-name='tile-1-chart'][data-drawn='1']")
    assert viewer.locator("#board article.tile").count() == 2
    assert "ana" in viewer.locator("main p.muted").first.inner_text(), "the owner is named"
    assert viewer.get_by_role("link", name="Edit tiles").count() == 0, "view access: no editing"
    assert viewer.get_by_role("link", name="Share").count() == 0
    assert viewer.get_by_role("button", name="Delete").count() == 0

    stranger_watch = open_page("opa", width=width)
    stranger_watch.expect_status(404, f"/dashboards/{board_id}")
    stranger = stranger_watch.page
    answer = stranger.goto(f"/dashboards/{board_id}")
    assert answer is not None
    assert answer.status == 404, "not shared with opa: the board is not found"
    assert name not in stranger.content()
    stranger.goto("/dashboards")
    assert stranger.get_by_role("link", name=name).count() == 0


def test_copy_the_28_indicator_war_room(open_page: OpenPage, live_server: LiveServer) -> None:
    """The built-in promo war room (28 tiles) copies into the user's boards and every chart draws."""
    watch = open_page("ana", width=1280, lang="zh_CN")
    page = watch.page
    page.goto("/dashboards?lang=zh_CN")
    card = page.locator("li.tile").filter(has_text="大促作战室")
    card.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/dashboards/\d+$"))
    assert page.locator("#board article.tile").count() == 28
    charts = page.locator("#board [data-spec]")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#board [data-spec]')).every(e => e.dataset.drawn === '1')"
    )
    assert charts.count() > 0
    screenshot(page, "dashboard-war-room-zh-1280")
