"""Mapping files: how a source export's columns become canonical columns.

A mapping is data (YAML), validated here with every problem reported at once as
``file:line`` (like ``dbt-semantic-interfaces`` validations). Example::

    name: online_retail
    version: 1
    timezone: Europe/London
    tables:
      orders:
        group_rows: true            # several lines describe one order
        columns:
          order_id: {from: InvoiceNo}
          order_time: {from: InvoiceDate, aggregate: min}
      order_items:
        when: [{column: InvoiceNo, not_starts_with: C}]
        columns:
          order_id: {from: InvoiceNo}
          line_no: {sequence: true}
          quantity: {from: Quantity}

Adapters build the same objects in Python (``zhongtai.warehouse.ingest.adapters``).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import zoneinfo
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from zhongtai.errors import ConfigError
from zhongtai.warehouse.model import TABLES
from zhongtai.warehouse.schema import Column, ColumnType

__all__ = [
    "Aggregate",
    "ColumnSpec",
    "Mapping",
    "Route",
    "TableSpec",
    "load_mapping",
    "normalise_header",
]

Aggregate = Literal["agree", "first", "last", "min", "max", "sum", "count"]
FileFormat = Literal["auto", "csv", "xlsx", "parquet", "jsonl"]
DateOrder = Literal["ymd", "dmy", "mdy"]


def normalise_header(name: str) -> str:
    """Header comparison key: NFKC (full-width to half-width), trimmed, case-folded,
    inner whitespace collapsed, BOM and ``="…"`` wrappers removed."""
    text = unicodedata.normalize("NFKC", name).replace("\ufeff", "").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return " ".join(text.split()).casefold()


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ColumnSpec(_Spec):
    """Where one canonical column's value comes from and how it is read.

    Exactly one of ``from``, ``const``, ``multiply``, ``add``, ``sequence``, ``generate`` says
    where the value comes from. ``from`` lists accepted header names (alternatives, compared after
    :func:`normalise_header`; the first present in the file is read). Amounts can be computed:
    ``multiply: [数量, 单价]`` (a product), ``add: [店铺优惠, 平台优惠]`` (a sum, empty cells count as
    zero), and either may be followed by ``subtract: [优惠金额]``.
    """

    from_: tuple[str, ...] = Field(default=(), alias="from")
    const: str | int | float | bool | None = None
    multiply: tuple[str, str] | None = None
    add: tuple[str, ...] | None = None
    subtract: tuple[str, ...] = ()
    sequence: bool = False
    generate: Literal["row_hash"] | None = None
    optional: bool = False  # the header may be absent from the file (value is then empty)
    format: str | tuple[str, ...] | None = None  # strptime format(s), or unix, unix_ms, excel
    timezone: str | None = None
    values: dict[str, str | bool] | None = None  # source text -> canonical code (or true/false for flags)
    negate: bool = False
    divide: float | None = None  # e.g. 100 for amounts exported in fen/cents
    aggregate: Aggregate = "agree"

    @field_validator("from_", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, str):
            return (value,)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            _check_zone(value)
        return value

    @model_validator(mode="after")
    def _one_origin(self) -> ColumnSpec:
        origins = [
            bool(self.from_),
            self.const is not None,
            self.multiply is not None,
            bool(self.add),
            self.sequence,
            self.generate is not None,
        ]
        if sum(origins) != 1:
            raise ValueError("give exactly one of: from, const, multiply, add, sequence, generate")
        if self.subtract and not (self.multiply or self.add):
            raise ValueError("subtract goes with multiply or add")
        return self

    @property
    def arithmetic(self) -> bool:
        """The value is computed from several cells (multiply / add / subtract)."""
        return bool(self.multiply or self.add)

    @property
    def headers(self) -> tuple[str, ...]:
        """Source headers this column reads, in order (for arithmetic: operands, then subtrahends)."""
        if self.multiply:
            return (*self.multiply, *self.subtract)
        if self.add:
            return (*self.add, *self.subtract)
        return self.from_


class Route(_Spec):
    """A row condition on one source column (all conditions of a table must hold)."""

    column: str
    equals: str | None = None
    not_equals: str | None = None
    starts_with: str | None = None
    not_starts_with: str | None = None
    one_of: tuple[str, ...] | None = None
    empty: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Route:
        tests = [self.equals, self.not_equals, self.starts_with, self.not_starts_with, self.one_of, self.empty]
        if sum(t is not None for t in tests) != 1:
            raise ValueError("a route needs exactly one test")
        return self


class TableSpec(_Spec):
    """How rows of the file become rows of one canonical table."""

    columns: dict[str, ColumnSpec]
    when: tuple[Route, ...] = ()
    group_rows: bool = False  # several source rows describe one record (order fields per line)
    zero_price_is_gift: bool = False  # a line sold at 0 is a free gift (sets is_gift when it is not mapped)


class Mapping(_Spec):
    """A whole mapping file."""

    name: str
    version: int = 1
    description: str = ""
    format: FileFormat = "auto"
    encoding: str = "auto"
    delimiter: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None  # 1-based; auto-detected when empty
    timezone: str | None = None  # for times without an offset; default: the shop's zone
    currency: str | None = None  # default for money columns; default: the shop's currency
    date_order: DateOrder | None = None  # how to read 03/04/2025
    source: str | None = None  # default value of the ``source`` column
    tables: dict[str, TableSpec]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            _check_zone(value)
        return value

    @model_validator(mode="after")
    def _against_model(self) -> Mapping:
        problems: list[str] = []
        for table_name, spec in self.tables.items():
            if table_name not in TABLES:
                problems.append(f"tables.{table_name}: unknown table")
                continue
            table = TABLES[table_name]
            for column_name, col_spec in spec.columns.items():
                if not table.has(column_name):
                    problems.append(f"tables.{table_name}.columns.{column_name}: unknown column")
                    continue
                column = table.column(column_name)
                problems += _value_problems(f"tables.{table_name}.columns.{column_name}", column, col_spec)
            missing = [
                c.name
                for c in table.columns
                if (c.required or c.name in table.key)
                and c.name not in spec.columns
                and c.name not in ("source", "member_id")
            ]
            if missing:
                problems.append(f"tables.{table_name}: required columns not mapped: {', '.join(missing)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def fingerprint(self) -> str:
        """A stable hash of the mapping's content (part of the no-op check of a reload)."""
        blob = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _value_problems(where: str, column: Column, spec: ColumnSpec) -> list[str]:
    """``values`` must target the column's codes (or true/false for flags); arithmetic must be numeric."""
    problems = []
    if spec.values:
        if column.type is ColumnType.CODE:
            allowed = {v.lower(): v for v in column.values}
            bad = sorted({str(t) for t in spec.values.values() if not isinstance(t, str) or t.lower() not in allowed})
            if allowed and bad:
                problems.append(f"{where}: values map to unknown codes {bad}; allowed: {', '.join(column.values)}")
        elif column.type is ColumnType.BOOLEAN:
            if not all(isinstance(t, bool) for t in spec.values.values()):
                problems.append(f"{where}: values of a yes/no column must map to true or false")
        else:
            problems.append(f"{where}: values only apply to code and yes/no columns")
    if spec.arithmetic and column.type not in (
        ColumnType.MONEY,
        ColumnType.PRICE,
        ColumnType.NUMBER,
        ColumnType.INTEGER,
    ):
        problems.append(f"{where}: multiply/add only make numbers")
    return problems


