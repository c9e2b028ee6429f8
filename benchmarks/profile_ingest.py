"""Where zhongtai's ingest time goes: every SQL statement the loader sends, timed (a diagnostic,
not a benchmark: ``run_all.py`` skips it).

Wraps ``zhongtai.warehouse._sql.run`` in the ingest modules, loads one file into a fresh
workspace with the benchmarks' mapping, and prints the slowest statements with the function that
sent them, the time spent outside SQL (Python: building queries, hashing, imports) and the
packages first imported during the call.

    python benchmarks/profile_ingest.py [--data FILE] [--top 15]
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import ONLINE_RETAIL, WORK_DIR
from _uci import MAPPING, SOURCE

INGEST_MODULES = ("loader", "quarantine", "readers", "records", "shape", "upsert", "validate")


@dataclass(slots=True)
class Statement:
    seconds: float
    caller: str
    sql: str


@dataclass(slots=True)
class Profile:
    total: float
    statements: list[Statement] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)

    @property
    def in_sql(self) -> float:
        return sum(s.seconds for s in self.statements)


def profile(data: Path, work: Path = WORK_DIR) -> Profile:
    """Load ``data`` once into a fresh workspace under ``work``, timing each statement."""
    from zhongtai.warehouse import _sql
    from zhongtai.warehouse.ingest.adapters import mapping_from_dict
    from zhongtai.warehouse.ingest.loader import ingest_file
    from zhongtai.workspace import init_workspace

    statements: list[Statement] = []
    original = _sql.run

    def timed(con: Any, node: Any) -> list[tuple[Any, ...]]:
        started = time.perf_counter()
        rows = original(con, node)
        seconds = time.perf_counter() - started
        statements.append(Statement(seconds, sys._getframe(1).f_code.co_name, _sql.render(node)))
        return rows

    patched = [importlib.import_module(f"zhongtai.warehouse.ingest.{m}") for m in INGEST_MODULES]
    patched = [m for m in patched if getattr(m, "run", None) is original]
    work.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="profile_ingest-", dir=work))
    try:
        for module in patched:
            module.run = timed  # type: ignore[attr-defined]
        ws = init_workspace(scratch / "ws", shop_name="profile", currency="GBP", timezone="Europe/London")
        before = {name.split(".")[0] for name in sys.modules}
        started = time.perf_counter()
        ingest_file(ws, data, mapping=mapping_from_dict(MAPPING), source=SOURCE)
        ws.close()
        total = time.perf_counter() - started
        imported = sorted({name.split(".")[0] for name in sys.modules} - before)
    finally:
        for module in patched:
            module.run = original  # type: ignore[attr-defined]
        shutil.rmtree(scratch, ignore_errors=True)
    return Profile(total, statements, [m for m in imported if not m.startswith("_")])


def report(result: Profile, top: int = 15) -> str:
    lines = [
        f"total {result.total:.2f} s: {result.in_sql:.2f} s in {len(result.statements)} SQL statements, "
        f"{result.total - result.in_sql:.2f} s outside SQL",
        f"packages first imported during the call: {', '.join(result.imported) or '-'}",
        "",
        f"{'seconds':>8}  {'share':>5}  {'sent by':<22} statement",
    ]
    for s in sorted(result.statements, key=lambda s: s.seconds, reverse=True)[:top]:
        text = " ".join(s.sql.split())
        lines.append(f"{s.seconds:8.2f}  {s.seconds / result.total:5.0%}  {s.caller:<22} {text[:90]}")
    return "\n".join(lines)


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ONLINE_RETAIL)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    print(report(profile(args.data), args.top))


if __name__ == "__main__":
    cli()
