"""The settings pages and ``POST /api/v1/session/password`` over ASGI on a copy of the demo shop.

Two users for every rule: an admin may list, add and change accounts, an operator is refused (403
page, and nothing changes in app state); a user revokes their own token but another's is *not
found*, as in the REST API; a one-time password or token text is in one answer only; a cookie
request without the CSRF header is refused. Expected role matrices are read off the tables in
``src/zhongtai/policy/roles.py`` by hand, not recomputed from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser

import pytest
from server_support import PASSWORDS, Server, TestClient, problem

from zhongtai.appdb import CreateUserCommand, EnableUserCommand, get_user, list_tokens, list_users, owner_principal
from zhongtai.policy import Role

BOSS_PASSWORD = "黄山峨眉武当庐山衡山恒山"  # 12 characters
HX = {"HX-Request": "true"}
OLD_PW, NEW_PW = "改密码的人一二三四五六七", "一二三四五六七八九十甲乙"
API_OLD, API_NEW = "接口改密一二三四五六七八", "新的接口密码一二三四五六"
NEWBIE_PW = "新人的长密码一二三四五六"
"""Passwords of 12 characters, the policy's minimum (``appdb/passwords.py``)."""


def _app(server: Server):  # type: ignore[no-untyped-def]
    return server.app.state.zhongtai.workspace.app


def _make_user(server: Server, name: str, role: Role, password: str) -> None:
    app = _app(server)
    CreateUserCommand(app, owner_principal(app, via="test"), name, role, password=password).run()


@pytest.fixture(scope="module")
def boss(server: Server) -> str:
    """An admin with a password (the workspace owner of the fixture has none to sign in with)."""
    _make_user(server, "boss", Role.ADMIN, BOSS_PASSWORD)
    return BOSS_PASSWORD


def _sign_in(server: Server, username: str, password: str) -> tuple[TestClient, str]:
    """Sign in through ``/login`` as a browser does; return the client and the page's CSRF token."""
    client = server.client()
    assert client.get("/login").status_code == 200
    login_token = client.cookies.get("zt_login")
    assert login_token
    form = {"username": username, "password": password, "login_token": login_token, "next": "/settings"}
    answer = client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get("/settings")
    assert page.status_code == 200
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert found, "the layout puts the session's CSRF token in hx-headers"
    return client, found.group(1)


def _as(server: Server, user: str) -> tuple[TestClient, str]:
    return _sign_in(server, user, PASSWORDS[user])


