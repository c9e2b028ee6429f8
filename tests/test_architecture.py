"""Layering and hygiene rules from DESIGN.md, checked on the source tree itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "zhongtai"

# package -> packages it must never import (imports only point down; the floor imports nothing above it)
FORBIDDEN = {
    "warehouse": {
        "jobs",
        "cli",
        "server",
        "metrics",
        "customers",
        "experiments",
        "supply",
        "brand",
        "risk",
        "team",
        "automation",
        "demo",
        "datasets",
        "workspace",
    },
    "appdb": {"jobs", "cli", "server", "metrics", "warehouse", "workspace"},
    "policy": {"jobs", "cli", "server", "metrics", "workspace"},
    "jobs": {"cli", "server"},
    "datasets": {"cli", "server"},
}
DOMAIN = {"customers", "experiments", "supply", "brand", "risk", "team", "automation"}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name.split(".")[1] for name in found if name.startswith("zhongtai.") and name.count(".") >= 1}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down(path: Path) -> None:
    package = path.relative_to(SRC).parts[0].removesuffix(".py")
    imported = _imports(path)
    assert not imported & FORBIDDEN.get(package, set()), f"{path.name} imports {imported & FORBIDDEN[package]}"
    if package in DOMAIN:
        assert not imported & (DOMAIN - {package}), "domain packages meet through warehouse tables"


SQL_BUILT_FROM_STRINGS = re.compile(
    r"""(\.execute|\.sql|parse_one|\.query)\(\s*(f["']|["'][^"']*["']\s*(%|\.format|\+))"""
)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_sql_is_built_by_pasting_strings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    offenders = [line.strip() for line in text.splitlines() if SQL_BUILT_FROM_STRINGS.search(line)]
    assert offenders == [], "build SQL with SQLGlot (zhongtai.warehouse._sql), never with f-strings or %"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_unfinished_code(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"raise NotImplementedError|\bTODO\b|\bFIXME\b|\bXXX\b", text)


def test_packages_declare_their_public_names() -> None:
    for init in SRC.glob("*/__init__.py"):
        if init.parent.name in {"locale", "cli"}:
            continue
        tree = ast.parse(init.read_text(encoding="utf-8"))
        names = [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
        assert "__all__" in names, f"{init} lists no __all__"


def test_only_the_demo_generator_and_scoring_read_the_planted_truth() -> None:
    """Nothing may tune itself to the demo shop's answers: ``_truth`` is named only under ``demo/``
    (and by the ``demo truth`` command, which calls it)."""
    allowed = {SRC / "cli" / "demo_cmds.py"}
    readers = [
        p.relative_to(SRC).as_posix()
        for p in _modules()
        if "demo" not in p.relative_to(SRC).parts and p not in allowed and "_truth" in p.read_text(encoding="utf-8")
    ]
    assert readers == []


def test_test_module_names_are_unique() -> None:
    """pytest imports test files by basename (no packages under tests/): two ``test_x.py`` in
    different folders stop the whole collection with "import file mismatch"."""
    from collections import Counter

    root = Path(__file__).parent
    names = Counter(p.name for p in root.rglob("*.py") if p.name.startswith("test_") or p.name.endswith("_support.py"))
    assert [n for n, c in names.items() if c > 1] == []
