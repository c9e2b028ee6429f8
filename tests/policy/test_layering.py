"""policy decides and stores nothing: it never imports app state (app state imports policy)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "zhongtai"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_policy_never_imports_appdb_or_anything_above_the_warehouse() -> None:
    for path in (SRC / "policy").rglob("*.py"):
        bad = {
            m
            for m in _imports(path)
            if m.startswith(
                ("zhongtai.appdb", "zhongtai.workspace", "zhongtai.cli", "zhongtai.jobs", "zhongtai.server")
            )
        }
        assert not bad, f"{path.name} imports {bad}"


def test_appdb_reaches_the_warehouse_only_through_policy() -> None:
    for path in (SRC / "appdb").rglob("*.py"):
        assert not {m for m in _imports(path) if m.startswith("zhongtai.warehouse")}, path.name
