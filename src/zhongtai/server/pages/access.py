"""Who is looking at a page: the signed-in principal, or a trip to the sign-in page.

Pages use the same sessions, CSRF rule and permission checks as the REST API
(:func:`zhongtai.server.auth.current_principal`); only the answer to "not signed in" differs: a
303 redirect to ``/login?next=…`` (an HTMX request gets ``HX-Redirect`` instead, which HTMX
follows with a full page load), and errors render as an HTML page or fragment in the request's
language instead of problem+json.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from zhongtai.appdb import AuthenticationError
from zhongtai.errors import ZhongtaiError
from zhongtai.policy import Principal
from zhongtai.server.auth import current_principal

__all__ = ["LoginRequired", "PagePrincipal", "error_page", "login_redirect", "page_principal", "safe_next"]


class LoginRequired(Exception):
    """Raised by :func:`page_principal` when no valid session comes with a page request."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next(value: str | None) -> str:
    """A local path to return to after sign-in (anything else, e.g. ``//evil.com``, is ``/``)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def page_principal(request: Request) -> Principal:
    """The principal of a page request, or :class:`LoginRequired`."""
    try:
        return current_principal(request)
    except AuthenticationError as exc:
        if exc.code in {"server.login_required", "auth.invalid_token"}:
            raise LoginRequired(request.url.path) from exc
        raise


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def login_redirect(request: Request, next_path: str) -> Response:
    target = "/login?next=" + quote(safe_next(next_path), safe="/")
    if request.headers.get("hx-request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, exc: ZhongtaiError) -> Response:
    """``exc`` as an HTML page (a fragment for HTMX) in the request's language."""
    from zhongtai.server.pages.templating import render  # the layout imports the navigation

    lang = str(getattr(request.state, "lang", "en") or "en")
    try:
        principal: Principal | None = current_principal(request) if request.method == "GET" else None
    except ZhongtaiError:
        principal = None
    template = "error_fragment.html" if request.headers.get("hx-request") == "true" else "error.html"
    body = exc.to_dict(lang)
    response = render(
        request,
        template,
        {"status": exc.status, "code": exc.code, "message": body["message"]},
        principal=principal,
        status=exc.status,
    )
    if request.headers.get("hx-request") == "true":
        # HTMX swaps only 2xx answers by default; retarget the message to the page's alert area.
        response.status_code = 200
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response
