"""``ask`` end to end: interpretation text, SQL from the compiler, confidence, clarifications,
bad input, and the numbers on the cached demo shop (equal to ``query_metrics`` for the expected
query and to a hand-written DuckDB query)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zhongtai.cli import app
from zhongtai.errors import InputError
from zhongtai.metrics import Filter, Grain, MetricQuery, load_dictionary, query_metrics, render_sql
from zhongtai.metrics.ask import ask, dimension_values
from zhongtai.metrics.ask.text import normalize
from zhongtai.workspace import Workspace, open_workspace

TODAY = date(2025, 12, 17)  # inside the demo period (2024-01-01 .. 2025-12-31), a Wednesday


@pytest.fixture(scope="module")
def shop(demo_shop: Path) -> Iterator[Workspace]:
    """The cached demo shop, read-only (one connection: DuckDB refuses a second with other settings)."""
    ws = open_workspace(demo_shop, read_only=True)
    try:
        yield ws
    finally:
        ws.close()


def test_interpretation_is_given_in_chinese_and_english_with_the_dates() -> None:
    answer = ask(load_dictionary(None), "上个月各渠道的GMV和客单价", today=TODAY)
    assert answer.status == "understood"
    assert answer.confidence == 1.0
    assert answer.interpretation["zh_CN"] == (
        "我理解为:指标 成交总额(GMV)、客单价;时间 上个月(2025-11-01 至 2025-11-30);按 渠道 分组"
    )
    assert answer.interpretation["en"] == (
        "I understood: metrics GMV, AOV (per buyer); period last month (2025-11-01 to 2025-11-30); grouped by Channel"
    )


def test_the_sql_is_the_compilers_sql_for_the_understood_query() -> None:
    dictionary = load_dictionary(None)
    for dialect in ("duckdb", "postgres", "spark"):
        answer = ask(dictionary, "天猫和京东对比上个月的GMV", today=TODAY, dialect=dialect)
        assert answer.query is not None
        assert answer.query.filters == (Filter("channel", "in", ("tmall", "jd")),)
        assert answer.sql == render_sql(dictionary, answer.query, dialect=dialect, timezone="Asia/Shanghai")
        assert answer.dialect == dialect


def test_a_typo_is_read_by_similarity_with_lower_confidence_and_a_note() -> None:
    answer = ask(load_dictionary(None), "conversoin rate by channel last month", today=TODAY)
    assert answer.query == MetricQuery(
        ("conversion_rate",), ("channel",), start=date(2025, 11, 1), end=date(2025, 12, 1)
    )
    # difflib ratio of "conversoin rate" to "conversion rate" is 28/30; confidence = 0.5 + 0.5 * 0.93
    assert answer.confidence == pytest.approx(0.97, abs=0.005)
    assert "“conversoin rate”" in answer.notes[0]["zh_CN"]
    assert "conversion rate" in answer.notes[0]["en"]


def test_unknown_words_are_reported_and_lower_confidence() -> None:
    answer = ask(load_dictionary(None), "上个月GMV给老板汇报用", today=TODAY)
    assert answer.query == MetricQuery(("gmv",), start=date(2025, 11, 1), end=date(2025, 12, 1))
    assert answer.unknown_words
    assert answer.confidence < 1.0


def test_ambiguous_last_week_offers_both_readings_and_no_number() -> None:
    answer = ask(load_dictionary(None), "上周的GMV", today=TODAY)
    assert answer.status == "clarify"
    assert answer.query is None
    assert answer.sql is None
    assert [o.label["zh_CN"] for o in answer.options] == [
        "指标 成交总额(GMV);时间 上个自然周(周一至周日)(2025-12-08 至 2025-12-14)",
        "指标 成交总额(GMV);时间 近7天(2025-12-10 至 2025-12-16)",
    ]


def test_year_over_year_without_a_period_assumes_year_to_date_and_says_so() -> None:
    answer = ask(load_dictionary(None), "GMV同比", today=TODAY)
    assert answer.query is not None
    assert (answer.query.start, answer.query.end) == (
        date(2025, 1, 1),
        TODAY.replace(day=18),
    )
    assert answer.confidence == 0.8
    assert "今年以来" in answer.notes[0]["zh_CN"]


def test_a_split_the_dictionary_cannot_make_asks_back_with_metrics_that_can() -> None:
    dictionary = load_dictionary(None)
    answer = ask(dictionary, "上个月销售额最高的10个商品", today=TODAY)
    assert answer.status == "clarify"
    assert answer.reason == "dimension"
    assert answer.sql is None
    assert answer.options, "offers alternatives"
    for option in answer.options:
        assert option.query is not None
        assert "product" in dictionary.dimensions_for(option.query.metrics[0])
        assert option.query.order_by == ("-" + option.query.metrics[0],)
        assert option.query.limit == 10


def test_a_metric_the_dictionary_lacks_is_refused_with_suggestions() -> None:
    answer = ask(load_dictionary(None), "上个月的员工满意度", today=TODAY)
    assert (answer.status, answer.reason) == ("unanswerable", "unknown_metric")
    assert "员工满意度" in answer.message["zh_CN"]
    assert "员工满意度" in answer.message["en"]


def test_sql_in_the_question_never_reaches_the_sql() -> None:
    dictionary = load_dictionary(None)
    answer = ask(dictionary, "上个月GMV'; DROP TABLE orders; --", today=TODAY)
    assert answer.sql is not None
    assert "drop" not in answer.sql.lower()
    assert answer.query is not None
    assert answer.sql == render_sql(dictionary, answer.query, dialect="duckdb", timezone="Asia/Shanghai")
    assert "drop table" in answer.unknown_words


@pytest.mark.parametrize("text", ["", "   ", "，。？", "x" * 501])
def test_empty_or_overlong_questions_are_input_errors(text: str) -> None:
    with pytest.raises(InputError) as caught:
        ask(load_dictionary(None), text, today=TODAY)
    assert caught.value.code in ("ask.empty_question", "ask.question_too_long")
    assert caught.value.message("zh_CN") != caught.value.code


def test_dimension_values_are_read_from_the_workspace(shop: Workspace) -> None:
    values = dimension_values(shop, load_dictionary(shop))
    cities = {
        r[0] for r in shop.warehouse.con.execute("SELECT DISTINCT city FROM orders WHERE city IS NOT NULL").fetchall()
    }
    assert set(values["city"]) == cities
    assert "上海" in cities
    assert set(values["category_l1"]) == {"护肤", "彩妆", "服饰", "个护"}


def test_numbers_equal_query_metrics_for_the_expected_query(shop: Workspace) -> None:
    cases = {
        "上个月各渠道的GMV和客单价": MetricQuery(
            ("gmv", "aov"), ("channel",), start=date(2025, 11, 1), end=date(2025, 12, 1)
        ),
        "双十一期间天猫的订单数": MetricQuery(
            ("orders",),
            filters=(Filter("channel", "eq", ("tmall",)),),
            start=date(2025, 10, 24),
            end=date(2025, 11, 13),
        ),
        "conversion rate by channel last 8 weeks": MetricQuery(
            ("conversion_rate",), ("channel",), start=date(2025, 10, 22), end=date(2025, 12, 17)
        ),
        "年初至今按月的GMV": MetricQuery(("gmv",), grain=Grain.MONTH, start=date(2025, 1, 1), end=date(2025, 12, 18)),
        "上海的客单价 本月": MetricQuery(
            ("aov",), filters=(Filter("city", "eq", ("上海",)),), start=date(2025, 12, 1), end=date(2025, 12, 18)
        ),
    }
    for text, expected in cases.items():
        answer = ask(shop, text, today=TODAY)
        assert answer.query == expected, text
        got = query_metrics(shop, answer.query).table.to_pylist()
        want = query_metrics(shop, expected, use_rollups=False).table.to_pylist()
        assert got, text
        assert got == want, text


def test_gmv_by_channel_last_month_equals_hand_written_sql(shop: Workspace) -> None:
    """GMV = paid amount of paid orders by local order date (Asia/Shanghai is UTC+8, no DST);
    the warehouse holds naive UTC timestamps, so local [2025-11-01, 2025-12-01) is UTC
    [2025-10-31 16:00, 2025-11-30 16:00)."""
    answer = ask(shop, "上个月各渠道的GMV", today=TODAY)
    assert answer.query is not None
    got = {r["channel"]: r["gmv"] for r in query_metrics(shop, answer.query).table.to_pylist()}
    rows = shop.warehouse.con.execute(
        """
        SELECT ch.platform, SUM(o.paid_amount)
        FROM orders o JOIN channels ch ON ch.channel_id = o.channel_id
        WHERE o.paid_at IS NOT NULL AND o.order_time >= ? AND o.order_time < ?
        GROUP BY 1
        """,
        ["2025-10-31 16:00:00", "2025-11-30 16:00:00"],
    ).fetchall()
    want = {platform: Decimal(total) for platform, total in rows}
    assert got == want
    assert len(want) >= 4


def test_cli_shows_interpretation_sql_and_the_result(demo_shop: Path, tmp_path: Path) -> None:
    ws = tmp_path / "shop"
    shutil.copytree(demo_shop, ws)  # the CLI records who asked in app state; keep the cached shop untouched
    runner = CliRunner()
    result = runner.invoke(
        app, ["ask", "上个月各渠道的GMV和客单价", "--today", "2025-12-17", "-w", str(ws), "--json", "--sql"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["answer"]["status"] == "understood"
    assert doc["answer"]["query"]["metrics"] == ["gmv", "aov"]
    with open_workspace(ws, read_only=True) as opened:
        expected = query_metrics(opened, MetricQuery(("gmv", "aov"), ("channel",), start=date(2025, 11, 1),
                                                     end=date(2025, 12, 1))).to_dict()  # fmt: skip
    assert doc["result"]["rows"] == expected["rows"]
    human = runner.invoke(app, ["ask", "上周的GMV", "--today", "2025-12-17", "-w", str(ws), "--lang", "zh_CN"])
    assert human.exit_code == 0
    assert "有两种理解" in human.output
    assert "2025-12-08" in human.output
    table = runner.invoke(
        app, ["ask", "GMV by channel last month", "--today", "2025-12-17", "-w", str(ws), "--sql", "--lang", "en"]
    )
    assert table.exit_code == 0
    assert "Tmall" in table.output  # value labels, not codes, in the human table
    assert "SELECT" in table.output


def test_cli_refuses_a_bad_today_with_a_message(demo_shop: Path, tmp_path: Path) -> None:
    ws = tmp_path / "shop"
    shutil.copytree(demo_shop, ws)
    result = CliRunner().invoke(app, ["ask", "上个月GMV", "--today", "2025-13-01", "-w", str(ws), "--lang", "en"])
    assert result.exit_code == 3
    assert "YYYY-MM-DD" in result.output


def test_excluded_values_become_not_equal_filters_and_add_up(shop: Workspace) -> None:
    """GMV without Tmall + Tmall's GMV = all GMV (same month, same definition)."""
    dictionary = load_dictionary(shop)
    answer = ask(dictionary, "GMV excluding Tmall last month", today=TODAY)
    assert answer.query is not None
    assert answer.query.filters == (Filter("channel", "ne", ("tmall",)),)
    assert "不含 渠道 = 天猫" in answer.interpretation["zh_CN"]
    both_excluded = ask(dictionary, "除了天猫和京东以外各渠道上个月的GMV", today=TODAY).query
    assert both_excluded is not None
    assert both_excluded.filters == (Filter("channel", "not_in", ("tmall", "jd")),)
    assert both_excluded.dimensions == ("channel",)
    month = {"start": date(2025, 11, 1), "end": date(2025, 12, 1)}
    total = query_metrics(shop, MetricQuery(("gmv",), **month)).table.column("gmv")[0].as_py()
    tmall = (
        query_metrics(shop, MetricQuery(("gmv",), filters=(Filter("channel", "eq", ("tmall",)),), **month))
        .table.column("gmv")[0]
        .as_py()
    )
    without = query_metrics(shop, answer.query).table.column("gmv")[0].as_py()
    assert without + tmall == total
    assert tmall > 0


