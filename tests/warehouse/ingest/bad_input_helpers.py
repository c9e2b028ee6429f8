"""Shared pieces of the bad-input tests: small generic mappings and a few one-line helpers.

Every test builds its file in ``tmp_path`` from literal contents, so the case it states is
visible in the test itself; these helpers only load it and read back what happened.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from zhongtai.errors import IngestError, ZhongtaiError
from zhongtai.warehouse.ingest import LoadResult, Mapping, ingest_file, read_quarantine
from zhongtai.warehouse.ingest.adapters import mapping_from_dict
from zhongtai.workspace import Workspace

HEADER = "订单号,客户,下单时间,SKU,数量,单价\n"

ORDERS: dict[str, Any] = {
    "name": "generic_orders",
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
                "sku": {"from": "SKU"},
                "quantity": {"from": "数量"},
                "unit_price": {"from": "单价"},
                "is_gift": {"from": "赠品", "optional": True},
            }
        },
    },
}
"""Orders repeated on each of their lines (``group_rows``) plus the lines themselves."""

ONE_TABLE: dict[str, Any] = {
    "name": "generic_order_headers",
    "source": "shop",
    "timezone": "Asia/Shanghai",
    "tables": {
        "orders": {
            "columns": {
                "order_id": {"from": "订单号"},
                "customer_id": {"from": "客户"},
                "order_time": {"from": "下单时间"},
                "total_amount": {"from": "金额", "optional": True},
            }
        }
    },
}
"""One row per order, no lines: a bad cell affects its own row only."""


def mapping(base: dict[str, Any] = ORDERS, **changes: Any) -> Mapping:
    """``base`` with top-level keys replaced (``encoding=``, ``date_order=`` …)."""
    data = copy.deepcopy(base)
    data.update(changes)
    return mapping_from_dict(data)


def write(folder: Path, name: str, content: str | bytes, *, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def load(ws: Workspace, path: Path, the_mapping: Mapping | None = None, **options: Any) -> LoadResult:
    options.setdefault("max_reject_rate", 1.0)
    return ingest_file(ws, path, mapping=the_mapping or mapping(), **options)


def refusal(ws: Workspace, path: Path, the_mapping: Mapping | None = None, **options: Any) -> IngestError:
    """The :class:`IngestError` a load of ``path`` stops with (and proof nothing was written)."""
    before = table_counts(ws)
    with pytest.raises(IngestError) as caught:
        load(ws, path, the_mapping, **options)
    assert table_counts(ws) == before
    assert_bilingual(caught.value, path.name)
    return caught.value


def assert_bilingual(error: ZhongtaiError, file_name: str) -> None:
    """Both catalogues have the message, every placeholder is filled, and it names the file."""
    for lang in ("en", "zh_CN"):
        text = error.message(lang)
        assert text != error.code, text
        assert "{" not in text, text
        assert file_name in text, text


def quarantined(result: LoadResult) -> list[dict[str, Any]]:
    assert result.quarantine_path is not None, "nothing was quarantined"
    return read_quarantine(result.quarantine_path)


def problems(result: LoadResult) -> list[tuple[int, str | None, str | None, str]]:
    """``(row, table, column, rule)`` of every quarantine record, in file order."""
    if result.quarantine_path is None:
        return []
    return [(r["row"], r["table"], r["column"], r["rule"]) for r in quarantined(result)]


def rows(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    return list(ws.warehouse.con.execute(sql).fetchall())


def table_counts(ws: Workspace, tables: tuple[str, ...] = ("orders", "order_items", "refunds")) -> dict[str, int]:
    return {t: ws.warehouse.row_count(t) for t in tables}
