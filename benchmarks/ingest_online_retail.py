"""Benchmark: ingest UCI Online Retail (541,909 rows) with full validation, beside the alternatives.

The target (ingest issue): zhongtai's ingest with full validation within 2x of a bare DuckDB
``read_csv`` of the same file, reported beside an idiomatic vectorised pandas pipeline that
applies the same rules. In one run, each variant runs ``--repeat`` times in a fresh process,
round-robin (so a burst of load on the machine hits every variant alike):

- bare DuckDB: ``CREATE TABLE t AS SELECT * FROM read_csv(path)`` into a fresh DuckDB file,
  connect → close (the closest analogue of a load that persists data);
- bare DuckDB with ``all_varchar`` (what zhongtai's reader does first), for context;
- zhongtai: ``ingest_file`` into a fresh workspace + closing it (creating it is not timed);
- pandas: ``read_csv(dtype=str)`` + the same rules + DuckDB write (``_pandas_ingest``).

zhongtai and pandas must agree on the rows of orders, order_items and refunds and on the
quarantined rows; the run fails if they do not.

    python benchmarks/ingest_online_retail.py [--data FILE] [--repeat 5] [--write]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    ONLINE_RETAIL,
    WORK_DIR,
    BenchmarkError,
    Run,
    Runner,
    Summary,
    fmt_bytes,
    fmt_seconds,
    load_average,
    machine,
    machine_line,
    markdown_table,
    run_child,
    update_section,
)

SECTION = "ingest_online_retail"
COUNTED = ("orders", "order_items", "refunds", "quarantined")
VARIANTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("duckdb", "bare DuckDB `read_csv` → table", ("duckdb",)),
    ("duckdb_varchar", "bare DuckDB `read_csv(all_varchar)` → table", ("duckdb", "--all-varchar")),
    ("zhongtai", "zhongtai `ingest_file` (full validation, 3 tables + quarantine)", ("zhongtai",)),
    ("pandas", "pandas `read_csv(dtype=str)` + same rules + DuckDB write", ("pandas",)),
)


@dataclass(slots=True)
class Result:
    data: Path
    repeat: int
    summaries: dict[str, Summary]
    machine: dict[str, str]
    load: tuple[float, float]

    @property
    def ratio(self) -> float:
        """zhongtai's median time over bare DuckDB's."""
        return self.summaries["zhongtai"].median / self.summaries["duckdb"].median

    def agreement(self) -> tuple[dict[str, int], dict[str, int]]:
        """zhongtai's and pandas' counts, checked equal (raises :class:`BenchmarkError` otherwise)."""
        ours = {k: self.summaries["zhongtai"].counts[k] for k in COUNTED}
        theirs = {k: self.summaries["pandas"].counts[k] for k in COUNTED}
        if ours != theirs:
            raise BenchmarkError(f"zhongtai and pandas disagree: zhongtai {ours}, pandas {theirs}")
        return ours, theirs


def measure(
    data: Path = ONLINE_RETAIL, *, repeat: int = 5, work: Path = WORK_DIR, runner: Runner = run_child
) -> Result:
    """Run every variant ``repeat`` times, round-robin, each in a fresh process."""
    if not data.is_file():
        raise SystemExit(f"data file not found: {data} (pass --data or set ZHONGTAI_SHARED_DATA)")
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    load_start = load_average()
    runs: dict[str, list[Run]] = {name: [] for name, _, _ in VARIANTS}
    for rep in range(repeat):
        for name, _, args in VARIANTS:
            scratch = Path(tempfile.mkdtemp(prefix=f"{SECTION}-", dir=work))
            try:
                run = runner(args[0], [*args[1:], "--data", str(data), "--out", str(scratch / "out")])
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            runs[name].append(run)
            print(
                f"  [{rep + 1}/{repeat}] {name:<15} {fmt_seconds(run.seconds):>9}  peak RSS {fmt_bytes(run.peak_rss)}",
                flush=True,
            )
    summaries = {name: Summary(name, label, runs[name]) for name, label, _ in VARIANTS}
    return Result(data, repeat, summaries, info, (load_start, load_average()))


def render(result: Result) -> str:
    """The docs section: machine, table of times and memory, counts, zhongtai's phases."""
    s = result.summaries
    bare = s["duckdb"].median
    rows = []
    for name, label, _ in VARIANTS:
        summary = s[name]
        rows.append(
            [
                label,
                fmt_seconds(summary.median),
                fmt_seconds(summary.best),
                f"{summary.median / bare:.1f}x",
                fmt_bytes(summary.peak_rss),
            ]
        )
    ours, theirs = result.agreement()
    zt_rows = s["zhongtai"].runs[0].extra.get("rows_read", 0)
    table = markdown_table(["variant", "median", "min", "× bare DuckDB (median)", "peak RSS"], rows)
    counts = markdown_table(
        ["", "orders", "order_items", "refunds", "quarantined rows"],
        [["zhongtai", *(f"{ours[k]:,}" for k in COUNTED)], ["pandas", *(f"{theirs[k]:,}" for k in COUNTED)]],
    )
    phases = s["zhongtai"].extra_median("phases")
    order = ["prepare", "read", "validate", "write", "close"]
    phase_text = ", ".join(f"{p} {phases[p]:.2f} s" for p in order if p in phases)
    return "\n".join(
        [
            machine_line(result.machine, result.load),
            "",
            f"File: `{result.data.name}` ({_describe(result.data)}, {zt_rows:,} rows). {result.repeat} run(s) of "
            "each variant, round-robin, each in a fresh process; times are the timed section only (imports and "
            "interpreter start excluded), peak RSS is the whole process.",
            "",
            table,
            "",
            f"**zhongtai / bare DuckDB = {result.ratio:.1f}x** (median; target ≤ 2x; "
            f"{s['zhongtai'].best / s['duckdb'].best:.1f}x on the best runs). "
            f"zhongtai / pandas = {s['zhongtai'].median / s['pandas'].median:.2f}x.",
            "",
            "Rows written, zhongtai and pandas (they must agree, and do):",
            "",
            counts,
            "",
            f"zhongtai's time by phase (median): {phase_text}.",
        ]
    )


def _describe(path: Path) -> str:
    size = f"{path.stat().st_size / 1024**2:.1f} MiB"
    return f"{size}, gzip" if path.suffix == ".gz" else size


def print_result(result: Result) -> None:
    print()
    print(render(result))
    ours = result.summaries["zhongtai"].runs[0].extra.get("top_rules", {})
    theirs = result.summaries["pandas"].runs[0].extra.get("top_rules", {})
    if ours != theirs:
        print(f"\nquarantined rows by rule differ: zhongtai {ours}, pandas {theirs}")
    else:
        print(f"\nquarantined rows by rule (both): {ours}")


def run(
    data: Path = ONLINE_RETAIL,
    *,
    repeat: int = 5,
    write: bool = False,
    work: Path = WORK_DIR,
    runner: Runner = run_child,
) -> Result:
    print(f"ingest_online_retail: {data} × {repeat} runs per variant")
    result = measure(data, repeat=repeat, work=work, runner=runner)
    print_result(result)
    if write:
        update_section(SECTION, render(result))
        print(f"\nupdated the {SECTION} section of docs/benchmarks.md")
    return result


def main(write: bool = False) -> Result:
    """Entry point for ``run_all.py``: the default file and repetitions."""
    return run(write=write)


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ONLINE_RETAIL, help="CSV(.gz) in the Online Retail shape")
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (default 5)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    run(args.data, repeat=args.repeat, write=args.write)


if __name__ == "__main__":
    cli()
