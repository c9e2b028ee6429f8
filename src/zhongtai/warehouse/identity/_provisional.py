"""Composition of member ids from source-local ids (the one place that does it).

Until identity resolution links people across systems, every ``(source, customer_id)`` is its
own member: ``member_id = "M" + first 16 hex digits of md5(source + U+001F + customer_id)``.
The SQL form and the Python form are the same function, checked by a test.
"""

from __future__ import annotations

import hashlib

from sqlglot import exp

from zhongtai.warehouse._sql import fragment

__all__ = ["SEPARATOR", "provisional_member_id", "provisional_member_id_sql"]

SEPARATOR = "\x1f"


def provisional_member_id(source: str, customer_id: str | None) -> str | None:
    """The member id of a person nobody has linked yet (``None`` without a customer id)."""
    if customer_id is None:
        return None
    digest = hashlib.md5(f"{source}{SEPARATOR}{customer_id}".encode(), usedforsecurity=False).hexdigest()
    return "M" + digest[:16]


def provisional_member_id_sql(source: exp.Expr, customer_id: exp.Expr) -> exp.Expr:
    """SQL twin of :func:`provisional_member_id` (NULL when ``customer_id`` is NULL)."""
    return fragment(
        "CASE WHEN :cid IS NULL THEN NULL ELSE 'M' || SUBSTR(MD5(:src || CHR(31) || :cid), 1, 16) END",
        src=source,
        cid=customer_id,
    )
