"""Generating a demo shop into a workspace: world → blocks of people → staged Parquet →
validated load → truth.

``generate_demo`` checks the request (size, seed, folder, disk), creates the workspace and runs the
``demo`` job; the job calls :func:`build_shop`, which can also fill an already open workspace.
Blocks are generated in order, in this process or in ``workers`` spawned processes (each rebuilds
the same world from the seed), and written in block order, so the output never depends on the
chunk size or the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from zhongtai.demo.block import BlockResult, generate_block
from zhongtai.demo.config import (
    DEFAULT_END,
    DEFAULT_START,
    DemoConfig,
    check_customers,
    check_disk,
    check_period,
    parse_seed,
    prepare_folder,
)
from zhongtai.demo.load import load_canonical, load_truth
from zhongtai.demo.output import StagingWriter
from zhongtai.demo.shop_tables import inventory, marketing_spend, posts, reference_tables
from zhongtai.demo.textgen import TextGenerators, load_text_generators
from zhongtai.demo.world import World, build_world
from zhongtai.demo.world_truth import world_truth
from zhongtai.progress import NullProgress, Progress

__all__ = ["DemoResult", "Staged", "build_shop", "generate_demo", "stage_shop"]

TEXT_OVERRIDE: ContextVar[str | None] = ContextVar("zhongtai_demo_text", default=None)
"""Import name of replacement text generators (tests of the orchestration only)."""
_WORKER: dict[str, Any] = {}


@dataclass(slots=True)
class DemoResult:
    path: str
    config: DemoConfig
    rows: dict[str, int]
    truth_rows: dict[str, int]
    quarantined: dict[str, int]
    generate_seconds: dict[str, float]
    write_seconds: dict[str, float]
    load_seconds: dict[str, float]
    staged_bytes: dict[str, int]
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            **self.config.to_dict(),
            "rows": self.rows,
            "truth_rows": self.truth_rows,
            "quarantined": self.quarantined,
            "generate_seconds": _round(self.generate_seconds),
            "write_seconds": _round(self.write_seconds),
            "load_seconds": _round(self.load_seconds),
            "staged_bytes": self.staged_bytes,
            "seconds": round(self.seconds, 2),
            "phases": _round(self.phases),
        }


RESULTS: dict[int, DemoResult] = {}
"""Results of ``demo`` job runs in this process, by run id (the job record keeps only JSON)."""


def _round(values: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in values.items()}


def _text(name: str | None) -> TextGenerators | ModuleType:
    if name:
        import importlib

        return importlib.import_module(name)
    return load_text_generators()


def _init_worker(config: DemoConfig, text_name: str | None) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER["world"] = build_world(config)
    _WORKER["text"] = _text(text_name)


def _work(block: int) -> BlockResult:
    return generate_block(_WORKER["world"], block, _WORKER["text"])


def _blocks(world: World, text: TextGenerators | ModuleType, text_name: str | None) -> Iterator[BlockResult]:
    config = world.config
    if config.workers <= 1 or config.blocks <= 1:
        for block in range(config.blocks):
            yield generate_block(world, block, text)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=config.workers, mp_context=context, initializer=_init_worker, initargs=(config, text_name)
    ) as pool:
        # at most two finished blocks per worker wait in memory
        pending = list(range(config.blocks))
        window = max(config.workers * 2, 2)
        futures = [pool.submit(_work, b) for b in pending[:window]]
        next_block = len(futures)
        while futures:
            result = futures.pop(0).result()
            if next_block < config.blocks:
                futures.append(pool.submit(_work, next_block))
                next_block += 1
            yield result


@dataclass(slots=True)
class Staged:
    """The staged Parquet files of one shop and what making them took."""

    files: dict[str, Path]
    rows: dict[str, int]
    generate_seconds: dict[str, float]
    write_seconds: dict[str, float]
    phases: dict[str, float]


def stage_shop(
    config: DemoConfig, folder: Path, *, progress: Progress | None = None, text_name: str | None = None
) -> Staged:
    """Generate the shop for ``config`` as Parquet files under ``folder`` (one per table)."""
    report = progress or NullProgress()
    name = text_name or TEXT_OVERRIDE.get()
    text = _text(name)
    phases: dict[str, float] = {}
    clock = time.perf_counter()
    report.phase("world", None)
    world = build_world(config)
    phases["world"] = time.perf_counter() - clock
    shutil.rmtree(folder, ignore_errors=True)
    writer = StagingWriter(folder, row_group=config.row_group)
    for table_name, table in reference_tables(world).items():
        writer.add(table_name, table)
    sales = np.zeros((world.catalog.n, world.stock_sites, world.weeks), dtype=np.int64)
    orders_by_day = np.zeros((5, world.days), dtype=np.int64)
    revenue_by_day = np.zeros((5, world.days), dtype=np.int64)
    acquired = np.zeros((4, world.days), dtype=np.int64)
    generate_seconds: dict[str, float] = {}
    duplicated = 0
    report.phase("generate", config.customers)
    started = time.perf_counter()
    for result in _blocks(world, text, name):
        for table_name, table in result.tables.items():
            writer.add(table_name, table)
        for table_name, table in result.truth.items():
            writer.add(f"_truth.{table_name}", table)
        np.add.at(sales.reshape(-1), result.sales_key, result.sales_units)
        orders_by_day += result.orders_by_day
        revenue_by_day += result.revenue_by_day
        acquired += result.acquired_by_day
        duplicated += result.duplicated_events
        for stage, seconds in result.seconds.items():
            generate_seconds[stage] = generate_seconds.get(stage, 0.0) + seconds
        report.advance(config.block_size(result.block))
    phases["blocks"] = time.perf_counter() - started
    started = time.perf_counter()
    stock, _ = inventory(world, sales, config.seed)
    writer.add("inventory_snapshots", stock)
    writer.add("marketing_spend", marketing_spend(world, orders_by_day, revenue_by_day, acquired, config.seed))
    post_rows, post_truth = posts(world, text, config.seed)
    writer.add("posts", post_rows)
    writer.add("_truth.text_posts", post_truth)
    for table_name, table in world_truth(world, duplicated_events=duplicated, acquired=acquired).items():
        writer.add(f"_truth.{table_name}", table)
    files = writer.close()
    phases["shop_tables"] = time.perf_counter() - started
    return Staged(files, dict(writer.rows), generate_seconds, dict(writer.seconds), phases)


def build_shop(
    ws: Any,
    config: DemoConfig,
    *,
    progress: Progress | None = None,
    text_name: str | None = None,
    keep_files: bool = False,
    job_run_id: int | None = None,
) -> DemoResult:
    """Generate the shop for ``config`` and load it into the open workspace ``ws``."""
    report = progress or NullProgress()
    clock = time.perf_counter()
    folder = ws.tmp_dir / f"demo-{config.seed}"
    staged = stage_shop(config, folder, progress=report, text_name=text_name)
    phases = dict(staged.phases)
    staged_bytes = {name: path.stat().st_size for name, path in staged.files.items()}
    started = time.perf_counter()
    loads, load_seconds = load_canonical(ws, staged.files, report, job_run_id)
    phases["load"] = time.perf_counter() - started
    started = time.perf_counter()
    report.phase("truth", None)
    truth_rows = load_truth(ws, staged.files)
    phases["truth"] = time.perf_counter() - started
    if not keep_files:
        shutil.rmtree(folder, ignore_errors=True)
    rows = {name: (r.record.rows_loaded if r.record else 0) for name, r in loads.items()}
    quarantined = {name: (r.record.rows_quarantined if r.record else 0) for name, r in loads.items()}
    return DemoResult(
        str(ws.path),
        config,
        rows,
        truth_rows,
        quarantined,
        staged.generate_seconds,
        staged.write_seconds,
        load_seconds,
        staged_bytes,
        time.perf_counter() - clock,
        phases,
    )


def generate_demo(
    path: str | os.PathLike[str],
    *,
    customers: object,
    seed: object,
    force: bool = False,
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
    workers: int | None = None,
    progress: Progress | None = None,
    keep_files: bool = False,
) -> DemoResult:
    """Create a workspace at ``path`` holding a demo shop of ``customers`` people (see module doc).

    Raises :class:`~zhongtai.errors.InputError` for a bad size, seed, period or too little disk, and
    :class:`~zhongtai.errors.ConflictError` for a non-empty folder without ``force``.
    """
    count = check_customers(customers)
    number = parse_seed(seed)
    check_period(start, end)
    folder = Path(path).expanduser().resolve()
    if folder.exists() and any(folder.iterdir()) and not force:
        prepare_folder(folder, force=False)
    check_disk(folder, count)
    folder = prepare_folder(folder, force=force)
    chosen = workers if workers is not None else (1 if count < 150_000 else min(2, os.cpu_count() or 1))
    config = DemoConfig(count, number, start, end, workers=max(1, chosen))
    from zhongtai.jobs import run_job
    from zhongtai.workspace import init_workspace

    with init_workspace(
        folder, shop_name="青禾 QingHe 演示店", currency="CNY", timezone="Asia/Shanghai", language="zh_CN"
    ) as ws:
        run = run_job(
            ws, "demo", {**config.to_dict(), "workers": config.workers, "keep_files": keep_files}, progress=progress
        )
    return RESULTS.pop(run.run_id)
