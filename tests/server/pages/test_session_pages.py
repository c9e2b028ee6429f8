"""Signing in and out of the console: redirects, login CSRF, wrong passwords, the forced password
change, language choice, and the CSRF token on state-changing requests."""

from __future__ import annotations

from pages_support import sign_in
from server_support import PASSWORDS, Server

from zhongtai.appdb import ResetPasswordCommand, owner_principal


def test_signed_out_pages_redirect_to_login_with_a_safe_next(server: Server) -> None:
    client = server.client(follow_redirects=False)
    answer = client.get("/explore?metric=gmv")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/explore"
    htmx = client.get("/explore", headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert htmx.headers["HX-Redirect"] == "/login?next=/explore"
    page = client.get("/login?next=//evil.example/steal")
    assert 'name="next" value="/"' in page.text


def test_login_form_needs_its_double_submit_token(server: Server) -> None:
    client = server.client(follow_redirects=False)
    client.get("/login")
    forged = client.post("/login", data={"username": "ana", "password": PASSWORDS["ana"], "login_token": "forged"})
    assert forged.status_code == 403
    assert "server.csrf_failed" in forged.text
    assert "zt_session" not in client.cookies


def test_wrong_password_shows_the_form_again_in_the_chosen_language(server: Server) -> None:
    client = server.client(follow_redirects=False)
    client.get("/login?lang=zh_CN")
    answer = client.post(
        "/login", data={"username": "ana", "password": "not the password", "login_token": client.cookies["zt_login"]}
    )
    assert answer.status_code == 401
    assert '<html lang="zh-CN">' in answer.text
    assert "用户名或密码" in answer.text or "密码" in answer.text
    assert "zt_session" not in client.cookies


def test_one_time_password_leads_to_the_password_page_then_signs_in(server: Server) -> None:
    with_owner = server.app.state.zhongtai.workspace.app
    one_time = ResetPasswordCommand(with_owner, owner_principal(with_owner, via="test"), "opa").run().one_time_password
    assert one_time
    client = server.client(follow_redirects=False)
    client.get("/login")
    token = client.cookies["zt_login"]
    first = client.post("/login", data={"username": "opa", "password": one_time, "login_token": token})
    assert first.status_code == 200
    assert 'action="/password"' in first.text
    differ = client.post(
        "/password",
        data={"username": "opa", "current": one_time, "new": PASSWORDS["opa"], "repeat": "x", "login_token": token},
    )
    assert differ.status_code == 422
    done = client.post(
        "/password",
        data={
            "username": "opa",
            "current": one_time,
            "new": PASSWORDS["opa"],
            "repeat": PASSWORDS["opa"],
            "login_token": token,
            "next": "/explore",
        },
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/explore"
    assert client.get("/explore").status_code == 200


def test_logout_needs_the_csrf_token(server: Server) -> None:
    client = sign_in(server, "ana")
    refused = client.post("/logout", headers={"HX-Request": "true"})
    assert "server.csrf_failed" in refused.text
    assert client.get("/explore").status_code == 200  # still signed in
    done = client.post("/logout", headers={"HX-Request": "true", "X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert done.headers["HX-Redirect"] == "/login"
    assert client.get("/explore").status_code == 303


def test_language_choice_is_remembered_and_unknown_languages_are_refused(server: Server) -> None:
    client = sign_in(server, "ana", lang="zh_CN")
    page = client.get("/explore")
    assert '<html lang="zh-CN">' in page.text
    assert "指标探索" in page.text
    english = client.get("/explore?lang=en")
    assert '<html lang="en">' in english.text
    assert "Metric explorer" in english.text
    assert client.get("/explore").text.count("Metric explorer") >= 1
    bad = client.get("/explore?lang=xx")
    assert bad.status_code == 422
    assert "i18n.unknown_language" in bad.text


def test_pages_carry_the_strict_security_headers(server: Server) -> None:
    client = server.client(follow_redirects=False)
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    static = client.get("/static/console.js?v=1")
    assert static.headers["cache-control"] == "public, max-age=31536000, immutable"
    zipped = client.get("/static/vendor/echarts.min.js?v=1", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
