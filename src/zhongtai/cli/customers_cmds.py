"""``zhongtai customers``: the customer 360."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhongtai.cli._auth import AsOpt, act_as
from zhongtai.cli._common import Output, WorkspaceOpt, command, open_ws

app = typer.Typer(help="Customers and the 360 profile. / 客户与 360 画像。")


@app.command("show")
@command
def customers_show(
    out: Output,
    member_id: Annotated[str, typer.Argument(help="Member id / 会员编号")],
    recent: Annotated[int, typer.Option(min=1, max=500, help="Recent rows per section / 每节最近条数")] = 20,
    as_user: AsOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """One member's 360, PII masked for your role. / 单个会员的 360 画像(按角色脱敏)。"""
    from zhongtai.customers import customer_profile

    with open_ws(workspace, read_only=True) as ws:
        profile = customer_profile(ws, member_id, act_as(ws, as_user), recent=recent)
    if out.as_json:
        out.json(profile.to_dict())
        return
    if profile.redirected:
        out.say("customers.member_redirected", old=profile.requested_id, member_id=profile.member_id)
    out.table(profile.member_id, ["source", "customer_id", "name", "phone", "email", "city", "channel_id"],
              [(a.get("source"), a.get("customer_id"), a.get("name"), a.get("phone"), a.get("email"), a.get("city"),
                a.get("channel_id")) for a in profile.accounts])  # fmt: skip
    out.table(None, ["source", "id_type", "id_value"],
              [(i.get("source"), i.get("id_type"), i.get("id_value")) for i in profile.identifiers])  # fmt: skip
    out.table(None, ["channel_id", "orders", "paid_amount", "currency", "last_order_at"],
              [(o.channel_id, o.orders, o.paid_amount, o.currency, o.last_order_at)
               for o in profile.orders])  # fmt: skip
    for name in ("events", "reviews", "cs_messages", "nps_responses", "consents", "member_tiers"):
        rows = getattr(profile, name)
        if rows:
            headers = list(rows[0].keys())
            out.table(name, headers, [[r.get(h) for h in headers] for r in rows])
