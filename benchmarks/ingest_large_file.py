"""Benchmark: stream a ~2 GB Online-Retail-shaped CSV; zhongtai's peak memory must stay under 1 GiB.

The target (ingest issue): a 2 GB CSV streams with peak memory under 1 GB. The file is
generated under ``benchmarks/.work/`` (git-ignored) from the rows of UCI Online Retail that pass
every rule (``--data``), grouped by invoice and repeated with a 5-digit repetition number
spliced into every invoice number (``C00007536379``), so every row is valid and every invoice
unique; it is written in whole blocks with large buffered writes and deleted at the end unless
``--keep``. With ``--rejects`` the block keeps every UCI row, the ones that break a rule too
(about 1.9 %: duplicates, zero prices, …), so the quarantine is exercised at scale; that run
writes its own section. Each variant runs in a fresh process:

- zhongtai: ``ingest_file`` into a fresh workspace (default ingest settings: DuckDB memory
  limit 1 GB, spilling to the workspace's ``tmp/``) + closing it;
- bare DuckDB: ``CREATE TABLE t AS SELECT * FROM read_csv(path)`` into a fresh file (defaults);
- pandas: ``read_csv(dtype=str, chunksize=…)`` with the same rules per chunk, appended to a
  DuckDB file (the rows of a chunk's last invoice wait for the next chunk).

    python benchmarks/ingest_large_file.py [--size-gb 2] [--repeat 1] [--chunksize 250000] [--rejects] [--keep]
        [--write]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    GIB,
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

SECTION = "ingest_large_file"
COUNTED = ("orders", "order_items", "refunds", "quarantined")
MARK = b"@REP@"  # where the repetition number goes inside each invoice number
WRITE_BUFFER = 16 * 1024 * 1024
VARIANTS: tuple[tuple[str, str], ...] = (
    ("zhongtai", "zhongtai `ingest_file` (full validation)"),
    ("duckdb", "bare DuckDB `read_csv` → table"),
    ("pandas", "pandas `read_csv(chunksize)` + same rules + DuckDB append"),
)


@dataclass(slots=True)
class Generated:
    path: Path
    bytes: int
    rows: int
    seconds: float
    block_rows: int
    repetitions: int
    rejects: bool  # the block holds the rows that break rules too


def _block(source: Path, *, rejects: bool) -> tuple[list[bytes], str, int]:
    """The rows of ``source`` (only the valid ones unless ``rejects``) as CSV text, split where
    the repetition number goes into each invoice number."""
    from _pandas_ingest import COLUMNS, read_raw, validate

    raw = read_raw(source)
    if not rejects:
        rejected = set(validate(raw).quarantine["row"].tolist())
        raw = raw[~(raw.index.to_series() + 2).isin(rejected).to_numpy()]
    block = raw.sort_values("InvoiceNo", kind="stable")  # an invoice's lines together (see module docstring)
    invoice = block["InvoiceNo"].str.extract(r"^([A-Za-z]*)(.*)$")
    block = block.assign(InvoiceNo=(invoice[0] + MARK.decode() + invoice[1]).where(block["InvoiceNo"].notna()))
    text = block.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8")
    if text.count(MARK) != block["InvoiceNo"].notna().sum():
        raise BenchmarkError(f"{source.name} contains the splice marker {MARK!r}")
    return text.split(MARK), ",".join(COLUMNS) + "\n", len(block)


def generate(source: Path, target: Path, size_bytes: int, *, rejects: bool = False) -> Generated:
    """Write about ``size_bytes`` of rows to ``target`` (whole rows; deterministic)."""
    started = time.perf_counter()
    parts, header, block_rows = _block(source, rejects=rejects)
    block_bytes = sum(len(p) for p in parts) + 5 * (len(parts) - 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = rows = repetitions = 0
    with target.open("wb", buffering=WRITE_BUFFER) as out:
        written += out.write(header.encode())
        while written < size_bytes:
            chunk = (b"%05d" % repetitions).join(parts)
            repetitions += 1
            if repetitions > 99_999:
                raise BenchmarkError("--size-gb too large for 5-digit repetition numbers")
            room = size_bytes - written
            if room < block_bytes:
                cut = chunk.find(b"\n", room)
                chunk = chunk if cut < 0 else chunk[: cut + 1]
                rows += chunk.count(b"\n")
            else:
                rows += block_rows
            written += out.write(chunk)
    return Generated(target, written, rows, time.perf_counter() - started, block_rows, repetitions, rejects)


@dataclass(slots=True)
class Result:
    file: Generated
    repeat: int
    chunksize: int
    summaries: dict[str, Summary]
    machine: dict[str, str]
    load: tuple[float, float]

    @property
    def under_limit(self) -> bool:
        return self.summaries["zhongtai"].peak_rss < GIB

    def agreement(self) -> tuple[dict[str, int], dict[str, int]]:
        ours = {k: self.summaries["zhongtai"].counts[k] for k in COUNTED}
        theirs = {k: self.summaries["pandas"].counts[k] for k in COUNTED}
        if ours != theirs:
            raise BenchmarkError(f"zhongtai and pandas disagree: zhongtai {ours}, pandas {theirs}")
        loaded = ours["order_items"] + ours["refunds"]
        if loaded + ours["quarantined"] != self.file.rows or (ours["quarantined"] and not self.file.rejects):
            raise BenchmarkError(
                f"of {self.file.rows:,} generated rows ({'some' if self.file.rejects else 'none'} breaking a rule) "
                f"zhongtai loaded {loaded:,} and quarantined {ours['quarantined']:,}"
            )
        return ours, theirs


def measure(
    data: Path = ONLINE_RETAIL,
    *,
    size_gb: float = 2.0,
    repeat: int = 1,
    chunksize: int = 250_000,
    keep: bool = False,
    rejects: bool = False,
    work: Path = WORK_DIR,
    runner: Runner = run_child,
) -> Result:
    if not data.is_file():
        raise SystemExit(f"data file not found: {data} (pass --data or set ZHONGTAI_SHARED_DATA)")
    work.mkdir(parents=True, exist_ok=True)
    target = work / f"online_retail_{size_gb:g}gb{'_rejects' if rejects else ''}.csv"
    file = generate(data, target, int(size_gb * 1e9), rejects=rejects)
    print(
        f"  generated {target.name}: {fmt_bytes(file.bytes)}, {file.rows:,} rows in {file.seconds:.1f} s "
        f"({file.repetitions} repetitions of {file.block_rows:,} {_kind(file)} rows)",
        flush=True,
    )
    info = machine()
    load_start = load_average()
    runs: dict[str, list[Run]] = {name: [] for name, _ in VARIANTS}
    try:
        for rep in range(repeat):
            for name, _ in VARIANTS:
                extra = ["--chunksize", str(chunksize)] if name == "pandas" else []
                scratch = Path(tempfile.mkdtemp(prefix=f"{SECTION}-", dir=work))
                try:
                    run = runner(name, [*extra, "--data", str(target), "--out", str(scratch / "out")])
                finally:
                    shutil.rmtree(scratch, ignore_errors=True)
                runs[name].append(run)
                print(
                    f"  [{rep + 1}/{repeat}] {name:<9} {fmt_seconds(run.seconds):>8}  "
                    f"{file.rows / run.seconds:>12,.0f} rows/s  peak RSS {fmt_bytes(run.peak_rss)}",
                    flush=True,
                )
    finally:
        if not keep:
            target.unlink(missing_ok=True)
    summaries = {name: Summary(name, label, runs[name]) for name, label in VARIANTS}
    return Result(file, repeat, chunksize, summaries, info, (load_start, load_average()))


def _kind(file: Generated) -> str:
    return "UCI (valid and invalid)" if file.rejects else "valid UCI"


def section(rejects: bool) -> str:
    """The docs section a run writes: one for the all-valid file, one for the file with rejects."""
    return SECTION + "_with_rejects" if rejects else SECTION


def render(result: Result) -> str:
    s = result.summaries
    rows = []
    for name, label in VARIANTS:
        summary = s[name]
        rows.append(
            [
                label,
                fmt_seconds(summary.median),
                f"{result.file.rows / summary.median:,.0f}",
                fmt_bytes(summary.peak_rss),
            ]
        )
    ours, _ = result.agreement()
    zt = s["zhongtai"]
    phases = zt.extra_median("phases")
    phase_text = ", ".join(
        f"{p} {phases[p]:.0f} s" for p in ("prepare", "read", "validate", "write", "close") if p in phases
    )
    verdict = "under" if result.under_limit else "**over**"
    return "\n".join(
        [
            machine_line(result.machine, result.load),
            "",
            f"File: generated CSV, {fmt_bytes(result.file.bytes)} ({result.file.bytes / 1e9:.2f} GB), "
            f"{result.file.rows:,} rows, {ours['orders']:,} orders and "
            f"{result.file.repetitions:,} repetitions of {result.file.block_rows:,} {_kind(result.file)} rows "
            f"(generated in {result.file.seconds:.0f} s). {result.repeat} run(s) of each variant, each in a fresh "
            f"process; pandas reads {result.chunksize:,} rows per chunk.",
            "",
            markdown_table(["variant", "time (median)", "rows/s", "peak RSS"], rows),
            "",
            f"**zhongtai peak RSS {fmt_bytes(zt.peak_rss)}: {verdict} the 1 GiB target.** "
            f"zhongtai / bare DuckDB = {zt.median / s['duckdb'].median:.1f}x; "
            f"zhongtai / pandas = {zt.median / s['pandas'].median:.2f}x.",
            "",
            f"Counts agree: zhongtai and pandas both wrote {ours['orders']:,} orders, {ours['order_items']:,} "
            f"order lines and {ours['refunds']:,} refund lines, and quarantined {ours['quarantined']:,} rows.",
            "",
            f"zhongtai's time by phase (median): {phase_text}.",
        ]
    )


def run(
    data: Path = ONLINE_RETAIL,
    *,
    size_gb: float = 2.0,
    repeat: int = 1,
    chunksize: int = 250_000,
    keep: bool = False,
    rejects: bool = False,
    write: bool = False,
    work: Path = WORK_DIR,
    runner: Runner = run_child,
) -> Result:
    print(f"ingest_large_file: {size_gb:g} GB generated from {data}{' (with rejects)' if rejects else ''}")
    result = measure(
        data,
        size_gb=size_gb,
        repeat=repeat,
        chunksize=chunksize,
        keep=keep,
        rejects=rejects,
        work=work,
        runner=runner,
    )
    print()
    print(render(result))
    if write:
        update_section(section(rejects), render(result))
        print(f"\nupdated the {section(rejects)} section of docs/benchmarks.md")
    return result


def main(write: bool = False) -> Result:
    """Entry point for ``run_all.py``: a 2 GB file, one run per variant."""
    return run(write=write)


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ONLINE_RETAIL, help="source of the rows (Online Retail shape)")
    parser.add_argument("--size-gb", type=float, default=2.0, help="size of the generated file in GB (10^9 bytes)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (default 1)")
    parser.add_argument("--chunksize", type=int, default=250_000, help="rows per pandas chunk")
    parser.add_argument("--rejects", action="store_true", help="keep the UCI rows that break rules in the file")
    parser.add_argument("--keep", action="store_true", help="keep the generated file in benchmarks/.work/")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    run(
        args.data,
        size_gb=args.size_gb,
        repeat=args.repeat,
        chunksize=args.chunksize,
        rejects=args.rejects,
        keep=args.keep,
        write=args.write,
    )


if __name__ == "__main__":
    cli()
