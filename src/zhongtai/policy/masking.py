"""The one masking function: frames, objects and exported files, by the caller's role.

``mask(data, principal, table="customers", audit=..., what=...)`` returns ``data`` as the
principal may see it: columns of PII classes the principal's role may not see are masked
(vectorised for Arrow tables and pandas frames, per value for records and dataclasses), free-text
columns are scrubbed of embedded PII, and when any personal column goes out unmasked the
disclosure is written to the audit log first. :func:`mask_file` does the same to a CSV or
Parquet file being exported.
"""

from __future__ import annotations

import csv
import dataclasses
import sys
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from zhongtai.errors import InputError
from zhongtai.policy.access import AccessAudit, Disclosure, Purpose
from zhongtai.policy.columns import TEXT_POLICY, ColumnPolicy, MaskKind, table_policies
from zhongtai.policy.crypto import keyring_from_env
from zhongtai.policy.maskers import mask_value
from zhongtai.policy.principal import Principal
from zhongtai.policy.roles import Action
from zhongtai.policy.sealing import context_of, sealed_columns, unseal_array, unseal_table
from zhongtai.policy.vector import mask_array
from zhongtai.warehouse.export import neutralise_cell
from zhongtai.warehouse.schema import PiiClass

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OTHER_COLUMNS",
    "Policies",
    "mask",
    "mask_file",
    "mask_table",
    "record_revealed",
    "resolve_policies",
    "safe_cell",
    "write_table",
]

T = TypeVar("T")
Policies = Mapping[str, ColumnPolicy]
OTHER_COLUMNS = "*"
"""Key of a policy mapping that applies to every column not named (default: strings are free text)."""
_NONE = ColumnPolicy(PiiClass.NONE, MaskKind.NONE)


def resolve_policies(columns: Policies | None = None, table: str | None = None) -> dict[str, ColumnPolicy]:
    """Explicit column policies over the model's policies of ``table`` (if given)."""
    found = table_policies(table) if table else {}
    found.update(columns or {})
    return found


def _policy_for(name: str, policies: Policies, is_text: bool) -> ColumnPolicy:
    policy = policies.get(name)
    if policy is not None:
        return policy
    default = policies.get(OTHER_COLUMNS)
    if default is not None:
        return default
    return TEXT_POLICY if is_text else _NONE


def _visible(principal: Principal, purpose: Purpose) -> frozenset[PiiClass]:
    return principal.visible_classes(Action.EXPORT if purpose is Purpose.EXPORT else Action.READ)


def mask_table(
    table: pa.Table, policies: Policies, visible: frozenset[PiiClass]
) -> tuple[pa.Table, dict[str, PiiClass]]:
    """Mask an Arrow table column by column; also return the personal columns left unmasked."""
    revealed: dict[str, PiiClass] = {}
    arrays = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        policy = _policy_for(name, policies, pa.types.is_string(kind) or pa.types.is_large_string(kind))
        if policy.personal and policy.pii in visible:
            revealed[name] = policy.pii
        arrays.append(mask_array(column, policy, visible))
    return pa.table(arrays, names=table.column_names), revealed


