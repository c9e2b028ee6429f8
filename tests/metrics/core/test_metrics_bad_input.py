"""Bad dictionaries and bad queries get clear errors (file:line, did-you-mean), and no SQL injection."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlglot

from zhongtai.errors import ConfigError, InputError, NotFoundError
from zhongtai.metrics import (
    DIALECTS,
    Filter,
    Grain,
    MetricQuery,
    compile_query,
    load_dictionary,
    query_metrics,
    render_sql,
)
from zhongtai.workspace import Workspace


def _workspace_dict(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "ws"
    (folder / "metrics").mkdir(parents=True)
    (folder / "metrics" / "mine.yaml").write_text(text, encoding="utf-8")
    return folder


def test_unknown_metric_and_dimension_suggest_the_closest_name() -> None:
    d = load_dictionary(None)
    with pytest.raises(NotFoundError) as err:
        d.metric("gvm")
    assert err.value.code == "metrics.unknown_metric"
    assert err.value.params["suggestion"] == "gmv"
    assert "Did you mean “gmv”" in err.value.message("en")
    assert "gmv" in err.value.message("zh_CN")
    with pytest.raises(NotFoundError) as err:
        compile_query(d, MetricQuery(("gmv",), ("chanel",)))
    assert err.value.params["suggestion"] == "channel"


def test_a_dimension_the_metric_does_not_have_is_refused_with_the_ones_it_has() -> None:
    with pytest.raises(InputError) as err:
        compile_query(load_dictionary(None), MetricQuery(("nps",), ("category_l1",)))
    assert err.value.code == "metrics.dimension_unavailable"
    assert "touchpoint" in err.value.params["available"]


def test_yaml_syntax_errors_name_file_and_line(tmp_path: Path) -> None:
    folder = _workspace_dict(tmp_path, "metrics:\n  x:\n    kind: simple\n    label: {zh: a, en: b\n")
    with pytest.raises(ConfigError) as err:
        load_dictionary(folder)
    assert err.value.code == "metrics.invalid_yaml"
    assert err.value.params["file"].endswith("mine.yaml")
    assert err.value.params["line"] == 5


def test_unknown_keys_and_missing_fields_are_reported_with_lines(tmp_path: Path) -> None:
    text = "metrics:\n  gmv_tmall:\n    kind: simple\n    measure: gmv_amount\n    colour: red\n"
    with pytest.raises(ConfigError) as err:
        load_dictionary(_workspace_dict(tmp_path, text))
    problems = err.value.params["problems"]
    assert "mine.yaml:5: metrics.gmv_tmall.colour" in problems
    assert "mine.yaml:3: metrics.gmv_tmall.label: Field required" in problems


def _metric(name: str, body: str) -> str:
    return (
        f"  {name}:\n{body}"
        "    label: {zh: 测试, en: test}\n    description: {zh: 测试, en: test}\n"
        "    owner: qa\n    format: number\n"
    )


def test_circular_derived_metrics_are_refused_with_the_cycle(tmp_path: Path) -> None:
    text = (
        "metrics:\n"
        + _metric("loop_a", "    kind: derived\n    expr: loop_b + 1\n")
        + _metric("loop_b", "    kind: derived\n    expr: loop_a * 2\n")
    )
    with pytest.raises(ConfigError) as err:
        load_dictionary(_workspace_dict(tmp_path, text))
    assert err.value.code == "metrics.invalid_dictionary"
    assert "mine.yaml:3: metric loop_a: circular definition loop_a -> loop_b -> loop_a" in err.value.params["problems"]


def test_unknown_references_and_statements_in_expressions_are_refused(tmp_path: Path) -> None:
    text = (
        "metrics:\n"
        + _metric("bad_ref", "    kind: ratio\n    numerator: gmv\n    denominator: ordres\n")
        + _metric("bad_expr", "    kind: derived\n    expr: gmv; DROP TABLE orders\n")
    )
    with pytest.raises(ConfigError) as err:
        load_dictionary(_workspace_dict(tmp_path, text))
    problems = err.value.params["problems"]
    assert "metric bad_ref: unknown metric 'ordres' (did you mean 'orders'?)" in problems
    assert "metric bad_expr.expr: a ';' is not allowed" in problems


def test_a_dimension_on_a_pii_column_is_refused(tmp_path: Path) -> None:
    text = (
        "dimensions:\n  phone:\n    label: {zh: 电话, en: Phone}\n"
        "semantic_models:\n  leak:\n    table: orders\n    label: {zh: 订单, en: Orders}\n"
        "    time: {column: order_time}\n    dimensions: {phone: receiver_phone}\n"
    )
    with pytest.raises(ConfigError) as err:
        load_dictionary(_workspace_dict(tmp_path, text))
    assert "dimension 'phone' reads PII column orders.receiver_phone" in err.value.params["problems"]


def test_workspace_files_add_and_override_metrics(tmp_path: Path, tiny_ws: Workspace) -> None:
    text = "metrics:\n" + _metric("gmv", "    kind: simple\n    measure: placed_amount\n    version: 2\n")
    folder = _workspace_dict(tmp_path, text)
    d = load_dictionary(folder)
    assert d.metric("gmv").version == 2
    assert "gmv" in d.overridden
    assert d.metric("gmv").measures == ("placed_amount",)
    # the override is what queries use: placed value is 750 in the tiny shop
    result = query_metrics(tiny_ws, MetricQuery(("gmv",), start=date(2025, 1, 1), end=date(2025, 3, 1)), dictionary=d)
    assert result.table.column("gmv")[0].as_py() == 750.0  # format number: a DOUBLE


def test_type_mismatched_filters_are_refused() -> None:
    d = load_dictionary(None)
    with pytest.raises(InputError) as err:
        compile_query(d, MetricQuery(("gmv",), filters=(Filter("channel", "eq", (5,)),)))
    assert err.value.code == "metrics.filter_type"
    with pytest.raises(InputError) as err:
        compile_query(d, MetricQuery(("gmv",), filters=(Filter("channel", "gt", ("a",)),)))
    assert err.value.code == "metrics.filter_op_type"
    with pytest.raises(InputError):
        Filter("channel", "like", ("%",))
    with pytest.raises(InputError):
        MetricQuery(("gmv",), grain="fortnight")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        MetricQuery(("gmv",), start=date(2025, 2, 1), end=date(2025, 1, 1))


HOSTILE = [
    "tmall' OR '1'='1",
    "tmall'); DROP TABLE orders; --",
    'x"; DELETE FROM orders; --',
    "\\'; SELECT * FROM customers --",
    "天猫' UNION SELECT phone FROM customers --",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_stay_literals(tiny_ws: Workspace, value: str) -> None:
    query = MetricQuery(("gmv", "orders"), filters=(Filter("channel", "in", (value, "jd")),))
    result = query_metrics(tiny_ws, query, use_rollups=False)
    # only the jd orders match: the hostile text is one (non-matching) string literal
    assert result.table.to_pylist() == [{"gmv": Decimal("230.00"), "orders": 2}]  # o8 30 + o3 200
    for dialect in DIALECTS:
        tree = sqlglot.parse_one(render_sql(load_dictionary(None), query, dialect=dialect), read=dialect)
        literals = [lit.this for lit in tree.find_all(sqlglot.exp.Literal) if lit.is_string]
        assert value in literals
    assert tiny_ws.warehouse.row_count("orders") == 8


@pytest.mark.parametrize("name", ["channel; DROP TABLE orders", 'channel" --', "ch.platform", "period"])
def test_dimension_names_must_resolve_in_the_dictionary(name: str) -> None:
    with pytest.raises(NotFoundError):
        compile_query(load_dictionary(None), MetricQuery(("gmv",), (name,), grain=Grain.MONTH))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_queries_render_for_every_dialect(dialect: str) -> None:
    d = load_dictionary(None)
    query = MetricQuery(
        ("gmv", "aov", "conversion_rate", "gmv_mtd", "retention_90d", "repurchase_rate"),
        ("channel",),
        Grain.MONTH,
        start=date(2025, 1, 1),
        end=date(2025, 7, 1),
    )
    sql = render_sql(d, query, dialect=dialect)
    assert sqlglot.parse_one(sql, read=dialect) is not None
    assert "Asia/Shanghai" in sql


def test_clickhouse_gets_its_own_time_zone_functions() -> None:
    """ClickHouse rejects ``AT TIME ZONE``; local buckets use ``toTimeZone(toDateTime(ts, 'UTC'), tz)``."""
    d = load_dictionary(None)
    every = tuple(sorted(d.metrics))
    sql = render_sql(
        d, MetricQuery(every, (), Grain.MONTH, start=date(2025, 1, 1), end=date(2025, 3, 1)), dialect="clickhouse"
    )
    assert "AT TIME ZONE" not in sql.upper()
    assert "toTimeZone(toDateTime(" in sql
    assert "AT TIME ZONE" in render_sql(d, MetricQuery(("gmv",), (), Grain.MONTH), dialect="postgres").upper()
