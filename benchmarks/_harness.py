"""Shared machinery of the benchmarks: fresh-process runs, peak RSS, summaries, the docs file.

Every measured variant runs in its own Python process (``_child.py``) so that no variant
inherits another's imports, caches or heap. The child times only the section under test and
prints one JSON line with its timing, counts and peak resident set size (see :func:`run_child`).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

__all__ = [
    "BENCH_DIR",
    "DOCS",
    "GIB",
    "ONLINE_RETAIL",
    "WORK_DIR",
    "BenchmarkError",
    "Run",
    "Runner",
    "Summary",
    "fmt_bytes",
    "fmt_seconds",
    "load_average",
    "machine",
    "machine_line",
    "markdown_table",
    "run_child",
    "run_inline",
    "update_section",
]

REPO = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO / "benchmarks"
WORK_DIR = BENCH_DIR / ".work"
DOCS = REPO / "docs" / "benchmarks.md"
SHARED_DATA = Path(os.environ.get("ZHONGTAI_SHARED_DATA", REPO.parent / "shared" / "data"))
ONLINE_RETAIL = SHARED_DATA / "online_retail_uci" / "Online_Retail.csv.gz"
CHILD = BENCH_DIR / "_child.py"
GIB = 1024**3


Runner = Callable[[str, Sequence[str]], "Run"]
"""How a variant is run: :func:`run_child` (benchmarks) or :func:`run_inline` (smoke tests)."""


class BenchmarkError(RuntimeError):
    """A variant failed: its exit status and the end of its error output."""


@dataclass(slots=True)
class Run:
    """One run of one variant in a fresh process."""

    variant: str
    seconds: float  # the timed section, measured inside the child
    peak_rss: int  # bytes: the child's VmHWM (whole process, imports included)
    process_seconds: float  # the child process from spawn to exit
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Summary:
    """All runs of one variant."""

    variant: str
    label: str
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_rss(self) -> int:
        return max(r.peak_rss for r in self.runs)

    @property
    def counts(self) -> dict[str, int]:
        """The counts of the runs (every run must report the same)."""
        first = self.runs[0].counts
        for run in self.runs[1:]:
            if run.counts != first:
                raise BenchmarkError(f"{self.variant}: runs disagree on counts: {first} vs {run.counts}")
        return first

    def extra_median(self, key: str) -> dict[str, float]:
        """Median of each number in ``extra[key]`` (e.g. zhongtai's phase times) over the runs."""
        names = {name for r in self.runs for name in r.extra.get(key, {})}
        return {n: statistics.median(r.extra.get(key, {}).get(n, 0.0) for r in self.runs) for n in sorted(names)}


def run_child(variant: str, args: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """Run ``_child.py <variant> <args>`` in a fresh interpreter; return its timing, counts and peak RSS.

    Peak RSS is the child's own high-water mark (``VmHWM``), which it reports as it exits. It is
    not ``ru_maxrss`` from ``wait4``: Linux carries the parent's high-water mark into a child over
    ``fork``/``exec``, so a child of a parent that once held a large frame would inherit its peak.
    While the child runs, its RSS is also polled every 50 ms (psutil), so a child that crashes or is
    killed for lack of memory still has a peak to report.
    """
    command = [sys.executable, str(CHILD), variant, *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO, env={**os.environ, **(env or {})})
        polled = _poll_rss(proc)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        reported = json.loads(lines[-1]).get("peak_rss", 0) if lines else 0
        tail = "\n".join(stderr.strip().splitlines()[-25:])
        raise BenchmarkError(
            f"{variant} exited with status {proc.returncode} after {elapsed:.1f} s "
            f"(peak RSS {fmt_bytes(reported)}, polled {fmt_bytes(polled)}):\n{tail}"
        )
    if not lines:
        raise BenchmarkError(f"{variant} printed no result:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    result = json.loads(lines[-1])
    peak = int(result.get("peak_rss") or polled)
    extra = {**result.get("extra", {}), "polled_peak_rss": polled}
    return Run(variant, float(result["seconds"]), peak, elapsed, result.get("counts", {}), extra)


def run_inline(variant: str, args: Sequence[str]) -> Run:
    """Run a variant inside this process (smoke tests: no peak RSS, no process isolation)."""
    from _child import execute

    started = time.perf_counter()
    result = execute([variant, *args])
    return Run(
        variant,
        float(result["seconds"]),
        0,
        time.perf_counter() - started,
        result.get("counts", {}),
        result.get("extra", {}),
    )


def _poll_rss(proc: subprocess.Popen[bytes], interval: float = 0.05) -> int:
    """Wait for ``proc``; return the largest RSS seen on the way (bytes)."""
    peak = 0
    try:
        watched = psutil.Process(proc.pid)
    except psutil.Error:
        watched = None
    while proc.poll() is None:
        if watched is not None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, watched.memory_info().rss)
        time.sleep(interval)
    return peak


def machine() -> dict[str, str]:
    """What the numbers were measured on (versions read without importing the libraries)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cores": str(os.cpu_count()),
        "ram": f"{memory / GIB:.0f} GiB",
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": _version("duckdb"),
        "pandas": _version("pandas"),
        "zhongtai": _version("zhongtai"),
    }


def machine_line(info: dict[str, str], load: tuple[float, float]) -> str:
    return (
        f"Measured {info['date']} on {info['cores']} cores ({info['cpu']}), {info['ram']} RAM, {info['os']}; "
        f"Python {info['python']}, DuckDB {info['duckdb']}, pandas {info['pandas']}, zhongtai {info['zhongtai']}. "
        f"Load average (1 min) {load[0]:.1f} at the start and {load[1]:.1f} at the end of the run."
    )


def load_average() -> float:
    return os.getloadavg()[0]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A GitHub Markdown table; ``align`` has one letter per column (``l`` or ``r``, default ``r``
    except the first column)."""
    marks = []
    for i in range(len(headers)):
        side = align[i] if i < len(align) else ("l" if i == 0 else "r")
        marks.append(":---" if side == "l" else "---:")
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_seconds(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_bytes(size: float) -> str:
    if size <= 0:
        return "n/a"
    if size >= GIB:
        return f"{size / GIB:.2f} GiB"
    return f"{size / 1024**2:.0f} MiB"


def update_section(name: str, body: str, docs: Path = DOCS) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``docs``
    (appending the section when the markers are missing)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    docs.write_text(text, encoding="utf-8")
