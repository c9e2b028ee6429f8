"""What a demo run is asked to do, checked before anything is written.

``customers`` counts people (a person may hold accounts on several channels, so the
``customers`` table has more rows than this). The seed fixes every number: the same seed and
size give the same table contents, whatever the chunk size or the number of worker processes.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zhongtai.errors import ConflictError, InputError

__all__ = [
    "BLOCK",
    "GENERATOR_VERSION",
    "DemoConfig",
    "check_customers",
    "check_disk",
    "estimate_bytes",
    "parse_seed",
    "prepare_folder",
]

GENERATOR_VERSION = "2"
"""Bumped whenever the same seed would produce different data (fixture caches key on it)."""
MIN_CUSTOMERS = 100
MAX_CUSTOMERS = 20_000_000
MAX_SEED = 2**63 - 1
BLOCK = 10_000
"""People per random block: block ``b`` always draws from stream ``b``, so chunking and worker
processes never change the data. Changing the block size does (it is fixed, like the seed)."""
DEFAULT_START = date(2024, 1, 1)
DEFAULT_END = date(2025, 12, 31)
BYTES_PER_CUSTOMER = 9_000
"""Peak disk per person. Measured: staged Parquet plus the finished warehouse take 5.8 KB per person
at 100k and 5.7 KB at 1M people (docs/demo.md, "Size, speed and disk"); the rest is room for
DuckDB's spill files while the largest tables load."""
DISK_MARGIN = 1.25
OWNED_ENTRIES = frozenset({"zhongtai.toml", "warehouse.duckdb", "warehouse.duckdb.wal", "quarantine", "tmp",
                           "app.db", "app.db-journal", "app.db-wal", "app.db-shm"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoConfig:
    customers: int
    seed: int
    start: date = DEFAULT_START
    end: date = DEFAULT_END
    workers: int = 1  # generator processes (does not change data)
    row_group: int = 250_000  # rows per written Parquet row group (memory bound; does not change data)
    block: int = BLOCK  # people per random block: part of the shop's identity, like the seed

    @property
    def blocks(self) -> int:
        return -(-self.customers // self.block)

    def block_size(self, block: int) -> int:
        return min(self.block, self.customers - block * self.block)

    def to_dict(self) -> dict[str, object]:
        return {
            "customers": self.customers,
            "seed": self.seed,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "block": self.block,
            "generator_version": GENERATOR_VERSION,
        }


def parse_seed(value: object) -> int:
    """A seed from user input: a whole number 0 … 2**63-1 (``"42"`` is fine, ``"4.2"`` is not)."""
    if isinstance(value, bool):
        raise InputError("demo.invalid_seed", value=str(value), max=MAX_SEED)
    if isinstance(value, int):
        seed = value
    else:
        text = str(value).strip()
        if not text or not (text.isdigit() or (text[0] in "+-" and text[1:].isdigit())) or not text.isascii():
            raise InputError("demo.invalid_seed", value=text[:40], max=MAX_SEED)
        seed = int(text)
    if not 0 <= seed <= MAX_SEED:
        raise InputError("demo.invalid_seed", value=str(value)[:40], max=MAX_SEED)
    return seed


def check_customers(value: object) -> int:
    """The number of people: a whole number from 100 to 20,000,000."""
    try:
        count = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        raise InputError(
            "demo.invalid_customers", value=str(value)[:40], min=MIN_CUSTOMERS, max=f"{MAX_CUSTOMERS:,}"
        ) from None
    if isinstance(value, bool) or not MIN_CUSTOMERS <= count <= MAX_CUSTOMERS:
        raise InputError("demo.invalid_customers", value=str(value)[:40], min=MIN_CUSTOMERS, max=f"{MAX_CUSTOMERS:,}")
    return count


def check_period(start: date, end: date) -> None:
    if (end - start).days < 180:
        raise InputError("demo.invalid_period", start=start.isoformat(), end=end.isoformat(), days=180)


def estimate_bytes(customers: int) -> int:
    """Free disk a run needs at its peak (bytes), with a margin."""
    return int(customers * BYTES_PER_CUSTOMER * DISK_MARGIN) + 200 * 1024**2


def _human(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.1f} {unit}" if unit != "B" else f"{int(size)} B"
        size /= 1024
    return f"{size:.1f} TB"


def free_bytes(path: Path) -> int:
    """Free bytes on the file system holding ``path`` (or its nearest existing parent)."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


def check_disk(path: Path, customers: int) -> None:
    needed = estimate_bytes(customers)
    free = free_bytes(path)
    if free < needed:
        raise InputError(
            "demo.not_enough_disk", customers=f"{customers:,}", path=str(path), needed=_human(needed), free=_human(free)
        )


def prepare_folder(path: Path, *, force: bool) -> Path:
    """The target folder, empty: refuse a non-empty one unless ``force``; with ``force`` remove
    only what zhongtai itself creates in a workspace, and refuse if anything else is there."""
    folder = Path(path).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ConflictError("demo.not_a_folder", path=str(folder))
    if not folder.exists() or not any(folder.iterdir()):
        return folder
    if not force:
        raise ConflictError("demo.folder_not_empty", path=str(folder))
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in OWNED_ENTRIES)
    if foreign:
        raise ConflictError("demo.foreign_files", path=str(folder), files=", ".join(foreign[:5]))
    for entry in folder.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return folder
