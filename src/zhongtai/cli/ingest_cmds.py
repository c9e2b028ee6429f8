"""``zhongtai ingest``, ``zhongtai loads`` and ``zhongtai quarantine``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zhongtai.cli._auth import AsOpt, ReasonOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws
from zhongtai.errors import NotFoundError
from zhongtai.policy import Action, Capability

app = typer.Typer()
quarantine_app = typer.Typer(help="Rejected rows and why. / 被拒绝的行及原因。")


@app.command("ingest")
@command
def ingest(
    out: Output,
    file: Annotated[Path, typer.Argument(help="CSV, Excel, Parquet or JSON Lines file / 要加载的文件")],
    source: Annotated[str, typer.Option(help="System the file came from, or an adapter name / 来源系统或适配器名")],
    mapping: Annotated[Path | None, typer.Option(help="Mapping YAML for a generic load / 通用映射文件")] = None,
    adapter: Annotated[str | None, typer.Option(help="Adapter to use when it differs from --source")] = None,
    force: Annotated[bool, typer.Option(help="Load again even if this exact file was loaded")] = False,
    max_reject_rate: Annotated[
        float | None, typer.Option(min=0, max=1, help="Refuse the load above this share of bad rows")
    ] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Load a file; bad rows go to quarantine with reasons. / 加载文件,问题行进入隔离区。"""
    from zhongtai.jobs import run_job

    params = {
        "file": str(file),
        "source": source,
        "adapter": adapter,
        "mapping": str(mapping) if mapping else None,
        "force": force,
        "max_reject_rate": max_reject_rate,
    }
    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.INGEST, Action.WRITE)
        with out.progress() as progress:
            run = run_job(ws, "ingest", params, progress=progress)
    result = run.result
    if out.as_json:
        out.json({"run_id": run.run_id, **result, "hooks": run.hooks})
        return
    record = result.get("record")
    if result["status"] == "unchanged":
        out.say("cli.load_unchanged", file=file.name, load_id=result["previous_load_id"])
        return
    assert record is not None
    out.say(
        "cli.load_committed",
        load_id=record["load_id"],
        loaded=f"{record['rows_loaded']:,}",
        read=f"{record['rows_read']:,}",
        file=file.name,
        quarantined=f"{record['rows_quarantined']:,}",
        seconds=record["duration_s"],
    )
    rows = [
        (t, c["received"], c["inserted"], c["updated"], c["unchanged"], c["deleted"])
        for t, c in record["table_counts"].items()
    ]
    out.table(
        None,
        [
            out.t("cli.table"),
            out.t("cli.read"),
            out.t("cli.inserted"),
            out.t("cli.updated"),
            out.t("cli.unchanged"),
            out.t("cli.deleted"),
        ],
        rows,
    )
    if record["ignored_columns"]:
        out.say("cli.ignored_columns", columns=", ".join(record["ignored_columns"]))
    if result["top_rules"]:
        out.table(
            out.t("cli.top_rules"),
            [out.t("cli.rule"), out.t("cli.rows")],
            [(r["rule"], r["rows"]) for r in result["top_rules"]],
        )
        out.say("cli.quarantine_file", load_id=record["load_id"])


