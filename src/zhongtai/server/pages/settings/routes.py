"""``/settings``: the console's settings tabs — account, users, roles, API tokens, workspace, audit.

Routes hold no logic: they check the permission, call the same app-state functions as ``zhongtai
users|tokens|audit`` and ``/api/v1/users|tokens`` (commands validate, write one transaction and an
audit row; DAOs filter what the principal may see) and render. State changes are HTMX requests,
so the session's CSRF token rides along in ``X-CSRF-Token`` (see :mod:`zhongtai.server.auth`).
This module holds the account, roles, workspace and audit tabs; ``users.py`` and ``tokens.py``
the other two.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from zhongtai._version import __version__
from zhongtai.appdb import change_password, get_user, list_audit
from zhongtai.errors import ZhongtaiError
from zhongtai.policy import ROLE_PERMISSIONS, ROLE_PII, Action, Capability, Role
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.i18n import gettext
from zhongtai.server.pages.settings import tokens, users
from zhongtai.server.pages.settings.common import masked_users, render_tab, require_tab
from zhongtai.server.pages.settings.labels import ACTION_LABELS, CAPABILITY_LABELS, PII_LABELS
from zhongtai.server.pages.templating import render
from zhongtai.warehouse.schema import PiiClass

router = APIRouter(include_in_schema=False)
router.include_router(users.router)
router.include_router(tokens.router)

AUDIT_PAGE = 50
"""Audit entries per page of the audit tab."""


def _lang(request: Request) -> str:
    return str(getattr(request.state, "lang", "en") or "en")


@router.get("/settings")
def account(request: Request, principal: PagePrincipal, ws: RequestWorkspace) -> Response:
    """Who am I: role, data scope, permissions, the PII classes I see; change my password; language."""
    me, last_login = None, None
    if principal.user_id is not None:
        info = get_user(ws.app, principal, principal.name)
        me, last_login = masked_users(ws, principal, [info], what="appdb:users")[0], info.last_login_at
    context = {
        "me": me,
        "last_login": last_login,
        "permissions": sorted(principal.permissions),
        "pii_visible": [PII_LABELS[c] for c in PiiClass if c in principal.visible_classes()],
        "capability_labels": CAPABILITY_LABELS,
        "action_labels": ACTION_LABELS,
    }
    return render_tab(request, principal, "account", "settings/account.html", context)


@router.post("/settings/password")
def password(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    repeat: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Change my own password with :func:`zhongtai.appdb.change_password` (a wrong current password
    counts toward the lock-out; the policy's problems are listed). Answers the form's fragment."""
    lang = _lang(request)
    context: dict[str, Any] = {}
    if new != repeat:
        context["error"] = gettext(lang, "The two new passwords differ.")
        return render(request, "settings/password_form.html", context, principal=principal, status=200)
    try:
        change_password(ws.app, principal.name, current, new, via="web:settings")
    except ZhongtaiError as exc:
        if exc.status == 401 or exc.code == "auth.locked":
            raise  # a wrong current password: the shared error fragment, like any failed sign-in
        body = exc.to_dict(lang)
        context["error"] = body["message"].splitlines()[0]
        context["problems"] = [p["message"] for p in body.get("problems", [])]
        return render(request, "settings/password_form.html", context, principal=principal, status=200)
    context["changed"] = True
    return render(request, "settings/password_form.html", context, principal=principal)


@router.get("/settings/roles")
def roles(request: Request, principal: PagePrincipal) -> Response:
    """The policy as a matrix: role × capability (read/write/export) and each role's PII classes."""
    role_list = list(Role)
    matrix = [
        (
            CAPABILITY_LABELS[capability],
            capability.value,
            [[ACTION_LABELS[a] for a in Action if (capability, a) in _pairs(role)] for role in role_list],
        )
        for capability in Capability
    ]
    pii = [
        (
            PII_LABELS[c],
            c.value,
            [c in ROLE_PII[role] and (Capability.PII, Action.READ) in _pairs(role) for role in role_list],
        )
        for c in PiiClass
        if c is not PiiClass.NONE
    ]
    context = {"role_list": role_list, "matrix": matrix, "pii": pii, "my_role": principal.role}
    return render_tab(request, principal, "roles", "settings/roles.html", context)


def _pairs(role: Role) -> set[tuple[Capability, Action]]:
    return {(p.capability, p.action) for p in ROLE_PERMISSIONS[role]}


@router.get("/settings/workspace")
def workspace(request: Request, principal: PagePrincipal, ws: RequestWorkspace) -> Response:
    """The shop's settings from ``zhongtai.toml`` (read-only here: no audited settings command exists)."""
    require_tab(principal, "workspace")
    shop = ws.settings.shop
    context = {
        "shop": shop,
        "format_version": ws.settings.workspace.format_version,
        "version": __version__,
        "max_reject_rate": ws.settings.ingest.max_reject_rate,
        "memory_limit": ws.settings.ingest.memory_limit,
    }
    return render_tab(request, principal, "workspace", "settings/workspace.html", context)


@router.get("/settings/audit")
def audit(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Newest audit entries, 50 a page, older pages by ``?before=<seq>`` (keyset paging). With
    ``audit:read`` the whole log; without it the DAO returns only the principal's own entries."""
    chosen = action.strip() if action and action.strip() else None
    entries = list_audit(ws.app, principal, limit=AUDIT_PAGE + 1, action=chosen, before_seq=before)
    more = len(entries) > AUDIT_PAGE
    entries = entries[:AUDIT_PAGE]
    context = {
        "entries": entries,
        "older": entries[-1].seq if more and entries else None,
        "before": before,
        "action": chosen or "",
        "whole_log": principal.can(Capability.AUDIT, Action.READ),
    }
    return render_tab(request, principal, "audit", "settings/audit.html", context)
