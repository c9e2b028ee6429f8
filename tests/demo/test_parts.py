"""Small parts of the generator, checked on their own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from zhongtai.demo import _arrow as A
from zhongtai.demo.accounts import _phone_variant, normalise_phone
from zhongtai.demo.calendar import CHINESE_NEW_YEAR, build_calendar, cumulative, integrated, inverse
from zhongtai.demo.ids import scramble
from zhongtai.errors import InputError


@pytest.mark.parametrize("style", range(7))
def test_every_phone_variant_normalises_to_the_same_number(style: int) -> None:
    written = _phone_variant("13812345678", style)
    assert written != "13812345678"
    assert normalise_phone(written) == "+8613812345678"


def test_spring_festival_dates_are_the_published_ones() -> None:
    assert CHINESE_NEW_YEAR[2024] == date(2024, 2, 10)
    assert CHINESE_NEW_YEAR[2025] == date(2025, 1, 29)


def test_festivals_peak_and_the_spring_festival_is_a_trough() -> None:
    cal = build_calendar(date(2024, 1, 1), date(2025, 12, 31), double11=6.0, six18=3.0, trough=0.3)
    m = cal.intensity(1.0)
    eleven = cal.day_of(date(2025, 11, 11))
    assert m.argmax() in (eleven, cal.day_of(date(2024, 11, 11)))
    assert m[cal.day_of(date(2025, 6, 18))] > 2.5 * np.median(m)
    assert m[cal.day_of(date(2025, 1, 30))] < 0.4 * np.median(m)


def test_a_period_without_known_spring_festivals_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        build_calendar(date(2035, 1, 1), date(2036, 1, 1), double11=5, six18=3, trough=0.3)
    assert caught.value.code == "demo.unsupported_period"


def test_inverting_the_integrated_intensity_recovers_times() -> None:
    intensity = np.array([1.0, 3.0, 0.5, 2.0])
    cum = cumulative(intensity)
    t = np.array([0.25, 1.5, 2.9, 3.99])
    assert np.allclose(inverse(cum, intensity, integrated(cum, intensity, t)), t)


def test_scrambled_numbers_are_unique() -> None:
    numbers = np.arange(2_000_000)
    assert len(np.unique(scramble(numbers, 10**8, 48_271))) == len(numbers)
    big = np.array([0, 7, 10**12 - 1])
    expected = [(int(v) * 3_935_559_000_370_003 + 12_345) % 10**15 for v in big]
    assert scramble(big, 10**15, 3_935_559_000_370_003).tolist() == expected


def test_money_columns_are_exact_decimals() -> None:
    cents = np.array([0, 1, 12_999, -250, 10**15])
    assert A.money(cents).to_pylist() == [
        Decimal("0.00"),
        Decimal("0.01"),
        Decimal("129.99"),
        Decimal("-2.50"),
        Decimal("10000000000000.00"),
    ]
    assert A.price(np.array([12_999])).to_pylist() == [Decimal("129.9900")]


def test_ids_are_fixed_width_and_refuse_overflow() -> None:
    assert A.fixed_ids("EV", np.array([0, 42]), 5).to_pylist() == ["EV00000", "EV00042"]
    with pytest.raises(ValueError, match="digits"):
        A.fixed_ids("X", np.array([100]), 2)


def test_picked_strings_share_one_dictionary_without_repeats() -> None:
    array = A.pick(["pdp", "home", "pdp"], np.array([0, 1, 2, 2]), np.array([False, False, False, True]))
    assert array.to_pylist() == ["pdp", "home", "pdp", None]
    assert array.dictionary.to_pylist() == ["pdp", "home"]


def test_the_documentation_lists_every_drawn_parameter() -> None:
    from pathlib import Path

    from zhongtai.demo.params import CHOICES, SPECS

    text = (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text(encoding="utf-8")
    missing = [s.name for s in SPECS if f"`{s.name}`" not in text] + [c for c in CHOICES if f"`{c}`" not in text]
    assert missing == []
