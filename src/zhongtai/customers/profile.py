"""The customer 360: one object with everything the shop knows about one member.

``customer_profile(ws, member_id, principal)`` resolves the id (an id retired by a merge redirects
to the member that absorbed it), then reads every person-level table for that member through
:func:`zhongtai.policy.secure_query` (the caller's data scope becomes a SQLGlot predicate) and
:func:`zhongtai.policy.mask` (PII masked by the caller's role; any unmasked PII is written to the
audit log before it is returned). Nothing here decides who may see what.

Fields later issues own (RFM class, CLV, churn risk, segments) are typed optional fields, ``None``
until their tables exist.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from zhongtai.errors import NotFoundError
from zhongtai.policy import Action, Capability, Principal, mask, secure_query
from zhongtai.warehouse._sql import col, fragment, lit, run, tbl
from zhongtai.warehouse.identity import current_member_id, member_accounts

__all__ = ["CustomerProfile", "OrderSummary", "customer_profile"]

_PROFILE_COLUMNS = (
    "source", "customer_id", "name", "nickname", "gender", "birth_date", "phone", "email", "member_card",
    "province", "city", "district", "address", "channel_id", "registered_at",
)  # fmt: skip
_SECTIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "identifiers": (("source", "customer_id", "id_type", "id_value", "method", "first_seen_at", "last_seen_at"), None),
    "events": (("source", "event_type", "event_time", "channel_id", "sku", "page"), "event_time"),
    "reviews": (("source", "review_id", "order_id", "sku", "rating", "title", "text", "created_at"), "created_at"),
    "cs_messages": (("source", "conversation_id", "sender", "sent_at", "text", "channel_id", "order_id"), "sent_at"),
    "nps_responses": (("source", "response_id", "score", "comment", "responded_at", "touchpoint"), "responded_at"),
    "consents": (("source", "customer_id", "channel", "purpose", "status", "changed_at"), "changed_at"),
    "member_tiers": (("source", "tier", "valid_from", "valid_to", "reason"), "valid_from"),
}
_TABLE_OF = {"identifiers": "identities"}


@dataclass(frozen=True, slots=True)
class OrderSummary:
    """Lifetime orders of the member on one channel; money in the shop currency (``currency``)."""

    channel_id: str | None
    currency: str | None
    orders: int
    paid_amount: Decimal
    first_order_at: Any
    last_order_at: Any


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """One member's 360. ``requested_id`` is what the caller asked for; ``member_id`` what it means now.

    Lists hold masked rows (dicts) newest first, at most ``recent`` of events, reviews, service
    messages and NPS answers. ``rfm_class``, ``clv`` and ``churn_risk`` are filled by later issues.
    """

    member_id: str
    requested_id: str
    redirected: bool
    accounts: list[dict[str, Any]]
    channels: list[str]
    identifiers: list[dict[str, Any]]
    orders: list[OrderSummary]
    lifetime_orders: int
    lifetime_paid: dict[str, Decimal]
    events: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    cs_messages: list[dict[str, Any]] = field(default_factory=list)
    nps_responses: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    member_tiers: list[dict[str, Any]] = field(default_factory=list)
    rfm_class: str | None = None
    clv: Decimal | None = None
    churn_risk: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _present(ws: Any) -> set[str]:
    query = fragment("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
    return {str(r[0]) for r in run(ws.warehouse.con, query)}


def _read(ws: Any, principal: Principal, table: str, columns: tuple[str, ...], member_id: str,
          order: str | None, limit: int | None) -> list[dict[str, Any]]:  # fmt: skip
    query = (
        exp.select(*[col(c) for c in columns])
        .from_(tbl(table))
        .where(exp.EQ(this=col("member_id"), expression=lit(member_id)))
    )
    if order:
        query = query.order_by(exp.Ordered(this=col(order), desc=True))
    if limit:
        query = query.limit(limit)
    restricted, policies = secure_query(query, principal)
    data = ws.warehouse.arrow(restricted)
    masked = mask(data, principal, audit=ws.app, what=f"customers:360:{table}", columns=policies, table=table)
    return list(masked.to_pylist())


def customer_profile(ws: Any, member_id: str, principal: Principal, *, recent: int = 20) -> CustomerProfile:
    """The 360 of ``member_id`` for ``principal`` (needs ``customers:read``); see the module docstring."""
    principal.require(Capability.CUSTOMERS, Action.READ)
    con = ws.warehouse.con
    current = current_member_id(con, member_id)
    if current is None or not member_accounts(con, current):
        raise NotFoundError("identity.member_not_found", member_id=member_id)
    present = _present(ws)
    accounts = _read(ws, principal, "customers", _PROFILE_COLUMNS, current, "registered_at", None)
    sections: dict[str, list[dict[str, Any]]] = {}
    for name, (columns, order) in _SECTIONS.items():
        table = _TABLE_OF.get(name, name)
        sections[name] = (
            _read(
                ws, principal, table, columns, current, order, None if name in ("identifiers", "consents") else recent
            )
            if table in present
            else []
        )
    orders: list[OrderSummary] = []
    if "orders" in present:
        query = (
            exp.select(
                col("channel_id"),
                col("currency"),
                exp.Count(this=exp.Star()).as_("orders"),
                exp.Coalesce(this=exp.Sum(this=col("paid_amount")), expressions=[lit(0)]).as_("paid_amount"),
                exp.Min(this=col("order_time")).as_("first_order_at"),
                exp.Max(this=col("order_time")).as_("last_order_at"),
            )
            .from_(tbl("orders"))
            .where(exp.EQ(this=col("member_id"), expression=lit(current)))
            .group_by(col("channel_id"), col("currency"))
            .order_by(col("channel_id"))
        )
        restricted, _ = secure_query(query, principal)
        for row in ws.warehouse.arrow(restricted).to_pylist():
            orders.append(OrderSummary(row["channel_id"], row["currency"], int(row["orders"]),
                                       Decimal(row["paid_amount"]),
                                       row["first_order_at"], row["last_order_at"]))  # fmt: skip
    paid: dict[str, Decimal] = {}
    for summary in orders:
        paid[summary.currency or ""] = paid.get(summary.currency or "", Decimal(0)) + summary.paid_amount
    channels = sorted(
        {str(a["channel_id"]) for a in accounts if a.get("channel_id")} | {o.channel_id for o in orders if o.channel_id}
    )
    return CustomerProfile(
        member_id=current,
        requested_id=member_id,
        redirected=current != member_id,
        accounts=accounts,
        channels=channels,
        identifiers=sections["identifiers"],
        orders=orders,
        lifetime_orders=sum(o.orders for o in orders),
        lifetime_paid=paid,
        events=sections["events"],
        reviews=sections["reviews"],
        cs_messages=sections["cs_messages"],
        nps_responses=sections["nps_responses"],
        consents=sections["consents"],
        member_tiers=sections["member_tiers"],
    )
