"""The REST API over real HTTP (ASGI) on a copy of the demo shop: permissions with two users per
rule, values against hand-written SQL, masking, ingest with quarantine, pagination, errors."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from server_support import PASSWORDS, Server, TestClient, problem

from support import orders_mapping_yaml

ORDERS_CSV = (
    "订单编号,下单时间,订单金额,买家,商品编码,数量,单价\n"
    '1001,2025-03-08 10:00,"¥1,234.50",buyer_a,SKU-1,1,1234.50\n'
    "1002,2025年3月9日,12,buyer_b,SKU-2,-1,12\n"
)
MAPPING_YAML = orders_mapping_yaml("api_orders")


def _paid_orders_by_channel(server: Server) -> dict[str, int]:
    """Hand-written reference: the ``orders`` metric is the count of orders with ``paid_at`` set
    (metrics/catalogue: measure orders_paid, filter ``paid_at IS NOT NULL``); the ``channel``
    dimension is the platform of the order's shop (``channels.platform``)."""
    con = server.app.state.zhongtai.workspace.warehouse.cursor()
    try:
        rows = con.execute(
            "SELECT ch.platform, count(*) FROM orders o JOIN channels ch ON ch.channel_id = o.channel_id "
            "WHERE o.paid_at IS NOT NULL GROUP BY 1"
        ).fetchall()
    finally:
        con.close()
    return {str(c): int(n) for c, n in rows}


def test_metric_query_returns_the_values_of_hand_written_sql(server: Server) -> None:
    response = server.client("ana").get("/api/v1/metrics/query", params={"metric": "orders", "by": "channel"})
    assert response.status_code == 200, response.text
    body = response.json()
    rows = body["rows"] if "rows" in body else body["data"]
    got = {r["channel"]: r["orders"] for r in rows}
    assert got == _paid_orders_by_channel(server)
    assert sum(got.values()) > 1000  # the 5,000-person shop has thousands of paid orders


def test_a_token_scoped_without_metrics_read_is_refused_the_query_an_analyst_is_not(server: Server) -> None:
    admin = server.client("admin")
    narrow = admin.post("/api/v1/tokens", json={"name": "cust only", "user": "ana", "scopes": ["customers:read"]})
    assert narrow.status_code == 201, narrow.text
    client = server.client()
    params = {"metric": "orders"}
    refused = client.get(
        "/api/v1/metrics/query", params=params, headers={"Authorization": f"Bearer {narrow.json()['token']}"}
    )
    problem(refused, 403, "policy.denied") if refused.json().get("code") == "policy.denied" else problem(
        refused, 403, refused.json()["code"]
    )
    assert server.client("ana").get("/api/v1/metrics/query", params=params).status_code == 200


def test_quality_runs_need_metrics_write_analyst_yes_viewer_no(server: Server) -> None:
    refused = server.client("vic").post("/api/v1/quality/runs", params={"table": "channels"})
    assert refused.status_code == 403
    done = server.client("ana").post("/api/v1/quality/runs", params={"table": "channels"})
    assert done.status_code == 201, done.text
    assert {r["table"] for r in done.json()["results"]} == {"channels"}
    board = server.client("vic").get("/api/v1/quality/board")
    assert board.status_code == 200
    assert "channels" in {r["table"] for r in board.json()["tables"]}


def _member_with_phone(server: Server) -> tuple[str, str]:
    con = server.app.state.zhongtai.workspace.warehouse.cursor()
    try:
        member, phone = con.execute(
            "SELECT member_id, phone FROM customers WHERE phone IS NOT NULL AND member_id IS NOT NULL "
            "ORDER BY member_id LIMIT 1"
        ).fetchall()[0]
    finally:
        con.close()
    return str(member), str(phone)


def _login(server: Server, user: str) -> tuple[TestClient, str]:
    client = server.client()
    response = client.post("/api/v1/session", json={"username": user, "password": PASSWORDS[user]})
    assert response.status_code == 201, response.text
    return client, response.json()["csrf_token"]


def test_customer_360_shows_the_phone_to_an_operator_and_masks_it_for_a_viewer(server: Server) -> None:
    member, phone = _member_with_phone(server)
    operator, _ = _login(server, "opa")
    seen = operator.get(f"/api/v1/customers/{member}")
    assert seen.status_code == 200, seen.text
    assert phone in {a["phone"] for a in seen.json()["accounts"]}
    viewer, _ = _login(server, "vic")
    masked = viewer.get(f"/api/v1/customers/{member}")
    assert masked.status_code == 200
    phones = {a["phone"] for a in masked.json()["accounts"]}
    assert phone not in phones
    assert all("****" in str(p) for p in phones if p)