@app.command("loads")
@command
def loads(
    out: Output,
    limit: Annotated[int, typer.Option(min=1, help="How many / 条数")] = 20,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Recent loads: file, rows read/loaded/quarantined. / 最近的加载记录。"""
    from zhongtai.warehouse.ingest import list_loads

    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.INGEST, Action.READ)
        records = list_loads(ws.warehouse.con, limit=limit)
    if out.as_json:
        out.json([r.to_dict() for r in records])
        return
    rows = [
        (
            r.load_id,
            r.status,
            r.file_name,
            r.source,
            r.adapter,
            r.rows_read,
            r.rows_loaded,
            r.rows_quarantined,
            r.error_code or "",
            r.started_at.isoformat(sep=" ", timespec="seconds") if r.started_at else "",
            r.duration_s,
        )
        for r in records
    ]
    out.table(
        None,
        [
            out.t("cli.load"),
            out.t("cli.status"),
            out.t("cli.file"),
            out.t("cli.source"),
            out.t("cli.adapter"),
            out.t("cli.read"),
            out.t("cli.loaded"),
            out.t("cli.quarantined"),
            out.t("cli.error"),
            out.t("cli.started"),
            out.t("cli.duration"),
        ],
        rows,
    )


def _quarantine(ws: Any, load_id: int) -> tuple[Path, list[str]]:
    """The quarantine file of a load and the tables the load wrote to (their PII classes gate ``--raw``)."""
    from zhongtai.warehouse.ingest import get_load

    record = get_load(ws.warehouse.con, load_id)
    if not record.quarantine_file:
        raise NotFoundError("quarantine.none", load_id=load_id)
    return ws.quarantine_dir / record.quarantine_file, list(record.table_counts)


@quarantine_app.command("list")
@command
def quarantine_list(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Loads that quarantined rows. / 有隔离行的加载。"""
    from zhongtai.policy import Action, Capability
    from zhongtai.warehouse.ingest import list_loads

    with open_ws(workspace) as ws:
        act_as(ws, as_user).require(Capability.QUARANTINE, Action.READ)
        records = [r for r in list_loads(ws.warehouse.con, limit=1000) if r.rows_quarantined]
    if out.as_json:
        out.json(
            [
                {
                    "load_id": r.load_id,
                    "file": r.file_name,
                    "status": r.status,
                    "rows": r.rows_quarantined,
                    "quarantine_file": r.quarantine_file,
                }
                for r in records
            ]
        )
        return
    out.table(
        None,
        [out.t("cli.load"), out.t("cli.file"), out.t("cli.status"), out.t("cli.quarantined")],
        [(r.load_id, r.file_name, r.status, r.rows_quarantined) for r in records],
    )


@quarantine_app.command("show")
@command
def quarantine_show(
    out: Output,
    load_id: Annotated[int, typer.Argument(help="Load id / 加载编号")],
    limit: Annotated[int, typer.Option(min=1)] = 50,
    raw: Annotated[
        bool, typer.Option(help="Include the original cells (needs the PII rights of the load's tables; audited)")
    ] = False,
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Rejected rows of one load with row, column and reason. / 某次加载被拒绝的行、列与原因。"""
    from zhongtai.policy import Action, Capability, reveal_quarantine
    from zhongtai.warehouse.ingest import read_quarantine

    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
        principal.require(Capability.QUARANTINE, Action.READ)
        path, tables = _quarantine(ws, load_id)
        records = reveal_quarantine(
            read_quarantine(path, limit=limit),
            principal,
            tables=tables,
            raw=raw,
            audit=ws.app,
            what=f"quarantine:load-{load_id}",
            reason=reason,
        )
    reason_key = "reason_zh" if out.lang == "zh_CN" else "reason_en"
    if out.as_json:
        out.json(records)
        return
    headers = [out.t("cli.row"), out.t("cli.column"), out.t("cli.rule"), out.t("cli.reason")]
    rows = [
        (r["row"], r["column"] or "", r["rule"], r[reason_key]) + ((r.get("raw", ""),) if raw else ()) for r in records
    ]
    out.table(None, headers + (["raw"] if raw else []), rows)


@quarantine_app.command("export")
@command
def quarantine_export(
    out: Output,
    load_id: Annotated[int, typer.Argument(help="Load id / 加载编号")],
    to: Annotated[Path, typer.Option("--to", help="CSV file to write / 导出 CSV 路径")],
    raw: Annotated[
        bool,
        typer.Option(help="Include the original cells (needs the PII export rights of the load's tables; audited)"),
    ] = False,
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Export rejected rows to CSV (formula cells neutralised). / 导出隔离行为 CSV(防公式注入)。"""
    import pyarrow as pa

    from zhongtai.policy import Action, Capability, Purpose, reveal_quarantine, write_table
    from zhongtai.warehouse.ingest import read_quarantine
    from zhongtai.warehouse.ingest.quarantine import QUARANTINE_COLUMNS

    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
        principal.require(Capability.QUARANTINE, Action.EXPORT)
        path, tables = _quarantine(ws, load_id)
        records = reveal_quarantine(
            read_quarantine(path),
            principal,
            tables=tables,
            raw=raw,
            audit=ws.app,
            what=f"quarantine:load-{load_id}",
            purpose=Purpose.EXPORT,
            reason=reason,
            target=to.name,
        )
    columns = [c for c in QUARANTINE_COLUMNS if raw or c != "raw"]
    write_table(
        pa.table(
            {
                c: pa.array([r.get(c) for r in records], pa.string() if c not in ("load_id", "row") else pa.int64())
                for c in columns
            }
        ),
        to,
    )
    if out.as_json:
        out.json({"path": str(to), "records": len(records)})
    else:
        out.say("cli.exported", count=len(records), path=to)
