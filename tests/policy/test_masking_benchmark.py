"""benchmarks/masking.py still runs, and every variant it times produces zhongtai's output.

Nothing here asserts a time; the numbers come from ``python benchmarks/masking.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "masking.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("masking_benchmark", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_runs_small_and_renders_its_table() -> None:
    bench = _load()
    timings = bench.run(rows=300, repeat=1)
    assert [(t.workload, t.variant.split()[0]) for t in timings] == [
        ("phone column", "zhongtai"),
        ("phone column", "plain"),
        ("free text", "zhongtai"),
        ("free text", "plain"),
        ("customer frame", "zhongtai"),
        ("customer frame", "pandas"),
    ]
    text = bench.render(timings)
    assert "per million rows" in text
    assert "free text" in text


def test_the_generated_data_is_fixed_by_the_seed_and_holds_pii() -> None:
    bench = _load()
    first, second = bench.generate(200), bench.generate(200)
    assert first == second
    assert sum("@" in m for m in first["remark"]) > 10
    assert all(p[0] in "1１+0" for p in first["phone"])
