"""Cell values as exports write them: money with ¥, 万 and full-width digits, ids wrapped or
mangled by spreadsheets. Examples go through whole loads; properties run the parser stages
directly in DuckDB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bad_input_helpers import ONE_TABLE, load, mapping, problems, rows, write
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from zhongtai.warehouse._sql import col, render
from zhongtai.warehouse.ingest import normalise_header, parsers
from zhongtai.workspace import Workspace

# -- through a load ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("¥1,234.50", "1234.50"),
        ("￥１，２３４．５０", "1234.50"),
        ("１２３４．５", "1234.50"),
        ("1.2万", "12000.00"),
        ("3亿", "300000000.00"),
        ("12.5元", "12.50"),
        ("RMB 12", "12.00"),
        ("¥ 1,234,567.89 ", "1234567.89"),
        ("1 234.5", "1234.50"),
        ('="1234.50"', "1234.50"),
        ("'1234.5", "1234.50"),
    ],
)
def test_money_as_shops_write_it(workspace: Workspace, tmp_path: Path, written: str, amount: str) -> None:
    cell = '"' + written.replace('"', '""') + '"'
    path = write(tmp_path, "money.csv", f"订单号,客户,下单时间,金额\nA1,c,2025-03-08,{cell}\n")
    result = load(workspace, path, mapping(ONE_TABLE))
    assert problems(result) == []
    assert rows(workspace, "SELECT total_amount FROM orders") == [(Decimal(amount),)]


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("1.234,50", "parse.decimal"),  # European separators: rejected, not read as 1.2345
        ("1.000,00", "parse.decimal"),  # …and not read as 1.00
        ("1,50", "parse.decimal"),  # a decimal comma: rejected, not read as 150
        ("1,23,4.5", "parse.decimal"),  # separators that do not group by three
        ("12 5", "parse.decimal"),
        ("abc", "parse.decimal"),
        ("(12.50)", "range.below_minimum"),  # accountants' negative
        ("12.345", "parse.too_many_decimals"),
    ],
)
def test_money_that_cannot_be_read_exactly_is_rejected(
    workspace: Workspace, tmp_path: Path, written: str, rule: str
) -> None:
    path = write(tmp_path, "money.csv", f'订单号,客户,下单时间,金额\nA1,c,2025-03-08,"{written}"\n')
    result = load(workspace, path, mapping(ONE_TABLE))
    assert problems(result) == [(2, "orders", "total_amount", rule)]
    assert rows(workspace, "SELECT COUNT(*) FROM orders") == [(0,)]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ('="2025030812345678901"', "2025030812345678901"),  # Taobao/Tmall keep long ids as formulas
        ("\t2025030812345678902", "2025030812345678902"),  # tab-prefixed so Excel keeps it as text
        ("'2025030812345678903", "2025030812345678903"),  # apostrophe-prefixed
        ("１２３４５６７８", "12345678"),  # full-width digits
        ("123.0", "123"),  # an integer that went through a float, still exact
        ("12E5", "12E5"),  # a code, not a float (no point, no exponent sign)
        ("A-77", "A-77"),
    ],
)
def test_ids_are_unwrapped_and_kept_as_text(workspace: Workspace, tmp_path: Path, written: str, stored: str) -> None:
    cell = '"' + written.replace('"', '""') + '"'
    path = write(tmp_path, "ids.csv", f"订单号,客户,下单时间\n{cell},c,2025-03-08\n")
    result = load(workspace, path, mapping(ONE_TABLE))
    assert problems(result) == []
    assert rows(workspace, "SELECT order_id FROM orders") == [(stored,)]


def test_unquoted_tab_prefixed_ids_keep_the_comma_delimiter(workspace: Workspace, tmp_path: Path) -> None:
    """Taobao-style exports put a tab before every long id, unquoted; the tab is not a delimiter."""
    lines = "".join(f"\t20250308123456789{i:02d},c{i},2025-03-08,1,000\n".replace(",000", "") for i in range(3))
    result = load(workspace, write(tmp_path, "tabs.csv", "订单号,客户,下单时间,金额\n" + lines), mapping(ONE_TABLE))
    assert problems(result) == []
    assert rows(workspace, "SELECT order_id, customer_id FROM orders ORDER BY 1") == [
        ("2025030812345678900", "c0"),
        ("2025030812345678901", "c1"),
        ("2025030812345678902", "c2"),
    ]


@pytest.mark.parametrize("written", ["2.0250308E+18", "2.02503E+18", "1E+18", "2025030812345678904.0", "2.025e18"])
def test_ids_that_went_through_a_float_in_csv_are_rejected(workspace: Workspace, tmp_path: Path, written: str) -> None:
    path = write(tmp_path, "ids.csv", f"订单号,客户,下单时间\nA1,c,2025-03-08\n{written},c,2025-03-08\n")
    result = load(workspace, path, mapping(ONE_TABLE))
    assert problems(result) == [(3, "orders", "order_id", "parse.id_precision_lost")]
    assert rows(workspace, "SELECT order_id FROM orders") == [("A1",)]


def test_ids_beyond_2_to_53_in_a_parquet_double_column_are_rejected(workspace: Workspace, tmp_path: Path) -> None:
    ids = pa.array([2025030812345678901.0, 123.0, float(2**53 + 2)], pa.float64())
    table = pa.table({"订单号": ids, "客户": ["a", "b", "c"], "下单时间": ["2025-03-08"] * 3})
    pq.write_table(table, tmp_path / "ids.parquet")
    result = load(workspace, tmp_path / "ids.parquet", mapping(ONE_TABLE))
    assert problems(result) == [
        (2, "orders", "order_id", "parse.id_precision_lost"),
        (4, "orders", "order_id", "parse.id_precision_lost"),
    ]
    assert rows(workspace, "SELECT order_id FROM orders") == [("123",)]


def test_ids_beyond_2_to_53_in_a_float_excel_cell_are_rejected(workspace: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单号", "客户", "下单时间"])
    sheet.append([2025030812345678901, "a", "2025-03-08"])  # Excel keeps numbers as doubles
    sheet.append(["2025030812345678902", "b", "2025-03-08"])  # a text cell keeps every digit
    sheet.append([12345, "c", "2025-03-08"])
    book.save(tmp_path / "ids.xlsx")
    result = load(workspace, tmp_path / "ids.xlsx", mapping(ONE_TABLE))
    assert problems(result) == [(2, "orders", "order_id", "parse.id_precision_lost")]
    assert rows(workspace, "SELECT order_id FROM orders ORDER BY 1") == [("12345",), ("2025030812345678902",)]


# -- properties of the parser stages ----------------------------------------------------------


@pytest.fixture(scope="module")
def parse() -> Iterator[Callable[[str, str], object]]:
    """``parse(text, kind)``: one cell through the same stages a load uses (``money`` or ``id``)."""
    con = duckdb.connect()

    def stages(kind: str) -> list[tuple[str, exp.Expression]]:
        common = [
            ("r", parsers.trimmed(col("c"))),
            ("t", parsers.clean_text(col("r"))),
            ("g", parsers.folded(col("t"))),
            ("f", parsers.typed_text(col("g"))),
        ]
        if kind == "id":
            return [*common, ("v", parsers.id_value(col("f")))]
        return [
            *common,
            ("s", parsers.signed_text(col("f"))),
            ("w", parsers.wide_value(col("s"))),
            ("v", parsers.number_value(col("f"), col("s"), col("w"))),
        ]

    queries: dict[str, str] = {}
    for kind in ("money", "id"):
        query: exp.Select = exp.select(exp.Placeholder().as_("c"))  # one bound parameter
        for name, node in stages(kind):
            query = exp.select(exp.Star(), node.as_(name)).from_(query.subquery())
        queries[kind] = render(exp.select(col("v")).from_(query.subquery()))

    def run(text: str, kind: str) -> object:
        return con.execute(queries[kind], [text]).fetchone()[0]  # type: ignore[index]

    yield run
    con.close()


FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def written_money(draw: st.DrawFn) -> tuple[str, Decimal]:
    """An amount and one way a shop could write it."""
    cents = draw(st.integers(min_value=0, max_value=10**13))
    amount = Decimal(cents) / 100
    whole, fraction = f"{amount:.2f}".split(".")
    separator = draw(st.sampled_from(["", ",", "，", " "]))
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    digits = separator.join(groups) + draw(st.sampled_from([".", "．"])) + fraction
    digits = "".join(
        ch.translate(FULL_WIDTH_DIGITS) if draw(st.booleans()) else ch for ch in digits
    )  # full width, digit by digit
    prefix = draw(st.sampled_from(["", "¥", "￥", "¥ ", "RMB ", "CNY"]))
    suffix = draw(st.sampled_from(["", "元", " 元"]))
    return prefix + digits + suffix, amount


@settings(max_examples=150, deadline=None)
@given(case=written_money())
def test_any_way_of_writing_money_parses_to_the_same_decimal(
    parse: Callable[[str, str], object], case: tuple[str, Decimal]
) -> None:
    text, amount = case
    assert parse(text, "money") == amount


@settings(max_examples=100, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=10**5, places=4, allow_nan=False),
    unit=st.sampled_from([("万", 10**4), ("w", 10**4), ("亿", 10**8)]),
)
def test_chinese_units_scale_the_number(
    parse: Callable[[str, str], object], amount: Decimal, unit: tuple[str, int]
) -> None:
    """Numbers are kept below 10^14 (DECIMAL(18,4)); 10万亿 is far beyond any shop amount."""
    word, scale = unit
    assert parse(f"{amount}{word}", "money") == amount * scale


@settings(max_examples=100, deadline=None)
@given(
    first=st.integers(min_value=1, max_value=999),
    rest=st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4),
    where=st.integers(min_value=0, max_value=3),
    longer=st.booleans(),
)
def test_thousands_separators_in_the_wrong_place_are_never_read(
    parse: Callable[[str, str], object], first: int, rest: list[int], where: int, longer: bool
) -> None:
    """``1,2345`` or ``12,34`` is not a number: every group after a separator has three digits."""
    groups = [str(first)] + [f"{g:03d}" for g in rest]
    broken = 1 + where % len(rest)
    groups[broken] = groups[broken] + "7" if longer else groups[broken][:2]
    assert parse(",".join(groups), "money") is None


@settings(max_examples=100, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_wrapped_long_ids_keep_every_digit(parse: Callable[[str, str], object], digits: str) -> None:
    for written in (f'="{digits}"', f"\t{digits}", f"'{digits}", f" {digits} ", digits.translate(FULL_WIDTH_DIGITS)):
        assert parse(written, "id") == digits, written


@settings(max_examples=100, deadline=None)
@given(
    mantissa=st.from_regex(r"[1-9]\.[0-9]{1,15}", fullmatch=True),
    exponent=st.integers(min_value=1, max_value=30),
    style=st.sampled_from(["E+", "e+", "E", "e"]),
)
def test_ids_in_scientific_notation_are_never_accepted(
    parse: Callable[[str, str], object], mantissa: str, exponent: int, style: str
) -> None:
    assert parse(f"{mantissa}{style}{exponent}", "id") is None


HEADER_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"'), min_size=0, max_size=20
)


@settings(max_examples=200, deadline=None)
@given(text=HEADER_TEXT, wrapped=st.booleans(), pad=st.sampled_from(["", " ", "\u3000", "\t", "\ufeff"]))
def test_normalise_header_is_idempotent(text: str, wrapped: bool, pad: str) -> None:
    """Cells cannot hold a bare ``"`` inside an Excel ``="…"`` formula, so the inner text has none."""
    header = pad + (f'="{text}"' if wrapped else text) + pad
    once = normalise_header(header)
    assert normalise_header(once) == once


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ", min_size=1))
def test_headers_differing_in_case_width_and_blanks_match(text: str) -> None:
    full_width = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    variants = [text.upper(), text.lower(), f"  {text}\u3000", full_width, f'="{text}"', "\ufeff" + text]
    assert {normalise_header(v) for v in variants} == {normalise_header(text)}
