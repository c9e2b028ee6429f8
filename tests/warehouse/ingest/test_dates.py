"""Dates and times as shops write them: one column may mix formats; a day/month order that the
file does not settle is rejected, never guessed."""

from __future__ import annotations

from pathlib import Path

from bad_input_helpers import ONE_TABLE, load, mapping, problems, rows, write

from zhongtai.workspace import Workspace

HEAD = "订单号,客户,下单时间\n"


def _times(ws: Workspace) -> dict[str, str]:
    """order id → order time in UTC as text (the shop's zone is Asia/Shanghai, UTC+8)."""
    return dict(rows(ws, "SELECT order_id, CAST(order_time AS VARCHAR) FROM orders"))  # type: ignore[arg-type]


def test_one_column_may_mix_date_formats(workspace: Workspace, tmp_path: Path) -> None:
    written = {
        "iso": "2025-03-08",
        "slashes": "2025/3/8 14:05",
        "chinese": "2025年3月8日",
        "chinese_time": "2025年3月8日 14时05分",
        "chinese_seconds": "2025年3月8日14时05分30秒",
        "excel_serial": "45724",
        "excel_noon": "45724.5",
        "offset": "2025-03-08T14:05:00+08:00",
        "utc": "2025-03-08T06:05:00Z",
        "shopify": "2025-03-07 17:05:00 -0500",  # a blank before the offset, as Shopify writes it
        "blank_utc": "2025-03-08 06:05:00 Z",
        "compact": "20250308",
        "dots": "2025.3.8",
        "day_first": "13/03/2025",
        "full_width": "２０２５－０３－０８",
    }
    content = HEAD + "".join(f"{key},c,{value}\n" for key, value in written.items())
    result = load(workspace, write(tmp_path, "dates.csv", content), mapping(ONE_TABLE))
    assert problems(result) == []
    assert _times(workspace) == {
        "iso": "2025-03-07 16:00:00",
        "slashes": "2025-03-08 06:05:00",
        "chinese": "2025-03-07 16:00:00",
        "chinese_time": "2025-03-08 06:05:00",
        "chinese_seconds": "2025-03-08 06:05:30",
        "excel_serial": "2025-03-07 16:00:00",
        "excel_noon": "2025-03-08 04:00:00",
        "offset": "2025-03-08 06:05:00",
        "utc": "2025-03-08 06:05:00",
        "shopify": "2025-03-07 22:05:00",
        "blank_utc": "2025-03-08 06:05:00",
        "compact": "2025-03-07 16:00:00",
        "dots": "2025-03-07 16:00:00",
        "day_first": "2025-03-12 16:00:00",
        "full_width": "2025-03-07 16:00:00",
    }


def test_ambiguous_day_and_month_are_rejected_without_a_declared_order(workspace: Workspace, tmp_path: Path) -> None:
    content = HEAD + "A1,c,2025-03-08\nA2,c,03/04/2025\nA3,c,3/4/2025 10:00\n"
    result = load(workspace, write(tmp_path, "ambiguous.csv", content), mapping(ONE_TABLE))
    assert problems(result) == [
        (3, "orders", "order_time", "parse.date_ambiguous"),
        (4, "orders", "order_time", "parse.date_ambiguous"),
    ]
    assert list(_times(workspace)) == ["A1"]


def test_declared_date_order_settles_ambiguous_dates(workspace: Workspace, tmp_path: Path) -> None:
    content = HEAD + "A1,c,03/04/2025\nA2,c,13/03/2025\nA3,c,03/14/2025\n"
    result = load(workspace, write(tmp_path, "dmy.csv", content), mapping(ONE_TABLE, date_order="dmy"))
    assert problems(result) == [(4, "orders", "order_time", "parse.timestamp")]  # no 14th month
    assert _times(workspace) == {"A1": "2025-04-02 16:00:00", "A2": "2025-03-12 16:00:00"}


def test_month_first_declaration_reads_the_other_way(workspace: Workspace, tmp_path: Path) -> None:
    content = HEAD + "A1,c,03/04/2025\n"
    load(workspace, write(tmp_path, "mdy.csv", content), mapping(ONE_TABLE, date_order="mdy"))
    assert _times(workspace) == {"A1": "2025-03-03 16:00:00"}


def test_column_mixing_day_first_and_month_first_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    content = (
        HEAD
        + "A1,c,13/03/2025\n"  # row 2: day first (13 cannot be a month)
        + "A2,c,03/14/2025\n"  # row 3: month first
        + "A3,c,05/06/2025\n"  # row 4: ambiguous as well
        + "A4,c,2025-03-08\n"  # row 5: ISO is not affected
    )
    result = load(workspace, write(tmp_path, "conflict.csv", content), mapping(ONE_TABLE))
    assert problems(result) == [
        (2, "orders", "order_time", "parse.date_conflicting_order"),
        (3, "orders", "order_time", "parse.date_conflicting_order"),
        (4, "orders", "order_time", "parse.date_ambiguous"),
        (4, "orders", "order_time", "parse.date_conflicting_order"),
    ]
    assert list(_times(workspace)) == ["A4"]


def test_future_and_implausible_dates_are_rejected(workspace: Workspace, tmp_path: Path) -> None:
    content = HEAD + "A1,c,2099-03-08\nA2,c,1850-01-01\nA3,c,2025-03-08\nA4,c,2025-02-30\nA5,c,yesterday\n"
    result = load(workspace, write(tmp_path, "future.csv", content), mapping(ONE_TABLE))
    assert problems(result) == [
        (2, "orders", "order_time", "range.future_date"),
        (3, "orders", "order_time", "range.implausible_date"),
        (5, "orders", "order_time", "parse.timestamp"),
        (6, "orders", "order_time", "parse.timestamp"),
    ]
    assert list(_times(workspace)) == ["A3"]
