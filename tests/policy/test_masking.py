"""mask(): one function for Arrow tables, pandas frames, records, dataclasses and exported files."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhongtai.appdb import AppDB, list_audit
from zhongtai.errors import InputError
from zhongtai.policy import SYSTEM, ColumnPolicy, MaskKind, Principal, Purpose, Role, mask, mask_file
from zhongtai.warehouse.schema import PiiClass
from zhongtai.workspace import Workspace

ANALYST = Principal(user_id=None, name="ana", role=Role.ANALYST)
OPERATOR = Principal(user_id=None, name="op", role=Role.OPERATOR)
RISK = Principal(user_id=None, name="rik", role=Role.RISK)

CUSTOMERS = {
    "customer_id": ["c1", "c2", None],
    "name": ["张三", "Alice", None],
    "phone": ["13800138000", "+86 139 0013 9000", None],
    "email": ["alice@x.com", "b@y.cn", None],
    "id_number": ["110101199003071234", None, None],
    "address": ["北京市朝阳区建国路88号", "1 Main St, Springfield, US", None],
    "city": ["北京", "Springfield", None],
}
ANALYST_VIEW = {
    "customer_id": ["****", "****", None],
    "name": ["张*", "A***", None],
    "phone": ["138****8000", "139****9000", None],
    "email": ["a***@x.com", "*@y.cn", None],
    "id_number": ["1****************4", None, None],
    "address": ["北京市朝阳区****", "***, US", None],
    "city": ["北京", "Springfield", None],
}


@pytest.fixture
def app(workspace: Workspace) -> AppDB:
    return workspace.app


def _audited(app: AppDB) -> list[tuple[str, list[str], int]]:
    return [(e.action, e.detail["columns"], e.detail["rows"]) for e in list_audit(app, SYSTEM, action="pii.")]


def test_an_arrow_table_and_a_pandas_frame_are_masked_alike(app: AppDB) -> None:
    table = mask(pa.table(CUSTOMERS), ANALYST, table="customers", audit=app, what="t")
    assert table.to_pydict() == ANALYST_VIEW
    frame = mask(pd.DataFrame(CUSTOMERS), ANALYST, table="customers", audit=app, what="t")
    assert frame.where(frame.notna(), None).to_dict("list") == ANALYST_VIEW
    assert _audited(app) == []


def test_records_and_dataclasses_use_the_per_value_maskers(app: AppDB) -> None:
    records = [dict(zip(CUSTOMERS, row, strict=True)) for row in zip(*CUSTOMERS.values(), strict=True)]
    masked = mask(records, ANALYST, table="customers", audit=app, what="t")
    assert masked == [dict(zip(ANALYST_VIEW, row, strict=True)) for row in zip(*ANALYST_VIEW.values(), strict=True)]
    assert mask(records[0], ANALYST, table="customers", audit=app, what="t")["phone"] == "138****8000"

    @dataclass(frozen=True)
    class Contact:
        name: str
        phone: str
        note: str

    shown = mask(
        Contact("张三", "13800138000", "call 13900139000 after 6pm"), ANALYST, table="customers", audit=app, what="t"
    )
    assert shown == Contact("张*", "138****8000", "call 139****9000 after 6pm")


def test_unmasked_personal_columns_are_audited_before_they_are_returned(app: AppDB) -> None:
    table = mask(
        pa.table(CUSTOMERS), OPERATOR, table="customers", audit=app, what="warehouse:customers", reason="call back"
    )
    assert table.column("phone").to_pylist() == CUSTOMERS["phone"]
    assert table.column("id_number").to_pylist() == ANALYST_VIEW["id_number"]
    assert _audited(app) == [("pii.view", ["customer_id", "name", "phone", "email", "address"], 3)]


def test_undeclared_string_columns_are_scrubbed_as_free_text(app: AppDB) -> None:
    frame = pd.DataFrame({"remark": ["加我微信 13800138000", "ok"], "n": [1, 2]})
    masked = mask(frame, ANALYST, audit=app, what="t")
    assert masked["remark"].tolist() == ["加我微信 138****8000", "ok"]
    assert masked["n"].tolist() == [1, 2]
    explicit = mask(frame, ANALYST, columns={"remark": ColumnPolicy(PiiClass.NONE, MaskKind.NONE)}, audit=app, what="t")
    assert explicit["remark"].tolist() == frame["remark"].tolist()


def test_only_known_shapes_can_be_masked(app: AppDB) -> None:
    with pytest.raises(InputError):
        mask("13800138000", ANALYST, audit=app, what="t")  # type: ignore[type-var]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_exported_file_is_masked_by_export_rights(app: AppDB, tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"customers{suffix}"
    if suffix == ".csv":
        pd.DataFrame(CUSTOMERS).to_csv(source, index=False, encoding="utf-8-sig")
    else:
        pq.write_table(pa.table(CUSTOMERS), source)
    out = tmp_path / "out.csv"
    assert mask_file(source, out, OPERATOR, table="customers", audit=app, what="export:customers") == 3
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["phone"] == "138****8000"  # operators may read but not export contact data
    assert rows[0]["address"] == "北京市朝阳区****"
    assert _audited(app) == []
    assert mask_file(source, out, RISK, table="customers", audit=app, what="export:customers", reason="DSR") == 3
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["id_number"] == "110101199003071234"
    (entry,) = list_audit(app, SYSTEM, action="pii.")
    assert (entry.action, entry.reason, entry.detail["target"]) == ("pii.export", "DSR", "out.csv")


def test_formula_cells_are_neutralised_in_exported_files(app: AppDB, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"note": ['=HYPERLINK("http://x")', "-12.5"]}), source)
    out = tmp_path / "out.csv"
    mask_file(source, out, ANALYST, audit=app, what="t", columns={})
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["note"], ['\'=HYPERLINK("http://x")'], ["-12.5"]]


def test_purpose_export_uses_export_rights(app: AppDB) -> None:
    table = pa.table({"phone": ["13800138000"]})
    assert mask(table, OPERATOR, table="customers", audit=app, what="t", purpose=Purpose.EXPORT).to_pydict() == {
        "phone": ["138****8000"]
    }
    assert mask(table, RISK, table="customers", audit=app, what="t", purpose=Purpose.EXPORT).to_pydict() == {
        "phone": ["13800138000"]
    }
