"""The metric explorer page: chart, table and SQL from the metric layer; exports equal hand SQL."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook
from pages_support import sign_in
from server_support import Server


def _hand_gmv_by_channel(server: Server) -> dict[str, Decimal]:
    """GMV = paid amount of paid orders by local order date; November 2025 in Asia/Shanghai is
    UTC [2025-10-31 16:00, 2025-11-30 16:00) (the warehouse stores naive UTC)."""
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    rows = con.execute(
        """
        SELECT ch.platform, SUM(o.paid_amount) FROM orders o JOIN channels ch ON ch.channel_id = o.channel_id
        WHERE o.paid_at IS NOT NULL AND o.order_time >= ? AND o.order_time < ? GROUP BY 1
        """,
        ["2025-10-31 16:00:00", "2025-11-30 16:00:00"],
    ).fetchall()
    return {platform: Decimal(total) for platform, total in rows}


QUERY = "metric=gmv&by=channel&since=2025-11-01&until=2025-12-01"


def test_csv_export_equals_hand_written_sql(server: Server) -> None:
    client = sign_in(server, "ana")
    answer = client.get("/explore/export.csv?" + QUERY)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    got = {r["channel"]: Decimal(r["gmv"]) for r in rows}
    want = _hand_gmv_by_channel(server)
    assert got == want
    assert len(want) >= 4


def test_xlsx_export_has_the_same_rows(server: Server) -> None:
    client = sign_in(server, "ana")
    answer = client.get("/explore/export.xlsx?" + QUERY)
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("channel", "gmv")
    got = {r[0]: Decimal(str(r[1])).quantize(Decimal("0.01")) for r in rows[1:]}
    assert got == _hand_gmv_by_channel(server)


def test_page_shows_chart_spec_table_and_sql_formatted_in_chinese(server: Server) -> None:
    client = sign_in(server, "ana", lang="zh_CN")
    page = client.get("/explore?" + QUERY)
    assert page.status_code == 200
    html = page.text
    assert 'data-name="explore-chart"' in html
    assert "data-spec='{" in html  # the chart's spec rides in an attribute (htmx drops <script> on swap)
    assert "<script" not in html.split("</head>")[1]  # no inline script anywhere in the body (CSP)
    assert "SELECT" in html
    assert "汇总表" in html or "明细表" in html
    want = _hand_gmv_by_channel(server)
    biggest = max(want.values())
    if biggest >= 10_000:  # 万 grouping for Chinese readers
        assert "万" in html
    fragment = client.get("/explore?" + QUERY, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert "explore-chart" in fragment.text


def test_unknown_metric_is_a_readable_error_not_a_500(server: Server) -> None:
    client = sign_in(server, "ana")
    page = client.get("/explore?metric=no_such_metric")
    assert 400 <= page.status_code < 500
    assert "no_such_metric" in page.text
    fragment = client.get("/explore?metric=no_such_metric", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.headers["HX-Retarget"] == "#flash"


def test_viewer_without_metric_rights_is_refused(server: Server) -> None:
    from zhongtai.policy import Action, Capability, Role
    from zhongtai.policy.roles import ROLE_PERMISSIONS

    can = {(p.capability, p.action) for p in ROLE_PERMISSIONS[Role.VIEWER]}
    client = sign_in(server, "vic")
    answer = client.get("/explore?" + QUERY)
    if (Capability.METRICS, Action.READ) in can:
        assert answer.status_code == 200  # viewers read metrics; the export equals the analyst's
        assert (
            client.get("/explore/export.csv?" + QUERY).content
            == sign_in(server, "ana").get("/explore/export.csv?" + QUERY).content
        )
    else:
        assert answer.status_code == 403


def test_the_form_as_a_browser_sends_it_with_empty_optional_fields(server: Server) -> None:
    """A browser submits every field: ``since=&until=&compare=&grain=`` mean "not given"."""
    client = sign_in(server, "ana")
    sent = "metric=gmv&by=channel&grain=&since=&until=&compare=&where=&rollups=false&rollups=true"
    page = client.get("/explore?" + sent, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert 'data-name="explore-chart"' in page.text
    assert client.get("/explore/export.csv?" + sent).status_code == 200
    bad = client.get("/explore?metric=gmv&since=2025-13-01")
    assert bad.status_code == 422
    assert "query.since" in bad.text
