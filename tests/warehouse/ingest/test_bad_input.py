"""Bad input files: every case ends in a clear error or exact quarantine records, never a traceback,
never a silent loss and never a half-written warehouse.

Encodings, dates, values, Excel and atomicity have their own files (``test_encodings.py``,
``test_dates.py``, ``test_values.py``, ``test_excel.py``, ``test_atomicity.py``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bad_input_helpers import (
    HEADER,
    ONE_TABLE,
    assert_bilingual,
    load,
    mapping,
    problems,
    quarantined,
    refusal,
    rows,
    table_counts,
    write,
)

from zhongtai.warehouse.ingest import export_quarantine, get_load, list_loads
from zhongtai.workspace import Workspace

# -- files that cannot be loaded at all -------------------------------------------------------


@pytest.mark.parametrize("name", ["orders.csv", "orders.xlsx", "orders.parquet", "orders.jsonl", "orders.csv.gz"])
def test_zero_byte_file_is_refused_as_empty(workspace: Workspace, tmp_path: Path, name: str) -> None:
    error = refusal(workspace, write(tmp_path, name, b""))
    assert (error.code, error.params) == ("ingest.empty_file", {"file": name})
    refused = list_loads(workspace.warehouse.con)[0]
    assert (refused.status, refused.error_code, refused.rows_loaded) == ("refused", "ingest.empty_file", 0)


@pytest.mark.parametrize("content", ["\n\n  \n", "\ufeff", "\r\n\r\n"])
def test_file_of_blank_lines_is_refused_as_empty(workspace: Workspace, tmp_path: Path, content: str) -> None:
    error = refusal(workspace, write(tmp_path, "blank.csv", content))
    assert (error.code, error.params) == ("ingest.empty_file", {"file": "blank.csv"})


def test_header_only_csv_has_no_data_rows(workspace: Workspace, tmp_path: Path) -> None:
    error = refusal(workspace, write(tmp_path, "header.csv", HEADER))
    assert (error.code, error.params) == ("ingest.no_data_rows", {"file": "header.csv", "row": 1})


def test_header_only_parquet_has_no_data_rows(workspace: Workspace, tmp_path: Path) -> None:
    empty = pa.table({h: pa.array([], pa.string()) for h in HEADER.strip().split(",")})
    pq.write_table(empty, tmp_path / "header.parquet")
    error = refusal(workspace, tmp_path / "header.parquet")
    assert (error.code, error.params) == ("ingest.no_data_rows", {"file": "header.parquet", "row": 1})


def test_missing_required_columns_are_all_named(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "missing.csv", "订单号,客户,SKU,数量\nA1,c1,s1,1\n")
    error = refusal(workspace, path)
    assert error.code == "ingest.missing_column"
    assert error.params == {
        "file": "missing.csv",
        "row": 1,
        "column": "下单时间 → orders.order_time, 单价 → order_items.unit_price",
    }


def test_unknown_columns_are_reported_as_ignored_not_dropped_silently(workspace: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path, "extra.csv", "订单号,客户,下单时间,备注,SKU,数量,单价,买家留言\nA1,c1,2025-03-08,急,s1,1,9.9,快点\n"
    )
    result = load(workspace, path)
    assert result.record is not None
    assert result.record.ignored_columns == ["备注", "买家留言"]
    assert get_load(workspace.warehouse.con, result.record.load_id).ignored_columns == ["备注", "买家留言"]
    assert result.to_dict()["record"]["ignored_columns"] == ["备注", "买家留言"]
    assert table_counts(workspace)["order_items"] == 1


def test_headers_match_despite_spaces_case_and_full_width(workspace: Workspace, tmp_path: Path) -> None:
    header = '"订单号 ",客户\u3000,"  下单时间",ｓｋｕ,数量 ,单价\t\n'  # blanks around, full width, case
    result = load(workspace, write(tmp_path, "spaced.csv", header + "A1,c1,2025-03-08,s1,2,9.9\n"))
    assert result.record is not None
    assert result.record.ignored_columns == []
    assert rows(workspace, "SELECT order_id, sku, quantity FROM order_items") == [("A1", "s1", 2)]


def test_header_written_twice_is_ambiguous(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "twice.csv", "订单号,客户,下单时间,SKU,数量,单价,数量\nA1,c1,2025-03-08,s1,1,9.9,2\n")
    error = refusal(workspace, path)
    assert (error.code, error.params) == (
        "ingest.ambiguous_header",
        {"file": "twice.csv", "column": "数量", "count": 2},
    )


def test_parquet_with_boolean_quantity_names_the_column(workspace: Workspace, tmp_path: Path) -> None:
    table = pa.table(
        {
            "订单号": ["A1", "A2"],
            "客户": ["c1", "c2"],
            "下单时间": ["2025-03-08", "2025-03-08"],
            "SKU": ["s1", "s2"],
            "数量": [True, False],
            "单价": [9.9, 5.0],
        }
    )
    pq.write_table(table, tmp_path / "typed.parquet")
    error = refusal(workspace, tmp_path / "typed.parquet")
    assert error.code == "ingest.wrong_column_type"
    assert error.params == {"file": "typed.parquet", "column": "数量", "found": "BOOLEAN", "expected": "integer"}


def test_parquet_cut_short_is_refused_as_damaged(workspace: Workspace, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"订单号": [f"A{i}" for i in range(1000)]}), buffer)
    data = buffer.getvalue()
    error = refusal(workspace, write(tmp_path, "cut.parquet", data[: len(data) // 2]))
    assert (error.code, error.params) == ("ingest.damaged_file", {"file": "cut.parquet", "format": "parquet"})


def test_html_page_saved_as_xls_is_refused_with_advice(workspace: Workspace, tmp_path: Path) -> None:
    page = "<html><body><table><tr><td>订单号</td></tr></table></body></html>"
    error = refusal(workspace, write(tmp_path, "export.xls", page))
    assert (error.code, error.params) == ("ingest.not_excel", {"file": "export.xls"})


def test_csv_text_saved_as_xls_loads_as_csv(workspace: Workspace, tmp_path: Path) -> None:
    result = load(workspace, write(tmp_path, "export.xls", HEADER + "A1,c1,2025-03-08,s1,1,9.9\n"))
    assert result.record is not None
    assert result.record.file_format == "csv"
    assert table_counts(workspace)["order_items"] == 1


# -- truncated files --------------------------------------------------------------------------


def _orders_csv(count: int, seed: int = 7) -> str:
    """``count`` valid one-line orders with varied cells (so gzip cannot shrink them to nothing)."""
    rng = random.Random(seed)
    lines = [
        f"A{i},c{rng.randrange(10**9)},2025-03-08 10:{i % 60:02d},s{rng.randrange(10**6)},1,9.9\n" for i in range(count)
    ]
    return HEADER + "".join(lines)


@pytest.mark.parametrize(
    ("rows_in_file", "keep"),
    [(2_000, 0.5), (2_000, 10), (150_000, 0.6)],
    ids=["cut-in-first-MiB", "cut-in-gzip-header", "cut-after-first-MiB"],
)
def test_gzip_cut_short_is_refused_as_damaged(
    workspace: Workspace, tmp_path: Path, rows_in_file: int, keep: float
) -> None:
    data = gzip.compress(_orders_csv(rows_in_file).encode())
    cut = data[: int(len(data) * keep) if keep < 1 else int(keep)]
    error = refusal(workspace, write(tmp_path, "orders.csv.gz", cut))
    assert (error.code, error.params) == ("ingest.damaged_file", {"file": "orders.csv.gz", "format": "gzip"})


def test_gzip_cut_short_is_damaged_on_the_transcoding_path_too(workspace: Workspace, tmp_path: Path) -> None:
    data = gzip.compress(_orders_csv(150_000).encode("gbk"))
    path = write(tmp_path, "orders.csv.gz", data[: len(data) * 6 // 10])
    error = refusal(workspace, path, mapping(encoding="gbk"))
    assert (error.code, error.params) == ("ingest.damaged_file", {"file": "orders.csv.gz", "format": "gzip"})


def test_csv_cut_mid_row_quarantines_only_the_partial_row(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER + "A1,c1,2025-03-08,s1,1,9.9\nA2,c2,2025-03-08,s2,2,5\nA3,c3,2025-0"
    result = load(workspace, write(tmp_path, "cut.csv", content))
    assert problems(result) == [(4, None, None, "csv.missing_columns")]
    assert json.loads(quarantined(result)[0]["raw"]) == {"_line": "A3,c3,2025-0"}
    assert rows(workspace, "SELECT order_id FROM order_items ORDER BY 1") == [("A1",), ("A2",)]
    assert result.record is not None
    assert (result.record.rows_read, result.record.rows_loaded) == (3, 2)


def test_csv_cut_inside_a_quoted_cell_quarantines_the_open_row(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER + 'A1,c1,2025-03-08,s1,1,9.9\nA2,"c2,2025-03-08,s2,2,5\n'
    result = load(workspace, write(tmp_path, "cut.csv", content))
    assert problems(result) == [(3, None, None, "csv.unterminated_quote")]
    assert rows(workspace, "SELECT order_id FROM order_items") == [("A1",)]


# -- row numbers ------------------------------------------------------------------------------


def test_quoted_line_breaks_keep_the_row_numbers_of_later_rows(workspace: Workspace, tmp_path: Path) -> None:
    content = (
        HEADER  # row 1
        + 'A1,"张\n三",2025-03-08,s1,1,9.9\n'  # row 2, two physical lines
        + "A2,c2,2025-03-08,s1,x,9.9\n"  # row 3: bad quantity
        + 'A3,c3,2025-03-08,"s\n\n2",1,9.9\n'  # row 4, a blank physical line inside quotes
        + "A4,c4,2025-03-08,s4,1,abc\n"  # row 5: bad price
        + "A5,c5,2025-03-08,s5,1,9.9,extra\n"  # row 6: one cell too many
        + "\n"  # row 7: blank
        + "A6,c6,2025-03-08,s6,y,9.9\n"  # row 8: bad quantity
    )
    result = load(workspace, write(tmp_path, "multiline.csv", content))
    assert problems(result) == [
        (3, "order_items", "quantity", "parse.integer"),
        (5, "order_items", "unit_price", "parse.decimal"),
        (6, None, None, "csv.too_many_columns"),
        (8, "order_items", "quantity", "parse.integer"),
    ]
    assert rows(workspace, "SELECT order_id, customer_id FROM orders ORDER BY 1") == [("A1", "张\n三"), ("A3", "c3")]
    assert rows(workspace, "SELECT sku FROM order_items WHERE order_id = 'A3'") == [("s\n\n2",)]


def test_title_row_with_a_line_break_does_not_swallow_the_first_data_row(workspace: Workspace, tmp_path: Path) -> None:
    content = (
        '"店铺订单导出\n2025年3月",,,,,\n'  # row 1: a title over two physical lines
        + HEADER  # row 2
        + "A1,c1,2025-03-08,s1,1,9.9\n"  # row 3
        + "A2,c2,2025-03-08,s2,1,9.9,extra\n"  # row 4
        + "A3,c3,2025-03-08,s3,x,9.9\n"  # row 5
    )
    result = load(workspace, write(tmp_path, "titled.csv", content))
    assert problems(result) == [
        (4, None, None, "csv.too_many_columns"),
        (5, "order_items", "quantity", "parse.integer"),
    ]
    assert rows(workspace, "SELECT order_id FROM order_items") == [("A1",)]
    assert result.record is not None
    assert (result.record.rows_read, result.record.rows_loaded) == (3, 1)


def test_old_mac_line_endings_are_read(workspace: Workspace, tmp_path: Path) -> None:
    content = (HEADER + "A1,c1,2025-03-08,s1,1,9.9\n\nA2,c2,2025-03-08,s2,x,9.9\n").replace("\n", "\r")
    result = load(workspace, write(tmp_path, "mac.csv", content))
    assert problems(result) == [(4, "order_items", "quantity", "parse.integer")]
    assert rows(workspace, "SELECT order_id FROM order_items") == [("A1",)]


def test_windows_line_endings_do_not_leak_into_quarantined_lines(workspace: Workspace, tmp_path: Path) -> None:
    content = (HEADER + 'A1,"c\n1",2025-03-08,s1,1,9.9\nA2,c2,2025-03-08,s2,1,9.9,extra\n').replace("\n", "\r\n")
    result = load(workspace, write(tmp_path, "crlf.csv", content))
    assert problems(result) == [(3, None, None, "csv.too_many_columns")]
    assert json.loads(quarantined(result)[0]["raw"]) == {"_line": "A2,c2,2025-03-08,s2,1,9.9,extra"}


# -- rows that are not data -------------------------------------------------------------------


def test_header_repeated_mid_file_is_quarantined(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER + "A1,c1,2025-03-08,s1,1,9.9\n" + HEADER + "A2,c2,2025-03-08,s2,1,9.9\n"
    result = load(workspace, write(tmp_path, "pages.csv", content))
    assert problems(result) == [(3, None, None, "row.repeated_header")]
    assert rows(workspace, "SELECT order_id FROM orders ORDER BY 1") == [("A1",), ("A2",)]
    assert result.record is not None
    assert (result.record.rows_read, result.record.rows_loaded) == (3, 2)


def test_rows_of_empty_cells_are_skipped_like_blank_lines(workspace: Workspace, tmp_path: Path) -> None:
    """Excel saves formatted but empty rows as ``,,,,,``: no data, so neither loaded nor quarantined."""
    content = HEADER + "A1,c1,2025-03-08,s1,1,9.9\n,,,,,\n , ,\u3000, ,,\nA2,c2,2025-03-08,s2,x,9.9\n,,,,,\n,,,,,\n"
    result = load(workspace, write(tmp_path, "excel_saved.csv", content))
    assert problems(result) == [(5, "order_items", "quantity", "parse.integer")]  # row numbers unchanged
    assert result.record is not None
    assert (result.record.rows_read, result.record.rows_loaded, result.record.rows_quarantined) == (2, 1, 1)


def test_header_followed_only_by_empty_rows_has_no_data(workspace: Workspace, tmp_path: Path) -> None:
    error = refusal(workspace, write(tmp_path, "empty_rows.csv", HEADER + ",,,,,\n,,,,,\n"))
    assert (error.code, error.params) == ("ingest.no_data_rows", {"file": "empty_rows.csv", "row": 1})


def test_exact_duplicate_row_keeps_the_first_copy(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER + "A1,c1,2025-03-08,s1,1,9.9\nA1,c1,2025-03-08,s1,1,9.9\nA1,c1,2025-03-08,s2,2,5\n"
    result = load(workspace, write(tmp_path, "dup.csv", content))
    assert problems(result) == [(3, None, None, "row.duplicate")]
    assert rows(workspace, "SELECT order_id, line_no, sku, quantity FROM order_items ORDER BY 2") == [
        ("A1", 1, "s1", 1),
        ("A1", 2, "s2", 2),
    ]


def test_order_with_two_customers_is_held_back_whole(workspace: Workspace, tmp_path: Path) -> None:
    content = (
        HEADER
        + "A1,c1,2025-03-08,s1,1,9.9\n"
        + "B1,c1,2025-03-08,s1,1,9.9\n"  # row 3
        + "B1,c2,2025-03-08,s2,1,5\n"  # row 4: same order, another customer
        + "C1,c3,2025-03-08,s1,1,9.9\n"
    )
    result = load(workspace, write(tmp_path, "conflict.csv", content))
    assert problems(result) == [
        (3, "orders", "customer_id", "conflict.values"),
        (4, "orders", "customer_id", "conflict.values"),
    ]
    assert rows(workspace, "SELECT order_id FROM orders ORDER BY 1") == [("A1",), ("C1",)]
    assert rows(workspace, "SELECT order_id FROM order_items ORDER BY 1") == [("A1",), ("C1",)]


def test_line_rejected_holds_back_the_rest_of_its_order(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER + "A1,c1,2025-03-08,s1,1,9.9\nA1,c1,2025-03-08,s2,x,5\nB1,c2,2025-03-08,s1,1,9.9\n"
    result = load(workspace, write(tmp_path, "partial.csv", content))
    assert problems(result) == [
        (2, "orders", "source,order_id", "group.incomplete"),
        (3, "order_items", "quantity", "parse.integer"),
    ]
    assert rows(workspace, "SELECT order_id FROM order_items") == [("B1",)]


def test_ten_percent_bad_rows_load_exactly_the_good_ninety(workspace: Workspace, tmp_path: Path) -> None:
    bad = {  # data row index → (cells, column, rule); each breaks one rule
        4: ("B4,c,yesterday,1", "order_time", "parse.timestamp"),
        13: ("B13,c,2025-03-08,abc", "total_amount", "parse.decimal"),
        22: ("B22,c,2025-03-08,-5", "total_amount", "range.below_minimum"),
        31: (",c,2025-03-08,1", "order_id", "required.missing"),
        40: ("B40,c,03/04/2025,1", "order_time", "parse.date_ambiguous"),
        49: ("B49,c,2099-01-01,1", "order_time", "range.future_date"),
        58: ("B58,c,2025-03-08,12.345", "total_amount", "parse.too_many_decimals"),
        67: ("2.0250308E+18,c,2025-03-08,1", "order_id", "parse.id_precision_lost"),
        76: ("B76,c", None, "csv.missing_columns"),
        85: ("B85,c,2025-03-08,1,2", None, "csv.too_many_columns"),
    }
    lines = [bad[i][0] if i in bad else f"G{i},c{i},2025-03-08 10:00,{i}.50" for i in range(100)]
    path = write(tmp_path, "mixed.csv", "订单号,客户,下单时间,金额\n" + "\n".join(lines) + "\n")
    result = load(workspace, path, mapping(ONE_TABLE), max_reject_rate=0.1)
    assert result.record is not None
    record = result.record
    assert (record.rows_read, record.rows_loaded, record.rows_quarantined) == (100, 90, 10)
    assert record.rows_loaded + record.rows_quarantined == record.rows_read
    expected = [(i + 2, "orders" if column else None, column, rule) for i, (_, column, rule) in sorted(bad.items())]
    assert problems(result) == expected
    loaded = {r[0] for r in rows(workspace, "SELECT order_id FROM orders")}
    assert loaded == {f"G{i}" for i in range(100) if i not in bad}
    for record_ in quarantined(result):
        assert record_["file"] == "mixed.csv"
        assert record_["load_id"] == record.load_id
        assert record_["reason_en"]
        assert record_["reason_zh"]
        assert record_["reason_en"] != record_["reason_zh"]
        original = bad[record_["row"] - 2][0]
        assert original.split(",")[0] in record_["raw"]  # the row's own cells are kept for fixing


def test_too_many_bad_rows_refuse_the_load_and_keep_the_quarantine(workspace: Workspace, tmp_path: Path) -> None:
    content = "订单号,客户,下单时间,金额\nA1,c,2025-03-08,1\nA2,c,2025-03-08,x\nA3,c,2025-03-08,y\n"
    error = refusal(workspace, write(tmp_path, "bad.csv", content), mapping(ONE_TABLE), max_reject_rate=0.5)
    assert error.code == "ingest.too_many_rejects"
    assert error.params["rejected"] == 2
    assert error.params["rows"] == 3
    refused = list_loads(workspace.warehouse.con)[0]
    assert refused.status == "refused"
    assert refused.quarantine_file is not None
    assert (workspace.quarantine_dir / refused.quarantine_file).exists()


# -- rules on values and references ------------------------------------------------------------

ROUTED = {
    "name": "sales_and_refunds",
    "source": "shop",
    "timezone": "Asia/Shanghai",
    "tables": {
        "orders": {
            "group_rows": True,
            "when": [{"column": "类型", "not_equals": "退款"}],
            "columns": {
                "order_id": {"from": "订单号"},
                "customer_id": {"from": "客户"},
                "order_time": {"from": "下单时间", "aggregate": "min"},
            },
        },
        "order_items": {
            "when": [{"column": "类型", "not_equals": "退款"}],
            "columns": {
                "order_id": {"from": "订单号"},
                "line_no": {"sequence": True},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
                "is_gift": {"from": "赠品"},
            },
        },
        "refunds": {
            "when": [{"column": "类型", "equals": "退款"}],
            "columns": {
                "refund_id": {"from": "订单号"},
                "line_no": {"sequence": True},
                "customer_id": {"from": "客户"},
                "quantity": {"from": "数量", "negate": True},
                "requested_at": {"from": "下单时间"},
            },
        },
    },
}


def test_negative_quantity_is_rejected_on_a_sale_and_read_as_a_return_on_a_refund(
    workspace: Workspace, tmp_path: Path
) -> None:
    content = (
        "订单号,客户,下单时间,数量,单价,赠品,类型\n"
        "A1,c1,2025-03-08,2,9.9,否,销售\n"
        "A2,c2,2025-03-08,-1,9.9,否,销售\n"  # row 3: a sale cannot have -1 units
        "R1,c1,2025-03-09,-1,9.9,否,退款\n"  # row 4: a refund row, routed to refunds
    )
    result = load(workspace, write(tmp_path, "sales.csv", content), mapping(ROUTED))
    assert problems(result) == [(3, "order_items", "quantity", "range.non_positive_quantity")]
    assert rows(workspace, "SELECT order_id, quantity FROM order_items") == [("A1", 2)]
    assert rows(workspace, "SELECT refund_id, quantity FROM refunds") == [("R1", 1)]


def test_zero_price_is_allowed_only_on_gift_lines(workspace: Workspace, tmp_path: Path) -> None:
    content = (
        "订单号,客户,下单时间,数量,单价,赠品,类型\n"
        "A1,c1,2025-03-08,1,0,是,销售\n"  # a gift
        "A2,c2,2025-03-08,1,0,否,销售\n"  # row 3: not a gift, yet free
        "A3,c3,2025-03-08,1,0,,销售\n"  # row 4: gift flag left empty
    )
    result = load(workspace, write(tmp_path, "gifts.csv", content), mapping(ROUTED))
    assert problems(result) == [
        (3, "order_items", "unit_price", "range.zero_price"),
        (4, "order_items", "unit_price", "range.zero_price"),
    ]
    assert rows(workspace, "SELECT order_id, unit_price, is_gift FROM order_items") == [("A1", 0, True)]


def test_lines_whose_order_is_nowhere_are_quarantined(workspace: Workspace, tmp_path: Path) -> None:
    load(workspace, write(tmp_path, "orders.csv", HEADER + "A1,c1,2025-03-08,s1,1,9.9\n"))
    lines_only = {
        "name": "order_lines",
        "source": "shop",
        "tables": {
            "order_items": {
                "columns": {
                    "order_id": {"from": "订单号"},
                    "line_no": {"from": "行号"},
                    "quantity": {"from": "数量"},
                    "unit_price": {"from": "单价"},
                }
            }
        },
    }
    content = "订单号,行号,数量,单价\nA1,2,1,5\nZZ9,1,1,5\nB7,1,3,5\n"  # A1 is in the warehouse already
    result = load(workspace, write(tmp_path, "lines.csv", content), mapping(lines_only))
    assert problems(result) == [
        (3, "order_items", "source,order_id", "ref.missing_parent"),
        (4, "order_items", "source,order_id", "ref.missing_parent"),
    ]
    assert rows(workspace, "SELECT order_id, line_no FROM order_items ORDER BY 1, 2") == [("A1", 1), ("A1", 2)]


# -- personal data in reasons, and the re-exported quarantine -----------------------------------


def test_reasons_never_contain_the_cell_value_but_raw_keeps_it(workspace: Workspace, tmp_path: Path) -> None:
    content = (
        "订单号,客户,下单时间,金额\n"
        "A1,王小明,13800138000,1\n"  # a phone number typed into the time column
        "A2,李四,2025-03-08,110101199003078888\n"  # an ID-card number in the amount column
        "A3,wang@example.com,2025-03-08,x@y\n"
    )
    result = load(workspace, write(tmp_path, "pii.csv", content), mapping(ONE_TABLE))
    records = quarantined(result)
    assert [(r["row"], r["rule"]) for r in records] == [
        (2, "parse.timestamp"),
        (3, "parse.decimal"),
        (4, "parse.decimal"),
    ]
    secrets = ["王小明", "13800138000", "李四", "110101199003078888", "wang@example.com", "x@y"]
    for record in records:
        for secret in secrets:
            assert secret not in record["reason_en"]
            assert secret not in record["reason_zh"]
    assert json.loads(records[0]["raw"]) == {"订单号": "A1", "客户": "王小明", "下单时间": "13800138000", "金额": "1"}
    assert "110101199003078888" in records[1]["raw"]


def test_refusal_params_and_messages_never_carry_cell_values(workspace: Workspace, tmp_path: Path) -> None:
    content = "订单号,客户,下单时间,金额\nA1,王小明,13800138000,x\nA2,李四,2025-03-08,y\n"
    error = refusal(workspace, write(tmp_path, "pii.csv", content), mapping(ONE_TABLE), max_reject_rate=0.1)
    text = json.dumps(error.params, ensure_ascii=False) + error.message("en") + error.message("zh_CN")
    for secret in ("王小明", "13800138000", "李四"):
        assert secret not in text


def test_exported_quarantine_neutralises_formula_cells(workspace: Workspace, tmp_path: Path) -> None:
    formula_mapping = mapping(
        ONE_TABLE,
        tables={
            "orders": {
                "columns": {
                    "order_id": {"from": "订单号"},
                    "order_time": {"from": "下单时间"},
                    "customer_id": {"from": "+客户"},
                    "total_amount": {"from": "@SUM(A1:A9)"},
                }
            }
        },
    )
    content = '订单号,+客户,下单时间,@SUM(A1:A9)\n=1+1,-c,2025-03-08,"=HYPERLINK(""http://x"")"\n'
    result = load(workspace, write(tmp_path, "-report.csv", content), formula_mapping)
    assert problems(result) == [(2, "orders", "total_amount", "parse.decimal")]
    assert result.quarantine_path is not None
    target = tmp_path / "out.csv"
    assert export_quarantine(result.quarantine_path, target, include_raw=True) == 1
    with target.open(encoding="utf-8-sig", newline="") as handle:
        header, record = list(csv.reader(handle))
    cells = dict(zip(header, record, strict=True))
    assert cells["file"] == "'-report.csv"
    assert cells["header"] == "'@SUM(A1:A9)"
    assert cells["rule"] == "parse.decimal"
    assert json.loads(cells["raw"])["@SUM(A1:A9)"] == '=HYPERLINK("http://x")'  # inside JSON, not a formula
    for cell in record:
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_every_refusal_message_exists_in_both_languages(workspace: Workspace, tmp_path: Path) -> None:
    """A sweep over the refusals above: each is an IngestError whose message reads in zh and en."""
    cases = {
        "a.csv": b"",
        "b.csv": HEADER.encode(),
        "c.xls": b"<html></html>",
        "d.json": b'[{"a": 1}]',
        "e.jsonl": b"not json\n{also not}\n",
    }
    codes = []
    for name, content in cases.items():
        error = refusal(workspace, write(tmp_path, name, content))
        assert_bilingual(error, name)
        codes.append(error.code)
    assert codes == [
        "ingest.empty_file",
        "ingest.no_data_rows",
        "ingest.not_excel",
        "ingest.json_array",
        "ingest.not_jsonl",
    ]


# -- JSON Lines -------------------------------------------------------------------------------


def test_jsonl_invalid_lines_are_quarantined_and_the_rest_loads(workspace: Workspace, tmp_path: Path) -> None:
    lines = [
        json.dumps({"订单号": "J1", "客户": "张三", "下单时间": "2025-03-08", "金额": 10.5}, ensure_ascii=False),
        '{"订单号": "J2", "客户": "李四", "下单时间": "2025-03-08", "金额": 3',  # line 2: cut off
        "[1, 2]",  # line 3: JSON, not an object
        "",  # line 4: blank
        json.dumps({"订单号": 2025030812345678901, "客户": "c", "下单时间": "2025-03-08", "金额": "¥1,234.50"}),
        json.dumps({"订单号": "J6", "客户": "c", "下单时间": "2025-03-08", "备注": {"a": 1}}, ensure_ascii=False),
    ]
    result = load(workspace, write(tmp_path, "orders.jsonl", "\n".join(lines) + "\n"), mapping(ONE_TABLE))
    assert problems(result) == [(2, None, None, "jsonl.invalid_json"), (3, None, None, "jsonl.not_an_object")]
    assert json.loads(quarantined(result)[0]["raw"])["_line"].startswith('{"订单号": "J2", "客户": "李四"')
    assert result.record is not None
    assert (result.record.rows_read, result.record.rows_loaded) == (5, 3)
    assert result.record.ignored_columns == ["备注"]
    assert rows(workspace, "SELECT order_id, total_amount FROM orders ORDER BY 1") == [
        ("2025030812345678901", Decimal("1234.50")),
        ("J1", Decimal("10.50")),
        ("J6", None),
    ]


def test_jsonl_with_byte_order_mark_loads(workspace: Workspace, tmp_path: Path) -> None:
    line = json.dumps({"订单号": "J1", "客户": "c", "下单时间": "2025-03-08"}, ensure_ascii=False)
    load(workspace, write(tmp_path, "bom.jsonl", "\ufeff" + line + "\n"), mapping(ONE_TABLE))
    assert rows(workspace, "SELECT order_id FROM orders") == [("J1",)]
