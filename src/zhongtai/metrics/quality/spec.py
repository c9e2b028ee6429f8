"""Quality checks declared in YAML: the built-in defaults shipped with zhongtai plus a workspace's
``quality/`` folder, parsed with line numbers and validated against the canonical model.

A file lists checks per table::

    tables:
      orders:
        - check: unique
          columns: [source, order_id]
        - check: accepted_values
          column: status
          values: [created, paid, shipped, completed, cancelled, closed]

A workspace check with the same ``name`` as a built-in one replaces it; ``enabled: false`` turns
it off. Every problem names the file and line; unknown tables and columns get a "did you mean".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from zhongtai.errors import ConfigError
from zhongtai.metrics.quality.safety import validate_custom_sql
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import SYSTEM_COLUMNS

__all__ = ["KINDS", "CheckSpec", "builtin_checks", "load_checks", "parse_checks", "suggest"]

QUALITY_DIR = "quality"
BUILTIN_PACKAGE = "zhongtai.metrics.quality"
BUILTIN_DIR = "defaults"

# kind -> (required options, optional options)
KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "not_null": (frozenset({"columns"}), frozenset()),
    "unique": (frozenset({"columns"}), frozenset()),
    "accepted_values": (frozenset({"column", "values"}), frozenset()),
    "range": (frozenset({"column"}), frozenset({"min", "max"})),
    "freshness": (frozenset({"column", "max_age_hours"}), frozenset()),
    "row_count_change": (frozenset(), frozenset({"max_change"})),
    "references": (frozenset({"columns", "parent_table", "parent_columns"}), frozenset()),
    "sql": (frozenset({"query"}), frozenset()),
    "quarantine": (frozenset(), frozenset()),
}
COMMON = frozenset({"check", "name", "description", "enabled"})
ROW_LEVEL = frozenset({"not_null", "unique", "accepted_values", "range", "references", "sql", "quarantine"})
"""Kinds that count failing rows; the others (freshness, row_count_change) judge the whole table."""


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One declared check on one table (options already validated)."""

    table: str
    kind: str
    name: str
    options: Mapping[str, Any]
    file: str
    line: int
    description: str = ""
    enabled: bool = True
    query: exp.Query | None = field(default=None, compare=False)  # the validated custom SELECT

    @property
    def id(self) -> str:
        return f"{self.table}.{self.name}"

    @property
    def row_level(self) -> bool:
        return self.kind in ROW_LEVEL


def suggest(name: str, known: Iterable[str]) -> str:
    """The closest known names for a "did you mean" (or the first few known names)."""
    options = sorted(set(known))
    close = difflib.get_close_matches(name, options, n=3, cutoff=0.5)
    return ", ".join(close or options[:8])


def _columns_of(table: str) -> set[str]:
    return set(TABLES[table].names) | {c.name for c in SYSTEM_COLUMNS}


def _line_of(node: yaml.Node | None, path: list[str | int]) -> int:
    """1-based line of the deepest YAML node found along ``path``."""
    line = node.start_mark.line + 1 if node is not None else 0
    current = node
    for key in path:
        if isinstance(current, yaml.MappingNode):
            match = next((v for k, v in current.value if str(k.value) == str(key)), None)
            if match is None:
                break
            current = match
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int) and key < len(current.value):
            current = current.value[key]
        else:
            break
        line = current.start_mark.line + 1
    return line


def _default_name(kind: str, options: Mapping[str, Any]) -> str:
    if "columns" in options and isinstance(options["columns"], list):
        return "_".join([kind, *[str(c) for c in options["columns"]]])
    if "column" in options:
        return f"{kind}_{options['column']}"
    return kind


def parse_checks(text: str, file: str) -> list[CheckSpec]:
    """Parse one YAML document of checks; any problem raises :class:`ConfigError` with file and line."""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError("quality.invalid_yaml", file=file, line=(mark.line + 1) if mark else 0) from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise ConfigError("quality.no_tables", file=file, line=_line_of(node, []))
    specs: list[CheckSpec] = []
    for table, items in data["tables"].items():
        where: list[str | int] = ["tables", str(table)]
        if table not in TABLES:
            raise ConfigError(
                "quality.unknown_table",
                file=file,
                line=_line_of(node, where[:1]) + _key_offset(node, str(table)),
                table=str(table),
                suggestion=suggest(str(table), TABLES),
            )
        if not isinstance(items, list):
            raise ConfigError("quality.not_a_list", file=file, line=_line_of(node, where), table=table)
        for index, item in enumerate(items):
            specs.append(_parse_item(item, str(table), file, _line_of(node, [*where, index])))
    return specs