WORDS = st.sampled_from(
    ["上个月", "各渠道", "GMV", "客单价", "天猫", "和", "京东", "对比", "环比", "同比", "近7天", "前5", "的", "按月",
     "上周", "除了", "last", "week", "by", "channel", "top", "vs", "2025年", "13月", "双十一", "'", ";", "--", "ＧＭＶ",
     "销售", "怎么样", "明天", "员工满意度", " ", "，", "Q5", "近零天", "2025-02-30到2025-03-01"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=1, max_size=8).map("".join))
def test_any_mix_of_words_gives_an_answer_never_a_crash(text: str) -> None:
    """Whatever is typed, ``ask`` answers, asks back or refuses; an understood answer always has
    a valid query and SQL, the others never do; only punctuation and spaces are an empty question."""
    if not normalize(text):
        with pytest.raises(InputError):
            ask(load_dictionary(None), text, today=TODAY)
        return
    answer = ask(load_dictionary(None), text, today=TODAY)
    assert answer.status in ("understood", "clarify", "unanswerable")
    if answer.status == "understood":
        assert answer.query is not None
        assert answer.sql
        assert 0 < answer.confidence <= 1
    else:
        assert answer.sql is None


def test_an_unknown_dialect_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        ask(load_dictionary(None), "上个月GMV", today=TODAY, dialect="oracle")
    assert caught.value.code == "metrics.unknown_dialect"
