"""The door every principal's warehouse query goes through: permission, row rules, masking, audit.

``query_warehouse(wh, tree, principal, audit=app)`` checks ``warehouse:read`` (or ``export``),
refuses anything but canonical tables, limits rows to the principal's data scope (SQLGlot tree
rewrite), runs the query, decrypts sealed identity columns, masks PII the principal may not see
and records any unmasked PII in the audit log before returning the Arrow table. Trees come from
zhongtai's own builders (the metric compiler, domain packages); this is not a sandbox for
arbitrary user SQL.
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

from zhongtai.errors import PermissionDenied
from zhongtai.policy.access import AccessAudit, Purpose
from zhongtai.policy.columns import ColumnPolicy
from zhongtai.policy.lineage import qualify_query, result_lineage, result_policies
from zhongtai.policy.masking import mask_table, record_revealed
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action, Capability
from zhongtai.policy.rows import restrict
from zhongtai.policy.sealing import unseal_table
from zhongtai.warehouse.connection import Warehouse
from zhongtai.warehouse.model import TABLES

__all__ = ["check_sources", "query_warehouse", "secure_query"]


def check_sources(query: exp.Query) -> list[str]:
    """The warehouse tables ``query`` reads; any other source (files, table functions, other schemas)
    is refused with :class:`PermissionDenied`."""
    if not isinstance(query, exp.Query):
        raise PermissionDenied("policy.not_a_query", kind=type(query).__name__)
    ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    tables: list[str] = []
    for node in query.find_all(exp.Table):
        name = node.name
        plain = isinstance(node.this, exp.Identifier) and node.args.get("catalog") is None
        if plain and not node.db and name in ctes:
            continue
        if not plain or node.db not in ("", "main") or name not in TABLES:
            raise PermissionDenied("policy.table_not_allowed", table=node.sql(dialect="duckdb")[:80])
        tables.append(name)
    for func in query.find_all(exp.Anonymous):
        if func.name.lower() in _FILE_FUNCTIONS:
            raise PermissionDenied("policy.table_not_allowed", table=func.name)
    return sorted(set(tables))


_FILE_FUNCTIONS = frozenset({
    "read_text", "read_blob", "read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto",
    "read_ndjson", "glob", "parquet_scan", "sniff_csv", "read_xlsx",
})  # fmt: skip


def secure_query(query: exp.Query, principal: Principal) -> tuple[exp.Query, dict[str, ColumnPolicy]]:
    """The query a principal may run (row rules applied) and its output column policies."""
    check_sources(query)
    qualified = qualify_query(query)
    return restrict(qualified, principal.scope), dict(result_policies(qualified, qualified=True))


def query_warehouse(
    warehouse: Warehouse,
    query: exp.Query,
    principal: Principal,
    *,
    audit: AccessAudit,
    what: str = "warehouse:query",
    purpose: Purpose = Purpose.VIEW,
    reason: str | None = None,
) -> pa.Table:
    """Run ``query`` for ``principal`` and return what it may see (see the module docstring)."""
    principal.require(Capability.WAREHOUSE, Action.EXPORT if purpose is Purpose.EXPORT else Action.READ)
    check_sources(query)
    qualified = qualify_query(query)
    traced = result_lineage(qualified, qualified=True)
    policies = {name: policy for name, (policy, _) in traced.items()}
    origins = {name: origin for name, (_, origin) in traced.items() if origin is not None}
    table = unseal_table(warehouse.arrow(restrict(qualified, principal.scope)), origins)
    visible = principal.visible_classes(Action.EXPORT if purpose is Purpose.EXPORT else Action.READ)
    masked, revealed = mask_table(table, policies, visible)
    record_revealed(audit, principal, revealed, rows=table.num_rows, purpose=purpose, what=what, reason=reason)
    return masked