def test_another_users_token_cannot_be_revoked_and_a_revoked_token_is_refused(server: Server) -> None:
    vic, csrf = _login(server, "vic")  # a token cannot mint tokens (no tokens:write): use a session
    created = vic.post("/api/v1/tokens", json={"name": "mine"}, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text
    token_id, text = created.json()["id"], created.json()["token"]
    problem(server.client("ana").delete(f"/api/v1/tokens/{token_id}"), 404, "appdb.not_found.token")
    mine = server.client()
    mine.headers["Authorization"] = f"Bearer {text}"
    assert mine.get("/api/v1/session").json()["username"] == "vic"
    assert server.client("vic").delete(f"/api/v1/tokens/{token_id}").status_code == 200
    problem(mine.get("/api/v1/session"), 401, mine.get("/api/v1/session").json()["code"])


def test_only_an_admin_lists_every_account(server: Server) -> None:
    everyone = server.client("admin").get("/api/v1/users").json()
    assert {"admin", "ana", "opa", "vic"} <= {u["username"] for u in everyone["items"]}
    own = server.client("ana").get("/api/v1/users").json()
    assert [u["username"] for u in own["items"]] == ["ana"]


def test_a_session_cookie_request_without_the_csrf_token_is_refused(server: Server) -> None:
    client, csrf = _login(server, "ana")
    cookie = client.cookies.get("zt_session")
    assert cookie
    body = problem(client.post("/api/v1/tokens", json={"name": "x"}), 403, "server.csrf_failed")
    assert "X-CSRF-Token" in str(body["detail"])
    wrong = client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "nope"})
    problem(wrong, 403, "server.csrf_failed")
    ok = client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_a_disabled_account_loses_its_session_at_once(server: Server) -> None:
    from zhongtai.appdb import DisableUserCommand, EnableUserCommand, owner_principal

    client, _ = _login(server, "vic")
    assert client.get("/api/v1/session").json()["username"] == "vic"
    app = server.app.state.zhongtai.workspace.app
    owner = owner_principal(app, via="test")
    DisableUserCommand(app, owner, "vic").run()
    try:
        problem(client.get("/api/v1/session"), 401, "server.login_required")
    finally:
        EnableUserCommand(app, owner, "vic").run()
    problem(client.get("/api/v1/session"), 401, "server.login_required")  # the session is gone for good


def test_the_session_cookie_is_httponly_and_samesite_lax(server: Server) -> None:
    response = server.client().post("/api/v1/session", json={"username": "vic", "password": PASSWORDS["vic"]})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # no TLS here; --secure adds it


