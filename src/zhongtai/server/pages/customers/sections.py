"""The 360's row sections as page tables: which columns each shows, under which label.

Labels are English source messages (marked with ``N_`` so the catalogue test extracts them) and
are translated when the page renders. Cell values are already masked by
:func:`zhongtai.customers.customer_profile`; this module only orders and labels them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["LABELS", "SECTIONS", "Section", "section_rows"]


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


LABELS: dict[str, str] = {
    "source": N_("Source"),
    "customer_id": N_("Account"),
    "name": N_("Customer name"),
    "nickname": N_("Nickname"),
    "gender": N_("Gender"),
    "birth_date": N_("Birth date"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "member_card": N_("Member card"),
    "province": N_("Province"),
    "city": N_("City"),
    "district": N_("District"),
    "address": N_("Address"),
    "channel_id": N_("Channel"),
    "registered_at": N_("Registered"),
    "id_type": N_("Identifier type"),
    "id_value": N_("Identifier"),
    "method": N_("Linked by"),
    "first_seen_at": N_("First seen"),
    "last_seen_at": N_("Last seen"),
    "event_type": N_("Event"),
    "event_time": N_("Time"),
    "sku": N_("SKU"),
    "page": N_("Page"),
    "review_id": N_("Review"),
    "order_id": N_("Order"),
    "rating": N_("Rating"),
    "title": N_("Title"),
    "text": N_("Text"),
    "created_at": N_("Time"),
    "conversation_id": N_("Conversation"),
    "sender": N_("Sender"),
    "sent_at": N_("Time"),
    "response_id": N_("Response"),
    "score": N_("Score"),
    "comment": N_("Comment"),
    "responded_at": N_("Time"),
    "touchpoint": N_("Touchpoint"),
    "channel": N_("Channel"),
    "purpose": N_("Purpose"),
    "status": N_("Status"),
    "changed_at": N_("Changed"),
    "tier": N_("Tier"),
    "valid_from": N_("Valid from"),
    "valid_to": N_("Valid to"),
    "reason": N_("Reason"),
}


@dataclass(frozen=True)
class Section:
    """One table of the 360: the profile attribute it reads and its heading."""

    key: str
    title: str
    columns: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section("accounts", N_("Accounts on each channel"), ("source", "customer_id", "name", "nickname", "gender",
            "birth_date", "phone", "email", "member_card", "province", "city", "address", "channel_id",
            "registered_at")),
    Section("identifiers", N_("Identifiers"), ("source", "customer_id", "id_type", "id_value", "method",
            "first_seen_at", "last_seen_at")),
    Section("events", N_("Recent events"), ("event_time", "event_type", "channel_id", "sku", "page")),
    Section("reviews", N_("Reviews"), ("created_at", "rating", "sku", "order_id", "title", "text")),
    Section("cs_messages", N_("Customer service messages"), ("sent_at", "sender", "channel_id", "order_id", "text")),
    Section("nps_responses", N_("NPS answers"), ("responded_at", "score", "touchpoint", "comment")),
    Section("consents", N_("Consents"), ("changed_at", "source", "channel", "purpose", "status")),
    Section("member_tiers", N_("Member tiers"), ("valid_from", "valid_to", "tier", "reason")),
)  # fmt: skip


def section_rows(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[list[Any]]:
    """The cells of ``columns`` for each row (missing keys become ``None``), in the profile's order."""
    return [[row.get(c) for c in columns] for row in rows]


def is_time(value: Any) -> bool:
    """Whether a cell is a timestamp (shown in the shop's time zone) rather than plain text."""
    return isinstance(value, datetime)