def _is_frame(data: object) -> bool:
    """A pandas DataFrame (pandas is imported only by callers that have one)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(data, pandas.DataFrame)


def _mask_frame(
    frame: pd.DataFrame, policies: Policies, visible: frozenset[PiiClass]
) -> tuple[pd.DataFrame, dict[str, PiiClass]]:
    import pandas as pd

    out = frame.copy()
    revealed: dict[str, PiiClass] = {}
    for name in frame.columns:
        series = frame[name]
        is_text = series.dtype == object or isinstance(series.dtype, pd.StringDtype)
        policy = _policy_for(str(name), policies, is_text)
        if policy.personal and policy.pii in visible:
            revealed[str(name)] = policy.pii
            continue
        if not policy.personal and (policy.kind is not MaskKind.TEXT or not is_text):
            continue
        try:
            masked = mask_array(pa.array(series, from_pandas=True), policy, visible)
            out[name] = pd.Series(masked.to_pylist(), index=frame.index, dtype=object)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            out[name] = series.map(partial(_mask_cell, policy=policy, visible=visible))
    return out, revealed


def _unseal_frame(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A copy of ``frame`` with its sealed columns of ``table`` decrypted (when a keyring is set)."""
    import pandas as pd

    columns = [c for c in sealed_columns().get(table, ()) if c in frame.columns and frame[c].dtype == object]
    if not columns or keyring_from_env() is None:
        return frame
    out = frame.copy()
    for name in columns:
        try:
            values = pa.array(frame[name], pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            continue
        out[name] = pd.Series(
            unseal_array(values, context_of(table, name)).to_pylist(), index=frame.index, dtype=object
        )
    return out


def _mask_cell(value: Any, *, policy: ColumnPolicy, visible: frozenset[PiiClass]) -> Any:
    return (
        None if value is None or (isinstance(value, float) and value != value) else mask_value(value, policy, visible)
    )


def _mask_record(
    record: Mapping[str, Any], policies: Policies, visible: frozenset[PiiClass]
) -> tuple[dict[str, Any], dict[str, PiiClass]]:
    revealed: dict[str, PiiClass] = {}
    out: dict[str, Any] = {}
    for name, value in record.items():
        policy = _policy_for(name, policies, isinstance(value, str))
        if policy.personal and policy.pii in visible and value is not None:
            revealed[name] = policy.pii
        out[name] = mask_value(value, policy, visible)
    return out, revealed


def mask(
    data: T,
    principal: Principal,
    *,
    audit: AccessAudit,
    what: str,
    table: str | None = None,
    columns: Policies | None = None,
    purpose: Purpose = Purpose.VIEW,
    reason: str | None = None,
) -> T:
    """``data`` masked for ``principal``: a pyarrow Table, a pandas DataFrame, a mapping, a list of
    mappings or a dataclass instance, returned as the same kind of thing.

    Column policies come from the warehouse ``table`` and/or explicit ``columns``; other string
    columns are treated as free text. With ``table`` named, an Arrow table's sealed (encrypted)
    identity columns are decrypted before masking. Unmasked personal columns are recorded with ``audit``
    (``what`` names the source, ``reason`` is the caller's optional why) before returning.
    """
    policies = resolve_policies(columns, table)
    visible = _visible(principal, purpose)
    result: Any
    rows: int
    if isinstance(data, pa.Table):
        source: pa.Table = data
        if table:
            source = unseal_table(source, {name: (table, name) for name in source.column_names})
        result, revealed = mask_table(source, policies, visible)
        rows = source.num_rows
    elif _is_frame(data):
        frame: Any = _unseal_frame(data, table) if table else data  # type: ignore[arg-type]
        result, revealed = _mask_frame(frame, policies, visible)
        rows = len(result)
    elif isinstance(data, Mapping):
        result, revealed = _mask_record(data, policies, visible)
        rows = 1
    elif dataclasses.is_dataclass(data) and not isinstance(data, type):
        values = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
        masked, revealed = _mask_record(values, policies, visible)
        result = dataclasses.replace(data, **masked)
        rows = 1
    elif isinstance(data, Sequence) and not isinstance(data, str | bytes):
        result, revealed = [], {}
        for item in data:
            if not isinstance(item, Mapping):
                raise InputError("policy.unmaskable", kind=type(item).__name__)
            masked_item, found = _mask_record(item, policies, visible)
            result.append(masked_item)
            revealed.update(found)
        rows = len(data)
    else:
        raise InputError("policy.unmaskable", kind=type(data).__name__)
    record_revealed(audit, principal, revealed, rows=rows, purpose=purpose, what=what, reason=reason)
    return result  # type: ignore[no-any-return]


def record_revealed(
    audit: AccessAudit,
    principal: Principal,
    revealed: Mapping[str, PiiClass],
    *,
    rows: int,
    purpose: Purpose,
    what: str,
    reason: str | None,
    target: str | None = None,
) -> None:
    if not revealed or rows == 0:
        return
    classes = tuple(sorted(set(revealed.values()), key=lambda c: c.value))
    audit.record_disclosure(
        principal,
        Disclosure(
            purpose=purpose,
            what=what,
            columns=tuple(revealed),
            classes=classes,
            rows=rows,
            reason=reason,
            target=target,
        ),
    )


def mask_file(
    source: Path,
    target: Path,
    principal: Principal,
    *,
    audit: AccessAudit,
    what: str,
    table: str | None = None,
    columns: Policies | None = None,
    reason: str | None = None,
) -> int:
    """Export ``source`` (CSV or Parquet) to ``target`` (CSV or Parquet, by suffix) masked for
    ``principal`` with export rights; CSV cells are neutralised against formula injection.
    Returns the number of rows written."""
    policies = resolve_policies(columns, table)
    if source.suffix.lower() == ".parquet":
        data = pq.read_table(source)
    else:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        data = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(encoding="utf8"),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header}, strings_can_be_null=False
            ),
        )
        if data.column_names and data.column_names[0].startswith("\ufeff"):
            data = data.rename_columns([data.column_names[0].removeprefix("\ufeff"), *data.column_names[1:]])
    visible = _visible(principal, Purpose.EXPORT)
    masked, revealed = mask_table(data, policies, visible)
    record_revealed(
        audit,
        principal,
        revealed,
        rows=data.num_rows,
        purpose=Purpose.EXPORT,
        what=what,
        reason=reason,
        target=target.name,
    )
    write_table(masked, target)
    return int(masked.num_rows)


def safe_cell(value: str) -> str:
    """A text cell made safe for spreadsheets (formula injection, OWASP); every export uses it."""
    return neutralise_cell(value)


def write_table(table: pa.Table, target: Path) -> None:
    """Write an Arrow table as Parquet or as CSV (UTF-8 with BOM for Excel, formula cells neutralised)."""
    if target.suffix.lower() == ".parquet":
        pq.write_table(table, target)
        return
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.column_names)
        for row in table.to_pylist():
            writer.writerow([safe_cell("" if v is None else str(v)) for v in row.values()])
