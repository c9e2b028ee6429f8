"""The written-first test questions (tests/fixtures/metrics/ask_questions.yaml) parse as expected.

Each question was written with its expected MetricQuery (or clarifying / refusing answer) before
the parser existed; ``today`` is fixed in the file, never the clock. Values typed by name (上海,
护肤) come from the cached demo shop, as ``ask`` reads them from a workspace.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from zhongtai.metrics import Comparison, Filter, MetricQuery, load_dictionary
from zhongtai.metrics.ask import Answer, ask
from zhongtai.workspace import open_workspace

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "metrics"
SPEC = yaml.safe_load((FIXTURES / "ask_questions.yaml").read_text(encoding="utf-8"))
HOLDOUT = yaml.safe_load((FIXTURES / "ask_questions_holdout.yaml").read_text(encoding="utf-8"))
TODAY: date = SPEC["today"]
CASES: list[dict[str, Any]] = SPEC["questions"]
HOLDOUT_CASES: list[dict[str, Any]] = HOLDOUT["questions"]
assert HOLDOUT["today"] == TODAY


def to_query(spec: dict[str, Any]) -> MetricQuery:
    return MetricQuery(
        metrics=tuple(spec["metrics"]),
        dimensions=tuple(spec.get("dimensions", ())),
        grain=spec.get("grain"),
        start=spec.get("start"),
        end=spec.get("end"),
        filters=tuple(Filter(d, op, tuple(v)) for d, op, v in spec.get("filters", ())),
        compare=Comparison(spec["compare"]) if spec.get("compare") else None,
        order_by=tuple(spec.get("order_by", ())),
        limit=spec.get("limit"),
    )


def verdict(case: dict[str, Any], answer: Answer) -> str:
    """'' when the answer is exactly the expected one, else what differs."""
    if "expect" in case:
        # a parse the dictionary cannot split (GMV by product) is still a correct parse: the answer
        # keeps the query and asks back with metrics that can (checked in test_ask.py)
        if answer.status != "understood" and answer.reason != "dimension":
            return f"status {answer.status}/{answer.reason}: {answer.message.get('en')}"
        expected = to_query(case["expect"])
        return "" if answer.query == expected else f"got {answer.query}\nexpected {expected}"
    if "clarify" in case:
        if (answer.status, answer.reason) != ("clarify", case["clarify"]):
            return f"status {answer.status}/{answer.reason}, expected clarify/{case['clarify']}: {answer.query}"
        got = [o.query for o in answer.options]
        expected_options = [to_query(o) for o in case["options"]]
        return "" if got == expected_options else f"options {got}\nexpected {expected_options}"
    if (answer.status, answer.reason) != ("unanswerable", case["unanswerable"]):
        return f"status {answer.status}/{answer.reason}, expected unanswerable/{case['unanswerable']}"
    return ""


@pytest.fixture(scope="module")
def known_values(demo_shop: Path) -> dict[str, list[str]]:
    """City and category names of the demo shop (what ``dimension_values`` reads from a workspace)."""
    out: dict[str, list[str]] = {}
    with open_workspace(demo_shop, read_only=True) as ws:
        for dim, sql in {
            "city": "SELECT DISTINCT city FROM orders WHERE city IS NOT NULL",
            "category_l1": "SELECT DISTINCT category_l1 FROM products",
            "category_l2": "SELECT DISTINCT category_l2 FROM products",
        }.items():
            out[dim] = sorted(row[0] for row in ws.warehouse.con.execute(sql).fetchall())
    return out


def test_the_question_set_is_large_and_bilingual() -> None:
    zh = [c for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c["q"])]
    en = [c for c in CASES if c not in zh]
    not_answerable = [c for c in CASES if "expect" not in c]
    assert len(CASES) >= 60
    assert len(zh) >= 35
    assert len(en) >= 25
    assert len(not_answerable) >= 8


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c['q']}" for i, c in enumerate(CASES)])
def test_question_parses_as_written(case: dict[str, Any], known_values: dict[str, list[str]]) -> None:
    answer = ask(load_dictionary(None), case["q"], today=TODAY, values=known_values)
    assert verdict(case, answer) == ""


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["known_miss"])) if "known_miss" in c else c
        for c in HOLDOUT_CASES
    ],
    ids=[f"holdout-{i:02d}-{c['q']}" for i, c in enumerate(HOLDOUT_CASES)],
)
def test_held_out_question_parses_as_written(case: dict[str, Any], known_values: dict[str, list[str]]) -> None:
    answer = ask(load_dictionary(None), case["q"], today=TODAY, values=known_values)
    assert verdict(case, answer) == ""


def test_no_clarifying_or_refusing_answer_carries_sql_or_a_runnable_query(known_values: dict[str, list[str]]) -> None:
    """Ambiguous and unanswerable questions never produce a number: no SQL, no query to run."""
    for case in CASES + HOLDOUT_CASES:
        if "expect" in case:
            continue
        answer = ask(load_dictionary(None), case["q"], today=TODAY, values=known_values)
        assert answer.status in ("clarify", "unanswerable"), case["q"]
        assert answer.sql is None, case["q"]
        assert answer.query is None, case["q"]