def test_behind_tls_the_cookie_is_secure_and_hsts_is_sent(secure_server: Server) -> None:
    client = secure_server.client(base_url="https://testserver")
    response = client.post("/api/v1/session", json={"username": "vic", "password": PASSWORDS["vic"]})
    assert response.status_code == 201
    assert "Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_a_wrong_password_is_401_in_the_requested_language(server: Server) -> None:
    client = server.client()
    body = problem(
        client.post("/api/v1/session", json={"username": "ana", "password": "wrong-password-123"}),
        401,
        "auth.invalid_credentials",
    )
    zh = client.post(
        "/api/v1/session",
        json={"username": "ana", "password": "wrong-password-123"},
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    ).json()
    assert zh["detail"] != body["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(zh["detail"]))


def test_the_per_address_limiter_answers_429_even_for_the_right_password(limited_server: Server) -> None:
    client = limited_server.client()
    for _ in range(3):
        assert (
            client.post("/api/v1/session", json={"username": "vic", "password": "wrong-password-12"}).status_code == 401
        )
    response = client.post("/api/v1/session", json={"username": "vic", "password": PASSWORDS["vic"]})
    problem(response, 429, "server.rate_limited")
    assert 1 <= int(response.headers["retry-after"]) <= 60


def test_five_wrong_passwords_lock_the_account_through_app_state(server: Server) -> None:
    client = server.client()
    codes = [
        client.post("/api/v1/session", json={"username": "opa", "password": f"wrong-password-{i}"}).json()["code"]
        for i in range(5)
    ]
    assert codes == ["auth.invalid_credentials"] * 4 + ["auth.locked"]
    right = client.post("/api/v1/session", json={"username": "opa", "password": PASSWORDS["opa"]})
    problem(right, 401, "auth.locked")
    admin = server.app.state.zhongtai.workspace.app
    from zhongtai.appdb import EnableUserCommand, owner_principal

    EnableUserCommand(admin, owner_principal(admin, via="test"), "opa").run()


def test_unknown_language_is_422_and_never_500(server: Server) -> None:
    body = problem(server.client("ana").get("/api/v1/metrics", params={"lang": "xx"}), 422, "i18n.unknown_language")
    assert body["params"] == {"lang": "xx", "known": "en, zh_CN"}
    problem(server.client().get("/api/v1/metrics", params={"lang": ""}), 422, "i18n.unknown_language")


def test_no_credentials_is_401_with_a_bearer_challenge(server: Server) -> None:
    response = server.client().get("/api/v1/metrics")
    problem(response, 401, "server.login_required")
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem(
        server.client().get("/api/v1/metrics", headers={"Authorization": "Basic abc"}), 401, "server.bad_authorization"
    )


def test_validation_and_unknown_routes_are_problems(server: Server) -> None:
    client = server.client("ana")
    body = problem(client.get("/api/v1/metrics", params={"limit": 0}), 422, "server.invalid_request")
    assert body["params"]["field"] == "query.limit"
    problem(client.get("/api/v1/nothing-here"), 404, "server.http_error")
    unknown_metric = client.get("/api/v1/metrics/query", params={"metric": "no_such_metric"})
    assert unknown_metric.status_code in (404, 422)
    assert unknown_metric.json()["code"].startswith("metrics.")


def test_security_headers_and_gzip(server: Server) -> None:
    response = server.client().get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "http" not in csp  # no CDN or any other origin
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "/api/v1/metrics/query" in response.json()["paths"]


def test_dictionary_pages_follow_limit_and_offset(server: Server) -> None:
    client = server.client("vic")
    everything = client.get("/api/v1/metrics", params={"limit": 500}).json()
    total = everything["total"]
    assert total == len(everything["items"]) > 10
    first = client.get("/api/v1/metrics", params={"limit": 4}).json()
    second = client.get("/api/v1/metrics", params={"limit": 4, "offset": 4}).json()
    assert first["next_offset"] == 4
    assert [m["name"] for m in first["items"] + second["items"]] == [m["name"] for m in everything["items"][:8]]
    last = client.get("/api/v1/metrics", params={"limit": 4, "offset": total - 1}).json()
    assert len(last["items"]) == 1
    assert last["next_offset"] is None


def test_ingest_upload_reports_the_quarantine_by_role(server: Server) -> None:
    files = {
        "file": ("orders.csv", ORDERS_CSV.encode(), "text/csv"),
        "mapping": ("m.yaml", MAPPING_YAML.encode(), "application/yaml"),
    }
    problem(server.client("vic").post("/api/v1/ingest", files=files, data={"source": "api"}), 403, "policy.denied")
    response = server.client("ana").post("/api/v1/ingest", files=files, data={"source": "api"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["record"]["rows_read"] == 2
    assert body["record"]["rows_loaded"] == 1
    assert body["record"]["rows_quarantined"] == 1
    bad = [q for q in body["quarantine"] if q["rule"] == "range.non_positive_quantity"]
    assert bad[0]["row"] == 3
    assert bad[0]["column"] == "quantity"
    assert "raw" not in bad[0]
    load_id = body["record"]["load_id"]
    listed = server.client("opa").get(f"/api/v1/ingest/loads/{load_id}/quarantine").json()
    assert [q["rule"] for q in listed["items"]] == [q["rule"] for q in body["quarantine"]]
    problem(server.client("vic").get(f"/api/v1/ingest/loads/{load_id}/quarantine"), 403, "policy.denied")
    loads = server.client("ana").get("/api/v1/ingest/loads", params={"limit": 1}).json()
    assert loads["items"][0]["load_id"] == load_id


def test_parallel_requests_each_get_their_own_cursor(server: Server) -> None:
    expected = _paid_orders_by_channel(server)

    def one(_: int) -> dict[str, int] | str:
        response = server.client("ana").get("/api/v1/metrics/query", params={"metric": "orders", "by": "channel"})
        if response.status_code != 200:
            return response.text
        # an order loaded by the ingest test has no channel and is unpaid: a group with 0 orders
        return {r["channel"]: r["orders"] for r in response.json()["rows"] if r["orders"]}

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(12)))
    assert results == [expected] * 12


def test_access_log_lines_hold_no_token_and_no_member_id(server: Server, caplog: pytest.LogCaptureFixture) -> None:
    member, _ = _member_with_phone(server)
    with caplog.at_level(logging.INFO, logger="zhongtai.server.access"):
        server.client("opa").get(f"/api/v1/customers/{member}", params={"lang": "en"})
    lines = [r.getMessage() for r in caplog.records if r.name == "zhongtai.server.access"]
    assert lines
    entry = json.loads(lines[-1])
    assert entry["route"] == "/api/v1/customers/{member_id}"
    assert entry["status"] == 200
    assert isinstance(entry["user_id"], int)
    text = "\n".join(lines)
    assert member not in text
    assert server.tokens["opa"] not in text
    assert "zt_" not in text


def test_the_server_owns_the_warehouse_a_cli_writer_in_another_process_is_refused(server: Server) -> None:
    code = "from zhongtai.workspace import open_workspace; import sys; open_workspace(sys.argv[1])"
    result = subprocess.run(
        [sys.executable, "-c", code, str(server.path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "WorkspaceLockedError" in result.stderr
