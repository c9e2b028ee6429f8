"""Mapping features real exports need: sums and differences of columns, yes/no words, codes in any
case, gifts sold at 0, placeholder text, generated ids, and whole groups for summed columns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bad_input_helpers import load, problems, rows, write

from zhongtai.errors import ConfigError
from zhongtai.warehouse.ingest import load_mapping
from zhongtai.warehouse.ingest.adapters import mapping_from_dict
from zhongtai.workspace import Workspace

LINES: dict[str, Any] = {
    "name": "lines",
    "source": "shop",
    "tables": {
        "orders": {
            "group_rows": True,
            "columns": {"order_id": {"from": "单号"}, "order_time": {"from": "时间", "aggregate": "min"}},
        },
        "order_items": {
            "zero_price_is_gift": True,
            "columns": {
                "order_id": {"from": "单号"},
                "line_no": {"sequence": True},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
                "discount_amount": {"add": ["店铺优惠", "平台优惠"]},
                "amount": {"multiply": ["数量", "单价"], "subtract": ["店铺优惠", "平台优惠"]},
                "product_name": {"from": "商品"},
            },
        },
    },
}


def test_sums_and_differences_of_columns_count_empty_cells_as_zero(workspace: Workspace, tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "lines.csv",
        "单号,时间,数量,单价,店铺优惠,平台优惠,商品\n"
        "A1,2025-03-08 10:00,2,15.50,3,,面霜\n"
        "A1,2025-03-08 10:00,1,20,,,精华\n"
        "A2,2025-03-09 10:00,3,0.333,0.5,0.5,小样\n",
    )
    result = load(workspace, csv, mapping_from_dict(LINES))
    assert problems(result) == []
    got = rows(workspace, "SELECT order_id, line_no, discount_amount, amount FROM order_items ORDER BY 1, 2")
    assert got == [
        ("A1", 1, Decimal("3.00"), Decimal("28.00")),  # 2 × 15.50 − 3
        ("A1", 2, None, Decimal("20.00")),  # no discount at all: empty, not 0
        ("A2", 1, Decimal("1.00"), Decimal("0.00")),  # 3 × 0.333 = 0.999 → 1.00, − 1
    ]


def test_an_absurd_product_is_a_rejected_cell_not_an_engine_overflow(workspace: Workspace, tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "big.csv",
        "单号,时间,数量,单价,店铺优惠,平台优惠,商品\n"
        "A1,2025-03-08 10:00,1000000000000000,100,,,x\n"
        "A2,2025-03-08 10:00,1,2,,,y\n",
    )
    result = load(workspace, csv, mapping_from_dict(LINES))
    assert (2, "order_items", "amount", "parse.decimal") in problems(result)
    assert rows(workspace, "SELECT order_id FROM order_items") == [("A2",)]


def test_a_line_sold_at_zero_is_a_gift_when_the_mapping_says_so(workspace: Workspace, tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "gift.csv",
        "单号,时间,数量,单价,店铺优惠,平台优惠,商品\n"
        "A1,2025-03-08 10:00,1,99,,,面霜\n"
        "A1,2025-03-08 10:00,1,0,,,赠品小样\n",
    )
    result = load(workspace, csv, mapping_from_dict(LINES))
    assert problems(result) == []
    assert rows(workspace, "SELECT line_no, is_gift FROM order_items ORDER BY 1") == [(1, False), (2, True)]
    strict = {**LINES, "tables": {**LINES["tables"], "order_items": {**LINES["tables"]["order_items"]}}}
    strict["tables"]["order_items"]["zero_price_is_gift"] = False
    again = load(workspace, csv, mapping_from_dict({**strict, "name": "strict"}), source="other")
    assert (3, "order_items", "unit_price", "range.zero_price") in problems(again)


def test_yes_no_words_of_the_export_map_to_flags(workspace: Workspace, tmp_path: Path) -> None:
    spec = {
        "name": "flags",
        "source": "shop",
        "tables": {
            "orders": {"columns": {"order_id": {"from": "单号"}, "order_time": {"from": "时间"}}},
            "order_items": {
                "columns": {
                    "order_id": {"from": "单号"},
                    "line_no": {"sequence": True},
                    "quantity": {"from": "数量"},
                    "unit_price": {"from": "单价"},
                    "is_gift": {"from": "类型", "values": {"赠品": True, "正品": False}},
                }
            },
        },
    }
    csv = write(
        tmp_path,
        "f.csv",
        "单号,时间,数量,单价,类型\nA1,2025-03-08,1,0,赠品\nA2,2025-03-08,1,5,正品\nA3,2025-03-08,1,5,否\n",
    )
    result = load(workspace, csv, mapping_from_dict(spec))
    assert problems(result) == []
    assert rows(workspace, "SELECT order_id, is_gift FROM order_items ORDER BY 1") == [
        ("A1", True),
        ("A2", False),
        ("A3", False),
    ]


def test_codes_are_read_in_any_letter_case_and_stored_canonically(workspace: Workspace, tmp_path: Path) -> None:
    spec = {
        "name": "cur",
        "source": "shop",
        "tables": {
            "orders": {
                "columns": {"order_id": {"from": "id"}, "order_time": {"from": "t"}, "currency": {"from": "cur"}}
            }
        },
    }
    csv = write(tmp_path, "c.csv", "id,t,cur\n1,2025-03-08,usd\n2,2025-03-08,CNY\n3,2025-03-08,Bitcoin\n")
    result = load(workspace, csv, mapping_from_dict(spec))
    assert rows(workspace, "SELECT order_id, currency FROM orders ORDER BY 1") == [("1", "USD"), ("2", "CNY")]
    assert problems(result) == [(4, "orders", "currency", "parse.code")]


def test_values_that_map_to_unknown_codes_are_a_mapping_error(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "name: bad\ntables:\n  orders:\n    columns:\n      order_id: {from: id}\n      order_time: {from: t}\n"
        "      status: {from: s, values: {已付款: payed}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_mapping(path)
    assert "payed" in caught.value.params["problems"]
    assert "m.yaml:7" in caught.value.params["problems"]


def test_placeholder_words_in_text_columns_are_empty_and_excel_markers_are_dropped(
    workspace: Workspace, tmp_path: Path
) -> None:
    spec = {
        "name": "text",
        "source": "shop",
        "tables": {
            "orders": {
                "columns": {
                    "order_id": {"from": "id"},
                    "order_time": {"from": "t"},
                    "receiver_phone": {"from": "phone"},
                    "buyer_note": {"from": "note"},
                }
            }
        },
    }
    csv = write(tmp_path, "t.csv", "id,t,phone,note\n1,2025-03-08,'10000000001,-\n2,2025-03-08,-,'别放门口'\n")
    load(workspace, csv, mapping_from_dict(spec))
    assert rows(workspace, "SELECT order_id, receiver_phone, buyer_note FROM orders ORDER BY 1") == [
        ("1", "10000000001", None),
        ("2", None, "'别放门口'"),
    ]


def test_generated_ids_keep_rows_that_differ_only_in_unmapped_columns(workspace: Workspace, tmp_path: Path) -> None:
    spec = {
        "name": "events",
        "source": "log",
        "tables": {
            "events": {
                "columns": {
                    "event_id": {"generate": "row_hash"},
                    "customer_id": {"from": "user"},
                    "event_type": {"from": "kind", "values": {"pv": "page_view"}},
                    "event_time": {"from": "ts", "format": "unix"},
                }
            }
        },
    }
    text = "user,kind,ts,extra\n1,pv,1511544070,a\n1,pv,1511544070,b\n2,pv,1511544070,a\n"
    csv = write(tmp_path, "e.csv", text)
    first = load(workspace, csv, mapping_from_dict(spec))
    ids = [r[0] for r in rows(workspace, "SELECT event_id FROM events ORDER BY event_id")]
    assert len(ids) == len(set(ids)) == 3
    assert sum(1 for i in ids if i.endswith("-2")) == 1
    again = load(workspace, write(tmp_path, "e2.csv", text), mapping_from_dict(spec), force=True)
    assert again.record is not None
    assert again.record.table_counts["events"].unchanged == 3
    assert first.record is not None


def test_a_summed_group_is_held_back_whole_when_one_of_its_rows_is_rejected(
    workspace: Workspace, tmp_path: Path
) -> None:
    spec = {
        "name": "sums",
        "source": "shop",
        "tables": {
            "orders": {
                "group_rows": True,
                "columns": {
                    "order_id": {"from": "id"},
                    "order_time": {"from": "t", "aggregate": "min"},
                    "item_count": {"from": "qty", "aggregate": "sum"},
                },
            }
        },
    }
    csv = write(tmp_path, "s.csv", "id,t,qty\nA1,2025-03-08,3\nA1,2025-03-08,-1\nA2,2025-03-08,2\n")
    result = load(workspace, csv, mapping_from_dict(spec))
    assert rows(workspace, "SELECT order_id, item_count FROM orders") == [("A2", 2)]
    assert (2, "orders", "order_id", "group.incomplete") in [
        (r, t, c.split(",")[-1] if c else c, rule) for r, t, c, rule in problems(result)
    ]


def test_amounts_beyond_the_kept_range_and_excess_decimals_are_rejected_not_rounded(
    workspace: Workspace, tmp_path: Path
) -> None:
    spec = {
        "name": "range",
        "source": "shop",
        "tables": {
            "orders": {
                "columns": {"order_id": {"from": "id"}, "order_time": {"from": "t"}, "total_amount": {"from": "amt"}}
            }
        },
    }
    csv = write(
        tmp_path,
        "r.csv",
        "id,t,amt\n1,2025-03-08,200000000000000\n2,2025-03-08,1.2345678\n3,2025-03-08,1.50000\n"
        "4,2025-03-08,1.5e-7\n5,2025-03-08,99999999999.99\n",
    )
    result = load(workspace, csv, mapping_from_dict(spec))
    assert problems(result) == [
        (2, "orders", "total_amount", "parse.decimal"),
        (3, "orders", "total_amount", "parse.too_many_decimals"),
        (5, "orders", "total_amount", "parse.too_many_decimals"),
    ]
    assert rows(workspace, "SELECT order_id, total_amount FROM orders ORDER BY 1") == [
        ("3", Decimal("1.50")),
        ("5", Decimal("99999999999.99")),
    ]
