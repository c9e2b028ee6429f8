"""Choosing the mapping for a load: an explicit mapping file, a named adapter, or the source name."""

from __future__ import annotations

from pathlib import Path

from zhongtai.errors import InputError
from zhongtai.warehouse.ingest.adapters import get_adapter
from zhongtai.warehouse.ingest.mapping import Mapping, load_mapping

__all__ = ["resolve_mapping"]


def resolve_mapping(
    *, source: str | None, adapter: str | None = None, mapping_path: str | Path | None = None
) -> tuple[Mapping, str]:
    """``(mapping, adapter name)``: ``mapping_path`` wins, then ``adapter``, then a source that
    names an adapter (``--source shopify``)."""
    if mapping_path:
        mapping = load_mapping(mapping_path)
        return mapping, mapping.name
    if adapter:
        found = get_adapter(adapter)
        return found.mapping, found.name
    if source:
        found = get_adapter(source)
        return found.mapping, found.name
    raise InputError("ingest.no_source", file="-")
