"""Cells re-exported to spreadsheets cannot run as formulas (CSV injection)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhongtai.warehouse.export import neutralise_cell


def test_formula_cells_are_prefixed_with_an_apostrophe() -> None:
    assert neutralise_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert neutralise_cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert neutralise_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_cell("-2+3") == "'-2+3"
    assert neutralise_cell("＝1+1") == "'＝1+1"


def test_plain_numbers_and_text_are_untouched() -> None:
    assert neutralise_cell("-12.50") == "-12.50"
    assert neutralise_cell("+86") == "+86"
    assert neutralise_cell("张三") == "张三"
    assert neutralise_cell("") == ""


@given(st.text(max_size=40))
def test_no_output_starts_with_a_formula_trigger_unless_it_is_a_number(text: str) -> None:
    out = neutralise_cell(text)
    if out[:1] in ("=", "@", "\t", "\r", "＝", "＋", "－", "＠"):
        raise AssertionError(out)
    if out[:1] in ("+", "-"):
        float(out)  # only plain numbers may keep a leading sign
