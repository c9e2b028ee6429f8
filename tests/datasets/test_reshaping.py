"""The pure reshaping steps behind the canonical loads, on small hand-made tables (no data folder)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from zhongtai.datasets._folder import find_file
from zhongtai.datasets._raw import to_arrow
from zhongtai.datasets._read import read_lines
from zhongtai.datasets._reviews import review_ids
from zhongtai.datasets.cdnow import orders_frame
from zhongtai.datasets.donations import FIRST_YEAR, expand_patterns, repeat_periods


@st.composite
def patterns(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for x in range(7):
        for t_x in range(x, 7):
            if (x == 0) != (t_x == 0):
                continue
            weight = draw(st.integers(min_value=0, max_value=4))
            if weight:
                rows.append((x, t_x, 6, weight))
    return pd.DataFrame(rows or [(0, 0, 6, 1)], columns=["frequency", "recency", "periods", "weights"])


@given(patterns())
def test_expanded_donations_give_back_every_pattern(table: pd.DataFrame) -> None:
    gifts = expand_patterns(table)
    years = pd.to_datetime(gifts["order_date"]).dt.year
    per_donor = gifts.assign(year=years).groupby("customer_id")["year"].agg(["count", "min", "max"])
    assert (per_donor["min"] == FIRST_YEAR).all()  # everyone's first gift is in 1995
    rebuilt = per_donor.assign(x=per_donor["count"] - 1, t_x=per_donor["max"] - FIRST_YEAR)
    counts = rebuilt.groupby(["x", "t_x"]).size().to_dict()
    assert counts == {(int(r.frequency), int(r.recency)): int(r.weights) for r in table.itertuples()}
    assert gifts["order_id"].is_unique
    assert len(per_donor) == int(table["weights"].sum())


def test_repeat_gifts_fill_the_first_years_then_the_last() -> None:
    assert repeat_periods(0, 0) == []
    assert repeat_periods(1, 4) == [4]
    assert repeat_periods(3, 6) == [1, 2, 6]
    assert repeat_periods(6, 6) == [1, 2, 3, 4, 5, 6]


def test_donor_ids_count_up_through_the_patterns() -> None:
    table = pd.DataFrame({"frequency": [0, 2], "recency": [0, 3], "periods": [6, 6], "weights": [1, 2]})
    gifts = expand_patterns(table)
    assert gifts["order_id"].tolist() == [
        "D00001-1995",
        "D00002-1995", "D00002-1996", "D00002-1998",
        "D00003-1995", "D00003-1996", "D00003-1998",
    ]  # fmt: skip


def test_cdnow_order_ids_number_each_customers_lines() -> None:
    lines = pd.DataFrame(
        {
            "customer_id": ["00001", "00002", "00002", "00002"],
            "date": pd.to_datetime(["1997-01-01", "1997-01-12", "1997-01-12", "1997-03-02"]),
            "number_of_cds": [1, 1, 1, 2],  # the two identical 00002 lines are two orders
            "dollar_value": [11.77, 12.0, 12.0, 24.5],
        }
    )
    orders = orders_frame(lines)
    assert orders["order_id"].tolist() == ["00001-1", "00002-1", "00002-2", "00002-3"]
    assert orders["date"].tolist() == ["1997-01-01", "1997-01-12", "1997-01-12", "1997-03-02"]


def test_raw_tables_number_rows_and_store_dates_as_dates() -> None:
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime(["1997-01-01", "1998-06-30"]),
            "at": pd.to_datetime(["2017-01-02 13:42:05.378582", "2017-01-24 13:41:54.000001"]),
            "id": pd.array([7, None], dtype="Int64"),
        }
    )
    table = to_arrow(frame, date_columns=("day",))
    assert table.column_names == ["row_no", "day", "at", "id"]
    assert table.schema.field("day").type == pa.date32()
    assert table.schema.field("at").type == pa.timestamp("us")
    assert table.column("row_no").to_pylist() == [1, 2]
    assert table.column("day").to_pylist() == [date(1997, 1, 1), date(1998, 6, 30)]
    assert table.column("id").to_pylist() == [7, None]


def test_text_lines_keep_blank_and_space_only_lines(tmp_path: Path) -> None:
    file = tmp_path / "neg.txt"
    file.write_text("差评\n\u3000\u3000\n\nNA\n", encoding="utf-8")
    assert read_lines(file, "review")["review"].tolist() == ["差评", "\u3000\u3000", "", "NA"]


def test_files_are_found_in_subfolders_or_flat(tmp_path: Path) -> None:
    (tmp_path / "cdnow").mkdir()
    (tmp_path / "cdnow" / "CDNOW_master.txt").write_text("x", encoding="utf-8")
    (tmp_path / "oj.csv").write_text("x", encoding="utf-8")
    assert find_file(tmp_path, "cdnow/CDNOW_master.txt") == tmp_path / "cdnow" / "CDNOW_master.txt"
    assert find_file(tmp_path, "demand/oj.csv") == tmp_path / "oj.csv"
    assert find_file(tmp_path, "ab_test/countries.csv") is None


def test_review_ids_are_the_part_and_the_position() -> None:
    assert review_ids("waimai_10k", 3).tolist() == ["waimai_10k-1", "waimai_10k-2", "waimai_10k-3"]
