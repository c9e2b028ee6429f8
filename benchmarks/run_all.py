"""Run every benchmark: each ``benchmarks/*.py`` whose ``main`` takes ``write`` (``make bench``).

    python benchmarks/run_all.py [--write] [--only NAME …] [--list]

With ``--write`` each benchmark updates its own section of ``docs/benchmarks.md``. A benchmark
that fails is reported and the others still run; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

Main = Callable[..., object]


def discover(folder: Path = BENCH_DIR) -> dict[str, Main]:
    """Benchmark name → its ``main``, for every module in ``folder`` exposing ``main(write: bool)``.

    Modules whose name starts with ``_`` are helpers, and this runner is not a benchmark.
    """
    found: dict[str, Main] = {}
    for path in sorted(folder.glob("*.py")):
        if path.stem.startswith("_") or path.stem == Path(__file__).stem:
            continue
        module = importlib.import_module(path.stem)
        main = getattr(module, "main", None)
        if callable(main) and "write" in inspect.signature(main).parameters:
            found[path.stem] = main
    return found


def run_all(*, write: bool = False, only: list[str] | None = None) -> int:
    """Run the benchmarks (all, or those named in ``only``); return the number that failed."""
    benchmarks = discover()
    unknown = sorted(set(only or []) - set(benchmarks))
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(benchmarks)}")
    failed: list[str] = []
    for name, main in benchmarks.items():
        if only and name not in only:
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            main(write=write)
        except (Exception, SystemExit):
            failed.append(name)
            traceback.print_exc()
        print(f"=== {name}: {'FAILED' if name in failed else 'done'} in {time.perf_counter() - started:.0f} s ===")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return len(failed)


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(discover()))
        return
    sys.exit(1 if run_all(write=args.write, only=args.only) else 0)


if __name__ == "__main__":
    cli()