def _key_offset(node: yaml.Node | None, key: str) -> int:
    """Line offset of a key under ``tables`` (the key itself, not its value)."""
    if not isinstance(node, yaml.MappingNode):
        return 0
    tables = next((v for k, v in node.value if k.value == "tables"), None)
    if not isinstance(tables, yaml.MappingNode):
        return 0
    for k, _ in tables.value:
        if str(k.value) == key:
            return int(k.start_mark.line - tables.start_mark.line)
    return 0


def _parse_item(item: Any, table: str, file: str, line: int) -> CheckSpec:
    if not isinstance(item, dict) or "check" not in item:
        raise ConfigError("quality.check_without_kind", file=file, line=line, table=table)
    kind = str(item["check"])
    if kind not in KINDS:
        raise ConfigError("quality.unknown_check", file=file, line=line, kind=kind, suggestion=suggest(kind, KINDS))
    required, optional = KINDS[kind]
    options = {k: v for k, v in item.items() if k not in COMMON}
    missing = sorted(required - set(options))
    unknown = sorted(set(options) - required - optional)
    if missing:
        raise ConfigError("quality.missing_option", file=file, line=line, kind=kind, option=", ".join(missing))
    if unknown:
        raise ConfigError(
            "quality.unknown_option",
            file=file,
            line=line,
            kind=kind,
            option=", ".join(unknown),
            suggestion=suggest(unknown[0], required | optional | COMMON),
        )
    _check_types(kind, options, table, file, line)
    query = None
    if kind == "sql":
        query = validate_custom_sql(str(options["query"]), file=file, line=line)
    return CheckSpec(
        table=table,
        kind=kind,
        name=str(item.get("name") or _default_name(kind, options)),
        options=options,
        file=file,
        line=line,
        description=str(item.get("description") or ""),
        enabled=bool(item.get("enabled", True)),
        query=query,
    )


def _column(table: str, name: Any, file: str, line: int) -> None:
    if str(name) not in _columns_of(table):
        raise ConfigError(
            "quality.unknown_column",
            file=file,
            line=line,
            table=table,
            column=str(name),
            suggestion=suggest(str(name), _columns_of(table)),
        )


def _number(value: Any, option: str, file: str, line: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError("quality.not_a_number", file=file, line=line, option=option, value=str(value))


def _check_types(kind: str, options: dict[str, Any], table: str, file: str, line: int) -> None:
    if "columns" in options:
        if not isinstance(options["columns"], list) or not options["columns"]:
            raise ConfigError("quality.not_a_list", file=file, line=line, table=table)
        for name in options["columns"]:
            _column(table, name, file, line)
    if "column" in options:
        _column(table, options["column"], file, line)
    if kind == "accepted_values" and (not isinstance(options["values"], list) or not options["values"]):
        raise ConfigError("quality.not_a_list", file=file, line=line, table=table)
    for option in ("min", "max", "max_age_hours", "max_change"):
        if option in options:
            _number(options[option], option, file, line)
    if kind == "range" and "min" not in options and "max" not in options:
        raise ConfigError("quality.missing_option", file=file, line=line, kind=kind, option="min, max")
    if kind == "references":
        parent = str(options["parent_table"])
        if parent not in TABLES:
            raise ConfigError(
                "quality.unknown_table", file=file, line=line, table=parent, suggestion=suggest(parent, TABLES)
            )
        parents = options["parent_columns"]
        if not isinstance(parents, list) or len(parents) != len(options["columns"]):
            raise ConfigError("quality.references_mismatch", file=file, line=line, table=table)
        for name in parents:
            _column(parent, name, file, line)


def builtin_checks() -> list[CheckSpec]:
    """The checks shipped in ``zhongtai/metrics/quality/defaults/*.yaml``."""
    specs: list[CheckSpec] = []
    folder = resources.files(BUILTIN_PACKAGE).joinpath(BUILTIN_DIR)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            specs += parse_checks(entry.read_text(encoding="utf-8"), f"{BUILTIN_DIR}/{entry.name}")
    return specs


def load_checks(workspace_path: Path | None = None, *, tables: Iterable[str] | None = None) -> list[CheckSpec]:
    """Built-in checks merged with ``<workspace>/quality/*.yaml`` (same name replaces), enabled only.

    ``tables`` limits the result; an unknown table name is an error with a suggestion.
    """
    merged: dict[str, CheckSpec] = {spec.id: spec for spec in builtin_checks()}
    if workspace_path is not None:
        folder = Path(workspace_path) / QUALITY_DIR
        for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise ConfigError("quality.not_utf8", file=str(path)) from None
            for spec in parse_checks(text, str(path)):
                merged[spec.id] = spec
    wanted = None
    if tables is not None:
        wanted = set(tables)
        for name in sorted(wanted):
            if name not in TABLES:
                raise ConfigError("quality.unknown_table_option", table=name, suggestion=suggest(name, TABLES))
    return [s for s in merged.values() if s.enabled and (wanted is None or s.table in wanted)]
