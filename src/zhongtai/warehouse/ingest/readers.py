"""Readers: turn an input file into a staging table of text cells with exact row numbers.

Every reader produces the same thing, a temporary DuckDB table ``<name>`` with ``_row`` (the
row number a user sees: the CSV record / Excel row / JSONL line, header included, counting from
1) and one VARCHAR column ``c0 … cN`` per source column, plus ``<name>_rejects`` holding rows the
reader itself could not split into cells (``_row``, ``rule``, ``raw``). Typing and validation
happen later, in SQL, over these cells.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlglot import exp

from zhongtai.errors import IngestError
from zhongtai.warehouse._sql import col, fn, fragment, ident, lit, render, run, scalar, tbl, temp_table
from zhongtai.warehouse.ingest import files
from zhongtai.warehouse.ingest.mapping import Mapping, normalise_header

__all__ = ["Staged", "stage_file"]

BATCH = 50_000
TYPED_PARQUET = (
    "DECIMAL",
    "BIGINT",
    "INTEGER",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "DOUBLE",
    "FLOAT",
    "DATE",
    "TIMESTAMP",
    "BOOLEAN",
)
"""Parquet types whose values are read as they are (``o<i>``), without going through text."""
HEADER_SCAN_ROWS = 30
SAMPLE_BYTES = 256 * 1024
_CSV_REJECT_RULES = {
    "MISSING COLUMNS": "csv.missing_columns",
    "TOO MANY COLUMNS": "csv.too_many_columns",
    "UNQUOTED VALUE": "csv.unterminated_quote",
    "INVALID ENCODING": "csv.invalid_encoding",
    "LINE SIZE OVER MAXIMUM": "csv.line_too_long",
}
Progress = Callable[[int], None]


@dataclass(slots=True)
class Staged:
    """What a reader produced."""

    table: str
    headers: list[str]
    header_row: int
    rows: int
    reader_rejects: int
    format: str
    encoding: str
    source_types: dict[str, str] = field(default_factory=dict)  # Parquet physical types by header
    typed_cells: dict[int, str] = field(default_factory=dict)  # cell -> physical type, staged as ``o<i>``

    @property
    def rejects_table(self) -> str:
        return self.table + "_rejects"


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    *,
    name: str,
    tmp_dir: Path,
    progress: Progress | None = None,
) -> Staged:
    """Read ``path`` into temporary table ``name`` (see module docstring)."""
    fmt = files.detect_format(path, mapping.format)
    expected = _expected_headers(mapping)
    _create_rejects(con, name)
    if fmt == "csv":
        return _stage_csv(con, path, mapping, expected, name, tmp_dir)
    if fmt == "xlsx":
        return _stage_xlsx(con, path, mapping, expected, name, progress)
    if fmt == "parquet":
        return _stage_parquet(con, path, name)
    if fmt == "jsonl":
        return _stage_jsonl(con, path, mapping, expected, name, tmp_dir, progress)
    raise IngestError("ingest.unknown_format", file=path.name, format=fmt)


def _expected_headers(mapping: Mapping) -> set[str]:
    return {
        normalise_header(h) for spec in mapping.tables.values() for c in spec.columns.values() for h in c.headers
    } | {normalise_header(r.column) for spec in mapping.tables.values() for r in spec.when}


def _create_rejects(con: duckdb.DuckDBPyConnection, name: str) -> None:
    run(
        con,
        fragment("CREATE OR REPLACE TEMP TABLE :t (_row BIGINT, rule VARCHAR, raw VARCHAR)", t=tbl(name + "_rejects")),
    )


def _pick_header(rows: Sequence[Sequence[str]], expected: set[str], declared: int | None) -> int:
    """Index of the header row: declared (1-based), else the row matching most expected names."""
    if declared is not None:
        if declared < 1 or declared > len(rows):
            raise IngestError("ingest.bad_header_row", header_row=declared)
        return declared - 1
    best, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = sum(1 for cell in row if cell and normalise_header(str(cell)) in expected)
        if score > best_score:
            best, best_score = index, score
    if best >= 0:
        return best
    return next((i for i, row in enumerate(rows) if any(str(c).strip() for c in row)), 0)


def _column_names(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


def _clean_headers(cells: Sequence[Any], file_name: str) -> list[str]:
    headers = ["" if c is None else str(c).replace("\ufeff", "").strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise IngestError("ingest.no_header", file=file_name)
    return headers


# --- CSV ------------------------------------------------------------------------------------


def _stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    expected: set[str],
    name: str,
    tmp_dir: Path,
    forced_encoding: str | None = None,
) -> Staged:
    encoding = forced_encoding or files.detect_encoding(path, mapping.encoding)
    source = path
    if encoding != files.UTF8:
        source = files.transcode_to_utf8(path, encoding, tmp_dir / f"{name}.utf8.csv")
    sample, complete = files.read_text_sample(source, files.UTF8, SAMPLE_BYTES)
    if not sample.strip():
        raise IngestError("ingest.empty_file", file=path.name)
    delimiter = mapping.delimiter or _sniff_delimiter(sample)
    records, ends = _sample_records(sample, delimiter, complete)
    if not records:
        raise IngestError("ingest.no_header", file=path.name)
    header_index = _pick_header(records, expected, mapping.header_row)
    if encoding == files.UTF8:
        _check_header_encoding(path, source, ends[header_index])
    headers = _clean_headers(records[header_index], path.name)
    header_row = header_index + 1
    columns = _column_names(len(headers))
    raw0 = name + "_csv"
    options = {
        "auto_detect": False,
        "header": True,
        "skip": header_index,  # DuckDB skips records (quote-aware, blank ones included), not lines
        "delim": delimiter,
        "quote": '"',
        "escape": '"',
        "store_rejects": True,
        "rejects_table": name + "_csvrej",
        "rejects_scan": name + "_csvscan",
        "max_line_size": 8 * 1024 * 1024,
        "columns": dict.fromkeys(columns, "VARCHAR"),
    }
    reader = _table_function("read_csv", str(source), options)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the blank-line scan (zlib and bytes.find release the GIL) overlaps DuckDB's read
        blanks_possible = pool.submit(files.blank_line_possible, source)
        try:
            run(con, fragment("CREATE OR REPLACE TEMP TABLE :t AS SELECT * FROM :src", t=tbl(raw0), src=reader))
        except duckdb.OutOfMemoryException:
            raise
        except duckdb.Error as exc:
            blanks_possible.cancel()
            if "gzip" in str(exc).lower():
                raise files.damaged(path) from None
            raise IngestError("ingest.unreadable", file=path.name, detail=_safe_detail(exc)) from None
        has_blank_lines = blanks_possible.result()
    bad = con.execute(
        render(
            fragment(
                "SELECT line, MIN(error_type), ANY_VALUE(csv_line) FROM :r GROUP BY line ORDER BY line",
                r=tbl(name + "_csvrej"),
            )
        )
    ).fetchall()
    temporaries: tuple[str, ...] = (raw0, name + "_csvrej", name + "_csvscan")
    if forced_encoding is None and _misdetected_utf8(path, mapping, encoding, [kind for _, kind, _ in bad]):
        for temp in temporaries:
            run(con, fragment("DROP TABLE IF EXISTS :t", t=tbl(temp)))
        return _stage_csv(con, path, mapping, expected, name, tmp_dir, forced_encoding=files.GB18030)
    missing = {int(line) for line, _, _ in bad}
    if has_blank_lines:
        missing |= _blank_records(source, delimiter)
    total = _count(con, raw0)
    first_data = header_row + 1
    if missing:
        _numbered_with_gaps(con, raw0, name, columns, first_data, total, sorted(m for m in missing if m > header_row))
        dropped = temporaries
    else:
        # every record came back in order: number them with a view instead of copying the file
        run(
            con,
            fragment(
                "CREATE OR REPLACE TEMP VIEW :t AS SELECT CAST(rowid AS BIGINT) + :first AS _row, * FROM :s",
                t=tbl(name),
                s=tbl(raw0),
                first=lit(first_data),
            ),
        )
        dropped = temporaries[1:]
    if bad:
        rows = [
            (
                int(line),
                _CSV_REJECT_RULES.get(kind, "csv.malformed_row"),
                json.dumps({"_line": str(text).strip("\r\n")}, ensure_ascii=False),
            )
            for line, kind, text in bad
        ]
        temp_table(con, "zt_csv_bad", {"_row": "BIGINT", "rule": "VARCHAR", "raw": "VARCHAR"}, rows)
        run(con, fragment("INSERT INTO :t SELECT * FROM zt_csv_bad", t=tbl(name + "_rejects")))
        run(con, fragment("DROP TABLE zt_csv_bad"))
    for temp in dropped:
        run(con, fragment("DROP TABLE IF EXISTS :t", t=tbl(temp)))
    return Staged(name, headers, header_row, total, len(bad), "csv", encoding)


def _check_header_encoding(path: Path, source: Path, header_lines: int) -> None:
    """Refuse a file whose header is not valid UTF-8: nothing could match the mapping, and the
    usual cause is a GBK export declared (or taken) as UTF-8."""
    bad = files.first_invalid(source, files.UTF8, SAMPLE_BYTES)
    if bad is None or bad[0] > header_lines:
        return
    line, byte = bad
    if files.first_invalid(path, files.GB18030, files.SAMPLE) is None:
        raise IngestError(
            "ingest.wrong_encoding", file=path.name, encoding=files.UTF8, line=line, byte=byte, detected=files.GB18030
        )
    raise IngestError("ingest.decode_error", file=path.name, encoding=files.UTF8, line=line, byte=byte)


def _misdetected_utf8(path: Path, mapping: Mapping, encoding: str, reject_kinds: list[str]) -> bool:
    """A GBK file whose first MiB is plain ASCII passes for UTF-8 until its first Chinese text;
    when such rows failed to decode and the whole file is valid GB18030, read it as GB18030."""
    return (
        mapping.encoding == "auto"
        and encoding == files.UTF8
        and any(kind in ("INVALID ENCODING", "csv.invalid_encoding") for kind in reject_kinds)
        and files.ascii_head(path)
        and files.decodes_fully(path, files.GB18030)
    )


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample[: 64 * 1024], delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _sample_records(sample: str, delimiter: str, complete: bool) -> tuple[list[list[str]], list[int]]:
    """The first records of the sample and the number of physical lines read through each."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    records: list[list[str]] = []
    ends: list[int] = []
    try:
        while len(records) < HEADER_SCAN_ROWS + 1:
            row = next(reader)
            records.append(row)
            ends.append(reader.line_num)
    except StopIteration:
        pass
    except csv.Error:
        pass
    if not complete and len(records) > 1:
        records, ends = records[:-1], ends[:-1]
    return records, ends