class _Tables(HTMLParser):
    """Rows of every ``<table>`` as lists of cell texts (``th`` and ``td``), whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _one_time_password(html: str) -> str:
    found = re.search(r'<code class="secret">([^<]+)</code>', html)
    assert found, html
    return unescape(found.group(1))


def test_every_message_of_the_settings_pages_has_a_chinese_translation() -> None:
    from catalogue_support import extracted

    from zhongtai.server.pages.i18n import PAGES_DIR, load_catalogue

    chinese = load_catalogue("zh_CN")
    messages = {message for message, _file, _line in extracted(PAGES_DIR / "settings")}
    assert len(messages) > 100
    assert sorted(m for m in messages if not chinese.get(m)) == []


# --- tabs and permissions -------------------------------------------------------------------------


def test_an_operator_gets_a_403_page_for_the_users_tab_and_no_link_to_it_an_admin_sees_every_account(
    server: Server, boss: str
) -> None:
    operator, _ = _as(server, "opa")
    refused = operator.get("/settings/users")
    assert refused.status_code == 403
    assert "text/html" in refused.headers["content-type"]
    assert "policy.denied" in refused.text
    assert 'href="/settings/users"' not in operator.get("/settings").text

    admin, _ = _sign_in(server, "boss", boss)
    listed = admin.get("/settings/users")
    assert listed.status_code == 200
    names = {row[0].split()[0] for row in _tables(listed.text)[0][1:]}
    assert {"admin", "ana", "opa", "vic", "boss"} <= names
    assert 'href="/settings/users"' in admin.get("/settings").text


def test_an_operator_posting_a_new_user_directly_is_refused_and_nothing_is_created(server: Server) -> None:
    operator, csrf = _as(server, "opa")
    refused = operator.post(
        "/settings/users", data={"username": "sneaky", "role": "admin"}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 403
    assert "policy.denied" in refused.text
    owner = owner_principal(_app(server), via="test")
    assert "sneaky" not in {u.username for u in list_users(_app(server), owner)}
    # The same request from HTMX: the refusal is retargeted to the page's #flash area.
    fragment = operator.post(
        "/settings/users", data={"username": "sneaky", "role": "admin"}, headers={"X-CSRF-Token": csrf, **HX}
    )
    assert fragment.headers["HX-Retarget"] == "#flash"
    assert "403" in fragment.text
    assert "policy.denied" in fragment.text


def test_a_post_without_the_csrf_header_is_refused_even_for_an_admin(server: Server, boss: str) -> None:
    admin, csrf = _sign_in(server, "boss", boss)
    refused = admin.post("/settings/users", data={"username": "nocsrf", "role": "viewer"}, headers=HX)
    assert "server.csrf_failed" in refused.text
    wrong = admin.post("/settings/users", data={"username": "nocsrf", "role": "viewer"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    owner = owner_principal(_app(server), via="test")
    assert "nocsrf" not in {u.username for u in list_users(_app(server), owner)}
    made = admin.post("/settings/users", data={"username": "nocsrf", "role": "viewer"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 200
    assert get_user(_app(server), owner, "nocsrf").role is Role.VIEWER


def test_the_one_time_password_is_shown_once_and_leads_through_the_password_api_to_a_sign_in(
    server: Server, boss: str
) -> None:
    admin, csrf = _sign_in(server, "boss", boss)
    answer = admin.post(
        "/settings/users",
        data={"username": "newbie", "role": "analyst", "stores": "S01, S02", "channels": ""},
        headers={"X-CSRF-Token": csrf, **HX},
    )
    assert answer.status_code == 200, answer.text
    secret = _one_time_password(answer.text)
    assert len(secret) >= 12
    owner = owner_principal(_app(server), via="test")
    created = get_user(_app(server), owner, "newbie")
    assert created.role is Role.ANALYST
    assert created.must_change_password
    assert created.scope.stores == frozenset({"S01", "S02"})
    assert created.scope.channels is None
    assert secret not in admin.get("/settings/users").text
    assert secret not in admin.get("/settings/users/newbie").text

    api = server.client()
    first = api.post("/api/v1/session", json={"username": "newbie", "password": secret})
    problem(first, 401, "auth.password_change_required")
    changed = api.post("/api/v1/session/password", json={"username": "newbie", "current": secret, "new": NEWBIE_PW})
    assert changed.status_code == 200, changed.text
    assert changed.json()["username"] == "newbie"
    assert changed.json()["password_changed"] is True
    assert api.post("/api/v1/session", json={"username": "newbie", "password": NEWBIE_PW}).status_code == 201


def test_an_admin_changes_role_scope_and_access_and_each_change_lands_in_app_state(server: Server, boss: str) -> None:
    _make_user(server, "worker", Role.VIEWER, "工人的密码一二三四五六七")
    admin, csrf = _sign_in(server, "boss", boss)
    headers = {"X-CSRF-Token": csrf, **HX}
    owner = owner_principal(_app(server), via="test")

    assert admin.post("/settings/users/worker/role", data={"role": "supply"}, headers=headers).status_code == 200
    assert get_user(_app(server), owner, "worker").role is Role.SUPPLY
    scoped = admin.post("/settings/users/worker/scope", data={"stores": "", "channels": "tmall，jd"}, headers=headers)
    assert scoped.status_code == 200
    scope = get_user(_app(server), owner, "worker").scope
    assert scope.channels == frozenset({"tmall", "jd"})
    assert scope.stores is None
    admin.post("/settings/users/worker/disable", headers=headers)
    assert not get_user(_app(server), owner, "worker").active
    admin.post("/settings/users/worker/enable", headers=headers)
    assert get_user(_app(server), owner, "worker").active
    reset = admin.post("/settings/users/worker/reset", headers=headers)
    assert _one_time_password(reset.text)
    assert get_user(_app(server), owner, "worker").must_change_password
    bad_role = admin.post("/settings/users/worker/role", data={"role": "boss"}, headers=headers)
    assert "policy.unknown_role" in bad_role.text


def test_an_admin_cannot_disable_themselves_and_the_command_says_why(server: Server, boss: str) -> None:
    admin, csrf = _sign_in(server, "boss", boss)
    answer = admin.post("/settings/users/boss/disable", headers={"X-CSRF-Token": csrf, **HX})
    assert answer.headers["HX-Retarget"] == "#flash"
    assert "appdb.invalid" in answer.text
    assert "You cannot disable your own account." in answer.text
    assert get_user(_app(server), owner_principal(_app(server), via="test"), "boss").active


# --- account --------------------------------------------------------------------------------------


def test_the_account_tab_lists_the_pii_classes_the_role_sees_operator_two_viewer_none(server: Server) -> None:
    # roles.py: ROLE_PII[OPERATOR] = {contact, identity} with pii:read; VIEWER has no pii:read.
    operator, _ = _as(server, "opa")
    page = operator.get("/settings").text
    assert "contact (phone, e-mail, address)" in page
    assert "identity (name, member card, birthday)" in page
    assert "financial (payment accounts)" not in page.split("My permissions")[0]
    viewer, _ = _as(server, "vic")
    assert "None: personal data is masked for me" in viewer.get("/settings").text
    zh = viewer.get("/settings?lang=zh_CN")
    assert "我的账号" in zh.text
    assert "无：个人信息对我脱敏显示" in zh.text
    assert "zt_lang=zh_CN" in zh.headers["set-cookie"]


def test_changing_my_password_on_the_page_wrong_weak_then_right(server: Server) -> None:
    _make_user(server, "changer", Role.ANALYST, OLD_PW)
    client, csrf = _sign_in(server, "changer", OLD_PW)
    headers = {"X-CSRF-Token": csrf, **HX}
    wrong = client.post(
        "/settings/password", data={"current": "not-my-password", "new": "x" * 14, "repeat": "x" * 14}, headers=headers
    )
    assert "auth.invalid_credentials" in wrong.text
    with _app(server).read() as session:
        from zhongtai.appdb import UserDAO
        from zhongtai.policy.principal import SYSTEM

        user = UserDAO(session, SYSTEM).find_for_auth("changer")
        assert user is not None
        assert user.failed_logins == 1
    weak = client.post(
        "/settings/password",
        data={"current": OLD_PW, "new": "short", "repeat": "short"},
        headers=headers,
    )
    assert weak.status_code == 200
    assert "at least 12 characters" in weak.text
    differ = client.post(
        "/settings/password",
        data={
            "current": OLD_PW,
            "new": NEW_PW,
            "repeat": "一二三四五六七八九十甲丙",
        },
        headers=headers,
    )
    assert "The two new passwords differ." in differ.text
    ok = client.post(
        "/settings/password",
        data={
            "current": OLD_PW,
            "new": NEW_PW,
            "repeat": NEW_PW,
        },
        headers=headers,
    )
    assert "Your password was changed." in ok.text
    _sign_in(server, "changer", NEW_PW)


# --- roles, workspace, audit ----------------------------------------------------------------------


def test_the_roles_matrix_matches_the_policy_table(server: Server) -> None:
    viewer, _ = _as(server, "vic")
    page = viewer.get("/settings/roles")
    assert page.status_code == 200
    permissions, pii = _tables(page.text)
    NONE = "—none"  # a dash for the eye, "none" for screen readers
    header = permissions[0]
    assert header[1:] == ["admin", "analyst", "operator", "brand", "supply", "risk", "viewer"]
    rows = {row[0].split()[-1]: dict(zip(header[1:], row[1:], strict=True)) for row in permissions[1:]}
    # By hand from ROLE_PERMISSIONS: analyst metrics="rwe", operator customers="rwe", viewer metrics="r",
    # brand has no supply, risk audit="re", only admin holds keys.
    assert rows["metrics"]["analyst"] == "read · write · export"
    assert rows["customers"]["operator"] == "read · write · export"
    assert rows["metrics"]["viewer"] == "read"
    assert rows["supply"]["brand"] == NONE
    assert rows["audit"]["risk"] == "read · export"
    assert [role for role, cell in rows["keys"].items() if cell != NONE] == ["admin"]
    classes = {row[0].split()[-1]: dict(zip(header[1:], row[1:], strict=True)) for row in pii[1:]}
    # ROLE_PII: only risk sees sensitive; operator sees contact but not financial; analyst sees none.
    assert [r for r, seen in classes["sensitive"].items() if seen == "yes"] == ["risk"]
    assert classes["contact"]["operator"] == "yes"
    assert classes["financial"]["operator"] == "no"
    assert set(classes["identity"].values()) >= {"yes", "no"}
    assert classes["identity"]["analyst"] == "no"


def test_the_workspace_tab_needs_settings_read_analyst_yes_viewer_no(server: Server) -> None:
    analyst, _ = _as(server, "ana")
    page = analyst.get("/settings/workspace")
    assert page.status_code == 200
    settings = server.app.state.zhongtai.workspace.settings.shop
    assert settings.name in page.text
    assert settings.timezone in page.text
    assert settings.currency in page.text
    viewer, _ = _as(server, "vic")
    assert viewer.get("/settings/workspace").status_code == 403


def test_the_audit_tab_shows_an_admin_everything_and_a_viewer_only_their_own_entries(server: Server, boss: str) -> None:
    admin, _ = _sign_in(server, "boss", boss)
    everything = _tables(admin.get("/settings/audit").text)[0][1:]
    assert len({row[2].split()[0] for row in everything}) > 1  # several actors
    viewer, _ = _as(server, "vic")
    own = _tables(viewer.get("/settings/audit").text)[0][1:]
    assert own
    assert {row[2].split()[0] for row in own} == {"vic"}


def test_audit_pages_follow_the_sequence_backwards_without_overlap(server: Server, boss: str) -> None:
    app = _app(server)
    for i in range(60):  # at least 60 more entries, so the log spans more than one page of 50
        CreateUserCommand(app, owner_principal(app, via="test"), f"filler-{i:02d}", Role.VIEWER).run()
    admin, _ = _sign_in(server, "boss", boss)
    first_html = admin.get("/settings/audit").text
    first = [int(row[0]) for row in _tables(first_html)[0][1:]]
    assert len(first) == 50
    assert first == sorted(first, reverse=True)
    older = re.search(r'href="/settings/audit\?before=(\d+)"', first_html)
    assert older
    assert int(older.group(1)) == first[-1]
    second = [int(row[0]) for row in _tables(admin.get(f"/settings/audit?before={first[-1]}").text)[0][1:]]
    assert second
    assert max(second) == first[-1] - 1
    assert not set(first) & set(second)
    filtered = _tables(admin.get("/settings/audit?action=user.").text)[0][1:]
    assert filtered
    assert all(row[4].startswith("user.") for row in filtered)


# --- tokens ---------------------------------------------------------------------------------------


def test_a_user_revokes_their_own_token_but_another_users_is_not_found(server: Server) -> None:
    viewer, vcsrf = _as(server, "vic")
    made = viewer.post(
        "/settings/tokens",
        data={"name": "vic-notebook", "days": "30", "scope": ["metrics:read"]},
        headers={"X-CSRF-Token": vcsrf, **HX},
    )
    assert made.status_code == 200, made.text
    text = _one_time_password(made.text)
    assert text.startswith("zt_")
    owner = owner_principal(_app(server), via="test")
    token = next(t for t in list_tokens(_app(server), owner, username="vic") if t.name == "vic-notebook")
    assert token.scopes == ("metrics:read",)
    assert text not in viewer.get("/settings/tokens").text

    analyst, acsrf = _as(server, "ana")
    stolen = analyst.post(f"/settings/tokens/{token.id}/revoke", headers={"X-CSRF-Token": acsrf})
    assert stolen.status_code == 404
    assert "appdb.not_found.token" in stolen.text
    assert "vic-notebook" not in analyst.get("/settings/tokens").text

    revoked = viewer.post(f"/settings/tokens/{token.id}/revoke", headers={"X-CSRF-Token": vcsrf, **HX})
    assert revoked.status_code == 200
    assert "vic-notebook" in revoked.text
    assert "vic-notebook" not in viewer.get("/settings/tokens").text  # active tokens only by default
    assert "vic-notebook" in viewer.get("/settings/tokens?all=true").text
    refused = server.client()
    refused.headers["Authorization"] = f"Bearer {text}"
    assert refused.get("/api/v1/session").status_code == 401


def test_an_admin_sees_every_users_tokens_a_viewer_only_their_own(server: Server, boss: str) -> None:
    admin, _ = _sign_in(server, "boss", boss)
    all_names = {row[0] for row in _tables(admin.get("/settings/tokens").text)[0][1:]}
    assert {"test-admin", "test-ana", "test-opa", "test-vic"} <= all_names
    viewer, _ = _as(server, "vic")
    own = {row[0] for row in _tables(viewer.get("/settings/tokens").text)[0][1:]}
    assert "test-vic" in own
    assert not own & {"test-admin", "test-ana", "test-opa"}


def test_a_token_asking_for_a_scope_the_role_lacks_is_refused_with_the_commands_problem(server: Server) -> None:
    viewer, csrf = _as(server, "vic")
    answer = viewer.post(
        "/settings/tokens", data={"name": "too-much", "scope": ["users:write"]}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 422
    assert "appdb.invalid" in answer.text


# --- REST: POST /api/v1/session/password ----------------------------------------------------------


@pytest.fixture
def fresh_account(server: Server) -> Iterator[str]:
    """An analyst with a known password, enabled again afterwards whatever the test did."""
    name = "api-pw-" + str(len(list_users(_app(server), owner_principal(_app(server), via="test"))))
    _make_user(server, name, Role.ANALYST, API_OLD)
    yield name
    app = _app(server)
    EnableUserCommand(app, owner_principal(app, via="test"), name).run()


def test_api_wrong_current_passwords_count_toward_the_lock_out(server: Server, fresh_account: str) -> None:
    api = server.client()
    codes = [
        api.post(
            "/api/v1/session/password",
            json={"username": fresh_account, "current": f"wrong-password-{i}", "new": NEW_PW},
        ).json()["code"]
        for i in range(5)
    ]
    assert codes == ["auth.invalid_credentials"] * 4 + ["auth.locked"]
    right = api.post("/api/v1/session", json={"username": fresh_account, "password": API_OLD})
    problem(right, 401, "auth.locked")


def test_api_a_weak_new_password_is_422_with_the_policys_problems(server: Server, fresh_account: str) -> None:
    answer = server.client().post(
        "/api/v1/session/password",
        json={"username": fresh_account, "current": API_OLD, "new": "short"},
    )
    body = problem(answer, 422, "appdb.invalid")
    assert [e["code"] for e in body["errors"]] == ["password.too_short"]  # type: ignore[union-attr]
    same = server.client().post(
        "/api/v1/session/password",
        json={"username": fresh_account, "current": API_OLD, "new": API_OLD},
    )
    assert "password.unchanged" in [e["code"] for e in problem(same, 422, "appdb.invalid")["errors"]]  # type: ignore[union-attr]


def test_api_a_password_change_succeeds_and_the_new_password_signs_in(server: Server, fresh_account: str) -> None:
    api = server.client()
    answer = api.post(
        "/api/v1/session/password",
        json={"username": fresh_account, "current": API_OLD, "new": API_NEW},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["role"] == "analyst"
    assert "zt_session" not in answer.headers.get("set-cookie", "")  # no session: sign in next
    old = api.post("/api/v1/session", json={"username": fresh_account, "password": API_OLD})
    problem(old, 401, "auth.invalid_credentials")
    assert api.post("/api/v1/session", json={"username": fresh_account, "password": API_NEW}).status_code == 201
