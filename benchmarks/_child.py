"""One measured variant, run in a fresh process by ``_harness.run_child``.

``python benchmarks/_child.py <variant> --data FILE --out PATH [options]`` imports only what the
variant needs, times only the section under test and prints one JSON line:
``{"seconds": …, "counts": {…}, "extra": {…}, "peak_rss": bytes}``. Variants:

- ``duckdb``: ``duckdb.connect(fresh file)`` → ``CREATE TABLE t AS SELECT * FROM read_csv(path)``
  → close (``--all-varchar`` reads every column as text, as zhongtai's reader does first);
- ``zhongtai``: ``init_workspace`` (not timed), then ``ingest_file`` + ``Workspace.close``;
- ``pandas``: ``pd.read_csv(dtype=str)`` → the rules of ``_pandas_ingest`` → DuckDB file → close
  (``--chunksize N`` streams the file in chunks of N rows).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


class PhaseClock:
    """A :class:`zhongtai.progress.Progress` that records how long each phase took."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.current = "prepare"  # hashing the file, the reload check, the load id
        self.seconds: dict[str, float] = {}

    def phase(self, name: str, total: int | None = None) -> None:
        self._close()
        self.current = name

    def advance(self, amount: int) -> None:
        return None

    def _close(self) -> None:
        now = time.perf_counter()
        self.seconds[self.current] = self.seconds.get(self.current, 0.0) + now - self.started
        self.started = now

    def finish(self, name: str) -> None:
        self.phase(name)
        self._close()


def peak_rss() -> int:
    """This process's peak resident set size in bytes (``VmHWM``: this process only, unlike
    ``ru_maxrss``, which starts from the parent's peak)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def run_duckdb(data: Path, out: Path, *, all_varchar: bool) -> dict[str, Any]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(str(out))
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = ?)", [str(data), all_varchar])
    row = con.execute("SELECT COUNT(*) FROM t").fetchone()
    con.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": {"rows": int(row[0]) if row else 0}}


def run_zhongtai(data: Path, out: Path) -> dict[str, Any]:
    from _uci import MAPPING, SOURCE
    from zhongtai.warehouse.ingest.adapters import mapping_from_dict
    from zhongtai.warehouse.ingest.loader import ingest_file
    from zhongtai.workspace import init_workspace

    mapping = mapping_from_dict(MAPPING)
    ws = init_workspace(out, shop_name="benchmark", currency="GBP", timezone="Europe/London")
    clock = PhaseClock()
    started = time.perf_counter()
    result = ingest_file(ws, data, mapping=mapping, source=SOURCE, progress=clock)
    clock.phase("close")
    ws.close()
    clock.finish("done")
    seconds = time.perf_counter() - started
    record = result.record
    if record is None:
        raise SystemExit("the workspace was fresh, yet ingest_file reported the file as already loaded")
    counts = {name: record.table_counts[name].inserted for name in ("orders", "order_items", "refunds")}
    counts["quarantined"] = record.rows_quarantined
    extra = {
        "rows_read": record.rows_read,
        "rows_loaded": record.rows_loaded,
        "phases": {k: v for k, v in clock.seconds.items() if k != "done"},
        "top_rules": dict(result.top_rules),
    }
    return {"seconds": seconds, "counts": counts, "extra": extra}


def run_pandas(data: Path, out: Path, *, chunksize: int) -> dict[str, Any]:
    import duckdb

    from _pandas_ingest import read_raw, stream, validate, write_duckdb
    from _uci import SOURCE

    started = time.perf_counter()
    con = duckdb.connect(str(out))
    if chunksize:
        counts = stream(data, con, chunksize=chunksize, source=SOURCE)
        rules: dict[str, int] = {}
    else:
        raw = read_raw(data)
        frames = validate(raw, source=SOURCE)
        write_duckdb(con, frames)
        counts = frames.counts()
        rules = {str(k): int(v) for k, v in frames.quarantine.groupby("rule")["row"].nunique().items()}
    con.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": counts, "extra": {"top_rules": rules}}


def execute(argv: list[str]) -> dict[str, Any]:
    """Run the variant ``argv`` describes (``<variant> --data … --out …``); return its result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("variant", choices=("duckdb", "zhongtai", "pandas"))
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="a path that does not exist yet")
    parser.add_argument("--all-varchar", action="store_true")
    parser.add_argument("--chunksize", type=int, default=0)
    args = parser.parse_args(argv)
    if args.variant == "duckdb":
        return run_duckdb(args.data, args.out, all_varchar=args.all_varchar)
    if args.variant == "zhongtai":
        return run_zhongtai(args.data, args.out)
    return run_pandas(args.data, args.out, chunksize=args.chunksize)


def main() -> None:
    try:
        result = execute(sys.argv[1:])
    except Exception as exc:
        # Say how far memory got before the failure, then fail with the traceback.
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}", "peak_rss": peak_rss()}), flush=True)
        raise
    result["peak_rss"] = peak_rss()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
