"""Shared fixtures: real DuckDB workspaces in tmp_path, the shared data sets, CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhongtai.workspace import Workspace, init_workspace

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("ZHONGTAI_SHARED_DATA", REPO.parent / "shared" / "data"))

# The cached small demo shop (``demo_shop``, ``demo_db``) for every test suite.
pytest_plugins = ["demo.shop_fixture"]


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh workspace (real DuckDB file) in a temporary folder."""
    ws = init_workspace(tmp_path / "ws", shop_name="测试店铺")
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def shared_data() -> Path:
    """The public data sets folder (../shared/data); skipped with a reason when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"public data sets not found at {SHARED_DATA} (set ZHONGTAI_SHARED_DATA); they live outside the repository"
        )
    return SHARED_DATA


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
