"""Who sees what, in the browser and over the API of the same running server.

- A bad file uploaded on the ingest page answers with its quarantine report (rows, columns,
  reasons; never the raw cells); a viewer may not open the load.
- A customer's 360 as an analyst (no PII rights) shows masks; as admin the values. The masks are
  the policy's (src/zhongtai/policy: a mainland mobile keeps its first 3 and last 4 digits).
- A token created on the settings page works on the API until revoked there, then is refused;
  another user cannot revoke it (neither by the API with their own token nor through the page).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import duckdb
import httpx
import pytest
from e2e_support import LiveServer, PageWatch, screenshot

from support import orders_mapping_yaml

pytestmark = pytest.mark.e2e

OpenPage = Callable[..., PageWatch]

# Five orders, two of them bad: a negative quantity (row 3) and 30 February (row 4). Rows count
# from 1 at the header, as the quarantine reports them (tests/server/pages/test_ingest_pages.py).
BAD_ORDERS = (
    "订单编号,下单时间,订单金额,买家,商品编码,数量,单价\n"
    '7001,2025-03-08 10:00,"¥1,234.50",buyer_a,SKU-1,1,1234.50\n'
    "7002,2025-03-09 11:00,12,buyer_zz_secret,SKU-2,-1,12\n"
    "7003,2025-02-30 09:00,30,buyer_c,SKU-3,1,30\n"
    "7004,2025-03-10 12:00,40,buyer_d,SKU-4,2,20\n"
    "7005,2025-03-11 13:00,50,buyer_e,SKU-5,1,50\n"
)
MAPPING_YAML = orders_mapping_yaml("e2e_orders")


def test_upload_a_bad_file_and_see_its_quarantine(open_page: OpenPage, live_server: LiveServer) -> None:
    watch = open_page("ana", width=1280, lang="zh_CN")
    page = watch.page
    page.goto("/ingest?lang=en")
    page.get_by_label("File (CSV, Excel, Parquet or JSON Lines)").set_input_files(
        {"name": "bad-orders.csv", "mimeType": "text/csv", "buffer": BAD_ORDERS.encode()}
    )
    page.get_by_label("Source system").fill("e2e")
    page.get_by_label("Mapping YAML (optional)").set_input_files(
        {
            "name": "mapping.yaml",
            "mimeType": "application/yaml",
            "buffer": MAPPING_YAML.encode(),
        }
    )
    page.get_by_role("button", name="Upload and load").click()
    report = page.locator("#ingest-report")
    try:  # the load runs while the answer waits: allow a busy 2-core machine its time
        page.wait_for_function(
            "() => document.querySelector('#report-read') || document.querySelector('#flash').textContent.trim()",
            timeout=90_000,
        )
    except Exception as exc:
        raise AssertionError(f"no load report; flash: {page.locator('#flash').inner_text()!r}") from exc
    assert report.locator("#report-read").count() == 1, page.locator("#flash").inner_text()
    assert report.locator("#report-read").inner_text() == "5"
    assert report.locator("#report-loaded").inner_text() == "3"
    assert report.locator("#report-quarantined").inner_text() == "2"
    rows = report.locator("#quarantine-rows tbody tr")
    found = {(r.locator("td").nth(0).inner_text(), r.locator("td").nth(2).inner_text()) for r in rows.all()}
    assert ("3", "quantity") in found, found
    assert ("4", "order_time") in found, found
    assert "buyer_zz_secret" not in report.inner_text(), "the raw cells are never shown"

    link = report.locator("a[href^='/ingest/loads/']").first
    href = str(link.get_attribute("href"))
    load_id = int(re.findall(r"/ingest/loads/(\d+)", href)[0])
    page.goto(f"/ingest/loads/{load_id}?lang=zh_CN")
    assert page.locator("#load-quarantined").inner_text() == "2"
    assert page.locator("#quarantine-rows tbody tr").count() == 2
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    screenshot(page, "ingest-quarantine-zh-1280")

    viewer_watch = open_page("vic", width=390)
    viewer_watch.expect_status(403, f"/ingest/loads/{load_id}")
    answer = viewer_watch.page.goto(f"/ingest/loads/{load_id}")
    assert answer is not None
    assert answer.status == 403, "a viewer may not read loads"
    assert viewer_watch.page.locator("#quarantine-rows").count() == 0


def _phone_column(page: Any) -> int:
    headers = page.locator("#section-accounts thead th").all_inner_texts()
    assert "Phone" in headers, headers
    return int(headers.index("Phone"))


def _phones(page: Any) -> list[str]:
    column = _phone_column(page)
    cells = page.locator(f"#section-accounts tbody tr td:nth-child({column + 1})").all_inner_texts()
    return [c.strip() for c in cells if c.strip() not in ("", "—")]


@pytest.mark.parametrize("width", [1280, 390])
def test_customer_360_masked_for_an_analyst_clear_for_admin(
    open_page: OpenPage, live_server: LiveServer, demo_db: duckdb.DuckDBPyConnection, width: int
) -> None:
    admin = open_page("admin", width=width).page
    admin.goto("/customers")
    first = admin.locator("#members-table tbody a[href^='/customers/']").first
    first.click()
    admin.wait_for_url(re.compile(r"/customers/[^/?]+$"))
    member = admin.locator("#member-id").inner_text()
    phones = [p for p in _phones(admin) if re.fullmatch(r"1[3-9]\d{9}", p)]
    assert phones, "the top member has a mainland mobile on record"
    known = {
        str(r[0]) for r in demo_db.execute("SELECT DISTINCT phone FROM customers WHERE phone IS NOT NULL").fetchall()
    }
    assert set(phones) <= known, "admin sees the phone numbers exactly as the warehouse holds them"

    analyst = open_page("ana", width=width).page
    analyst.goto("/customers")
    assert analyst.locator("#members-table tbody a[href^='/customers/']").count() == 0, "ids are masked: no links"
    analyst.get_by_label("Member id").fill(member)
    analyst.get_by_role("button", name="Open the customer 360").click()
    analyst.wait_for_url(re.compile(r"/customers/[^/?]+$"))
    shown = _phones(analyst)
    for phone in phones:
        assert phone[:3] + "****" + phone[-4:] in shown
        assert phone not in analyst.content(), "the clear number is nowhere in the analyst's page"
    if width == 390:
        assert analyst.evaluate("() => document.documentElement.scrollWidth") <= 390


def _csrf(page: Any) -> str:
    headers = page.locator("body").get_attribute("hx-headers")
    return str(re.findall(r'"X-CSRF-Token":\s*"([^"]+)"', headers)[0])


def test_token_from_settings_is_refused_once_revoked_and_foreign_users_cannot_revoke_it(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    owner = open_page("ana", width=1280)
    page = owner.page
    page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm before revoking
    page.goto("/settings/tokens")
    page.get_by_label("Name (what the token is for)").fill("e2e-script")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token code.secret").inner_text().strip()
    assert secret
    revoke = page.get_by_role("button", name="Revoke e2e-script")
    token_id = int(re.findall(r"/settings/tokens/(\d+)/revoke", str(revoke.get_attribute("hx-post")))[0])

    with httpx.Client(base_url=live_server.url, timeout=20.0) as api:
        _use_and_revoke(open_page, page, api, secret, token_id, live_server)


def _use_and_revoke(
    open_page: OpenPage, page: Any, api: httpx.Client, secret: str, token_id: int, live_server: LiveServer
) -> None:
    revoke = page.get_by_role("button", name="Revoke e2e-script")
    mine = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/metrics", params={"limit": 1}, headers=mine).status_code == 200

    # vic's own (valid) token cannot revoke ana's token, nor can vic's console session: another
    # user's token is "not found" to vic (its existence is not revealed).
    foreign = {"Authorization": f"Bearer {live_server.tokens['vic']}"}
    refused = api.delete(f"/api/v1/tokens/{token_id}", headers=foreign)
    assert refused.status_code == 404, refused.text
    assert refused.json()["code"] == "appdb.not_found.token"
    viewer = open_page("vic", width=1280)
    viewer.expect_status(404, f"/settings/tokens/{token_id}/revoke")
    viewer.page.goto("/settings/tokens")
    assert viewer.page.get_by_role("button", name="Revoke e2e-script").count() == 0, "not even listed"
    status = viewer.page.evaluate(
        "([path, csrf]) => fetch(path, {method: 'POST', headers: {'X-CSRF-Token': csrf}}).then(r => r.status)",
        [f"/settings/tokens/{token_id}/revoke", _csrf(viewer.page)],
    )
    assert status == 404
    assert api.get("/api/v1/metrics", params={"limit": 1}, headers=mine).status_code == 200, "still valid"

    revoke.click()
    # the revocation notice, not the "token created" notice (#new-token) that also names the token:
    # waiting for that one raced the API call below against the revocation's commit
    page.locator("[role=status]:not(#new-token)").filter(has_text="e2e-script").wait_for()
    gone = api.get("/api/v1/metrics", params={"limit": 1}, headers=mine)
    assert gone.status_code == 401, gone.text
    assert gone.json()["code"] == "auth.invalid_token"
