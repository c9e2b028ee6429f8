"""Same seed, same data: independent of chunking and worker processes; other seeds differ."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhongtai.demo import generate_demo
from zhongtai.demo.config import DemoConfig
from zhongtai.demo.generate import TEXT_OVERRIDE, stage_shop
from zhongtai.warehouse.model import TABLES

SMALL = DemoConfig(customers=900, seed=99, block=300)


def _bytes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


def _values(path: Path) -> pa.Table:
    """A staged table with dictionary columns decoded (dictionaries differ with the row groups)."""
    table = pq.read_table(path)
    schema = pa.schema(
        [pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type) for f in table.schema]
    )
    return table.cast(schema).combine_chunks()


def test_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = stage_shop(SMALL, tmp_path / "a")
    second = stage_shop(SMALL, tmp_path / "b")
    assert first.rows == second.rows
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert len(first.files) > 40  # every canonical table and every truth family


@pytest.mark.slow
def test_chunking_and_worker_processes_do_not_change_the_data(tmp_path: Path) -> None:
    one = stage_shop(SMALL, tmp_path / "one")
    other = DemoConfig(customers=SMALL.customers, seed=SMALL.seed, block=SMALL.block, workers=2, row_group=97)
    two = stage_shop(other, tmp_path / "two", text_name=TEXT_OVERRIDE.get())
    assert one.rows == two.rows
    for name, path in one.files.items():
        assert _values(path).equals(_values(two.files[name])), name
    assert pq.ParquetFile(two.files["events"]).num_row_groups > pq.ParquetFile(one.files["events"]).num_row_groups


def test_another_seed_plants_other_effects(tmp_path: Path) -> None:
    one = stage_shop(SMALL, tmp_path / "one")
    other = stage_shop(DemoConfig(customers=SMALL.customers, seed=100, block=SMALL.block), tmp_path / "two")
    params = [
        dict(
            zip(
                *pq.read_table(s.files["_truth.parameters"]).select(["name", "value"]).to_pydict().values(), strict=True
            )
        )
        for s in (one, other)
    ]
    effects = [k for k in params[0] if not k.startswith("run.") and params[0][k] is not None]
    changed = [k for k in effects if params[0][k] != params[1][k]]
    assert len(changed) == len(effects)
    assert pq.read_table(one.files["orders"]).num_rows != pq.read_table(other.files["orders"]).num_rows


def _table_hashes(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path / "warehouse.duckdb"), read_only=True)
    try:
        out = {}
        for name, table in TABLES.items():
            cols = ", ".join(f'"{c.name}"' for c in table.columns)
            keys = ", ".join(f'"{k}"' for k in table.key)
            digest = hashlib.sha256()
            for row in con.execute(f'SELECT {cols} FROM "{name}" ORDER BY {keys}').fetchall():
                digest.update(repr(row).encode())
            out[name] = digest.hexdigest()
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '_truth' ORDER BY 1"
        ).fetchall():
            digest = hashlib.sha256()
            for row in con.execute(f'SELECT * FROM _truth."{name}" ORDER BY ALL').fetchall():
                digest.update(repr(row).encode())
            out[f"_truth.{name}"] = digest.hexdigest()
        return out
    finally:
        con.close()


@pytest.mark.slow
def test_two_loaded_workspaces_of_one_seed_hold_identical_tables(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate_demo(tmp_path / name, customers=300, seed=5, workers=1)
    first, second = _table_hashes(tmp_path / "a"), _table_hashes(tmp_path / "b")
    assert first == second
    assert len(first) >= len(TABLES) + 20
