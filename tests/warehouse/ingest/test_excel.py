"""Excel reports as back-offices write them: a title row, headers merged over two rows, order
cells merged down over their lines, a totals (合计) row — read with the row numbers Excel shows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from bad_input_helpers import load, mapping, problems, refusal, rows, write

from zhongtai.workspace import Workspace

REPORT: dict[str, Any] = {
    "name": "excel_report",
    "source": "shop",
    "timezone": "Asia/Shanghai",
    "tables": {
        "orders": {
            "group_rows": True,
            "columns": {
                "order_id": {"from": "订单号"},
                "customer_id": {"from": "客户"},
                "order_time": {"from": "下单时间", "aggregate": "min"},
            },
        },
        "order_items": {
            "columns": {
                "order_id": {"from": "订单号"},
                "line_no": {"sequence": True},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
                "amount": {"from": "金额"},
            }
        },
    },
}


def _report(path: Path, data: list[list[Any]], merges: list[str] = ()) -> Path:  # type: ignore[assignment]
    """A sheet with a merged title (row 1), a two-row header (rows 2–3), then ``data`` from row 4."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2025年3月 订单明细(导出时间 2025-04-01)"])
    sheet.append(["订单号", "客户", "下单时间", "商品", None, "金额"])
    sheet.append([None, None, None, "数量", "单价", None])
    for row in data:
        sheet.append(row)
    for cells in ["A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", *merges]:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def test_title_merged_two_row_header_and_totals_row(workspace: Workspace, tmp_path: Path) -> None:
    path = _report(
        tmp_path / "report.xlsx",
        [
            ["A1", "张三", datetime(2025, 3, 8, 14, 5), 2, 9.9, 19.8],  # row 4
            [2025030812345678901, "李四", "2025/3/8", 1, 5, 5],  # row 5: a long id stored as a double
            ["A3", "王五", 45724, 1, 5, 5],  # row 6: an Excel date serial
            ["合计", None, None, 4, None, 29.8],  # row 7
        ],
    )
    result = load(workspace, path, mapping(REPORT))
    assert problems(result) == [
        (5, "order_items", "order_id", "parse.id_precision_lost"),
        (5, "orders", "order_id", "parse.id_precision_lost"),
        (7, None, None, "row.totals_row"),
    ]
    assert result.record is not None
    assert result.record.ignored_columns == []
    assert rows(workspace, "SELECT order_id, customer_id, CAST(order_time AS VARCHAR) FROM orders ORDER BY 1") == [
        ("A1", "张三", "2025-03-08 06:05:00"),
        ("A3", "王五", "2025-03-07 16:00:00"),
    ]
    assert rows(workspace, "SELECT order_id, quantity, CAST(unit_price AS VARCHAR) FROM order_items ORDER BY 1") == [
        ("A1", 2, "9.9000"),
        ("A3", 1, "5.0000"),
    ]


def test_order_cells_merged_down_over_their_lines_fill_every_line(workspace: Workspace, tmp_path: Path) -> None:
    path = _report(
        tmp_path / "merged.xlsx",
        [
            ["B1", "张三", "2025-03-08 10:00", 1, 10, 10],  # rows 4–6: one order over three lines
            [None, None, None, 2, 5, 10],
            [None, None, None, 1, 3, 3],
            ["B2", "李四", "2025-03-09 10:00", 1, 7, 7],  # row 7
            ["合计", None, None, 5, None, 30],  # row 8, merged over A:C
        ],
        merges=["A4:A6", "B4:B6", "C4:C6", "A8:C8"],
    )
    result = load(workspace, path, mapping(REPORT))
    assert problems(result) == [(8, None, None, "row.totals_row")]
    assert rows(workspace, "SELECT order_id, customer_id FROM orders ORDER BY 1") == [("B1", "张三"), ("B2", "李四")]
    assert rows(workspace, "SELECT order_id, line_no, quantity FROM order_items ORDER BY 1, 2") == [
        ("B1", 1, 1),
        ("B1", 2, 2),
        ("B1", 3, 1),
        ("B2", 1, 1),
    ]


def test_header_only_report_has_no_data_rows(workspace: Workspace, tmp_path: Path) -> None:
    error = refusal(workspace, _report(tmp_path / "empty.xlsx", []), mapping(REPORT))
    assert (error.code, error.params) == ("ingest.no_data_rows", {"file": "empty.xlsx", "row": 2})


def test_workbook_cut_short_is_refused_as_damaged(workspace: Workspace, tmp_path: Path) -> None:
    data = _report(tmp_path / "full.xlsx", [["A1", "c", "2025-03-08", 1, 1, 1]]).read_bytes()
    error = refusal(workspace, write(tmp_path, "cut.xlsx", data[: len(data) * 2 // 3]), mapping(REPORT))
    assert (error.code, error.params) == ("ingest.damaged_file", {"file": "cut.xlsx", "format": "xlsx"})


def test_missing_sheet_is_named_with_the_sheets_there_are(workspace: Workspace, tmp_path: Path) -> None:
    path = _report(tmp_path / "report.xlsx", [["A1", "c", "2025-03-08", 1, 1, 1]])
    error = refusal(workspace, path, mapping(REPORT, sheet="订单"))
    assert error.code == "ingest.no_such_sheet"
    assert error.params == {"file": "report.xlsx", "sheet": "订单", "sheets": "Sheet"}
