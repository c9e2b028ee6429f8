"""Policy: roles and permissions, data scopes, PII masking, field encryption and the access audit.

This package decides; it stores nothing. App state (:mod:`zhongtai.appdb`) authenticates a
:class:`Principal` and records what policy reports (:class:`AccessAudit`); the warehouse is
queried through :func:`query_warehouse`; frames, objects and files are masked by :func:`mask`.
"""

from zhongtai.policy.access import AccessAudit, Disclosure, EventLog, Purpose
from zhongtai.policy.columns import TEXT_POLICY, ColumnPolicy, MaskKind, column_policy, table_policies
from zhongtai.policy.crypto import ENV_KEYS, Keyring, generate_key, is_sealed, keyring_from_env
from zhongtai.policy.lineage import result_policies
from zhongtai.policy.logs import install_log_redaction, redact
from zhongtai.policy.maskers import PERSONAL_CLASSES, mask_value, scrub_text
from zhongtai.policy.masking import OTHER_COLUMNS, mask, mask_file, mask_table, write_table
from zhongtai.policy.principal import SYSTEM, DataScope, Principal
from zhongtai.policy.quarantine import quarantine_classes, reveal_quarantine
from zhongtai.policy.query import check_sources, query_warehouse, secure_query
from zhongtai.policy.roles import (
    ALL_PERMISSIONS,
    ROLE_PERMISSIONS,
    ROLE_PII,
    Action,
    Capability,
    Permission,
    Role,
    parse_role,
)
from zhongtai.policy.rows import Dimension, restrict, row_filter, rule_description
from zhongtai.policy.sealing import seal_after_load, seal_for, seal_warehouse, sealed_columns, warehouse_key_usage
from zhongtai.policy.vector import mask_array, scrub_text_array

install_log_redaction()

__all__ = [
    "ALL_PERMISSIONS",
    "ENV_KEYS",
    "OTHER_COLUMNS",
    "PERSONAL_CLASSES",
    "ROLE_PERMISSIONS",
    "ROLE_PII",
    "SYSTEM",
    "TEXT_POLICY",
    "AccessAudit",
    "Action",
    "Capability",
    "ColumnPolicy",
    "DataScope",
    "Dimension",
    "Disclosure",
    "EventLog",
    "Keyring",
    "MaskKind",
    "Permission",
    "Principal",
    "Purpose",
    "Role",
    "check_sources",
    "column_policy",
    "generate_key",
    "install_log_redaction",
    "is_sealed",
    "keyring_from_env",
    "mask",
    "mask_array",
    "mask_file",
    "mask_table",
    "mask_value",
    "parse_role",
    "quarantine_classes",
    "query_warehouse",
    "redact",
    "restrict",
    "result_policies",
    "reveal_quarantine",
    "row_filter",
    "rule_description",
    "scrub_text",
    "scrub_text_array",
    "seal_after_load",
    "seal_for",
    "seal_warehouse",
    "sealed_columns",
    "secure_query",
    "table_policies",
    "warehouse_key_usage",
    "write_table",
]