def _blank_records(path: Path, delimiter: str) -> set[int]:
    """Record numbers (1-based) of empty lines, counted the way DuckDB counts records."""
    blanks: set[int] = set()
    with path.open(encoding=files.UTF8, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                if not row:
                    blanks.add(number)
        except csv.Error:
            pass
    return blanks


def _numbered_with_gaps(
    con: duckdb.DuckDBPyConnection,
    raw0: str,
    name: str,
    columns: list[str],
    first: int,
    total: int,
    gaps: list[int],
) -> None:
    """Number rows when some records were not returned (rejected or blank)."""
    temp_table(con, "zt_gaps", {"n": "BIGINT"}, [(g,) for g in gaps])
    query = fragment(
        "CREATE OR REPLACE TEMP TABLE :t AS "
        "WITH nums AS (SELECT n, ROW_NUMBER() OVER (ORDER BY n) - 1 AS i FROM ("
        "  SELECT range AS n FROM range(:first, :last) WHERE range NOT IN (SELECT n FROM zt_gaps))) "
        "SELECT nums.n AS _row, s.* EXCLUDE (i) FROM (SELECT rowid AS i, * FROM :s) AS s JOIN nums USING (i) "
        "ORDER BY _row",
        t=tbl(name),
        s=tbl(raw0),
        first=lit(first),
        last=lit(first + total + len(gaps)),
    )
    run(con, query)
    run(con, fragment("DROP TABLE zt_gaps"))


# --- Excel ----------------------------------------------------------------------------------


def _stage_xlsx(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    expected: set[str],
    name: str,
    progress: Progress | None,
) -> Staged:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        sheet = _pick_sheet(book, mapping.sheet, path.name)
        first_row = int(getattr(sheet, "start", (0, 0))[0] or 0) if getattr(sheet, "start", None) else 0
        merged = _merged_ranges(sheet)
        rows_iter = iter(sheet.iter_rows())
        head: list[list[Any]] = []
        for row in rows_iter:
            head.append(list(row))
            if len(head) > HEADER_SCAN_ROWS:
                break
    except IngestError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise _workbook_error(path, exc) from None
    if not head or not any(_cell_text(c) for row in head for c in row):
        raise IngestError("ingest.empty_file", file=path.name)
    text_head = [[_cell_text(c) or "" for c in row] for row in head]
    header_index = _pick_header(text_head, expected, mapping.header_row)
    header_cells, last_header = _header_band(text_head, header_index, merged, first_row)
    headers = _clean_headers(header_cells, path.name)
    width = len(headers)
    header_row = first_row + header_index + 1
    fill_down = _FillDown(merged)

    def data_rows() -> Iterator[tuple[int, list[str | None]]]:
        number = first_row + last_header + 1
        for row in head[last_header + 1 :]:
            number += 1
            yield number, fill_down.apply(number, [_cell_text(c) for c in row])
        for row in rows_iter:
            number += 1
            yield number, fill_down.apply(number, [_cell_text(c) for c in row])

    try:
        total = _write_batches(con, name, width, data_rows(), progress)
    except IngestError:
        raise
    except duckdb.Error:
        raise
    except Exception as exc:
        raise _workbook_error(path, exc) from None
    return Staged(name, headers, header_row, total, 0, "xlsx", "xlsx")


def _merged_ranges(sheet: Any) -> Merged:
    """The sheet's merged cells as ``((row, col), (last row, last col))``, 0-based; none for
    formats whose reader does not report merges."""
    try:
        ranges = getattr(sheet, "merged_cell_ranges", None) or []
    except Exception:  # calamine raises for formats without merge information
        return []
    return [((int(r0), int(c0)), (int(r1), int(c1))) for (r0, c0), (r1, c1) in ranges]


def _workbook_error(path: Path, exc: BaseException) -> IngestError:
    if "zip" in type(exc).__name__.lower() or "zip" in str(exc).lower():
        return IngestError("ingest.damaged_file", file=path.name, format="xlsx")
    return IngestError("ingest.unreadable", file=path.name, detail=type(exc).__name__)


def _pick_sheet(book: Any, wanted: str | int | None, file_name: str) -> Any:
    names = list(book.sheet_names)
    if wanted is None:
        return book.get_sheet_by_index(0)
    if isinstance(wanted, int):
        if 0 <= wanted < len(names):
            return book.get_sheet_by_index(wanted)
    elif wanted in names:
        return book.get_sheet_by_name(wanted)
    raise IngestError("ingest.no_such_sheet", file=file_name, sheet=str(wanted), sheets=", ".join(names))


Merged = list[tuple[tuple[int, int], tuple[int, int]]]


def _header_band(rows: list[list[str]], header_index: int, merged: Merged, first_row: int) -> tuple[list[str], int]:
    """The header cells and the index (in ``rows``) of the header's last row.

    A header may span several rows: cells merged down over two rows (``订单号``) beside a group
    title merged across (``商品`` over ``数量`` / ``单价``). The band is every row such vertical
    merges join to the chosen header row; each column is named by its lowest non-empty label,
    a merged cell's value counting for every cell the merge covers.
    """
    top = bottom = header_index
    grown = True
    while grown:
        grown = False
        for (r0, _), (r1, _) in merged:
            a, b = r0 - first_row, r1 - first_row
            if b > a and a <= bottom and b >= top:
                if 0 <= a < top:
                    top, grown = a, True
                if bottom < b < len(rows):
                    bottom, grown = b, True
    width = max(len(r) for r in rows[: bottom + 1])
    band = [list(r) + [""] * (width - len(r)) for r in rows[top : bottom + 1]]
    for (r0, c0), (r1, c1) in merged:
        a, b = r0 - first_row, r1 - first_row
        if b < top or a > bottom or not 0 <= a < len(rows):
            continue
        value = rows[a][c0] if c0 < len(rows[a]) else ""
        for r in range(max(a, top), min(b, bottom) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if not band[r - top][c]:
                    band[r - top][c] = value
    cells = [next((row[c] for row in reversed(band) if row[c].strip()), "") for c in range(width)]
    return cells, bottom


class _FillDown:
    """Data cells merged down over several rows (an order id merged over its lines) carry the
    merge's value in every row, as the spreadsheet shows it. Rows arrive in order, so only the
    merges open at the current row are looked at."""

    def __init__(self, merged: Merged) -> None:
        spans = sorted((r0 + 1, r1 + 1, c0, c1) for (r0, c0), (r1, c1) in merged if r1 > r0)  # 1-based rows
        self._pending = collections.deque(spans)
        self._open: list[tuple[int, int, int, str | None]] = []  # (last row, first col, last col, value)

    def apply(self, number: int, cells: list[str | None]) -> list[str | None]:
        if not self._pending and not self._open:
            return cells
        self._open = [span for span in self._open if span[0] >= number]
        for _, c0, c1, value in self._open:
            if len(cells) <= c1:
                cells = cells + [None] * (c1 + 1 - len(cells))
            for c in range(c0, c1 + 1):
                if cells[c] is None:
                    cells[c] = value
        while self._pending and self._pending[0][0] <= number:
            r0, r1, c0, c1 = self._pending.popleft()
            if r0 == number:  # a merge that starts above the data (in the header) is the header's
                self._open.append((r1, c0, c1, cells[c0] if c0 < len(cells) else None))
        return cells


def _cell_text(value: Any) -> str | None:
    """Excel cell as text; integral floats lose ``.0`` only while they are exact (< 2**53)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _write_batches(
    con: duckdb.DuckDBPyConnection,
    name: str,
    width: int,
    rows: Iterable[tuple[int, list[str | None]]],
    progress: Progress | None,
) -> int:
    columns = _column_names(width)
    schema = pa.schema([("_row", pa.int64())] + [(c, pa.string()) for c in columns])
    con.register("zt_batch", schema.empty_table())
    run(con, fragment("CREATE OR REPLACE TEMP TABLE :t AS SELECT * FROM zt_batch", t=tbl(name)))
    total = 0
    numbers: list[int] = []
    buffers: list[list[str | None]] = [[] for _ in columns]
    insert = render(fragment("INSERT INTO :t SELECT * FROM zt_batch", t=tbl(name)))

    def flush() -> None:
        batch = pa.table([pa.array(numbers, pa.int64())] + [pa.array(b, pa.string()) for b in buffers], schema=schema)
        con.register("zt_batch", batch)
        con.execute(insert)
        numbers.clear()
        for b in buffers:
            b.clear()
        if progress:
            progress(batch.num_rows)

    for number, cells in rows:
        if not any(c is not None and str(c).strip() for c in cells):
            continue  # a wholly empty sheet row carries no data
        numbers.append(number)
        for i in range(width):
            buffers[i].append(cells[i] if i < len(cells) else None)
        extra = [c for c in cells[width:] if c is not None and str(c).strip()]
        if extra:
            _add_reject(con, name, number, "csv.too_many_columns", cells)
            numbers.pop()
            for b in buffers:
                b.pop()
            continue
        total += 1
        if len(numbers) >= BATCH:
            flush()
    if numbers:
        flush()
    con.unregister("zt_batch")
    return total


def _add_reject(con: duckdb.DuckDBPyConnection, name: str, row: int, rule: str, cells: Sequence[Any]) -> None:
    raw = json.dumps({"_cells": [None if c is None else str(c) for c in cells]}, ensure_ascii=False)
    _add_reject_raw(con, name, row, rule, raw)


# --- Parquet --------------------------------------------------------------------------------


def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> Staged:
    reader = _table_function("read_parquet", str(path), {"file_row_number": True})
    try:
        described = run(con, fragment("DESCRIBE SELECT * FROM :src", src=reader))
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        raise _parquet_error(path, exc) from None
    fields = [(str(r[0]), str(r[1])) for r in described if str(r[0]) != "file_row_number"]
    if not fields:
        raise IngestError("ingest.no_header", file=path.name)
    typed = {i: kind.upper() for i, (_, kind) in enumerate(fields) if kind.upper().startswith(TYPED_PARQUET)}
    query = fragment("CREATE OR REPLACE TEMP VIEW :t AS SELECT 1 FROM :src", t=tbl(name), src=reader)
    select = query.find(exp.Select)
    assert select is not None
    select.set(
        "expressions",
        [fragment("CAST(file_row_number AS BIGINT) + 2").as_("_row")]
        + [_to_text(col(f)).as_(f"c{i}") for i, (f, _) in enumerate(fields)]
        + [col(fields[i][0]).as_(f"o{i}") for i in typed],
    )
    try:
        run(con, query)
        rows = _count(con, name)
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        raise _parquet_error(path, exc) from None
    staged = Staged(name, [f for f, _ in fields], 1, rows, 0, "parquet", "binary")
    staged.source_types = dict(fields)
    staged.typed_cells = typed
    return staged


def _parquet_error(path: Path, exc: duckdb.Error) -> IngestError:
    """A Parquet file that starts right but cannot be read was cut short or damaged (its footer,
    which holds the schema, is written last)."""
    with path.open("rb") as handle:
        starts_right = handle.read(4) == b"PAR1"
    if starts_right and isinstance(exc, duckdb.InvalidInputException | duckdb.IOException):
        return IngestError("ingest.damaged_file", file=path.name, format="parquet")
    return IngestError("ingest.unreadable", file=path.name, detail=_safe_detail(exc))


def _to_text(node: exp.Expr) -> exp.Expr:
    return fragment("CAST(:v AS VARCHAR)", v=node)


# --- JSON Lines -----------------------------------------------------------------------------


def _stage_jsonl(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    expected: set[str],
    name: str,
    tmp_dir: Path,
    progress: Progress | None,
    forced_encoding: str | None = None,
) -> Staged:
    encoding = forced_encoding or files.detect_encoding(path, mapping.encoding)
    source = path
    if encoding != files.UTF8:
        source = files.transcode_to_utf8(path, encoding, tmp_dir / f"{name}.utf8.jsonl")
    sample, _ = files.read_text_sample(source, files.UTF8, 4096)
    if sample.lstrip().startswith("["):
        raise IngestError("ingest.json_array", file=path.name)
    headers: list[str] = []
    index: dict[str, int] = {}
    rejects: list[tuple[int, str, str]] = []
    seen_any = False

    def reject(number: int, rule: str, data: bytes) -> None:
        text = data.decode(files.UTF8, errors="replace").strip("\r\n")[:2000]
        rejects.append((number, rule, json.dumps({"_line": text}, ensure_ascii=False)))

    def rows() -> Iterator[tuple[int, list[str | None]]]:
        # lines are split as bytes and decoded one by one: a line that is not UTF-8 is
        # quarantined alone and reading goes on
        nonlocal seen_any
        with files.open_bytes(source) as raw:
            number = 0
            try:
                for data in raw:
                    number += 1
                    if number == 1:
                        data = data.removeprefix(codecs.BOM_UTF8)
                    try:
                        line = data.decode(files.UTF8)
                    except UnicodeDecodeError:
                        seen_any = True
                        reject(number, "csv.invalid_encoding", data)
                        continue
                    if not line.strip():
                        continue
                    seen_any = True
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError:
                        reject(number, "jsonl.invalid_json", data)
                        continue
                    if not isinstance(record, dict):
                        reject(number, "jsonl.not_an_object", data)
                        continue
                    cells: list[str | None] = [None] * len(headers)
                    for key, value in record.items():
                        slot = index.get(key)
                        if slot is None:
                            slot = len(headers)
                            headers.append(key)
                            index[key] = slot
                            cells.append(None)
                        cells[slot] = _json_text(value)
                    yield number, cells
            except files.STREAM_ERRORS:
                raise files.damaged(path) from None

    total = _write_dynamic(con, name, rows(), headers, progress)
    if not seen_any:
        raise IngestError("ingest.empty_file", file=path.name)
    kinds = [rule for _, rule, _ in rejects]
    if forced_encoding is None and _misdetected_utf8(path, mapping, encoding, kinds):
        return _stage_jsonl(con, path, mapping, expected, name, tmp_dir, progress, forced_encoding=files.GB18030)
    if not headers:
        raise IngestError("ingest.not_jsonl", file=path.name, line=rejects[0][0] if rejects else 1)
    for number, rule, raw in rejects:
        _add_reject_raw(con, name, number, rule, raw)
    return Staged(name, headers, 0, total, len(rejects), "jsonl", encoding)


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _write_dynamic(
    con: duckdb.DuckDBPyConnection,
    name: str,
    rows: Iterator[tuple[int, list[str | None]]],
    headers: list[str],
    progress: Progress | None,
) -> int:
    """Write rows whose width can grow (JSON keys appear as they come) in Arrow batches."""
    created_width = -1
    numbers: list[int] = []
    buffered: list[list[str | None]] = []
    total = 0

    def flush() -> None:
        nonlocal created_width
        width = len(headers)
        if created_width < 0:
            run(con, fragment("CREATE OR REPLACE TEMP TABLE :t (_row BIGINT)", t=tbl(name)))
            created_width = 0
        for i in range(created_width, width):
            run(con, fragment("ALTER TABLE :t ADD COLUMN :c VARCHAR", t=tbl(name), c=ident(f"c{i}")))
        created_width = width
        arrays = [pa.array(numbers, pa.int64())] + [
            pa.array([r[i] if i < len(r) else None for r in buffered], pa.string()) for i in range(width)
        ]
        batch = pa.table(arrays, names=["_row", *_column_names(width)])
        con.register("zt_batch", batch)
        run(con, fragment("INSERT INTO :t BY NAME SELECT * FROM zt_batch", t=tbl(name)))
        con.unregister("zt_batch")
        if progress:
            progress(len(numbers))
        numbers.clear()
        buffered.clear()

    for number, cells in rows:
        numbers.append(number)
        buffered.append(cells)
        total += 1
        if len(numbers) >= BATCH:
            flush()
    if numbers or created_width < 0:
        flush()
    return total


def _add_reject_raw(con: duckdb.DuckDBPyConnection, name: str, row: int, rule: str, raw: str) -> None:
    run(
        con,
        fragment(
            "INSERT INTO :t VALUES (:row, :rule, :raw)",
            t=tbl(name + "_rejects"),
            row=lit(row),
            rule=lit(rule),
            raw=lit(raw),
        ),
    )


# --- helpers --------------------------------------------------------------------------------


def _table_function(name: str, path: str, options: dict[str, Any]) -> exp.Table:
    args: list[exp.Expr] = [lit(path)]
    for key, value in options.items():
        if isinstance(value, dict):
            node: exp.Expr = exp.Struct(
                expressions=[exp.PropertyEQ(this=exp.Literal.string(k), expression=lit(v)) for k, v in value.items()]
            )
        else:
            node = lit(value)
        args.append(exp.EQ(this=exp.column(key), expression=node))
    return exp.Table(this=fn(name, *args))


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    return int(scalar(con, fragment("SELECT COUNT(*) FROM :t", t=tbl(name))) or 0)


def _safe_detail(exc: BaseException) -> str:
    """The first line of an engine error, cut before anything that could quote file content."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for marker in ("Original Line", "line:", "value"):
        cut = first.find(marker)
        if cut > 0:
            first = first[:cut]
    return first[:200]
