"""Platform adapters: named mappings for real marketplace and shop-system exports.

``get_adapter(name)`` finds an adapter by name or platform; ``adapters()`` lists them all.
Each adapter lives in its own module and is registered in ``_MODULES`` below.
"""

from __future__ import annotations

import importlib
from functools import cache

from zhongtai.errors import InputError
from zhongtai.warehouse.ingest.adapters.base import Adapter, mapping_from_dict

__all__ = ["Adapter", "adapters", "get_adapter", "mapping_from_dict"]

_MODULES: tuple[str, ...] = ("shopify", "taobao", "jd", "douyin", "pinduoduo", "youzan")
"""Modules that define ``ADAPTERS: tuple[Adapter, ...]``."""


@cache
def _registry() -> dict[str, Adapter]:
    found: dict[str, Adapter] = {}
    for module_name in _MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        for adapter in module.ADAPTERS:
            found[adapter.name] = adapter
    return found


def adapters() -> list[Adapter]:
    """Every registered adapter, by name."""
    return sorted(_registry().values(), key=lambda a: a.name)


def get_adapter(name: str) -> Adapter:
    """The adapter called ``name``; a platform name works when it has exactly one adapter."""
    registry = _registry()
    if name in registry:
        return registry[name]
    by_platform = [a for a in registry.values() if a.platform == name]
    if len(by_platform) == 1:
        return by_platform[0]
    raise InputError("ingest.no_adapter", source=name, known=", ".join(sorted(registry)) or "-")
