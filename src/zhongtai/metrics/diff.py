"""Differences between two metric dictionaries (what ``zhongtai metrics diff`` prints).

Definitions are data, so a change is reviewed like code: ``git diff`` of the YAML shows the text,
this shows the meaning: metrics, dimensions, measures and semantic models added, removed or changed
(field by field), and a changed metric whose ``version`` was not bumped is flagged, because
dashboards and alerts cite a metric by name and version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhongtai.errors import InputError
from zhongtai.metrics.dictionary import CATALOGUE_DIR, Dictionary, build_dictionary

__all__ = ["Change", "diff_dictionaries", "load_version"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: ``kind`` (metric, dimension, measure, semantic_model), ``change`` (added,
    removed, changed), the fields that changed, and whether a changed metric kept its version."""

    kind: str
    name: str
    change: str
    fields: tuple[str, ...] = ()
    version_not_bumped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "change": self.change,
            "fields": list(self.fields),
            "version_not_bumped": self.version_not_bumped,
        }


def load_version(spec: str, workspace: Any = None) -> Dictionary:
    """``builtin``; ``workspace`` (built-in + the workspace's ``metrics/``); or a folder/file of YAML
    laid over the built-in catalogue (as a workspace's folder would be)."""
    if spec == "builtin":
        return build_dictionary([CATALOGUE_DIR])
    if spec == "workspace":
        root = Path(getattr(workspace, "path", workspace or "."))
        return build_dictionary([CATALOGUE_DIR, root / "metrics"])
    path = Path(spec)
    if not path.exists():
        raise InputError("metrics.unknown_version", version=spec)
    return build_dictionary([CATALOGUE_DIR, path])


def _fields(old: Any, new: Any, skip: tuple[str, ...] = ("file", "line", "spec")) -> tuple[str, ...]:
    names = [n for n in getattr(old, "__dataclass_fields__", {}) if n not in skip]
    out = [n for n in names if getattr(old, n) != getattr(new, n)]
    if hasattr(old, "spec") and old.spec != new.spec:
        data_old, data_new = old.spec.model_dump(), new.spec.model_dump()
        out += [k for k in data_old if data_old[k] != data_new.get(k) and k not in out]
    return tuple(sorted(set(out)))


def diff_dictionaries(old: Dictionary, new: Dictionary) -> list[Change]:
    """Changes from ``old`` to ``new``, sorted by kind and name."""
    changes: list[Change] = []
    for kind, a, b in (
        ("metric", old.metrics, new.metrics),
        ("dimension", old.dimensions, new.dimensions),
        ("measure", old.measures, new.measures),
        ("semantic_model", old.semantic_models, new.semantic_models),
    ):
        for name in sorted(set(a) | set(b)):
            if name not in b:
                changes.append(Change(kind, name, "removed"))
            elif name not in a:
                changes.append(Change(kind, name, "added"))
            else:
                fields = _fields(a[name], b[name])
                if kind == "metric":
                    fields = tuple(f for f in fields if f not in ("measures", "semantic_models", "inputs"))
                if fields:
                    stale = kind == "metric" and "version" not in fields
                    changes.append(Change(kind, name, "changed", fields, stale))
    return changes
