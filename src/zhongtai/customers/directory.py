"""The member directory: members ranked by lifetime paid amount, for finding someone to open.

The console's customer page lists these next to the member-id lookup (there is deliberately no
search by phone or e-mail: looking a person up by a contact detail would let a role without PII
rights confirm whose number it is). Amounts are the sum of ``orders.paid_amount`` in the shop's
currency, the same figure as :attr:`CustomerProfile.lifetime_paid`; rows follow the caller's data
scope (:func:`zhongtai.policy.secure_query`) and pass through :func:`zhongtai.policy.mask`:
``member_id`` is identity PII, so a role without it gets masked ids (``masked=True``), which the
console shows without a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlglot import exp

from zhongtai.policy import Action, Capability, Principal, mask, secure_query
from zhongtai.warehouse._sql import col, lit, tbl

__all__ = ["MemberSummary", "top_members"]


@dataclass(frozen=True, slots=True)
class MemberSummary:
    """One member's lifetime orders (count), paid amount (shop currency) and newest order time (UTC)."""

    member_id: str
    orders: int
    paid_amount: Decimal
    last_order_at: datetime | None
    masked: bool = False
    """Whether ``member_id`` came back masked for the caller (``member_id`` is identity PII), so it
    cannot be used to open the member's 360."""


def top_members(ws: Any, principal: Principal, *, limit: int = 20, offset: int = 0) -> list[MemberSummary]:
    """Members with orders, highest lifetime paid amount first (ties: member id), ``customers:read``.

    Orders without a member id (not yet resolved) are left out; ``limit``/``offset`` page the ranking.
    """
    principal.require(Capability.CUSTOMERS, Action.READ)
    paid = exp.Coalesce(this=exp.Sum(this=col("paid_amount")), expressions=[lit(0)])
    query = (
        exp.select(
            col("member_id"),
            exp.Count(this=exp.Star()).as_("orders"),
            paid.as_("paid_amount"),
            exp.Max(this=col("order_time")).as_("last_order_at"),
        )
        .from_(tbl("orders"))
        .where(exp.Not(this=exp.Is(this=col("member_id"), expression=exp.Null())))
        .group_by(col("member_id"))
        .order_by(exp.Ordered(this=exp.column("paid_amount"), desc=True), exp.Ordered(this=exp.column("member_id")))
        .limit(limit)
        .offset(offset)
    )
    restricted, policies = secure_query(query, principal)
    raw = ws.warehouse.arrow(restricted)
    data = mask(raw, principal, audit=ws.app, what="customers:directory", columns=policies)
    ids = raw.column("member_id").to_pylist()
    return [
        MemberSummary(str(r["member_id"]), int(r["orders"]), Decimal(r["paid_amount"]), r["last_order_at"],
                      masked=r["member_id"] != real)
        for r, real in zip(data.to_pylist(), ids, strict=True)
    ]  # fmt: skip
