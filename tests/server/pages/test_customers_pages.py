"""The customer pages: the 360 masked by role (an analyst without PII rights sees ``138****1234``
and ``张*``, an operator with ``pii:read`` sees the values and the read is audited), a retired
member id redirects to the survivor, the member list equals hand SQL, and the lookup form."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from html_support import table_rows, text_of
from pages_support import sign_in
from server_support import Server

from zhongtai.appdb import owner_principal
from zhongtai.customers import merge


def _person(server: Server) -> tuple[str, str, str]:
    """A member with a mainland mobile and a Chinese name of two or more characters."""
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    found = con.execute(
        "SELECT c.member_id, c.phone, c.name FROM customers c JOIN zt_identity.members m USING (member_id) "
        "WHERE regexp_full_match(c.phone, '1[3-9][0-9]{9}') AND length(c.name) >= 2 "
        "AND regexp_full_match(c.name, '[\\x{4e00}-\\x{9fff}]+') ORDER BY c.member_id LIMIT 1"
    ).fetchall()
    member, phone, name = found[0]
    return str(member), str(phone), str(name)


def _audit_rows(server: Server, actor: str) -> int:
    with sqlite3.connect(server.path / "app.db") as db:
        return int(db.execute("SELECT count(*) FROM audit_log WHERE actor_name = ?", [actor]).fetchone()[0])


def test_an_analyst_sees_masks_an_operator_sees_the_values_and_is_audited(server: Server) -> None:
    member, phone, name = _person(server)
    masked_phone = phone[:3] + "****" + phone[-4:]  # policy: a mainland mobile keeps 3 + 4 digits
    masked_name = name[0] + "*" * min(len(name) - 1, 3)  # policy: the first character, then stars
    analyst = sign_in(server, "ana")
    page = analyst.get(f"/customers/{member}")
    assert page.status_code == 200, page.text
    accounts = table_rows(page.text, "section-accounts")
    assert masked_phone in [row[6] for row in accounts]
    assert masked_name in [row[2] for row in accounts]
    assert phone not in page.text
    assert name not in page.text
    before = _audit_rows(server, "opa")
    operator = sign_in(server, "opa")
    seen = operator.get(f"/customers/{member}")
    assert seen.status_code == 200
    shown = table_rows(seen.text, "section-accounts")
    assert phone in [row[6] for row in shown]
    assert name in [row[2] for row in shown]
    assert _audit_rows(server, "opa") > before  # the library audits every unmasked read


def test_lifetime_orders_and_paid_equal_hand_sql(server: Server) -> None:
    member, _phone, _name = _person(server)
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    orders, paid = con.execute(
        "SELECT count(*), coalesce(sum(paid_amount), 0) FROM orders WHERE member_id = ?", [member]
    ).fetchall()[0]
    page = sign_in(server, "vic", lang="zh_CN").get(f"/customers/{member}")
    assert "客户 360 画像" in page.text
    assert text_of(page.text, "lifetime-orders") == str(orders)
    rows = table_rows(page.text, "section-orders") if orders else []
    assert sum(int(r[1]) for r in rows) == orders
    if paid < 10_000:  # below 10,000 the amount is written in full (compact K/万 above)
        assert text_of(page.text, "lifetime-paid").endswith(f"{Decimal(paid):,.2f}")


def test_member_list_ranks_by_lifetime_paid_as_hand_sql_with_ids_masked_by_role(server: Server) -> None:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    want = con.execute(
        "SELECT member_id, count(*) FROM orders WHERE member_id IS NOT NULL GROUP BY 1 "
        "ORDER BY coalesce(sum(paid_amount), 0) DESC, member_id LIMIT 25"
    ).fetchall()
    page = sign_in(server, "opa").get("/customers")  # operator: identity PII visible
    assert page.status_code == 200
    rows = table_rows(page.text, "members-table")
    assert [(r[1], int(r[2])) for r in rows] == [(str(m), int(n)) for m, n in want]
    assert f'href="/customers/{want[0][0]}"' in page.text
    assert 'href="/customers?offset=25"' in page.text
    masked = sign_in(server, "ana").get("/customers")  # analyst: member ids are identity PII, masked
    shown = [r[1] for r in table_rows(masked.text, "members-table")]
    assert [int(r[2]) for r in table_rows(masked.text, "members-table")] == [int(n) for _, n in want]
    assert all("*" in s for s in shown)
    assert str(want[0][0]) not in masked.text


def test_lookup_form_opens_the_member_and_unknown_ids_are_a_404_page(server: Server) -> None:
    member, _phone, _name = _person(server)
    client = sign_in(server, "vic")
    found = client.get("/customers", params={"member": f"  {member} "})
    assert found.status_code == 303
    assert found.headers["location"] == f"/customers/{member}"
    missing = client.get("/customers/Mnobody000000")
    assert missing.status_code == 404
    assert "identity.member_not_found" in missing.text


def test_a_member_id_retired_by_a_merge_redirects_to_the_survivor(server: Server) -> None:
    con = server.app.state.zhongtai.workspace.warehouse.con.cursor()
    first, second = (
        str(r[0])
        for r in con.execute("SELECT DISTINCT member_id FROM zt_identity.members ORDER BY 1 LIMIT 2").fetchall()
    )
    ws = server.app.state.zhongtai.workspace
    merge(ws, owner_principal(ws.app, via="test"), [first, second], reason="same person (test)")
    ids = {
        str(r[0])
        for r in con.execute(
            "SELECT member_id FROM zt_identity.members WHERE member_id IN (?, ?)", [first, second]
        ).fetchall()
    }
    assert len(ids) == 1
    survivor = ids.pop()
    retired = first if survivor == second else second
    client = sign_in(server, "ana")
    answer = client.get(f"/customers/{retired}")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/customers/{survivor}?from={retired}"
    page = client.get(answer.headers["location"])
    assert text_of(page.text, "member-id") == survivor
    assert retired in page.text
