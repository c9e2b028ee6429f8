"""The cheaper SQL forms the parsers use give exactly what the plain forms give.

Each rewrite in ``parsers`` replaces a plain expression by a cheaper one with the same value on
every string (``STARTS_WITH`` → a byte range, ``c[1] <= ' '`` → ``c < '!'``). Each is checked here
against the plain form, evaluated by
DuckDB itself, on strings chosen to sit on every boundary: empty, control characters, blanks of
every kind, the characters either side of each prefix, non-ASCII letters whose lower case is
ASCII (``İ`` → ``i``, the Kelvin sign → ``k``), every null token in several letter cases, and NULL.

The duplicate check now reads back only the rows of hash groups; it is compared with duplicates
counted in Python on files full of repeated rows (CSV and Parquet, with empty and NULL cells).
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bad_input_helpers import HEADER, load, problems, write
from sqlglot import exp

from zhongtai.warehouse._sql import col, fragment, lit, render
from zhongtai.warehouse.ingest import parsers
from zhongtai.warehouse.ingest.validate import TOTALS_WORDS, _totals_row
from zhongtai.workspace import Workspace

BOUNDARY = [
    "",
    " ",
    "\t",
    "\x01",
    "\x1f",
    "!",
    '"',
    "#",
    "'",
    "''",
    "'a",
    "(",
    "&",
    "=",
    '="',
    '=""',
    '="1"',
    "=#",
    "=!",
    "==",
    '="\u3000"',
    " a",
    "a ",
    "a\t",
    "\u3000a",
    "a\u3000",
    "\u00a0a",
    "\ufeffa",
    "a\u0301",
    " \u0301",
    "é",
    "中文",
    "ａｂｃ",
    "🙂",
    "abc",
    "12345",
    "-",
    "--",
    "---",
    "/",
    "无",
    "空",
    "无 ",
    "İ",
    "nİl",
    "NİL",
    "\u212a",
    "nulls",
    "#N/A ",
    "none?",
    "nan1",
]
TOKEN_CASES = [v for t in parsers.NULL_TOKENS for v in (t, t.upper(), t.title(), t.swapcase())]
TOTALS_CASES = [v for w in TOTALS_WORDS for v in (w, w.upper(), w + ":", w + "：", w.title() + " :： ", " " + w)]
CORPUS = [*BOUNDARY, *TOKEN_CASES, *parsers.TEXT_NULL_TOKENS, *TOTALS_CASES, "totally", "sum1", "合计金额"]


@pytest.fixture(scope="module")
def strings() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE s (i INTEGER, c VARCHAR)")
    con.executemany("INSERT INTO s VALUES (?, ?)", [(i, v) for i, v in enumerate(CORPUS)])
    con.execute("INSERT INTO s VALUES (-1, NULL)")
    return con


def _same(con: duckdb.DuckDBPyConnection, fast: exp.Expr, plain: exp.Expr) -> list[tuple[object, ...]]:
    """Rows of the corpus on which the two expressions differ (NULL counts as a value)."""
    query = fragment(
        "SELECT c, :f AS fast, :p AS plain FROM s WHERE :f2 IS DISTINCT FROM :p2 ORDER BY i",
        f=fast,
        p=plain,
        f2=fast.copy(),
        p2=plain.copy(),
    )
    return list(con.execute(render(query)).fetchall())


def test_corpus_reaches_every_token_and_boundary(strings: duckdb.DuckDBPyConnection) -> None:
    lowered = {row[0] for row in strings.execute("SELECT LOWER(c) FROM s").fetchall()}
    assert set(parsers.NULL_TOKENS) <= lowered
    assert strings.execute("SELECT LOWER('nİl'), LOWER('\u212a')").fetchall() == [("nil", "k")]


@pytest.mark.parametrize("prefix", ['="', "'"])
def test_prefix_range_is_starts_with(strings: duckdb.DuckDBPyConnection, prefix: str) -> None:
    plain = fragment("STARTS_WITH(:c, :p)", c=col("c"), p=lit(prefix))
    assert _same(strings, parsers.has_prefix(col("c"), prefix), plain) == []
    hits = strings.execute(render(fragment("SELECT COUNT(*) FROM s WHERE :e", e=plain.copy()))).fetchall()[0][0]
    assert hits >= 3  # the corpus holds several strings with the prefix, so the check can fail


def test_prefix_range_refuses_a_prefix_it_cannot_bound() -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        parsers.has_prefix(col("c"), "~")
    with pytest.raises(ValueError, match="printable ASCII"):
        parsers.has_prefix(col("c"), "元")


def test_blank_edge_first_byte_compare_is_first_character(strings: duckdb.DuckDBPyConnection) -> None:
    wide = exp.Tuple(expressions=[lit(ch) for ch in parsers.WHITESPACE if ord(ch) > 127])
    plain = fragment(
        "(:r[1] <= ' ' OR :r[-1] <= ' ' OR (STRLEN(:r) <> LENGTH(:r) AND (:r[1] IN :w OR :r[-1] IN :w)))",
        r=col("c"),
        w=wide,
    )
    assert _same(strings, parsers.blank_edge(col("c")), plain) == []


def test_totals_row_list_lookup_is_the_in_list(strings: duckdb.DuckDBPyConnection) -> None:
    plain = fragment(
        "COALESCE(RTRIM(LOWER(:f), ':： ') IN :w, FALSE)",
        f=col("c"),
        w=exp.Tuple(expressions=[lit(w) for w in TOTALS_WORDS]),
    )
    assert _same(strings, _totals_row(col("c")), plain) == []
    hits = strings.execute(render(fragment("SELECT COUNT(*) FROM s WHERE :e", e=plain.copy()))).fetchall()[0][0]
    assert hits >= 5 * len(TOTALS_WORDS)  # " total" keeps its leading blank and is no totals word here


def test_typed_and_free_text_stages_match_their_plain_forms(strings: duckdb.DuckDBPyConnection) -> None:
    tokens = exp.Tuple(expressions=[lit(t) for t in parsers.NULL_TOKENS])
    plain_typed = fragment(
        "CASE WHEN LOWER(:g) IN :tokens THEN NULL WHEN STARTS_WITH(:g, :q) THEN NULLIF(SUBSTR(:g, 2), '') ELSE :g END",
        g=col("c"),
        q=lit("'"),
        tokens=tokens,
    )
    assert _same(strings, parsers.typed_text(col("c")), plain_typed) == []
    plain_text = fragment(
        "CASE WHEN :t IN :tokens THEN NULL WHEN STARTS_WITH(:t, :q) THEN "
        "CASE WHEN REGEXP_FULL_MATCH(SUBSTR(:t, 2), '[+0-9][0-9 -]*') THEN SUBSTR(:t, 2) ELSE :t END "
        "ELSE :t END",
        t=col("c"),
        q=lit("'"),
        tokens=exp.Tuple(expressions=[lit(x) for x in parsers.TEXT_NULL_TOKENS]),
    )
    assert _same(strings, parsers.text_value(col("c")), plain_text) == []
    plain_clean = fragment(
        "CASE WHEN :r = '' THEN NULL WHEN STARTS_WITH(:r, '=\"') AND ENDS_WITH(:r, '\"') AND LENGTH(:r) >= 3 "
        "THEN NULLIF(TRIM(SUBSTR(:r, 3, LENGTH(:r) - 3), :ws), '') ELSE :r END",
        r=col("c"),
        ws=lit(parsers.WHITESPACE),
    )
    assert _same(strings, parsers.clean_text(col("c")), plain_clean) == []


# -- exact duplicates ---------------------------------------------------------------------------

ONE_TABLE_COLUMNS = ("订单号", "客户", "下单时间", "SKU", "数量", "单价")


def _repeated_rows(seed: int, count: int) -> list[tuple[str, str, str, str, str, str]]:
    """Lines drawn from a small alphabet, so that many repeat exactly (some three times or more)."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        lines.append(
            (
                f"A{rng.randint(1, 4)}",
                rng.choice(["c1", "c2"]),
                "2025-03-08",
                rng.choice(["s1", "s2", "s3", ""]),
                str(rng.randint(1, 2)),
                rng.choice(["9.9", "5", ""]),
            )
        )
    return lines


