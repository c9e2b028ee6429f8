"""``zhongtai identity``: resolve accounts into members, report, merge, split, candidates, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, ReasonOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Unified member ids (OneID). / 统一会员身份识别。")


def _rules(path: Path | None):  # type: ignore[no-untyped-def]
    from zhongtai.warehouse.identity import DEFAULT_RULES, load_rules

    return load_rules(path) if path else DEFAULT_RULES


@app.command("resolve")
@command
def identity_resolve(
    out: Output,
    full: Annotated[
        bool, typer.Option("--full/--incremental", help="Whole warehouse or new records only / 全量或增量")
    ] = False,
    rules: Annotated[Path | None, typer.Option(help="Rules TOML overriding the defaults / 规则文件")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Link accounts into members and rewrite member_id. / 将账号归并为会员并改写 member_id。"""
    from zhongtai.customers import resolve

    with open_ws(workspace) as ws, out.progress() as bar:
        result = resolve(
            ws, act_as(ws, as_user), mode="full" if full else "incremental", rules=_rules(rules), progress=bar
        )
    if out.as_json:
        out.json(result.to_dict())
        return
    out.say(
        "cli.identity.resolved", run=result.run_id, mode=result.mode, records=result.records, members=result.members,
        merged=result.merged, split=result.split, created=result.created, changed=result.changed_records,
        rows=result.rows_rewritten, seconds=result.seconds,
    )  # fmt: skip


@app.command("report")
@command
def identity_report(
    out: Output,
    truth: Annotated[
        Path | None, typer.Option(help="Reference CSV/Parquet: source, customer_id, person_id / 参照文件")
    ] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Members, cluster sizes, blocked identifiers, flags, and pairwise scores. / 识别质量报告。"""
    from zhongtai.customers import report

    with open_ws(workspace, read_only=True) as ws:
        data = report(ws, act_as(ws, as_user), truth=truth)
    if out.as_json:
        out.json(data)
        return
    rows = [("members", data["members"]), ("accounts", data["accounts"]),
            ("candidates_pending", data["candidates_pending"]),
            ("overrides_active", data["overrides_active"])]  # fmt: skip
    rows += [(f"size {k}", v) for k, v in data["cluster_sizes"].items()]
    rows += [(f"status {k}", v) for k, v in data["identifier_status"].items()]
    rows += [(f"blocked {b['id_type']} {b['value_ref']} ({b['reason']})", b["accounts"]) for b in data["blocked"]]
    rows += [(f"flagged {f['member_id']}", f["accounts"]) for f in data["flagged"]]
    if "scores" in data:
        rows += [(f"score {k}", round(v, 4) if isinstance(v, float) else v) for k, v in data["scores"].items()]
    out.table(None, ["", ""], rows)


@app.command("merge")
@command
def identity_merge(
    out: Output,
    member_ids: Annotated[list[str], typer.Argument(help="Two or more member ids / 两个以上会员编号")],
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Merge members into one (audited, undoable). / 合并会员(可审计、可撤销)。"""
    from zhongtai.customers import merge

    with open_ws(workspace) as ws:
        decision = merge(ws, act_as(ws, as_user), member_ids, reason=reason)
    _decision(out, decision)


@app.command("unmerge")
@command
def identity_unmerge(
    out: Output,
    member_id: Annotated[str, typer.Argument(help="Member id / 会员编号")],
    accounts: Annotated[list[str], typer.Argument(help="Accounts to split off, SOURCE:CUSTOMER_ID / 要拆出的账号")],
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Split accounts off a member (audited, undoable). / 从会员中拆出账号。"""
    from zhongtai.customers import unmerge

    with open_ws(workspace) as ws:
        decision = unmerge(ws, act_as(ws, as_user), member_id, accounts, reason=reason)
    _decision(out, decision)


@app.command("undo")
@command
def identity_undo(
    out: Output,
    override_id: Annotated[int, typer.Argument(help="Decision id / 决定编号")],
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Undo a merge or split. / 撤销合并或拆分。"""
    from zhongtai.customers import undo

    with open_ws(workspace) as ws:
        decision = undo(ws, act_as(ws, as_user), override_id, reason=reason)
    if out.as_json:
        out.json(decision.to_dict())
        return
    out.say(
        "cli.identity.undone",
        override=decision.override_id,
        changed=decision.result.changed_records if decision.result else 0,
    )


@app.command("candidates")
@command
def identity_candidates(
    out: Output,
    find: Annotated[
        bool, typer.Option("--find/--list", help="Score again with Splink, or list pending / 重新打分或列出")
    ] = False,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Match probability / 匹配概率阈值")] = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Probabilistic candidate links awaiting a decision. / 待确认的概率匹配候选。"""
    from zhongtai.customers import pending_links, suggest_links

    with open_ws(workspace, read_only=not find) as ws:
        principal = act_as(ws, as_user)
        found = suggest_links(ws, principal, threshold=threshold) if find else pending_links(ws, principal)
    if out.as_json:
        out.json([c.to_dict() for c in found])
        return
    if not found:
        out.say("cli.identity.none")
        return
    out.table(None, ["id", "a", "b", "p"],
              [(c.candidate_id, f"{c.a_source}:{c.a_customer_id}", f"{c.b_source}:{c.b_customer_id}",
                round(c.probability, 4))
               for c in found])  # fmt: skip


@app.command("accept")
@command
def identity_accept(
    out: Output,
    candidate_id: Annotated[int, typer.Argument(help="Candidate id / 候选编号")],
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead / 改为拒绝")] = False,
    reason: ReasonOpt = None,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Accept (or --reject) a candidate link. / 接受(或拒绝)候选关联。"""
    from zhongtai.customers import accept_link, reject_link

    with open_ws(workspace) as ws:
        principal = act_as(ws, as_user)
        if reject:
            reject_link(ws, principal, candidate_id, reason=reason)
            decision = None
        else:
            decision = accept_link(ws, principal, candidate_id, reason=reason)
    if decision is None:
        out.json({"rejected": candidate_id}) if out.as_json else out.say(
            "cli.identity.rejected", candidate=candidate_id
        )
        return
    _decision(out, decision)


def _decision(out: Output, decision: object) -> None:
    from zhongtai.warehouse.identity import Override

    assert isinstance(decision, Override)
    if out.as_json:
        out.json(decision.to_dict())
        return
    out.say("cli.identity.decision", override=decision.override_id, kind=decision.kind,
            changed=decision.result.changed_records if decision.result else 0)  # fmt: skip