def _check_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a YAML mapping file; all problems are reported together with lines."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("mapping.not_found", file=str(file)) from None
    except UnicodeDecodeError:
        raise ConfigError("mapping.not_utf8", file=str(file)) from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError("mapping.invalid_yaml", file=str(file), line=(mark.line + 1) if mark else 0) from None
    if not isinstance(data, dict):
        raise ConfigError("mapping.not_a_mapping", file=str(file))
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        details = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            if loc:
                details.append(f"{file.name}:{_line_of(node, loc)}: {'.'.join(loc)}: {err['msg']}")
                continue
            # checks against the model name their own path: "tables.orders.columns.status: …"
            for problem in str(err["msg"]).removeprefix("Value error, ").split("; "):
                where, _, text = problem.partition(": ")
                steps = where.split(".") if text else []
                details.append(f"{file.name}:{_line_of(node, steps)}: {where if text else '(top)'}: {text or problem}")
        raise ConfigError("mapping.invalid", file=str(file), problems="\n".join(details)) from None


def _line_of(node: yaml.Node | None, path: list[str]) -> int:
    """1-based line of the deepest YAML node found along ``path``."""
    line = node.start_mark.line + 1 if node is not None else 0
    current = node
    for key in path:
        if isinstance(current, yaml.MappingNode):
            match = next((v for k, v in current.value if str(k.value) == key), None)
            if match is None:
                break
            current = match
        elif isinstance(current, yaml.SequenceNode) and key.isdigit() and int(key) < len(current.value):
            current = current.value[int(key)]
        else:
            break
        line = current.start_mark.line + 1
    return line