def _expected_duplicates(lines: list[tuple[str, ...]], first_row: int = 2) -> list[int]:
    seen: set[tuple[str, ...]] = set()
    duplicates = []
    for number, line in enumerate(lines, start=first_row):
        if line in seen:
            duplicates.append(number)
        seen.add(line)
    return duplicates


def _duplicate_rows(result: object) -> list[int]:
    return [row for row, _, _, rule in problems(result) if rule == "row.duplicate"]  # type: ignore[arg-type]


def test_duplicates_in_csv_match_python(workspace: Workspace, tmp_path: Path) -> None:
    lines = _repeated_rows(7, 60)
    expected = _expected_duplicates(lines)
    assert len(expected) >= 8
    assert max(lines.count(line) for line in lines) >= 3
    content = HEADER + "".join(",".join(line) + "\n" for line in lines)
    result = load(workspace, write(tmp_path, "repeated.csv", content))
    assert _duplicate_rows(result) == expected


def test_duplicates_in_parquet_match_python_with_null_cells(workspace: Workspace, tmp_path: Path) -> None:
    lines = _repeated_rows(11, 80)
    cells = [tuple(None if v == "" else v for v in line) for line in lines]
    expected = _expected_duplicates(lines)  # NULL equals NULL for this rule, as "" equals ""
    columns = list(zip(*cells, strict=True))
    table = pa.table(
        {name: pa.array(values, pa.string()) for name, values in zip(ONE_TABLE_COLUMNS, columns, strict=True)}
    )
    pq.write_table(table, tmp_path / "repeated.parquet")
    result = load(workspace, tmp_path / "repeated.parquet")
    assert _duplicate_rows(result) == expected
    assert result.record is not None
    assert result.record.rows_quarantined >= len(expected)


def test_file_without_repeated_rows_marks_none(workspace: Workspace, tmp_path: Path) -> None:
    content = HEADER + "A1,c1,2025-03-08,s1,1,9.9\nA1,c1,2025-03-08,s2,1,9.9\nA2,c1,2025-03-08,s1,1,9.9\n"
    result = load(workspace, write(tmp_path, "distinct.csv", content))
    assert problems(result) == []
    assert result.record is not None
    assert result.record.rows_loaded == 3
