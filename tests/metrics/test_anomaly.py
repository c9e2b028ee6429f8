"""Anomaly detection on hand-made series: injected spikes and drops are found, recurring festivals
are not alarms, first-time festivals are not scored, bad input is refused."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from zhongtai.errors import InputError
from zhongtai.metrics.anomaly import DetectionParams, detect_anomalies

DAYS = pd.date_range("2023-01-01", "2025-12-31", freq="D")
WEEKLY = np.array([1.0, 0.95, 0.97, 1.0, 0.97, 1.1, 1.06])  # Monday … Sunday


def double11(years: tuple[int, ...] = (2023, 2024, 2025)) -> dict[date, str]:
    """Nov 8 … Nov 11 of each year, keyed by their offset from Nov 11."""
    out: dict[date, str] = {}
    for year in years:
        for offset in range(-3, 1):
            out[date(year, 11, 11) + timedelta(days=offset)] = f"double11:{offset}"
    return out


def base_rate(level: float = 150.0) -> np.ndarray:
    """A growing daily count with a weekly pattern (the mean of a Poisson count)."""
    return level * WEEKLY[DAYS.dayofweek] * (1 + np.arange(len(DAYS)) / len(DAYS))


def festival_factor(days: pd.DatetimeIndex, peak: dict[int, float]) -> np.ndarray:
    """x4 on Nov 11 and x2 on the three days before it, every year, unless ``peak`` overrides a year."""
    factor = np.ones(len(days))
    for i, d in enumerate(days):
        if d.month == 11 and 8 <= d.day <= 11:
            factor[i] = peak.get(d.year, 4.0) if d.day == 11 else 2.0
    return factor


def frame(values: np.ndarray, series: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"series": series, "period": DAYS, "value": values})


def at(day: str) -> int:
    return int(DAYS.get_loc(pd.Timestamp(day)))


@pytest.fixture(scope="module")
def injected() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    mean = base_rate() * festival_factor(DAYS, {})
    mean[at("2025-03-12")] *= 2.0  # a one-day spike (twice the usual)
    start = at("2025-08-01")
    mean[start : start + 4] *= 0.3  # a four-day drop to 30 %
    return frame(rng.poisson(mean).astype(float))


def test_an_injected_spike_and_drop_are_the_episodes_found(injected: pd.DataFrame) -> None:
    result = detect_anomalies(injected, keys=["series"], festivals=double11())
    found = {(e.start, e.end, e.direction) for e in result.episodes}
    assert (date(2025, 3, 12), date(2025, 3, 13), "up") in found
    assert (date(2025, 8, 1), date(2025, 8, 5), "down") in found
    spike = next(e for e in result.episodes if e.start == date(2025, 3, 12))
    assert spike.peak_z > 8  # twice the level is many noise widths (sd ~ sqrt(270) = 16)
    assert spike.peak_value / spike.peak_expected == pytest.approx(2.0, rel=0.15)
    assert len(result.episodes) <= 4  # at most a stray noise day or two besides the planted ones


def test_a_recurring_double11_is_scored_against_its_own_history_and_does_not_alert(injected: pd.DataFrame) -> None:
    result = detect_anomalies(injected, keys=["series"], festivals=double11())
    points = result.points.set_index("time")
    for year in (2024, 2025):
        for day in range(8, 12):
            row = points.loc[pd.Timestamp(year, 11, day)]
            assert row["status"] == "ok", (year, day, row["z"])
            assert abs(row["z"]) < 4.5
    # the first 双十一 has no history: not scored, not an alert
    assert set(points.loc["2023-11-08":"2023-11-11", "status"]) == {"festival_unscored"}


def test_without_the_festival_calendar_the_same_double11_would_alert(injected: pd.DataFrame) -> None:
    result = detect_anomalies(injected, keys=["series"])
    for year in (2023, 2024, 2025):
        peak = date(year, 11, 11)
        assert any(e.start <= peak < e.end and e.direction == "up" for e in result.episodes), year


def test_a_double11_far_below_its_usual_uplift_alerts() -> None:
    rng = np.random.default_rng(11)
    mean = base_rate() * festival_factor(DAYS, {2025: 1.3})  # Nov 11 2025 only x1.3 instead of x4
    result = detect_anomalies(frame(rng.poisson(mean).astype(float)), keys=["series"], festivals=double11())
    flop = [e for e in result.episodes if e.start == date(2025, 11, 11)]
    assert len(flop) == 1
    assert flop[0].direction == "down"
    # expected = the ordinary expectation x last years' uplift (about x4)
    assert flop[0].peak_expected / flop[0].peak_value == pytest.approx(4.0 / 1.3, rel=0.2)


def test_series_are_scored_independently_and_only_the_broken_one_alerts() -> None:
    rng = np.random.default_rng(3)
    quiet = rng.poisson(base_rate(80.0)).astype(float)
    broken = rng.poisson(base_rate(120.0)).astype(float)
    broken[at("2025-06-10") : at("2025-06-13")] = 0.0  # three days without data
    data = pd.concat([frame(quiet, "quiet"), frame(broken, "broken")])
    result = detect_anomalies(data, keys=["series"], params=DetectionParams(direction="down"))
    assert {e.key for e in result.episodes} == {("broken",)}
    (episode,) = result.episodes
    assert (episode.start, episode.end, episode.points) == (date(2025, 6, 10), date(2025, 6, 13), 3)


def test_an_almost_constant_share_uses_the_scale_floor() -> None:
    # completeness of arrivals: 1.0 every day, a delayed load leaves 2 % for five days
    values = np.ones(200)
    values[150:155] = 0.02
    values[40] = 0.995  # a rounding-size wobble must not alert
    data = pd.DataFrame({"period": pd.date_range("2025-01-01", periods=200), "value": values})
    result = detect_anomalies(data)
    (episode,) = result.episodes
    assert (episode.start, episode.points) == (date(2025, 5, 31), 5)
    assert episode.peak_z == pytest.approx((0.02 - 1.0) / 0.02)  # floor = 2 % of the level 1.0


def test_the_first_min_history_points_are_warming_up_and_missing_days_are_marked() -> None:
    data = frame(base_rate()).drop(index=[100, 101])
    result = detect_anomalies(data, keys=["series"], params=DetectionParams(min_history=30))
    status = result.points["status"].to_numpy()
    assert (status[:30] == "warming_up").all()
    assert list(status[100:102]) == ["missing", "missing"]
    assert result.episodes == []  # a noiseless series has no anomalies


def test_hourly_series_use_daily_and_weekly_seasons() -> None:
    hours = pd.date_range("2025-01-01", periods=24 * 7 * 8, freq="h")
    daily = 1 + 0.6 * np.sin(2 * np.pi * hours.hour.to_numpy() / 24)
    rng = np.random.default_rng(5)
    mean = 40 * daily * WEEKLY[hours.dayofweek.to_numpy()]
    mean[24 * 40 + 20] *= 4  # one hour with four times the traffic
    data = pd.DataFrame({"period": hours, "value": rng.poisson(mean).astype(float)})
    result = detect_anomalies(data, params=DetectionParams(frequency="hour", periods=(24, 168), min_history=48))
    assert hours[24 * 40 + 20].to_pydatetime() in {e.start for e in result.episodes}


def test_bad_input_is_refused_with_a_reason() -> None:
    with pytest.raises(InputError) as missing:
        detect_anomalies(pd.DataFrame({"period": DAYS[:3]}), value="gmv")
    assert missing.value.code == "anomaly.missing_column"
    dup = pd.DataFrame({"period": [DAYS[0], DAYS[0]], "value": [1.0, 2.0]})
    with pytest.raises(InputError) as duplicated:
        detect_anomalies(dup)
    assert duplicated.value.code == "anomaly.duplicate_points"
    with pytest.raises(InputError) as bad:
        DetectionParams(direction="sideways")
    assert bad.value.params["name"] == "direction"


def test_the_festival_calendar_keys_the_same_day_alike_every_year() -> None:
    from zhongtai.metrics.festivals import festival_days

    days = festival_days(date(2024, 1, 1), date(2026, 1, 1), holidays=[(date(2025, 10, 1), "国庆节")])
    assert days[date(2024, 11, 11)] == days[date(2025, 11, 11)] == "double11:0"
    assert days[date(2025, 6, 18)] == "618:0"
    assert days[date(2025, 1, 29)] == "spring_festival:0"  # 春节 2025 (published calendar)
    assert days[date(2024, 2, 10)] == "spring_festival:0"
    assert days[date(2025, 1, 3)] == "spring_festival:-26"  # 年货节 starts 26 days before
    assert date(2025, 9, 1) not in days
    assert days[date(2025, 10, 1)] == "holiday.国庆节:0"  # the shop's own holiday, outside any window
