"""The ingest pages: upload over HTMX (multipart, CSRF), the load report with quarantine reasons and
rows by role, a refused file as a readable report, recent loads with pages, a load's quarantine.
Numbers are checked against the load records and quarantine files read directly."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
from html_support import table_rows, text_of
from pages_support import sign_in
from server_support import Server

from support import orders_mapping_yaml

HX = {"HX-Request": "true"}
ORDERS_CSV = (
    "订单编号,下单时间,订单金额,买家,商品编码,数量,单价\n"
    '2001,2025-03-08 10:00,"¥1,234.50",buyer_a,SKU-1,1,1234.50\n'
    "2002,2025-03-09 11:00,12,buyer_b,SKU-2,-1,12\n"
    "2003,2025-02-30 09:00,30,buyer_c,SKU-3,1,30\n"
    "2004,2025-03-10 12:00,40,buyer_d,SKU-4,2,20\n"
    "2005,2025-03-11 13:00,50,buyer_e,SKU-5,1,50\n"
)
BAD_DATES = (
    "订单编号,下单时间,订单金额,买家,商品编码,数量,单价\n"
    "4001,昨天下午,10,buyer_f,SKU-1,1,10\n"
    "4002,2025-13-45 10:00,10,buyer_g,SKU-1,1,10\n"
    "4003,2025-03-08 10:00,10,buyer_h,SKU-1,1,10\n"
)
MAPPING_YAML = orders_mapping_yaml("page_orders")


def _files(csv_text: str, name: str = "orders.csv") -> dict[str, tuple[str, bytes, str]]:
    return {
        "file": (name, csv_text.encode(), "text/csv"),
        "mapping": ("m.yaml", MAPPING_YAML.encode(), "application/yaml"),
    }


def _record(server: Server, load_id: int) -> tuple[int, int, int, str | None]:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    found = con.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined, quarantine_file FROM zt_meta.loads WHERE load_id = ?",
        [load_id],
    ).fetchall()
    return found[0]


def _quarantine(server: Server, load_id: int) -> list[dict[str, object]]:
    file = _record(server, load_id)[3]
    assert file
    return pq.read_table(server.path / "quarantine" / file).to_pylist()


def test_upload_reports_counts_reasons_and_rows_without_raw_cells(server: Server) -> None:
    analyst = sign_in(server, "ana")
    headers = {**HX, "X-CSRF-Token": analyst.csrf}  # type: ignore[attr-defined]
    answer = analyst.post("/ingest", files=_files(ORDERS_CSV), data={"source": "pages"}, headers=headers)
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert "<html" not in html  # a fragment for HTMX
    assert "/ingest/loads/" in html, html
    load_id = int(html.split('href="/ingest/loads/')[1].split('"')[0])
    read, loaded, quarantined, _file = _record(server, load_id)
    assert (read, loaded, quarantined) == (5, 3, 2)  # a negative quantity and 30 February
    assert text_of(html, "report-read") == "5"
    assert text_of(html, "report-loaded") == "3"
    assert text_of(html, "report-quarantined") == "2"
    records = _quarantine(server, load_id)
    reasons = {row[1]: int(row[2]) for row in table_rows(html, "quarantine-reasons")}
    assert reasons == dict(Counter(str(r["rule"]) for r in records))
    assert reasons["range.non_positive_quantity"] == 1
    rows = table_rows(html, "quarantine-rows")
    assert [(int(r[0]), r[2]) for r in rows] == [(int(str(q["row"])), str(q["column"])) for q in records]
    assert (3, "quantity") in [(int(r[0]), r[2]) for r in rows]
    assert (4, "order_time") in [(int(r[0]), r[2]) for r in rows]
    assert "buyer_b" not in html  # raw cells are never shown, as in the API


def test_the_same_file_again_changes_nothing_and_says_so(server: Server) -> None:
    analyst = sign_in(server, "ana")
    headers = {**HX, "X-CSRF-Token": analyst.csrf}  # type: ignore[attr-defined]
    text = ORDERS_CSV.replace("\n200", "\n500")
    first = analyst.post("/ingest", files=_files(text), data={"source": "pages"}, headers=headers).text
    load_id = int(first.split('href="/ingest/loads/')[1].split('"')[0])
    again = analyst.post("/ingest", files=_files(text), data={"source": "pages"}, headers=headers).text
    assert text_of(again, "report-unchanged").endswith(f"orders.csv · Load #{load_id}")
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    assert con.execute("SELECT max(load_id) FROM zt_meta.loads").fetchall()[0][0] == load_id


def test_report_reasons_read_in_chinese(server: Server) -> None:
    analyst = sign_in(server, "ana", lang="zh_CN")
    headers = {**HX, "X-CSRF-Token": analyst.csrf}  # type: ignore[attr-defined]
    text = ORDERS_CSV.replace("\n200", "\n300")  # other order ids: a new file, not a re-load
    html = analyst.post("/ingest", files=_files(text), data={"source": "pages"}, headers=headers).text
    load_id = int(html.split('href="/ingest/loads/')[1].split('"')[0])
    zh = {str(r["reason_zh"]) for r in _quarantine(server, load_id)}
    shown = {row[0] for row in table_rows(html, "quarantine-reasons")}
    assert shown == zh
    assert "隔离原因" in html


def test_a_file_with_the_wrong_columns_is_a_readable_report_not_a_500(server: Server) -> None:
    analyst = sign_in(server, "ana")
    headers = {**HX, "X-CSRF-Token": analyst.csrf}  # type: ignore[attr-defined]
    wrong = "id,when,amount\n1,2025-03-08,10\n"
    answer = analyst.post("/ingest", files=_files(wrong, "wrong.csv"), data={"source": "pages"}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert "The file was not loaded." in answer.text
    message = text_of(answer.text, "ingest-error")
    assert "订单编号" in message  # the missing column is named
    assert "wrong.csv" in answer.text


def test_a_file_of_bad_dates_is_refused_with_its_quarantine_report(server: Server) -> None:
    analyst = sign_in(server, "ana")
    headers = {**HX, "X-CSRF-Token": analyst.csrf}  # type: ignore[attr-defined]
    answer = analyst.post("/ingest", files=_files(BAD_DATES, "dates.csv"), data={"source": "pages"}, headers=headers)
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert "The file was not loaded." in html
    assert "ingest.too_many_rejects" in html
    load_id = int(html.split('href="/ingest/loads/')[1].split('"')[0])
    read, loaded, quarantined, _file = _record(server, load_id)
    assert (read, loaded, quarantined) == (3, 0, 2)
    records = _quarantine(server, load_id)
    assert {row[1]: int(row[2]) for row in table_rows(html, "quarantine-reasons")} == dict(
        Counter(str(r["rule"]) for r in records)
    )
    assert [(int(r[0]), r[2]) for r in table_rows(html, "quarantine-rows")] == [(2, "order_time"), (3, "order_time")]


def test_operator_reads_loads_but_may_not_upload_and_a_viewer_sees_no_ingest(server: Server) -> None:
    operator = sign_in(server, "opa")
    page = operator.get("/ingest")
    assert page.status_code == 200
    assert 'id="ingest-form"' not in page.text
    refused = operator.post(
        "/ingest", files=_files(ORDERS_CSV), data={"source": "pages"},
        headers={**HX, "X-CSRF-Token": operator.csrf},  # type: ignore[attr-defined]
    )  # fmt: skip
    assert "policy.denied" in refused.text
    viewer = sign_in(server, "vic")
    assert viewer.get("/ingest").status_code == 403
    assert 'href="/ingest"' not in viewer.get("/quality").text  # no navigation entry either


def test_upload_without_the_csrf_token_is_refused(server: Server) -> None:
    analyst = sign_in(server, "ana")
    before = (
        server.app.state.zhongtai.workspace.warehouse.con.cursor()
        .execute("SELECT count(*) FROM zt_meta.loads")
        .fetchall()
    )
    answer = analyst.post("/ingest", files=_files(ORDERS_CSV), data={"source": "pages"}, headers=HX)
    assert "server.csrf_failed" in answer.text
    after = (
        server.app.state.zhongtai.workspace.warehouse.con.cursor()
        .execute("SELECT count(*) FROM zt_meta.loads")
        .fetchall()
    )
    assert after == before


def test_recent_loads_page_in_order_with_offsets(server: Server) -> None:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    ids = [int(r[0]) for r in con.execute("SELECT load_id FROM zt_meta.loads ORDER BY load_id DESC").fetchall()]
    client = sign_in(server, "opa")
    first = table_rows(client.get("/ingest").text, "loads-table")
    assert [int(r[0].lstrip("#")) for r in first] == ids[:50]
    page = client.get("/ingest?offset=3").text
    assert [int(r[0].lstrip("#")) for r in table_rows(page, "loads-table")] == ids[3:53]
    assert 'href="/ingest?offset=0"' in page


def test_a_loads_quarantine_page_counts_every_reason(server: Server) -> None:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    load_id, quarantined = con.execute(
        "SELECT load_id, rows_quarantined FROM zt_meta.loads WHERE rows_quarantined > 0 ORDER BY load_id LIMIT 1"
    ).fetchall()[0]
    records = _quarantine(server, int(load_id))
    assert len(records) == quarantined
    operator = sign_in(server, "opa")
    page = operator.get(f"/ingest/loads/{load_id}")
    assert page.status_code == 200
    reasons = {row[1]: int(row[2].replace(",", "")) for row in table_rows(page.text, "quarantine-reasons")}
    assert reasons == dict(Counter(str(r["rule"]) for r in records))
    assert sum(reasons.values()) == quarantined
    shown = table_rows(page.text, "quarantine-rows")
    assert len(shown) == min(50, quarantined)
    assert [int(r[0]) for r in shown] == [int(str(r["row"])) for r in records[:50]]
