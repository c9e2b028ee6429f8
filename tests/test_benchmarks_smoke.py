"""The benchmark scripts still run, and their pandas twin still applies zhongtai's rules.

Each benchmark's core runs once on a tiny hand-made Online Retail export (inside this process,
so it takes seconds); one variant also runs through the real fresh-process harness. Nothing here
asserts a time: the numbers live in docs/benchmarks.md (``make bench``).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _harness  # noqa: E402
import _pandas_ingest  # noqa: E402
import ingest_large_file  # noqa: E402
import ingest_online_retail  # noqa: E402
import profile_ingest  # noqa: E402
import run_all  # noqa: E402

HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
EVERY_RULE = {
    "row.duplicate",
    "row.totals_row",
    "row.repeated_header",
    "group.incomplete",
    "conflict.values",
    "range.zero_price",
    "range.negative_price",
    "range.non_positive_quantity",
    "range.below_minimum",
    "range.future_date",
    "parse.too_many_decimals",
    "parse.integer",
    "parse.timestamp",
    "parse.id_precision_lost",
    "required.missing",
}


def _line(
    invoice: str,
    sku: str = "85123A",
    qty: str = "6",
    price: str = "2.55",
    customer: str = "17850",
    when: str = "2011-03-01 08:26:00",
    country: str = "United Kingdom",
    name: str = "HEART HOLDER",
) -> list[str]:
    return [invoice, sku, name, qty, when, price, customer, country]


def _write_export(path: Path) -> Path:
    """~300 rows: 60 clean invoices of 4 lines, then one invoice per awkward case."""
    rows = [
        _line(str(600000 + i), sku=f"2{i:04d}{j}", qty=str(1 + (i + j) % 12), price=f"{0.5 + j * 1.25:.2f}",
              customer=str(12000 + i % 17), when=f"2011-{1 + i % 12:02d}-{1 + j:02d} 1{j}:05:00")
        for i in range(60)
        for j in range(4)
    ]  # fmt: skip
    rows += [
        _line("700001", sku="A1"), _line("700001", sku="A2"), _line("700001", sku="A2"),  # exact duplicate
        _line("700002", sku="B1"), _line("700002", sku="B2", price="0"),  # zero price: the order waits
        _line("700003", sku="C1"), _line("700003", sku="C2", qty="-2"),  # negative quantity outside a refund
        _line("A700004", sku="B", qty="1", price="-11062.06", customer=""),  # bad-debt adjustment
        _line("700005", sku="D1", customer="12345"), _line("700005", sku="D2", customer="12346"),  # two customers
        _line("700006", sku="E1", country="France"), _line("700006", sku="E2", country="Germany"),
        _line("700007", price="1.23456"),  # more than 4 decimals
        _line("700008", qty="2.5"),  # not a whole number of units
        _line("700009", qty=""),  # no quantity
        _line("700010", when=""),  # no order time
        _line("700011", when="2011-13-45 10:00:00"),  # no such date
        _line("700012", when="2099-01-01 10:00:00"),  # in the future
        _line("700013", customer="N/A"), _line("700013", sku="F2", customer="12350"), _line("700013", customer=""),
        _line("700014", sku="1.5E+10"),  # an id that went through a float
        _line("700015", name="LANTERN, WHITE  "),  # comma inside a quoted cell, trailing blanks
        _line("700016", customer="12352.0"), _line("700016", sku="G2", customer="12352"),  # the same customer
        _line("700017", qty="0"),  # zero units
        ["Total", "", "", "", "", "", "", ""],  # a totals line
        list(HEADER),  # the header again, mid-file
        _line("C700018", qty="-3"), _line("C700018", sku="H2", qty="2"),  # a refund of +2 units is wrong
        _line("C700019", qty="-1", price="-1"),  # refund of a negative amount
        _line("C700020", qty="0"),  # refund of no units
        _line("C700021", qty="-2", customer=""),
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return _write_export(tmp_path / "tiny_retail.csv")


def test_online_retail_benchmark_runs_and_zhongtai_and_pandas_agree_on_every_rule(export: Path, tmp_path: Path) -> None:
    result = ingest_online_retail.run(export, repeat=1, work=tmp_path / "work", runner=_harness.run_inline)
    ours, theirs = result.agreement()
    assert ours == theirs
    assert ours["orders"] > 60
    assert ours["refunds"] > 0
    zt_rules = result.summaries["zhongtai"].runs[0].extra["top_rules"]
    pd_rules = result.summaries["pandas"].runs[0].extra["top_rules"]
    assert set(pd_rules) == EVERY_RULE
    assert {r: pd_rules.get(r) for r in zt_rules} == zt_rules  # zhongtai lists its 10 most frequent rules
    bare = result.summaries["duckdb"].counts["rows"]
    assert bare == result.summaries["zhongtai"].runs[0].extra["rows_read"]
    text = ingest_online_retail.render(result)
    assert all(label in text for _, label, _ in ingest_online_retail.VARIANTS)


def test_large_file_benchmark_generates_valid_rows_streams_them_and_deletes_the_file(
    export: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    result = ingest_large_file.run(export, size_gb=0.00005, chunksize=150, work=work, runner=_harness.run_inline)
    ours, _ = result.agreement()  # also checks every generated row loaded and none was quarantined
    assert result.file.repetitions > 1
    assert ours["order_items"] + ours["refunds"] == result.file.rows
    assert not result.file.path.exists()
    assert "1 GiB" in ingest_large_file.render(result)


def test_large_file_with_rejects_keeps_the_invalid_rows_and_writes_its_own_section(
    export: Path, tmp_path: Path
) -> None:
    valid = ingest_large_file.generate(export, tmp_path / "valid.csv", 50_000)
    mixed = ingest_large_file.generate(export, tmp_path / "mixed.csv", 50_000, rejects=True)
    assert mixed.block_rows == export.read_text(encoding="utf-8").count("\n") - 1
    assert valid.block_rows < mixed.block_rows
    assert ingest_large_file.section(rejects=True) != ingest_large_file.section(rejects=False)


def test_a_variant_runs_in_a_fresh_process_and_reports_its_peak_memory(export: Path, tmp_path: Path) -> None:
    run = _harness.run_child("duckdb", ["--data", str(export), "--out", str(tmp_path / "bare.duckdb")])
    assert run.counts == {"rows": export.read_text(encoding="utf-8").count("\n") - 1}
    assert run.peak_rss > 10 * 1024**2


def test_writing_replaces_only_the_marked_section(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nintro\n\n<!-- x:start -->\nold\n<!-- x:end -->\n\nanalysis\n", encoding="utf-8")
    _harness.update_section("x", "new table", docs)
    _harness.update_section("y", "another", docs)
    text = docs.read_text(encoding="utf-8")
    assert "old" not in text
    assert "<!-- x:start -->\nnew table\n<!-- x:end -->\n\nanalysis" in text
    assert text.endswith("<!-- y:start -->\nanother\n<!-- y:end -->\n")


def test_run_all_finds_both_benchmarks_and_skips_the_profiler() -> None:
    found = set(run_all.discover())
    assert {"ingest_online_retail", "ingest_large_file"} <= found
    assert "profile_ingest" not in found


def test_profiler_times_the_statements_the_loader_sends(export: Path, tmp_path: Path) -> None:
    result = profile_ingest.profile(export, work=tmp_path)
    callers = {s.caller for s in result.statements}
    assert {"build_parsed", "insert_shaped"} <= callers
    assert 0 < result.in_sql <= result.total
    assert "build_parsed" in profile_ingest.report(result)


def test_pandas_twin_uses_zhongtais_null_words_totals_words_and_blanks() -> None:
    from zhongtai.warehouse.ingest import parsers, validate

    assert _pandas_ingest.NULL_TOKENS == parsers.NULL_TOKENS
    assert _pandas_ingest.TOTALS_WORDS == validate.TOTALS_WORDS
    assert _pandas_ingest.WHITESPACE == parsers.WHITESPACE
