"""Rendering console pages: one Jinja2 environment, the layout's context and the navigation.

Templates live with their capability (``pages/<capability>/templates/<capability>/*.html``) and
the shared layout and macros in ``pages/templates/``; the loader searches all of them, so a page
names its template ``"overview/index.html"``. Autoescaping is on for every template. Each page gets
the same context: the language and ``_``/``ngettext``, locale formatters (万/亿, money, ratios,
dates in the shop's time zone), the signed-in principal, the session's CSRF token (sent by HTMX in
``X-CSRF-Token`` on every state-changing request, see :mod:`zhongtai.server.auth`), the
navigation filtered by the principal's permissions, and the static files' version for caching.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from zhongtai._version import __version__
from zhongtai.policy import Action, Capability, Principal
from zhongtai.server.auth import COOKIE, server_state
from zhongtai.server.errors import LANG_COOKIE
from zhongtai.server.pages.i18n import (
    PAGES_DIR,
    format_date_local,
    format_datetime_local,
    format_money,
    format_number,
    format_ratio,
    gettext,
    ngettext,
)

__all__ = ["NavItem", "environment", "page_context", "register_nav", "render", "to_json"]


@dataclass(frozen=True)
class NavItem:
    """One entry of the console's navigation; shown when the principal holds ``capability:read``."""

    path: str
    label: str
    """English label, translated through the catalogues (a literal ``_()`` call marks it)."""
    capability: Capability | None = None
    action: Action = Action.READ

    def visible_to(self, principal: Principal) -> bool:
        return self.capability is None or principal.can(self.capability, self.action)


_NAV: list[NavItem] = []


def register_nav(items: Sequence[NavItem]) -> None:
    """Add navigation entries in order (called once per capability folder at import)."""
    _NAV.extend(item for item in items if item not in _NAV)


@cache
def environment() -> Environment:
    """The one Jinja2 environment of the console (templates are read once and cached)."""
    folders = [PAGES_DIR / "templates", *sorted(p for p in PAGES_DIR.glob("*/templates") if p.is_dir())]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["tojson_attr"] = to_json
    env.globals["uid"] = lambda: secrets.token_hex(4)
    return env


def to_json(value: Any) -> Markup:
    """``value`` as JSON safe inside an HTML attribute or a ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False, default=_json_default)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped.replace("'", "\\u0027"))


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _lang(request: Request) -> str:
    return str(getattr(request.state, "lang", "en") or "en")


def page_context(request: Request, principal: Principal | None) -> dict[str, Any]:
    """What every template may use (see the module docstring)."""
    lang = _lang(request)
    state = server_state(request)
    ws = state.workspace
    timezone = ws.timezone
    currency = ws.currency
    csrf = ""
    if principal is not None:
        sid = request.cookies.get(COOKIE)
        session = request.app.state.sessions.get(sid) if sid else None
        csrf = session.csrf if session is not None else ""
    tr: Callable[[str], str] = lambda message: gettext(lang, message)  # noqa: E731
    return {
        "request": request,
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh_CN" else "en",
        "_": tr,
        "ngettext": lambda s, p, n: ngettext(lang, s, p, n),
        "num": lambda v, digits=2: format_number(v, lang, digits=digits),
        "money": lambda v: format_money(v, lang, currency),
        "pct": lambda v, digits=1: format_ratio(v, lang, digits=digits),
        "when": lambda v: format_datetime_local(v, lang, timezone),
        "day": lambda v: format_date_local(v, lang),
        "principal": principal,
        "csrf_token": csrf,
        "nav": [item for item in _NAV if principal is not None and item.visible_to(principal)],
        "path": request.url.path,
        "shop_name": ws.settings.shop.name,
        "timezone": timezone,
        "currency": currency,
        "static_version": __version__,
        "hx": request.headers.get("hx-request") == "true",
    }


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status: int = 200,
) -> HTMLResponse:
    """``template`` rendered with the page context plus ``context``."""
    full = page_context(request, principal)
    full.update(context or {})
    html = environment().get_template(template).render(full)
    response = HTMLResponse(html, status_code=status)
    response.headers["Vary"] = "HX-Request, Cookie, Accept-Language"
    if request.query_params.get("lang"):
        # ``?lang=`` was validated by the security middleware; remember the choice for a year.
        response.set_cookie(LANG_COOKIE, full["lang"], max_age=365 * 86400, httponly=True, samesite="lax", path="/")
    return response
