"""Resolving a mapping against the headers a file actually has.

The result, a :class:`LoadPlan`, says for every canonical column which source cells feed it.
File-level problems (a required column missing, an ambiguous header, a Parquet column of an
impossible type) stop the load here, before anything is read further.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zhongtai.errors import IngestError
from zhongtai.warehouse.ingest.mapping import ColumnSpec, Mapping, TableSpec, normalise_header
from zhongtai.warehouse.ingest.readers import Staged
from zhongtai.warehouse.model import TABLES, tables_in_load_order
from zhongtai.warehouse.schema import Column, ColumnType, Table

__all__ = ["ColumnPlan", "LoadPlan", "TablePlan", "resolve_plan"]


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """One canonical column of one table, and the staged cells (``c<i>``) that feed it."""

    table: str
    column: Column
    spec: ColumnSpec
    cells: tuple[int, ...]  # indexes into the staged columns; empty for const/sequence/...
    headers: tuple[str, ...]  # the source headers as written in the file
    signs: tuple[int, ...] = ()  # per cell: +1, or −1 for a ``subtract`` operand

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column.name}"


@dataclass(slots=True)
class TablePlan:
    table: Table
    spec: TableSpec
    columns: list[ColumnPlan]
    route_cells: list[tuple[int, str, object]]  # (cell index, test, operand)

    @property
    def name(self) -> str:
        return self.table.name

    def plan_for(self, name: str) -> ColumnPlan | None:
        return next((c for c in self.columns if c.column.name == name), None)


@dataclass(slots=True)
class LoadPlan:
    mapping: Mapping
    staged: Staged
    tables: list[TablePlan]
    ignored_columns: list[str] = field(default_factory=list)

    def table(self, name: str) -> TablePlan | None:
        return next((t for t in self.tables if t.name == name), None)


_NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
_TEMPORAL = ("DATE", "TIMESTAMP", "TIME")
_COMPATIBLE: dict[ColumnType, tuple[str, ...]] = {
    ColumnType.INTEGER: (*_NUMERIC, "VARCHAR"),
    ColumnType.MONEY: (*_NUMERIC, "VARCHAR"),
    ColumnType.PRICE: (*_NUMERIC, "VARCHAR"),
    ColumnType.NUMBER: (*_NUMERIC, "VARCHAR"),
    ColumnType.RATE: (*_NUMERIC, "VARCHAR"),
    ColumnType.BOOLEAN: ("BOOLEAN", "VARCHAR", *_NUMERIC),
    ColumnType.DATE: (*_TEMPORAL, "VARCHAR", *_NUMERIC),
    ColumnType.TIMESTAMP: (*_TEMPORAL, "VARCHAR", *_NUMERIC),
    ColumnType.ID: ("VARCHAR", "UUID", *_NUMERIC),
    ColumnType.STRING: ("VARCHAR", "UUID", "BOOLEAN", *_NUMERIC, *_TEMPORAL),
    ColumnType.CODE: ("VARCHAR", "BOOLEAN", *_NUMERIC),
}


def resolve_plan(mapping: Mapping, staged: Staged, file_name: str) -> LoadPlan:
    """Match the mapping's headers to the file's; raise one error listing every missing column."""
    index: dict[str, list[int]] = {}
    for i, header in enumerate(staged.headers):
        index.setdefault(normalise_header(header), []).append(i)
    used: set[int] = set()
    missing: list[str] = []
    tables: list[TablePlan] = []
    for name in tables_in_load_order(list(mapping.tables)):
        spec = mapping.tables[name]
        table = TABLES[name]
        plans: list[ColumnPlan] = []
        for column_name, col_spec in spec.columns.items():
            column = table.column(column_name)
            cells: list[int] = []
            headers: list[str] = []
            signs: list[int] = []
            for wanted, sign in _wanted_headers(col_spec):
                found = _find(index, wanted, file_name)
                if found is None:
                    if not col_spec.optional:
                        missing.append(" | ".join(wanted) + f" → {name}.{column_name}")
                    continue
                cells.append(found)
                headers.append(staged.headers[found])
                signs.append(sign)
            used.update(cells)
            _check_source_type(staged, column, headers, file_name)
            plans.append(ColumnPlan(name, column, col_spec, tuple(cells), tuple(headers), tuple(signs)))
        routes = []
        for route in spec.when:
            found = _find(index, (route.column,), file_name)
            if found is None:
                missing.append(f"{route.column} → {name} (when)")
                continue
            used.add(found)
            routes.extend(_route_tests(found, route))
        tables.append(TablePlan(table, spec, plans, routes))
    if missing:
        raise IngestError("ingest.missing_column", file=file_name, row=staged.header_row, column=", ".join(missing))
    ignored = [h for i, h in enumerate(staged.headers) if i not in used and h]
    return LoadPlan(mapping, staged, tables, ignored)


def _wanted_headers(spec: ColumnSpec) -> list[tuple[tuple[str, ...], int]]:
    """(alternative header names, sign) per operand: +1 for ``from``/``multiply``/``add``, −1 for ``subtract``."""
    if spec.multiply or spec.add:
        operands = spec.multiply or spec.add or ()
        plus: list[tuple[tuple[str, ...], int]] = [((h,), 1) for h in operands]
        return plus + [((h,), -1) for h in spec.subtract]
    if spec.from_:
        return [(spec.from_, 1)]
    return []


def _find(index: dict[str, list[int]], alternatives: tuple[str, ...], file_name: str) -> int | None:
    for name in alternatives:
        hits = index.get(normalise_header(name))
        if hits:
            if len(hits) > 1:
                raise IngestError("ingest.ambiguous_header", file=file_name, column=name, count=len(hits))
            return hits[0]
    return None


def _route_tests(cell: int, route: object) -> list[tuple[int, str, object]]:
    tests = []
    for key in ("equals", "not_equals", "starts_with", "not_starts_with", "one_of", "empty"):
        value = getattr(route, key)
        if value is not None:
            tests.append((cell, key, value))
    return tests


def _check_source_type(staged: Staged, column: Column, headers: list[str], file_name: str) -> None:
    """Parquet columns carry types; refuse a column that can never hold the canonical type."""
    if not staged.source_types:
        return
    allowed = _COMPATIBLE.get(column.type)
    if allowed is None:
        return
    for header in headers:
        physical = staged.source_types.get(header, "VARCHAR").upper()
        if not physical.startswith(allowed):
            raise IngestError(
                "ingest.wrong_column_type",
                file=file_name,
                column=header,
                found=physical,
                expected=column.type.value,
            )
