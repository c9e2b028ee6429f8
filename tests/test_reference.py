"""The generated reference documents must match the code that generates them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from zhongtai.reference import render_data_model, render_errors, render_json_schema
from zhongtai.warehouse.model import TABLES

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize(
    ("path", "render"),
    [
        ("data-model.md", lambda: render_data_model() + "\n"),
        ("errors.md", lambda: render_errors() + "\n"),
        ("schema/warehouse.schema.json", lambda: json.dumps(render_json_schema(), ensure_ascii=False, indent=2) + "\n"),
    ],
)
def test_committed_reference_is_not_stale(path: str, render: object) -> None:
    committed = (DOCS / path).read_text(encoding="utf-8")
    assert committed == render(), f"docs/{path} is stale: run `make docs` and commit the result"  # type: ignore[operator]


def test_data_model_documents_every_column_with_both_languages() -> None:
    text = render_data_model()
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text
            assert column.en, f"{table.name}.{column.name} needs an English description"
            assert column.zh, f"{table.name}.{column.name} needs a Chinese description"


def test_json_schema_is_valid_and_accepts_a_real_order_row() -> None:
    schema = render_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    order = {c.name: None for c in TABLES["orders"].columns}
    order.update(
        {
            "source": "tmall",
            "order_id": "2025030812345678901",
            "order_time": "2025-03-08T06:05:00Z",
            "total_amount": "1234.50",
            "status": "paid",
            "currency": "CNY",
        }
    )
    validator = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/orders"})
    assert list(validator.iter_errors(order)) == []
    bad = dict(order, status="teleported", total_amount="12.345")
    problems = {e.path[-1] for e in validator.iter_errors(bad)}
    assert problems == {"status", "total_amount"}
