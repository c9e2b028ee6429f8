"""What the settings routes share: the tabs a principal may open, masked account rows, form parsing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from zhongtai.appdb import UserInfo
from zhongtai.appdb import masked_users as appdb_masked_users
from zhongtai.policy import Action, Capability, DataScope, Principal
from zhongtai.server.pages.settings.labels import TABS
from zhongtai.server.pages.templating import render
from zhongtai.workspace import Workspace

__all__ = ["is_htmx", "masked_users", "parse_scope", "render_tab", "require_tab", "visible_tabs"]

_TAB_PERMISSION: dict[str, tuple[Capability, Action]] = {
    "users": (Capability.USERS, Action.READ),
    "workspace": (Capability.SETTINGS, Action.READ),
}
"""Tabs that need a permission; the others show each principal its own things (account, tokens,
audit entries) or public policy (roles)."""


def visible_tabs(principal: Principal) -> list[tuple[str, str, str]]:
    """The tabs ``principal`` may open, in order."""
    return [tab for tab in TABS if tab[0] not in _TAB_PERMISSION or principal.can(*_TAB_PERMISSION[tab[0]])]


def require_tab(principal: Principal, tab: str) -> None:
    """:class:`~zhongtai.errors.PermissionDenied` (a 403 page) unless ``principal`` may open ``tab``."""
    if tab in _TAB_PERMISSION:
        principal.require(*_TAB_PERMISSION[tab])


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render_tab(
    request: Request, principal: Principal, tab: str, template: str, context: dict[str, Any]
) -> HTMLResponse:
    """A settings tab as a full page (the tab bar plus ``template``)."""
    return render(
        request,
        template,
        {"tabs": visible_tabs(principal), "tab": tab, **context},
        principal=principal,
    )


def masked_users(ws: Workspace, principal: Principal, users: Sequence[UserInfo], *, what: str) -> list[dict[str, Any]]:
    """Account rows as dicts with the display name masked for ``principal``'s role (the access is
    recorded in the access audit under ``what``, like the API's user listing)."""
    masked = appdb_masked_users(ws.app, principal, users, what=what)
    now = datetime.now(UTC)
    for row, info in zip(masked, users, strict=True):
        row["locked"] = info.locked_until is not None and info.locked_until > now
    return masked


def parse_scope(stores: str, channels: str) -> DataScope:
    """A data scope from two comma-separated form fields; an empty field means "all" for that dimension.

    Invalid values (e.g. more than the policy's limit) raise the policy's own :class:`InputError`.
    """
    return DataScope.of(stores=_items(stores), channels=_items(channels))


def _items(text: str) -> list[str] | None:
    values = [v.strip() for v in text.replace("，", ",").split(",") if v.strip()]
    return values or None
