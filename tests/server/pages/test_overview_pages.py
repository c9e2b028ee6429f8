"""The overview page: the eight KPI cards equal hand-written SQL, formatted for the reader."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pages_support import sign_in
from server_support import Server

from zhongtai.server.pages.i18n import format_money


def _hand_gmv(server: Server, since: date, until: date) -> Decimal:
    """GMV = paid amount of paid orders by shop-local (UTC+8) order date in [since, until)."""
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    start = f"{since - timedelta(days=1)} 16:00:00"
    end = f"{until - timedelta(days=1)} 16:00:00"
    (total,) = con.execute(
        "SELECT SUM(paid_amount) FROM orders WHERE paid_at IS NOT NULL AND order_time >= ? AND order_time < ?",
        [start, end],
    ).fetchone()
    return Decimal(total)


def test_overview_cards_equal_hand_sql_in_both_languages(server: Server) -> None:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    (last,) = con.execute("SELECT CAST(MAX(order_time + INTERVAL 8 HOUR) AS DATE) FROM orders").fetchone()
    client = sign_in(server, "ana", lang="zh_CN")
    page = client.get("/?period=30d")
    assert page.status_code == 200
    since, until = last - timedelta(days=29), last + timedelta(days=1)
    gmv = _hand_gmv(server, since, until)
    assert format_money(gmv, "zh_CN") in page.text  # e.g. ¥41.23万
    before = _hand_gmv(server, since - timedelta(days=30), since)
    change = (gmv - before) / before
    assert f"{float(change) * 100:+.1f}%" in page.text
    assert page.text.count('class="kpi"') == 8
    assert page.text.count('data-name="spark-') == 8
    english = client.get("/?period=30d&lang=en")
    assert format_money(gmv, "en") in english.text  # e.g. CN¥412.3K


def test_overview_period_and_channel_filter_and_bad_period(server: Server) -> None:
    client = sign_in(server, "vic")  # viewers read metrics
    page = client.get("/?period=7d&channel=tmall")
    assert page.status_code == 200
    assert '<option value="tmall" selected>' in page.text
    bad = client.get("/?period=forever")
    assert bad.status_code == 422
    assert "server.invalid_request" in bad.text
