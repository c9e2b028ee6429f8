"""Exploring a metric in the browser: pick metrics, a breakdown and a grain, run, see the chart drawn,
the table and the SQL, download the CSV — at 1280 px, at 390 px and by keyboard alone.

The CSV's numbers are checked against the warehouse directly (a hand-written query on the cached
demo shop, independent of the metric layer): GMV is the sum of ``paid_amount`` over paid orders
and orders the count of paid orders (src/zhongtai/metrics/catalogue/sales.yaml and
semantic_models.yaml), so the per-channel-per-year rows must add up to those totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from e2e_support import LiveServer, PageWatch

pytestmark = pytest.mark.e2e

OpenPage = Callable[..., PageWatch]


def _paid_totals(db: duckdb.DuckDBPyConnection) -> tuple[Decimal, int]:
    row = db.execute("SELECT sum(paid_amount), count(*) FROM orders WHERE paid_at IS NOT NULL").fetchone()
    assert row is not None
    return Decimal(str(row[0])), int(row[1])


def _pick(page: Any, select: str, values: list[str]) -> None:
    page.locator(select).select_option(values)


def _check_result(page: Any) -> None:
    """Wait for the chart to be drawn, or fail at once with what the page shows instead (an error
    lands in ``#flash``)."""
    page.wait_for_function(
        "() => document.querySelector(\"[data-name='explore-chart'][data-drawn='1']\")"
        " || document.querySelector('#flash').textContent.trim()"
    )
    flash = page.locator("#flash").inner_text().strip()
    assert page.locator("[data-name='explore-chart'][data-drawn='1']").count() == 1, (
        f"no chart at {page.url}; flash: {flash!r}"
    )
    assert page.locator("[data-name='explore-chart'] svg").count() == 1, "ECharts drew an SVG"
    assert page.locator("#explore-result table tbody tr").count() > 0
    page.locator("#explore-result summary").click()  # the SQL is folded in a <details>
    sql = page.locator("#explore-result pre.sql").inner_text()
    assert "SELECT" in sql.upper()


@pytest.mark.parametrize("width", [1280, 390])
def test_explore_chart_table_sql_and_csv(
    open_page: OpenPage, live_server: LiveServer, demo_db: duckdb.DuckDBPyConnection, width: int
) -> None:
    """A shared exploration link (what the form pushes to the address bar) shows the chart, the
    table and the SQL, keeps the form filled in, and its CSV adds up to the warehouse's totals."""
    watch = open_page("ana", width=width, downloads=True)
    page = watch.page
    page.goto("/explore?metric=gmv&metric=orders&by=channel&grain=year")
    _check_result(page)
    assert page.get_by_label("Metrics").evaluate("el => Array.from(el.selectedOptions).map(o => o.value)") == [
        "gmv",
        "orders",
    ]
    assert page.get_by_label("Time grain").input_value() == "year"
    headers = page.locator("#explore-result thead th").all_inner_texts()
    assert "GMV" in headers
    assert "Orders" in headers
    if width == 390:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "no sideways page scroll"

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "zhongtai-gmv-orders.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "the CSV has rows"
    assert {"gmv", "orders"} <= set(rows[0])
    gmv, orders = _paid_totals(demo_db)
    assert sum(Decimal(r["gmv"]) for r in rows if r["gmv"]) == gmv
    assert sum(int(r["orders"]) for r in rows if r["orders"]) == orders


def _focus_info(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
               return {id: el.id, tag: el.tagName.toLowerCase(), cls: el.className || '',
                       href: el.getAttribute('href') || '', text: (el.innerText || '').trim(),
                       ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0}; }"""
        )
    )


def test_explore_tab_order_and_focus_rings(open_page: OpenPage, live_server: LiveServer) -> None:
    """Tab from the top of a signed-in page: skip link, nav, language, sign-out, then the form's
    controls in visual order and the Run button, each with a visible focus ring."""
    watch = open_page("ana", width=1280)
    page = watch.page
    page.goto("/explore")
    stops: list[dict[str, Any]] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(_focus_info(page))
        if stops[-1]["tag"] == "button" and stops[-1]["text"] == "Run":
            break
    order = [s["id"] or s["href"] or s["text"] for s in stops]
    assert "skip" in stops[0]["cls"], order
    expected = ["/explore", "?lang=zh_CN", "?lang=en", "Sign out", "f-metric", "f-by", "f-grain", "f-compare"]
    expected += ["f-since", "f-until", "f-where", "Run"]
    positions = [order.index(e) for e in expected]
    assert positions == sorted(positions), f"tab order {order}"
    # A date input takes several Tab stops (day, month, year, picker button); the picker button is
    # inside Chromium's own shadow tree and draws its own ring, so only the first stop of each
    # element is checked.
    first_stops = [s for i, s in enumerate(stops) if i == 0 or order[i] != order[i - 1]]
    assert all(s["ring"] for s in first_stops), f"every control shows a focus ring: {first_stops}"


def test_explore_form_run_by_mouse_then_keyboard(open_page: OpenPage, live_server: LiveServer) -> None:
    """Pick metrics, a breakdown and a grain with the mouse, Run: the chart is drawn and the URL is
    shareable. Then the same by keyboard alone: arrow keys choose, Enter on Run runs."""
    watch = open_page("ana", width=1280)
    page = watch.page
    page.goto("/explore")
    page.get_by_label("Metrics").select_option(["gmv", "orders"])
    page.get_by_label("Break down by").select_option(["channel"])
    page.get_by_label("Time grain").select_option("year")
    page.get_by_role("button", name="Run").click()
    _check_result(page)
    assert "metric=gmv" in page.url, "the exploration is a shareable URL (hx-push-url)"

    page.goto("/explore")
    page.locator("#f-metric").focus()
    page.keyboard.press("Home")  # the first metric in the list, chosen with the keyboard
    chosen = page.locator("#f-metric").evaluate("el => Array.from(el.selectedOptions).map(o => o.value)")
    assert len(chosen) == 1
    page.locator("#f-grain").focus()
    page.keyboard.press("ArrowDown")
    grain = page.locator("#f-grain").input_value()
    assert grain
    page.locator("#f-where").focus()
    page.keyboard.press("Tab")  # the rollups checkbox
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Run"
    page.keyboard.press("Enter")
    _check_result(page)
    assert f"metric={chosen[0]}" in page.url
    assert f"grain={grain}" in page.url
