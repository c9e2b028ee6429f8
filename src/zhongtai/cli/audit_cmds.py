"""``zhongtai audit`` (list, verify, export the hash-chained log) and ``zhongtai keys`` (encryption keys)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zhongtai.cli._auth import AsOpt, ReasonOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

if TYPE_CHECKING:
    from zhongtai.policy import Keyring

app = typer.Typer(help="The audit log: who did what, when, why. / 审计日志。")
keys_app = typer.Typer(help="Field-encryption keys (ZHONGTAI_ENCRYPTION_KEYS). / 字段加密密钥。")

CHAIN_BROKEN_EXIT = 2


@app.command("list")
@command
def audit_list(
    out: Output,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many / 条数")] = 50,
    action: Annotated[str | None, typer.Option(help="Only this action, or a prefix ending in '.' (user.)")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this user's actions / 仅该用户")] = None,
    since: Annotated[datetime | None, typer.Option(help="From this UTC time / 起始时间(UTC)")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Newest entries (everything with audit:read, else your own). / 最近的审计记录。"""
    from datetime import UTC

    from zhongtai.appdb import list_audit

    with open_ws(workspace) as ws:
        entries = list_audit(
            ws.app,
            act_as(ws, as_user),
            limit=limit,
            action=action,
            actor=actor,
            since=since.replace(tzinfo=since.tzinfo or UTC) if since else None,
        )
    if out.as_json:
        out.json([e.to_dict() for e in entries])
        return
    out.table(
        None,
        [
            "seq",
            out.t("cli.time"),
            out.t("cli.username"),
            out.t("cli.role"),
            "via",
            out.t("cli.action"),
            out.t("cli.target"),
            out.t("cli.reason"),
        ],
        [
            (
                e.seq,
                e.at.isoformat(sep=" ", timespec="seconds"),
                e.actor_name,
                e.actor_role,
                e.via,
                e.action,
                f"{e.target_type or ''}:{e.target_id or ''}".strip(":"),
                e.reason or "",
            )
            for e in entries
        ],
    )


@app.command("verify")
@command
def audit_verify(
    out: Output,
    anchor: Annotated[list[str] | None, typer.Option(help="SEQ:HASH kept from an earlier verify (repeat)")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Recompute the hash chain; exit code 2 if it was tampered with. / 校验哈希链。"""
    from zhongtai.appdb import parse_anchors, verify_audit

    with open_ws(workspace) as ws:
        result = verify_audit(ws.app, act_as(ws, as_user), anchors=parse_anchors(anchor or []))
    if out.as_json:
        out.json(result.to_dict())
    elif result.ok:
        out.say("cli.audit_ok", rows=result.rows, anchor=result.anchor)
    else:
        out.errors.print(out.t("cli.audit_broken", count=len(result.problems)))
        out.table(None, ["seq", out.t("cli.problem")], [(p.seq, p.code) for p in result.problems])
    if not result.ok:
        raise typer.Exit(CHAIN_BROKEN_EXIT)


@app.command("export")
@command
def audit_export(
    out: Output,
    to: Annotated[Path, typer.Option("--to", help=".jsonl (exact) or .csv / 导出文件")],
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Export the whole log (the export itself is logged first). / 导出审计日志。"""
    from zhongtai.appdb import export_audit

    with open_ws(workspace) as ws:
        count = export_audit(ws.app, act_as(ws, as_user), to, reason=reason)
    if out.as_json:
        out.json({"path": str(to), "records": count})
    else:
        out.say("cli.audit_exported", count=count, path=to)


@keys_app.command("generate")
@command
def keys_generate(
    out: Output, key_id: Annotated[str | None, typer.Option("--id", help="Key id / 密钥编号")] = None
) -> None:
    """Print a new key entry to put first in ZHONGTAI_ENCRYPTION_KEYS. / 生成新密钥。"""
    from zhongtai.policy import ENV_KEYS, generate_key

    entry = generate_key(key_id)
    if out.as_json:
        out.json({"entry": entry, "env": ENV_KEYS})
    else:
        out.console.print(entry)
        out.errors.print(out.t("cli.key_generated", env=ENV_KEYS))


@keys_app.command("status")
@command
def keys_status(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Configured key ids (never the keys) and how many values each sealed. / 密钥状态。"""
    from zhongtai.appdb import key_usage
    from zhongtai.policy import keyring_from_env, warehouse_key_usage

    keyring = keyring_from_env()
    with open_ws(workspace) as ws:
        usage = [u.to_dict() for u in key_usage(ws.app, act_as(ws, as_user))]
        for column, counts in warehouse_key_usage(ws.warehouse).items():
            clear = counts.pop("clear", 0)
            usage.append({"column": f"warehouse:{column}", "by_key": counts, "plaintext": clear})
    configured = keyring.ids if keyring else []
    primary = keyring.primary if keyring else None
    if out.as_json:
        out.json({"primary": primary, "configured": configured, "columns": usage})
        return
    out.say("cli.keys_configured", primary=primary or "-", ids=", ".join(configured) or "-")
    out.table(
        None,
        [out.t("cli.column"), out.t("cli.by_key"), out.t("cli.plaintext")],
        [
            (u["column"], ", ".join(f"{k}: {n}" for k, n in sorted(u["by_key"].items())) or "-", u["plaintext"])
            for u in usage
        ],
    )


def _keyring() -> Keyring:
    from zhongtai.errors import ConfigError
    from zhongtai.policy import ENV_KEYS, keyring_from_env

    keyring = keyring_from_env()
    if keyring is None:
        raise ConfigError("crypto.no_keys", env=ENV_KEYS, column="*")
    return keyring


@keys_app.command("seal")
@command
def keys_seal(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Encrypt identity-class warehouse values still in clear text. / 加密数仓中的身份类明文值。"""
    from zhongtai.policy import seal_for

    keyring = _keyring()
    with open_ws(workspace) as ws:
        sealed = seal_for(act_as(ws, as_user), ws.warehouse, keyring, audit=ws.app)
    if out.as_json:
        out.json({"sealed": sealed})
    else:
        out.say("cli.keys_sealed", count=sum(sealed.values()))


@keys_app.command("rotate")
@command
def keys_rotate(out: Output, as_user: AsOpt = None, workspace: WorkspaceOpt = Path(".")) -> None:
    """Re-encrypt every sealed value (app state and warehouse) with the primary key. / 用主密钥重新加密。"""
    from zhongtai.appdb import RotateKeysCommand
    from zhongtai.policy import seal_for

    keyring = _keyring()
    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
        rotated = RotateKeysCommand(ws.app, principal).run()
        rotated.update(
            {
                f"warehouse:{k}": v
                for k, v in seal_for(
                    principal,
                    ws.warehouse,
                    keyring,
                    audit=ws.app,
                ).items()
            }
        )
    if out.as_json:
        out.json({"rotated": rotated})
    else:
        out.say("cli.keys_rotated", count=sum(rotated.values()))
