"""Driver analysis cores: hand-computed decompositions whose parts add up exactly to the change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongtai.errors import InputError
from zhongtai.metrics.explain import decompose_additive, decompose_ratio


def test_additive_contributions_are_each_segments_own_change_and_sum_to_the_total() -> None:
    # GMV by channel: tmall 100 -> 80, jd 50 -> 70, douyin absent -> 30, pos 20 -> absent
    frame = pd.DataFrame(
        {
            "channel": ["tmall", "jd", "douyin", "pos"],
            "value_1": [100.0, 50.0, None, 20.0],
            "value_2": [80.0, 70.0, 30.0, None],
        }
    )
    result = decompose_additive(frame, dimensions=["channel"])
    assert (result.base_total, result.new_total, result.change) == (170.0, 180.0, 10.0)
    by = result.segments.set_index("channel")["contribution"].to_dict()
    assert by == {"tmall": -20.0, "jd": 20.0, "douyin": 30.0, "pos": -20.0}
    assert list(result.segments["channel"]) == ["douyin", "tmall", "jd", "pos"]  # by |contribution|, stable
    assert result.segments.set_index("channel").loc["douyin", "share"] == pytest.approx(3.0)
    assert result.unexplained == 0.0


def test_a_distinct_count_reports_the_overlap_as_unexplained() -> None:
    # buyers: 10 + 8 per channel but 15 distinct (3 bought on both) -> 12 + 9, 18 distinct
    frame = pd.DataFrame({"channel": ["tmall", "jd"], "value_1": [10, 8], "value_2": [12, 9]})
    result = decompose_additive(frame, dimensions=["channel"], base_total=15, new_total=18)
    assert result.change == 3.0
    assert result.segments["contribution"].sum() == 3.0
    assert result.unexplained == 0.0
    result = decompose_additive(frame, dimensions=["channel"], base_total=15, new_total=20)
    assert result.unexplained == pytest.approx(2.0)


def test_shift_share_matches_a_hand_computed_example() -> None:
    # conversion = orders / visitors.
    # base: A 20/100 (w .5, r .20), B 10/100 (w .5, r .10); R1 = 30/200 = .15
    # new:  A 30/100 (w 1/3, r .30), B 20/200 (w 2/3, r .10); R2 = 50/300 = 1/6
    frame = pd.DataFrame(
        {
            "segment": ["A", "B"],
            "numerator_1": [20, 10],
            "numerator_2": [30, 20],
            "denominator_1": [100, 100],
            "denominator_2": [100, 200],
        }
    )
    result = decompose_ratio(frame, dimensions=["segment"])
    assert result.base_total == pytest.approx(0.15)
    assert result.new_total == pytest.approx(1 / 6)
    rows = result.segments.set_index("segment")
    # A: rate (.30-.20)*.5 = .05; mix (1/3-.5)*(.20-.15) = -1/120; interaction (-1/6)*(.10) = -1/60
    assert rows.loc["A", "rate_effect"] == pytest.approx(0.05)
    assert rows.loc["A", "mix_effect"] == pytest.approx(-1 / 120)
    assert rows.loc["A", "interaction"] == pytest.approx(-1 / 60)
    # B: rate 0; mix (2/3-.5)*(.10-.15) = -1/120; interaction 0
    assert rows.loc["B", "rate_effect"] == pytest.approx(0.0)
    assert rows.loc["B", "mix_effect"] == pytest.approx(-1 / 120)
    assert rows.loc["B", "interaction"] == pytest.approx(0.0)
    assert result.effects["rate"] == pytest.approx(0.05)
    assert result.effects["mix"] == pytest.approx(-1 / 60)
    assert result.segments["contribution"].sum() == pytest.approx(1 / 6 - 0.15, abs=1e-15)
    assert abs(result.unexplained) < 1e-15


def test_a_new_and_a_vanished_segment_contribute_pure_mix() -> None:
    frame = pd.DataFrame(
        {
            "channel": ["old", "new", "gone"],
            "numerator_1": [10, 0, 5],
            "numerator_2": [10, 8, 0],
            "denominator_1": [100, 0, 20],
            "denominator_2": [100, 40, 0],
        }
    )
    result = decompose_ratio(frame, dimensions=["channel"])
    rows = result.segments.set_index("channel")
    assert rows.loc["new", "rate_effect"] == 0.0
    assert rows.loc["new", "interaction"] == 0.0
    assert rows.loc["gone", "rate_effect"] == 0.0
    assert rows.loc["gone", "interaction"] == 0.0
    assert result.segments["contribution"].sum() == pytest.approx(18 / 140 - 15 / 120)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(1, 1000), st.integers(0, 500), st.integers(1, 1000)).map(
            lambda t: (min(t[0], t[1]), t[1], min(t[2], t[3]), t[3])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_rate_mix_and_interaction_always_sum_to_the_change(rows: list[tuple[int, int, int, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["numerator_1", "denominator_1", "numerator_2", "denominator_2"])
    frame.insert(0, "segment", [f"s{i}" for i in range(len(rows))])
    result = decompose_ratio(frame, dimensions=["segment"])
    parts = result.segments[["rate_effect", "mix_effect", "interaction"]].to_numpy().sum()
    assert parts == pytest.approx(result.change, abs=1e-12)
    assert sum(result.effects.values()) == pytest.approx(result.change, abs=1e-12)


def test_bad_frames_are_refused_with_the_reason() -> None:
    empty = pd.DataFrame(
        {"s": ["a"], "numerator_1": [0], "numerator_2": [1], "denominator_1": [0], "denominator_2": [2]}
    )
    with pytest.raises(InputError) as no_rate:
        decompose_ratio(empty, dimensions=["s"])
    assert no_rate.value.code == "explain.empty_period"
    with pytest.raises(InputError) as duplicated:
        decompose_additive(pd.DataFrame({"s": ["a", "a"], "value_1": [1, 2], "value_2": [1, 2]}), dimensions=["s"])
    assert duplicated.value.code == "explain.duplicate_segments"
    with pytest.raises(InputError) as missing:
        decompose_additive(pd.DataFrame({"s": ["a"]}), dimensions=["s"])
    assert missing.value.code == "explain.missing_column"


def test_on_the_demo_shop_channel_contributions_equal_the_direct_per_channel_changes(demo_shop: Path) -> None:
    from zhongtai.metrics import MetricQuery, query_metrics
    from zhongtai.metrics.explain import explain_metric, parse_period
    from zhongtai.workspace import open_workspace

    june, july = parse_period("2025-06"), parse_period("2025-07")
    with open_workspace(demo_shop, read_only=True) as ws:
        (gmv,) = explain_metric(ws, "gmv", base=june, new=july, by=["channel"])
        (aov,) = explain_metric(ws, "aov", base=june, new=july, by=["channel"])
        direct = {
            p: query_metrics(ws, MetricQuery(("gmv", "aov"), ("channel",), start=p[0], end=p[1])).to_pandas()
            for p in (june, july)
        }
        totals = {
            p: query_metrics(ws, MetricQuery(("gmv", "aov"), start=p[0], end=p[1])).to_pandas() for p in (june, july)
        }
    before = direct[june].set_index("channel")["gmv"].astype(float)
    after = direct[july].set_index("channel")["gmv"].astype(float)
    expected = after.sub(before, fill_value=0.0)
    got = gmv.segments.set_index("channel")["contribution"]
    assert got.sort_index().to_dict() == pytest.approx(expected.sort_index().to_dict())
    assert gmv.change == pytest.approx(float(totals[july]["gmv"][0]) - float(totals[june]["gmv"][0]))
    assert gmv.segments["contribution"].sum() + gmv.unexplained == pytest.approx(gmv.change)
    # AOV: the metric's own totals; rate + mix + interaction + unexplained = the change
    assert aov.change == pytest.approx(float(totals[july]["aov"][0]) - float(totals[june]["aov"][0]))
    parts = aov.segments[["rate_effect", "mix_effect", "interaction"]].to_numpy().sum()
    assert parts + aov.unexplained == pytest.approx(aov.change)
    assert set(aov.segments["channel"]) == set(expected.index)
