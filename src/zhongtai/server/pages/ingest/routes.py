"""``/ingest``: upload a file, read the load report and the quarantine of any load.

The upload does what ``POST /api/v1/ingest`` does: the file (and an optional mapping YAML) is
written under a random folder in the workspace's ``tmp/uploads``, loaded by
``run_job(ws, "ingest", …)`` holding the server's write lock (``ingest:write``), and removed. The
answer is an HTMX fragment: rows read/loaded/quarantined per table, the quarantine reasons by count
in the reader's language, and the first quarantined rows (row, column, reason) through
:func:`zhongtai.policy.reveal_quarantine` with ``raw=False`` — exactly what the API returns, never
the original cells. A file that cannot be loaded at all (unreadable, missing columns) answers with
the error's own message (file, column, reason), not a server error.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections import Counter
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response

from zhongtai.errors import NotFoundError, ZhongtaiError
from zhongtai.jobs import run_job
from zhongtai.policy import Action, Capability, Principal, reveal_quarantine
from zhongtai.server.auth import server_state
from zhongtai.server.deps import RequestWorkspace
from zhongtai.server.pages.access import PagePrincipal
from zhongtai.server.pages.templating import render
from zhongtai.warehouse.ingest import LoadRecord, get_load, list_loads, read_quarantine
from zhongtai.warehouse.ingest.adapters import adapters
from zhongtai.workspace import Workspace

router = APIRouter(include_in_schema=False)
LoadId = Annotated[int, Path(ge=1, le=2**62)]
_UNSAFE = re.compile(r"[^\w.\-]+")
REPORT_ROWS = 50
"""Quarantined rows shown with an upload's answer (the rest: the load's quarantine page)."""
PAGE_SIZE = 50
REASON_SCAN = 100_000
"""Quarantine records counted by reason (a larger quarantine says the counts cover the first ones)."""


def _visible(
    ws: Workspace, principal: Principal, record: LoadRecord, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """Quarantine records ``offset…offset+limit`` of a load as ``principal`` may see them (no raw cells)."""
    if not record.quarantine_file:
        raise NotFoundError("quarantine.none", load_id=record.load_id)
    records = read_quarantine(ws.quarantine_dir / record.quarantine_file, limit=offset + limit)[offset:]
    return reveal_quarantine(
        records, principal, tables=list(record.table_counts), raw=False, audit=ws.app,
        what=f"quarantine:load-{record.load_id}",
    )  # fmt: skip


def _reasons(records: list[dict[str, Any]], lang: str) -> list[tuple[str, str, int]]:
    """``(rule, reason in lang, rows)`` most frequent first; one reason text per rule (its first)."""
    counts = Counter(str(r.get("rule")) for r in records)
    text: dict[str, str] = {}
    for r in records:
        text.setdefault(str(r.get("rule")), str(r.get("reason_zh" if lang == "zh_CN" else "reason_en") or ""))
    return [(rule, text[rule], n) for rule, n in counts.most_common()]


def _report(ws: Workspace, principal: Principal, record: LoadRecord, lang: str) -> dict[str, Any]:
    context: dict[str, Any] = {"record": record, "quarantine": [], "reasons": [], "reasons_partial": False}
    if record.rows_quarantined and record.quarantine_file and principal.can(Capability.QUARANTINE, Action.READ):
        scanned = _visible(ws, principal, record, REASON_SCAN)
        context["quarantine"] = scanned[:REPORT_ROWS]
        context["reasons"] = _reasons(scanned, lang)
        context["reasons_partial"] = record.rows_quarantined > len(scanned)
    return context


def _newest_load_id(ws: Workspace) -> int | None:
    found = list_loads(ws.warehouse.con, limit=1)
    return found[0].load_id if found else None


def _choices() -> list[tuple[str, str, str]]:
    return [(a.name, a.en, a.zh) for a in adapters()]


@router.get("/ingest")
def ingest_page(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    principal.require(Capability.INGEST, Action.READ)
    found = list_loads(ws.warehouse.con, limit=offset + PAGE_SIZE + 1)
    context = {
        "loads": found[offset : offset + PAGE_SIZE],
        "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
        "next_offset": offset + PAGE_SIZE if len(found) > offset + PAGE_SIZE else None,
        "adapters": _choices(),
        "can_write": principal.can(Capability.INGEST, Action.WRITE),
        "can_quarantine": principal.can(Capability.QUARANTINE, Action.READ),
    }
    template = "ingest/loads.html" if request.headers.get("hx-request") == "true" else "ingest/index.html"
    return render(request, template, context, principal=principal)


def _save(upload: UploadFile, target: FsPath) -> None:
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out)


@router.post("/ingest")
def upload(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(min_length=1, max_length=100)],
    adapter: Annotated[str | None, Form(max_length=100)] = None,
    mapping: Annotated[UploadFile | None, File()] = None,
    force: Annotated[bool, Form()] = False,
) -> Response:
    """Load one uploaded file (``ingest:write``) and answer with the load report fragment."""
    principal.require(Capability.INGEST, Action.WRITE)
    lang = str(request.state.lang)
    name = _UNSAFE.sub("_", FsPath(file.filename or "upload").name)[-120:].lstrip(".") or "upload"
    folder = ws.tmp_dir / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True)
    try:
        target = folder / name
        _save(file, target)
        mapping_path = None
        if mapping is not None and mapping.filename:
            mapping_path = folder / ".mapping.yaml"  # an upload name never starts with "."
            _save(mapping, mapping_path)
        params = {
            "file": str(target),
            "source": source,
            "adapter": adapter or None,
            "mapping": str(mapping_path) if mapping_path else None,
            "force": force,
            "max_reject_rate": None,
        }
        refused: int | None = None
        failure: ZhongtaiError | None = None
        with server_state(request).writing():
            newest_before = _newest_load_id(ws)
            try:
                run = run_job(ws, "ingest", params)
            except ZhongtaiError as exc:
                refused = _newest_load_id(ws)
                failure = exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if failure is not None:
        # The file was refused as a whole (unreadable, columns missing, too many bad rows): say why in
        # the reader's language and, when the loader recorded the refused load, show its quarantine.
        context: dict[str, Any] = {"failed": failure.to_dict(lang), "file_name": name}
        if refused is not None and refused != newest_before:
            context.update(_report(ws, principal, get_load(ws.warehouse.con, refused), lang))
        return render(request, "ingest/report.html", context, principal=principal)
    load_id = run.result.get("load_id")
    if run.result.get("status") == "unchanged" or load_id is None:
        # The same file with the same mapping was committed before (re-loading is idempotent).
        context = {"unchanged": True, "file_name": name, "previous": load_id}
        return render(request, "ingest/report.html", context, principal=principal)
    record = get_load(ws.warehouse.con, int(load_id))
    context = _report(ws, principal, record, lang)
    context.update({"status": run.result.get("status"), "file_name": name, "hooks": run.hooks})
    return render(request, "ingest/report.html", context, principal=principal)


@router.get("/ingest/loads/{load_id}")
def load_page(
    request: Request,
    principal: PagePrincipal,
    ws: RequestWorkspace,
    load_id: LoadId,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """One load's record and its quarantined rows, a page at a time (``quarantine:read`` for the rows)."""
    principal.require(Capability.INGEST, Action.READ)
    lang = str(request.state.lang)
    record = get_load(ws.warehouse.con, load_id)
    context: dict[str, Any] = {"record": record, "rows": [], "reasons": [], "offset": offset}
    context["can_quarantine"] = principal.can(Capability.QUARANTINE, Action.READ)
    more = False
    if record.quarantine_file and context["can_quarantine"]:
        rows = _visible(ws, principal, record, PAGE_SIZE + 1, offset)
        more = len(rows) > PAGE_SIZE
        context["rows"] = rows[:PAGE_SIZE]
        scanned = _visible(ws, principal, record, REASON_SCAN)
        context["reasons"] = _reasons(scanned, lang)
        context["reasons_partial"] = record.rows_quarantined > len(scanned)
    context["previous_offset"] = max(offset - PAGE_SIZE, 0) if offset else None
    context["next_offset"] = offset + PAGE_SIZE if more else None
    return render(request, "ingest/load.html", context, principal=principal)
