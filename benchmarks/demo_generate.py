"""Demo shop generation: time per table, rows per second, peak memory, and growth with size.

    python benchmarks/demo_generate.py [--sizes 100000 1000000] [--stage-only 10000000] [--workers 2] [--write]

Each size runs ``zhongtai.demo.generate_demo`` in a fresh process (its worker processes included in
the peak memory, polled every 200 ms over the whole process tree), keeping the staged Parquet
files; a second fresh process then loads the same files into a bare DuckDB file
(``CREATE TABLE t AS SELECT * FROM read_parquet(f)``: no validation, no quarantine, no load
records) as the floor the validated load can be compared with. ``--stage-only`` sizes generate the
staged files without loading them (to show how generation alone grows). There is no
off-the-shelf generator of this shop to compare with; the comparison is for the load.

With ``--write`` the results replace the ``demo_generate`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import WORK_DIR, fmt_bytes, load_average, machine, machine_line, markdown_table, update_section

SIZES = (100_000, 1_000_000)
SECTION = "demo_generate"


def _tree_peak(stop: threading.Event, peak: list[int]) -> None:
    import psutil

    me = psutil.Process()
    while not stop.is_set():
        try:
            rss = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
        except psutil.Error:
            rss = 0
        peak[0] = max(peak[0], rss)
        stop.wait(0.2)


def child_generate(size: int, out: Path, workers: int, stage_only: bool) -> dict[str, Any]:
    """Runs inside the fresh process: generate (and load) one shop; returns the measurements."""
    from zhongtai.demo import generate_demo
    from zhongtai.demo.config import DemoConfig
    from zhongtai.demo.generate import stage_shop

    stop, peak = threading.Event(), [0]
    poller = threading.Thread(target=_tree_peak, args=(stop, peak), daemon=True)
    poller.start()
    started = time.perf_counter()
    if stage_only:
        staged = stage_shop(DemoConfig(size, 42, workers=workers), out / "staged")
        result: dict[str, Any] = {
            "rows": {k: v for k, v in staged.rows.items() if not k.startswith("_")},
            "phases": staged.phases,
            "write_seconds": staged.write_seconds,
            "load_seconds": {},
            "staged_bytes": {k: p.stat().st_size for k, p in staged.files.items()},
            "warehouse_bytes": 0,
            "generate_seconds": staged.generate_seconds,
        }
    else:
        demo = generate_demo(out / "ws", customers=size, seed=42, workers=workers, keep_files=True)
        result = demo.to_dict()
        result["warehouse_bytes"] = (out / "ws" / "warehouse.duckdb").stat().st_size
    result["seconds"] = time.perf_counter() - started
    stop.set()
    poller.join()
    result["peak_rss"] = peak[0]
    return result


def child_floor(staged: Path) -> dict[str, Any]:
    """Runs inside a fresh process: bare DuckDB loads of the staged canonical files."""
    import duckdb

    target = staged.parent / "floor.duckdb"
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    seconds: dict[str, float] = {}
    for path in sorted(staged.glob("*.parquet")):
        started = time.perf_counter()
        con.execute(f"CREATE TABLE \"{path.stem}\" AS SELECT * FROM read_parquet('{path}')")  # noqa: S608
        seconds[path.stem] = time.perf_counter() - started
    con.close()
    size = target.stat().st_size
    target.unlink()
    return {"seconds": seconds, "bytes": size}


def _run(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads([line for line in proc.stdout.splitlines() if line.startswith("{")][-1]))


def measure(size: int, workers: int, stage_only: bool, keep: bool) -> dict[str, Any]:
    out = WORK_DIR / f"demo-{size}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    load = [load_average()]
    result = _run(
        ["--child", str(size), "--out", str(out), "--workers", str(workers)]
        + (["--child-stage-only"] if stage_only else [])
    )
    staged = out / "staged" if stage_only else out / "ws" / "tmp" / "demo-42"
    result["floor"] = {} if stage_only else _run(["--floor", str(staged)])
    load.append(load_average())
    result["load_average"] = load
    result["size"] = size
    result["stage_only"] = stage_only
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return result


def _generation_seconds(r: dict[str, Any]) -> float:
    return float(sum(r["phases"].get(k, 0.0) for k in ("world", "blocks", "shop_tables")))


def report(results: list[dict[str, Any]]) -> str:
    info = machine()
    lines = [machine_line(info, (results[0]["load_average"][0], results[-1]["load_average"][-1])), ""]
    overview = []
    for r in results:
        rows = sum(r["rows"].values())
        gen = _generation_seconds(r)
        load_s = r["phases"].get("load", 0.0)
        staged = sum(r["staged_bytes"].values())
        disk = staged + r.get("warehouse_bytes", 0)
        overview.append(
            [
                f"{r['size']:,}" + (" (staged only)" if r["stage_only"] else ""),
                f"{rows:,}",
                f"{gen:.0f} s",
                f"{rows / gen:,.0f}",
                "—" if r["stage_only"] else f"{load_s:.0f} s",
                "—" if r["stage_only"] else f"{rows / max(load_s, 1e-9):,.0f}",
                "—" if r["stage_only"] else f"{sum(r['floor']['seconds'].values()):.0f} s",
                f"{r['seconds']:.0f} s",
                fmt_bytes(r["peak_rss"]),
                fmt_bytes(staged),
                f"{disk / r['size'] / 1000:.1f} KB",
                " → ".join(f"{x:.1f}" for x in r["load_average"]),
            ]
        )
    lines.append(
        markdown_table(
            [
                "customers",
                "rows",
                "generate",
                "rows/s",
                "validated load",
                "rows/s",
                "bare DuckDB load",
                "total",
                "peak RSS (all processes)",
                "staged Parquet",
                "staged + warehouse per customer",
                "load avg",
            ],
            overview,
            "r" * 11 + "l",
        )
    )
    lines.append("")
    per_table = []
    biggest = max((r for r in results if not r["stage_only"]), key=lambda r: r["size"], default=None)
    if biggest is not None:
        for name, rows in sorted(biggest["rows"].items(), key=lambda kv: -kv[1]):
            load_s = biggest["load_seconds"].get(name, 0.0)
            floor = biggest["floor"]["seconds"].get(name, 0.0)
            write = biggest["write_seconds"].get(name, 0.0)
            per_table.append(
                [
                    name,
                    f"{rows:,}",
                    f"{write:.1f}",
                    f"{load_s:.1f}",
                    f"{rows / max(load_s, 1e-9):,.0f}",
                    f"{floor:.1f}",
                    f"{rows / max(floor, 1e-9):,.0f}",
                ]
            )
        lines.append(
            f"Per table at {biggest['size']:,} customers (seconds; generation itself runs per block of "
            "people for all tables at once, see the stages below):"
        )
        lines.append("")
        lines.append(
            markdown_table(
                ["table", "rows", "write Parquet", "validated load", "rows/s", "bare DuckDB", "rows/s"],
                per_table,
                "lrrrrrr",
            )
        )
        lines.append("")
        stages = biggest["generate_seconds"]
        lines.append(
            "Generation stages, summed over worker processes: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in stages.items())
            + "."
        )
    if len(results) > 1:
        base = results[0]
        growth = [
            f"{r['size'] / base['size']:g}× customers → {_generation_seconds(r) / _generation_seconds(base):.1f}×"
            " generation time"
            + (
                ""
                if r["stage_only"] or base["stage_only"]
                else f", {r['phases']['load'] / base['phases']['load']:.1f}× load time"
            )
            for r in results[1:]
        ]
        lines.append("")
        lines.append(f"Growth from {base['size']:,} customers: " + "; ".join(growth) + ".")
    return "\n".join(lines)


def main(
    write: bool = False,
    sizes: tuple[int, ...] = SIZES,
    stage_only: tuple[int, ...] = (),
    workers: int = 2,
    keep: bool = False,
) -> list[dict[str, Any]]:
    results = [measure(s, workers, False, keep) for s in sizes]
    results += [measure(s, workers, True, keep) for s in stage_only]
    text = report(results)
    print(text)
    if write:
        update_section(SECTION, text)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--stage-only", type=int, nargs="*", default=[])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", type=int)
    parser.add_argument("--child-stage-only", action="store_true")
    parser.add_argument("--floor", type=Path)
    parser.add_argument("--out", type=Path)
    ns = parser.parse_args()
    if ns.child:
        print(json.dumps(child_generate(ns.child, ns.out, ns.workers, ns.child_stage_only), default=str))
    elif ns.floor:
        print(json.dumps(child_floor(ns.floor)))
    else:
        main(write=ns.write, sizes=tuple(ns.sizes), stage_only=tuple(ns.stage_only), workers=ns.workers, keep=ns.keep)
