"""The quality, alerts, ingest and customer pages in a real Chromium: they fit a phone (390 px) and a
desktop (1280 px) without sideways scrolling of the page, draw their charts, take a bad file through
the upload form into a readable quarantine report, and show an analyst masked customer data.
Every page is also checked by the ``open_page`` fixture for console errors and CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from e2e_support import LiveServer, PageWatch, screenshot

from support import orders_mapping_yaml

pytestmark = pytest.mark.e2e

OpenPage = Callable[..., PageWatch]
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
BAD_DATES = (
    "订单编号,下单时间,订单金额,买家,商品编码,数量,单价\n"
    "9001,昨天下午,10,buyer_f,SKU-1,1,10\n"
    "9002,2025-13-45 10:00,10,buyer_g,SKU-1,1,10\n"
    "9003,2025-03-08 10:00,10,buyer_h,SKU-1,1,10\n"
)
MAPPING_YAML = orders_mapping_yaml("e2e_orders")


@pytest.mark.parametrize("width", [1280, 390])
def test_ops_pages_fit_the_screen_and_draw(open_page: OpenPage, width: int) -> None:
    watch = open_page("ana", width=width)
    page: Any = watch.page
    page.goto("/quality")
    page.wait_for_selector("[id^='quality-trend-'][data-drawn='1'] svg")
    assert page.evaluate(FITS), "the quality page scrolls sideways"
    screenshot(page, f"quality-{width}")
    for path in ("/alerts", "/ingest", "/customers"):
        page.goto(path)
        page.wait_for_selector("main h1")
        assert page.evaluate(FITS), f"{path} scrolls sideways at {width} px"
        screenshot(page, f"{path.strip('/')}-{width}")
    page.goto("/quality")
    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=failed**")
    page.wait_for_selector("[id^='quality-trend-'][data-drawn='1'] svg")  # the swapped board drew again
    badges = page.locator("#quality-tables tbody .badge").all_inner_texts()
    assert badges
    assert set(badges) == {"failed"}


def test_a_bad_file_ends_in_a_quarantine_report(open_page: OpenPage, tmp_path: Path) -> None:
    data, mapping = tmp_path / "bad-dates.csv", tmp_path / "m.yaml"
    data.write_text(BAD_DATES, encoding="utf-8")
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    watch = open_page("ana", width=390)
    page: Any = watch.page
    page.goto("/ingest")
    page.get_by_label("File (CSV, Excel, Parquet or JSON Lines)").set_input_files(str(data))
    page.get_by_label("Source system").fill("e2e")
    page.get_by_label("Mapping YAML (optional)").set_input_files(str(mapping))
    page.get_by_role("button", name="Upload and load").click()
    page.wait_for_selector("#ingest-report #quarantine-rows")
    report = page.locator("#ingest-report").inner_text()
    assert "The file was not loaded." in report
    rows = page.locator("#quarantine-rows tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert all("order_time" in r for r in rows)
    assert page.evaluate(FITS)
    screenshot(page, "ingest-quarantine-390")


def test_an_analyst_sees_the_customer_360_masked(
    open_page: OpenPage, live_server: LiveServer, demo_db: duckdb.DuckDBPyConnection
) -> None:
    row = demo_db.execute(
        "SELECT member_id, phone FROM customers WHERE regexp_full_match(phone, '1[3-9][0-9]{9}') "
        "AND member_id IS NOT NULL ORDER BY member_id LIMIT 1"
    ).fetchone()
    assert row is not None
    member, phone = str(row[0]), str(row[1])
    watch = open_page("ana", width=390, lang="zh_CN")
    page: Any = watch.page
    page.goto("/customers")
    page.locator("#c-member").fill(member)
    page.keyboard.press("Enter")
    page.wait_for_selector("#section-accounts")
    text = page.locator("#section-accounts").inner_text()
    assert phone[:3] + "****" + phone[-4:] in text
    assert phone not in page.content()
    assert page.evaluate(FITS)
