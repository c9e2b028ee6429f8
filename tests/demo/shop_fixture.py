"""The demo shop fixtures: one small shop per seed, built once and cached on disk.

To use them outside ``tests/demo``, register this module once for the whole session in
``tests/conftest.py``: ``pytest_plugins = ["demo.shop_fixture"]`` (``tests/demo`` has no
``__init__.py``, so it is importable as the namespace package ``demo``).

``demo_shop`` is a session fixture returning the folder of a ready workspace (5,000 people, seed
``DEMO_SEED``). It is cached under pytest's cache directory, keyed by the generator version and a
hash of the generator's source, so editing the generator rebuilds it and nothing stale is reused.
Open it read-only (``duckdb.connect(…, read_only=True)`` or ``open_workspace(…, read_only=True)``).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import zhongtai.demo
from zhongtai.demo import GENERATOR_VERSION, generate_demo
from zhongtai.workspace import open_workspace

DEMO_SEED = 20251111
DEMO_CUSTOMERS = 5_000
SOURCE = Path(zhongtai.demo.__file__).resolve().parent


def _source_hash() -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(SOURCE.rglob("*.py")):
        digest.update(path.relative_to(SOURCE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_cached_shop(config: pytest.Config, *, seed: int, customers: int) -> Path:
    """A demo workspace for (seed, customers), generated once per generator source."""
    cache = getattr(config, "cache", None)  # absent under ``-p no:cacheprovider``
    base = Path(cache.mkdir("zhongtai-demo")) if cache else Path(tempfile.gettempdir()) / "zhongtai-demo-cache"
    key = f"v{GENERATOR_VERSION}-{_source_hash()}-s{seed}-n{customers}"
    target = base / key
    if (target / ".complete").exists():
        return target
    base.mkdir(parents=True, exist_ok=True)
    with (base / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several pytest processes may ask for the same shop at once
        if (target / ".complete").exists():
            return target
        for stale in base.glob(f"v*-s{seed}-n{customers}"):
            shutil.rmtree(stale, ignore_errors=True)
        generate_demo(target, customers=customers, seed=seed, force=True, workers=1)
        (target / ".complete").write_text(key, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def demo_shop(request: pytest.FixtureRequest) -> Path:
    """Folder of a 5,000-person demo workspace (seed ``DEMO_SEED``), read-only by convention."""
    return build_cached_shop(request.config, seed=DEMO_SEED, customers=DEMO_CUSTOMERS)


@pytest.fixture(scope="session")
def demo_db(demo_shop: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the demo shop's warehouse.

    Opened through the workspace, so its DuckDB configuration matches every other read-only
    ``open_workspace`` of the shop in this process (DuckDB refuses a second connection to one file
    with a different configuration).
    """
    ws = open_workspace(demo_shop, read_only=True)
    try:
        yield ws.warehouse.con
    finally:
        ws.close()
