"""Customers: the customer 360 and the operator's identity actions (merge, split, candidates).

Later issues add RFM, CLV, churn and tiers here; they meet other domains through warehouse tables.
"""

from zhongtai.customers.directory import MemberSummary, top_members
from zhongtai.customers.members import (
    accept_link,
    merge,
    parse_account,
    pending_links,
    read_reference,
    reject_link,
    report,
    resolve,
    suggest_links,
    undo,
    unmerge,
)
from zhongtai.customers.profile import CustomerProfile, OrderSummary, customer_profile

__all__ = [
    "CustomerProfile",
    "MemberSummary",
    "OrderSummary",
    "accept_link",
    "customer_profile",
    "merge",
    "parse_account",
    "pending_links",
    "read_reference",
    "reject_link",
    "report",
    "resolve",
    "suggest_links",
    "top_members",
    "undo",
    "unmerge",
]
