"""``/api/v1/ingest``: upload a file and load it through the job runner (``ingest:write``), list
loads (``ingest:read``) and read a load's quarantine (``quarantine:read``), masked by role.

The upload is written to the workspace's ``tmp/uploads`` folder under a random name and loaded by
``run_job(ws, "ingest", …)`` exactly as ``zhongtai ingest`` does, holding the server's write lock
(one warehouse writer); the file is removed afterwards (the load keeps its own quarantine file).
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import Response

from zhongtai.errors import NotFoundError
from zhongtai.jobs import run_job
from zhongtai.policy import Action, Capability, reveal_quarantine
from zhongtai.server.auth import CurrentPrincipal, server_state
from zhongtai.server.deps import PageParams, RequestWorkspace, json_response, page_of
from zhongtai.warehouse.ingest import get_load, list_loads, read_quarantine
from zhongtai.workspace import Workspace

router = APIRouter(tags=["ingest"])
LoadId = Annotated[int, Path(ge=1, le=2**62)]
_UNSAFE = re.compile(r"[^\w.\-]+")
REPORT_ROWS = 50
"""Quarantined rows returned with an upload's answer (the rest: the quarantine route)."""


def _quarantine(ws: Workspace, load_id: int) -> tuple[FsPath, list[str]]:
    record = get_load(ws.warehouse.con, load_id)
    if not record.quarantine_file:
        raise NotFoundError("quarantine.none", load_id=load_id)
    return ws.quarantine_dir / record.quarantine_file, list(record.table_counts)


def _revealed(ws: Workspace, principal: Any, load_id: int, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    path, tables = _quarantine(ws, load_id)
    records = read_quarantine(path, limit=offset + limit)[offset:]
    return reveal_quarantine(
        records, principal, tables=tables, raw=False, audit=ws.app, what=f"quarantine:load-{load_id}"
    )


@router.post("/ingest", status_code=201, summary="Upload and load a file / 上传并加载文件")
def upload(
    request: Request,
    principal: CurrentPrincipal,
    ws: RequestWorkspace,
    file: Annotated[UploadFile, File(description="CSV, Excel, Parquet or JSON Lines / 数据文件")],
    source: Annotated[str, Form(min_length=1, max_length=100, description="Source system or adapter / 来源")],
    mapping: Annotated[UploadFile | None, File(description="Mapping YAML for a generic load / 通用映射文件")] = None,
    adapter: Annotated[str | None, Form(max_length=100)] = None,
    force: Annotated[bool, Form()] = False,
    max_reject_rate: Annotated[float | None, Form(ge=0, le=1)] = None,
) -> Response:
    principal.require(Capability.INGEST, Action.WRITE)
    name = _UNSAFE.sub("_", FsPath(file.filename or "upload").name)[-120:].lstrip(".") or "upload"
    folder = ws.tmp_dir / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True)
    try:
        target = folder / name
        with target.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        mapping_path = None
        if mapping is not None:
            mapping_path = folder / ".mapping.yaml"  # an upload name never starts with "."
            with mapping_path.open("wb") as out:
                shutil.copyfileobj(mapping.file, out)
        params = {
            "file": str(target),
            "source": source,
            "adapter": adapter,
            "mapping": str(mapping_path) if mapping_path else None,
            "force": force,
            "max_reject_rate": max_reject_rate,
        }
        with server_state(request).writing():
            run = run_job(ws, "ingest", params)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = dict(run.result)
    record = result.get("record") or {}
    quarantine: list[dict[str, Any]] = []
    if record.get("rows_quarantined") and principal.can(Capability.QUARANTINE, Action.READ):
        quarantine = _revealed(ws, principal, int(record["load_id"]), REPORT_ROWS)
    return json_response({"run_id": run.run_id, **result, "hooks": run.hooks, "quarantine": quarantine}, status=201)


@router.get("/ingest/loads", summary="Recent loads / 最近的加载")
def loads(principal: CurrentPrincipal, ws: RequestWorkspace, page: PageParams) -> Response:
    principal.require(Capability.INGEST, Action.READ)
    found = list_loads(ws.warehouse.con, limit=page.offset + page.limit + 1)
    items = found[page.offset :]
    return json_response(page_of(items, page, windowed=True))


@router.get("/ingest/loads/{load_id}/quarantine", summary="Quarantined rows of a load / 加载的隔离行")
def quarantine(principal: CurrentPrincipal, ws: RequestWorkspace, load_id: LoadId, page: PageParams) -> Response:
    principal.require(Capability.QUARANTINE, Action.READ)
    items = _revealed(ws, principal, load_id, page.limit + 1, page.offset)
    return json_response(page_of(items, page, windowed=True))
