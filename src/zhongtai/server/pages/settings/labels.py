"""English labels of the policy's codes (roles' capabilities, actions, PII classes) for the settings
pages; templates translate them with ``_()``. ``N_`` only marks a literal for message extraction
(``tests/server/pages/catalogue_support.py``), so the Chinese lives in this folder's catalogue."""

from __future__ import annotations

from zhongtai.policy import Action, Capability
from zhongtai.warehouse.schema import PiiClass

__all__ = ["ACTION_LABELS", "CAPABILITY_LABELS", "N_", "PII_LABELS", "TABS"]


def N_(message: str) -> str:  # gettext's conventional name for "mark, do not translate yet"
    """Mark ``message`` for extraction; the template translates it when it renders."""
    return message


CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.WAREHOUSE: N_("Warehouse tables"),
    Capability.METRICS: N_("Metrics"),
    Capability.CUSTOMERS: N_("Customers"),
    Capability.EXPERIMENTS: N_("Experiments"),
    Capability.SUPPLY: N_("Supply chain"),
    Capability.BRAND: N_("Brand and content"),
    Capability.RISK: N_("Risk and compliance"),
    Capability.TEAM: N_("Team"),
    Capability.AUTOMATION: N_("Automation and alerts"),
    Capability.INGEST: N_("Data loading"),
    Capability.QUARANTINE: N_("Quarantined rows"),
    Capability.JOBS: N_("Jobs"),
    Capability.PII: N_("Unmasked personal data"),
    Capability.USERS: N_("Other users' accounts"),
    Capability.TOKENS: N_("Other users' API tokens"),
    Capability.AUDIT: N_("Whole audit log"),
    Capability.KEYS: N_("Encryption keys"),
    Capability.SETTINGS: N_("Workspace settings"),
}
"""What each capability lets a role touch (``docs/en/security.md`` describes them in full)."""

ACTION_LABELS: dict[Action, str] = {
    Action.READ: N_("read"),
    Action.WRITE: N_("write"),
    Action.EXPORT: N_("export"),
}

PII_LABELS: dict[PiiClass, str] = {
    PiiClass.NONE: N_("not personal"),
    PiiClass.CONTACT: N_("contact (phone, e-mail, address)"),
    PiiClass.IDENTITY: N_("identity (name, member card, birthday)"),
    PiiClass.FINANCIAL: N_("financial (payment accounts)"),
    PiiClass.SENSITIVE: N_("sensitive (ID numbers, health, precise tracks)"),
}
"""The classes of :class:`~zhongtai.warehouse.schema.PiiClass`, with examples."""

TABS: tuple[tuple[str, str, str], ...] = (
    ("account", "/settings", N_("Account")),
    ("users", "/settings/users", N_("Users")),
    ("roles", "/settings/roles", N_("Roles")),
    ("tokens", "/settings/tokens", N_("API tokens")),
    ("workspace", "/settings/workspace", N_("Workspace")),
    ("audit", "/settings/audit", N_("Audit log")),
)
"""``(key, path, label)`` of the settings tabs, in order."""

TOKEN_STATUS_LABELS: dict[str, str] = {
    "active": N_("active"),
    "revoked": N_("revoked"),
    "expired": N_("expired"),
}
"""Labels of :meth:`zhongtai.appdb.TokenInfo.status`."""
