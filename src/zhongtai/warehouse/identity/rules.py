"""Rules per identifier type: which types link records, how far one value may reach, and in what order.

Identity resolution treats every account (``source`` + ``customer_id``) as a node and every shared,
valid, normalised identifier as an edge. The rules below decide which edges count:

- ``links``: whether the type links records at all (``name_address`` does not: it goes to the
  probabilistic matcher, whose candidates an operator accepts).
- ``scope``: ``global`` values mean the same thing in every system (a phone number); ``source``
  values only within their own system (a WeChat openid is per app, a Taobao OAID per shop), so the
  key is prefixed with the source and can never join two systems.
- ``max_accounts``: a value held by more accounts than this is not a person's identifier but a
  shared one (a store's front-desk phone, a family tablet, a placeholder nobody listed): it links
  nothing and is reported.
- ``priority``: types are applied in passes, strongest first (1). In a later pass a value may join
  at most ``max_anchored`` components that already hold an identifier from an earlier pass: a
  device shared by two people who each gave their own phone would otherwise merge them.

The defaults are tuned by reasoning about what each identifier is, not by fitting a data set; the
demo shop's truth only checks them (tests/warehouse/identity). ``docs/identity.md`` explains how
to change them (``zhongtai identity resolve --rules rules.toml``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zhongtai.errors import ConfigError

__all__ = [
    "DEFAULT_RULES",
    "ID_TYPES",
    "IdentifierRule",
    "ResolutionRules",
    "load_rules",
]

ID_TYPES = (
    "phone",
    "email",
    "wechat_openid",
    "wechat_unionid",
    "member_card",
    "device_id",
    "name_address",
    "source_id",
)
"""The identifier types of ``identities.id_type`` (warehouse model), in a fixed order (their codes)."""


@dataclass(frozen=True, slots=True)
class IdentifierRule:
    """How one identifier type links accounts (see the module docstring)."""

    id_type: str
    links: bool = True
    scope: str = "global"  # "global" | "source"
    max_accounts: int = 8
    priority: int = 2
    max_anchored: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id_type": self.id_type,
            "links": self.links,
            "scope": self.scope,
            "max_accounts": self.max_accounts,
            "priority": self.priority,
            "max_anchored": self.max_anchored,
        }


@dataclass(frozen=True, slots=True)
class ResolutionRules:
    """All identifier rules plus the over-merge guard.

    ``max_cluster_size``: a member with more accounts than this after linking is flagged for review
    and held back to what its strongest identifiers (priority 1) alone join, never accepted silently.
    ``splink_threshold``: match probability in [0, 1] above which a probabilistic match becomes a
    candidate link for an operator.
    ``order_phones``: the phone an account's orders ship to (``orders.receiver_phone``, the number
    on at least half of the account's orders) counts as one of the account's phones — the number a
    marketplace buyer really answers the courier on, even when the profile holds a typo, a
    placeholder or nothing.
    ``near_phone``: two accounts whose Chinese mobiles are one keystroke apart (one digit changed or
    two neighbouring digits swapped) link when city and district agree and name, gender and birth
    date do not disagree (:mod:`~zhongtai.warehouse.identity.near`).
    """

    types: Mapping[str, IdentifierRule] = field(default_factory=dict)
    max_cluster_size: int = 12
    splink_threshold: float = 0.9
    order_phones: bool = True
    near_phone: bool = True

    def rule(self, id_type: str) -> IdentifierRule:
        return self.types.get(id_type, IdentifierRule(id_type, links=False))

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_cluster_size": self.max_cluster_size,
            "splink_threshold": self.splink_threshold,
            "order_phones": self.order_phones,
            "near_phone": self.near_phone,
            "types": {k: v.to_dict() for k, v in self.types.items()},
        }


DEFAULT_RULES = ResolutionRules(
    types={
        # Issued by the brand or by WeChat to one person: strongest, applied first.
        "wechat_unionid": IdentifierRule("wechat_unionid", priority=1, max_accounts=10),
        "member_card": IdentifierRule("member_card", priority=1, max_accounts=10),
        # Personal contact points: a family or a shop may share one, so the cap is tighter.
        "phone": IdentifierRule("phone", priority=2, max_accounts=8),
        "email": IdentifierRule("email", priority=2, max_accounts=8),
        # Per app: can only find the same account twice inside one system.
        "wechat_openid": IdentifierRule("wechat_openid", scope="source", priority=2, max_accounts=4),
        # Channel-scoped anonymised buyer ids (Taobao OAID, nick hashes): never a person across systems.
        "source_id": IdentifierRule("source_id", scope="source", priority=2, max_accounts=4),
        # Devices are shared in families: weakest, and never between two identified people.
        "device_id": IdentifierRule("device_id", priority=3, max_accounts=4),
        # Name + address is evidence, not identity: probabilistic candidates only.
        "name_address": IdentifierRule("name_address", links=False, priority=9),
    }
)


def load_rules(path: Path, base: ResolutionRules = DEFAULT_RULES) -> ResolutionRules:
    """Rules from a TOML file overriding ``base`` (``[types.phone] max_accounts = 5``, ``max_cluster_size``).

    Unknown types or keys and out-of-range values are a :class:`ConfigError` naming the file and key.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("identity.rules_missing", file=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("identity.rules_invalid", file=str(path), key="-", reason=str(exc)[:200]) from None
    types = dict(base.types)
    allowed = {"links", "scope", "max_accounts", "priority", "max_anchored"}
    for id_type, options in dict(data.pop("types", {})).items():
        if id_type not in ID_TYPES:
            raise ConfigError("identity.rules_invalid", file=str(path), key=f"types.{id_type}", reason="unknown type")
        if not isinstance(options, dict):
            raise ConfigError("identity.rules_invalid", file=str(path), key=f"types.{id_type}", reason="not a table")
        for key, value in options.items():
            where = f"types.{id_type}.{key}"
            if key not in allowed:
                raise ConfigError("identity.rules_invalid", file=str(path), key=where, reason="unknown key")
            if key == "scope" and value not in ("global", "source"):
                raise ConfigError("identity.rules_invalid", file=str(path), key=where, reason="global or source")
            if key == "links" and not isinstance(value, bool):
                raise ConfigError("identity.rules_invalid", file=str(path), key=where, reason="true or false")
            if key in ("max_accounts", "priority", "max_anchored") and (
                not isinstance(value, int) or isinstance(value, bool) or value < 1
            ):
                raise ConfigError("identity.rules_invalid", file=str(path), key=where, reason="an integer >= 1")
        types[id_type] = replace(types.get(id_type, IdentifierRule(id_type)), **options)
    size = data.pop("max_cluster_size", base.max_cluster_size)
    if not isinstance(size, int) or isinstance(size, bool) or size < 2:
        raise ConfigError("identity.rules_invalid", file=str(path), key="max_cluster_size", reason="an integer >= 2")
    threshold = data.pop("splink_threshold", base.splink_threshold)
    if not isinstance(threshold, int | float) or not 0 < float(threshold) < 1:
        raise ConfigError("identity.rules_invalid", file=str(path), key="splink_threshold", reason="between 0 and 1")
    switches = {}
    for key in ("order_phones", "near_phone"):
        value = data.pop(key, getattr(base, key))
        if not isinstance(value, bool):
            raise ConfigError("identity.rules_invalid", file=str(path), key=key, reason="true or false")
        switches[key] = value
    for key in data:
        raise ConfigError("identity.rules_invalid", file=str(path), key=key, reason="unknown key")
    return ResolutionRules(
        types=types,
        max_cluster_size=size,
        splink_threshold=float(threshold),
        order_phones=switches["order_phones"],
        near_phone=switches["near_phone"],
    )
