"""Text encodings: GBK exports found or refused by name, UTF-16 "Unicode text" read correctly,
and a line that does not decode quarantined alone instead of ending the read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bad_input_helpers import HEADER, ONE_TABLE, load, mapping, problems, quarantined, refusal, rows, write

from zhongtai.warehouse.ingest.files import detect_encoding
from zhongtai.workspace import Workspace

CHINESE = HEADER + "A1,张三,2025-03-08,羽绒服,1,9.9\nA2,李四,2025-03-08,围巾,2,19.9\n"

ASCII_HEADERS = {
    "name": "ascii_headers",
    "source": "shop",
    "tables": {
        "orders": {
            "columns": {
                "order_id": {"from": "order_id"},
                "customer_id": {"from": "customer"},
                "order_time": {"from": "time"},
            }
        }
    },
}


def test_gbk_export_is_detected_and_loads(workspace: Workspace, tmp_path: Path) -> None:
    result = load(workspace, write(tmp_path, "gbk.csv", CHINESE, encoding="gbk"))
    assert result.record is not None
    assert result.record.encoding == "gb18030"
    assert rows(workspace, "SELECT customer_id FROM orders ORDER BY 1") == [("张三",), ("李四",)]
    assert rows(workspace, "SELECT sku FROM order_items ORDER BY 1") == [("围巾",), ("羽绒服",)]


def test_gbk_declared_as_utf8_is_refused_naming_the_likely_encoding(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "gbk.csv", CHINESE, encoding="gbk")
    error = refusal(workspace, path, mapping(encoding="utf-8"))
    assert error.code == "ingest.wrong_encoding"
    assert error.params == {"file": "gbk.csv", "encoding": "utf-8", "line": 1, "byte": 0, "detected": "gb18030"}
    assert "gb18030" in error.message("zh_CN")
    assert "gb18030" in error.message("en")


def test_gbk_after_a_plain_ascii_first_mebibyte_is_read_as_gb18030(workspace: Workspace, tmp_path: Path) -> None:
    """Detection samples 1 MiB; a GBK file whose Chinese starts later must not lose those rows."""
    ascii_rows = "".join(f"A{i},c{i},2025-03-08 10:00\n" for i in range(45_000)).encode("ascii")
    assert len(ascii_rows) > 1024 * 1024
    gbk_rows = "B1,张三,2025-03-08 11:00\nB2,李四,2025-03-08 12:00\n".encode("gbk")
    path = write(tmp_path, "late.csv", b"order_id,customer,time\n" + ascii_rows + gbk_rows)
    result = load(workspace, path, mapping(ASCII_HEADERS))
    assert result.record is not None
    assert (result.record.encoding, result.record.rows_read, result.record.rows_quarantined) == ("gb18030", 45_002, 0)
    assert rows(workspace, "SELECT customer_id FROM orders WHERE order_id LIKE 'B%' ORDER BY 1") == [
        ("张三",),
        ("李四",),
    ]


def test_one_gbk_row_in_a_utf8_file_is_quarantined_alone(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER.encode() + "A1,张三,2025-03-08,s1,1,9.9\n".encode()
    content += "A2,李四,2025-03-08,s2,1,9.9\n".encode("gbk")  # row 3: the odd one out
    content += "A3,王五,2025-03-08,s3,1,9.9\n".encode()
    result = load(workspace, write(tmp_path, "mixed.csv", content))
    assert problems(result) == [(3, None, None, "csv.invalid_encoding")]
    assert rows(workspace, "SELECT customer_id FROM orders ORDER BY order_id") == [("张三",), ("王五",)]


def test_file_that_is_no_supported_encoding_is_refused_with_position(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "binary.csv", b"order_id,customer\nA1,\xff\xfe\xfd\x80\n")
    error = refusal(workspace, path)
    assert (error.code, error.params) == ("ingest.undecodable", {"file": "binary.csv", "line": 2, "byte": 21})


def test_declared_gbk_that_does_not_decode_names_line_and_byte(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", HEADER.encode("gbk") + b"A1,\x80\xff,2025-03-08,s,1,1\n")
    error = refusal(workspace, path, mapping(encoding="gbk"))
    assert error.code == "ingest.decode_error"
    at = len(HEADER.encode("gbk") + b"A1,")
    assert error.params == {"file": "bad.csv", "encoding": "gb18030", "line": 2, "byte": at}


def test_unknown_declared_encoding_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    error = refusal(workspace, write(tmp_path, "x.csv", CHINESE), mapping(encoding="klingon"))
    assert (error.code, error.params) == ("ingest.unknown_encoding", {"file": "x.csv", "encoding": "klingon"})


@pytest.mark.parametrize("content", ["a,b\n1,2\n", '[{"a": 1}]', "x"])
def test_tiny_ascii_files_are_utf8_not_utf16(tmp_path: Path, content: str) -> None:
    """UTF-16 is recognised by its zero bytes; a file without any must never be taken for it."""
    assert detect_encoding(write(tmp_path, "tiny.csv", content)) == "utf-8"


def test_excel_unicode_text_export_loads(workspace: Workspace, tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF, commas inside cells."""
    text = (
        "订单号\t客户\t下单时间\tSKU\t数量\t单价\r\n"
        "E1\t张三\t2025-03-08 10:00\t羽绒服, 黑色\t1\t¥1,299.00\r\n"
        'E2\t"李四"\t2025/3/8 14:05\t围巾\t2\t19.9\r\n'
    )
    result = load(workspace, write(tmp_path, "unicode.txt", text, encoding="utf-16"))
    assert result.record is not None
    assert result.record.encoding == "utf-16"
    assert rows(workspace, "SELECT order_id, customer_id, CAST(order_time AS VARCHAR) FROM orders ORDER BY 1") == [
        ("E1", "张三", "2025-03-08 02:00:00"),
        ("E2", "李四", "2025-03-08 06:05:00"),
    ]
    assert rows(workspace, "SELECT sku, CAST(unit_price AS VARCHAR) FROM order_items ORDER BY 1") == [
        ("围巾", "19.9000"),
        ("羽绒服, 黑色", "1299.0000"),
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_recognised(workspace: Workspace, tmp_path: Path, encoding: str) -> None:
    # 一 is U+4E00: one of the CJK characters with a zero byte of their own
    text = (HEADER + "A1,张三,2025-03-08,一一,1,9.9\nA2,李四,2025-03-08,一号,2,19.9\n").replace(",", "\t")
    result = load(workspace, write(tmp_path, "nobom.txt", text, encoding=encoding))
    assert result.record is not None
    assert result.record.encoding == encoding
    assert rows(workspace, "SELECT customer_id, sku FROM orders JOIN order_items USING (order_id) ORDER BY 1") == [
        ("张三", "一一"),
        ("李四", "一号"),
    ]


def test_jsonl_line_that_is_not_utf8_is_quarantined_and_reading_goes_on(workspace: Workspace, tmp_path: Path) -> None:
    def line(order: str, customer: str) -> str:
        record = {"订单号": order, "客户": customer, "下单时间": "2025-03-08"}
        return json.dumps(record, ensure_ascii=False) + "\n"

    good = "".join(line(f"J{i}", "张三") for i in range(5000)).encode()
    content = good + line("X1", "李四").encode("gbk") + "".join(line(f"K{i}", "c") for i in range(5000)).encode()
    result = load(workspace, write(tmp_path, "orders.jsonl", content), mapping(ONE_TABLE, encoding="utf-8"))
    assert problems(result) == [(5001, None, None, "csv.invalid_encoding")]
    kept = json.loads(quarantined(result)[0]["raw"])["_line"]  # undecodable bytes shown as U+FFFD
    assert kept.startswith('{"')
    assert '"X1"' in kept
    assert "\ufffd" in kept
    assert result.record is not None
    assert (result.record.rows_read, result.record.rows_loaded) == (10_001, 10_000)
    assert rows(workspace, "SELECT COUNT(*) FROM orders") == [(10_000,)]


def test_gbk_jsonl_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    record = {"订单号": "J1", "客户": "张三", "下单时间": "2025-03-08"}
    path = write(tmp_path, "gbk.jsonl", json.dumps(record, ensure_ascii=False) + "\n", encoding="gbk")
    result = load(workspace, path, mapping(ONE_TABLE))
    assert result.record is not None
    assert result.record.encoding == "gb18030"
    assert rows(workspace, "SELECT customer_id FROM orders") == [("张三",)]
