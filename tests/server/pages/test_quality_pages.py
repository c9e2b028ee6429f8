"""The data-quality board page: values against the stored check results read by hand SQL, the
filters, the quarantine link, and "run now" for a role that may write metrics but not for a viewer."""

from __future__ import annotations

import re

from html_support import table_rows, text_of
from pages_support import sign_in
from server_support import Server

HX = {"HX-Request": "true"}


def _latest_by_table(server: Server) -> dict[str, tuple[int, int]]:
    """Per table, from its newest quality run: (failing checks, failing rows of counted checks).

    Reference: ``zhongtai.metrics.quality.score_of`` — skipped checks do not count; a check fails
    with status ``failed``. Written here as plain SQL over ``zt_meta.quality_results``.
    """
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    rows = con.execute(
        """
        WITH newest AS (SELECT table_name, max(run_id) AS run_id FROM zt_meta.quality_results GROUP BY 1)
        SELECT r.table_name, count(*) FILTER (WHERE r.status = 'failed'),
               coalesce(sum(r.failed_rows) FILTER (WHERE r.status <> 'skipped'), 0)
        FROM zt_meta.quality_results r JOIN newest USING (table_name, run_id) GROUP BY 1
        """
    ).fetchall()
    return {str(t): (int(f), int(n)) for t, f, n in rows}


def _runs(server: Server) -> int:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    return int(con.execute("SELECT count(*) FROM zt_meta.quality_runs").fetchall()[0][0])


def _board(html: str) -> dict[str, list[str]]:
    return {row[1]: row for row in table_rows(html, "quality-tables") if len(row) > 1}


def test_board_shows_each_tables_latest_failing_checks_and_rows_as_the_stored_results(server: Server) -> None:
    page = sign_in(server, "ana").get("/quality")
    assert page.status_code == 200, page.text
    board = _board(page.text)
    want = _latest_by_table(server)
    assert set(board) == set(want)
    for table, (failing, failed_rows) in want.items():
        row = board[table]
        assert row[0] == ("failed" if failing else "passed"), table
        assert int(row[3]) == failing, table
        assert int(row[4].replace(",", "")) == failed_rows if failed_rows < 10_000 else row[4].endswith("K"), table
    # the demo's events load quarantined rows; its check "quarantined_at_load" fails and links there
    assert board["events"][0] == "failed"
    assert "Load #" in board["events"][7]
    assert re.search(r'data-name="quality-trend-[0-9a-f]{8}"', page.text)


def test_status_and_table_filters_narrow_the_board(server: Server) -> None:
    client = sign_in(server, "vic")
    want = _latest_by_table(server)
    failed = _board(client.get("/quality?status=failed", headers=HX).text)
    assert set(failed) == {t for t, (f, _) in want.items() if f}
    passed = _board(client.get("/quality?status=passed", headers=HX).text)
    assert set(passed) == {t for t, (f, _) in want.items() if not f}
    only = _board(client.get("/quality?table=orders", headers=HX).text)
    assert set(only) == {"orders"}
    assert client.get("/quality?status=bogus").status_code == 422


def test_quarantine_link_needs_quarantine_rights(server: Server) -> None:
    viewer = _board(sign_in(server, "vic").get("/quality").text)  # viewer: no quarantine:read
    assert viewer["events"][7] == "—"


def test_run_now_is_for_metric_writers_only(server: Server) -> None:
    before = _runs(server)
    viewer = sign_in(server, "vic")
    assert "Run the checks now" not in viewer.get("/quality").text
    refused = viewer.post("/quality/run", headers={**HX, "X-CSRF-Token": viewer.csrf})  # type: ignore[attr-defined]
    assert refused.headers["HX-Retarget"] == "#flash"
    assert "policy.denied" in refused.text
    assert _runs(server) == before
    analyst = sign_in(server, "ana")
    no_token = analyst.post("/quality/run", headers=HX)
    assert "server.csrf_failed" in no_token.text
    assert _runs(server) == before
    done = analyst.post("/quality/run", headers={**HX, "X-CSRF-Token": analyst.csrf})  # type: ignore[attr-defined]
    assert done.status_code == 200, done.text
    assert _runs(server) == before + 1
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    newest = int(con.execute("SELECT max(run_id) FROM zt_meta.quality_runs").fetchall()[0][0])
    assert text_of(done.text, "quality-ran").startswith(f"Checks run: #{newest} ")
    board = _board(done.text)
    want = _latest_by_table(server)
    assert {t: int(r[3]) for t, r in board.items()} == {t: f for t, (f, _) in want.items()}


def test_board_reads_in_chinese(server: Server) -> None:
    page = sign_in(server, "vic", lang="zh_CN").get("/quality")
    assert "数据质量" in page.text
    assert "失败" in page.text
